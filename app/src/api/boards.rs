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
        let meta = st.home.create_board(
            &slug,
            &kernel::boards::BoardFields {
                name: Some(name).filter(|n| !n.trim().is_empty()),
                ..Default::default()
            },
        )?;
        st.home.switch_board(&meta.slug)?;
        Ok(BoardSummary {
            slug: meta.slug,
            name: meta.name,
            icon: meta.icon,
            is_current: true,
            open: 0,
        })
    })
    .await
}

/// Makes `slug` the current board (what `/` and the CLI default to).
#[server(endpoint = "switch_board", input = Json)]
pub async fn switch_board(slug: String) -> Result<String, AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || Ok(st.home.switch_board(&slug)?)).await
}
