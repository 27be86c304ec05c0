//! How a process opens its boards. The kernel never reads the environment:
//! the binary builds these once (from flags, variables and defaults) and
//! hands them to [`crate::Home`].

use std::time::Duration;

/// When a commit reaches the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=NORMAL` in WAL mode: a commit survives the process
    /// crashing; the last ones may be lost if the machine loses power.
    #[default]
    Normal,
    /// `synchronous=FULL`: every commit is fsynced (slower).
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardOptions {
    /// How long a writer waits for another process's lock before failing.
    pub busy_timeout: Duration,
    pub durability: Durability,
    /// Seconds a claim lasts without a heartbeat, unless a claim names its own.
    pub claim_ttl: i64,
}

impl Default for BoardOptions {
    fn default() -> Self {
        BoardOptions {
            busy_timeout: Duration::from_secs(30),
            durability: Durability::Normal,
            claim_ttl: crate::claim::DEFAULT_CLAIM_TTL,
        }
    }
}
