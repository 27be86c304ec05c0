//! Per-task aggregates for board cards, computed for the whole board at once.

use super::Tx;
use crate::error::Result;
use crate::model::{LinkCounts, Progress};
use rusqlite::OptionalExtension;
use std::collections::HashMap;

impl Tx<'_> {
    /// Per task: parent and child counts, and progress over its children.
    pub fn link_counts(&self) -> Result<HashMap<String, (LinkCounts, Option<Progress>)>> {
        let mut out: HashMap<String, (LinkCounts, Option<Progress>)> = HashMap::new();
        let mut stmt = self.tx.prepare_cached(
            "SELECT l.parent_id, COUNT(*), SUM(c.status = 'done')
             FROM task_links l JOIN tasks c ON c.id = l.child_id GROUP BY l.parent_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (id, total, done) = row?;
            let e = out.entry(id).or_default();
            e.0.children = total;
            e.1 = Some(Progress { done, total });
        }
        let mut stmt = self
            .tx
            .prepare_cached("SELECT child_id, COUNT(*) FROM task_links GROUP BY child_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (id, n) = row?;
            out.entry(id).or_default().0.parents = n;
        }
        Ok(out)
    }

    pub fn link_counts_of(&self, id: &str) -> Result<(LinkCounts, Option<Progress>)> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT COUNT(*), COALESCE(SUM(c.status = 'done'), 0)
             FROM task_links l JOIN tasks c ON c.id = l.child_id WHERE l.parent_id = ?1",
        )?;
        let (total, done): (i64, i64) = stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut stmt = self
            .tx
            .prepare_cached("SELECT COUNT(*) FROM task_links WHERE child_id = ?1")?;
        let parents: i64 = stmt.query_row([id], |r| r.get(0))?;
        Ok((
            LinkCounts {
                parents,
                children: total,
            },
            (total > 0).then_some(Progress { done, total }),
        ))
    }

    pub fn comment_counts(&self) -> Result<HashMap<String, i64>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT task_id, COUNT(*) FROM task_comments GROUP BY task_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest non-empty run summary of every task that has one.
    pub fn latest_summaries(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT task_id, summary FROM task_runs WHERE summary IS NOT NULL AND summary != ''
             ORDER BY task_id, COALESCE(ended_at, started_at), id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        // Later rows overwrite earlier ones: the newest wins.
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn latest_summary(&self, id: &str) -> Result<Option<String>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT summary FROM task_runs WHERE task_id = ?1 AND summary IS NOT NULL AND summary != ''
             ORDER BY COALESCE(ended_at, started_at) DESC, id DESC LIMIT 1",
        )?;
        Ok(stmt.query_row([id], |r| r.get(0)).optional()?)
    }

    /// Distinct assignees of tasks that are not archived, sorted.
    pub fn active_assignees(&self) -> Result<Vec<String>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT DISTINCT assignee FROM tasks WHERE assignee IS NOT NULL AND status != 'archived' ORDER BY assignee",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
