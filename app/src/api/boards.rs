//! The board switcher: creating and switching boards.

use crate::error::AppError;
use kernel::BoardSummary;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Creates a board (or returns the existing one) and makes it current.
#[server(endpoint = "create_board", input = Json)]
pub async fn create_board(slug: String, name: String) -> Result<BoardSummary, AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || {
        st.ops
            .create_board(&slug, Some(name).filter(|n| !n.trim().is_empty()))
    })
    .await
}

/// Makes `slug` the current board (what `/` and the CLI default to).
#[server(endpoint = "switch_board", input = Json)]
pub async fn switch_board(slug: String) -> Result<String, AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || st.ops.switch_board(&slug)).await
}

/// Every board with its count of tasks still to do, for the switcher to
/// stay current (a board made from the CLI, tasks added on another board).
#[server(endpoint = "board_summaries", input = Json)]
pub async fn board_summaries() -> Result<Vec<BoardSummary>, AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || st.ops.board_summaries()).await
}
