//! Profiles as every surface shows them, and the doctor's verdict on one.

use super::kind::{AgentKind, OnExit, Permissions};
use serde::{Deserialize, Serialize};

/// A profile as callers see it. Environment values may hold keys, so only
/// their names are shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileOut {
    pub name: String,
    pub kind: AgentKind,
    /// The argv of a `command` profile.
    pub command: Vec<String>,
    pub bin: Option<String>,
    pub model: Option<String>,
    pub args: Vec<String>,
    pub permissions: Permissions,
    pub on_exit: OnExit,
    pub max_concurrent: Option<u32>,
    pub failure_limit: Option<i64>,
    pub env_keys: Vec<String>,
    /// In force now: the dispatcher starts none of its tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<Pause>,
}

/// Why a profile is paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PauseReason {
    /// Its provider rate-limited it (or its quota ran out).
    RateLimit,
    /// Its login does not work.
    Auth,
}

/// A profile's pause: the dispatcher starts none of its tasks meanwhile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pause {
    pub reason: PauseReason,
    /// What the agent said.
    pub message: String,
    pub since: i64,
    /// When it ends by itself; `None`: when someone resumes it.
    pub until: Option<i64>,
    /// Whether `until` came from the provider (else it is backoff).
    #[serde(default)]
    pub from_provider: bool,
    /// Rate-limit pauses in a row, for the backoff.
    #[serde(default)]
    pub strikes: u32,
    /// The task whose run set it off, and its board.
    pub task: Option<String>,
    pub board: Option<String>,
}

impl Pause {
    /// Whether it is in force at `now`.
    pub fn active(&self, now: i64) -> bool {
        self.until.is_none_or(|u| u > now)
    }
}

/// The doctor's verdict on one profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Check {
    pub profile: String,
    pub kind: AgentKind,
    /// The program as configured or defaulted (`claude`, `/opt/bin/codex`).
    pub program: String,
    /// Where it was found, if it was.
    pub path: Option<String>,
    /// The first line `--version` printed.
    pub version: Option<String>,
    /// What it can authenticate with (`ANTHROPIC_API_KEY is set`,
    /// `logged in (~/.codex/auth.json)`), if anything was found.
    pub credentials: Option<String>,
    /// Baton can start it: found, and it ran.
    pub ok: bool,
    /// What is wrong or doubtful, each with what to do.
    pub problems: Vec<String>,
}
