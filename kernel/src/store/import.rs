//! Reading another system's tables and writing them into this board.

use super::Tx;
use crate::error::Result;
use crate::import::{text, ImportReport};
use crate::model::{Outcome, Status};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};

pub type SourceRow = HashMap<String, Value>;

pub fn has_table(conn: &Connection, table: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |_| Ok(()),
    )
    .optional()
    .map(|o| o.is_some())
}

/// Every row of `table` as column → value; an absent table reads as empty.
/// Columns this build does not know are read and then ignored.
pub fn read_table(conn: &Connection, table: &str) -> rusqlite::Result<Vec<SourceRow>> {
    if !has_table(conn, table)? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table}"))?;
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let rows = stmt.query_map([], |r| {
        let mut row = SourceRow::new();
        for (i, n) in names.iter().enumerate() {
            row.insert(n.clone(), r.get::<_, Value>(i)?);
        }
        Ok(row)
    })?;
    rows.collect()
}

fn int(row: &SourceRow, col: &str) -> Option<i64> {
    match row.get(col)? {
        Value::Integer(i) => Some(*i),
        Value::Real(f) => Some(*f as i64),
        Value::Text(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn val(row: &SourceRow, col: &str) -> Value {
    row.get(col).cloned().unwrap_or(Value::Null)
}

const TASK_TEXT_COLS: &[&str] = &[
    "title",
    "body",
    "assignee",
    "created_by",
    "workspace_kind",
    "workspace_path",
    "branch_name",
    "tenant",
    "result",
    "idempotency_key",
    "last_failure_error",
    "workflow_template_id",
    "current_step_key",
    "skills",
    "session_id",
];
const TASK_INT_COLS: &[&str] = &[
    "priority",
    "created_at",
    "started_at",
    "completed_at",
    "consecutive_failures",
    "max_runtime_seconds",
    "last_heartbeat_at",
    "max_retries",
];

impl Tx<'_> {
    pub(crate) fn import_rows(
        &mut self,
        tasks: &[SourceRow],
        links: &[SourceRow],
        comments: &[SourceRow],
        events: &[SourceRow],
        runs: &[SourceRow],
        map_status: fn(&str) -> Option<Status>,
    ) -> Result<ImportReport> {
        let mut report = ImportReport::default();
        let mut imported: HashSet<String> = HashSet::new();
        for t in tasks {
            let Some(id) = text(t, "id") else { continue };
            if self.id_taken(&id)? {
                report.tasks_skipped += 1;
                continue;
            }
            let raw_status = text(t, "status").unwrap_or_else(|| "todo".into());
            let status = map_status(&raw_status).unwrap_or(Status::Todo);
            if status.as_str() != raw_status {
                *report.statuses_mapped.entry(raw_status).or_default() += 1;
            }
            let mut cols = vec!["id".to_string(), "status".to_string()];
            let mut vals = vec![Value::Text(id.clone()), Value::Text(status.as_str().into())];
            for c in TASK_TEXT_COLS.iter().chain(TASK_INT_COLS) {
                if let Some(v) = t.get(*c).filter(|v| !matches!(v, Value::Null)) {
                    cols.push(c.to_string());
                    vals.push(v.clone());
                }
            }
            if !cols.iter().any(|c| c == "created_at") {
                cols.push("created_at".into());
                vals.push(Value::Integer(self.now));
            }
            let sql = format!(
                "INSERT INTO tasks ({}) VALUES ({})",
                cols.join(", "),
                super::placeholders(cols.len())
            );
            self.tx.execute(&sql, rusqlite::params_from_iter(vals))?;
            imported.insert(id);
            report.tasks_imported += 1;
        }

        let mut run_ids: HashMap<i64, i64> = HashMap::new();
        for r in runs {
            let Some(task) = text(r, "task_id").filter(|t| imported.contains(t)) else {
                continue;
            };
            let started = int(r, "started_at").unwrap_or(self.now);
            let (mut ended, mut outcome, mut status, mut error) = (
                int(r, "ended_at"),
                text(r, "outcome"),
                text(r, "status"),
                val(r, "error"),
            );
            if ended.is_none() {
                // The source's worker is not ours: the attempt is over here.
                ended = Some(self.now.max(started));
                outcome = Some(Outcome::Reclaimed.as_str().into());
                status = Some(Outcome::Reclaimed.run_status().into());
                error = Value::Text(
                    "imported while running; the worker stayed with the old system".into(),
                );
                report.open_runs_closed += 1;
            }
            self.tx.execute(
                "INSERT INTO task_runs (task_id, profile, step_key, status, max_runtime_seconds,
                    last_heartbeat_at, started_at, ended_at, outcome, summary, metadata, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                rusqlite::params![
                    task,
                    val(r, "profile"),
                    val(r, "step_key"),
                    status
                        .or_else(|| outcome.clone())
                        .unwrap_or_else(|| Outcome::Reclaimed.run_status().into()),
                    val(r, "max_runtime_seconds"),
                    val(r, "last_heartbeat_at"),
                    started,
                    ended,
                    outcome.unwrap_or_else(|| Outcome::Reclaimed.run_status().into()),
                    val(r, "summary"),
                    val(r, "metadata"),
                    error,
                ],
            )?;
            if let Some(old) = int(r, "id") {
                run_ids.insert(old, self.tx.last_insert_rowid());
            }
            report.runs += 1;
        }

        for l in links {
            let (Some(p), Some(c)) = (text(l, "parent_id"), text(l, "child_id")) else {
                continue;
            };
            if (imported.contains(&p) || imported.contains(&c))
                && self.id_taken(&p)?
                && self.id_taken(&c)?
            {
                report.links += usize::from(self.insert_link(&p, &c)?);
            }
        }
        for c in comments {
            let Some(task) = text(c, "task_id").filter(|t| imported.contains(t)) else {
                continue;
            };
            self.tx.execute(
                "INSERT INTO task_comments (task_id, author, body, created_at) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![
                    task,
                    text(c, "author").unwrap_or_else(|| "unknown".into()),
                    text(c, "body").unwrap_or_default(),
                    int(c, "created_at").unwrap_or(self.now),
                ],
            )?;
            report.comments += 1;
        }
        let mut sorted: Vec<&SourceRow> = events.iter().collect();
        sorted.sort_by_key(|e| (int(e, "created_at"), int(e, "id")));
        for e in sorted {
            let Some(task) = text(e, "task_id").filter(|t| imported.contains(t)) else {
                continue;
            };
            let run = int(e, "run_id").and_then(|r| run_ids.get(&r).copied());
            self.tx.execute(
                "INSERT INTO task_events (task_id, run_id, kind, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    task,
                    run,
                    text(e, "kind").unwrap_or_else(|| "unknown".into()),
                    val(e, "payload"),
                    int(e, "created_at").unwrap_or(self.now),
                ],
            )?;
            report.events += 1;
        }
        Ok(report)
    }
}
