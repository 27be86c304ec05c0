//! Usage rows (`run_usage`) and the roll-ups over them.

use super::Tx;
use crate::error::Result;
use crate::spend::{CardSpend, NewUsage, RunUsage, SpendBy, SpendQuery, SpendRow, Tokens};
use crate::usage::Unrecorded;
use rusqlite::OptionalExtension;
use std::collections::HashMap;

const COLUMNS: &str = "run_id, task_id, profile, model, input_tokens, output_tokens,
    cache_read_tokens, cache_write_tokens, cost_usd, cost_source, source, recorded_at";

fn tokens_at(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Tokens> {
    let n = |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(first + i)?.max(0) as u64) };
    Ok(Tokens {
        input_tokens: n(0)?,
        output_tokens: n(1)?,
        cache_read_tokens: n(2)?,
        cache_write_tokens: n(3)?,
    })
}

fn usage_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunUsage> {
    let name = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let bad = |i: usize, e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    };
    Ok(RunUsage {
        run_id: r.get(0)?,
        task_id: r.get(1)?,
        profile: r.get(2)?,
        model: r.get(3)?,
        tokens: tokens_at(r, 4)?,
        cost_usd: r.get(8)?,
        cost_source: name(9)?.parse().map_err(|e| bad(9, e))?,
        source: name(10)?.parse().map_err(|e| bad(10, e))?,
        recorded_at: r.get(11)?,
    })
}

/// SQL that selects the usage rows a query covers, and its parameters.
fn covered(q: &SpendQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut sql = String::from(" FROM run_usage u WHERE 1 = 1");
    let mut params: Vec<Value> = Vec::new();
    if let Some(since) = q.since {
        params.push(Value::Integer(since));
        sql.push_str(&format!(" AND u.recorded_at >= ?{}", params.len()));
    }
    if let Some(until) = q.until {
        params.push(Value::Integer(until));
        sql.push_str(&format!(" AND u.recorded_at < ?{}", params.len()));
    }
    if let Some(p) = &q.profile {
        params.push(Value::Text(p.clone()));
        sql.push_str(&format!(" AND u.profile = ?{}", params.len()));
    }
    if let Some(t) = &q.task {
        // The task and everything below it, through the dependency links
        // (UNION, not UNION ALL: a diamond counts each task once).
        params.push(Value::Text(t.clone()));
        sql.push_str(&format!(
            " AND u.task_id IN (WITH RECURSIVE below(id) AS (SELECT ?{n}
                UNION SELECT l.child_id FROM task_links l JOIN below ON l.parent_id = below.id)
              SELECT id FROM below)",
            n = params.len()
        ));
    }
    (sql, params)
}

impl Tx<'_> {
    /// Records (or replaces) run `run_id`'s usage.
    pub fn put_usage(
        &self,
        run_id: i64,
        task_id: &str,
        profile: Option<&str>,
        u: &NewUsage,
    ) -> Result<RunUsage> {
        let t = u.tokens;
        let mut stmt = self.tx.prepare_cached(&format!(
            "INSERT OR REPLACE INTO run_usage ({COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        ))?;
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        stmt.execute(rusqlite::params![
            run_id,
            task_id,
            profile,
            u.model,
            n(t.input_tokens),
            n(t.output_tokens),
            n(t.cache_read_tokens),
            n(t.cache_write_tokens),
            u.cost_usd,
            u.cost_source.as_str(),
            u.source.as_str(),
            self.now,
        ])?;
        Ok(RunUsage {
            run_id,
            task_id: task_id.to_string(),
            profile: profile.map(str::to_string),
            model: u.model.clone(),
            tokens: t,
            cost_usd: u.cost_usd,
            cost_source: u.cost_source,
            source: u.source,
            recorded_at: self.now,
        })
    }

    pub fn usage_of_run(&self, run_id: i64) -> Result<Option<RunUsage>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM run_usage WHERE run_id = ?1"
        ))?;
        Ok(stmt.query_row([run_id], usage_row).optional()?)
    }

    /// A task's runs' usage, oldest run first.
    pub fn usage_of_task(&self, task_id: &str) -> Result<Vec<RunUsage>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM run_usage WHERE task_id = ?1 ORDER BY run_id"
        ))?;
        let rows = stmt.query_map([task_id], usage_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The card figure of every task with usage: its own runs' tokens and
    /// the sum of their costs.
    pub fn card_spends(&self) -> Result<HashMap<String, CardSpend>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT task_id,
                    SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens),
                    SUM(cost_usd)
               FROM run_usage GROUP BY task_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                CardSpend {
                    tokens: r.get::<_, i64>(1)?.max(0) as u64,
                    cost_usd: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn card_spend(&self, task_id: &str) -> Result<Option<CardSpend>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT COUNT(*),
                    COALESCE(SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0),
                    SUM(cost_usd)
               FROM run_usage WHERE task_id = ?1",
        )?;
        let (n, tokens, cost): (i64, i64, Option<f64>) =
            stmt.query_row([task_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok((n > 0).then_some(CardSpend {
            tokens: tokens.max(0) as u64,
            cost_usd: cost,
        }))
    }

    /// The roll-up of the records `q` covers, grouped `by`, largest cost
    /// first (days in date order).
    pub fn spend(&self, by: SpendBy, q: &SpendQuery) -> Result<Vec<SpendRow>> {
        let key = match by {
            SpendBy::Task => "u.task_id",
            SpendBy::Profile => "COALESCE(u.profile, '(none)')",
            SpendBy::Day => "date(u.recorded_at, 'unixepoch')",
            SpendBy::Model => "COALESCE(u.model, '(none)')",
            SpendBy::Total | SpendBy::Board => "'total'",
        };
        let order = match by {
            SpendBy::Day => "key",
            _ => "cost DESC, tokens DESC, key",
        };
        let (from, params) = covered(q);
        let title = if by == SpendBy::Task {
            "(SELECT title FROM tasks WHERE id = u.task_id)"
        } else {
            "NULL"
        };
        let sql = format!(
            "SELECT {key} AS key, MAX({title}), COUNT(*),
                    SUM(u.input_tokens), SUM(u.output_tokens), SUM(u.cache_read_tokens), SUM(u.cache_write_tokens),
                    COALESCE(SUM(u.cost_usd), 0.0) AS cost,
                    SUM(u.cost_usd IS NULL),
                    SUM(u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_tokens) AS tokens
             {from} GROUP BY key ORDER BY {order}"
        );
        let mut stmt = self.tx.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok(SpendRow {
                key: r.get(0)?,
                title: r.get(1)?,
                runs: r.get::<_, i64>(2)? as u64,
                tokens: tokens_at(r, 3)?,
                cost_usd: r.get(7)?,
                unpriced_runs: r.get::<_, i64>(8)? as u64,
            })
        })?;
        let mut out: Vec<SpendRow> = rows.collect::<rusqlite::Result<_>>()?;
        // A total over nothing is still one row, of zeros.
        if matches!(by, SpendBy::Total | SpendBy::Board) && out.is_empty() {
            out.push(SpendRow::empty("total"));
        }
        Ok(out)
    }

    /// Ended runs of the given profiles that have no usage record, newest
    /// first.
    pub fn runs_without_usage(
        &self,
        profiles: &[String],
        ended_since: i64,
    ) -> Result<Vec<Unrecorded>> {
        if profiles.is_empty() {
            return Ok(Vec::new());
        }
        let marks = (0..profiles.len())
            .map(|i| format!("?{}", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            // A closed run forgets its worker's pid; its `spawned` event keeps it.
            "SELECT r.id, r.task_id, r.profile,
                    (SELECT json_extract(e.payload, '$.pid') FROM task_events e
                      WHERE e.run_id = r.id AND e.kind = 'spawned' ORDER BY e.id DESC LIMIT 1),
                    r.worker_started
               FROM task_runs r
              WHERE r.ended_at IS NOT NULL AND r.ended_at >= ?1 AND r.profile IN ({marks})
                AND NOT EXISTS (SELECT 1 FROM run_usage u WHERE u.run_id = r.id)
              ORDER BY r.id DESC"
        );
        let mut params: Vec<rusqlite::types::Value> = vec![ended_since.into()];
        params.extend(profiles.iter().map(|p| p.clone().into()));
        let mut stmt = self.tx.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok(Unrecorded {
                run_id: r.get(0)?,
                task_id: r.get(1)?,
                profile: r.get(2)?,
                pid: r.get(3)?,
                started: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
