//! `baton init`: create the home and say what to do next.

use super::Ctx;
use crate::error::Result;

pub fn init(ctx: &Ctx) -> Result<()> {
    ctx.home.ensure()?;
    let board = ctx.home.open_board("default")?;
    let root = ctx.home.root().display();
    println!("Baton home ready at {root}");
    println!("  board database: {}", board.db_path().display());
    println!();
    println!("Next steps:");
    println!("  1. Start the dashboard, API and dispatcher:   baton serve");
    println!("     (or only the dispatcher:                   baton daemon)");
    println!("  2. Tell Baton how to start an agent, in {root}/config.toml:");
    println!();
    println!("       [profiles.researcher]");
    println!("       command = [\"my-agent\", \"--task\", \"{{task}}\"]");
    println!("       max_concurrent = 2");
    println!();
    let found = crate::agents::doctor::found_on_path();
    if !found.is_empty() {
        println!("     Agent CLIs found on PATH; a profile for each is one command:");
        for (kind, path) in &found {
            println!(
                "       baton profiles add {} --agent {}      # {}",
                kind.default_bin().unwrap_or_default(),
                kind.as_str(),
                path.display()
            );
        }
        println!("     then check them with: baton doctor");
        println!();
    }
    println!("  3. Give it work:   baton create \"Summarise the papers\" --assignee researcher");
    Ok(())
}
