//! One change applied to many tasks at once (the dashboard's bulk bar, `POST
//! /tasks/bulk`). Each task is changed in its own transaction: a refusal is
//! reported for its id and does not undo the others.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::model::BulkItem;
use crate::patch::Patch;

/// Most ids one bulk change may name.
pub const BULK_MAX: usize = 1000;

#[derive(Debug, Clone, Default)]
pub struct BulkChange {
    /// `Some(None)` unassigns. Applied before `patch`.
    pub assignee: Option<Option<String>>,
    /// With `assignee`: take running tasks back from their workers first.
    pub reclaim_first: bool,
    pub patch: Patch,
}

/// The ids of a bulk request, trimmed, blanks dropped, within [`BULK_MAX`].
pub fn bulk_ids(ids: &[String]) -> Result<Vec<String>> {
    let ids: Vec<String> = ids
        .iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect();
    if ids.is_empty() {
        return Err(KernelError::Invalid("ids is required".into()));
    }
    if ids.len() > BULK_MAX {
        return Err(KernelError::Invalid(format!(
            "at most {BULK_MAX} ids per request, got {}",
            ids.len()
        )));
    }
    Ok(ids)
}

impl Board {
    /// Applies `change` to every id in turn; one result per id, in order.
    pub fn bulk(&mut self, ids: &[String], change: &BulkChange) -> Vec<BulkItem> {
        ids.iter()
            .map(|id| {
                let r = self.bulk_one(id, change);
                BulkItem {
                    id: id.clone(),
                    ok: r.is_ok(),
                    error: r.err().map(|e| e.to_string()),
                }
            })
            .collect()
    }

    fn bulk_one(&mut self, id: &str, change: &BulkChange) -> Result<()> {
        if let Some(a) = &change.assignee {
            let a = a.as_deref().filter(|a| !a.trim().is_empty());
            if change.reclaim_first {
                self.reassign(id, a, true, Some("bulk reassign"))?;
            } else {
                self.assign(id, a)?;
            }
        }
        self.patch(id, &change.patch)?;
        Ok(())
    }
}
