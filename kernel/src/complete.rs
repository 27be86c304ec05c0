//! Completing a task: the structured handoff, the run it closes, and the
//! children it frees.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::fence;
use crate::model::{first_line, EventKind, Outcome, Status, Task};
use crate::ready::promote_children;
use crate::store::{RunClose, TaskUpdate, Tx};
use crate::validate;
use serde_json::{json, Value};

/// The handoff a finished task leaves for its children and for people.
#[derive(Debug, Clone, Default)]
pub struct Completion {
    /// Legacy one-line result, stored on the task.
    pub result: Option<String>,
    /// What was done, for the next worker and the board.
    pub summary: Option<String>,
    /// Structured facts (changed files, tests run, …); must be a JSON object.
    pub metadata: Option<Value>,
    /// The run this completion belongs to (fencing); `None` for an operator.
    pub run: Option<i64>,
}

/// How long the summary excerpt in a `completed` event may be.
pub const EVENT_SUMMARY_CHARS: usize = 400;

impl Board {
    /// Marks a running, ready or blocked task done. Closes its run as
    /// completed — or, if it was never claimed and there is a handoff, records
    /// a zero-duration run so the handoff is kept — resets its failure count,
    /// and promotes the children it was holding back, all in one transaction.
    pub fn complete(&mut self, id: &str, c: &Completion) -> Result<Task> {
        let result = validate::optional_text("result", c.result.as_deref())?;
        let summary = validate::optional_text("summary", c.summary.as_deref())?;
        let metadata = validate::metadata(c.metadata.as_ref())?;
        let checked = Completion {
            result,
            summary,
            metadata,
            run: c.run,
        };
        self.write(|tx| complete_in(tx, id, &checked))
    }
}

/// The completion itself, inside the caller's transaction; `c` is validated.
pub(crate) fn complete_in(tx: &mut Tx<'_>, id: &str, c: &Completion) -> Result<Task> {
    let (result, summary, metadata) = (&c.result, &c.summary, &c.metadata);
    let task = tx.require_task(id)?;
    fence::check(&task, c.run)?;
    const FROM: [Status; 3] = [Status::Running, Status::Ready, Status::Blocked];
    if !FROM.contains(&task.status) {
        return Err(KernelError::Conflict(format!(
                    "cannot complete {id}: it is {} (only running, ready or blocked tasks can be completed)",
                    task.status
                )));
    }
    let now = tx.now();
    let ok = tx.update_task(
        id,
        TaskUpdate::new()
            .status(Status::Done)
            .result(result.as_deref())
            .completed_at(Some(now))
            .clear_claim()
            .failures(0, None)
            .when_status(&FROM)
            .when_run(task.current_run_id),
    )?;
    if !ok {
        return Err(KernelError::Conflict(format!(
            "cannot complete {id}: it changed meanwhile"
        )));
    }
    let handoff = summary.as_deref().or(result.as_deref());
    let close = RunClose {
        summary: handoff,
        error: None,
        metadata: metadata.as_ref(),
    };
    let run_id = match task.current_run_id {
        Some(run) => {
            tx.close_run(run, Outcome::Completed, &close)?;
            Some(run)
        }
        None if summary.is_some() || result.is_some() || metadata.is_some() => {
            Some(tx.insert_closed_run(&task, Outcome::Completed, &close)?)
        }
        None => None,
    };
    let mut payload = json!({
        "result_len": result.as_deref().map_or(0, str::len),
        "summary": handoff.map(|s| first_line(s, EVENT_SUMMARY_CHARS)),
    });
    if c.run.is_none() && task.status == Status::Running {
        payload["by_operator"] = json!(true);
    }
    tx.event(id, run_id, EventKind::Completed, Some(payload))?;
    promote_children(tx, id)?;
    tx.require_task(id)
}
