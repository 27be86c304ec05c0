//! Archiving: taking a task off the board for good.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::Payload;
use crate::model::{Outcome, Status, Task};
use crate::ready::promote_children;
use crate::store::{RunClose, TaskUpdate, Tx};

impl Board {
    /// Archives a task in any other status. A running task's run closes as
    /// reclaimed (stopping the worker is the dispatcher's job). An archived
    /// parent no longer holds its children back, so they are promoted.
    pub fn archive(&mut self, id: &str) -> Result<Task> {
        self.write(|tx| archive_in(tx, id))
    }
}

/// Archiving inside the caller's transaction.
pub(crate) fn archive_in(tx: &mut Tx<'_>, id: &str) -> Result<Task> {
    let task = tx.require_task(id)?;
    if task.status == Status::Archived {
        return Err(KernelError::Conflict(format!("{id} is already archived")));
    }
    let ok = tx.update_task(
        id,
        TaskUpdate::new()
            .status(Status::Archived)
            .clear_claim()
            .when_status(&[task.status])
            .when_run(task.current_run_id),
    )?;
    if !ok {
        return Err(KernelError::Conflict(format!(
            "cannot archive {id}: it changed meanwhile"
        )));
    }
    tx.release_worker(&task, None);
    if let Some(run) = task.current_run_id {
        tx.close_run(
            run,
            Outcome::Reclaimed,
            &RunClose {
                summary: Some("task archived with run still active"),
                ..Default::default()
            },
        )?;
    }
    tx.event(id, task.current_run_id, Payload::Archived)?;
    promote_children(tx, id)?;
    tx.require_task(id)
}
