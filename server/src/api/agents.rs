//! Agent routes: a task's transcript, the profiles, the doctor.

use super::{run, ApiError, ApiJson, ApiQuery, ApiResult};
use crate::agents::doctor::Check;
use crate::agents::files;
use crate::agents::Transcript;
use crate::error::Error;
use crate::ops::{NewProfile, Ops, ProfileOut};
use axum::extract::{Path, State};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::Json;
use serde::Deserialize;
use std::convert::Infallible;
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

/// Ends a profile's pause (after a rate limit or a failed login) now.
#[utoipa::path(post, path = "/api/v1/profiles/{name}/resume", params(("name" = String, Path)),
    responses((status = 200, body = ProfileOut, description = "the profile, no longer paused"), (status = 404, description = "no such profile")))]
pub async fn resume_profile(
    State(ops): State<Ops>,
    Path(name): Path<String>,
) -> ApiResult<Json<ProfileOut>> {
    run(ops, move |ops| {
        ops.resume_profile(&name)?;
        Ok(Json(ops.profile(&name)?))
    })
    .await
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

/// How often a followed transcript is looked at.
const FOLLOW: std::time::Duration = std::time::Duration::from_millis(300);

/// Where a transcript stream is. The task and its board are looked up once;
/// each look after that is the file's size, and a read when it grew.
struct Follow {
    ops: Ops,
    slug: String,
    id: String,
    run: i64,
    /// The next entry to send.
    next: usize,
    /// The file's size when last read.
    seen: Option<u64>,
    closing: tokio::sync::watch::Receiver<bool>,
    ended: bool,
}

impl Follow {
    async fn step(mut self) -> Option<(Result<SseEvent, Infallible>, Follow)> {
        if self.ended {
            return None;
        }
        loop {
            if *self.closing.borrow() {
                return None;
            }
            let (ops, slug, id, run, next, seen) = (
                self.ops.clone(),
                self.slug.clone(),
                self.id.clone(),
                self.run,
                self.next,
                self.seen,
            );
            // Read on only when the file grew; say `end` once the run is over
            // and everything it wrote has been sent.
            let got = tokio::task::spawn_blocking(move || -> crate::error::Result<_> {
                let home = ops.home();
                let path = files::transcript_path(home, &slug, &id, run);
                let size = std::fs::metadata(path).ok().map(|m| m.len());
                if size != seen {
                    let fresh = files::read(home, &slug, &id, Some(run), next)
                        .map_err(|e| Error::io("cannot read the transcript", e))?;
                    if fresh.as_ref().is_some_and(|t| !t.entries.is_empty()) {
                        return Ok((size, fresh, true));
                    }
                }
                let open = ops.read(Some(&slug), |b| {
                    Ok(b.run(run)?.is_some_and(|r| r.is_open()))
                })?;
                Ok((size, None, open))
            })
            .await;
            let Ok(Ok((size, fresh, open))) = got else {
                return None;
            };
            self.seen = size;
            if let Some(t) = fresh {
                self.next = t.start + t.entries.len();
                let data = serde_json::json!({
                    "start": t.start,
                    "total": t.total,
                    "entries": t.entries,
                    "usage": t.usage,
                });
                let ev = SseEvent::default()
                    .event("entries")
                    .id(self.next.to_string())
                    .data(data.to_string());
                return Some((Ok(ev), self));
            }
            if !open {
                self.ended = true;
                let data = serde_json::json!({"run_id": self.run, "total": self.next});
                return Some((
                    Ok(SseEvent::default().event("end").data(data.to_string())),
                    self,
                ));
            }
            let mut closing = self.closing.clone();
            tokio::select! {
                _ = tokio::time::sleep(FOLLOW) => {}
                _ = closing.changed() => {}
            }
        }
    }
}

/// A run's transcript as it is written, as Server-Sent Events: `entries`
/// messages (id = the index after the last entry sent, for Last-Event-ID),
/// then one `end` once the run is over and everything has been sent.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/transcript/stream", params(("id" = String, Path), TranscriptParams),
    responses((status = 200, content_type = "text/event-stream",
        description = "`entries` messages: data = {start, total, entries, usage}; then `end`: data = {run_id, total}"),
        (status = 404, description = "unknown task, or no transcript")))]
pub async fn stream_transcript(
    State(ops): State<Ops>,
    State(hub): State<crate::api::events::EventHub>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    ApiQuery(q): ApiQuery<TranscriptParams>,
) -> ApiResult<Sse<impl futures_util::Stream<Item = Result<SseEvent, Infallible>>>> {
    if q.run.is_some_and(|r| r < 1) {
        return Err(ApiError::bad_request("run must be 1 or more"));
    }
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<usize>().ok());
    let (first, slug, ops) = run(ops, move |ops| {
        let t = ops.transcript(q.board.as_deref(), &id, q.run, 0)?;
        Ok((t, ops.slug(q.board.as_deref())?, ops.clone()))
    })
    .await?;
    let state = Follow {
        ops,
        slug,
        id: first.task_id.clone(),
        run: first.run_id,
        next: resume.or(q.since).unwrap_or(0),
        seen: None,
        closing: hub.closing(),
        ended: false,
    };
    let stream = futures_util::stream::unfold(state, Follow::step);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15))))
}
