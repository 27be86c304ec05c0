//! Agent routes: a task's transcript, the profiles, the doctor.

use super::{run, ApiError, ApiJson, ApiQuery, ApiResult};
use crate::agents::doctor::Check;
use crate::agents::Transcript;
use crate::ops::{NewProfile, Ops, ProfileOut};
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
pub struct TranscriptParams {
    /// The run (default: the latest with a transcript).
    pub run: Option<i64>,
    /// Only entries from this index on (for polling a live run).
    pub since: Option<usize>,
    pub board: Option<String>,
}

/// An agent run's transcript: typed entries (messages, tool calls and
/// results, errors, the final result, raw lines), usage, and counts of
/// lines Baton could not read.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/transcript", params(("id" = String, Path), TranscriptParams),
    responses((status = 200, body = Transcript), (status = 404, description = "unknown task, or no transcript"), (status = 400, description = "bad run")))]
pub async fn get_transcript(
    State(ops): State<Ops>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TranscriptParams>,
) -> ApiResult<Json<Transcript>> {
    if q.run.is_some_and(|r| r < 1) {
        return Err(ApiError::bad_request("run must be 1 or more"));
    }
    run(ops, move |ops| {
        Ok(Json(ops.transcript(
            q.board.as_deref(),
            &id,
            q.run,
            q.since.unwrap_or(0),
        )?))
    })
    .await
}

/// The configured profiles (environment values are not shown, only their names).
#[utoipa::path(get, path = "/api/v1/profiles", responses((status = 200, body = Vec<ProfileOut>)))]
pub async fn list_profiles(State(ops): State<Ops>) -> ApiResult<Json<Vec<ProfileOut>>> {
    run(ops, move |ops| Ok(Json(ops.profiles()?))).await
}

/// Adds a profile to config.toml (`replace` to overwrite one).
#[utoipa::path(post, path = "/api/v1/profiles", request_body = NewProfile,
    responses((status = 200, body = ProfileOut), (status = 400, description = "invalid profile"), (status = 409, description = "exists"), (status = 422, description = "malformed body")))]
pub async fn add_profile(
    State(ops): State<Ops>,
    ApiJson(body): ApiJson<NewProfile>,
) -> ApiResult<Json<ProfileOut>> {
    run(ops, move |ops| Ok(Json(ops.add_profile(&body)?))).await
}

/// One profile.
#[utoipa::path(get, path = "/api/v1/profiles/{name}", params(("name" = String, Path)),
    responses((status = 200, body = ProfileOut), (status = 404, description = "no such profile")))]
pub async fn get_profile(
    State(ops): State<Ops>,
    Path(name): Path<String>,
) -> ApiResult<Json<ProfileOut>> {
    run(ops, move |ops| Ok(Json(ops.profile(&name)?))).await
}

/// Removes a profile from config.toml; its tasks keep their assignee.
#[utoipa::path(delete, path = "/api/v1/profiles/{name}", params(("name" = String, Path)),
    responses((status = 200, body = ProfileOut), (status = 404, description = "no such profile")))]
pub async fn remove_profile(
    State(ops): State<Ops>,
    Path(name): Path<String>,
) -> ApiResult<Json<ProfileOut>> {
    run(ops, move |ops| Ok(Json(ops.remove_profile(&name)?))).await
}

/// Every profile checked: its CLI found, its version, its key or login.
#[utoipa::path(get, path = "/api/v1/doctor", responses((status = 200, body = Vec<Check>)))]
pub async fn doctor(State(ops): State<Ops>) -> ApiResult<Json<Vec<Check>>> {
    run(ops, move |ops| Ok(Json(ops.doctor()?))).await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DiffParams {
    /// Include the whole diff, not only the stat.
    #[serde(default)]
    pub patch: bool,
    pub board: Option<String>,
}

/// A worktree task's branch, its commits and what changed (committed or not).
#[utoipa::path(get, path = "/api/v1/tasks/{id}/diff", params(("id" = String, Path), DiffParams),
    responses((status = 200, body = kernel::WorktreeDiff), (status = 400, description = "not a worktree task"), (status = 404, description = "unknown task"), (status = 409, description = "no worktree or no repository")))]
pub async fn get_diff(
    State(ops): State<Ops>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DiffParams>,
) -> ApiResult<Json<kernel::WorktreeDiff>> {
    run(ops, move |ops| {
        Ok(Json(ops.diff(q.board.as_deref(), &id, q.patch)?))
    })
    .await
}
