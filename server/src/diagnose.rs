//! Running the kernel's diagnostics rules with what this process knows about
//! dispatchers and profiles, for the CLI and the API alike.

use crate::config::Config;
use crate::dispatcher::lock;
use crate::error::Result;
use crate::process;
use kernel::diagnostics::{Environment, ProfileState};
use kernel::{Board, Diagnostic, Home};
use std::collections::BTreeMap;

/// Whether a live process holds the board's dispatcher lock.
pub fn dispatcher_running(home: &Home, slug: &str) -> bool {
    lock::holder(&lock::lock_path(&home.board_dir(slug)))
        .is_some_and(|pid| process::is_alive(pid as i64, None))
}

/// Profiles with their running workers, caps and pauses, and whether the
/// board is dispatched.
pub fn environment(
    home: &Home,
    config: &Config,
    board: &mut Board,
    dispatcher_running: bool,
) -> Result<Environment> {
    // Running counts matter only for profiles with a cap; skip the count otherwise.
    let by_assignee = if config.profiles.values().any(|p| p.max_concurrent.is_some()) {
        board.stats()?.by_assignee
    } else {
        Default::default()
    };
    let mut paused = crate::pauses::active(home, board.now()).unwrap_or_default();
    let profiles = config
        .profiles
        .iter()
        .map(|(name, p)| {
            let running = by_assignee
                .get(name)
                .and_then(|c| c.get("running"))
                .copied()
                .unwrap_or(0) as usize;
            (
                name.clone(),
                ProfileState {
                    running,
                    max_concurrent: p.max_concurrent.map(|m| m as usize),
                    paused: paused.remove(name),
                },
            )
        })
        .collect();
    Ok(Environment {
        dispatcher_running,
        profiles,
    })
}

/// Diagnostics per task id (all candidates, or one task); rules that failed
/// are logged and skipped.
pub fn board_diagnostics(
    home: &Home,
    config: &Config,
    board: &mut Board,
    dispatcher_running: bool,
    task: Option<&str>,
) -> Result<BTreeMap<String, Vec<Diagnostic>>> {
    let env = environment(home, config, board, dispatcher_running)?;
    let out = board.diagnostics(&config.diagnostics, &env, task)?;
    for f in &out.failures {
        tracing::warn!(rule = %f.rule, task = %f.task_id, "diagnostic rule failed: {}", f.error);
    }
    Ok(out.by_task)
}
