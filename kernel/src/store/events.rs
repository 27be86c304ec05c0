//! The append-only event log.

use super::Tx;
use crate::error::Result;
use crate::event::{Event, EventKind, Payload};
use crate::model::Status;
use rusqlite::Row;
use serde_json::Value;

pub(super) const EVENT_COLS: &str = "id, task_id, run_id, kind, payload, created_at";

pub(super) fn event_from_row(row: &Row<'_>) -> rusqlite::Result<Event> {
    let payload: Option<String> = row.get(4)?;
    let kind = EventKind::from_name(&row.get::<_, String>(3)?);
    let payload = payload.map(|p| serde_json::from_str(&p).unwrap_or(Value::String(p)));
    Ok(Event {
        id: row.get(0)?,
        task_id: row.get(1)?,
        run_id: row.get(2)?,
        payload: Payload::read(&kind, payload),
        kind,
        created_at: row.get(5)?,
    })
}

impl Tx<'_> {
    /// Appends an event in this transaction, so it commits (or not) with the
    /// change it describes. The payload decides the kind; an empty payload is
    /// stored as NULL.
    pub fn event(&mut self, task_id: &str, run_id: Option<i64>, payload: Payload) -> Result<i64> {
        let kind = payload.kind();
        let payload = payload.to_value().map(|p| p.to_string());
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO task_events (task_id, run_id, kind, payload, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        stmt.execute(rusqlite::params![
            task_id,
            run_id,
            kind.as_str(),
            payload,
            self.now
        ])?;
        let id = self.tx.last_insert_rowid();
        self.last_event_id = Some(id);
        Ok(id)
    }

    /// A task's events, oldest first.
    pub fn events_of(&self, task_id: &str) -> Result<Vec<Event>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {EVENT_COLS} FROM task_events WHERE task_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([task_id], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Up to `limit` events after cursor `after`, in id order.
    pub fn events_after(&self, after: i64, limit: usize) -> Result<Vec<Event>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {EVENT_COLS} FROM task_events WHERE id > ?1 ORDER BY id LIMIT ?2"
        ))?;
        let rows = stmt.query_map(rusqlite::params![after, limit as i64], event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn latest_event_id(&self) -> Result<i64> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM task_events")?;
        Ok(stmt.query_row([], |r| r.get(0))?)
    }

    /// Deletes events at or before `before` that belong to done or archived tasks.
    pub fn delete_old_events(&self, before: i64) -> Result<usize> {
        let mut stmt = self.tx.prepare_cached(
            "DELETE FROM task_events WHERE created_at <= ?1
               AND task_id IN (SELECT id FROM tasks WHERE status IN ('done', 'archived'))",
        )?;
        Ok(stmt.execute([before])?)
    }

    /// Whether a person moved the task to ready by hand despite unfinished
    /// parents, with no new dependency added since.
    pub fn forced_ready(&self, task_id: &str) -> Result<bool> {
        Ok(
            match self.newest_of(
                task_id,
                &[EventKind::Status, EventKind::Linked, EventKind::Promoted],
            )? {
                Some(e) => matches!(
                    e.payload,
                    Payload::Status(p) if p.forced == Some(true) && p.status == Status::Ready
                ),
                None => false,
            },
        )
    }

    /// Whether the newest of a task's `blocked` / `unblocked` events is a
    /// `blocked`: a block someone asked for, which promotion must not undo.
    pub fn block_is_sticky(&self, task_id: &str) -> Result<bool> {
        Ok(self
            .newest_of(task_id, &[EventKind::Blocked, EventKind::Unblocked])?
            .is_some_and(|e| e.kind == EventKind::Blocked))
    }

    /// The newest of a task's events whose kind is one of `kinds`.
    fn newest_of(&self, task_id: &str, kinds: &[EventKind]) -> Result<Option<Event>> {
        let names: Vec<&str> = kinds.iter().map(EventKind::as_str).collect();
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {EVENT_COLS} FROM task_events WHERE task_id = ?1 AND kind IN ({})
             ORDER BY id DESC LIMIT 1",
            super::placeholders(names.len())
        ))?;
        let params = std::iter::once(task_id).chain(names.iter().copied());
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        Ok(match rows.next()? {
            Some(row) => Some(event_from_row(row)?),
            None => None,
        })
    }
}
