//! Board-wide routes: the board view, stats, assignees, dashboard config,
//! diagnostics, "dispatch now", and notification channels.

use super::tasks::BoardParam;
use super::{blocking, run, ApiError, ApiQuery, ApiResult};
use crate::dispatcher::{PassOptions, PassReport};
use crate::ops::views::DiagnosticsOut;
use crate::ops::Ops;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::Json;
use kernel::{Assignee, DashboardConfig};
use kernel::{BoardView, Stats};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct BoardQuery {
    pub board: Option<String>,
    /// Only this tenant's tasks.
    pub tenant: Option<String>,
    #[serde(default)]
    pub include_archived: bool,
}

/// The board: every column's tasks (with diagnostics), tenants, assignees and stats.
#[utoipa::path(get, path = "/api/v1/board", params(BoardQuery), responses(
    (status = 200, body = BoardView), (status = 400, description = "malformed board slug"), (status = 404, description = "unknown board")))]
pub async fn get_board(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> ApiResult<axum::response::Response> {
    let tenant = q.tenant.filter(|t| !t.trim().is_empty());
    let board = q.board.clone();
    let slug = run(ops.clone(), move |ops| ops.slug(board.as_deref())).await?;
    // The cards and the diagnostics come from two connections at once.
    let view = {
        let (ops, slug) = (ops.clone(), slug.clone());
        tokio::task::spawn_blocking(move || {
            ops.read(Some(&slug), |b| {
                Ok(b.board_view(tenant.as_deref(), q.include_archived)?)
            })
        })
    };
    let diagnostics = {
        let (ops, slug) = (ops.clone(), slug.clone());
        tokio::task::spawn_blocking(move || {
            let config = ops.config()?;
            ops.read(Some(&slug), |b| ops.diagnostics(&config, b, None))
        })
    };
    let (view, diagnostics) = tokio::join!(view, diagnostics);
    let internal = |e: tokio::task::JoinError| {
        ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    };
    let mut view = view.map_err(internal)??;
    view.attach(&diagnostics.map_err(internal)??);
    blocking(move || {
        // Sized up front: a 10,000-task board is several megabytes of JSON.
        let mut body = Vec::with_capacity(
            1024 + view.columns.iter().map(|c| c.tasks.len()).sum::<usize>() * 1024,
        );
        serde_json::to_writer(&mut body, &view).map_err(|e| {
            ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
        })?;
        Ok((
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response())
    })
    .await
}

/// Counts per status and per assignee, and the oldest ready task's wait.
#[utoipa::path(get, path = "/api/v1/stats", params(BoardParam), responses((status = 200, body = Stats)))]
pub async fn get_stats(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<BoardParam>,
) -> ApiResult<Json<Stats>> {
    run(ops, move |ops| {
        ops.read(q.board.as_deref(), |b| Ok(Json(b.stats()?)))
    })
    .await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssigneeList {
    pub assignees: Vec<Assignee>,
}

/// Configured profiles and the assignees on the board, with task counts per status.
#[utoipa::path(get, path = "/api/v1/assignees", params(BoardParam), responses((status = 200, body = AssigneeList)))]
pub async fn get_assignees(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<BoardParam>,
) -> ApiResult<Json<AssigneeList>> {
    run(ops, move |ops| {
        let config = ops.config()?;
        ops.read(q.board.as_deref(), |b| {
            Ok(Json(AssigneeList {
                assignees: ops.assignees(&config, b)?,
            }))
        })
    })
    .await
}

/// The dashboard settings from config.toml.
#[utoipa::path(get, path = "/api/v1/config", responses((status = 200, body = DashboardConfig)))]
pub async fn get_config(State(ops): State<Ops>) -> ApiResult<Json<DashboardConfig>> {
    run(ops, |ops| Ok(Json(ops.config()?.dashboard))).await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DiagnosticsQuery {
    pub board: Option<String>,
    /// warning, error or critical: that severity and above.
    pub severity: Option<String>,
}

/// Active diagnostics (crash loops, stuck or starved tasks) with suggested actions.
#[utoipa::path(get, path = "/api/v1/diagnostics", params(DiagnosticsQuery), responses(
    (status = 200, body = DiagnosticsOut), (status = 400, description = "unknown severity")))]
pub async fn get_diagnostics(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<DiagnosticsQuery>,
) -> ApiResult<Json<DiagnosticsOut>> {
    let min = q
        .severity
        .as_deref()
        .map(str::parse::<kernel::Severity>)
        .transpose()
        .map_err(ApiError::bad_request)?;
    run(ops, move |ops| {
        let config = ops.config()?;
        ops.read(q.board.as_deref(), |b| {
            let found = ops.diagnostics(&config, b, None)?;
            Ok(Json(crate::ops::views::fleet(b, found, min)?))
        })
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DispatchQuery {
    pub board: Option<String>,
    #[serde(default)]
    pub dry_run: bool,
    /// At most this many workers running on the board.
    pub max: Option<usize>,
}

/// Runs one dispatcher pass now (or reports what it would do with dry_run).
#[utoipa::path(post, path = "/api/v1/dispatch", params(DispatchQuery), responses(
    (status = 200, body = PassReport), (status = 409, description = "another process dispatches this board")))]
pub async fn dispatch(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<DispatchQuery>,
) -> ApiResult<Json<PassReport>> {
    let opts = PassOptions {
        dry_run: q.dry_run,
        max: q.max,
        failure_limit: None,
    };
    run(ops, move |ops| {
        Ok(Json(ops.dispatch_now(q.board.as_deref(), &opts)?))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HomeChannelsQuery {
    pub board: Option<String>,
    /// Say for each channel whether this task is subscribed.
    pub task_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HomeChannels {
    pub home_channels: Vec<kernel::HomeChannel>,
}

/// Notification channels configured in config.toml (`[channels.<name>]`),
/// each saying whether `task_id` is subscribed to it.
#[utoipa::path(get, path = "/api/v1/home-channels", params(HomeChannelsQuery), responses(
    (status = 200, body = HomeChannels), (status = 404, description = "unknown task")))]
pub async fn home_channels(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<HomeChannelsQuery>,
) -> ApiResult<Json<HomeChannels>> {
    run(ops, move |ops| {
        let config = ops.config()?;
        let list = ops.read(q.board.as_deref(), |b| {
            ops.home_channels(&config, b, q.task_id.as_deref().map(str::trim))
        })?;
        Ok(Json(HomeChannels {
            home_channels: list,
        }))
    })
    .await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HomeSubscribed {
    pub ok: bool,
    pub task_id: String,
    pub home_channel: kernel::HomeChannel,
}

async fn set_home(
    ops: Ops,
    board: Option<String>,
    id: String,
    channel: String,
    on: bool,
) -> ApiResult<Json<HomeSubscribed>> {
    run(ops, move |ops| {
        let home_channel = ops.set_home_channel(board.as_deref(), &id, &channel, on)?;
        Ok(Json(HomeSubscribed {
            ok: true,
            task_id: id.trim().to_string(),
            home_channel,
        }))
    })
    .await
}

/// Subscribes the task to a configured channel (idempotent).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/home-subscribe/{channel}",
    params(("id" = String, Path), ("channel" = String, Path), BoardParam),
    responses((status = 200, body = HomeSubscribed), (status = 404, description = "no such channel configured, or unknown task")))]
pub async fn home_subscribe(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<BoardParam>,
    Path((id, channel)): Path<(String, String)>,
) -> ApiResult<Json<HomeSubscribed>> {
    set_home(ops, q.board, id, channel, true).await
}

/// Ends the task's subscription to a configured channel (idempotent).
#[utoipa::path(delete, path = "/api/v1/tasks/{id}/home-subscribe/{channel}",
    params(("id" = String, Path), ("channel" = String, Path), BoardParam),
    responses((status = 200, body = HomeSubscribed), (status = 404, description = "no such channel configured, or unknown task")))]
pub async fn home_unsubscribe(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<BoardParam>,
    Path((id, channel)): Path<(String, String)>,
) -> ApiResult<Json<HomeSubscribed>> {
    set_home(ops, q.board, id, channel, false).await
}
