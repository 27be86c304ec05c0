//! Board-wide routes: the board view, stats, assignees, dashboard config,
//! diagnostics, "dispatch now", and notification channels.

use super::tasks::BoardParam;
use super::{blocking, ApiError, ApiQuery, ApiResult, ApiState};
use crate::config::Config;
use crate::dispatcher::lock::DispatchLock;
use crate::dispatcher::{Dispatcher, PassOptions, PassReport};
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
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> ApiResult<axum::response::Response> {
    let tenant = q.tenant.filter(|t| !t.trim().is_empty());
    let pool = st.pool.clone();
    let board = q.board.clone();
    let slug = blocking(move || Ok(pool.resolve(board.as_deref())?)).await?;
    // The cards and the diagnostics come from two connections at once.
    let view = {
        let (pool, slug) = (st.pool.clone(), slug.clone());
        tokio::task::spawn_blocking(move || {
            pool.with(&slug, |b| {
                b.board_view(tenant.as_deref(), q.include_archived)
            })
        })
    };
    let diagnostics = {
        let (st, slug) = (st.clone(), slug.clone());
        tokio::task::spawn_blocking(move || {
            st.pool.with(&slug, |b| {
                let config = Config::load(st.home())
                    .map_err(|e| kernel::KernelError::Invalid(e.to_string()))?;
                crate::diagnose::board_diagnostics(&config, b, st.dispatcher_running(&slug), None)
                    .map_err(|e| kernel::KernelError::Invalid(e.to_string()))
            })
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
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<BoardParam>,
) -> ApiResult<Json<Stats>> {
    st.on_board(q.board, |b| Ok(Json(b.stats()?))).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssigneeList {
    pub assignees: Vec<Assignee>,
}

/// Configured profiles and the assignees on the board, with task counts per status.
#[utoipa::path(get, path = "/api/v1/assignees", params(BoardParam), responses((status = 200, body = AssigneeList)))]
pub async fn get_assignees(
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<BoardParam>,
) -> ApiResult<Json<AssigneeList>> {
    let home = st.home().clone();
    st.on_board(q.board, move |b| {
        let config = Config::load(&home)?;
        Ok(Json(AssigneeList {
            assignees: config.assignees(b.stats()?.by_assignee),
        }))
    })
    .await
}

/// The dashboard settings from config.toml.
#[utoipa::path(get, path = "/api/v1/config", responses((status = 200, body = DashboardConfig)))]
pub async fn get_config(State(st): State<ApiState>) -> ApiResult<Json<DashboardConfig>> {
    let home = st.home().clone();
    blocking(move || Ok(Json(Config::load(&home)?.dashboard))).await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DiagnosticsQuery {
    pub board: Option<String>,
    /// warning, error or critical: that severity and above.
    pub severity: Option<String>,
}

/// One task's diagnostics in the fleet listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskDiagnostics {
    pub task_id: String,
    pub task_title: String,
    pub task_status: kernel::Status,
    pub task_assignee: Option<String>,
    pub diagnostics: Vec<kernel::Diagnostic>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticsOut {
    /// Tasks with diagnostics, the most severe first, then the most recent.
    pub diagnostics: Vec<TaskDiagnostics>,
    /// Diagnostics in all.
    pub count: usize,
}

/// Active diagnostics (crash loops, stuck or starved tasks) with suggested actions.
#[utoipa::path(get, path = "/api/v1/diagnostics", params(DiagnosticsQuery), responses(
    (status = 200, body = DiagnosticsOut), (status = 400, description = "unknown severity")))]
pub async fn get_diagnostics(
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<DiagnosticsQuery>,
) -> ApiResult<Json<DiagnosticsOut>> {
    let min = q
        .severity
        .as_deref()
        .map(str::parse::<kernel::Severity>)
        .transpose()
        .map_err(ApiError::bad_request)?;
    let st2 = st.clone();
    st.on_board(q.board, move |b| {
        let config = Config::load(st2.home())?;
        let running = st2.dispatcher_running(b.slug());
        let found = crate::diagnose::board_diagnostics(&config, b, running, None)?;
        Ok(Json(fleet(b, found, min)?))
    })
    .await
}

/// The fleet listing: filtered by minimum severity, most severe first.
pub fn fleet(
    b: &mut kernel::Board,
    found: std::collections::BTreeMap<String, Vec<kernel::Diagnostic>>,
    min: Option<kernel::Severity>,
) -> Result<DiagnosticsOut, ApiError> {
    let mut rows = Vec::new();
    for (id, mut d) in found {
        d.retain(|x| min.is_none_or(|m| x.severity >= m));
        if d.is_empty() {
            continue;
        }
        let t = b.get(&id)?;
        rows.push(TaskDiagnostics {
            task_id: id,
            task_title: t.title,
            task_status: t.status,
            task_assignee: t.assignee,
            diagnostics: d,
        });
    }
    rows.sort_by(|a, b| {
        let key = |r: &TaskDiagnostics| (r.diagnostics[0].severity, r.diagnostics[0].last_seen_at);
        key(b).cmp(&key(a))
    });
    let count = rows.iter().map(|r| r.diagnostics.len()).sum();
    Ok(DiagnosticsOut {
        diagnostics: rows,
        count,
    })
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
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<DispatchQuery>,
) -> ApiResult<Json<PassReport>> {
    let opts = PassOptions {
        dry_run: q.dry_run,
        max: q.max,
        failure_limit: None,
    };
    let pool = st.pool.clone();
    let dispatcher = st.dispatcher.clone();
    let board = q.board;
    blocking(move || {
        let slug = pool.resolve(board.as_deref())?;
        if let Some(r) = dispatcher.pass_now(&slug, &opts) {
            return Ok(Json(r?));
        }
        let Some(_lock) = DispatchLock::try_acquire(&pool.home().board_dir(&slug))? else {
            return Err(ApiError::conflict(format!(
                "another dispatcher is active on board '{slug}'; it will pick the work up itself"
            )));
        };
        Ok(Json(
            Dispatcher::new(pool.home().clone(), &slug).pass(&opts)?,
        ))
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
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<HomeChannelsQuery>,
) -> ApiResult<Json<HomeChannels>> {
    let config = Config::load(st.home())?;
    let list = st
        .on_board(q.board, move |b| {
            Ok(crate::notifier::homes::list(
                &config,
                b,
                q.task_id.as_deref().map(str::trim),
            )?)
        })
        .await?;
    Ok(Json(HomeChannels {
        home_channels: list,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HomeSubscribed {
    pub ok: bool,
    pub task_id: String,
    pub home_channel: kernel::HomeChannel,
}

async fn set_home(
    st: ApiState,
    board: Option<String>,
    id: String,
    channel: String,
    on: bool,
) -> ApiResult<Json<HomeSubscribed>> {
    let config = Config::load(st.home())?;
    let task_id = id.trim().to_string();
    let t = task_id.clone();
    let home_channel = st
        .on_board(board, move |b| {
            Ok(crate::notifier::homes::set(
                &config,
                b,
                &t,
                channel.trim(),
                on,
            )?)
        })
        .await?;
    Ok(Json(HomeSubscribed {
        ok: true,
        task_id,
        home_channel,
    }))
}

/// Subscribes the task to a configured channel (idempotent).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/home-subscribe/{channel}",
    params(("id" = String, Path), ("channel" = String, Path), BoardParam),
    responses((status = 200, body = HomeSubscribed), (status = 404, description = "no such channel configured, or unknown task")))]
pub async fn home_subscribe(
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<BoardParam>,
    Path((id, channel)): Path<(String, String)>,
) -> ApiResult<Json<HomeSubscribed>> {
    set_home(st, q.board, id, channel, true).await
}

/// Ends the task's subscription to a configured channel (idempotent).
#[utoipa::path(delete, path = "/api/v1/tasks/{id}/home-subscribe/{channel}",
    params(("id" = String, Path), ("channel" = String, Path), BoardParam),
    responses((status = 200, body = HomeSubscribed), (status = 404, description = "no such channel configured, or unknown task")))]
pub async fn home_unsubscribe(
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<BoardParam>,
    Path((id, channel)): Path<(String, String)>,
) -> ApiResult<Json<HomeSubscribed>> {
    set_home(st, q.board, id, channel, false).await
}
