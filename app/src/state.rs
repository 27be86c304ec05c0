//! What the server hands every page render and server function (server only).

use crate::error::AppError;
use axum::extract::FromRef;
use kernel::bulk::BulkChange;
use kernel::create::NewTask;
use kernel::patch::Patch;
use kernel::pool::BoardPool;
use kernel::{
    Board, BoardSummary, BulkItem, Comment, DashboardConfig, Diagnostic, Home, HomeChannel, Task,
    Waiting,
};
use leptos::config::LeptosOptions;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The server's operations, as the dashboard's server functions reach them.
/// The server implements this once, over the same operation functions its
/// REST API, CLI and MCP tools call, so every surface changes tasks the same
/// way (stopping workers, waking the dispatcher, saying why a task waits).
/// Every method blocks: call it from [`blocking`].
pub trait Operations: Send + Sync + 'static {
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
    /// Every board for the switcher.
    fn board_summaries(&self) -> Result<Vec<BoardSummary>, AppError>;
    /// Creates a task; why it will wait, if it will.
    fn create(&self, slug: &str, new: NewTask) -> Result<(Task, Option<Waiting>), AppError>;
    /// A hand move or an edit: every field of `patch` or none.
    fn patch(&self, slug: &str, id: &str, patch: &Patch) -> Result<Task, AppError>;
    fn reclaim(&self, slug: &str, id: &str, reason: &str) -> Result<Task, AppError>;
    fn reassign(
        &self,
        slug: &str,
        id: &str,
        assignee: Option<&str>,
        reclaim_first: bool,
        reason: &str,
    ) -> Result<Task, AppError>;
    /// Each (id, change) on its own; one result per id, in order.
    fn bulk(
        &self,
        slug: &str,
        changes: Vec<(String, BulkChange)>,
    ) -> Result<Vec<BulkItem>, AppError>;
    fn comment(&self, slug: &str, id: &str, body: &str) -> Result<Comment, AppError>;
    fn link(&self, slug: &str, parent: &str, child: &str) -> Result<bool, AppError>;
    fn unlink(&self, slug: &str, parent: &str, child: &str) -> Result<bool, AppError>;
    /// Runs a dispatcher pass now; a one-line summary of what it did.
    fn dispatch_now(&self, slug: &str) -> Result<String, AppError>;
    /// Creates a board (or updates the existing one's name) and makes it current.
    fn create_board(&self, slug: &str, name: Option<String>) -> Result<BoardSummary, AppError>;
    fn switch_board(&self, slug: &str) -> Result<String, AppError>;
    /// Configured notification channels, each saying whether `task` is subscribed.
    fn home_channels(&self, board: &mut Board, task: &str) -> Result<Vec<HomeChannel>, AppError>;
    /// The profiles in config.toml, by name.
    fn profiles(&self) -> Result<Vec<crate::api::profiles::ProfileOut>, AppError>;
    /// The doctor's verdict on each profile.
    fn check_profiles(&self) -> Result<Vec<crate::api::profiles::Check>, AppError>;
    fn save_profile(
        &self,
        form: crate::api::profiles::ProfileForm,
    ) -> Result<crate::api::profiles::ProfileOut, AppError>;
    fn delete_profile(&self, name: &str) -> Result<(), AppError>;
    /// Ends a profile's pause (a rate limit, a failed login) now.
    fn resume_profile(&self, name: &str) -> Result<(), AppError>;
    /// The roll-up of `board` (`Some("*")`: every board) grouped `by`.
    fn spend(
        &self,
        board: Option<&str>,
        by: kernel::spend::SpendBy,
        q: &kernel::spend::SpendQuery,
    ) -> Result<kernel::spend::SpendReport, AppError>;
    /// Subscribes `task` to a configured channel, or ends that subscription.
    fn set_home_channel(
        &self,
        slug: &str,
        task: &str,
        channel: &str,
        on: bool,
    ) -> Result<HomeChannel, AppError>;
}

/// The dashboard's share of the server's state.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    /// Shared board connections, for reads; writes go through `ops`.
    pub pool: Arc<BoardPool>,
    pub ops: Arc<dyn Operations>,
}

impl AppState {
    pub fn home(&self) -> &Home {
        self.pool.home()
    }
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

/// Runs `f` with the state off the async runtime, on the board a request
/// names (or the current board), given by its slug.
pub async fn with_board<T: Send + 'static>(
    board: Option<String>,
    f: impl FnOnce(&AppState, String) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let state = app_state()?;
    blocking(move || {
        let slug = state.pool.resolve(board.as_deref())?;
        f(&state, slug)
    })
    .await
}

/// Runs `f` on an open connection to the board a request names (or the
/// current board), off the async runtime: for reads.
pub async fn on_board<T: Send + 'static>(
    board: Option<String>,
    f: impl FnOnce(&mut Board, &AppState) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    with_board(board, move |st, slug| st.pool.with(&slug, |b| f(b, st))).await
}

/// A card as it is now, with its diagnostics.
pub fn fresh_card(b: &mut Board, st: &AppState, id: &str) -> Result<kernel::Card, AppError> {
    let mut card = b.card(id)?;
    if let Some(d) = st.ops.diagnostics(b, Some(id))?.remove(id) {
        card.warnings = kernel::Warnings::of(&d);
        card.diagnostics = d;
    }
    Ok(card)
}

/// The card of `id` on `slug` after a change.
pub fn card_on(st: &AppState, slug: &str, id: &str) -> Result<kernel::Card, AppError> {
    st.pool.with(slug, |b| fresh_card(b, st, id))
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
        st.home()
            .list_boards(false)
            .into_iter()
            .map(|m| m.slug)
            .filter(|s| *s != current),
    );
    for slug in slugs {
        if st
            .pool
            .with(&slug, |b| Ok::<_, AppError>(b.get(id).is_ok()))?
        {
            return Ok(slug);
        }
    }
    Err(AppError::NotFound(format!("no task {id} on any board")))
}
