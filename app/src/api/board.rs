//! Loading a board and refreshing single cards.

use crate::error::AppError;
use kernel::{BoardSummary, BoardView, Card, DashboardConfig};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Everything the board page needs on first load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardData {
    pub view: BoardView,
    pub config: DashboardConfig,
    pub boards: Vec<BoardSummary>,
    /// Assignee names for pickers and filters.
    pub assignees: Vec<String>,
    pub dispatcher_running: bool,
    /// The names of the profiles the dispatcher can start; a task assigned
    /// to anything else waits for a person or an external worker.
    pub profiles: Vec<String>,
}

/// The board `board` with diagnostics on its cards. Without `board`: the
/// board that holds `task` when one is named (a `/tasks/<id>` link), else
/// the current board.
#[server(endpoint = "board_page", input = Json)]
pub async fn board_page(
    board: Option<String>,
    task: Option<String>,
    include_archived: bool,
) -> Result<BoardData, AppError> {
    use crate::state::{app_state, blocking, locate_task, on_board};
    let board = match (board, task) {
        (None, Some(task)) => {
            let st = app_state()?;
            Some(blocking(move || locate_task(&st, None, &task)).await?)
        }
        (board, _) => board,
    };
    on_board(board, move |b, st| {
        let mut view = b.board_view(None, include_archived)?;
        view.attach(&st.ops.diagnostics(b, None)?);
        Ok(BoardData {
            config: st.ops.dashboard_config()?,
            assignees: st.ops.assignee_names(b)?,
            dispatcher_running: st.ops.dispatcher_running(b.slug()),
            // A broken config.toml is the Profiles page's to report; the
            // board still shows.
            profiles: st
                .ops
                .profiles()
                .map(|ps| ps.into_iter().map(|p| p.name).collect())
                .unwrap_or_default(),
            boards: st.ops.board_summaries()?,
            view,
        })
    })
    .await
}

/// A card as it is now; `card` is `None` when the task is gone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardUpdate {
    pub id: String,
    pub card: Option<Card>,
}

/// The cards of `ids`, for live updates of the tasks an event touched.
#[server(endpoint = "load_cards", input = Json)]
pub async fn load_cards(board: String, ids: Vec<String>) -> Result<Vec<CardUpdate>, AppError> {
    use crate::state::on_board;
    if ids.len() > 500 {
        return Err(AppError::Invalid("at most 500 cards per request".into()));
    }
    on_board(Some(board), move |b, st| {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let card = match crate::state::fresh_card(b, st, &id) {
                Ok(card) => Some(card),
                Err(AppError::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            out.push(CardUpdate { id, card });
        }
        Ok(out)
    })
    .await
}
