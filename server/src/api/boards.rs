//! Board management routes.

use super::{run, ApiJson, ApiQuery, ApiResult};
use crate::ops::views::BoardOut;
use crate::ops::Ops;
use axum::extract::{Path, State};
use axum::Json;
use kernel::boards::{normalize_slug, BoardFields, RemovedBoard};
use kernel::BoardMeta;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardList {
    pub boards: Vec<BoardOut>,
    pub current: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    #[serde(default)]
    pub include_archived: bool,
}

/// Every board with its task counts.
#[utoipa::path(get, path = "/api/v1/boards", params(ListQuery), responses((status = 200, body = BoardList)))]
pub async fn list(
    State(ops): State<Ops>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<BoardList>> {
    run(ops, move |ops| {
        let boards = ops.boards(q.include_archived)?;
        Ok(Json(BoardList {
            current: ops.home().current_board(),
            boards,
        }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateBoardBody {
    pub slug: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub icon: Option<String>,
    pub color: Option<String>,
    /// Absolute existing directory for dir/worktree tasks.
    pub default_workdir: Option<String>,
    #[serde(default)]
    pub switch: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardCreated {
    pub board: BoardMeta,
    pub current: String,
}

/// Creates a board.
#[utoipa::path(post, path = "/api/v1/boards", request_body = CreateBoardBody, responses(
    (status = 200, body = BoardCreated), (status = 400, description = "bad slug or workdir")))]
pub async fn create(
    State(ops): State<Ops>,
    ApiJson(body): ApiJson<CreateBoardBody>,
) -> ApiResult<Json<BoardCreated>> {
    run(ops, move |ops| {
        let meta = ops.create_board(
            &body.slug,
            &BoardFields {
                name: body.name,
                description: body.description,
                icon: body.icon,
                color: body.color,
                default_workdir: body.default_workdir.map(Some),
            },
            body.switch,
        )?;
        Ok(Json(BoardCreated {
            board: meta,
            current: ops.home().current_board(),
        }))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateBoardBody {
    pub name: Option<String>,
    pub description: Option<String>,
    pub icon: Option<String>,
    pub color: Option<String>,
    /// null leaves it, "" clears it, a path sets it.
    pub default_workdir: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardOnly {
    pub board: BoardMeta,
}

/// Renames a board or changes its description, icon, colour or default workdir.
#[utoipa::path(patch, path = "/api/v1/boards/{slug}", params(("slug" = String, Path)), request_body = UpdateBoardBody,
    responses((status = 200, body = BoardOnly), (status = 400, description = "bad slug or workdir"), (status = 404, description = "unknown board")))]
pub async fn update(
    State(ops): State<Ops>,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<UpdateBoardBody>,
) -> ApiResult<Json<BoardOnly>> {
    run(ops, move |ops| {
        let meta = ops.update_board(
            &slug,
            &BoardFields {
                name: body.name,
                description: body.description,
                icon: body.icon,
                color: body.color,
                default_workdir: body
                    .default_workdir
                    .map(|w| Some(w).filter(|w| !w.trim().is_empty())),
            },
        )?;
        Ok(Json(BoardOnly { board: meta }))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RemoveQuery {
    /// Erase the board instead of archiving it.
    #[serde(default)]
    pub delete: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardRemoved {
    pub result: RemovedBoard,
    pub current: String,
}

/// Removes a board (archived under boards/_archived unless delete=true).
#[utoipa::path(delete, path = "/api/v1/boards/{slug}", params(("slug" = String, Path), RemoveQuery), responses(
    (status = 200, body = BoardRemoved), (status = 400, description = "the default board, or a bad slug"), (status = 404, description = "unknown board")))]
pub async fn remove(
    State(ops): State<Ops>,
    Path(slug): Path<String>,
    ApiQuery(q): ApiQuery<RemoveQuery>,
) -> ApiResult<Json<BoardRemoved>> {
    run(ops, move |ops| {
        let result = ops.remove_board(&slug, q.delete)?;
        Ok(Json(BoardRemoved {
            result,
            current: ops.home().current_board(),
        }))
    })
    .await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Current {
    pub current: String,
}

/// Makes a board the current one.
#[utoipa::path(post, path = "/api/v1/boards/{slug}/switch", params(("slug" = String, Path)), responses(
    (status = 200, body = Current), (status = 400, description = "bad slug"), (status = 404, description = "unknown board")))]
pub async fn switch(State(ops): State<Ops>, Path(slug): Path<String>) -> ApiResult<Json<Current>> {
    run(ops, move |ops| {
        normalize_slug(&slug)?;
        Ok(Json(Current {
            current: ops.switch_board(&slug)?,
        }))
    })
    .await
}
