//! Real agents on the board: how each agent CLI a profile can name as its
//! `kind` is started with Baton's MCP tools for its run, the guidance it is
//! given, the doctor's check, and how a run it left open is settled. The
//! kinds, transcripts and their parsers are the kernel's (`kernel::agent`),
//! shared with the dashboard.

pub mod doctor;
pub mod guidance;
pub mod hermes;
pub mod launch;
pub mod settle;

pub use kernel::agent::{files, kind, parse, transcript};
pub use kernel::agent::{AgentKind, Entry, OnExit, Permissions, Transcript, Usage};
