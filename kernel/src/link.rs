//! Adding and removing dependencies.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::{LinkPayload, Payload};
use crate::fence::{self, Acting};
use crate::model::Status;
use crate::ready::{parent_finished, promote_if_free};
use crate::store::TaskUpdate;

impl Board {
    /// Makes `child` depend on `parent`. Refuses self-links, unknown ids and
    /// cycles. A ready child of an unfinished parent goes back to todo.
    /// Returns whether a new edge was added.
    pub fn link(&mut self, parent: &str, child: &str) -> Result<bool> {
        self.link_as(parent, child, None)
    }

    /// [`Board::link`] on behalf of a worker's run (refused once it is stale).
    pub fn link_as(&mut self, parent: &str, child: &str, acting: Option<&Acting>) -> Result<bool> {
        let (parent, child) = (parent.trim(), child.trim());
        if parent == child {
            return Err(KernelError::Invalid(format!(
                "a task cannot depend on itself ({parent})"
            )));
        }
        self.write(|tx| {
            fence::check_acting(tx, acting)?;
            let missing = tx.missing_ids(&[parent.to_string(), child.to_string()])?;
            if !missing.is_empty() {
                return Err(KernelError::Invalid(format!("unknown task(s): {}", missing.join(", "))));
            }
            if tx.reaches(child, parent)? {
                return Err(KernelError::Invalid(format!(
                    "linking {parent} -> {child} would create a cycle ({parent} already depends on {child})"
                )));
            }
            if !tx.insert_link(parent, child)? {
                return Ok(false);
            }
            let parent_status = tx.status_of(parent)?.unwrap_or(Status::Todo);
            if !parent_finished(parent_status) {
                tx.update_task(
                    child,
                    TaskUpdate::new().status(Status::Todo).when_status(&[Status::Ready]),
                )?;
            }
            tx.event(child, None, Payload::Linked(LinkPayload::new(parent, child)))?;
            Ok(true)
        })
    }

    /// Removes the dependency; a child left with only finished parents is
    /// promoted at once. Returns whether the edge existed.
    pub fn unlink(&mut self, parent: &str, child: &str) -> Result<bool> {
        let (parent, child) = (parent.trim(), child.trim());
        self.write(|tx| {
            if !tx.delete_link(parent, child)? {
                return Ok(false);
            }
            tx.event(
                child,
                None,
                Payload::Unlinked(LinkPayload::new(parent, child)),
            )?;
            promote_if_free(tx, child)?;
            Ok(true)
        })
    }
}
