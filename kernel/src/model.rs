//! The board's nouns, shared by the server and the browser. Plain serde types:
//! nothing here touches SQLite, so the crate builds for wasm32 without `store`.

use crate::event::Event;
use crate::names::named;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where a task is in its life. The order is the board's column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    Triage,
    Todo,
    Ready,
    Running,
    Blocked,
    Done,
    Archived,
}

named!(Status, "status", {
    Triage => "triage",
    Todo => "todo",
    Ready => "ready",
    Running => "running",
    Blocked => "blocked",
    Done => "done",
    Archived => "archived",
});

impl Status {
    /// The column's name as people read it ("In progress" for running).
    pub fn label(self) -> &'static str {
        match self {
            Status::Triage => "Triage",
            Status::Todo => "Todo",
            Status::Ready => "Ready",
            Status::Running => "In progress",
            Status::Blocked => "Blocked",
            Status::Done => "Done",
            Status::Archived => "Archived",
        }
    }

    /// Statuses a task never leaves through the ordinary verbs.
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Done | Status::Archived)
    }
}

/// How a worker's working directory is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WorkspaceKind {
    /// A fresh directory under the home, owned by Baton.
    #[default]
    Scratch,
    /// A git worktree; its path is resolved, never created by the kernel.
    Worktree,
    /// An existing absolute directory.
    Dir,
}

named!(WorkspaceKind, "workspace_kind", {
    Scratch => "scratch",
    Worktree => "worktree",
    Dir => "dir",
});

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    Completed,
    Blocked,
    Crashed,
    TimedOut,
    SpawnFailed,
    GaveUp,
    Reclaimed,
    /// The agent hit a rate limit or quota: back to ready, not counted.
    RateLimited,
    /// The agent could not authenticate: back to ready, its profile paused.
    AuthFailed,
}

named!(Outcome, "run outcome", {
    Completed => "completed",
    Blocked => "blocked",
    Crashed => "crashed",
    TimedOut => "timed_out",
    SpawnFailed => "spawn_failed",
    GaveUp => "gave_up",
    Reclaimed => "reclaimed",
    RateLimited => "rate_limited",
    AuthFailed => "auth_failed",
});

impl Outcome {
    /// The run's `status` column: the outcome's name, except that a completed
    /// run reads `done` (as in the reference).
    pub fn run_status(self) -> &'static str {
        match self {
            Outcome::Completed => "done",
            other => other.as_str(),
        }
    }

    /// Failures that count toward the circuit breaker.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Outcome::Crashed | Outcome::TimedOut | Outcome::SpawnFailed | Outcome::GaveUp
        )
    }
}

/// One task row. Field names are the reference's JSON names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: String,
    pub title: String,
    pub body: Option<String>,
    pub assignee: Option<String>,
    pub status: Status,
    pub priority: i64,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub workspace_kind: WorkspaceKind,
    pub workspace_path: Option<String>,
    pub branch_name: Option<String>,
    pub claim_lock: Option<String>,
    pub claim_expires: Option<i64>,
    pub tenant: Option<String>,
    pub result: Option<String>,
    pub idempotency_key: Option<String>,
    pub consecutive_failures: i64,
    pub worker_pid: Option<i64>,
    /// Kernel start time of the worker process (clock ticks since boot), so a
    /// recycled pid is never mistaken for the worker.
    pub worker_started: Option<i64>,
    pub last_failure_error: Option<String>,
    pub max_runtime_seconds: Option<i64>,
    pub last_heartbeat_at: Option<i64>,
    pub current_run_id: Option<i64>,
    pub workflow_template_id: Option<String>,
    pub current_step_key: Option<String>,
    pub skills: Option<Vec<String>>,
    pub max_retries: Option<i64>,
    pub session_id: Option<String>,
}

impl Task {
    /// Ages in seconds, as the dashboard shows them.
    pub fn age(&self, now: i64) -> TaskAge {
        TaskAge {
            created_age_seconds: Some(now - self.created_at),
            started_age_seconds: self.started_at.map(|s| now - s),
            time_to_complete_seconds: self
                .completed_at
                .map(|c| c - self.started_at.unwrap_or(self.created_at)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskAge {
    pub created_age_seconds: Option<i64>,
    pub started_age_seconds: Option<i64>,
    pub time_to_complete_seconds: Option<i64>,
}

/// A worker process a change took its task away from: the caller stops it
/// if it runs on the caller's machine (its lock names the host).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worker {
    pub task_id: String,
    pub pid: i64,
    /// Kernel start time of the process, so a reused pid is not stopped.
    pub started: Option<i64>,
    /// `host:pid` of the claim it held.
    pub lock: Option<String>,
}

/// One attempt at a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Run {
    pub id: i64,
    pub task_id: String,
    pub profile: Option<String>,
    pub step_key: Option<String>,
    pub status: String,
    pub claim_lock: Option<String>,
    pub claim_expires: Option<i64>,
    pub worker_pid: Option<i64>,
    pub worker_started: Option<i64>,
    pub max_runtime_seconds: Option<i64>,
    pub last_heartbeat_at: Option<i64>,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub outcome: Option<Outcome>,
    pub summary: Option<String>,
    pub metadata: Option<Value>,
    pub error: Option<String>,
}

impl Run {
    pub fn is_open(&self) -> bool {
        self.ended_at.is_none()
    }

    /// Wall time of the attempt, never negative (a clock that went backwards
    /// reads as zero).
    pub fn elapsed_seconds(&self, now: i64) -> i64 {
        (self.ended_at.unwrap_or(now) - self.started_at).max(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comment {
    pub id: i64,
    pub task_id: String,
    pub author: String,
    pub body: String,
    pub created_at: i64,
}

/// Parent and child ids of one task, each sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Links {
    pub parents: Vec<String>,
    pub children: Vec<String>,
}

/// What happened to one id of a bulk change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkItem {
    pub id: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A piece of a worker's log.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogChunk {
    pub text: String,
    /// The log's size in bytes once this was read: where to continue from.
    pub size: u64,
    pub exists: bool,
    /// Older output was left out.
    pub truncated: bool,
    /// `text` replaces what the reader had (the log rotated or fell too far behind).
    pub reset: bool,
}

impl LogChunk {
    pub fn missing() -> LogChunk {
        LogChunk::default()
    }
}

/// Everything about one task: what `show` prints and the drawer displays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskDetail {
    pub task: Task,
    pub links: Links,
    pub comments: Vec<Comment>,
    pub events: Vec<Event>,
    pub runs: Vec<Run>,
}

/// How bad a diagnostic is. Ordered: warning < error < critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Severity {
    Warning,
    Error,
    Critical,
}

named!(Severity, "severity", {
    Warning => "warning",
    Error => "error",
    Critical => "critical",
});

/// What a diagnostic is about: one name per rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DiagnosticKind {
    HallucinatedCards,
    ProsePhantomRefs,
    RepeatedSpawnFailures,
    RepeatedCrashes,
    StuckInBlocked,
    StrandedInReady,
    ProfilePaused,
}

named!(DiagnosticKind, "diagnostic kind", {
    HallucinatedCards => "hallucinated_cards",
    ProsePhantomRefs => "prose_phantom_refs",
    RepeatedSpawnFailures => "repeated_spawn_failures",
    RepeatedCrashes => "repeated_crashes",
    StuckInBlocked => "stuck_in_blocked",
    StrandedInReady => "stranded_in_ready",
    ProfilePaused => "profile_paused",
});

/// What a diagnostic's action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActionKind {
    /// Take the task back from its worker.
    Reclaim,
    /// Give it to another profile.
    Reassign,
    Unblock,
    /// Answer with a comment.
    Comment,
    /// A command to run (in `command`).
    CliHint,
    OpenDocs,
}

named!(ActionKind, "action kind", {
    Reclaim => "reclaim",
    Reassign => "reassign",
    Unblock => "unblock",
    Comment => "comment",
    CliHint => "cli_hint",
    OpenDocs => "open_docs",
});

/// Something a person can do about a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticAction {
    pub kind: ActionKind,
    pub label: String,
    /// The action this diagnostic suggests first.
    pub suggested: bool,
    /// For `cli_hint`: the command to run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// What is wrong with a task, and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    pub severity: Severity,
    pub title: String,
    pub detail: String,
    /// Facts behind it (ids, counts, errors).
    pub data: Value,
    pub actions: Vec<DiagnosticAction>,
    pub first_seen_at: i64,
    pub last_seen_at: i64,
    pub count: i64,
}

/// The compact badge summary of a card's diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warnings {
    pub count: usize,
    pub kinds: Vec<DiagnosticKind>,
    pub latest_at: i64,
    pub highest_severity: Severity,
}

impl Warnings {
    pub fn of(diags: &[Diagnostic]) -> Option<Warnings> {
        let highest = diags.iter().map(|d| d.severity).max()?;
        let mut kinds: Vec<DiagnosticKind> = diags.iter().map(|d| d.kind).collect();
        kinds.dedup();
        Some(Warnings {
            count: diags.len(),
            kinds,
            latest_at: diags.iter().map(|d| d.last_seen_at).max().unwrap_or(0),
            highest_severity: highest,
        })
    }
}

/// How many dependencies a card has each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkCounts {
    pub parents: i64,
    pub children: i64,
}

/// Children done out of children in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub done: i64,
    pub total: i64,
}

/// A task as a board card: the task plus what the card shows about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Card {
    #[serde(flatten)]
    pub task: Task,
    pub age: TaskAge,
    pub link_counts: LinkCounts,
    pub comment_count: i64,
    /// `None` when the task has no children.
    pub progress: Option<Progress>,
    /// The newest run summary, first 200 characters.
    pub latest_summary: Option<String>,
    /// What its runs used; absent when none has a usage record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spend: Option<crate::spend::CardSpend>,
    /// Present only when something is wrong.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Warnings>,
}

/// One status column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Column {
    pub name: Status,
    pub tasks: Vec<Card>,
}

/// The whole board as the dashboard loads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardView {
    pub board: String,
    pub columns: Vec<Column>,
    /// Distinct tenants in use, sorted.
    pub tenants: Vec<String>,
    /// Distinct assignees of non-archived tasks, sorted.
    pub assignees: Vec<String>,
    /// The live stream's cursor at the moment of this snapshot.
    pub latest_event_id: i64,
    pub now: i64,
}

/// Counts per status, per assignee, and how long the oldest ready task has waited.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    pub by_status: std::collections::BTreeMap<String, i64>,
    pub by_assignee: std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>>,
    pub oldest_ready_age_seconds: Option<i64>,
    pub now: i64,
}

/// Someone to tell when a task finishes, blocks or fails.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotifySub {
    pub task_id: String,
    /// A platform (`slack`, `discord`, …) or, for a configured channel, `channel`.
    pub platform: String,
    /// The destination on that platform (a chat id, or the channel name).
    pub chat_id: String,
    pub thread_id: Option<String>,
    pub user_id: Option<String>,
    pub notifier_profile: Option<String>,
    pub created_at: i64,
    /// The newest event already delivered.
    pub last_event_id: i64,
    /// Failed deliveries in a row; the notifier drops the subscription at its limit.
    #[serde(default)]
    pub failures: i64,
    #[serde(default)]
    pub last_error: Option<String>,
}

impl NotifySub {
    /// The `task_id` of a subscription to every task on the board.
    pub const BOARD_WIDE: &'static str = "*";
    /// The `platform` of a subscription to a channel configured in config.toml.
    pub const CHANNEL: &'static str = "channel";

    pub fn board_wide(&self) -> bool {
        self.task_id == Self::BOARD_WIDE
    }

    /// The configured channel this subscription names, if it names one.
    pub fn channel(&self) -> Option<&str> {
        (self.platform == Self::CHANNEL).then_some(self.chat_id.as_str())
    }
}

/// A configured notification channel as the dashboard and the REST API
/// show it (the reference calls it a "home channel").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HomeChannel {
    /// The channel's name (the reference's platform slot).
    pub platform: String,
    pub chat_id: String,
    pub thread_id: String,
    pub name: String,
    /// webhook, slack, discord or ntfy.
    pub kind: String,
    /// Whether the task asked about is subscribed to it.
    pub subscribed: bool,
}

/// What the dashboard starts with (`[dashboard]` in config.toml, `GET /config`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DashboardConfig {
    pub default_tenant: String,
    pub lane_by_profile: bool,
    pub include_archived_by_default: bool,
    pub render_markdown: bool,
}

impl Default for DashboardConfig {
    fn default() -> Self {
        DashboardConfig {
            default_tenant: String::new(),
            lane_by_profile: true,
            include_archived_by_default: false,
            render_markdown: true,
        }
    }
}

/// One assignee as the picker shows it. `on_disk` (the reference's name)
/// means a `[profiles.<name>]` entry exists, so the dispatcher can start it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignee {
    pub name: String,
    pub on_disk: bool,
    pub counts: std::collections::BTreeMap<String, i64>,
}

/// A board in the switcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardSummary {
    pub slug: String,
    pub name: String,
    pub icon: String,
    pub is_current: bool,
    /// Tasks still to do: neither done nor archived.
    pub open: i64,
}

/// A board's `board.json`, plus its resolved database path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardMeta {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub icon: String,
    #[serde(default)]
    pub color: String,
    #[serde(default)]
    pub default_workdir: Option<String>,
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub archived: bool,
    /// Computed on read, never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_path: Option<String>,
}

/// "just now", "5m ago", "3h ago", "2d ago" for an age in seconds; a
/// negative age (a clock that went back) is "just now".
pub fn ago(seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 60 {
        "just now".into()
    } else if s < 3600 {
        format!("{}m ago", s / 60)
    } else if s < 86400 {
        format!("{}h ago", s / 3600)
    } else {
        format!("{}d ago", s / 86400)
    }
}

/// The first line of `text`, cut to `max` characters: how summaries appear in
/// event payloads and one-line listings.
pub fn first_line(text: &str, max: usize) -> String {
    let line = text.trim().lines().next().unwrap_or("").trim_end();
    truncate_chars(line, max)
}

/// At most `max` characters of `s`, never splitting a character.
pub fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((idx, _)) => s[..idx].to_string(),
        None => s.to_string(),
    }
}

/// `s` cut to at most `max` characters, with `…` marking a cut: for one-line
/// displays of arbitrary text.
pub fn ellipsize(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", truncate_chars(s, max.saturating_sub(1)))
    }
}

/// A task's worktree against where its branch left the repository: the
/// branch, the commits on it, and the diff stat (committed and not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorktreeDiff {
    pub task_id: String,
    pub path: String,
    pub branch: String,
    /// Commits on the branch that the repository's HEAD does not have.
    pub commits: Vec<String>,
    /// `git diff --stat` from the fork point to the working tree.
    pub stat: String,
    /// The full diff (with `patch`).
    pub patch: Option<String>,
    pub dirty: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips_through_text_and_json() {
        for st in Status::ALL {
            assert_eq!(st.as_str().parse::<Status>().unwrap(), st);
            let json = serde_json::to_string(&st).unwrap();
            assert_eq!(json, format!("\"{}\"", st.as_str()));
        }
        assert!("Running".parse::<Status>().is_ok());
        let err = "scheduled".parse::<Status>().unwrap_err();
        assert!(err.contains("unknown status 'scheduled'"), "{err}");
    }

    #[test]
    fn every_named_type_uses_its_serde_name() {
        fn check<T: Serialize + std::fmt::Display>(all: &[T]) {
            for v in all {
                assert_eq!(serde_json::to_string(v).unwrap(), format!("\"{v}\""));
            }
        }
        check(&Status::ALL);
        check(&WorkspaceKind::ALL);
        check(&Outcome::ALL);
        check(&Severity::ALL);
        check(&DiagnosticKind::ALL);
        check(&ActionKind::ALL);
        assert_eq!(" Dir ".parse::<WorkspaceKind>(), Ok(WorkspaceKind::Dir));
        assert!("nope"
            .parse::<Outcome>()
            .unwrap_err()
            .contains("expected one of: completed, blocked"));
    }

    #[test]
    fn first_line_cuts_on_characters_not_bytes() {
        assert_eq!(first_line("  héllo\nworld", 3), "hél");
        assert_eq!(first_line("🙂🙂🙂", 2), "🙂🙂");
        assert_eq!(first_line("", 10), "");
    }

    #[test]
    fn run_elapsed_is_never_negative() {
        let run = Run {
            id: 1,
            task_id: "t_1".into(),
            profile: None,
            step_key: None,
            status: "done".into(),
            claim_lock: None,
            claim_expires: None,
            worker_pid: None,
            worker_started: None,
            max_runtime_seconds: None,
            last_heartbeat_at: None,
            started_at: 100,
            ended_at: Some(90),
            outcome: Some(Outcome::Completed),
            summary: None,
            metadata: None,
            error: None,
        };
        assert_eq!(run.elapsed_seconds(200), 0);
    }
}
