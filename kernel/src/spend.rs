//! What runs cost: the usage record of each run (tokens, model, money) and
//! the roll-ups over them. The types are shared with the dashboard; the
//! store side is in `usage.rs`.

use crate::names::named;
use serde::{Deserialize, Serialize};

/// Where a run's usage came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UsageSource {
    /// Parsed from the agent's transcript when its process ended.
    Transcript,
    /// Reported by the worker or a person (`baton usage`, `kanban_usage`).
    Reported,
    /// The `usage` object in a completion's metadata.
    Metadata,
}

named!(UsageSource, "usage source", {
    Transcript => "transcript",
    Reported => "reported",
    Metadata => "metadata",
});

/// How a run's cost is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CostSource {
    /// The agent (or whoever reported) gave the cost.
    Agent,
    /// Computed from the price table for the run's model.
    Prices,
    /// No cost given and no price for the model: tokens only.
    Unpriced,
}

named!(CostSource, "cost source", {
    Agent => "agent",
    Prices => "prices",
    Unpriced => "unpriced",
});

/// Token counts of a run. Input excludes cache reads (the agents that count
/// them inside input are normalised when parsed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tokens {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
}

impl Tokens {
    /// Everything the model read or wrote, cache included.
    pub fn total(&self) -> u64 {
        self.input_tokens + self.output_tokens + self.cache_read_tokens + self.cache_write_tokens
    }

    pub fn is_zero(&self) -> bool {
        self.total() == 0
    }
}

/// One run's usage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunUsage {
    pub run_id: i64,
    pub task_id: String,
    /// The run's profile.
    pub profile: Option<String>,
    pub model: Option<String>,
    #[serde(flatten)]
    pub tokens: Tokens,
    /// In US dollars; `None` when unpriced.
    pub cost_usd: Option<f64>,
    pub cost_source: CostSource,
    pub source: UsageSource,
    pub recorded_at: i64,
}

/// Usage to record for a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUsage {
    pub model: Option<String>,
    pub tokens: Tokens,
    pub cost_usd: Option<f64>,
    pub cost_source: CostSource,
    pub source: UsageSource,
}

/// What a roll-up groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SpendBy {
    Task,
    Profile,
    /// UTC calendar day of the record.
    Day,
    Model,
    /// One row per board (a board's own roll-up is one row, its slug).
    Board,
    /// One row: everything selected.
    Total,
}

named!(SpendBy, "grouping", {
    Task => "task",
    Profile => "profile",
    Day => "day",
    Model => "model",
    Board => "board",
    Total => "total",
});

/// Which records a roll-up covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpendQuery {
    /// Records from this time on (unix seconds).
    pub since: Option<i64>,
    /// Records before this time.
    pub until: Option<i64>,
    /// This task and every task below it (its children, theirs, …).
    pub task: Option<String>,
    pub profile: Option<String>,
}

/// One group of a roll-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpendRow {
    /// The task id, profile, day (`YYYY-MM-DD`), model, board or `total`;
    /// `(none)` for records without a profile or model.
    pub key: String,
    /// The task's title, for rows by task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub runs: u64,
    #[serde(flatten)]
    pub tokens: Tokens,
    /// Sum of the priced runs' costs.
    pub cost_usd: f64,
    /// Runs in the group without a cost.
    pub unpriced_runs: u64,
}

/// A roll-up as every surface returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpendReport {
    /// The board it covers, or `*` for every board.
    pub board: String,
    pub by: SpendBy,
    /// Records from this time on (unix seconds), when limited.
    pub since: Option<i64>,
    /// Only this task and the tasks below it, when limited.
    pub task: Option<String>,
    pub rows: Vec<SpendRow>,
    /// Everything in the rows together.
    pub total: SpendRow,
    /// The date of the shipped price table (config.toml's prices win).
    pub prices_as_of: String,
}

impl SpendRow {
    /// An empty row called `key`.
    pub fn empty(key: &str) -> SpendRow {
        SpendRow {
            key: key.to_string(),
            title: None,
            runs: 0,
            tokens: Tokens::default(),
            cost_usd: 0.0,
            unpriced_runs: 0,
        }
    }

    /// "$3.00", "$3.00 (+1 unpriced)", "unpriced" or "—": the row's cost as
    /// the CLI's table and the Spend page show it.
    pub fn cost_text(&self) -> String {
        match (self.runs, self.unpriced_runs) {
            (0, _) => "—".into(),
            (n, u) if u == n => "unpriced".into(),
            (_, 0) => format_usd(self.cost_usd),
            (_, u) => format!("{} (+{u} unpriced)", format_usd(self.cost_usd)),
        }
    }

    /// Adds `other`'s figures to this row's.
    pub fn add(&mut self, other: &SpendRow) {
        self.runs += other.runs;
        self.tokens.input_tokens += other.tokens.input_tokens;
        self.tokens.output_tokens += other.tokens.output_tokens;
        self.tokens.cache_read_tokens += other.tokens.cache_read_tokens;
        self.tokens.cache_write_tokens += other.tokens.cache_write_tokens;
        self.cost_usd += other.cost_usd;
        self.unpriced_runs += other.unpriced_runs;
    }
}

/// Every row together, as one row called `total`.
pub fn total_of(rows: &[SpendRow]) -> SpendRow {
    let mut t = SpendRow::empty("total");
    for r in rows {
        t.add(r);
    }
    t
}

/// Several boards' roll-ups as one: rows with the same key (a day, a
/// profile, a model) are added together, then ordered as one board's are
/// (days by date, the rest by cost).
pub fn merge(by: SpendBy, parts: impl IntoIterator<Item = Vec<SpendRow>>) -> Vec<SpendRow> {
    let mut rows: Vec<SpendRow> = Vec::new();
    for part in parts {
        for r in part {
            match rows.iter_mut().find(|x| x.key == r.key) {
                Some(x) => x.add(&r),
                None => rows.push(r),
            }
        }
    }
    if by == SpendBy::Day {
        rows.sort_by(|a, b| a.key.cmp(&b.key));
    } else {
        rows.sort_by(|a, b| {
            b.cost_usd
                .total_cmp(&a.cost_usd)
                .then(b.tokens.total().cmp(&a.tokens.total()))
                .then(a.key.cmp(&b.key))
        });
    }
    if by == SpendBy::Total {
        rows = vec![total_of(&rows)];
    }
    rows
}

/// What a card shows of its task's spend (its own runs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardSpend {
    pub tokens: u64,
    /// `None` when no run of it was priced.
    pub cost_usd: Option<f64>,
}

/// "$0.042", "$1.27", "$312": money as a card or a table shows it.
pub fn format_usd(usd: f64) -> String {
    if usd < 0.01 {
        format!("${usd:.4}")
    } else if usd < 1.0 {
        format!("${usd:.3}")
    } else if usd < 100.0 {
        format!("${usd:.2}")
    } else {
        format!("${usd:.0}")
    }
}

/// "950", "12.3k", "4.1M": a token count at a glance.
pub fn format_tokens(n: u64) -> String {
    match n {
        n if n < 1_000 => n.to_string(),
        n if n < 1_000_000 => format!("{:.1}k", n as f64 / 1e3),
        n => format!("{:.1}M", n as f64 / 1e6),
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` day (the civil calendar).
pub fn day_number(day: &str) -> Option<i64> {
    let mut parts = day.split('-');
    let (y, m, d): (i64, i64, i64) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The `YYYY-MM-DD` of a day number (the inverse of [`day_number`]).
pub fn day_string(n: i64) -> String {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Every day from `first` to `last` (at most `max`), for a chart's axis.
pub fn days_between(first: &str, last: &str, max: usize) -> Vec<String> {
    match (day_number(first), day_number(last)) {
        (Some(a), Some(b)) => (a..=b).take(max).map(day_string).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_through_months_and_leap_years() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-11-01"), Some(1_793_491_200 / 86_400));
        assert_eq!(day_string(day_number("2024-02-29").unwrap()), "2024-02-29");
        assert_eq!(
            days_between("2024-02-28", "2024-03-01", 10),
            ["2024-02-28", "2024-02-29", "2024-03-01"]
        );
        assert_eq!(
            days_between("2026-12-30", "2027-01-02", 2),
            ["2026-12-30", "2026-12-31"]
        );
        assert!(day_number("2026-13-01").is_none() && day_number("soon").is_none());
    }

    #[test]
    fn money_and_tokens_read_at_a_glance() {
        assert_eq!(format_usd(0.0042), "$0.0042");
        assert_eq!(format_usd(0.25), "$0.250");
        assert_eq!(format_usd(12.345), "$12.35");
        assert_eq!(format_usd(312.4), "$312");
        assert_eq!(format_tokens(950), "950");
        assert_eq!(format_tokens(12_345), "12.3k");
        assert_eq!(format_tokens(4_100_000), "4.1M");
    }
}
