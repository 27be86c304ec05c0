//! CLI verbs. Each module holds one family of verbs; `run` routes to them.

mod init;
mod tasks;

use crate::cli::{Cli, Command};
use crate::error::Result;
use kernel::{Board, Home};

/// What every verb needs: the home and the board the user pointed at.
pub struct Ctx {
    pub home: Home,
    pub board_flag: Option<String>,
}

impl Ctx {
    pub fn new(cli: &Cli) -> Result<Ctx> {
        Ok(Ctx {
            home: Home::resolve(cli.home.as_deref())?,
            board_flag: cli.board.clone(),
        })
    }

    pub fn slug(&self) -> Result<String> {
        Ok(self.home.resolve_board(self.board_flag.as_deref())?)
    }

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
        Command::Serve(a) => crate::serve::serve(&ctx, a),
    }
}
