//! The server crate's one error type. Its [`ErrorKind`] decides, in one
//! place each, the HTTP status (with a `{"detail": …}` body), the CLI exit
//! code and whether an MCP tool call failed.

use kernel::{ErrorKind, KernelError};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Kernel(#[from] KernelError),
    /// The command line or request was well-formed but its values do not
    /// make sense (CLI exit 2, HTTP 400).
    #[error("{0}")]
    Usage(String),
    /// The board's state refuses the operation, for the reason given (exit 1,
    /// HTTP 409).
    #[error("{0}")]
    Refused(String),
    /// Something on this machine failed that the caller cannot fix by
    /// asking differently (exit 1, HTTP 500).
    #[error("{0}")]
    Failed(String),
    /// `config.toml` (or another settings file) cannot be used: a
    /// server-side configuration error (HTTP 500), naming the file and line.
    #[error("{}: {message}", location(path, *line))]
    Config {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

fn location(path: &std::path::Path, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{} line {l}", path.display()),
        None => path.display().to_string(),
    }
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// A configuration error in `path`, at the line holding byte `offset`
    /// of `text` when it is known.
    pub fn config(
        path: impl Into<PathBuf>,
        text: &str,
        offset: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        let line = offset.map(|o| text[..o.min(text.len())].matches('\n').count() + 1);
        Error::Config {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    /// What kind of failure this is, whatever the words.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Kernel(k) => k.kind(),
            Error::Usage(_) => ErrorKind::Invalid,
            Error::Refused(_) => ErrorKind::Conflict,
            Error::Failed(_) | Error::Config { .. } | Error::Io { .. } => ErrorKind::Internal,
        }
    }

    /// 2 for usage errors, 1 for everything refused or failed.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The dashboard sees the same kind and words.
impl From<Error> for app::error::AppError {
    fn from(e: Error) -> Self {
        app::error::AppError::of_kind(e.kind(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_error_names_the_file_and_line_and_is_a_server_error() {
        let text = "[dispatcher]\ninterval_seconds = 5\nbogus = 1\n";
        let at = text.find("bogus");
        let e = Error::config("/h/config.toml", text, at, "unknown field `bogus`");
        assert_eq!(
            e.to_string(),
            "/h/config.toml line 3: unknown field `bogus`"
        );
        assert_eq!(e.kind(), ErrorKind::Internal);
        assert_eq!(e.kind().http_status(), 500);
        assert_eq!(Error::Refused("no".into()).kind().http_status(), 409);
        assert_eq!(Error::Usage("no".into()).exit_code(), 2);
    }
}
