//! Changing several things about a task at once (the dashboard's edit and
//! drag-drop): every field is checked first, then all are applied in one
//! transaction in the order assignee → status → priority → title/body, so a
//! refused field changes nothing.

use crate::assign::assign_in;
use crate::block::block_in;
use crate::board::Board;
use crate::complete::{complete_in, Completion};
use crate::edit::{edit_in, Edit};
use crate::error::Result;
use crate::model::{Status, Task};
use crate::moves::{move_in, running_refused};
use crate::validate;
use serde_json::Value;

/// What to change; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct Patch {
    /// `Some(None)` unassigns.
    pub assignee: Option<Option<String>>,
    pub status: Option<Status>,
    pub priority: Option<i64>,
    pub title: Option<String>,
    /// `Some(None)` clears the body.
    pub body: Option<Option<String>>,
    /// Handoff when moving to done.
    pub result: Option<String>,
    pub summary: Option<String>,
    pub metadata: Option<Value>,
    /// Reason when moving to blocked.
    pub block_reason: Option<String>,
}

impl Board {
    pub fn patch(&mut self, id: &str, p: &Patch) -> Result<Task> {
        let assignee = match &p.assignee {
            Some(a) => Some(validate::assignee(a.as_deref())?),
            None => None,
        };
        let edit = Edit {
            title: p.title.as_deref().map(validate::title).transpose()?,
            body: match &p.body {
                Some(b) => Some(validate::text("body", b.as_deref())?),
                None => None,
            },
            priority: p.priority,
        };
        let completion = Completion {
            result: validate::optional_text("result", p.result.as_deref())?,
            summary: validate::optional_text("summary", p.summary.as_deref())?,
            metadata: validate::metadata(p.metadata.as_ref())?,
            ..Default::default()
        };
        let reason = validate::optional_text("block_reason", p.block_reason.as_deref())?;
        if p.status == Some(Status::Running) {
            return Err(running_refused());
        }
        self.write(|tx| {
            let mut task = tx.require_task(id)?;
            if let Some(a) = assignee {
                task = assign_in(tx, &task, a)?;
            }
            if let Some(s) = p.status {
                task = match s {
                    Status::Done => complete_in(tx, id, &completion)?,
                    Status::Blocked => block_in(tx, id, reason.as_deref(), None)?,
                    other => move_in(tx, id, other)?,
                };
            }
            if edit.title.is_some() || edit.body.is_some() || edit.priority.is_some() {
                task = edit_in(tx, id, &edit)?;
            }
            Ok(task)
        })
    }
}
