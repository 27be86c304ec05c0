//! The server crate's one error type, mapped once to a CLI exit code and once
//! to an HTTP status with a `{"detail": …}` body.

use kernel::KernelError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Kernel(#[from] KernelError),
    /// The command line was well-formed but its values do not make sense.
    #[error("{0}")]
    Usage(String),
    /// The operation was refused or failed for a reason given in the message.
    #[error("{0}")]
    Failed(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
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
