//! Importing a board from the reference system (Hermes). Tasks keep their
//! ids; a task that already exists here is skipped with its history, so
//! importing the same file twice imports nothing twice.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::model::Status;
use crate::store::import::{read_table, SourceRow};
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::Path;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub tasks_imported: usize,
    /// Tasks whose id already exists on this board (an earlier import).
    pub tasks_skipped: usize,
    pub links: usize,
    pub comments: usize,
    pub events: usize,
    pub runs: usize,
    /// Source statuses Baton does not have, and how many tasks were mapped.
    pub statuses_mapped: BTreeMap<String, usize>,
    /// Runs that were still open in the source, closed as reclaimed here.
    pub open_runs_closed: usize,
}

/// Baton's status for a source status: `scheduled` waits for a person like a
/// block; `review` is claimable work; `running` has no worker here.
pub fn map_status(s: &str) -> Option<Status> {
    match s.trim().to_ascii_lowercase().as_str() {
        "scheduled" => Some(Status::Blocked),
        "review" | "running" => Some(Status::Ready),
        other => other.parse().ok(),
    }
}

impl Board {
    pub fn import_hermes(&mut self, path: &Path) -> Result<ImportReport> {
        if !path.is_file() {
            return Err(KernelError::NotFound(format!(
                "no database at {}",
                path.display()
            )));
        }
        let src = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        src.busy_timeout(self.options().busy_timeout)?;
        let not_hermes = |e: rusqlite::Error| {
            KernelError::Invalid(format!(
                "{} is not a Hermes kanban database: {e}",
                path.display()
            ))
        };
        // One read transaction: a source that another program is writing is
        // read as one consistent snapshot, not table by table.
        let src = src.unchecked_transaction().map_err(not_hermes)?;
        let tasks = read_table(&src, "tasks").map_err(not_hermes)?;
        if tasks.is_empty()
            && !crate::store::import::has_table(&src, "tasks").map_err(not_hermes)?
        {
            return Err(KernelError::Invalid(format!(
                "{} has no tasks table",
                path.display()
            )));
        }
        let links = read_table(&src, "task_links").map_err(not_hermes)?;
        let comments = read_table(&src, "task_comments").map_err(not_hermes)?;
        let events = read_table(&src, "task_events").map_err(not_hermes)?;
        let runs = read_table(&src, "task_runs").map_err(not_hermes)?;
        drop(src);
        let report =
            self.write(|tx| tx.import_rows(&tasks, &links, &comments, &events, &runs, map_status))?;
        // Tasks that waited on parents finished in the source become ready now;
        // a failure limit of 0 leaves every blocked task blocked.
        self.recompute_ready(0)?;
        Ok(report)
    }
}

/// The id column of a source row, as text.
pub(crate) fn text(row: &SourceRow, col: &str) -> Option<String> {
    match row.get(col)? {
        rusqlite::types::Value::Text(s) => Some(s.clone()),
        rusqlite::types::Value::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}
