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
    /// Serve the dashboard, the API and the live event stream (with the dispatcher).
    #[command(
        after_help = "Examples:\n  baton serve\n  baton serve --addr 0.0.0.0:3000 --token \"$(openssl rand -hex 16)\""
    )]
    Serve(ServeArgs),
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
    /// A skill the worker must load (repeatable).
    #[arg(long = "skill", value_name = "NAME")]
    pub skills: Vec<String>,
    /// Who is creating the task (default: $BATON_PROFILE, else `user`).
    #[arg(long)]
    pub created_by: Option<String>,
    /// Print the created task as JSON.
    #[arg(long)]
    pub json: bool,
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
