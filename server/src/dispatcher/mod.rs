//! The dispatcher: one pass releases lapsed claims, detects crashed workers,
//! stops overrunning ones, promotes, then claims ready tasks and starts their
//! profiles' workers within the caps. The loop runs a pass as soon as the
//! board changes and on a periodic tick for the time-based checks.

pub mod classify;
pub mod lock;
mod looping;
pub mod spawn;

pub use looping::{run_daemon, DaemonOptions, ServerDispatcher, Wake};

use crate::agents::files as agent_files;
use crate::agents::settle::{settle, Settled};
use crate::config::Config;
use crate::error::Result;
use crate::process::{self, KILL_GRACE};
use kernel::failure::Failure;
use kernel::store::ListQuery;
use kernel::{Board, Home, Outcome, Status, Task};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct PassOptions {
    /// Report what would be spawned without claiming or spawning.
    pub dry_run: bool,
    /// At most this many workers running on the board (overrides config).
    pub max: Option<usize>,
    /// Consecutive failures before the breaker blocks a task (overrides config).
    pub failure_limit: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Spawned {
    pub task_id: String,
    pub assignee: String,
    pub workspace: String,
    pub run_id: Option<i64>,
    pub pid: Option<u32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Capped {
    pub task_id: String,
    pub assignee: String,
    pub running: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Failed {
    pub task_id: String,
    pub error: String,
    pub gave_up: bool,
}

/// What one pass did. Field names follow the reference's `dispatch --json`.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct PassReport {
    pub board: String,
    pub dry_run: bool,
    pub reclaimed: Vec<String>,
    pub crashed: Vec<String>,
    pub timed_out: Vec<String>,
    pub auto_blocked: Vec<String>,
    pub promoted: Vec<String>,
    pub spawned: Vec<Spawned>,
    pub spawn_failed: Vec<Failed>,
    pub skipped_unassigned: Vec<String>,
    pub skipped_nonspawnable: Vec<String>,
    pub skipped_per_profile_capped: Vec<Capped>,
    /// Ready tasks left waiting because the board-wide cap was reached.
    pub skipped_capped: Vec<String>,
    /// Agents that exited with their run open, whose final answer settled
    /// the task by their profile's `on_exit` (completed or blocked).
    pub settled: Vec<String>,
    /// Tasks whose git worktree was removed (archived, or merged and done).
    pub worktrees_removed: Vec<String>,
    /// Runs the provider rate-limited or refused to log in: back to ready
    /// without counting as failures, their profiles paused.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rate_limited: Vec<String>,
    /// Ready tasks left waiting because their profile is paused.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped_paused: Vec<PausedSkip>,
}

/// A ready task whose profile is paused.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PausedSkip {
    pub task_id: String,
    pub assignee: String,
    /// `rate_limit` or `auth`.
    pub reason: String,
    /// When the pause ends by itself (unix seconds); `None`: when resumed.
    pub until: Option<i64>,
}

impl PassReport {
    /// Spawnable work was waiting and nothing could be started.
    pub fn starved(&self) -> bool {
        self.spawned.is_empty()
            && (!self.skipped_per_profile_capped.is_empty()
                || !self.skipped_capped.is_empty()
                || !self.spawn_failed.is_empty())
    }

    /// One line saying what the pass did ("2 started, 1 promoted"), for the
    /// dashboard and the dispatcher's log.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (n, what) in [
            (self.spawned.len(), "started"),
            (self.promoted.len(), "promoted"),
            (self.reclaimed.len(), "reclaimed"),
            (self.crashed.len(), "crashed"),
            (self.settled.len(), "settled from the agent's answer"),
            (self.rate_limited.len(), "rate-limited"),
            (self.worktrees_removed.len(), "worktrees removed"),
            (self.timed_out.len(), "timed out"),
            (self.auto_blocked.len(), "gave up"),
            (self.spawn_failed.len(), "failed to start"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        let waiting = self.skipped_nonspawnable.len() + self.skipped_unassigned.len();
        if waiting > 0 {
            parts.push(format!("{waiting} waiting for a person"));
        }
        if parts.is_empty() {
            "nothing to do".into()
        } else {
            parts.join(", ")
        }
    }

    pub fn is_idle(&self) -> bool {
        self.reclaimed.is_empty()
            && self.crashed.is_empty()
            && self.settled.is_empty()
            && self.timed_out.is_empty()
            && self.promoted.is_empty()
            && self.spawned.is_empty()
            && self.spawn_failed.is_empty()
    }
}

/// A dispatcher for one board. Holds what outlives a pass.
pub struct Dispatcher {
    home: Home,
    slug: String,
    claimer: String,
    /// When finished tasks' worktrees were last looked at.
    last_sweep: Option<std::time::Instant>,
}

/// How often a pass looks for worktrees that are no longer needed.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// How much of a worker's log is read to tell why it failed.
const LOG_TAIL: u64 = 8 * 1024;

/// What an agent said that can explain a failure: its errors and an error
/// result, newest last.
fn held_back_text(t: &crate::agents::Transcript) -> String {
    let mut out: Vec<String> = t
        .entries
        .iter()
        .filter_map(|e| match e {
            kernel::agent::Entry::Error { message } => Some(message.clone()),
            kernel::agent::Entry::Result {
                text,
                is_error: true,
            } => Some(text.clone()),
            _ => None,
        })
        .collect();
    out.truncate(50);
    out.join("\n")
}

/// The line of `said` that shows the limit or the login failure, for the
/// run's error (else its last non-blank line).
fn first_error_line(said: &str, outcome: Outcome) -> String {
    let lines: Vec<&str> = said
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let wanted = |l: &&&str| {
        let c = classify::classify(l, None, 0);
        match outcome {
            Outcome::RateLimited => matches!(c, classify::Class::RateLimit { .. }),
            _ => c == classify::Class::Auth,
        }
    };
    let line = lines
        .iter()
        .rev()
        .find(wanted)
        .or(lines.last())
        .map(|l| kernel::ellipsize(l, 300))
        .unwrap_or_default();
    if line.is_empty() {
        "the worker exited with EX_TEMPFAIL (75): rate-limited".into()
    } else {
        line
    }
}

fn describe_exit(pid: i64, code: Option<i32>) -> String {
    match code {
        Some(0) => format!(
            "worker pid {pid} exited cleanly (code 0) without completing or blocking its task"
        ),
        Some(c) if c > 0 => format!("worker pid {pid} exited with code {c}"),
        Some(c) => format!("worker pid {pid} was killed by signal {}", -c),
        None => format!("worker pid {pid} is gone"),
    }
}

impl Dispatcher {
    pub fn new(home: Home, slug: &str) -> Dispatcher {
        Dispatcher {
            home,
            slug: slug.to_string(),
            claimer: kernel::claim::default_claimer(),
            last_sweep: None,
        }
    }

    pub fn slug(&self) -> &str {
        &self.slug
    }

    fn local_pid(task: &Task) -> Option<i64> {
        task.worker_pid
            .filter(|_| process::lock_is_local(task.claim_lock.as_deref()))
    }

    /// One pass over the board.
    pub fn pass(&mut self, opts: &PassOptions) -> Result<PassReport> {
        let config = Config::load(&self.home)?;
        let limit = opts
            .failure_limit
            .unwrap_or(config.dispatcher.failure_limit)
            .max(1);
        let mut board = self.home.open_board(&self.slug)?;
        let mut report = PassReport {
            board: self.slug.clone(),
            dry_run: opts.dry_run,
            ..Default::default()
        };
        process::reap();

        // 1. Claims whose TTL lapsed; a live local worker's claim is extended.
        report.reclaimed = board.release_stale_claims(&|t: &Task| {
            Self::local_pid(t).is_some_and(|pid| process::is_alive(pid, t.worker_started))
        })?;

        if !opts.dry_run {
            let running = board.list(&ListQuery {
                status: Some(Status::Running),
                ..Default::default()
            })?;
            let now = board.now();
            for task in &running {
                let (Some(pid), Some(run)) = (Self::local_pid(task), task.current_run_id) else {
                    continue;
                };
                let profile = task.assignee.as_deref().and_then(|a| config.profile(a));
                let profile_limit = profile.and_then(|p| p.failure_limit).unwrap_or(limit);
                // 2. Crashed workers.
                if !process::is_alive(pid, task.worker_started) {
                    let code = process::exit_code(pid);
                    // An agent that exited with its run open: its transcript
                    // settles the run (on_exit), whether it exited a moment
                    // ago or before this process restarted.
                    if let Some(p) = profile.filter(|p| p.kind.is_agent()) {
                        let transcript =
                            agent_files::parse_file(&self.home, &self.slug, &task.id, run)
                                .ok()
                                .flatten();
                        let answered = transcript.as_ref().is_some_and(|t| {
                            t.final_text().is_some() && !t.result().is_some_and(|(_, e)| e)
                        });
                        if code != Some(0) || !answered {
                            let said = transcript.as_ref().map(held_back_text).unwrap_or_default();
                            let said = format!("{said}\n{}", self.log_tail(&task.id));
                            if self.held_back(
                                &mut board,
                                task,
                                run,
                                &said,
                                code,
                                &config,
                                &mut report,
                            ) {
                                continue;
                            }
                        }
                        match settle(
                            &mut board,
                            &task.id,
                            run,
                            p.on_exit,
                            profile_limit,
                            transcript.as_ref(),
                            code,
                        ) {
                            Ok(Settled::Failed { gave_up }) => {
                                report.crashed.push(task.id.clone());
                                if gave_up {
                                    report.auto_blocked.push(task.id.clone());
                                }
                            }
                            Ok(_) => report.settled.push(task.id.clone()),
                            // The run ended meanwhile (the agent completed it).
                            Err(_) => {}
                        }
                        continue;
                    }
                    // A command says it was rate-limited with exit code 75
                    // only: its output is the work's own, which may well
                    // talk about rate limits.
                    if code == Some(classify::EXIT_TEMPFAIL) {
                        let said = self.log_tail(&task.id);
                        if self.held_back(&mut board, task, run, &said, code, &config, &mut report)
                        {
                            continue;
                        }
                    }
                    let f = Failure {
                        outcome: Outcome::Crashed,
                        error: describe_exit(pid, code),
                        details: json!({"pid": pid, "exit_code": code, "claimer": task.claim_lock}),
                    };
                    // A worker that finished its task and exited is not a crash:
                    // the run is no longer current, so nothing is recorded.
                    if let Ok(r) = board.record_failure(&task.id, run, &f, profile_limit) {
                        report.crashed.push(task.id.clone());
                        if r.gave_up {
                            report.auto_blocked.push(task.id.clone());
                        }
                    }
                    continue;
                }
                // 3. Workers past their task's max runtime.
                let Some(max) = task.max_runtime_seconds else {
                    continue;
                };
                let started = board
                    .run(run)?
                    .map_or(task.started_at.unwrap_or(now), |r| r.started_at);
                let elapsed = now - started;
                if elapsed < max {
                    continue;
                }
                let stop = process::terminate(pid, task.worker_started, KILL_GRACE);
                let f = Failure {
                    outcome: Outcome::TimedOut,
                    error: format!("elapsed {elapsed}s > limit {max}s"),
                    details: json!({"pid": pid, "elapsed_seconds": elapsed, "limit_seconds": max, "sigkill": stop.sigkill}),
                };
                if let Ok(r) = board.record_failure(&task.id, run, &f, profile_limit) {
                    report.timed_out.push(task.id.clone());
                    if r.gave_up {
                        report.auto_blocked.push(task.id.clone());
                    }
                }
            }
        }

        // What ended agent runs used, once their processes are gone.
        if !opts.dry_run {
            if let Err(e) = crate::ops::spend::sweep_usage(&self.home, &mut board, &config) {
                tracing::warn!(board = %self.slug, "recording agents' usage: {e}");
            }
        }

        // 4. Promotion.
        report.promoted = board.recompute_ready(limit)?;

        // Worktrees of archived tasks and of done tasks whose branch is
        // merged (kept while they hold uncommitted changes).
        if !opts.dry_run && self.last_sweep.is_none_or(|t| t.elapsed() >= SWEEP_EVERY) {
            self.last_sweep = Some(std::time::Instant::now());
            report.worktrees_removed = kernel::worktree::sweep(&self.home, &mut board, false)?
                .into_iter()
                .filter(|s| s.action == kernel::worktree::SweepAction::Removed)
                .map(|s| s.task_id)
                .collect();
        }

        // 5. Claim and spawn in priority order, within the caps.
        let running = board.list(&ListQuery {
            status: Some(Status::Running),
            ..Default::default()
        })?;
        let mut total = running.len();
        let mut per_profile: BTreeMap<String, usize> = BTreeMap::new();
        for t in &running {
            if let Some(a) = &t.assignee {
                *per_profile.entry(a.clone()).or_default() += 1;
            }
        }
        let cap = opts
            .max
            .or(config.dispatcher.max_concurrent.map(|m| m as usize));
        let paused = crate::pauses::active(&self.home, board.now()).unwrap_or_default();
        for task in board.next_ready(10_000)? {
            let Some(assignee) = task.assignee.clone() else {
                report.skipped_unassigned.push(task.id);
                continue;
            };
            let Some(profile) = config.profile(&assignee) else {
                report.skipped_nonspawnable.push(task.id);
                continue;
            };
            if let Some(p) = paused.get(&assignee) {
                report.skipped_paused.push(PausedSkip {
                    task_id: task.id,
                    assignee,
                    reason: match p.reason {
                        crate::pauses::PauseReason::RateLimit => "rate_limit",
                        crate::pauses::PauseReason::Auth => "auth",
                    }
                    .into(),
                    until: p.until,
                });
                continue;
            }
            if cap.is_some_and(|c| total >= c) {
                report.skipped_capped.push(task.id);
                continue;
            }
            let mine = per_profile.get(&assignee).copied().unwrap_or(0);
            if profile.max_concurrent.is_some_and(|m| mine >= m as usize) {
                report.skipped_per_profile_capped.push(Capped {
                    task_id: task.id,
                    assignee,
                    running: mine,
                });
                continue;
            }
            if opts.dry_run {
                report.spawned.push(Spawned {
                    task_id: task.id,
                    assignee: assignee.clone(),
                    workspace: String::new(),
                    run_id: None,
                    pid: None,
                });
                total += 1;
                *per_profile.entry(assignee).or_default() += 1;
                continue;
            }
            let claimed = match board.claim(&task.id, None, Some(&self.claimer)) {
                Ok(c) => c,
                // Lost to another claimer or sent back to todo: not ours to start.
                Err(_) => continue,
            };
            let profile_limit = profile.failure_limit.unwrap_or(limit);
            match self.start(
                &mut board,
                &assignee,
                profile,
                &claimed.task,
                claimed.run_id,
            ) {
                Ok(s) => {
                    total += 1;
                    *per_profile.entry(assignee).or_default() += 1;
                    report.spawned.push(s);
                }
                Err(error) => {
                    let f = Failure {
                        outcome: Outcome::SpawnFailed,
                        error: error.clone(),
                        details: json!({"profile": assignee}),
                    };
                    let gave_up = board
                        .record_failure(&claimed.task.id, claimed.run_id, &f, profile_limit)
                        .map(|r| r.gave_up)
                        .unwrap_or(false);
                    if gave_up {
                        report.auto_blocked.push(claimed.task.id.clone());
                    }
                    report.spawn_failed.push(Failed {
                        task_id: claimed.task.id,
                        error,
                        gave_up,
                    });
                }
            }
        }
        Ok(report)
    }

    /// The end of a task's worker log, where a command's errors are.
    /// (Baton's own header lines, which quote the prompt, are left out.)
    fn log_tail(&self, id: &str) -> String {
        let text = kernel::logs::tail_bytes(&self.home.log_path(&self.slug, id), Some(LOG_TAIL))
            .map(|(b, _, _)| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        text.lines()
            .filter(|l| !l.starts_with("=== baton:"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A failed run the provider turned away (a rate limit or quota, a
    /// login that does not work): recorded as such, not as a failure, and
    /// its profile paused. Returns whether it was one.
    #[allow(clippy::too_many_arguments)]
    fn held_back(
        &self,
        board: &mut Board,
        task: &Task,
        run: i64,
        said: &str,
        code: Option<i32>,
        config: &Config,
        report: &mut PassReport,
    ) -> bool {
        use crate::pauses::{PauseReason, Trigger};
        use classify::Class;
        let now = board.now();
        let (outcome, reason, reset_at) = match classify::classify(said, code, now) {
            Class::RateLimit { reset_at } => {
                (Outcome::RateLimited, PauseReason::RateLimit, reset_at)
            }
            Class::Auth => (Outcome::AuthFailed, PauseReason::Auth, None),
            Class::Transient | Class::Deterministic => return false,
        };
        let error = first_error_line(said, outcome);
        let held = kernel::failure::HeldBack {
            outcome,
            error: error.clone(),
            reset_at,
            details: json!({"exit_code": code, "profile": task.assignee}),
        };
        let cap = config.dispatcher.rate_limit_requeues;
        if board.record_held_back(&task.id, run, &held, cap).is_err() {
            return false;
        }
        if let Some(profile) = &task.assignee {
            let t = Trigger {
                reason,
                message: &error,
                reset_at,
                task: &task.id,
                board: &self.slug,
            };
            match crate::pauses::pause(&self.home, profile, &t, now) {
                Ok(p) => tracing::warn!(
                    board = %self.slug, task = %task.id, profile = %profile,
                    "profile paused {}: {error}", crate::pauses::describe(&p, now)
                ),
                Err(e) => tracing::warn!("cannot pause profile {profile}: {e}"),
            }
        }
        report.rate_limited.push(task.id.clone());
        true
    }

    /// Resolves the workspace and starts the worker for a claimed task.
    fn start(
        &mut self,
        board: &mut Board,
        assignee: &str,
        profile: &crate::config::Profile,
        task: &Task,
        run_id: i64,
    ) -> std::result::Result<Spawned, String> {
        let workspace = self
            .home
            .resolve_workspace(&self.slug, task)
            .map_err(|e| e.to_string())?;
        if task.workspace_kind == kernel::WorkspaceKind::Worktree {
            let repo = kernel::worktree::repo_of(&self.home, &self.slug)?;
            kernel::worktree::ensure(&repo, &workspace, &kernel::worktree::branch_for(task))?;
        }
        board
            .set_workspace_path(&task.id, &workspace)
            .map_err(|e| e.to_string())?;
        let agent = profile.kind.is_agent();
        let prompt = if agent {
            let context = board.worker_context(&task.id).map_err(|e| e.to_string())?;
            crate::agents::guidance::prompt(&context, &task.id, profile.kind)
        } else {
            board
                .worker_prompt(&task.id, profile.mcp)
                .map_err(|e| e.to_string())?
        };
        // An agent's guidance and per-run files; nothing for a command.
        let agent_run = agent.then(|| {
            (
                crate::agents::guidance::for_task(task, profile.kind),
                agent_files::transcript_path(&self.home, &self.slug, &task.id, run_id),
                agent_files::run_dir(&self.home, &self.slug, &task.id, run_id),
            )
        });
        let log = self.home.log_path(&self.slug, &task.id);
        let pid = spawn::spawn(&spawn::SpawnSpec {
            profile_name: assignee,
            profile,
            task,
            run_id,
            workspace: &workspace,
            prompt: &prompt,
            home: self.home.root(),
            board: &self.slug,
            log: &log,
            agent: agent_run
                .as_ref()
                .map(|(guidance, transcript, run_dir)| spawn::AgentRun {
                    transcript,
                    run_dir,
                    guidance,
                    started: board.now(),
                }),
        })
        .map_err(|e| e.to_string())?;
        let started = process::start_time(pid as i64);
        if let Err(e) = board.record_spawn(&task.id, run_id, pid as i64, started) {
            // The task moved on while we started it (archived, reclaimed): stop the worker.
            process::terminate(pid as i64, started, KILL_GRACE);
            return Err(format!("the task changed while its worker started: {e}"));
        }
        Ok(Spawned {
            task_id: task.id.clone(),
            assignee: assignee.to_string(),
            workspace: workspace.display().to_string(),
            run_id: Some(run_id),
            pid: Some(pid),
        })
    }
}
