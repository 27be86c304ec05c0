//! Notification subscription rows.

use super::Tx;
use crate::error::Result;
use crate::model::NotifySub;

impl Tx<'_> {
    pub fn insert_notify_sub(&self, s: &NotifySub, cursor: i64) -> Result<bool> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO kanban_notify_subs
                (task_id, platform, chat_id, thread_id, user_id, notifier_profile, created_at, last_event_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        Ok(stmt.execute(rusqlite::params![
            s.task_id,
            s.platform.trim(),
            s.chat_id.trim(),
            s.thread_id.as_deref().map(str::trim).unwrap_or(""),
            s.user_id,
            s.notifier_profile,
            self.now,
            cursor,
        ])? == 1)
    }

    pub fn notify_subs(&self, task: Option<&str>) -> Result<Vec<NotifySub>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT task_id, platform, chat_id, thread_id, user_id, notifier_profile, created_at, last_event_id
             FROM kanban_notify_subs WHERE ?1 IS NULL OR task_id = ?1
             ORDER BY created_at, task_id, platform, chat_id, thread_id",
        )?;
        let rows = stmt.query_map([task], |r| {
            let thread: String = r.get(3)?;
            Ok(NotifySub {
                task_id: r.get(0)?,
                platform: r.get(1)?,
                chat_id: r.get(2)?,
                thread_id: (!thread.is_empty()).then_some(thread),
                user_id: r.get(4)?,
                notifier_profile: r.get(5)?,
                created_at: r.get(6)?,
                last_event_id: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn delete_notify_subs(
        &self,
        task: &str,
        platform: &str,
        chat_id: &str,
        thread: Option<&str>,
    ) -> Result<usize> {
        let mut stmt = self.tx.prepare_cached(
            "DELETE FROM kanban_notify_subs WHERE task_id = ?1 AND platform = ?2 AND chat_id = ?3
               AND (?4 IS NULL OR thread_id = ?4)",
        )?;
        Ok(stmt.execute(rusqlite::params![
            task,
            platform.trim(),
            chat_id.trim(),
            thread.map(str::trim)
        ])?)
    }
}
