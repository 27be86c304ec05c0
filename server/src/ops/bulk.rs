//! One change to many tasks, each on its own (the bulk bar, `POST
//! /tasks/bulk`, undo): a refusal is reported for its id and undoes nothing.

use super::{Changed, Ops};
use crate::error::Result;
use kernel::bulk::BulkChange;
use kernel::BulkItem;

impl Ops {
    /// Applies `change` to each of `ids` (at most [`kernel::bulk::BULK_MAX`]).
    pub fn bulk(
        &self,
        board: Option<&str>,
        ids: &[String],
        change: &BulkChange,
    ) -> Result<Changed<Vec<BulkItem>>> {
        let ids = kernel::bulk::bulk_ids(ids)?;
        self.change(board, |b| Ok(b.bulk(&ids, change)))
    }

    /// Applies each id's own change, in order (an undo puts each card back as
    /// it was).
    pub fn bulk_each(
        &self,
        board: Option<&str>,
        changes: &[(String, BulkChange)],
    ) -> Result<Changed<Vec<BulkItem>>> {
        let ids: Vec<String> = changes.iter().map(|(id, _)| id.clone()).collect();
        kernel::bulk::bulk_ids(&ids)?;
        self.change(board, |b| {
            Ok(changes
                .iter()
                .flat_map(|(id, c)| b.bulk(std::slice::from_ref(id), c))
                .collect())
        })
    }
}
