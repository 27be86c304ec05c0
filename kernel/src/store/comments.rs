//! Comment rows.

use super::Tx;
use crate::error::Result;
use crate::model::Comment;

impl Tx<'_> {
    pub fn insert_comment(&self, task_id: &str, author: &str, body: &str) -> Result<i64> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO task_comments (task_id, author, body, created_at) VALUES (?1, ?2, ?3, ?4)",
        )?;
        stmt.execute(rusqlite::params![task_id, author, body, self.now])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// A task's comments, oldest first.
    pub fn comments_of(&self, task_id: &str) -> Result<Vec<Comment>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, task_id, author, body, created_at FROM task_comments
             WHERE task_id = ?1 ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([task_id], |r| {
            Ok(Comment {
                id: r.get(0)?,
                task_id: r.get(1)?,
                author: r.get(2)?,
                body: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
