//! Task rows: reading, inserting, and compare-and-set updates.

use super::{placeholders, Tx};
use crate::error::{KernelError, Result};
use crate::model::{Status, Task, WorkspaceKind};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension, Row};

pub(super) const TASK_COLS: &str = "id, title, body, assignee, status, COALESCE(priority, 0), \
    created_by, created_at, started_at, completed_at, workspace_kind, workspace_path, branch_name, \
    claim_lock, claim_expires, tenant, result, idempotency_key, COALESCE(consecutive_failures, 0), \
    worker_pid, worker_started, last_failure_error, max_runtime_seconds, last_heartbeat_at, \
    current_run_id, workflow_template_id, current_step_key, skills, max_retries, session_id";

fn bad_column(idx: usize, msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, msg.into())
}

pub(super) fn task_from_row(row: &Row<'_>) -> rusqlite::Result<Task> {
    // Borrowed reads for the columns that are parsed, not stored: listings
    // decode thousands of rows and every avoided allocation shows.
    let status = row.get_ref(4)?.as_str()?;
    let kind = row.get_ref(10)?.as_str_or_null()?;
    let skills = row.get_ref(27)?.as_str_or_null()?;
    Ok(Task {
        id: row.get(0)?,
        title: row.get(1)?,
        body: row.get(2)?,
        assignee: row.get(3)?,
        status: status.parse::<Status>().map_err(|e| bad_column(4, e))?,
        priority: row.get(5)?,
        created_by: row.get(6)?,
        created_at: row.get(7)?,
        started_at: row.get(8)?,
        completed_at: row.get(9)?,
        workspace_kind: match kind {
            Some(k) => k.parse::<WorkspaceKind>().map_err(|e| bad_column(10, e))?,
            None => WorkspaceKind::Scratch,
        },
        workspace_path: row.get(11)?,
        branch_name: row.get(12)?,
        claim_lock: row.get(13)?,
        claim_expires: row.get(14)?,
        tenant: row.get(15)?,
        result: row.get(16)?,
        idempotency_key: row.get(17)?,
        consecutive_failures: row.get(18)?,
        worker_pid: row.get(19)?,
        worker_started: row.get(20)?,
        last_failure_error: row.get(21)?,
        max_runtime_seconds: row.get(22)?,
        last_heartbeat_at: row.get(23)?,
        current_run_id: row.get(24)?,
        workflow_template_id: row.get(25)?,
        current_step_key: row.get(26)?,
        skills: match skills {
            Some(json) => {
                Some(serde_json::from_str(json).map_err(|e| bad_column(27, e.to_string()))?)
            }
            None => None,
        },
        max_retries: row.get(28)?,
        session_id: row.get(29)?,
    })
}

/// A partial update of one task row, applied only if the row still matches
/// the expected state (compare-and-set). Build it, then [`Tx::update_task`].
#[derive(Default)]
pub struct TaskUpdate {
    sets: Vec<(&'static str, Value)>,
    when_status: Vec<Status>,
    when_run: Option<Option<i64>>,
    when_lock: Option<Option<String>>,
}

fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map(Into::into).unwrap_or(Value::Null)
}

impl TaskUpdate {
    pub fn new() -> Self {
        Self::default()
    }
    fn set(mut self, col: &'static str, v: Value) -> Self {
        self.sets.push((col, v));
        self
    }
    pub fn status(self, s: Status) -> Self {
        self.set("status", Value::Text(s.as_str().into()))
    }
    pub fn title(self, t: &str) -> Self {
        self.set("title", Value::Text(t.into()))
    }
    pub fn body(self, b: Option<&str>) -> Self {
        self.set("body", opt(b.map(str::to_string)))
    }
    pub fn assignee(self, a: Option<&str>) -> Self {
        self.set("assignee", opt(a.map(str::to_string)))
    }
    pub fn priority(self, p: i64) -> Self {
        self.set("priority", Value::Integer(p))
    }
    pub fn result(self, r: Option<&str>) -> Self {
        self.set("result", opt(r.map(str::to_string)))
    }
    pub fn completed_at(self, t: Option<i64>) -> Self {
        self.set("completed_at", opt(t))
    }
    pub fn claim(self, lock: &str, expires: i64) -> Self {
        self.set("claim_lock", Value::Text(lock.into()))
            .set("claim_expires", Value::Integer(expires))
    }
    pub fn claim_expires(self, expires: i64) -> Self {
        self.set("claim_expires", Value::Integer(expires))
    }
    /// Forget the claim and the worker process.
    pub fn clear_claim(self) -> Self {
        self.set("claim_lock", Value::Null)
            .set("claim_expires", Value::Null)
            .set("worker_pid", Value::Null)
            .set("worker_started", Value::Null)
    }
    pub fn worker(self, pid: i64, started: Option<i64>) -> Self {
        self.set("worker_pid", Value::Integer(pid))
            .set("worker_started", opt(started))
    }
    pub fn started_at(self, t: i64) -> Self {
        self.set("started_at", Value::Integer(t))
    }
    pub fn current_run(self, run: Option<i64>) -> Self {
        self.set("current_run_id", opt(run))
    }
    pub fn heartbeat_at(self, t: Option<i64>) -> Self {
        self.set("last_heartbeat_at", opt(t))
    }
    pub fn failures(self, n: i64, last_error: Option<&str>) -> Self {
        self.set("consecutive_failures", Value::Integer(n))
            .set("last_failure_error", opt(last_error.map(str::to_string)))
    }
    pub fn workspace_path(self, p: Option<&str>) -> Self {
        self.set("workspace_path", opt(p.map(str::to_string)))
    }
    /// Only apply while the task is in one of these statuses.
    pub fn when_status(mut self, statuses: &[Status]) -> Self {
        self.when_status = statuses.to_vec();
        self
    }
    /// Only apply while this run (or no run, for `None`) is the current one.
    pub fn when_run(mut self, run: Option<i64>) -> Self {
        self.when_run = Some(run);
        self
    }
    /// Only apply while the claim lock is exactly this.
    pub fn when_lock(mut self, lock: Option<&str>) -> Self {
        self.when_lock = Some(lock.map(str::to_string));
        self
    }
}

impl Tx<'_> {
    pub fn task(&self, id: &str) -> Result<Option<Task>> {
        let mut stmt = self
            .tx
            .prepare_cached(&format!("SELECT {TASK_COLS} FROM tasks WHERE id = ?1"))?;
        Ok(stmt.query_row([id], task_from_row).optional()?)
    }

    pub fn require_task(&self, id: &str) -> Result<Task> {
        self.task(id)?
            .ok_or_else(|| KernelError::task_not_found(id))
    }

    pub fn status_of(&self, id: &str) -> Result<Option<Status>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT status FROM tasks WHERE id = ?1")?;
        let s: Option<String> = stmt.query_row([id], |r| r.get(0)).optional()?;
        s.map(|s| s.parse::<Status>().map_err(KernelError::Invalid))
            .transpose()
    }

    /// The ids among `ids` that name no task, in the order given.
    pub fn missing_ids(&self, ids: &[String]) -> Result<Vec<String>> {
        let mut missing = Vec::new();
        let mut stmt = self
            .tx
            .prepare_cached("SELECT 1 FROM tasks WHERE id = ?1")?;
        for id in ids {
            if !stmt.exists([id])? {
                missing.push(id.clone());
            }
        }
        Ok(missing)
    }

    pub fn id_taken(&self, id: &str) -> Result<bool> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT 1 FROM tasks WHERE id = ?1")?;
        Ok(stmt.exists([id])?)
    }

    /// The newest non-archived task created with this idempotency key.
    pub fn task_by_idempotency_key(&self, key: &str) -> Result<Option<String>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id FROM tasks WHERE idempotency_key = ?1 AND status != 'archived'
             ORDER BY created_at DESC, rowid DESC LIMIT 1",
        )?;
        Ok(stmt.query_row([key], |r| r.get(0)).optional()?)
    }

    pub fn insert_task(&self, t: &Task) -> Result<()> {
        let skills = t
            .skills
            .as_ref()
            .map(|s| serde_json::to_string(s).expect("a list of strings always serialises"));
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO tasks (id, title, body, assignee, status, priority, created_by, created_at,
                workspace_kind, workspace_path, branch_name, tenant, idempotency_key,
                max_runtime_seconds, workflow_template_id, current_step_key, skills, max_retries,
                session_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        )?;
        stmt.execute(rusqlite::params![
            t.id,
            t.title,
            t.body,
            t.assignee,
            t.status.as_str(),
            t.priority,
            t.created_by,
            t.created_at,
            t.workspace_kind.as_str(),
            t.workspace_path,
            t.branch_name,
            t.tenant,
            t.idempotency_key,
            t.max_runtime_seconds,
            t.workflow_template_id,
            t.current_step_key,
            skills,
            t.max_retries,
            t.session_id,
        ])?;
        Ok(())
    }

    /// Applies `update` to task `id` if it still matches the update's
    /// conditions. Returns whether a row changed: `false` means another writer
    /// got there first (or the state never matched).
    pub fn update_task(&self, id: &str, update: TaskUpdate) -> Result<bool> {
        if update.sets.is_empty() {
            return Ok(false);
        }
        let mut sql = String::from("UPDATE tasks SET ");
        let mut params: Vec<Value> = Vec::with_capacity(update.sets.len() + 4);
        for (i, (col, v)) in update.sets.into_iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(col);
            sql.push_str(" = ?");
            params.push(v);
        }
        sql.push_str(" WHERE id = ?");
        params.push(Value::Text(id.to_string()));
        if !update.when_status.is_empty() {
            sql.push_str(&format!(
                " AND status IN ({})",
                placeholders(update.when_status.len())
            ));
            params.extend(
                update
                    .when_status
                    .iter()
                    .map(|s| Value::Text(s.as_str().into())),
            );
        }
        match update.when_run {
            Some(Some(run)) => {
                sql.push_str(" AND current_run_id = ?");
                params.push(Value::Integer(run));
            }
            Some(None) => sql.push_str(" AND current_run_id IS NULL"),
            None => {}
        }
        match update.when_lock {
            Some(Some(lock)) => {
                sql.push_str(" AND claim_lock = ?");
                params.push(Value::Text(lock));
            }
            Some(None) => sql.push_str(" AND claim_lock IS NULL"),
            None => {}
        }
        let mut stmt = self.tx.prepare_cached(&sql)?;
        Ok(stmt.execute(params_from_iter(params))? == 1)
    }

    /// Sets a task's failure counter and last error without conditions.
    pub fn set_failures(&self, id: &str, failures: i64, last_error: Option<&str>) -> Result<()> {
        self.update_task(id, TaskUpdate::new().failures(failures, last_error))?;
        Ok(())
    }
}
