//! The REST API under `/api/v1/` (and, for clients written for the
//! reference, `/api/plugins/kanban/`): the reference dashboard's paths, JSON
//! shapes and status codes, through the same operations as the CLI
//! (`crate::ops`): handlers only translate requests and responses.

mod agents;
pub mod auth;
pub mod board;
mod boards;
mod error;
pub mod events;
pub mod openapi;
mod spend;
pub mod tasks;

pub use error::{ApiError, ApiJson, ApiQuery, ApiResult};

use crate::state::ServerState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post};
use axum::Router;

/// Request bodies above this are refused (413): the largest legitimate body
/// is a 2 MiB description with some JSON around it.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Runs `f` on the blocking thread pool.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("worker thread failed: {e}"),
        )
    })?
}

/// Runs an operation on the blocking thread pool.
pub async fn run<T: Send + 'static>(
    ops: crate::ops::Ops,
    f: impl FnOnce(&crate::ops::Ops) -> crate::error::Result<T> + Send + 'static,
) -> ApiResult<T> {
    blocking(move || Ok(f(&ops)?)).await
}

/// The API routes (mounted under a prefix by the caller).
pub fn router<S: Clone + Send + Sync + 'static>(state: ServerState) -> Router<S> {
    Router::new()
        .route("/board", get(board::get_board))
        .route("/tasks", get(tasks::list_tasks).post(tasks::create_task))
        .route("/tasks/bulk", post(tasks::bulk))
        .route("/tasks/{id}", get(tasks::get_task).patch(tasks::patch_task))
        .route("/tasks/{id}/comments", post(tasks::add_comment))
        .route("/tasks/{id}/log", get(tasks::get_log))
        .route("/tasks/{id}/transcript", get(agents::get_transcript))
        .route(
            "/tasks/{id}/transcript/stream",
            get(agents::stream_transcript),
        )
        .route("/tasks/{id}/diff", get(agents::get_diff))
        .route(
            "/tasks/{id}/usage",
            get(spend::get_usage).post(spend::post_usage),
        )
        .route("/spend", get(spend::get_spend))
        .route(
            "/profiles",
            get(agents::list_profiles).post(agents::add_profile),
        )
        .route(
            "/profiles/{name}",
            get(agents::get_profile).delete(agents::remove_profile),
        )
        .route("/profiles/{name}/resume", post(agents::resume_profile))
        .route("/doctor", get(agents::doctor))
        .route("/tasks/{id}/reclaim", post(tasks::reclaim))
        .route("/tasks/{id}/reassign", post(tasks::reassign))
        .route(
            "/tasks/{id}/home-subscribe/{channel}",
            post(board::home_subscribe).delete(board::home_unsubscribe),
        )
        .route("/links", post(tasks::add_link).delete(tasks::delete_link))
        .route("/dispatch", post(board::dispatch))
        .route("/config", get(board::get_config))
        .route("/stats", get(board::get_stats))
        .route("/assignees", get(board::get_assignees))
        .route("/diagnostics", get(board::get_diagnostics))
        .route("/home-channels", get(board::home_channels))
        .route("/boards", get(boards::list).post(boards::create))
        .route(
            "/boards/{slug}",
            patch(boards::update).delete(boards::remove),
        )
        .route("/boards/{slug}/switch", post(boards::switch))
        .route("/events", get(events::stream))
        .route("/openapi.json", get(openapi::document))
        .fallback(|| async { ApiError::not_found("no such API route") })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}
