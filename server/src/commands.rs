//! CLI verbs. Each module holds one family of verbs; `run` routes to them.

mod agents;
mod board;
mod demo;
mod dispatch;
mod history;
mod import;
mod init;
mod lifecycle;
mod notify;
mod reference;
mod spend;
mod tasks;

use crate::cli::{Cli, Command};
use crate::error::Result;
use crate::ops::Ops;
use kernel::{Board, Home};

/// What every verb needs: the home, the board the user pointed at, and the
/// operations over them.
pub struct Ctx {
    pub home: Home,
    pub board_flag: Option<String>,
    pub ops: Ops,
}

impl Ctx {
    pub fn new(cli: &Cli) -> Result<Ctx> {
        let home = crate::home::resolve(cli.home.as_deref())?;
        Ok(Ctx {
            ops: Ops::local(home.clone()),
            home,
            board_flag: cli.board.clone(),
        })
    }

    /// The `--board` flag, for operations (`None`: the current board).
    pub fn board_arg(&self) -> Option<&str> {
        self.board_flag.as_deref()
    }

    pub fn slug(&self) -> Result<String> {
        Ok(self.home.resolve_board(self.board_flag.as_deref())?)
    }

    /// The board itself, for reads.
    pub fn board(&self) -> Result<Board> {
        Ok(self.home.open_board(&self.slug()?)?)
    }
}

/// `$BATON_PROFILE`, trimmed; who "me" is inside a worker.
pub fn env_profile() -> Option<String> {
    std::env::var("BATON_PROFILE")
        .ok()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
}

pub fn run(cli: Cli) -> Result<()> {
    let ctx = Ctx::new(&cli)?;
    match cli.command.unwrap_or(Command::Serve(Default::default())) {
        Command::Init => init::init(&ctx),
        Command::Create(a) => tasks::create(&ctx, a),
        Command::List(a) => tasks::list(&ctx, a),
        Command::Show(a) => tasks::show(&ctx, a),
        Command::Assign(a) => lifecycle::assign(&ctx, a),
        Command::Link(a) => lifecycle::link(&ctx, a),
        Command::Unlink(a) => lifecycle::unlink(&ctx, a),
        Command::Claim(a) => lifecycle::claim(&ctx, a),
        Command::Comment(a) => lifecycle::comment(&ctx, a),
        Command::Heartbeat(a) => lifecycle::heartbeat(&ctx, a),
        Command::Complete(a) => lifecycle::complete(&ctx, a),
        Command::Block(a) => lifecycle::block(&ctx, a),
        Command::Unblock(a) => lifecycle::unblock(&ctx, a),
        Command::Archive(a) => lifecycle::archive(&ctx, a),
        Command::Reclaim(a) => lifecycle::reclaim(&ctx, a),
        Command::Reassign(a) => lifecycle::reassign(&ctx, a),
        Command::Runs(a) => history::runs(&ctx, a),
        Command::Tail(a) => history::tail(&ctx, a),
        Command::Watch(a) => history::watch(&ctx, a),
        Command::Stats(a) => board::stats(&ctx, a),
        Command::Assignees(a) => board::assignees(&ctx, a),
        Command::Log(a) => history::log(&ctx, a),
        Command::Context(a) => history::context(&ctx, a),
        Command::Transcript(a) => agents::transcript(&ctx, a),
        Command::Diff(a) => agents::diff(&ctx, a),
        Command::Usage(a) => lifecycle::usage(&ctx, a),
        Command::Spend(a) => spend::spend(&ctx, a),
        Command::Profiles(c) => agents::profiles(&ctx, c),
        Command::Doctor(a) => agents::doctor(&ctx, a),
        Command::Diagnostics(a) => board::diagnostics(&ctx, a),
        Command::Gc(a) => board::gc(&ctx, a),
        Command::NotifySubscribe(a) => notify::subscribe(&ctx, a),
        Command::NotifyList(a) => notify::list(&ctx, a),
        Command::NotifyUnsubscribe(a) => notify::unsubscribe(&ctx, a),
        Command::Boards(c) => board::boards(&ctx, c),
        Command::Import(c) => import::import(&ctx, c),
        Command::Dispatch(a) => dispatch::dispatch(&ctx, a),
        Command::Daemon(a) => dispatch::daemon(&ctx, a),
        Command::Serve(a) => crate::serve::serve(&ctx, a),
        Command::Mcp(a) => mcp(&ctx, a),
        Command::Demo(a) => demo::demo(&ctx, a),
        Command::Reference(a) => reference::reference(a),
        Command::HermesRun(a) => std::process::exit(crate::agents::hermes::run(&a)?),
    }
}

fn mcp(ctx: &Ctx, a: crate::cli::McpArgs) -> Result<()> {
    use crate::error::Error;
    use crate::mcp::{clients, tools::Identity};
    if let Some(client) = a.print_config {
        let baton = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "baton".into());
        let url = crate::serve::running_url(&ctx.home);
        let text = clients::config(
            client.trim(),
            &baton,
            &ctx.home.root().display().to_string(),
            ctx.board_flag.as_deref(),
            url.as_deref(),
        )
        .map_err(Error::Usage)?;
        print!("{text}");
        return Ok(());
    }
    let mut who = Identity::from_lookup(|k| std::env::var(format!("BATON_{k}")).ok())
        .map_err(|e| Error::Usage(format!("$BATON_RUN: {e}")))?;
    // --board wins over $BATON_BOARD, and an unknown board is refused now.
    who.board = Some(ctx.slug()?);
    ctx.home.ensure()?;
    crate::mcp::run_stdio(ctx.ops.clone(), who)
}
