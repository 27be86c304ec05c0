//! The end of an agent's run when the agent itself did not end it: its
//! transcript (already on disk, written by the agent before it exited)
//! becomes the handoff according to the profile's `on_exit`, so an agent
//! that answered but forgot `kanban_complete` loses nothing — not even
//! across a restart of Baton between the exit and this write.

use super::kind::OnExit;
use super::transcript::Transcript;
use crate::error::Result;
use kernel::complete::Completion;
use kernel::failure::Failure;
use kernel::{Board, Outcome};
use serde_json::json;

/// What settling a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// The agent's final answer completed the task.
    Completed,
    /// The task was blocked with the final answer as the reason.
    Blocked,
    /// A failure was counted (retry, or no usable answer); `gave_up` if the
    /// failure limit blocked the task.
    Failed { gave_up: bool },
}

/// The longest final answer carried into a block reason.
const REASON_CHARS: usize = 1500;

/// Settles run `run` of task `id` after its agent exited with `exit`
/// (`None`: unknown) while the run was still open.
pub fn settle(
    board: &mut Board,
    id: &str,
    run: i64,
    on_exit: OnExit,
    failure_limit: i64,
    transcript: Option<&Transcript>,
    exit: Option<i32>,
) -> Result<Settled> {
    let answer = transcript
        .filter(|t| !t.result().is_some_and(|(_, is_error)| is_error))
        .and_then(Transcript::final_text);
    let failed = |board: &mut Board, error: String| -> Result<Settled> {
        let f = Failure {
            outcome: Outcome::Crashed,
            error,
            details: json!({
                "exit_code": exit,
                "agent": transcript.map(|t| t.agent.clone()),
                "on_exit": on_exit.as_str(),
            }),
        };
        let r = board.record_failure(id, run, &f, failure_limit)?;
        Ok(Settled::Failed { gave_up: r.gave_up })
    };
    let Some(answer) = answer.filter(|_| exit.is_none_or(|c| c == 0)) else {
        let why = transcript
            .and_then(|t| t.last_error().map(str::to_string))
            .unwrap_or_else(|| "no final answer in its transcript".into());
        let how = match exit {
            Some(c) if c < 0 => format!("was killed by signal {}", -c),
            Some(c) => format!("exited with code {c}"),
            None => "is gone".into(),
        };
        return failed(
            board,
            format!("the agent {how} without finishing its task: {why}"),
        );
    };
    match on_exit {
        OnExit::Complete => {
            let usage = transcript.map(|t| &t.usage);
            board.complete(
                id,
                &Completion {
                    summary: Some(answer),
                    metadata: Some(json!({
                        "completed_by": "on_exit",
                        "agent": transcript.map(|t| t.agent.clone()),
                        "usage": usage,
                    })),
                    run: Some(run),
                    ..Default::default()
                },
            )?;
            Ok(Settled::Completed)
        }
        OnExit::Block => {
            let reason = format!(
                "The agent exited without completing or blocking; its last answer: {}",
                kernel::ellipsize(answer.trim(), REASON_CHARS)
            );
            board.block(id, Some(&reason), Some(run))?;
            Ok(Settled::Blocked)
        }
        OnExit::Retry => failed(
            board,
            format!(
                "the agent exited without completing (on_exit = retry); its last answer: {}",
                kernel::ellipsize(answer.trim(), 300)
            ),
        ),
    }
}
