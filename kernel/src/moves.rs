//! A person moving a card by hand (drag-drop): the transitions that have no
//! verb of their own — to triage, to todo, to ready (a todo task, even one
//! whose parents are unfinished), and off running back to the queue.

use crate::archive::archive_in;
use crate::block::unblock_in;
use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::{Payload, StatusPayload};
use crate::model::{Outcome, Status, Task};
use crate::ready::{parent_finished, promote_children};
use crate::store::{RunClose, TaskUpdate, Tx};

impl Board {
    /// Moves a task to `target` by hand. Done goes through [`Board::complete`]
    /// and blocked through [`Board::block`]; this handles the rest.
    pub fn move_to(&mut self, id: &str, target: Status) -> Result<Task> {
        self.write(|tx| move_in(tx, id, target))
    }
}

/// Only a claim makes a task running.
pub(crate) fn running_refused() -> KernelError {
    KernelError::Invalid(
        "Cannot set status to 'running' directly; use the dispatcher/claim path".into(),
    )
}

/// The direct move inside the caller's transaction.
pub(crate) fn move_in(tx: &mut Tx<'_>, id: &str, target: Status) -> Result<Task> {
    let task = tx.require_task(id)?;
    match target {
        Status::Running => return Err(running_refused()),
        Status::Archived => return archive_in(tx, id),
        Status::Ready if task.status == Status::Blocked => return unblock_in(tx, id),
        Status::Done | Status::Blocked => {
            return Err(KernelError::Invalid(format!(
                "moving to {target} needs its own verb (complete or block)"
            )))
        }
        _ => {}
    }
    if task.status == target {
        return Ok(task);
    }
    let ok = tx.update_task(
        id,
        TaskUpdate::new()
            .status(target)
            .clear_claim()
            .when_status(&[task.status])
            .when_run(task.current_run_id),
    )?;
    if !ok {
        return Err(KernelError::Conflict(format!(
            "cannot move {id}: it changed meanwhile"
        )));
    }
    tx.release_worker(&task, None);
    if let Some(run) = task.current_run_id {
        tx.close_run(
            run,
            Outcome::Reclaimed,
            &RunClose {
                summary: Some(&format!("status changed to {target} by hand")),
                ..Default::default()
            },
        )?;
    }
    let mut payload = StatusPayload::to(target);
    if target == Status::Ready {
        let waiting: Vec<String> = tx
            .parents_with_status(id)?
            .into_iter()
            .filter(|(_, s)| !parent_finished(*s))
            .map(|(p, _)| p)
            .collect();
        if !waiting.is_empty() {
            // Recorded so the claim gate knows a person chose to start it early.
            payload.forced = Some(true);
            payload.waiting_on = Some(waiting);
        }
    }
    tx.event(id, task.current_run_id, Payload::Status(payload))?;
    if task.status.is_terminal() {
        // A reopened parent holds its ready children back again.
        for child in tx.children_of(id)? {
            if tx.update_task(
                &child,
                TaskUpdate::new()
                    .status(Status::Todo)
                    .when_status(&[Status::Ready]),
            )? {
                tx.event(
                    &child,
                    None,
                    Payload::Status(StatusPayload {
                        reason: Some("parent_reopened".into()),
                        parent: Some(id.to_string()),
                        ..StatusPayload::to(Status::Todo)
                    }),
                )?;
            }
        }
    }
    if target == Status::Ready {
        promote_children(tx, id)?;
    }
    tx.require_task(id)
}
