//! Baton's kernel: the task model every surface shares and, with the `store`
//! feature, the SQLite board with its rules.
//!
//! Layout: `model` (shared types), `error`; behind `store`: `store` (all SQL),
//! `board` (the open-board handle), one module per family of verbs (`create`,
//! `link`, `claim`, `complete`, `block`, `archive`, `assign`, `comment`,
//! `edit`), `ready` (dependency promotion), `query` (reads), `context` (what
//! a worker is told), `home` and `boards` (where boards live on disk).

pub mod agent;
pub mod error;
pub mod event;
pub mod model;
mod names;
pub mod spend;
pub mod waiting;

pub use error::{ErrorKind, KernelError, Result};
pub use event::{Event, EventKind, Payload};
pub use model::*;
pub use waiting::{WaitReason, Waiting};

#[cfg(feature = "store")]
mod archive;
#[cfg(feature = "store")]
mod assign;
#[cfg(feature = "store")]
mod block;
#[cfg(feature = "store")]
pub mod board;
#[cfg(feature = "store")]
pub mod board_view;
#[cfg(feature = "store")]
pub mod boards;
#[cfg(feature = "store")]
pub mod bulk;
#[cfg(feature = "store")]
pub mod claim;
#[cfg(feature = "store")]
pub mod clock;
#[cfg(feature = "store")]
mod comment;
#[cfg(feature = "store")]
pub mod complete;
#[cfg(feature = "store")]
pub mod context;
#[cfg(feature = "store")]
pub mod create;
#[cfg(feature = "store")]
pub mod diagnostics;
#[cfg(feature = "store")]
pub mod edit;
#[cfg(feature = "store")]
pub mod failure;
#[cfg(feature = "store")]
pub mod fence;
#[cfg(feature = "store")]
pub mod gc;
#[cfg(feature = "store")]
pub mod home;
#[cfg(feature = "store")]
pub mod import;
#[cfg(feature = "store")]
mod link;
#[cfg(feature = "store")]
pub mod logs;
#[cfg(feature = "store")]
pub mod moves;
#[cfg(feature = "store")]
pub mod notify;
#[cfg(feature = "store")]
pub mod options;
#[cfg(feature = "store")]
pub mod patch;
#[cfg(feature = "store")]
pub mod pool;
#[cfg(feature = "store")]
pub mod query;
#[cfg(feature = "store")]
pub mod ready;
#[cfg(feature = "store")]
pub mod store;
#[cfg(feature = "store")]
pub mod usage;
#[cfg(feature = "store")]
pub mod validate;
#[cfg(feature = "store")]
pub mod workspace;
#[cfg(feature = "store")]
pub mod worktree;

#[cfg(feature = "store")]
pub use board::Board;
#[cfg(feature = "store")]
pub use clock::Clock;
#[cfg(feature = "store")]
pub use home::Home;
#[cfg(feature = "store")]
pub use options::{BoardOptions, Durability};
