//! Editing what a task says (title, body) and how urgent it is.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::{EditedPayload, Payload, PriorityPayload};
use crate::model::Task;
use crate::store::{TaskUpdate, Tx};
use crate::validate;

/// Fields to change; `None` leaves a field as it is. `body: Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct Edit {
    pub title: Option<String>,
    pub body: Option<Option<String>>,
    pub priority: Option<i64>,
}

impl Board {
    /// Applies every given field in one transaction after validating them all,
    /// so a refused field changes nothing.
    pub fn edit(&mut self, id: &str, edit: &Edit) -> Result<Task> {
        let title = edit.title.as_deref().map(validate::title).transpose()?;
        let body = match &edit.body {
            Some(b) => Some(validate::text("body", b.as_deref())?),
            None => None,
        };
        let checked = Edit {
            title,
            body,
            priority: edit.priority,
        };
        self.write(|tx| edit_in(tx, id, &checked))
    }
}

/// Editing inside the caller's transaction; `edit` is validated.
pub(crate) fn edit_in(tx: &mut Tx<'_>, id: &str, edit: &Edit) -> Result<Task> {
    let (title, body) = (&edit.title, &edit.body);
    let task = tx.require_task(id)?;
    let mut changed = Vec::new();
    let mut update = TaskUpdate::new();
    if let Some(t) = &title {
        if *t != task.title {
            update = update.title(t);
            changed.push("title");
        }
    }
    if let Some(b) = &body {
        if *b != task.body {
            update = update.body(b.as_deref());
            changed.push("body");
        }
    }
    let reprioritized = edit.priority.filter(|p| *p != task.priority);
    if let Some(p) = reprioritized {
        update = update.priority(p);
    }
    if changed.is_empty() && reprioritized.is_none() {
        return Ok(task);
    }
    if !tx.update_task(id, update.when_status(&[task.status]))? {
        return Err(KernelError::Conflict(format!(
            "cannot edit {id}: it changed meanwhile"
        )));
    }
    if !changed.is_empty() {
        tx.event(
            id,
            None,
            Payload::Edited(EditedPayload {
                fields: changed.iter().map(|f| f.to_string()).collect(),
            }),
        )?;
    }
    if let Some(p) = reprioritized {
        tx.event(
            id,
            None,
            Payload::Reprioritized(PriorityPayload { priority: p }),
        )?;
    }
    tx.require_task(id)
}
