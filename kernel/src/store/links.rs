//! Dependency edges: parent → child.

use super::Tx;
use crate::error::{KernelError, Result};
use crate::model::{Links, Status};

impl Tx<'_> {
    /// Adds the edge; `false` if it already existed.
    pub fn insert_link(&self, parent: &str, child: &str) -> Result<bool> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO task_links (parent_id, child_id, parent_finished)
             VALUES (?1, ?2, COALESCE((SELECT status IN ('done', 'archived') FROM tasks WHERE id = ?1), 1))",
        )?;
        Ok(stmt.execute([parent, child])? == 1)
    }

    /// Removes the edge; `false` if there was none.
    pub fn delete_link(&self, parent: &str, child: &str) -> Result<bool> {
        let mut stmt = self
            .tx
            .prepare_cached("DELETE FROM task_links WHERE parent_id = ?1 AND child_id = ?2")?;
        Ok(stmt.execute([parent, child])? == 1)
    }

    /// Each parent of `child` with its status, ordered by parent id.
    pub fn parents_with_status(&self, child: &str) -> Result<Vec<(String, Status)>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT p.id, p.status FROM task_links l JOIN tasks p ON p.id = l.parent_id
             WHERE l.child_id = ?1 ORDER BY p.id",
        )?;
        let rows = stmt.query_map([child], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, status) = row?;
            out.push((id, status.parse::<Status>().map_err(KernelError::Invalid)?));
        }
        Ok(out)
    }

    pub fn children_of(&self, parent: &str) -> Result<Vec<String>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT child_id FROM task_links WHERE parent_id = ?1 ORDER BY child_id",
        )?;
        let rows = stmt.query_map([parent], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn links_of(&self, id: &str) -> Result<Links> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT parent_id FROM task_links WHERE child_id = ?1 ORDER BY parent_id",
        )?;
        let parents = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Links {
            parents,
            children: self.children_of(id)?,
        })
    }

    /// Whether `to` is reachable from `from` by following parent → child edges
    /// (so linking `to` as a parent of `from` would close a cycle).
    pub fn reaches(&self, from: &str, to: &str) -> Result<bool> {
        let mut stmt = self.tx.prepare_cached(
            "WITH RECURSIVE down(id) AS (
                SELECT ?1
                UNION
                SELECT l.child_id FROM task_links l JOIN down d ON l.parent_id = d.id
             )
             SELECT 1 FROM down WHERE id = ?2 LIMIT 1",
        )?;
        Ok(stmt.exists([from, to])?)
    }

    /// Children of `parent` that are waiting in todo and whose parents are now
    /// all finished (done or archived).
    pub fn promotable_children(&self, parent: &str) -> Result<Vec<String>> {
        let mut stmt = self.tx.prepare_cached(
            // CROSS JOIN keeps the parent's few links as the outer loop; left to
            // itself the planner may walk every todo task instead.
            "SELECT c.id FROM task_links l CROSS JOIN tasks c ON c.id = l.child_id
             WHERE l.parent_id = ?1 AND c.status = 'todo'
               AND NOT EXISTS (
                   SELECT 1 FROM task_links l2 WHERE l2.child_id = c.id AND l2.parent_finished = 0)
             ORDER BY c.id",
        )?;
        let rows = stmt.query_map([parent], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
