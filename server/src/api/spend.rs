//! Spend over REST: a run's usage reported, a task's usage, and the
//! roll-ups — the same operations as `baton usage` and `baton spend`.

use super::tasks::BoardParam;
use super::{run, ApiJson, ApiQuery, ApiResult};
use crate::ops::spend::{parse_by, parse_since, Reported, SpendOut};
use crate::ops::Ops;
use axum::extract::{Path, State};
use axum::Json;
use kernel::spend::{RunUsage, SpendQuery, Tokens, UsageSource};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct SpendParams {
    /// Board slug (default: the server's current board; `*` for every board).
    pub board: Option<String>,
    /// total (default), task, profile, day, model or board.
    pub by: Option<String>,
    /// A duration back from now (24h, 7d), a UTC day (2026-11-01) or unix seconds.
    pub since: Option<String>,
    /// Only this task and every task below it.
    pub task: Option<String>,
    /// Only this profile's runs.
    pub profile: Option<String>,
}

/// Tokens and money, grouped.
#[utoipa::path(get, path = "/api/v1/spend", params(SpendParams),
    responses((status = 200, body = SpendOut), (status = 400, description = "a bad by or since"), (status = 404, description = "unknown board or task")))]
pub async fn get_spend(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<SpendParams>,
) -> ApiResult<Json<SpendOut>> {
    run(ops, move |ops| {
        let by = parse_by(q.by.as_deref().unwrap_or("total"))?;
        let now = kernel::clock::system_now();
        let query = SpendQuery {
            since: q
                .since
                .as_deref()
                .map(|s| parse_since(s, now))
                .transpose()?,
            until: None,
            task: q.task.map(|t| t.trim().to_string()),
            profile: q.profile,
        };
        Ok(Json(ops.spend(q.board.as_deref(), by, &query)?))
    })
    .await
}

/// A run's usage as its worker (or a person) reports it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsageBody {
    /// The run (default: the task's current run, else its latest).
    pub run: Option<i64>,
    pub model: Option<String>,
    #[serde(default)]
    pub input_tokens: u64,
    #[serde(default)]
    pub output_tokens: u64,
    #[serde(default)]
    pub cache_read_tokens: u64,
    #[serde(default)]
    pub cache_write_tokens: u64,
    /// What the run cost in US dollars (default: from the price table).
    pub cost_usd: Option<f64>,
}

/// Records a run's usage: the run's totals so far (a later report replaces them).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/usage", params(("id" = String, Path), BoardParam), request_body = UsageBody,
    responses((status = 200, body = RunUsage), (status = 400, description = "no figures, or a negative cost"), (status = 404, description = "unknown task or run"), (status = 409, description = "the task has no run")))]
pub async fn post_usage(
    State(ops): State<Ops>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<BoardParam>,
    ApiJson(body): ApiJson<UsageBody>,
) -> ApiResult<Json<RunUsage>> {
    run(ops, move |ops| {
        let r = Reported {
            model: body.model.filter(|m| !m.trim().is_empty()),
            tokens: Tokens {
                input_tokens: body.input_tokens,
                output_tokens: body.output_tokens,
                cache_read_tokens: body.cache_read_tokens,
                cache_write_tokens: body.cache_write_tokens,
            },
            cost_usd: body.cost_usd,
        };
        if r.tokens.is_zero() && r.cost_usd.is_none() {
            return Err(crate::error::Error::Usage(
                "give what the run used: input_tokens, output_tokens, cache_read_tokens, cache_write_tokens or cost_usd".into(),
            ));
        }
        let u = ops.record_usage(q.board.as_deref(), &id, body.run, &r, UsageSource::Reported, None)?;
        Ok(Json(u))
    })
    .await
}

/// Every usage record of a task's runs, oldest run first.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/usage", params(("id" = String, Path), BoardParam),
    responses((status = 200, body = Vec<RunUsage>), (status = 404, description = "unknown task")))]
pub async fn get_usage(
    State(ops): State<Ops>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<BoardParam>,
) -> ApiResult<Json<Vec<RunUsage>>> {
    run(ops, move |ops| {
        Ok(Json(ops.read(q.board.as_deref(), |b| {
            Ok(b.usage_of_task(id.trim())?)
        })?))
    })
    .await
}
