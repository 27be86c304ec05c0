//! Fencing: a worker's write names the run it belongs to, and is refused when
//! that run is no longer the task's current attempt (it was reclaimed, timed
//! out, or the task was moved on), so a late worker cannot overwrite newer work.

use crate::error::{KernelError, Result};
use crate::model::Task;

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
