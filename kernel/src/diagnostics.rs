//! Diagnostics: rules that explain what is wrong with a task and how to fix
//! it. Each rule is a pure function of the task, its events and runs, the
//! time, the thresholds and what the caller knows about the dispatcher; it
//! returns zero or more diagnostics. Adding a rule is one function and one
//! line in [`RULES`]. A rule that fails (or panics) is reported and skipped;
//! the others still run. Diagnostics clear by themselves when their cause is
//! gone; the events that caused them stay.

use crate::board::Board;
use crate::error::Result;
use crate::event::{Event, EventKind, Payload};
use crate::model::{
    first_line, ActionKind, Diagnostic, DiagnosticAction, DiagnosticKind, Outcome, Run, Severity,
    Status, Task,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Thresholds (`[diagnostics]` in config.toml); every key has a default.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DiagnosticsConfig {
    /// Consecutive failed starts for an error; twice as many is critical.
    pub spawn_failures: i64,
    /// Consecutive crashed or timed-out runs for an error; twice as many is critical.
    pub crashes: i64,
    /// Seconds blocked with no reply before a warning.
    pub blocked_seconds: i64,
    /// Seconds an assigned task waits in ready before a warning; 2× is an
    /// error, 6× critical.
    pub ready_seconds: i64,
}

impl Default for DiagnosticsConfig {
    fn default() -> Self {
        DiagnosticsConfig {
            spawn_failures: 3,
            crashes: 2,
            blocked_seconds: 24 * 3600,
            ready_seconds: 30 * 60,
        }
    }
}

pub use crate::waiting::{Environment, ProfileState};

/// Everything a rule may look at.
pub struct RuleInput<'a> {
    pub task: &'a Task,
    /// Oldest first.
    pub events: &'a [Event],
    /// Oldest first.
    pub runs: &'a [Run],
    pub now: i64,
    pub config: &'a DiagnosticsConfig,
    pub env: &'a Environment,
}

pub type Rule = fn(&RuleInput<'_>) -> std::result::Result<Vec<Diagnostic>, String>;

/// The rules, in the order their diagnostics are listed for equal severity.
/// Each rule's name is the kind of diagnostic it produces.
pub const RULES: &[(&str, Rule)] = &[
    ("hallucinated_cards", hallucinated_cards),
    ("prose_phantom_refs", prose_phantom_refs),
    ("repeated_spawn_failures", repeated_spawn_failures),
    ("repeated_crashes", repeated_crashes),
    ("stuck_in_blocked", stuck_in_blocked),
    ("stranded_in_ready", stranded_in_ready),
    ("profile_paused", profile_paused),
];

/// A rule that could not run on a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleFailure {
    pub rule: String,
    pub task_id: String,
    pub error: String,
}

/// Titles lead with this much of the real error text.
pub const TITLE_ERROR_CHARS: usize = 160;
pub const DETAIL_CHARS: usize = 500;

fn action(kind: ActionKind, label: &str, suggested: bool) -> DiagnosticAction {
    DiagnosticAction {
        kind,
        label: label.into(),
        suggested,
        command: None,
    }
}

fn hint(label: &str, command: String, suggested: bool) -> DiagnosticAction {
    DiagnosticAction {
        command: Some(command),
        ..action(ActionKind::CliHint, label, suggested)
    }
}

/// Recovery actions every diagnostic offers besides its own.
fn fallbacks(task: &Task, actions: &mut Vec<DiagnosticAction>) {
    let has = |a: &Vec<DiagnosticAction>, k: ActionKind| a.iter().any(|x| x.kind == k);
    if task.status == Status::Running && !has(actions, ActionKind::Reclaim) {
        actions.push(action(
            ActionKind::Reclaim,
            "Reclaim the task from its worker",
            false,
        ));
    }
    if !has(actions, ActionKind::Reassign) {
        actions.push(action(
            ActionKind::Reassign,
            "Reassign to another profile",
            false,
        ));
    }
}

fn diag(
    input: &RuleInput<'_>,
    (kind, severity): (DiagnosticKind, Severity),
    title: String,
    detail: String,
    data: Value,
    mut actions: Vec<DiagnosticAction>,
    (first, last, count): (i64, i64, i64),
) -> Diagnostic {
    fallbacks(input.task, &mut actions);
    Diagnostic {
        kind,
        severity,
        title,
        detail: crate::model::truncate_chars(&detail, DETAIL_CHARS),
        data,
        actions,
        first_seen_at: first,
        last_seen_at: last,
        count,
    }
}

/// `label: <first line of error>` or, with no error recorded, says so.
fn lead(label: &str, error: Option<&str>) -> String {
    match error
        .map(|e| first_line(e, TITLE_ERROR_CHARS))
        .filter(|e| !e.is_empty())
    {
        Some(e) => format!("{label}: {e}"),
        None => format!("{label} (no error recorded)"),
    }
}

/// Events of `kind` after the newest event of any of `clearing` kinds.
fn since_cleared<'a>(
    events: &'a [Event],
    kind: EventKind,
    clearing: &[EventKind],
) -> Vec<&'a Event> {
    let cleared_at = events
        .iter()
        .filter(|e| clearing.contains(&e.kind))
        .map(|e| e.id)
        .max()
        .unwrap_or(0);
    events
        .iter()
        .filter(|e| e.kind == kind && e.id > cleared_at)
        .collect()
}

/// The suspect task ids the events name, sorted, each once.
fn suspect_ids(events: &[&Event]) -> Vec<String> {
    let mut ids: Vec<String> = events
        .iter()
        .flat_map(|e| e.payload.suspect_ids().iter().cloned())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn span(events: &[&Event]) -> (i64, i64, i64) {
    (
        events.iter().map(|e| e.created_at).min().unwrap_or(0),
        events.iter().map(|e| e.created_at).max().unwrap_or(0),
        events.len() as i64,
    )
}

fn hallucinated_cards(i: &RuleInput<'_>) -> std::result::Result<Vec<Diagnostic>, String> {
    let hits = since_cleared(
        i.events,
        EventKind::CompletionBlockedHallucination,
        &[EventKind::Completed, EventKind::Edited],
    );
    if hits.is_empty() {
        return Ok(vec![]);
    }
    let ids = suspect_ids(&hits);
    Ok(vec![diag(
        i,
        (DiagnosticKind::HallucinatedCards, Severity::Error),
        format!("Completion refused: claimed cards that do not exist or are not its own: {}", ids.join(", ")),
        format!(
            "The worker tried to complete {} listing {} card(s) it did not create. The completion was refused \
             {}x; the task is unchanged. Check the worker's log, then reclaim or reassign it.",
            i.task.id,
            ids.len(),
            hits.len()
        ),
        json!({"phantom_ids": ids}),
        vec![
            action(ActionKind::Reclaim, "Reclaim and retry", true),
            hint("Read the worker log", format!("baton log {}", i.task.id), false),
        ],
        span(&hits),
    )])
}

fn prose_phantom_refs(i: &RuleInput<'_>) -> std::result::Result<Vec<Diagnostic>, String> {
    let hits = since_cleared(
        i.events,
        EventKind::SuspectedHallucinatedReferences,
        &[EventKind::Edited],
    );
    // A later completion had no suspect references, or it would be the newest.
    let last_completed = i
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Completed)
        .map(|e| e.id)
        .max()
        .unwrap_or(0);
    let hits: Vec<&Event> = hits.into_iter().filter(|e| e.id > last_completed).collect();
    if hits.is_empty() {
        return Ok(vec![]);
    }
    let ids = suspect_ids(&hits);
    Ok(vec![diag(
        i,
        (DiagnosticKind::ProsePhantomRefs, Severity::Warning),
        format!("Handoff mentions tasks that do not exist: {}", ids.join(", ")),
        "The completion summary or result refers to task ids that do not resolve on this board. The work \
         was accepted; check the handoff before building on it."
            .into(),
        json!({"ids": ids}),
        vec![action(ActionKind::Comment, "Ask the worker about it", true)],
        span(&hits),
    )])
}

/// Closed runs, newest first.
fn closed_newest_first(runs: &[Run]) -> impl Iterator<Item = &Run> {
    runs.iter().rev().filter(|r| r.ended_at.is_some())
}

fn streak_severity(n: i64, threshold: i64) -> Option<Severity> {
    let t = threshold.max(1);
    if n >= 2 * t {
        Some(Severity::Critical)
    } else if n >= t {
        Some(Severity::Error)
    } else {
        None
    }
}

fn repeated_spawn_failures(i: &RuleInput<'_>) -> std::result::Result<Vec<Diagnostic>, String> {
    if i.task.status.is_terminal() {
        return Ok(vec![]);
    }
    // A worker that did start (an open run with a pid) ends the streak.
    let streak: Vec<&Run> = i
        .runs
        .iter()
        .rev()
        .filter(|r| r.ended_at.is_some() || r.worker_pid.is_some())
        .take_while(|r| {
            matches!(
                r.outcome,
                Some(Outcome::SpawnFailed) | Some(Outcome::GaveUp)
            )
        })
        .collect();
    let n = streak.len() as i64;
    let Some(severity) = streak_severity(n, i.config.spawn_failures) else {
        return Ok(vec![]);
    };
    let error = streak[0]
        .error
        .as_deref()
        .or(i.task.last_failure_error.as_deref());
    let profile = i.task.assignee.clone().unwrap_or_default();
    Ok(vec![diag(
        i,
        (DiagnosticKind::RepeatedSpawnFailures, severity),
        lead(&format!("Agent failed to start {n}x"), error),
        format!(
            "The dispatcher could not start profile '{profile}' {n} times in a row. Last error: {}",
            error.unwrap_or("(none recorded)")
        ),
        json!({"failures": n, "last_error": error, "profile": profile}),
        vec![
            hint(
                "Check the profile's command",
                format!(
                    "check [profiles.{profile}] command in config.toml, then: baton unblock {}",
                    i.task.id
                ),
                true,
            ),
            hint(
                "Read the worker log",
                format!("baton log {}", i.task.id),
                false,
            ),
        ],
        (
            streak.last().map_or(0, |r| r.started_at),
            streak[0].ended_at.unwrap_or(0),
            n,
        ),
    )])
}

fn repeated_crashes(i: &RuleInput<'_>) -> std::result::Result<Vec<Diagnostic>, String> {
    if i.task.status.is_terminal() {
        return Ok(vec![]);
    }
    let mut streak = Vec::new();
    for r in closed_newest_first(i.runs) {
        match r.outcome {
            Some(Outcome::Completed) => break,
            Some(Outcome::Crashed) | Some(Outcome::TimedOut) => streak.push(r),
            _ => {}
        }
    }
    let n = streak.len() as i64;
    let Some(severity) = streak_severity(n, i.config.crashes) else {
        return Ok(vec![]);
    };
    let error = streak[0].error.as_deref();
    Ok(vec![diag(
        i,
        (DiagnosticKind::RepeatedCrashes, severity),
        lead(&format!("Agent crashed {n}x"), error),
        format!(
            "{n} attempts in a row ended in a crash or a timeout with no success between. Last error: {}",
            error.unwrap_or("(none recorded)")
        ),
        json!({"crashes": n, "last_error": error, "outcomes": streak.iter().map(|r| r.outcome).collect::<Vec<_>>()}),
        vec![
            hint("Read the worker log", format!("baton log {}", i.task.id), true),
            action(ActionKind::Reclaim, "Reclaim and retry", false),
        ],
        (
            streak.last().map_or(0, |r| r.started_at),
            streak[0].ended_at.unwrap_or(0),
            n,
        ),
    )])
}

fn stuck_in_blocked(i: &RuleInput<'_>) -> std::result::Result<Vec<Diagnostic>, String> {
    if i.task.status != Status::Blocked {
        return Ok(vec![]);
    }
    let Some(block) = i
        .events
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::Blocked | EventKind::GaveUp))
    else {
        return Ok(vec![]);
    };
    let replied = i
        .events
        .iter()
        .any(|e| e.id > block.id && matches!(e.kind, EventKind::Commented | EventKind::Unblocked));
    let waited = i.now - block.created_at;
    if replied || waited < i.config.blocked_seconds {
        return Ok(vec![]);
    }
    let reason = match &block.payload {
        Payload::Blocked(p) => p.reason.as_deref(),
        Payload::GaveUp(p) => Some(p.error.as_str()),
        _ => None,
    };
    Ok(vec![diag(
        i,
        (DiagnosticKind::StuckInBlocked, Severity::Warning),
        lead(
            &format!(
                "Blocked for {} with no reply",
                crate::context::relative_age(block.created_at, i.now).trim_end_matches(" ago")
            ),
            reason,
        ),
        format!(
            "Nobody has commented on or unblocked this task since it was blocked. Reason: {}",
            reason.unwrap_or("(none given)")
        ),
        json!({"blocked_at": block.created_at, "reason": reason, "waited_seconds": waited}),
        vec![
            action(ActionKind::Comment, "Answer in a comment", true),
            action(ActionKind::Unblock, "Unblock", false),
        ],
        (block.created_at, block.created_at, 1),
    )])
}

/// Kinds after which a task is (again) waiting in ready.
const READY_SINCE: &[EventKind] = &[
    EventKind::Created,
    EventKind::Promoted,
    EventKind::Unblocked,
    EventKind::Status,
    EventKind::Reclaimed,
    EventKind::Crashed,
    EventKind::TimedOut,
    EventKind::SpawnFailed,
    EventKind::Assigned,
];

fn stranded_in_ready(i: &RuleInput<'_>) -> std::result::Result<Vec<Diagnostic>, String> {
    let (Status::Ready, Some(assignee)) = (i.task.status, i.task.assignee.as_deref()) else {
        return Ok(vec![]);
    };
    let since = i
        .events
        .iter()
        .rev()
        .find(|e| READY_SINCE.contains(&e.kind))
        .map_or(i.task.created_at, |e| e.created_at);
    let waited = i.now - since;
    let base = i.config.ready_seconds.max(1);
    let severity = if waited >= 6 * base {
        Severity::Critical
    } else if waited >= 2 * base {
        Severity::Error
    } else if waited >= base {
        Severity::Warning
    } else {
        return Ok(vec![]);
    };
    let age = crate::context::relative_age(since, i.now);
    let why = crate::waiting::why_waiting(assignee, i.env);
    let reason = why.as_ref().map(|w| w.primary().clone());
    let title = match &reason {
        Some(r) => format!(
            "Waiting in ready for {}: {}",
            age.trim_end_matches(" ago"),
            r.clause()
        ),
        None => format!("Waiting in ready for {}", age.trim_end_matches(" ago")),
    };
    let mut actions = Vec::new();
    if let Some(cmd) = reason.as_ref().and_then(|r| r.remedy()) {
        actions.push(hint(
            "Get it started",
            cmd.replace("<id>", &i.task.id),
            true,
        ));
    }
    Ok(vec![diag(
        i,
        (DiagnosticKind::StrandedInReady, severity),
        title,
        format!(
            "{} has been ready for {} with assignee '{assignee}' and no worker has picked it up.",
            i.task.id,
            age.trim_end_matches(" ago")
        ),
        json!({"ready_since": since, "waited_seconds": waited, "assignee": assignee, "reason": reason.map(|r| r.clause())}),
        actions,
        (since, i.now, 1),
    )])
}

/// A ready task whose profile is paused says so at once, with when it
/// ends and how to end it now.
fn profile_paused(i: &RuleInput<'_>) -> std::result::Result<Vec<Diagnostic>, String> {
    let (Status::Ready, Some(assignee)) = (i.task.status, i.task.assignee.as_deref()) else {
        return Ok(vec![]);
    };
    let Some(pause) = i.env.profiles.get(assignee).and_then(|p| p.paused.as_ref()) else {
        return Ok(vec![]);
    };
    let auth = pause.reason == crate::agent::PauseReason::Auth;
    let (severity, title) = match (auth, pause.until) {
        (true, _) => (
            Severity::Error,
            format!("Profile '{assignee}' is paused: its login failed"),
        ),
        (false, Some(u)) => (
            Severity::Warning,
            format!(
                "Profile '{assignee}' is paused until {}: its provider rate-limited it",
                crate::waiting::utc_minute(u)
            ),
        ),
        (false, None) => (
            Severity::Warning,
            format!("Profile '{assignee}' is paused: its provider rate-limited it"),
        ),
    };
    let detail = if auth {
        format!(
            "The agent said: \"{}\". Log the CLI in (baton doctor shows what it authenticates with), then resume the profile.",
            pause.message
        )
    } else {
        format!(
            "The agent said: \"{}\". None of {assignee}'s tasks start meanwhile; they are not counted as failures.",
            pause.message
        )
    };
    Ok(vec![diag(
        i,
        (DiagnosticKind::ProfilePaused, severity),
        title,
        detail,
        json!({"profile": assignee, "reason": if auth { "auth" } else { "rate_limit" }, "until": pause.until, "since": pause.since}),
        vec![hint(
            "Resume it now",
            format!("baton profiles resume {assignee}"),
            auth,
        )],
        (pause.since, i.now, 1),
    )])
}

/// Runs `rules` on one task, most severe first, then most recent.
pub fn evaluate(
    input: &RuleInput<'_>,
    rules: &[(&str, Rule)],
) -> (Vec<Diagnostic>, Vec<RuleFailure>) {
    let mut out = Vec::new();
    let mut failures = Vec::new();
    for (name, rule) in rules {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rule(input)));
        match result {
            Ok(Ok(d)) => out.extend(d),
            Ok(Err(e)) => failures.push(RuleFailure {
                rule: name.to_string(),
                task_id: input.task.id.clone(),
                error: e,
            }),
            Err(panic) => failures.push(RuleFailure {
                rule: name.to_string(),
                task_id: input.task.id.clone(),
                error: panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "the rule panicked".into()),
            }),
        }
    }
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.last_seen_at.cmp(&a.last_seen_at))
    });
    (out, failures)
}

/// Diagnostics of a board: per task id, only tasks with some.
#[derive(Debug, Default)]
pub struct BoardDiagnostics {
    pub by_task: BTreeMap<String, Vec<Diagnostic>>,
    pub failures: Vec<RuleFailure>,
}

impl Board {
    /// Evaluates the rules on the tasks that could have diagnostics (or only
    /// on `task`), with the built-in rules.
    pub fn diagnostics(
        &mut self,
        config: &DiagnosticsConfig,
        env: &Environment,
        task: Option<&str>,
    ) -> Result<BoardDiagnostics> {
        self.diagnostics_with(config, env, task, RULES)
    }

    /// As [`Board::diagnostics`], with a given rule set.
    pub fn diagnostics_with(
        &mut self,
        config: &DiagnosticsConfig,
        env: &Environment,
        task: Option<&str>,
        rules: &[(&str, Rule)],
    ) -> Result<BoardDiagnostics> {
        self.read(|tx| {
            let now = tx.now();
            let ids = match task {
                Some(id) => {
                    tx.require_task(id)?;
                    vec![id.to_string()]
                }
                None => tx.diagnostic_candidates(
                    now - config.ready_seconds.max(1),
                    now - config.blocked_seconds.max(0),
                )?,
            };
            let mut out = BoardDiagnostics::default();
            for id in ids {
                let t = tx.require_task(&id)?;
                let (events, runs) = (tx.events_of(&id)?, tx.runs_of(&id)?);
                let input = RuleInput {
                    task: &t,
                    events: &events,
                    runs: &runs,
                    now,
                    config,
                    env,
                };
                let (d, f) = evaluate(&input, rules);
                out.failures.extend(f);
                if !d.is_empty() {
                    out.by_task.insert(id, d);
                }
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_rule_is_named_after_the_kind_it_produces() {
        let names: Vec<&str> = super::RULES.iter().map(|(n, _)| *n).collect();
        let kinds: Vec<&str> = crate::model::DiagnosticKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(names, kinds);
    }
}
