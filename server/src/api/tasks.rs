//! Task routes: list, create, read, patch, bulk, comments, links, log,
//! reclaim and reassign.

use super::{blocking, run, ApiError, ApiJson, ApiQuery, ApiResult};
use crate::ops::views::{out, TaskDetailOut, TaskOut};
use crate::ops::Ops;
use axum::extract::{Path, State};
use axum::Json;
use kernel::create::NewTask;
use kernel::patch::Patch;
use kernel::store::ListQuery;
use kernel::{Status, WorkspaceKind};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct BoardParam {
    /// Board slug (default: the server's current board).
    pub board: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskEnvelope {
    pub task: TaskOut,
    /// Why the task may sit waiting (no dispatcher, no profile), if it may.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    pub board: Option<String>,
    /// triage, todo, ready, running, blocked, done or archived.
    pub status: Option<String>,
    pub assignee: Option<String>,
    pub tenant: Option<String>,
    #[serde(default)]
    pub include_archived: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskList {
    pub tasks: Vec<TaskOut>,
}

fn parse_status(s: &str) -> ApiResult<Status> {
    s.parse::<Status>()
        .map_err(|_| ApiError::bad_request(format!("unknown status: {s}")))
}

/// Tasks, filtered by status, assignee and tenant.
#[utoipa::path(get, path = "/api/v1/tasks", params(ListParams), responses(
    (status = 200, body = TaskList), (status = 400, description = "bad status or board"), (status = 404, description = "unknown board")))]
pub async fn list_tasks(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<TaskList>> {
    let status = q.status.as_deref().map(parse_status).transpose()?;
    let query = ListQuery {
        tenant: q.tenant,
        assignee: q.assignee.map(|a| a.trim().to_lowercase()),
        status,
        include_archived: q.include_archived,
        limit: None,
    };
    let tasks = run(ops, move |ops| {
        ops.read(q.board.as_deref(), |b| Ok(b.list(&query)?))
    })
    .await?;
    Ok(Json(TaskList {
        tasks: tasks.into_iter().map(out).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTaskBody {
    pub title: String,
    pub body: Option<String>,
    pub assignee: Option<String>,
    pub tenant: Option<String>,
    #[serde(default)]
    pub priority: i64,
    /// scratch (default), worktree or dir.
    pub workspace_kind: Option<String>,
    pub workspace_path: Option<String>,
    #[serde(default)]
    pub parents: Vec<String>,
    #[serde(default)]
    pub triage: bool,
    pub idempotency_key: Option<String>,
    pub max_runtime_seconds: Option<i64>,
    pub skills: Option<Vec<String>>,
    pub max_retries: Option<i64>,
    /// Configured notification channels to subscribe to the new task.
    #[serde(default)]
    pub notify: Vec<String>,
}

/// Creates a task (optionally subscribing notification channels).
#[utoipa::path(post, path = "/api/v1/tasks", params(BoardParam), request_body = CreateTaskBody, responses(
    (status = 200, body = TaskEnvelope), (status = 400, description = "refused by the board rules"), (status = 422, description = "malformed body")))]
pub async fn create_task(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<BoardParam>,
    ApiJson(body): ApiJson<CreateTaskBody>,
) -> ApiResult<Json<TaskEnvelope>> {
    let workspace_kind = match body.workspace_kind.as_deref() {
        Some(k) => k.parse::<WorkspaceKind>().map_err(ApiError::bad_request)?,
        None => WorkspaceKind::Scratch,
    };
    let new = NewTask {
        title: body.title,
        body: body.body,
        assignee: body.assignee,
        parents: body.parents,
        workspace_kind,
        workspace_path: body.workspace_path,
        tenant: body.tenant,
        priority: body.priority,
        triage: body.triage,
        idempotency_key: body.idempotency_key,
        max_runtime_seconds: body.max_runtime_seconds,
        skills: body.skills.unwrap_or_default(),
        created_by: Some("dashboard".into()),
        max_retries: body.max_retries,
        ..Default::default()
    };
    let notify = body.notify;
    run(ops, move |ops| {
        let created = ops.create(q.board.as_deref(), &new, &notify)?;
        Ok(Json(TaskEnvelope {
            warning: created.warning(ops),
            task: out(created.task),
        }))
    })
    .await
}

/// One task with its comments, events, links, runs and diagnostics.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", params(("id" = String, Path), BoardParam), responses(
    (status = 200, body = TaskDetailOut), (status = 404, description = "unknown task")))]
pub async fn get_task(
    State(ops): State<Ops>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<BoardParam>,
) -> ApiResult<Json<TaskDetailOut>> {
    run(ops, move |ops| {
        let config = ops.config()?;
        ops.read(q.board.as_deref(), |b| {
            Ok(Json(ops.task_detail(b, &config, &id)?))
        })
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateTaskBody {
    pub status: Option<String>,
    /// "" unassigns.
    pub assignee: Option<String>,
    pub priority: Option<i64>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub result: Option<String>,
    pub block_reason: Option<String>,
    pub summary: Option<String>,
    pub metadata: Option<Value>,
}

impl UpdateTaskBody {
    fn to_patch(&self) -> ApiResult<Patch> {
        Ok(Patch {
            assignee: self
                .assignee
                .as_ref()
                .map(|a| Some(a.clone()).filter(|a| !a.trim().is_empty())),
            status: self.status.as_deref().map(parse_status).transpose()?,
            priority: self.priority,
            title: self.title.clone(),
            body: self.body.clone().map(Some),
            result: self.result.clone(),
            summary: self.summary.clone(),
            metadata: self.metadata.clone(),
            block_reason: self.block_reason.clone(),
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskOnly {
    pub task: TaskOut,
}

/// Changes a task's fields or status (moving off running stops its worker).
#[utoipa::path(patch, path = "/api/v1/tasks/{id}", params(("id" = String, Path), BoardParam), request_body = UpdateTaskBody,
    responses((status = 200, body = TaskOnly), (status = 400, description = "refused value"),
        (status = 404, description = "unknown task"), (status = 409, description = "refused transition"), (status = 422, description = "malformed body")))]
pub async fn patch_task(
    State(ops): State<Ops>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<BoardParam>,
    ApiJson(body): ApiJson<UpdateTaskBody>,
) -> ApiResult<Json<TaskOnly>> {
    let patch = body.to_patch()?;
    let task = run(ops, move |ops| {
        Ok(ops.patch(q.board.as_deref(), &id, &patch)?.detach())
    })
    .await?;
    Ok(Json(TaskOnly { task: out(task) }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkBody {
    pub ids: Vec<String>,
    pub status: Option<String>,
    /// "" unassigns.
    pub assignee: Option<String>,
    pub priority: Option<i64>,
    #[serde(default)]
    pub archive: bool,
    pub result: Option<String>,
    pub summary: Option<String>,
    pub metadata: Option<Value>,
    /// With `assignee`: reclaim running tasks first.
    #[serde(default)]
    pub reclaim_first: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkResults {
    pub results: Vec<kernel::BulkItem>,
}

/// Applies one change to many tasks; each succeeds or fails on its own.
#[utoipa::path(post, path = "/api/v1/tasks/bulk", params(BoardParam), request_body = BulkBody, responses(
    (status = 200, body = BulkResults, description = "one result per id; failures do not undo successes"),
    (status = 400, description = "no ids, too many ids or a bad status")))]
pub async fn bulk(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<BoardParam>,
    ApiJson(body): ApiJson<BulkBody>,
) -> ApiResult<Json<BulkResults>> {
    let ids = body.ids.clone();
    let mut patch = UpdateTaskBody {
        status: body.status.clone(),
        assignee: None,
        priority: body.priority,
        title: None,
        body: None,
        result: body.result.clone(),
        block_reason: None,
        summary: body.summary.clone(),
        metadata: body.metadata.clone(),
    }
    .to_patch()?;
    if body.archive {
        patch.status = Some(Status::Archived);
    }
    let change = kernel::bulk::BulkChange {
        assignee: body
            .assignee
            .map(|a| Some(a).filter(|a| !a.trim().is_empty())),
        reclaim_first: body.reclaim_first,
        patch,
    };
    run(ops, move |ops| {
        let results = ops.bulk(q.board.as_deref(), &ids, &change)?.detach();
        Ok(Json(BulkResults { results }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentBody {
    pub body: String,
    pub author: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Ok_ {
    pub ok: bool,
}

/// Adds a comment to a task.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/comments", params(("id" = String, Path), BoardParam), request_body = CommentBody,
    responses((status = 200, body = Ok_), (status = 400, description = "blank body"), (status = 404, description = "unknown task")))]
pub async fn add_comment(
    State(ops): State<Ops>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<BoardParam>,
    ApiJson(body): ApiJson<CommentBody>,
) -> ApiResult<Json<Ok_>> {
    if body.body.trim().is_empty() {
        return Err(ApiError::bad_request("body is required"));
    }
    let author = body
        .author
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "dashboard".into());
    run(ops, move |ops| {
        ops.comment(q.board.as_deref(), &id, &author, &body.body, None)?;
        Ok(Json(Ok_ { ok: true }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkBody {
    pub parent_id: String,
    pub child_id: String,
}

/// Makes child_id wait for parent_id (cycles are refused).
#[utoipa::path(post, path = "/api/v1/links", params(BoardParam), request_body = LinkBody,
    responses((status = 200, body = Ok_), (status = 400, description = "self-link, unknown task or cycle")))]
pub async fn add_link(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<BoardParam>,
    ApiJson(body): ApiJson<LinkBody>,
) -> ApiResult<Json<Ok_>> {
    run(ops, move |ops| {
        ops.link(q.board.as_deref(), &body.parent_id, &body.child_id, None)?;
        Ok(Json(Ok_ { ok: true }))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct UnlinkParams {
    pub parent_id: String,
    pub child_id: String,
    pub board: Option<String>,
}

/// Removes a dependency.
#[utoipa::path(delete, path = "/api/v1/links", params(UnlinkParams),
    responses((status = 200, body = Ok_, description = "ok says whether the link existed"), (status = 422, description = "missing parameters")))]
pub async fn delete_link(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<UnlinkParams>,
) -> ApiResult<Json<Ok_>> {
    run(ops, move |ops| {
        Ok(Json(Ok_ {
            ok: ops.unlink(q.board.as_deref(), &q.parent_id, &q.child_id)?,
        }))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct LogParams {
    /// Only the last this many bytes (1 to 2,000,000).
    pub tail: Option<u64>,
    pub board: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LogOut {
    pub task_id: String,
    pub path: String,
    pub exists: bool,
    pub size_bytes: u64,
    pub content: String,
    pub truncated: bool,
}

/// The end of a task's worker log (or what was written since an offset).
#[utoipa::path(get, path = "/api/v1/tasks/{id}/log", params(("id" = String, Path), LogParams),
    responses((status = 200, body = LogOut), (status = 404, description = "unknown task"), (status = 422, description = "tail out of range")))]
pub async fn get_log(
    State(ops): State<Ops>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<LogParams>,
) -> ApiResult<Json<LogOut>> {
    if let Some(t) = q.tail {
        if !(1..=2_000_000).contains(&t) {
            return Err(ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                format!("tail must be between 1 and 2000000 bytes, got {t}"),
            ));
        }
    }
    let home = ops.home().clone();
    let (task, slug) = run(ops, move |ops| {
        ops.read(q.board.as_deref(), |b| {
            Ok((b.get(&id)?, b.slug().to_string()))
        })
    })
    .await?;
    blocking(move || {
        let path = home.log_path(&slug, &task.id);
        let log = kernel::logs::read_tail(&path, q.tail).map_err(|e| {
            ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot read the log: {e}"),
            )
        })?;
        Ok(Json(LogOut {
            task_id: task.id,
            path: path.display().to_string(),
            exists: log.exists,
            size_bytes: log.size,
            truncated: log.truncated,
            content: log.text,
        }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct ReclaimBody {
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReclaimOut {
    pub ok: bool,
    pub task_id: String,
}

/// Takes a running task back: its run closes as reclaimed and it is ready again.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/reclaim", params(("id" = String, Path), BoardParam), request_body = ReclaimBody,
    responses((status = 200, body = ReclaimOut), (status = 404, description = "unknown task"), (status = 409, description = "not running")))]
pub async fn reclaim(
    State(ops): State<Ops>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<BoardParam>,
    body: axum::body::Bytes,
) -> ApiResult<Json<ReclaimOut>> {
    // The body is optional: an empty request reclaims without a reason.
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<ReclaimBody>(&body)
            .map_err(|e| {
                ApiError::new(
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    format!("malformed body: {e}"),
                )
            })?
            .reason
    };
    run(ops, move |ops| {
        let r = ops
            .reclaim(q.board.as_deref(), &id, reason.as_deref())?
            .detach();
        Ok(Json(ReclaimOut {
            ok: true,
            task_id: r.task.id,
        }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReassignBody {
    /// "" or null unassigns.
    pub profile: Option<String>,
    #[serde(default)]
    pub reclaim_first: bool,
    pub reason: Option<String>,
}

/// Gives a task to another profile, optionally reclaiming it first.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/reassign", params(("id" = String, Path), BoardParam), request_body = ReassignBody,
    responses((status = 200, body = Value), (status = 404, description = "unknown task"), (status = 409, description = "running; pass reclaim_first")))]
pub async fn reassign(
    State(ops): State<Ops>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<BoardParam>,
    ApiJson(body): ApiJson<ReassignBody>,
) -> ApiResult<Json<Value>> {
    run(ops, move |ops| {
        let profile = body.profile.as_deref().filter(|p| !p.trim().is_empty());
        let task = ops
            .reassign(
                q.board.as_deref(),
                &id,
                profile,
                body.reclaim_first,
                body.reason.as_deref(),
            )?
            .detach();
        Ok(Json(
            json!({"ok": true, "task_id": task.id, "assignee": task.assignee}),
        ))
    })
    .await
}
