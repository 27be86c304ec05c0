//! Board-wide verbs: stats, assignees, gc, and the boards themselves.

use super::Ctx;
use crate::cli::*;
use crate::error::Result;
use crate::output::{self, paint, short_duration, Table};
use kernel::boards::BoardFields;
use kernel::gc::GcOptions;
use kernel::Status;

pub fn stats(ctx: &Ctx, a: JsonArgs) -> Result<()> {
    let s = ctx.board()?.stats()?;
    if a.json {
        output::json(&s);
        return Ok(());
    }
    let counts: Vec<String> = Status::ALL
        .iter()
        .filter(|st| **st != Status::Archived)
        .map(|st| {
            format!(
                "{st} {}",
                s.by_status.get(st.as_str()).copied().unwrap_or(0)
            )
        })
        .collect();
    println!("{}", counts.join("  "));
    match s.oldest_ready_age_seconds {
        Some(age) => println!("oldest ready task has waited {}", short_duration(age)),
        None => println!("nothing is waiting in ready"),
    }
    if !s.by_assignee.is_empty() {
        println!();
        let mut t = Table::new(&["ASSIGNEE", "COUNTS"]);
        for (who, c) in &s.by_assignee {
            let line: Vec<String> = c.iter().map(|(st, n)| format!("{st} {n}")).collect();
            t.row(vec![(who.clone(), None), (line.join("  "), None)]);
        }
        t.print();
    }
    Ok(())
}

pub fn assignees(ctx: &Ctx, a: JsonArgs) -> Result<()> {
    let mut board = ctx.board()?;
    let list = ctx.ops.assignees(&ctx.ops.config()?, &mut board)?;
    if a.json {
        output::json(&list);
        return Ok(());
    }
    if list.is_empty() {
        println!(
            "No assignees yet: configure a profile in {} or assign a task.",
            ctx.home.config_path().display()
        );
        return Ok(());
    }
    let mut t = Table::new(&["NAME", "PROFILE", "COUNTS"]);
    for a in &list {
        let counts: Vec<String> = a.counts.iter().map(|(s, n)| format!("{s} {n}")).collect();
        t.row(vec![
            (a.name.clone(), None),
            (
                (if a.on_disk { "configured" } else { "-" }).to_string(),
                None,
            ),
            (counts.join("  "), None),
        ]);
    }
    t.print();
    Ok(())
}

pub fn diagnostics(ctx: &Ctx, a: DiagnosticsArgs) -> Result<()> {
    let min = a
        .severity
        .as_deref()
        .map(str::parse::<kernel::Severity>)
        .transpose()
        .map_err(crate::error::Error::Usage)?;
    let slug = ctx.slug()?;
    let mut board = ctx.home.open_board(&slug)?;
    let config = ctx.ops.config()?;
    let task = a.task.as_deref().map(str::trim);
    let found = ctx.ops.diagnostics(&config, &mut board, task)?;
    let fleet = crate::ops::views::fleet(&mut board, found, min)?;
    if a.json {
        output::json(&fleet.diagnostics);
        return Ok(());
    }
    if fleet.diagnostics.is_empty() {
        println!("Nothing needs attention on board '{slug}'.");
        return Ok(());
    }
    println!(
        "{} task(s) need attention on board '{slug}':",
        fleet.diagnostics.len()
    );
    for row in &fleet.diagnostics {
        println!(
            "\n{}  {}  {}  {}",
            paint(&row.task_id, "1"),
            row.task_status,
            row.task_assignee.as_deref().unwrap_or("-"),
            row.task_title
        );
        super::tasks::print_diagnostics(&row.diagnostics);
    }
    Ok(())
}

pub fn gc(ctx: &Ctx, a: GcArgs) -> Result<()> {
    let mut board = ctx.board()?;
    let report = ctx.home.gc(
        &mut board,
        GcOptions {
            event_retention_days: a.event_retention_days,
            log_retention_days: a.log_retention_days,
        },
    )?;
    let worktrees = kernel::worktree::sweep(&ctx.home, &mut board, a.force)?;
    if a.json {
        #[derive(serde::Serialize)]
        struct GcOut {
            #[serde(flatten)]
            report: kernel::gc::GcReport,
            worktrees: Vec<kernel::worktree::Swept>,
        }
        output::json(&GcOut { report, worktrees });
    } else {
        println!(
            "removed {} workspace(s), {} event(s), {} log file(s)",
            report.workspaces_removed, report.events_removed, report.logs_removed
        );
        for w in &worktrees {
            match w.action {
                kernel::worktree::SweepAction::Removed => println!("removed the worktree of {} ({}; branch {} kept)", w.task_id, w.path, w.branch),
                kernel::worktree::SweepAction::Kept => eprintln!("baton: kept the worktree of {} at {}: it has uncommitted changes (--force removes it)", w.task_id, w.path),
            }
        }
        for p in &report.skipped_outside_root {
            eprintln!("baton: left {p} alone: it is outside the workspaces directory");
        }
    }
    Ok(())
}

pub fn boards(ctx: &Ctx, cmd: BoardsCommand) -> Result<()> {
    let home = &ctx.home;
    match cmd {
        BoardsCommand::List { all, json } => {
            let rows = ctx.ops.boards(all)?;
            if json {
                output::json(&rows);
                return Ok(());
            }
            let mut t = Table::new(&["", "SLUG", "NAME", "TASKS", "COUNTS"]);
            for r in &rows {
                let counts: Vec<String> =
                    r.counts.iter().map(|(s, n)| format!("{s} {n}")).collect();
                t.row(vec![
                    ((if r.is_current { "●" } else { " " }).to_string(), None),
                    (r.meta.slug.clone(), None),
                    (r.meta.name.clone(), None),
                    (r.total.to_string(), None),
                    (counts.join("  "), None),
                ]);
            }
            t.print();
            println!("Current board: {}", home.current_board());
        }
        BoardsCommand::Create {
            slug,
            name,
            description,
            icon,
            color,
            default_workdir,
            switch,
            json,
        } => {
            let existed =
                kernel::boards::normalize_slug(&slug).is_ok_and(|s| home.board_exists(&s));
            let meta = ctx.ops.create_board(
                &slug,
                &BoardFields {
                    name,
                    description,
                    icon,
                    color,
                    default_workdir: default_workdir.map(Some),
                },
                switch,
            )?;
            if json {
                output::json(&meta);
            } else {
                let verb = if existed {
                    "already exists; updated"
                } else {
                    "created"
                };
                println!("Board '{}' {verb} ({})", meta.slug, meta.name);
                println!("  database: {}", meta.db_path.as_deref().unwrap_or(""));
                if switch {
                    println!("  it is now the current board");
                }
            }
        }
        BoardsCommand::Rename { slug, name } => {
            let meta = ctx.ops.update_board(
                &slug,
                &BoardFields {
                    name: Some(name),
                    ..Default::default()
                },
            )?;
            println!(
                "Board '{}' is now called {}",
                meta.slug,
                paint(&meta.name, "1")
            );
        }
        BoardsCommand::Switch { slug } => {
            let slug = ctx.ops.switch_board(&slug)?;
            println!("Current board: {slug}");
        }
        BoardsCommand::Rm { slug, delete } => {
            let r = ctx.ops.remove_board(&slug, delete)?;
            match r.action.as_str() {
                "deleted" => println!("Board '{}' deleted", r.slug),
                _ => println!("Board '{}' archived to {}", r.slug, r.new_path),
            }
            println!("Current board: {}", home.current_board());
        }
    }
    Ok(())
}
