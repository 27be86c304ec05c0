//! Who a task is for: assigning, and reassigning with an optional reclaim.

use crate::board::Board;
use crate::claim::reclaim_in;
use crate::error::{KernelError, Result};
use crate::event::{AssignedPayload, Payload};
use crate::model::{Status, Task};
use crate::store::{TaskUpdate, Tx};
use crate::validate;

pub(crate) fn assign_in(tx: &mut Tx<'_>, task: &Task, assignee: Option<String>) -> Result<Task> {
    let id = task.id.as_str();
    if task.status == Status::Running && task.claim_lock.is_some() {
        return Err(KernelError::Conflict(format!(
            "cannot reassign {id}: currently running (claimed by {}); reclaim it first",
            task.claim_lock.as_deref().unwrap_or("?")
        )));
    }
    if task.assignee == assignee {
        return Ok(task.clone());
    }
    // A new assignee starts with a clean failure record: the old one's
    // crashes say nothing about the new profile.
    tx.update_task(
        id,
        TaskUpdate::new()
            .assignee(assignee.as_deref())
            .failures(0, None)
            .when_status(&[task.status]),
    )?;
    tx.event(
        id,
        None,
        Payload::Assigned(AssignedPayload {
            assignee: assignee.clone(),
        }),
    )?;
    tx.require_task(id)
}

impl Board {
    /// Sets (or with `None`, clears) the assignee. Refused while a worker holds
    /// the task.
    pub fn assign(&mut self, id: &str, assignee: Option<&str>) -> Result<Task> {
        let assignee = validate::assignee(assignee)?;
        self.write(|tx| {
            let task = tx.require_task(id)?;
            assign_in(tx, &task, assignee)
        })
    }

    /// Assigns to someone else, first reclaiming a running task if asked to,
    /// all in one transaction.
    pub fn reassign(
        &mut self,
        id: &str,
        assignee: Option<&str>,
        reclaim_first: bool,
        reason: Option<&str>,
    ) -> Result<Task> {
        let assignee = validate::assignee(assignee)?;
        self.write(|tx| {
            let mut task = tx.require_task(id)?;
            if reclaim_first && (task.status == Status::Running || task.claim_lock.is_some()) {
                task = reclaim_in(tx, &task, Some(reason.unwrap_or("reassign")))?.task;
            }
            assign_in(tx, &task, assignee)
        })
    }
}
