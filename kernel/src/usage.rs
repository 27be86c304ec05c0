//! Recording what runs used, and reading the roll-ups. The cost is worked
//! out by the caller (the server holds the price table); the kernel keeps
//! the record, one per run, and says so in the task's events.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::{Payload, UsagePayload};
use crate::fence::{self, Acting};
use crate::spend::{NewUsage, RunUsage, SpendBy, SpendQuery, SpendRow};

/// An ended run whose usage is not recorded yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrecorded {
    pub run_id: i64,
    pub task_id: String,
    pub profile: String,
    /// Its worker's pid (from the `spawned` event) and start time, to tell
    /// whether the process is still finishing.
    pub pid: Option<i64>,
    pub started: Option<i64>,
}

impl Board {
    /// Records `usage` for run `run` of task `id` (default: its current run,
    /// else its latest). A run has one record; a later one replaces it (a
    /// report gives the run's totals so far, not an increment). `acting`
    /// fences a worker's report to its own, current run.
    pub fn record_usage(
        &mut self,
        id: &str,
        run: Option<i64>,
        usage: &NewUsage,
        acting: Option<&Acting>,
    ) -> Result<RunUsage> {
        if let Some(c) = usage.cost_usd {
            if !c.is_finite() || c < 0.0 {
                return Err(KernelError::Invalid(format!(
                    "a cost must be a positive amount of US dollars (got {c})"
                )));
            }
        }
        if let Some(m) = &usage.model {
            crate::validate::text("model", Some(m))?;
        }
        self.write(|tx| {
            fence::check_acting(tx, acting)?;
            let task = tx.require_task(id)?;
            let run_id = match run.or(task.current_run_id) {
                Some(r) => r,
                None => tx.runs_of(&task.id)?.last().map(|r| r.id).ok_or_else(|| {
                    KernelError::Conflict(format!(
                        "task {} has no run to record usage for (it has never been claimed)",
                        task.id
                    ))
                })?,
            };
            let r = tx
                .run(run_id)?
                .filter(|r| r.task_id == task.id)
                .ok_or_else(|| {
                    KernelError::NotFound(format!("task {} has no run {run_id}", task.id))
                })?;
            let before = tx.usage_of_run(run_id)?;
            let rec = tx.put_usage(run_id, &task.id, r.profile.as_deref(), usage)?;
            // The same figures again (a sweep after a report) say nothing
            // new, and neither does a run that used nothing.
            let same = before.is_some_and(|b| {
                b.tokens == rec.tokens && b.cost_usd == rec.cost_usd && b.model == rec.model
            });
            let nothing = rec.tokens.is_zero() && rec.cost_usd.is_none();
            if !same && !nothing {
                tx.event(
                    &task.id,
                    Some(run_id),
                    Payload::UsageRecorded(UsagePayload {
                        tokens: rec.tokens.total(),
                        cost_usd: rec.cost_usd,
                        model: rec.model.clone(),
                        source: rec.source,
                    }),
                )?;
            }
            Ok(rec)
        })
    }

    /// Every run's usage record of task `id`, oldest run first.
    pub fn usage_of_task(&mut self, id: &str) -> Result<Vec<RunUsage>> {
        self.read(|tx| {
            tx.require_task(id)?;
            tx.usage_of_task(id)
        })
    }

    /// The roll-up of the records `q` covers, grouped `by`.
    pub fn spend(&mut self, by: SpendBy, q: &SpendQuery) -> Result<Vec<SpendRow>> {
        let slug = self.slug().to_string();
        self.read(|tx| {
            if let Some(t) = &q.task {
                tx.require_task(t)?;
            }
            let mut rows = tx.spend(by, q)?;
            if by == SpendBy::Board {
                for r in &mut rows {
                    r.key = slug.clone();
                }
            }
            Ok(rows)
        })
    }

    /// Ended runs of `profiles` since `ended_since` that have no usage
    /// record, newest first.
    pub fn runs_without_usage(
        &mut self,
        profiles: &[String],
        ended_since: i64,
    ) -> Result<Vec<Unrecorded>> {
        self.read(|tx| tx.runs_without_usage(profiles, ended_since))
    }
}

/// `--since` / `?since=`: a duration back from `now` (`90m`, `24h`, `7d`,
/// `4w`), a UTC day (`2026-11-01`) or unix seconds.
pub fn parse_since(text: &str, now: i64) -> std::result::Result<i64, String> {
    let t = text.trim();
    let bad = || {
        format!(
            "since '{t}' is not a duration (90m, 24h, 7d, 4w), a day (2026-11-01) or unix seconds"
        )
    };
    if let Ok(day) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(day
            .and_hms_opt(0, 0, 0)
            .ok_or_else(bad)?
            .and_utc()
            .timestamp());
    }
    if let Ok(secs) = t.parse::<i64>() {
        return Ok(secs);
    }
    let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let n: i64 = n.parse().map_err(|_| bad())?;
    let unit = match unit {
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(bad()),
    };
    Ok(now - n * unit)
}
