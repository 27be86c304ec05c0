//! The guidance every spawned agent is given: the worker skill, and for a
//! task with the `orchestrator` skill the orchestrator playbook too. Both
//! ship inside the binary so a worker gets the text of the Baton it runs under.

use kernel::agent::kind::AgentKind;
use kernel::Task;

pub const WORKER: &str = include_str!("../../guidance/worker.md");
pub const ORCHESTRATOR: &str = include_str!("../../guidance/orchestrator.md");
/// For a CLI that cannot be handed the board's tools (aider): the same
/// lifecycle in terms of its workspace and its last reply.
pub const WORKER_PLAIN: &str = include_str!("../../guidance/worker-plain.md");

/// The skill that adds the orchestrator playbook.
pub const ORCHESTRATOR_SKILL: &str = "orchestrator";

/// The guidance for `task` given to an agent of `kind`: the worker skill,
/// then the playbook if the task asks for an orchestrator. An agent without
/// the board's tools gets the plain worker skill only: the playbook is all
/// tools.
pub fn for_task(task: &Task, kind: AgentKind) -> String {
    if !kind.has_board_tools() {
        return WORKER_PLAIN.to_string();
    }
    let mut s = WORKER.to_string();
    if task
        .skills
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|k| k == ORCHESTRATOR_SKILL)
    {
        s.push('\n');
        s.push_str(ORCHESTRATOR);
    }
    s
}

/// The prompt for an agent: the task's context, then what to do now. The
/// lifecycle itself is in the guidance, in terms of the tools.
pub fn prompt(context: &str, task_id: &str, kind: AgentKind) -> String {
    if !kind.has_board_tools() {
        return format!(
            "{context}\n## Now\n\nWork task {task_id} as the guidance describes: change the files in your \
             workspace, and end with your handoff as your last reply.\n"
        );
    }
    format!(
        "{context}\n## Now\n\nWork task {task_id} as the guidance describes: start with kanban_show, \
         and end with kanban_complete (with a summary and metadata) or kanban_block (with the reason).\n"
    )
}
