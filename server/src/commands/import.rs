//! `baton import hermes PATH`.

use super::Ctx;
use crate::cli::ImportCommand;
use crate::error::Result;
use crate::output;

pub fn import(ctx: &Ctx, cmd: ImportCommand) -> Result<()> {
    match cmd {
        ImportCommand::Hermes { path, json } => {
            let mut board = ctx.board()?;
            let r = board.import_hermes(&path)?;
            if json {
                output::json(&r);
                return Ok(());
            }
            println!(
                "Imported {} task(s) into board '{}' ({} already here, skipped)",
                r.tasks_imported,
                board.slug(),
                r.tasks_skipped
            );
            println!(
                "  {} link(s), {} comment(s), {} event(s), {} run(s)",
                r.links, r.comments, r.events, r.runs
            );
            for (status, n) in &r.statuses_mapped {
                println!("  {n} task(s) in '{status}' mapped to a Baton status");
            }
            if r.open_runs_closed > 0 {
                println!(
                    "  {} run(s) still open in the source were closed as reclaimed",
                    r.open_runs_closed
                );
            }
            Ok(())
        }
    }
}
