//! What the server hands every page render and server function (server only).

use crate::error::AppError;
use axum::extract::FromRef;
use kernel::pool::BoardPool;
use kernel::{Board, DashboardConfig, Diagnostic, Home, HomeChannel, Task};
use leptos::config::LeptosOptions;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What the server process provides beyond the kernel: configuration, the
/// dispatcher and process control. The REST API and the server functions
/// use the same implementation.
pub trait Services: Send + Sync + 'static {
    /// Diagnostics per task of `board` (or of one task).
    fn diagnostics(
        &self,
        board: &mut Board,
        task: Option<&str>,
    ) -> Result<BTreeMap<String, Vec<Diagnostic>>, AppError>;
    fn dashboard_config(&self) -> Result<DashboardConfig, AppError>;
    /// Assignee names for pickers: configured profiles and names on the board.
    fn assignee_names(&self, board: &mut Board) -> Result<Vec<String>, AppError>;
    fn dispatcher_running(&self, slug: &str) -> bool;
    /// Runs a dispatcher pass now; a one-line summary of what it did.
    fn dispatch_now(&self, slug: &str) -> Result<String, AppError>;
    /// Stops the worker of a task that was just taken back, if it runs here.
    fn stop_worker(&self, before: &Task);
    /// Configured notification channels, each saying whether `task` is subscribed.
    fn home_channels(&self, board: &mut Board, task: &str) -> Result<Vec<HomeChannel>, AppError>;
    /// Subscribes `task` to a configured channel, or ends that subscription.
    fn set_home_channel(
        &self,
        board: &mut Board,
        task: &str,
        channel: &str,
        on: bool,
    ) -> Result<HomeChannel, AppError>;
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub home: Home,
    /// Shared board connections; writes through it reach the live stream.
    pub pool: Arc<BoardPool>,
    pub services: Arc<dyn Services>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state, from inside a server function or a server-side render.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| AppError::Internal("server state is missing".into()))
}

/// Runs blocking kernel work off the async runtime.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let out = tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("background task failed: {e}")))
        .and_then(|r| r);
    if let Err(e) = &out {
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(e.status());
        }
    }
    out
}

/// Runs `f` on board `board` (or the current board) off the async runtime.
pub async fn on_board<T: Send + 'static>(
    board: Option<String>,
    f: impl FnOnce(&mut Board, &AppState) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let state = app_state()?;
    blocking(move || {
        let slug = state.pool.resolve(board.as_deref())?;
        let mut out = None;
        state.pool.with(&slug, |b| {
            out = Some(f(b, &state));
            Ok(())
        })?;
        out.expect("the closure ran")
    })
    .await
}

/// A card as it is now, with its diagnostics.
pub fn fresh_card(b: &mut Board, st: &AppState, id: &str) -> Result<kernel::Card, AppError> {
    let mut card = b.card(id)?;
    if let Some(d) = st.services.diagnostics(b, Some(id))?.remove(id) {
        card.warnings = kernel::Warnings::of(&d);
        card.diagnostics = d;
    }
    Ok(card)
}

/// The board that holds task `id`: `board` when given, else the current
/// board, else the first board that has it (a link to `/tasks/<id>` names
/// no board).
pub fn locate_task(st: &AppState, board: Option<&str>, id: &str) -> Result<String, AppError> {
    if let Some(b) = board {
        return Ok(st.pool.resolve(Some(b))?);
    }
    let current = st.pool.resolve(None)?;
    let mut slugs = vec![current.clone()];
    slugs.extend(
        st.home
            .list_boards(false)
            .into_iter()
            .map(|m| m.slug)
            .filter(|s| *s != current),
    );
    for slug in slugs {
        if st.pool.with(&slug, |b| Ok(b.get(id).is_ok()))? {
            return Ok(slug);
        }
    }
    Err(AppError::NotFound(format!("no task {id} on any board")))
}
