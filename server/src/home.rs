//! Where this process's boards live and how it opens them, from the command
//! line and the environment: the one place that reads `BATON_HOME`,
//! `BATON_BOARD` and the storage tunables (the kernel reads no environment).

use crate::error::{Error, Result};
use kernel::{BoardOptions, Durability, Home};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `--home` if given, else `$BATON_HOME`, else `~/.baton`; boards opened
/// with the options of [`board_options`], `$BATON_BOARD` preferred when a
/// caller names no board.
pub fn resolve(flag: Option<&Path>) -> Result<Home> {
    let root = match flag {
        Some(p) => p.to_path_buf(),
        None => match env("BATON_HOME") {
            Some(p) => PathBuf::from(p),
            None => env("HOME")
                .map(|h| PathBuf::from(h).join(".baton"))
                .ok_or_else(|| {
                    Error::Usage("cannot find a home: set --home or $BATON_HOME".into())
                })?,
        },
    };
    Ok(Home::at(root)?
        .with_options(board_options())
        .preferring_board(env("BATON_BOARD")))
}

fn env(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty())
}

/// `BATON_BUSY_TIMEOUT_MS` (how long a write waits for another process's
/// lock), `BATON_SYNC=full` (fsync every commit) and
/// `BATON_CLAIM_TTL_SECONDS`; anything unset or malformed keeps its default.
pub fn board_options() -> BoardOptions {
    let mut o = BoardOptions::default();
    if let Some(ms) = env("BATON_BUSY_TIMEOUT_MS").and_then(|v| v.trim().parse::<u64>().ok()) {
        if ms > 0 {
            o.busy_timeout = Duration::from_millis(ms);
        }
    }
    if env("BATON_SYNC").is_some_and(|v| v.trim().eq_ignore_ascii_case("full")) {
        o.durability = Durability::Full;
    }
    if let Some(ttl) = env("BATON_CLAIM_TTL_SECONDS").and_then(|v| v.trim().parse::<i64>().ok()) {
        if ttl > 0 {
            o.claim_ttl = ttl;
        }
    }
    o
}
