//! The Spend page's server function: one call brings every table and the
//! chart's series for the chosen period and boards.

use crate::error::AppError;
use kernel::spend::{SpendReport, SpendRow};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// One profile's cost per day, for the chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileDays {
    pub profile: String,
    /// By UTC day (`YYYY-MM-DD`), only days with usage.
    pub days: Vec<SpendRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendView {
    pub by_profile: SpendReport,
    pub by_task: SpendReport,
    pub by_model: SpendReport,
    pub by_day: SpendReport,
    pub per_profile_days: Vec<ProfileDays>,
    /// The chart's days: from the period's start (or the first usage) to
    /// today, UTC.
    pub axis: Vec<String>,
}

/// Everything the Spend page shows for `board` (`*` for every board)
/// since `since` (a duration like `7d`, a day, or nothing for all time).
#[server(endpoint = "spend_panel", input = Json)]
pub async fn spend_panel(board: String, since: Option<String>) -> Result<SpendView, AppError> {
    use crate::state::{app_state, blocking};
    use kernel::spend::{SpendBy, SpendQuery};
    let st = app_state()?;
    blocking(move || {
        let now = kernel::clock::system_now();
        let since = match since.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(
                kernel::usage::parse_since(s, now)
                    .map_err(|e| AppError::of_kind(kernel::ErrorKind::Invalid, e))?,
            ),
            None => None,
        };
        let q = SpendQuery {
            since,
            ..Default::default()
        };
        let board = Some(board.as_str()).filter(|b| !b.is_empty());
        let report = |by| st.ops.spend(board, by, &q);
        let by_profile = report(SpendBy::Profile)?;
        let mut per_profile_days = Vec::new();
        for p in &by_profile.rows {
            let q = SpendQuery {
                profile: Some(p.key.clone()).filter(|k| k != "(none)"),
                ..q.clone()
            };
            if q.profile.is_none() {
                continue;
            }
            per_profile_days.push(ProfileDays {
                profile: p.key.clone(),
                days: st.ops.spend(board, SpendBy::Day, &q)?.rows,
            });
        }
        let by_day = report(SpendBy::Day)?;
        let today = kernel::spend::day_string(now.div_euclid(86_400));
        let first = match since {
            Some(t) => Some(kernel::spend::day_string(t.div_euclid(86_400))),
            None => by_day.rows.first().map(|r| r.key.clone()),
        };
        let axis = first
            .map(|f| kernel::spend::days_between(&f, &today, 400))
            .unwrap_or_default();
        Ok(SpendView {
            by_task: report(SpendBy::Task)?,
            by_model: report(SpendBy::Model)?,
            by_day,
            by_profile,
            per_profile_days,
            axis,
        })
    })
    .await
}
