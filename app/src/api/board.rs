//! Loading a board.

use crate::error::AppError;
use kernel::Task;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One board as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardSnapshot {
    pub slug: String,
    pub tasks: Vec<Task>,
    pub now: i64,
}

/// The tasks of `board` (default: the current board), in board order.
#[server(endpoint = "load_board")]
pub async fn load_board(board: Option<String>) -> Result<BoardSnapshot, AppError> {
    use crate::state::{app_state, blocking};
    let pool = app_state()?.pool;
    blocking(move || {
        let slug = pool.resolve(board.as_deref())?;
        Ok(pool.with(&slug, |b| {
            Ok(BoardSnapshot {
                tasks: b.list(&Default::default())?,
                now: b.now(),
                slug: slug.clone(),
            })
        })?)
    })
    .await
}
