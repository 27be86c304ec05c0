//! Board-wide reads: listings, the ready queue, promotion candidates, counts,
//! and the invariant checks.

use super::tasks::{task_from_row, TASK_COLS};
use super::Tx;
use crate::error::{KernelError, Result};
use crate::model::{Status, Task};
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use std::collections::BTreeMap;

/// Filters for a task listing. Empty filters match everything.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub tenant: Option<String>,
    pub assignee: Option<String>,
    pub status: Option<Status>,
    pub include_archived: bool,
    pub limit: Option<usize>,
}

/// A task that might move to ready: waiting in todo, or blocked, with every
/// parent finished.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: String,
    pub status: Status,
    pub failures: i64,
    pub max_retries: Option<i64>,
}

impl Tx<'_> {
    /// Tasks matching `q`, highest priority first, then oldest first.
    pub fn list_tasks(&self, q: &ListQuery) -> Result<Vec<Task>> {
        let mut sql = format!("SELECT {TASK_COLS} FROM tasks WHERE 1 = 1");
        let mut params: Vec<Value> = Vec::new();
        if let Some(t) = &q.tenant {
            sql.push_str(" AND tenant = ?");
            params.push(Value::Text(t.clone()));
        }
        if let Some(a) = &q.assignee {
            sql.push_str(" AND assignee = ?");
            params.push(Value::Text(a.clone()));
        }
        match q.status {
            Some(s) => {
                sql.push_str(" AND status = ?");
                params.push(Value::Text(s.as_str().into()));
            }
            None if !q.include_archived => sql.push_str(" AND status != 'archived'"),
            None => {}
        }
        sql.push_str(" ORDER BY priority DESC, created_at ASC, rowid ASC");
        if let Some(limit) = q.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), task_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Ready, unclaimed tasks in dispatch order: priority desc, then oldest.
    pub fn ready_queue(&self, limit: usize) -> Result<Vec<Task>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {TASK_COLS} FROM tasks WHERE status = 'ready' AND claim_lock IS NULL
             ORDER BY priority DESC, created_at ASC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit as i64], task_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every todo or blocked task whose parents are all done or archived.
    pub fn promotion_candidates(&self) -> Result<Vec<Candidate>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT t.id, t.status, COALESCE(t.consecutive_failures, 0), t.max_retries FROM tasks t
             WHERE t.status IN ('todo', 'blocked')
               AND NOT EXISTS (
                   SELECT 1 FROM task_links l WHERE l.child_id = t.id AND l.parent_finished = 0)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, status, failures, max_retries) = row?;
            out.push(Candidate {
                id,
                status: status.parse().map_err(KernelError::Invalid)?,
                failures,
                max_retries,
            });
        }
        Ok(out)
    }

    /// Non-archived task counts per status.
    pub fn count_by_status(&self) -> Result<BTreeMap<String, i64>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT status, COUNT(*) FROM tasks WHERE status != 'archived' GROUP BY status",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Per assignee, counts per status (archived tasks excluded).
    pub fn count_by_assignee(&self) -> Result<BTreeMap<String, BTreeMap<String, i64>>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT assignee, status, COUNT(*) FROM tasks
             WHERE assignee IS NOT NULL AND status != 'archived' GROUP BY assignee, status",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut out: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        for row in rows {
            let (assignee, status, n) = row?;
            out.entry(assignee).or_default().insert(status, n);
        }
        Ok(out)
    }

    /// Creation time of the oldest ready task.
    pub fn oldest_ready_created_at(&self) -> Result<Option<i64>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT MIN(created_at) FROM tasks WHERE status = 'ready'")?;
        Ok(stmt.query_row([], |r| r.get(0))?)
    }

    /// Distinct tenants in use, sorted.
    pub fn tenants(&self) -> Result<Vec<String>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT DISTINCT tenant FROM tasks WHERE tenant IS NOT NULL ORDER BY tenant",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Tasks that could have a diagnostic: failing, blocked, waiting in ready
    /// since before `ready_before`, or with hallucination events. The rules
    /// decide; this only keeps them from reading every task's history.
    pub fn diagnostic_candidates(
        &self,
        ready_before: i64,
        _blocked_before: i64,
    ) -> Result<Vec<String>> {
        // A union of index-driven selects: each branch touches only its own
        // rows, so a large quiet board costs almost nothing.
        let mut stmt = self.tx.prepare_cached(
            "SELECT id FROM tasks WHERE consecutive_failures > 0 AND status != 'archived'
             UNION
             SELECT id FROM tasks WHERE status = 'blocked'
             UNION
             SELECT t.id FROM tasks t WHERE t.status = 'ready' AND t.created_at <= ?1 AND t.assignee IS NOT NULL
                AND COALESCE((SELECT MAX(e.created_at) FROM task_events e
                              WHERE e.task_id = t.id AND e.kind IN ('created', 'promoted', 'unblocked', 'status',
                                    'reclaimed', 'crashed', 'timed_out', 'spawn_failed', 'assigned')),
                             t.created_at) <= ?1
             UNION
             SELECT e.task_id FROM task_events e JOIN tasks t ON t.id = e.task_id
             WHERE e.kind IN ('completion_blocked_hallucination', 'suspected_hallucinated_references')
               AND t.status != 'archived'
             UNION
             SELECT r.task_id FROM task_runs r JOIN tasks t ON t.id = r.task_id
             WHERE r.outcome IN ('crashed', 'timed_out', 'spawn_failed', 'gave_up') AND t.status != 'archived'
             GROUP BY r.task_id HAVING COUNT(*) >= 2
             ORDER BY 1",
        )?;
        let rows = stmt.query_map([ready_before], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Descriptions of every broken invariant; empty when the board is sound.
    pub fn invariant_violations(&self) -> Result<Vec<String>> {
        let checks: &[(&str, &str)] = &[
            (
                "task points at a run that is missing or closed",
                "SELECT t.id FROM tasks t LEFT JOIN task_runs r ON r.id = t.current_run_id
                 WHERE t.current_run_id IS NOT NULL AND (r.id IS NULL OR r.ended_at IS NOT NULL)",
            ),
            (
                "open run that is not its task's current run",
                "SELECT r.id FROM task_runs r LEFT JOIN tasks t ON t.id = r.task_id
                 WHERE r.ended_at IS NULL AND (t.id IS NULL OR t.current_run_id IS NOT r.id)",
            ),
            (
                "more than one open run for a task",
                "SELECT task_id FROM task_runs WHERE ended_at IS NULL GROUP BY task_id HAVING COUNT(*) > 1",
            ),
            (
                "claim lock on a task that is not running",
                "SELECT id FROM tasks WHERE claim_lock IS NOT NULL AND status != 'running'",
            ),
            (
                "running task without a claim lock or run",
                "SELECT id FROM tasks WHERE status = 'running' AND (claim_lock IS NULL OR current_run_id IS NULL)",
            ),
            (
                "closed run without an outcome",
                "SELECT id FROM task_runs WHERE ended_at IS NOT NULL AND outcome IS NULL",
            ),
            (
                "run outcome set but not ended",
                "SELECT id FROM task_runs WHERE outcome IS NOT NULL AND ended_at IS NULL",
            ),
            (
                "run ended before it started",
                "SELECT id FROM task_runs WHERE ended_at IS NOT NULL AND ended_at < started_at",
            ),
            (
                "event names a run that does not exist",
                "SELECT e.id FROM task_events e LEFT JOIN task_runs r ON r.id = e.run_id
                 WHERE e.run_id IS NOT NULL AND r.id IS NULL",
            ),
            (
                "dependency flag disagrees with the parent's status",
                "SELECT l.parent_id || '->' || l.child_id FROM task_links l LEFT JOIN tasks p ON p.id = l.parent_id
                 WHERE l.parent_finished IS NOT COALESCE(p.status IN ('done', 'archived'), 1)",
            ),
            (
                "task has an unknown status",
                "SELECT id FROM tasks WHERE status NOT IN
                 ('triage','todo','ready','running','blocked','done','archived')",
            ),
            (
                "todo task whose parents are all finished was not promoted",
                "SELECT t.id FROM tasks t WHERE t.status = 'todo'
                   AND NOT EXISTS (SELECT 1 FROM task_links l JOIN tasks p ON p.id = l.parent_id
                                   WHERE l.child_id = t.id AND p.status NOT IN ('done', 'archived'))",
            ),
        ];
        let mut out = Vec::new();
        for (what, sql) in checks {
            let mut stmt = self.tx.prepare_cached(sql)?;
            let ids: Vec<String> = stmt
                .query_map([], |r| {
                    let v: Value = r.get(0)?;
                    Ok(match v {
                        Value::Integer(i) => i.to_string(),
                        Value::Text(s) => s,
                        other => format!("{other:?}"),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            if !ids.is_empty() {
                out.push(format!("{what}: {}", ids.join(", ")));
            }
        }
        Ok(out)
    }
}
