//! The command line: global flags and every verb, as clap definitions.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "baton",
    version,
    about = "A durable kanban board on which AI agents and their operators coordinate work.",
    long_about = "Baton keeps a task board in an embedded SQLite home, serves a live dashboard, \
                  and dispatches ready tasks to agent processes.\n\n\
                  Without a subcommand, `baton` runs `baton serve`.",
    after_help = "Examples:\n  baton init\n  baton create \"Write the release notes\" --assignee writer\n  baton list --status ready\n  baton serve"
)]
pub struct Cli {
    /// Data home (default: $BATON_HOME, else ~/.baton).
    #[arg(long, global = true, value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// Board to use (default: $BATON_BOARD, else the current board, else `default`).
    #[arg(long, global = true, value_name = "SLUG")]
    pub board: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the home and print how to start the server and the dispatcher.
    #[command(after_help = "Example:\n  baton init")]
    Init,
    /// Create a task.
    #[command(
        after_help = "Examples:\n  baton create \"Summarise the papers\" --assignee researcher --skill pdf\n  \
        baton create \"Write the report\" --parent t_1a2b3c4d --priority 5 --json"
    )]
    Create(CreateArgs),
    /// List tasks (highest priority first).
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  baton list\n  baton ls --status ready --assignee coder --json"
    )]
    List(ListArgs),
    /// Show a task: details, links, comments, events and runs.
    #[command(after_help = "Example:\n  baton show t_1a2b3c4d --json")]
    Show(ShowArgs),
    /// Assign a task to a profile or person (`none` unassigns).
    #[command(
        after_help = "Examples:\n  baton assign t_1a2b3c4d reviewer\n  baton assign t_1a2b3c4d none"
    )]
    Assign(AssignArgs),
    /// Make CHILD wait for PARENT.
    #[command(after_help = "Example:\n  baton link t_parent01 t_child001")]
    Link(LinkArgs),
    /// Remove the dependency of CHILD on PARENT.
    #[command(after_help = "Example:\n  baton unlink t_parent01 t_child001")]
    Unlink(LinkArgs),
    /// Claim a ready task for yourself and print its workspace.
    #[command(after_help = "Example:\n  baton claim t_1a2b3c4d --ttl 3600")]
    Claim(ClaimArgs),
    /// Add a comment to a task.
    #[command(
        after_help = "Example:\n  baton comment t_1a2b3c4d \"Use the 2024 figures, not 2023\" --author alice"
    )]
    Comment(CommentArgs),
    /// Tell the board a worker is alive (extends its claim).
    #[command(
        after_help = "Examples (inside a worker, the task comes from $BATON_TASK):\n  baton heartbeat --note \"epoch 3 of 10\""
    )]
    Heartbeat(HeartbeatArgs),
    /// Mark tasks done, with a structured handoff.
    #[command(
        after_help = "Examples:\n  baton complete --summary \"Parser done; 14 tests\" --metadata '{\"changed_files\": [\"src/parse.rs\"]}'\n  \
        baton complete t_aaaaaaaa t_bbbbbbbb"
    )]
    Complete(CompleteArgs),
    /// Block a task on something only a person can resolve.
    #[command(
        after_help = "Examples:\n  baton block t_1a2b3c4d \"Need the staging credentials\"\n  \
        baton block \"Which API version?\"     (inside a worker)\n  baton block t_aaaaaaaa waiting on legal --ids t_bbbbbbbb"
    )]
    Block(BlockArgs),
    /// Unblock tasks (ready, or todo if their parents are unfinished).
    #[command(after_help = "Example:\n  baton unblock t_1a2b3c4d t_5e6f7a8b")]
    Unblock(IdsArgs),
    /// Archive tasks (a running task's run is closed).
    #[command(after_help = "Example:\n  baton archive t_1a2b3c4d t_5e6f7a8b")]
    Archive(IdsArgs),
    /// Take a running task back from its worker (the worker is stopped).
    #[command(after_help = "Example:\n  baton reclaim t_1a2b3c4d --reason \"stuck in a loop\"")]
    Reclaim(ReclaimArgs),
    /// Give a task to another profile, optionally reclaiming it first.
    #[command(
        after_help = "Example:\n  baton reassign t_1a2b3c4d senior-coder --reclaim --reason \"needs a stronger model\""
    )]
    Reassign(ReassignArgs),
    /// One row per attempt at a task.
    #[command(after_help = "Example:\n  baton runs t_1a2b3c4d --json")]
    Runs(ShowArgs),
    /// Follow one task's events as they happen.
    #[command(after_help = "Example:\n  baton tail t_1a2b3c4d")]
    Tail(TailArgs),
    /// Follow the board's events as they happen (from now on).
    #[command(
        after_help = "Examples:\n  baton watch\n  baton watch --assignee coder --kinds completed,blocked,crashed --json"
    )]
    Watch(WatchArgs),
    /// Counts per status and assignee, and the oldest ready task's age.
    #[command(after_help = "Example:\n  baton stats --json")]
    Stats(JsonArgs),
    /// Configured profiles and assignees on the board, with counts per status.
    #[command(after_help = "Example:\n  baton assignees --json")]
    Assignees(JsonArgs),
    /// Print a task's worker log.
    #[command(after_help = "Example:\n  baton log t_1a2b3c4d --tail 4096")]
    Log(LogArgs),
    /// What is wrong on the board (or with one task) and how to fix it.
    #[command(
        visible_alias = "diag",
        after_help = "Examples:\n  baton diagnostics\n  baton diagnostics --severity error --json\n  baton diagnostics --task t_1a2b3c4d"
    )]
    Diagnostics(DiagnosticsArgs),
    /// Print exactly what a worker for this task is given.
    #[command(after_help = "Example:\n  baton context t_1a2b3c4d")]
    Context(IdArg),
    /// An agent's run as a conversation: messages, tool calls and results, usage.
    #[command(
        after_help = "Examples:\n  baton transcript t_1a2b3c4d\n  baton transcript t_1a2b3c4d --run 2 -v\n  baton transcript t_1a2b3c4d --json\n  baton transcript t_1a2b3c4d --raw"
    )]
    Transcript(TranscriptArgs),
    /// A worktree task's branch: its commits and what changed (committed or not).
    #[command(
        after_help = "Examples:\n  baton diff t_1a2b3c4d\n  baton diff t_1a2b3c4d --patch\n  baton diff t_1a2b3c4d --json"
    )]
    Diff(DiffArgs),
    /// Record what a run used (for agents whose transcripts Baton does not read).
    #[command(
        after_help = "Examples:\n  baton usage --input 12000 --output 800 --model gpt-5   (inside a worker: its own run)\n  baton usage t_1a2b3c4d --run 3 --input 5000 --output 400 --cost 0.04\n\nThe figures are the run's totals so far; a later report replaces them."
    )]
    Usage(UsageArgs),
    /// What runs cost: tokens and money by task, profile, day, model or board.
    #[command(
        after_help = "Examples:\n  baton spend\n  baton spend --by profile --since 7d\n  baton spend --by day --since 2026-11-01 --json\n  baton spend --task t_1a2b3c4d   (the task and everything below it)\n  baton spend --by board\n  baton spend --prices"
    )]
    Spend(SpendArgs),
    /// Agent profiles: list, show, add, rm.
    #[command(subcommand)]
    Profiles(ProfilesCommand),
    /// Check every profile: its CLI on PATH, its version, its key or login.
    #[command(after_help = "Examples:\n  baton doctor\n  baton doctor --json")]
    Doctor(JsonArgs),
    /// Remove scratch workspaces of archived tasks, old events and old logs.
    #[command(after_help = "Example:\n  baton gc --event-retention-days 14")]
    Gc(GcArgs),
    /// Get told when a task finishes, blocks or fails.
    #[command(
        name = "notify-subscribe",
        after_help = "Examples:\n  baton notify-subscribe t_1a2b3c4d --channel ops\n  baton notify-subscribe --all --channel ops\n  baton notify-subscribe t_1a2b3c4d --platform slack --chat-id C024BE91L"
    )]
    NotifySubscribe(NotifySubscribeArgs),
    /// List notification subscriptions.
    #[command(
        name = "notify-list",
        after_help = "Examples:\n  baton notify-list\n  baton notify-list t_1a2b3c4d --json"
    )]
    NotifyList(NotifyListArgs),
    /// Remove a notification subscription.
    #[command(
        name = "notify-unsubscribe",
        after_help = "Examples:\n  baton notify-unsubscribe t_1a2b3c4d --channel ops\n  baton notify-unsubscribe --all --channel ops"
    )]
    NotifyUnsubscribe(NotifyUnsubscribeArgs),
    /// Manage boards: list, create, rename, switch, rm.
    #[command(subcommand)]
    Boards(BoardsCommand),
    /// Run one dispatcher pass now: housekeeping, then claim and start ready work.
    #[command(
        after_help = "Examples:\n  baton dispatch --dry-run --json\n  baton dispatch --max 4"
    )]
    Dispatch(DispatchArgs),
    /// Run the dispatcher until stopped (SIGINT/SIGTERM).
    #[command(
        after_help = "Examples:\n  baton daemon -v\n  baton daemon --interval 2 --max 4 --pidfile /run/user/1000/baton.pid"
    )]
    Daemon(DaemonArgs),
    /// Import tasks from another system's database.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Serve the dashboard, the API and the live event stream (with the dispatcher).
    #[command(
        after_help = "Examples:\n  baton serve\n  baton serve --addr 0.0.0.0:3000 --token \"$(openssl rand -hex 16)\""
    )]
    Serve(ServeArgs),
    /// Serve the worker tools (kanban_show, kanban_complete, …) to an MCP client on stdin/stdout.
    #[command(
        after_help = "Inside a worker, $BATON_TASK, $BATON_RUN, $BATON_PROFILE and $BATON_TENANT are the defaults\nand every write is fenced by the run. The same tools are at /mcp on `baton serve`.\n\nExamples:\n  baton mcp\n  baton mcp --print-config claude-code"
    )]
    Mcp(McpArgs),
    /// Seed demo boards worked by small shell workers: solo, fleet, pipeline, breaker (or all).
    #[command(
        after_help = "Each story gets its own board (demo-<story>) and the demo's worker profiles go into\nconfig.toml between marker lines. Start `baton serve` to watch them move.\n\nExamples:\n  baton demo\n  baton demo pipeline --pace 1\n  baton demo solo --replace"
    )]
    Demo(DemoArgs),
    /// Print the CLI or REST reference as markdown (docs/cli.md, docs/rest.md are made with it).
    #[command(hide = true)]
    Reference(ReferenceArgs),
    /// Runs Hermes Agent for one run and prints its session as the transcript (the dispatcher's, for `kind = "hermes"`).
    #[command(hide = true)]
    HermesRun(HermesRunArgs),
}

#[derive(Args, Debug)]
pub struct HermesRunArgs {
    /// The hermes program.
    #[arg(long)]
    pub bin: String,
    /// The run's own Hermes home.
    #[arg(long)]
    pub home: std::path::PathBuf,
    /// A JSON object of MCP servers by name: the run's only ones.
    #[arg(long)]
    pub mcp: std::path::PathBuf,
    /// Hermes's own arguments.
    #[arg(last = true)]
    pub args: Vec<String>,
}

#[derive(Args, Debug)]
pub struct IdArg {
    pub id: String,
}

#[derive(Args, Debug)]
pub struct UsageArgs {
    /// The task (default: your own, $BATON_TASK).
    pub id: Option<String>,
    /// The run (default: the task's current run, else its latest).
    #[arg(long)]
    pub run: Option<i64>,
    /// Input tokens, not counting cache reads.
    #[arg(long, default_value_t = 0)]
    pub input: u64,
    #[arg(long, default_value_t = 0)]
    pub output: u64,
    #[arg(long = "cache-read", default_value_t = 0)]
    pub cache_read: u64,
    #[arg(long = "cache-write", default_value_t = 0)]
    pub cache_write: u64,
    /// What the run cost in US dollars (default: from the price table).
    #[arg(long)]
    pub cost: Option<f64>,
    /// The model, for pricing and the roll-ups.
    #[arg(long)]
    pub model: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SpendArgs {
    /// Group by: total, task, profile, day, model or board.
    #[arg(long, default_value = "total")]
    pub by: String,
    /// From: a duration back from now (24h, 7d, 4w) or a day (2026-11-01, UTC).
    #[arg(long)]
    pub since: Option<String>,
    /// Only this task and every task below it.
    #[arg(long)]
    pub task: Option<String>,
    /// Only this profile's runs.
    #[arg(long)]
    pub profile: Option<String>,
    /// Every board (implied by --by board).
    #[arg(long = "all-boards")]
    pub all_boards: bool,
    /// Print the price table in effect instead.
    #[arg(long)]
    pub prices: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct JsonArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct IdsArgs {
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct AssignArgs {
    pub id: String,
    /// Profile or person; `none` to unassign.
    pub profile: String,
}

#[derive(Args, Debug)]
pub struct LinkArgs {
    pub parent: String,
    pub child: String,
}

#[derive(Args, Debug)]
pub struct ClaimArgs {
    pub id: String,
    /// Seconds before the claim lapses without a heartbeat (default 900).
    #[arg(long)]
    pub ttl: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct CommentArgs {
    pub id: String,
    /// The comment (several words are joined with spaces).
    #[arg(required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// Who is speaking (default: $BATON_PROFILE, else `user`).
    #[arg(long)]
    pub author: Option<String>,
}

#[derive(Args, Debug)]
pub struct HeartbeatArgs {
    /// Task (default: $BATON_TASK).
    pub id: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Args, Debug)]
pub struct CompleteArgs {
    /// Tasks to complete (default: $BATON_TASK).
    pub ids: Vec<String>,
    /// A one-line result, stored on the task.
    #[arg(long)]
    pub result: Option<String>,
    /// What was done, for the next worker and for people.
    #[arg(long)]
    pub summary: Option<String>,
    /// Structured facts as a JSON object.
    #[arg(long, value_name = "JSON")]
    pub metadata: Option<String>,
    /// A task this worker created while working (repeatable); each must exist
    /// and have been created by this worker's profile.
    #[arg(long = "created-card", value_name = "ID")]
    pub created_cards: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct BlockArgs {
    /// The task (may be left out inside a worker), then the reason.
    #[arg(required = true, num_args = 1.., value_name = "ID] [REASON")]
    pub words: Vec<String>,
    /// More tasks to block with the same reason.
    #[arg(long, num_args = 1.., value_name = "ID")]
    pub ids: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ReclaimArgs {
    pub id: String,
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Args, Debug)]
pub struct ReassignArgs {
    pub id: String,
    /// New profile; `none` to unassign.
    pub profile: String,
    /// Reclaim the task first if it is running.
    #[arg(long)]
    pub reclaim: bool,
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Args, Debug)]
pub struct TailArgs {
    pub id: String,
    /// Seconds between polls.
    #[arg(long, default_value_t = 1.0)]
    pub interval: f64,
    /// One JSON event per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct WatchArgs {
    #[arg(long)]
    pub assignee: Option<String>,
    #[arg(long)]
    pub tenant: Option<String>,
    /// Only these event kinds, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub kinds: Vec<String>,
    /// Seconds between polls.
    #[arg(long, default_value_t = 0.5)]
    pub interval: f64,
    /// One JSON event per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DiagnosticsArgs {
    /// Only this severity and worse: warning, error or critical.
    #[arg(long)]
    pub severity: Option<String>,
    /// Only this task.
    #[arg(long)]
    pub task: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    pub id: String,
    /// The whole diff, not only the stat.
    #[arg(long)]
    pub patch: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct TranscriptArgs {
    pub id: String,
    /// The run (default: the latest with a transcript).
    #[arg(long, value_name = "N")]
    pub run: Option<i64>,
    /// Print the agent's JSON stream as it wrote it.
    #[arg(long, conflicts_with = "json")]
    pub raw: bool,
    /// Show tool inputs and outputs in full (as stored), not one line each.
    #[arg(short, long)]
    pub verbose: bool,
    #[arg(long)]
    pub json: bool,
}

// Parsed once per process; the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum ProfilesCommand {
    /// The configured profiles.
    #[command(
        visible_alias = "ls",
        after_help = "Example:\n  baton profiles list --json"
    )]
    List(JsonArgs),
    /// One profile's settings.
    #[command(after_help = "Example:\n  baton profiles show coder")]
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a profile to config.toml: an agent CLI, or a command after `--`.
    #[command(
        after_help = "Examples:\n  baton profiles add coder --agent claude-code --model claude-sonnet-4-5 --max-concurrent 2\n  \
        baton profiles add reviewer --agent codex --permissions read-only --on-exit complete\n  \
        baton profiles add scraper -- python3 scrape.py {task}"
    )]
    Add(ProfileAddArgs),
    /// End a profile's pause now (after a rate limit or a failed login).
    #[command(after_help = "Example:\n  baton profiles resume coder")]
    Resume {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a profile from config.toml (its tasks keep their assignee).
    #[command(after_help = "Example:\n  baton profiles rm coder")]
    Rm {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct ProfileAddArgs {
    pub name: String,
    /// The agent CLI: claude-code, codex, gemini, qwen, opencode, copilot, cursor, goose, aider, hermes (or command, with the command after `--`).
    #[arg(long, value_name = "KIND")]
    pub agent: Option<String>,
    /// The model to ask for.
    #[arg(long)]
    pub model: Option<String>,
    /// At most this many of its workers at once.
    #[arg(long, value_name = "N")]
    pub max_concurrent: Option<u32>,
    /// The CLI's program, if it is not on PATH under its usual name.
    #[arg(long, value_name = "PATH")]
    pub bin: Option<String>,
    /// workspace (default), read-only or full (no sandbox: throwaway machines only).
    #[arg(long, value_name = "MODE")]
    pub permissions: Option<String>,
    /// When the agent exits without completing: block (default), complete or retry.
    #[arg(long, value_name = "WHAT")]
    pub on_exit: Option<String>,
    /// An extra argument for the CLI (repeatable).
    #[arg(long = "arg", value_name = "ARG", allow_hyphen_values = true)]
    pub args: Vec<String>,
    /// An environment variable for its workers, KEY=VALUE (repeatable).
    #[arg(long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// Overwrite a profile of the same name.
    #[arg(long)]
    pub replace: bool,
    #[arg(long)]
    pub json: bool,
    /// For a command profile: its argv (placeholders {task} {run} {workspace} {prompt}).
    #[arg(last = true)]
    pub command: Vec<String>,
}

#[derive(Args, Debug)]
pub struct LogArgs {
    pub id: String,
    /// Only the last BYTES bytes.
    #[arg(long, value_name = "BYTES")]
    pub tail: Option<u64>,
}

#[derive(Args, Debug)]
pub struct GcArgs {
    #[arg(long, default_value_t = 30)]
    pub event_retention_days: i64,
    #[arg(long, default_value_t = 30)]
    pub log_retention_days: i64,
    /// Also remove finished tasks' worktrees that hold uncommitted changes.
    #[arg(long)]
    pub force: bool,
    #[arg(long)]
    pub json: bool,
}

/// Who hears: a configured channel, or the reference's platform and chat.
#[derive(Args, Debug, Default)]
pub struct NotifyTarget {
    /// The task; omit it with --all.
    pub id: Option<String>,
    /// Every task on the board, instead of one.
    #[arg(long, conflicts_with = "id")]
    pub all: bool,
    /// A channel from config.toml ([channels.<name>]).
    #[arg(long, conflicts_with_all = ["platform", "chat_id"])]
    pub channel: Option<String>,
    /// A platform (slack, discord, ntfy, webhook, or a channel's name); delivered through the channel of that name or kind.
    #[arg(long, requires = "chat_id")]
    pub platform: Option<String>,
    #[arg(long, requires = "platform")]
    pub chat_id: Option<String>,
    #[arg(long)]
    pub thread_id: Option<String>,
}

#[derive(Args, Debug)]
pub struct NotifySubscribeArgs {
    #[command(flatten)]
    pub target: NotifyTarget,
    #[arg(long)]
    pub user_id: Option<String>,
    #[arg(long)]
    pub notifier_profile: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct NotifyListArgs {
    pub id: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct NotifyUnsubscribeArgs {
    #[command(flatten)]
    pub target: NotifyTarget,
}

#[derive(Args, Debug)]
pub struct DispatchArgs {
    /// Say what would be started without claiming or starting anything.
    #[arg(long)]
    pub dry_run: bool,
    /// At most this many workers running on the board.
    #[arg(long)]
    pub max: Option<usize>,
    /// Consecutive failures before a task is blocked (default from config, else 5).
    #[arg(long)]
    pub failure_limit: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DaemonArgs {
    /// Seconds between time-based checks (default from config, else 5).
    #[arg(long)]
    pub interval: Option<f64>,
    #[arg(long)]
    pub max: Option<usize>,
    #[arg(long)]
    pub failure_limit: Option<i64>,
    /// Write the daemon's pid here (removed on exit).
    #[arg(long)]
    pub pidfile: Option<PathBuf>,
    /// Print a line for every pass that did something.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Subcommand, Debug)]
pub enum BoardsCommand {
    /// All boards with their task counts.
    #[command(
        visible_alias = "ls",
        after_help = "Example:\n  baton boards list --json"
    )]
    List {
        /// Include archived boards.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Create a board (or update an existing one's details).
    #[command(
        after_help = "Example:\n  baton boards create atm10-server --name \"Minecraft server\" --switch"
    )]
    Create {
        slug: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        icon: Option<String>,
        #[arg(long)]
        color: Option<String>,
        /// Absolute directory that dir/worktree tasks default to.
        #[arg(long)]
        default_workdir: Option<String>,
        /// Make it the current board.
        #[arg(long)]
        switch: bool,
        #[arg(long)]
        json: bool,
    },
    /// Change a board's display name (the slug stays).
    #[command(after_help = "Example:\n  baton boards rename atm10-server \"Modded server\"")]
    Rename { slug: String, name: String },
    /// Make a board the current one.
    #[command(
        visible_alias = "use",
        after_help = "Example:\n  baton boards switch atm10-server"
    )]
    Switch { slug: String },
    /// Archive a board (or erase it with --delete).
    #[command(
        visible_alias = "remove",
        after_help = "Examples:\n  baton boards rm old-project\n  baton boards rm old-project --delete"
    )]
    Rm {
        slug: String,
        /// Erase the board's files instead of archiving them.
        #[arg(long)]
        delete: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import a Hermes kanban.db: tasks, links, comments, events and runs, keeping task ids.
    #[command(after_help = "Example:\n  baton import hermes ~/.hermes/kanban.db")]
    Hermes {
        path: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug, Default)]
pub struct CreateArgs {
    /// Task title (one line).
    pub title: String,
    /// Longer description (markdown).
    #[arg(long)]
    pub body: Option<String>,
    /// Profile or person the task is for.
    #[arg(long)]
    pub assignee: Option<String>,
    /// A task this one depends on (repeatable).
    #[arg(long = "parent", value_name = "ID")]
    pub parents: Vec<String>,
    /// Where the worker runs: scratch, worktree, or dir:<absolute path>.
    #[arg(long, default_value = "scratch")]
    pub workspace: String,
    /// A worktree task's git branch (default: baton/<task-id>).
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// Namespace inside the board.
    #[arg(long)]
    pub tenant: Option<String>,
    /// Higher runs first.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub priority: i64,
    /// Park the task in triage instead of making it ready.
    #[arg(long)]
    pub triage: bool,
    /// Return the existing task instead of creating a duplicate.
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
    /// Per-attempt limit: 30m, 2h, 1d or seconds.
    #[arg(long, value_name = "DURATION")]
    pub max_runtime: Option<String>,
    /// Consecutive failures before the dispatcher gives up on this task
    /// (overrides the dispatcher's --failure-limit).
    #[arg(long, value_name = "N")]
    pub max_retries: Option<i64>,
    /// A skill the worker must load (repeatable).
    #[arg(long = "skill", value_name = "NAME")]
    pub skills: Vec<String>,
    /// Who is creating the task (default: $BATON_PROFILE, else `user`).
    #[arg(long)]
    pub created_by: Option<String>,
    /// Subscribe a configured notification channel to the new task (repeatable).
    #[arg(long = "notify", value_name = "CHANNEL")]
    pub notify: Vec<String>,
    /// Print the created task as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print only the new task's id, for scripts: id=$(baton create "…" -q).
    #[arg(short, long, conflicts_with = "json")]
    pub quiet: bool,
}

#[derive(Args, Debug, Default)]
pub struct ListArgs {
    /// Only tasks assigned to $BATON_PROFILE.
    #[arg(long)]
    pub mine: bool,
    #[arg(long)]
    pub assignee: Option<String>,
    /// triage, todo, ready, running, blocked, done or archived.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub tenant: Option<String>,
    /// Include archived tasks.
    #[arg(long)]
    pub archived: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug, Default, Clone)]
pub struct ServeArgs {
    /// Address to listen on (default: $LEPTOS_SITE_ADDR, else 127.0.0.1:3000).
    #[arg(long)]
    pub addr: Option<String>,
    /// API token (default: $BATON_TOKEN, else a generated one).
    #[arg(long, env = "BATON_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Do not run the dispatcher in this process.
    #[arg(long)]
    pub no_dispatcher: bool,
}

#[derive(Args, Debug)]
pub struct McpArgs {
    /// Print how to register Baton with an MCP client instead of serving:
    /// claude-code, codex, cursor, json, http.
    #[arg(long, value_name = "CLIENT")]
    pub print_config: Option<String>,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// solo, fleet, pipeline, breaker or all (default: all).
    pub story: Option<String>,
    /// Put the story on this board instead of demo-<story> (one story only).
    #[arg(long)]
    pub board: Option<String>,
    /// Seconds each demo worker step takes.
    #[arg(long, default_value_t = 2.0)]
    pub pace: f64,
    /// Start over: archive an existing demo board and seed it again.
    #[arg(long)]
    pub replace: bool,
}

#[derive(Args, Debug)]
pub struct ReferenceArgs {
    /// cli or rest.
    pub what: String,
}
