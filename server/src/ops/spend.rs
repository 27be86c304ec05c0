//! Spend: recording what a run used (reported by a worker or a person, from
//! a completion's metadata, or parsed from an agent's transcript once its
//! process has ended) and the roll-ups over it.

use super::Ops;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::prices::PRICES_AS_OF;
use kernel::fence::Acting;
use kernel::spend::{merge, total_of, RunUsage, SpendBy, SpendQuery, Tokens, UsageSource};
use kernel::{Board, Home};
use serde_json::Value;

/// Usage someone reports for a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reported {
    pub model: Option<String>,
    pub tokens: Tokens,
    /// What the run cost, if the reporter knows; else the price table's.
    pub cost_usd: Option<f64>,
}

impl Reported {
    /// The `usage` object of a completion's metadata, when it has one with
    /// any figure in it: `input_tokens`, `output_tokens`,
    /// `cache_read_tokens`, `cache_write_tokens`, `cost_usd`, `model`.
    pub fn from_metadata(metadata: Option<&Value>) -> Option<Reported> {
        let u = metadata?.get("usage")?.as_object()?;
        let n = |k: &str| u.get(k).and_then(Value::as_u64).unwrap_or(0);
        let r = Reported {
            model: u.get("model").and_then(Value::as_str).map(str::to_string),
            tokens: Tokens {
                input_tokens: n("input_tokens"),
                output_tokens: n("output_tokens"),
                cache_read_tokens: n("cache_read_tokens"),
                cache_write_tokens: n("cache_write_tokens"),
            },
            cost_usd: u.get("cost_usd").and_then(Value::as_f64),
        };
        (!r.tokens.is_zero() || r.cost_usd.is_some()).then_some(r)
    }
}

/// A roll-up as every surface returns it.
pub use kernel::spend::SpendReport as SpendOut;

/// How far back the sweep looks for runs whose agent's usage is unrecorded.
const SWEEP_DAYS: i64 = 7;

impl Ops {
    /// Records reported usage for run `run` of task `id` (default: its
    /// current run, else its latest), priced from the table when no cost is
    /// given. `acting` fences a worker to its own run.
    pub fn record_usage(
        &self,
        board: Option<&str>,
        id: &str,
        run: Option<i64>,
        r: &Reported,
        source: UsageSource,
        acting: Option<&Acting>,
    ) -> Result<RunUsage> {
        let prices = Config::load(self.home())?.prices();
        let usage = prices.priced(r.model.clone(), r.tokens, r.cost_usd, source);
        self.read(board, |b| {
            Ok(b.record_usage(id.trim(), run, &usage, acting)?)
        })
    }

    /// The roll-up of board `board` (`None`: the current one; `Some("*")`:
    /// every board, which `by = board` implies).
    pub fn spend(&self, board: Option<&str>, by: SpendBy, q: &SpendQuery) -> Result<SpendOut> {
        let every = board == Some("*") || by == SpendBy::Board;
        let (label, rows) = if every {
            if q.task.is_some() {
                return Err(Error::Usage(
                    "a task belongs to one board: give --board with --task".into(),
                ));
            }
            let mut parts = Vec::new();
            for meta in self.home().list_boards(false) {
                parts.push(self.read(Some(&meta.slug), |b| Ok(b.spend(by, q)?))?);
            }
            ("*".to_string(), merge(by, parts))
        } else {
            let slug = self.slug(board)?;
            let rows = self.read(Some(&slug), |b| Ok(b.spend(by, q)?))?;
            (slug, rows)
        };
        let total = total_of(&rows);
        Ok(SpendOut {
            board: label,
            by,
            since: q.since,
            task: q.task.clone(),
            rows,
            total,
            prices_as_of: PRICES_AS_OF.to_string(),
        })
    }
}

/// Records what the ended runs of agent profiles used, from their
/// transcripts, once their processes are gone (a worker that completed
/// its task keeps writing its last answer for a moment). Returns the
/// runs recorded.
/// Records what the ended runs of agent profiles used, from their
/// transcripts, once their processes are gone (a worker that completed its
/// task keeps writing its last answer for a moment). Returns the runs
/// recorded.
pub fn sweep_usage(home: &Home, b: &mut Board, config: &Config) -> Result<Vec<i64>> {
    let agents: Vec<String> = config
        .profiles
        .iter()
        .filter(|(_, p)| p.kind.is_agent())
        .map(|(n, _)| n.clone())
        .collect();
    let since = b.now() - SWEEP_DAYS * 86_400;
    let pending = b.runs_without_usage(&agents, since)?;
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let prices = config.prices();
    let mut done = Vec::new();
    for r in pending {
        if r.pid
            .is_some_and(|p| crate::process::is_alive(p, r.started))
        {
            continue;
        }
        let (run, task) = (r.run_id, r.task_id);
        let usage = match crate::agents::files::parse_file(home, b.slug(), &task, run) {
            Ok(Some(t)) => prices.of_transcript(&t.usage),
            // No transcript (it never started): nothing was used.
            Ok(None) => prices.of_transcript(&Default::default()),
            Err(_) => continue,
        };
        if b.record_usage(&task, Some(run), &usage, None).is_ok() {
            done.push(run);
        }
    }
    Ok(done)
}

/// `--since` / `?since=`: see [`kernel::usage::parse_since`].
pub fn parse_since(text: &str, now: i64) -> Result<i64> {
    kernel::usage::parse_since(text, now).map_err(Error::Usage)
}

/// `--by` / `?by=`.
pub fn parse_by(text: &str) -> Result<SpendBy> {
    text.parse::<SpendBy>().map_err(Error::Usage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_reads_durations_days_and_seconds() {
        let now = 1_800_000_000;
        assert_eq!(parse_since("7d", now).unwrap(), now - 7 * 86_400);
        assert_eq!(parse_since("90m", now).unwrap(), now - 5400);
        assert_eq!(parse_since("2026-11-01", now).unwrap(), 1_793_491_200);
        assert_eq!(parse_since("1700000000", now).unwrap(), 1_700_000_000);
        for bad in ["", "7x", "d", "yesterday", "2026-13-01"] {
            assert!(parse_since(bad, now).is_err(), "{bad}");
        }
    }

    #[test]
    fn metadata_usage_needs_a_figure() {
        let m = serde_json::json!({"usage": {"input_tokens": 10, "output_tokens": 2, "model": "gpt-5"}});
        let r = Reported::from_metadata(Some(&m)).unwrap();
        assert_eq!(
            (r.tokens.input_tokens, r.model.as_deref()),
            (10, Some("gpt-5"))
        );
        assert!(Reported::from_metadata(Some(&serde_json::json!({"usage": {}}))).is_none());
        assert!(Reported::from_metadata(Some(&serde_json::json!({"tests": 3}))).is_none());
    }
}
