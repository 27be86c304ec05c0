//! Board management routes.

use super::{blocking, ApiError, ApiJson, ApiQuery, ApiResult, ApiState};
use axum::extract::{Path, State};
use axum::Json;
use kernel::boards::{normalize_slug, BoardFields, RemovedBoard};
use kernel::{BoardMeta, Home, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardOut {
    #[serde(flatten)]
    pub meta: BoardMeta,
    pub is_current: bool,
    /// Tasks per status, archived included.
    pub counts: BTreeMap<String, i64>,
    pub total: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardList {
    pub boards: Vec<BoardOut>,
    pub current: String,
}

fn board_out(home: &Home, meta: BoardMeta, current: &str) -> ApiResult<BoardOut> {
    let mut b = home.open_board(&meta.slug)?;
    let mut counts = b.stats()?.by_status;
    let archived = b
        .list(&kernel::store::ListQuery {
            status: Some(Status::Archived),
            ..Default::default()
        })?
        .len() as i64;
    if archived > 0 {
        counts.insert("archived".into(), archived);
    }
    Ok(BoardOut {
        is_current: meta.slug == current,
        total: counts.values().sum(),
        counts,
        meta,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    #[serde(default)]
    pub include_archived: bool,
}

/// Every board with its task counts.
#[utoipa::path(get, path = "/api/v1/boards", params(ListQuery), responses((status = 200, body = BoardList)))]
pub async fn list(
    State(st): State<ApiState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<BoardList>> {
    let home = st.home().clone();
    blocking(move || {
        let current = home.current_board();
        let boards = home
            .list_boards(q.include_archived)
            .into_iter()
            .map(|m| board_out(&home, m, &current))
            .collect::<ApiResult<_>>()?;
        Ok(Json(BoardList { boards, current }))
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
    State(st): State<ApiState>,
    ApiJson(body): ApiJson<CreateBoardBody>,
) -> ApiResult<Json<BoardCreated>> {
    let home = st.home().clone();
    blocking(move || {
        let meta = home.create_board(
            &body.slug,
            &BoardFields {
                name: body.name,
                description: body.description,
                icon: body.icon,
                color: body.color,
                default_workdir: body.default_workdir.map(Some),
            },
        )?;
        if body.switch {
            home.switch_board(&meta.slug)?;
        }
        Ok(Json(BoardCreated {
            board: meta,
            current: home.current_board(),
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
    State(st): State<ApiState>,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<UpdateBoardBody>,
) -> ApiResult<Json<BoardOnly>> {
    let home = st.home().clone();
    blocking(move || {
        let meta = home.update_board(
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
    State(st): State<ApiState>,
    Path(slug): Path<String>,
    ApiQuery(q): ApiQuery<RemoveQuery>,
) -> ApiResult<Json<BoardRemoved>> {
    let pool = st.pool.clone();
    blocking(move || {
        let result = pool.home().remove_board(&slug, q.delete)?;
        pool.forget(&result.slug);
        Ok(Json(BoardRemoved {
            result,
            current: pool.home().current_board(),
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
pub async fn switch(
    State(st): State<ApiState>,
    Path(slug): Path<String>,
) -> ApiResult<Json<Current>> {
    let home = st.home().clone();
    blocking(move || {
        normalize_slug(&slug).map_err(|e| ApiError::bad_request(e.to_string()))?;
        Ok(Json(Current {
            current: home.switch_board(&slug)?,
        }))
    })
    .await
}
