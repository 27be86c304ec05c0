//! The app's one error type: what a server function can fail with, as the
//! browser sees it. Kernel errors map into it once, keeping their kind.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The request breaks a board rule.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    /// The task's state refuses the change.
    #[error("{0}")]
    Conflict(String),
    #[error("server error: {0}")]
    Internal(String),
    /// The call itself failed (network, encoding).
    #[error("request failed: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<kernel::KernelError> for AppError {
    fn from(e: kernel::KernelError) -> Self {
        use kernel::ErrorKind;
        let msg = e.to_string();
        match e.kind() {
            ErrorKind::Invalid => AppError::Invalid(msg),
            ErrorKind::NotFound => AppError::NotFound(msg),
            ErrorKind::Conflict => AppError::Conflict(msg),
            ErrorKind::Internal => AppError::Internal(msg),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status a server function answers with when it fails this way,
    /// so a refused move reads as 409 in logs and proxies, not as a crash.
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal(_) | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}
