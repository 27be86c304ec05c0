//! Looking back and following along: runs, the worker log, the worker
//! context, and live event streams.

use super::Ctx;
use crate::cli::*;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::{self, cell, local_time, paint, short_duration, Table};
use kernel::{Board, Event, EventKind};
use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

pub fn runs(ctx: &Ctx, a: ShowArgs) -> Result<()> {
    let mut board = ctx.board()?;
    let runs = board.runs(a.id.trim())?;
    if a.json {
        output::json(&runs);
        return Ok(());
    }
    if runs.is_empty() {
        println!("{} has no runs yet.", a.id.trim());
        return Ok(());
    }
    let now = board.now();
    let mut t = Table::new(&["#", "OUTCOME", "PROFILE", "ELAPSED", "STARTED"]);
    let mut notes = Vec::new();
    for (i, r) in runs.iter().enumerate() {
        let outcome = r
            .outcome
            .map(|o| o.to_string())
            .unwrap_or_else(|| "active".into());
        let color = match r.outcome {
            None => "33",
            Some(kernel::Outcome::Completed) => "32",
            Some(o) if o.is_failure() => "31",
            Some(_) => "35",
        };
        t.row(vec![
            ((i + 1).to_string(), None),
            (outcome, Some(color)),
            (r.profile.clone().unwrap_or_else(|| "-".into()), None),
            (short_duration(r.elapsed_seconds(now)), None),
            (local_time(r.started_at), None),
        ]);
        notes.push((
            r.summary
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| cell(s, 100)),
            r.error
                .as_deref()
                .filter(|e| !e.trim().is_empty())
                .map(|e| cell(e, 100)),
        ));
    }
    t.print();
    for (i, (summary, error)) in notes.into_iter().enumerate() {
        if let Some(s) = summary {
            println!("  #{} → {s}", i + 1);
        }
        if let Some(e) = error {
            println!("  #{} ! {}", i + 1, paint(&e, "31"));
        }
    }
    Ok(())
}

pub fn log(ctx: &Ctx, a: LogArgs) -> Result<()> {
    let slug = ctx.slug()?;
    let mut board = ctx.home.open_board(&slug)?;
    let task = board.get(a.id.trim())?;
    let path = ctx.home.log_path(&slug, &task.id);
    match kernel::logs::tail_bytes(&path, a.tail) {
        Ok((bytes, _, _)) => {
            let _ = std::io::stdout().lock().write_all(&bytes);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::Failed(format!(
            "no log for {} yet: a worker has not been started for it ({})",
            task.id,
            path.display()
        ))),
        Err(e) => Err(Error::io(format!("cannot read {}", path.display()), e)),
    }
}

pub fn context(ctx: &Ctx, a: IdArg) -> Result<()> {
    let config = Config::load(&ctx.home)?;
    let mut board = ctx.board()?;
    let task = board.get(a.id.trim())?;
    let profile = task.assignee.as_deref().and_then(|a| config.profile(a));
    if let Some(p) = profile.filter(|p| p.kind.is_agent()) {
        // What the agent is given: the guidance (as a system-prompt
        // addition, developer instructions or the prompt's head, by kind)
        // and the prompt.
        let prompt =
            crate::agents::guidance::prompt(&board.worker_context(&task.id)?, &task.id, p.kind);
        print!(
            "<!-- guidance, given to {} as {} -->\n{}\n<!-- prompt -->\n{prompt}",
            p.kind.as_str(),
            crate::agents::launch::guidance_form(p.kind),
            crate::agents::guidance::for_task(&task, p.kind)
        );
        return Ok(());
    }
    let mut text = board.worker_prompt(&task.id, profile.is_some_and(|p| p.mcp))?;
    if task.assignee.is_some() && profile.is_none() {
        text.push_str(&format!(
            "\nNote for operators: no [profiles.{0}] entry in {1}, so the dispatcher will not start a worker for \
             this task; {0} (a person or an external worker) claims it with `baton claim {2}`.\n",
            task.assignee.as_deref().unwrap_or_default(),
            ctx.home.config_path().display(),
            task.id
        ));
    }
    print!("{text}");
    Ok(())
}

fn interval(seconds: f64) -> Result<Duration> {
    if !seconds.is_finite() || seconds <= 0.0 || seconds > 3600.0 {
        return Err(Error::Usage(format!(
            "--interval must be between 0 and 3600 seconds, got {seconds}"
        )));
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn print_event(e: &Event, json: bool) {
    let mut out = std::io::stdout().lock();
    if json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string(e).expect("events serialise")
        );
    } else {
        let run = e.run_id.map(|r| format!(" run={r}")).unwrap_or_default();
        let payload = e
            .payload_json()
            .map(|p| format!(" {}", cell(&p.to_string(), 160)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{} #{} {} {}{run}{payload}",
            local_time(e.created_at),
            e.id,
            e.task_id,
            paint(e.kind.as_str(), "1")
        );
    }
    let _ = out.flush();
}

/// Polls the board for events after `cursor` forever, handing each to `f`.
fn follow(
    board: &mut Board,
    mut cursor: i64,
    every: Duration,
    mut f: impl FnMut(&mut Board, &Event),
) -> Result<()> {
    loop {
        let batch = board.events_after(cursor, 500)?;
        for e in &batch {
            f(board, e);
            cursor = e.id;
        }
        if batch.len() < 500 {
            std::thread::sleep(every);
        }
    }
}

pub fn tail(ctx: &Ctx, a: TailArgs) -> Result<()> {
    let every = interval(a.interval)?;
    let mut board = ctx.board()?;
    let id = a.id.trim().to_string();
    let history = board.events(&id)?;
    for e in &history {
        print_event(e, a.json);
    }
    let cursor = board
        .latest_event_id()?
        .max(history.last().map_or(0, |e| e.id));
    follow(&mut board, cursor, every, |_, e| {
        if e.task_id == id {
            print_event(e, a.json);
        }
    })
}

pub fn watch(ctx: &Ctx, a: WatchArgs) -> Result<()> {
    let every = interval(a.interval)?;
    let kinds: Vec<EventKind> = a
        .kinds
        .iter()
        .map(|k| k.trim())
        .filter(|k| !k.is_empty())
        .map(EventKind::from_name)
        .collect();
    let assignee = a.assignee.map(|s| s.trim().to_lowercase());
    let mut board = ctx.board()?;
    let cursor = board.latest_event_id()?;
    if !a.json {
        eprintln!(
            "Watching board '{}' from event {cursor} (Ctrl-C to stop)",
            board.slug()
        );
    }
    // Assignee and tenant of each task seen, so filtering costs one read per task.
    let mut who: HashMap<String, (Option<String>, Option<String>)> = HashMap::new();
    follow(&mut board, cursor, every, |board, e| {
        if !kinds.is_empty() && !kinds.contains(&e.kind) {
            return;
        }
        if assignee.is_some() || a.tenant.is_some() {
            // Assignment can change, so look again on `assigned` events.
            if e.kind == EventKind::Assigned || !who.contains_key(&e.task_id) {
                if let Ok(t) = board.get(&e.task_id) {
                    who.insert(e.task_id.clone(), (t.assignee, t.tenant));
                }
            }
            let (task_assignee, task_tenant) = who.get(&e.task_id).cloned().unwrap_or_default();
            if assignee.is_some() && task_assignee != assignee {
                return;
            }
            if a.tenant.is_some() && task_tenant != a.tenant {
                return;
            }
        }
        print_event(e, a.json);
    })
}
