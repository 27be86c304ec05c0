//! Blocking a task on something only a person can resolve, and unblocking it.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::{BlockedPayload, Payload, StatusPayload};
use crate::fence;
use crate::model::{Outcome, Status, Task};
use crate::ready::status_from_parents;
use crate::store::{RunClose, TaskUpdate, Tx};
use crate::validate;

impl Board {
    /// Blocks a running or ready task with a reason. Its run closes as blocked;
    /// a never-claimed task with a reason gets a zero-duration run so the
    /// reason is kept with the attempts. Fenced by `run`.
    pub fn block(&mut self, id: &str, reason: Option<&str>, run: Option<i64>) -> Result<Task> {
        let reason = validate::optional_text("reason", reason)?;
        self.write(|tx| block_in(tx, id, reason.as_deref(), run))
    }

    /// Unblocks a blocked task: ready if its parents are finished, else todo.
    /// Resets the failure count and closes any run left open by mistake.
    pub fn unblock(&mut self, id: &str) -> Result<Task> {
        self.write(|tx| unblock_in(tx, id))
    }
}

/// Blocking inside the caller's transaction; `reason` is validated.
pub(crate) fn block_in(
    tx: &mut Tx<'_>,
    id: &str,
    reason: Option<&str>,
    run: Option<i64>,
) -> Result<Task> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let task = tx.require_task(id)?;
    fence::check(&task, run)?;
    const FROM: [Status; 2] = [Status::Running, Status::Ready];
    if !FROM.contains(&task.status) {
        return Err(KernelError::Conflict(format!(
            "cannot block {id}: it is {} (only running or ready tasks can be blocked)",
            task.status
        )));
    }
    let ok = tx.update_task(
        id,
        TaskUpdate::new()
            .status(Status::Blocked)
            .clear_claim()
            .when_status(&FROM)
            .when_run(task.current_run_id),
    )?;
    if !ok {
        return Err(KernelError::Conflict(format!(
            "cannot block {id}: it changed meanwhile"
        )));
    }
    tx.release_worker(&task, run);
    let close = RunClose {
        summary: reason,
        ..Default::default()
    };
    let run_id = match task.current_run_id {
        Some(r) => {
            tx.close_run(r, Outcome::Blocked, &close)?;
            Some(r)
        }
        None if reason.is_some() => Some(tx.insert_closed_run(&task, Outcome::Blocked, &close)?),
        None => None,
    };
    let payload = BlockedPayload {
        by_operator: (run.is_none() && task.status == Status::Running).then_some(true),
        reason: reason.map(str::to_string),
    };
    tx.event(id, run_id, Payload::Blocked(payload))?;
    tx.require_task(id)
}

/// Unblocking inside the caller's transaction.
pub(crate) fn unblock_in(tx: &mut Tx<'_>, id: &str) -> Result<Task> {
    let task = tx.require_task(id)?;
    if task.status != Status::Blocked {
        return Err(KernelError::Conflict(format!(
            "cannot unblock {id}: it is {}, not blocked",
            task.status
        )));
    }
    if let Some(leaked) = task.current_run_id {
        tx.close_run(
            leaked,
            Outcome::Reclaimed,
            &RunClose {
                summary: Some("invariant recovery on unblock"),
                ..Default::default()
            },
        )?;
    }
    let target = status_from_parents(tx, id)?;
    let ok = tx.update_task(
        id,
        TaskUpdate::new()
            .status(target)
            .current_run(None)
            .failures(0, None)
            .when_status(&[Status::Blocked]),
    )?;
    if !ok {
        return Err(KernelError::Conflict(format!(
            "cannot unblock {id}: it changed meanwhile"
        )));
    }
    let payload = (target == Status::Todo).then(|| StatusPayload::to(Status::Todo));
    tx.event(id, None, Payload::Unblocked(payload))?;
    tx.require_task(id)
}
