//! Run rows: one per attempt.

use super::Tx;
use crate::error::Result;
use crate::model::{Outcome, Run, Task};
use rusqlite::{OptionalExtension, Row};
use serde_json::Value;

const RUN_COLS: &str = "id, task_id, profile, step_key, status, claim_lock, claim_expires, \
    worker_pid, worker_started, max_runtime_seconds, last_heartbeat_at, started_at, ended_at, \
    outcome, summary, metadata, error";

fn run_from_row(row: &Row<'_>) -> rusqlite::Result<Run> {
    let outcome: Option<String> = row.get(13)?;
    let metadata: Option<String> = row.get(15)?;
    Ok(Run {
        id: row.get(0)?,
        task_id: row.get(1)?,
        profile: row.get(2)?,
        step_key: row.get(3)?,
        status: row.get(4)?,
        claim_lock: row.get(5)?,
        claim_expires: row.get(6)?,
        worker_pid: row.get(7)?,
        worker_started: row.get(8)?,
        max_runtime_seconds: row.get(9)?,
        last_heartbeat_at: row.get(10)?,
        started_at: row.get(11)?,
        ended_at: row.get(12)?,
        // An outcome this build does not know (an imported database) reads as none
        // rather than failing the whole listing.
        outcome: outcome.and_then(|o| o.parse::<Outcome>().ok()),
        summary: row.get(14)?,
        // Metadata that is not valid JSON is kept as a string, never dropped.
        metadata: metadata.map(|m| serde_json::from_str(&m).unwrap_or(Value::String(m))),
        error: row.get(16)?,
    })
}

/// What an attempt leaves behind when it closes.
#[derive(Debug, Default, Clone)]
pub struct RunClose<'a> {
    pub summary: Option<&'a str>,
    pub error: Option<&'a str>,
    pub metadata: Option<&'a Value>,
}

impl Tx<'_> {
    /// Opens a run for a task that was just claimed.
    pub fn open_run(&self, task: &Task, lock: &str, expires: i64) -> Result<i64> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO task_runs (task_id, profile, step_key, status, claim_lock, claim_expires,
                max_runtime_seconds, started_at)
             VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?6, ?7)",
        )?;
        stmt.execute(rusqlite::params![
            task.id,
            task.assignee,
            task.current_step_key,
            lock,
            expires,
            task.max_runtime_seconds,
            self.now,
        ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Closes run `run_id` if it is still open and clears the task's pointer
    /// to it. Returns whether the run was open.
    pub fn close_run(&self, run_id: i64, outcome: Outcome, close: &RunClose<'_>) -> Result<bool> {
        let metadata = close.metadata.map(|m| m.to_string());
        let mut stmt = self.tx.prepare_cached(
            "UPDATE task_runs SET status = ?2, outcome = ?3, summary = ?4,
                error = ?5, metadata = ?6, ended_at = ?7,
                claim_lock = NULL, claim_expires = NULL, worker_pid = NULL
             WHERE id = ?1 AND ended_at IS NULL",
        )?;
        let closed = stmt.execute(rusqlite::params![
            run_id,
            outcome.run_status(),
            outcome.as_str(),
            close.summary,
            close.error,
            metadata,
            self.now,
        ])? == 1;
        let mut stmt = self
            .tx
            .prepare_cached("UPDATE tasks SET current_run_id = NULL WHERE current_run_id = ?1")?;
        stmt.execute([run_id])?;
        Ok(closed)
    }

    /// Records a zero-duration, already closed run: the handoff of a task that
    /// was finished without ever being claimed.
    pub fn insert_closed_run(
        &self,
        task: &Task,
        outcome: Outcome,
        close: &RunClose<'_>,
    ) -> Result<i64> {
        let metadata = close.metadata.map(|m| m.to_string());
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO task_runs (task_id, profile, step_key, status, max_runtime_seconds,
                started_at, ended_at, outcome, summary, metadata, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10)",
        )?;
        stmt.execute(rusqlite::params![
            task.id,
            task.assignee,
            task.current_step_key,
            outcome.run_status(),
            task.max_runtime_seconds,
            self.now,
            outcome.as_str(),
            close.summary,
            metadata,
            close.error,
        ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Mirrors a claim extension onto the open run.
    pub fn extend_run_claim(&self, run_id: i64, expires: i64) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "UPDATE task_runs SET claim_expires = ?2 WHERE id = ?1 AND ended_at IS NULL",
        )?;
        stmt.execute(rusqlite::params![run_id, expires])?;
        Ok(())
    }

    pub fn run_heartbeat(&self, run_id: i64) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "UPDATE task_runs SET last_heartbeat_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
        )?;
        stmt.execute(rusqlite::params![run_id, self.now])?;
        Ok(())
    }

    pub fn set_run_worker(&self, run_id: i64, pid: i64, started: Option<i64>) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "UPDATE task_runs SET worker_pid = ?2, worker_started = ?3 WHERE id = ?1 AND ended_at IS NULL",
        )?;
        stmt.execute(rusqlite::params![run_id, pid, started])?;
        Ok(())
    }

    pub fn run(&self, id: i64) -> Result<Option<Run>> {
        let mut stmt = self
            .tx
            .prepare_cached(&format!("SELECT {RUN_COLS} FROM task_runs WHERE id = ?1"))?;
        Ok(stmt.query_row([id], run_from_row).optional()?)
    }

    /// All runs of a task, oldest first.
    pub fn runs_of(&self, task_id: &str) -> Result<Vec<Run>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {RUN_COLS} FROM task_runs WHERE task_id = ?1 ORDER BY started_at, id"
        ))?;
        let rows = stmt.query_map([task_id], run_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest completed run of a task, for its handoff.
    pub fn latest_completed_run(&self, task_id: &str) -> Result<Option<Run>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {RUN_COLS} FROM task_runs WHERE task_id = ?1 AND outcome = 'completed'
             ORDER BY ended_at DESC, id DESC LIMIT 1"
        ))?;
        Ok(stmt.query_row([task_id], run_from_row).optional()?)
    }

    /// Completed runs by `profile` on tasks other than `except`, newest first.
    pub fn recent_completed_by(
        &self,
        profile: &str,
        except: &str,
        limit: usize,
    ) -> Result<Vec<(Run, String)>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {cols}, t.title FROM task_runs r JOIN tasks t ON t.id = r.task_id
             WHERE r.profile = ?1 AND r.outcome = 'completed' AND r.task_id != ?2
             ORDER BY r.ended_at DESC, r.id DESC LIMIT ?3",
            cols = RUN_COLS
                .split(", ")
                .map(|c| format!("r.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        let rows = stmt.query_map(rusqlite::params![profile, except, limit as i64], |row| {
            Ok((run_from_row(row)?, row.get::<_, String>(17)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
