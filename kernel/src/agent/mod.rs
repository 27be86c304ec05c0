//! What every surface shares about agent runs: the agent kinds, the typed
//! transcript, and the parsers of each CLI's JSON stream; with the store,
//! where a run's transcript and files live.

#[cfg(feature = "store")]
pub mod files;
pub mod kind;
pub mod parse;
pub mod profile;
pub mod transcript;

pub use kind::{AgentKind, OnExit, Permissions};
pub use profile::{Check, Pause, PauseReason, ProfileOut};
pub use transcript::{Entry, Transcript, Usage};
