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
    /// The call itself failed (encoding, an unexpected answer).
    #[error("request failed: {0}")]
    Transport(String),
    /// The server could not be reached at all: said in plain words, since
    /// the browser's own message ("TypeError: Failed to fetch") tells a
    /// person nothing.
    #[error("Baton's server did not answer, so nothing was changed. Try again once the board shows Live.")]
    Unreachable,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Unreachable,
            other => AppError::Transport(other.to_string()),
        }
    }
}

impl AppError {
    /// The error for a failure of `kind`, with its message.
    pub fn of_kind(kind: kernel::ErrorKind, message: String) -> AppError {
        use kernel::ErrorKind;
        match kind {
            ErrorKind::Invalid => AppError::Invalid(message),
            ErrorKind::NotFound => AppError::NotFound(message),
            ErrorKind::Conflict => AppError::Conflict(message),
            ErrorKind::Internal => AppError::Internal(message),
        }
    }

    pub fn kind(&self) -> kernel::ErrorKind {
        use kernel::ErrorKind;
        match self {
            AppError::Invalid(_) => ErrorKind::Invalid,
            AppError::NotFound(_) => ErrorKind::NotFound,
            AppError::Conflict(_) => ErrorKind::Conflict,
            AppError::Internal(_) | AppError::Transport(_) | AppError::Unreachable => {
                ErrorKind::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<kernel::KernelError> for AppError {
    fn from(e: kernel::KernelError) -> Self {
        AppError::of_kind(e.kind(), e.to_string())
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status a server function answers with when it fails this way,
    /// so a refused move reads as 409 in logs and proxies, not as a crash.
    pub fn status(&self) -> axum::http::StatusCode {
        axum::http::StatusCode::from_u16(self.kind().http_status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
    }
}
