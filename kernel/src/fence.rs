//! Fencing: a worker's write names the run it belongs to, and is refused when
//! that run is no longer the task's current attempt (it was reclaimed, timed
//! out, or the task was moved on), so a late worker cannot overwrite newer work.

use crate::error::{KernelError, Result};
use crate::model::Task;
use crate::store::Tx;

/// Who makes a write from inside a worker: its own task and run. A write
/// made on its behalf — to its own task or to another one (a comment, a new
/// task, a link) — is refused once that run is no longer its task's
/// current attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acting {
    pub task: String,
    pub run: i64,
}

/// Refuses the write if `acting`'s run is no longer current; inside the
/// write's own transaction, so a reclaim cannot slip in between.
pub(crate) fn check_acting(tx: &Tx<'_>, acting: Option<&Acting>) -> Result<()> {
    let Some(a) = acting else { return Ok(()) };
    let task = tx.require_task(&a.task)?;
    check(&task, Some(a.run))
}

/// Refuses the write if `run` is given and is not `task`'s current run.
pub(crate) fn check(task: &Task, run: Option<i64>) -> Result<()> {
    let Some(run) = run else { return Ok(()) };
    if task.current_run_id == Some(run) {
        return Ok(());
    }
    let now = match task.current_run_id {
        Some(cur) => format!("its current run is {cur}"),
        None => "it has no active run".to_string(),
    };
    Err(KernelError::Conflict(format!(
        "run {run} is no longer the current attempt on {} (the task is {}, {now}); the write was refused",
        task.id, task.status
    )))
}
