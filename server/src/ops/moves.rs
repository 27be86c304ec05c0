//! Changing a task by hand: patching fields or status (a drag-drop),
//! assigning, reassigning, reclaiming and archiving. Whatever takes a task
//! from its worker stops that worker.

use super::{Changed, Ops};
use crate::error::Result;
use kernel::claim::Reclaimed;
use kernel::patch::Patch;
use kernel::Task;

impl Ops {
    /// Every field of `patch` or none (a refused field changes nothing).
    pub fn patch(&self, board: Option<&str>, id: &str, patch: &Patch) -> Result<Changed<Task>> {
        self.change(board, |b| Ok(b.patch(id.trim(), patch)?))
    }

    /// Sets (or with `None` clears) the assignee; refused while a worker holds the task.
    pub fn assign(&self, board: Option<&str>, id: &str, who: Option<&str>) -> Result<Task> {
        self.read(board, |b| Ok(b.assign(id.trim(), who)?))
    }

    /// Gives the task to `who`, taking it back from its worker first if asked.
    pub fn reassign(
        &self,
        board: Option<&str>,
        id: &str,
        who: Option<&str>,
        reclaim_first: bool,
        reason: Option<&str>,
    ) -> Result<Changed<Task>> {
        self.change(board, |b| {
            Ok(b.reassign(id.trim(), who, reclaim_first, reason)?)
        })
    }

    /// Takes a running task back: its run closes as reclaimed, it is ready again.
    pub fn reclaim(
        &self,
        board: Option<&str>,
        id: &str,
        reason: Option<&str>,
    ) -> Result<Changed<Reclaimed>> {
        self.change(board, |b| Ok(b.reclaim(id.trim(), reason)?))
    }

    pub fn archive(&self, board: Option<&str>, id: &str) -> Result<Changed<Task>> {
        self.change(board, |b| Ok(b.archive(id.trim())?))
    }
}
