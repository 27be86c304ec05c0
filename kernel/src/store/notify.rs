//! Notification subscription rows.

use super::events::{event_from_row, EVENT_COLS};
use super::Tx;
use crate::error::Result;
use crate::event::{Event, EventKind};
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
            "SELECT task_id, platform, chat_id, thread_id, user_id, notifier_profile, created_at, last_event_id,
                    failures, last_error
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
                failures: r.get(8)?,
                last_error: r.get(9)?,
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

    /// Removes exactly this subscription.
    pub fn delete_notify_sub(&self, s: &NotifySub) -> Result<usize> {
        self.delete_notify_subs(
            &s.task_id,
            &s.platform,
            &s.chat_id,
            Some(s.thread_id.as_deref().unwrap_or("")),
        )
    }

    /// Events a subscription has not heard yet, of the given kinds, oldest first.
    pub fn unseen_events(
        &self,
        s: &NotifySub,
        kinds: &[EventKind],
        limit: usize,
    ) -> Result<Vec<Event>> {
        let kinds = serde_json::to_string(kinds).unwrap_or_default();
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {EVENT_COLS} FROM task_events
             WHERE id > ?1 AND (?2 = '*' OR task_id = ?2)
               AND kind IN (SELECT value FROM json_each(?3))
             ORDER BY id LIMIT ?4"
        ))?;
        let rows = stmt.query_map(
            rusqlite::params![s.last_event_id, s.task_id, kinds, limit as i64],
            event_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Moves a subscription's cursor past `event_id` and clears its failures.
    pub fn advance_notify_sub(&self, s: &NotifySub, event_id: i64) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "UPDATE kanban_notify_subs
             SET last_event_id = MAX(last_event_id, ?5), failures = 0, last_error = NULL
             WHERE task_id = ?1 AND platform = ?2 AND chat_id = ?3 AND thread_id = ?4",
        )?;
        stmt.execute(rusqlite::params![
            s.task_id,
            s.platform,
            s.chat_id,
            s.thread_id.as_deref().unwrap_or(""),
            event_id
        ])?;
        Ok(())
    }

    /// Counts a failed delivery; returns the failures in a row (0 if the
    /// subscription is gone).
    pub fn fail_notify_sub(&self, s: &NotifySub, error: &str) -> Result<i64> {
        let mut stmt = self.tx.prepare_cached(
            "UPDATE kanban_notify_subs SET failures = failures + 1, last_error = ?5
             WHERE task_id = ?1 AND platform = ?2 AND chat_id = ?3 AND thread_id = ?4
             RETURNING failures",
        )?;
        let mut rows = stmt.query(rusqlite::params![
            s.task_id,
            s.platform,
            s.chat_id,
            s.thread_id.as_deref().unwrap_or(""),
            error
        ])?;
        Ok(match rows.next()? {
            Some(r) => r.get(0)?,
            None => 0,
        })
    }
}
