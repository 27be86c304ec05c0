//! The kernel's one error type. Surfaces map it once: [`ErrorKind`] decides the
//! HTTP status, the CLI exit code and the MCP tool error.

use std::path::PathBuf;

/// What kind of refusal an error is, independent of the words in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input breaks a board rule (blank title, cycle, bad slug, …): HTTP 400.
    Invalid,
    /// An id or board that does not exist: HTTP 404.
    NotFound,
    /// The task's current state refuses the transition, or the caller's run is
    /// no longer current: HTTP 409.
    Conflict,
    /// Storage trouble the caller cannot fix by changing the request: HTTP 500.
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum KernelError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{path} is not a Baton database: {reason}; the file was left untouched")]
    NotADatabase { path: PathBuf, reason: String },
    #[error(
        "refusing to open corrupt database {path}: {detail}; the original is untouched and a copy was saved at {backup}"
    )]
    Corrupt {
        path: PathBuf,
        backup: PathBuf,
        detail: String,
    },
    #[error("{path} was written by a newer Baton (schema {found}, this build knows {known}); upgrade baton")]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[cfg(feature = "store")]
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl KernelError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            KernelError::Invalid(_) => ErrorKind::Invalid,
            KernelError::NotFound(_) => ErrorKind::NotFound,
            KernelError::Conflict(_) => ErrorKind::Conflict,
            KernelError::NotADatabase { .. }
            | KernelError::Corrupt { .. }
            | KernelError::SchemaTooNew { .. }
            | KernelError::Io { .. } => ErrorKind::Internal,
            #[cfg(feature = "store")]
            KernelError::Db(_) => ErrorKind::Internal,
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        KernelError::Io {
            context: context.into(),
            source,
        }
    }

    #[cfg(feature = "store")]
    pub(crate) fn task_not_found(id: &str) -> Self {
        KernelError::NotFound(format!("task {id} not found"))
    }
}

impl ErrorKind {
    /// The HTTP status every surface answers with for this kind: the one
    /// mapping from kinds to statuses.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKind::Invalid => 400,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Internal => 500,
        }
    }
}

pub type Result<T, E = KernelError> = std::result::Result<T, E>;
