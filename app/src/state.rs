//! What the server hands every page render and server function (server only).

use axum::extract::FromRef;
use kernel::pool::BoardPool;
use kernel::Home;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub home: Home,
    /// Shared board connections; writes through it reach the live stream.
    pub pool: Arc<BoardPool>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state, from inside a server function or a server-side render.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| crate::error::AppError::Internal("server state is missing".into()))
}

/// Runs blocking kernel work off the async runtime.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, crate::error::AppError> + Send + 'static,
) -> Result<T, crate::error::AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| crate::error::AppError::Internal(format!("background task failed: {e}")))?
}
