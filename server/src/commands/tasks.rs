//! Creating, listing and showing tasks.

use super::{env_profile, Ctx};
use crate::cli::{CreateArgs, ListArgs, ShowArgs};
use crate::error::{Error, Result};
use crate::output::{self, cell, local_time, paint, short_duration, status_color, Table};
use kernel::create::{parse_workspace, NewTask};
use kernel::store::ListQuery;
use kernel::{validate, Status, Task, TaskDetail};

pub fn create(ctx: &Ctx, a: CreateArgs) -> Result<()> {
    let (workspace_kind, workspace_path) = parse_workspace(&a.workspace)?;
    let max_runtime_seconds = a
        .max_runtime
        .as_deref()
        .map(validate::duration)
        .transpose()?;
    let new = NewTask {
        title: a.title,
        body: a.body,
        assignee: a.assignee,
        parents: a.parents,
        workspace_kind,
        workspace_path,
        branch_name: a.branch,
        tenant: a.tenant.or_else(|| std::env::var("BATON_TENANT").ok()),
        priority: a.priority,
        triage: a.triage,
        idempotency_key: a.idempotency_key,
        max_runtime_seconds,
        skills: a.skills,
        max_retries: a.max_retries,
        created_by: a
            .created_by
            .or_else(env_profile)
            .or_else(|| Some("user".into())),
        ..Default::default()
    };
    super::notify::check_channels(ctx, &a.notify)?;
    let task = ctx.ops.create(ctx.board_arg(), &new, &a.notify)?.task;
    if a.json {
        output::json(&task);
    } else if a.quiet {
        println!("{}", task.id);
    } else {
        println!(
            "{}  {}  {}",
            task.id,
            paint(task.status.as_str(), status_color(task.status)),
            task.title
        );
    }
    Ok(())
}

pub fn list(ctx: &Ctx, a: ListArgs) -> Result<()> {
    let status = a
        .status
        .as_deref()
        .map(str::parse::<Status>)
        .transpose()
        .map_err(Error::Usage)?;
    let assignee = if a.mine {
        Some(
            env_profile()
                .ok_or_else(|| Error::Usage("--mine needs $BATON_PROFILE to be set".into()))?,
        )
    } else {
        a.assignee
    };
    let q = ListQuery {
        tenant: a.tenant,
        assignee: assignee.map(|s| s.trim().to_lowercase()),
        status,
        include_archived: a.archived,
        limit: None,
    };
    let mut board = ctx.board()?;
    let tasks = board.list(&q)?;
    if a.json {
        output::json(&tasks);
        return Ok(());
    }
    if tasks.is_empty() {
        println!("No tasks on board '{}'.", board.slug());
        return Ok(());
    }
    let now = board.now();
    let mut t = Table::new(&["ID", "STATUS", "PRI", "ASSIGNEE", "AGE", "TITLE"]);
    for task in &tasks {
        t.row(vec![
            (task.id.clone(), None),
            (task.status.to_string(), Some(status_color(task.status))),
            (task.priority.to_string(), None),
            (task.assignee.clone().unwrap_or_else(|| "-".into()), None),
            (short_duration(now - task.created_at), None),
            (cell(&task.title, 80), None),
        ]);
    }
    t.print();
    Ok(())
}

fn field(label: &str, value: impl std::fmt::Display) {
    println!("  {:<14} {value}", format!("{label}:"));
}

fn print_task_header(task: &Task, now: i64) {
    println!("{}  {}", paint(&task.id, "1"), paint(&task.title, "1"));
    field(
        "status",
        paint(task.status.as_str(), status_color(task.status)),
    );
    field(
        "assignee",
        task.assignee.as_deref().unwrap_or("(unassigned)"),
    );
    field("priority", task.priority);
    if let Some(t) = &task.tenant {
        field("tenant", t);
    }
    field(
        "workspace",
        format!(
            "{} @ {}",
            task.workspace_kind,
            task.workspace_path.as_deref().unwrap_or("(unresolved)")
        ),
    );
    if let Some(s) = task.skills.as_ref().filter(|s| !s.is_empty()) {
        field("skills", s.join(", "));
    }
    if let Some(m) = task.max_runtime_seconds {
        field("max runtime", short_duration(m));
    }
    field(
        "created",
        format!(
            "{} ({} ago)",
            local_time(task.created_at),
            short_duration(now - task.created_at)
        ),
    );
    if let Some(by) = &task.created_by {
        field("created by", by);
    }
    if let Some(c) = task.completed_at {
        field("completed", local_time(c));
    }
    if let Some(lock) = &task.claim_lock {
        field("claimed by", lock);
    }
    if let Some(pid) = task.worker_pid {
        field("worker pid", pid);
    }
    if let Some(hb) = task.last_heartbeat_at {
        field("heartbeat", format!("{} ago", short_duration(now - hb)));
    }
    if task.consecutive_failures > 0 {
        field("failures", task.consecutive_failures);
    }
    if let Some(e) = &task.last_failure_error {
        field("last error", cell(e, 120));
    }
    if let Some(r) = &task.result {
        field("result", cell(r, 120));
    }
}

/// Prints diagnostics the way `show` and `diagnostics` list them.
pub fn print_diagnostics(diags: &[kernel::Diagnostic]) {
    for d in diags {
        let (mark, color) = match d.severity {
            kernel::Severity::Warning => ("⚠", "33"),
            kernel::Severity::Error => ("!!", "31"),
            kernel::Severity::Critical => ("!!!", "1;31"),
        };
        println!(
            "  {} {}",
            paint(&format!("{mark} {}", d.severity), color),
            paint(&d.title, "1")
        );
        println!("      {}", cell(&d.detail, 160));
        for act in d
            .actions
            .iter()
            .filter(|x| x.suggested || x.command.is_some())
        {
            let what = act.command.clone().unwrap_or_else(|| act.label.clone());
            let lead = if act.suggested { "→" } else { "·" };
            println!("      {lead} {what}");
        }
    }
}

pub fn show(ctx: &Ctx, a: ShowArgs) -> Result<()> {
    let slug = ctx.slug()?;
    let mut board = ctx.home.open_board(&slug)?;
    let config = ctx.ops.config()?;
    let full = ctx.ops.task_detail(&mut board, &config, a.id.trim())?;
    if a.json {
        output::json(&full);
        return Ok(());
    }
    let detail = TaskDetail {
        task: full.task.task.clone(),
        links: full.links.clone(),
        comments: full.comments.clone(),
        events: full.events.clone(),
        runs: full.runs.clone(),
    };
    let now = board.now();
    let task = &detail.task;
    print_task_header(task, now);
    if !full.task.diagnostics.is_empty() {
        println!("\n{}", paint("Diagnostics", "1"));
        print_diagnostics(&full.task.diagnostics);
    }
    if let Some(body) = task.body.as_deref().filter(|b| !b.trim().is_empty()) {
        println!("\n{}", paint("Body", "1"));
        for line in body.lines() {
            println!("  {line}");
        }
    }
    if !detail.links.parents.is_empty() || !detail.links.children.is_empty() {
        println!("\n{}", paint("Dependencies", "1"));
        if !detail.links.parents.is_empty() {
            field("parents", detail.links.parents.join(", "));
        }
        if !detail.links.children.is_empty() {
            field("children", detail.links.children.join(", "));
        }
    }
    if !detail.runs.is_empty() {
        println!("\n{}", paint("Runs", "1"));
        for (i, r) in detail.runs.iter().enumerate() {
            let outcome = r
                .outcome
                .map(|o| o.to_string())
                .unwrap_or_else(|| "active".into());
            println!(
                "  #{:<3} {:<12} {:<14} {:>8}  {}",
                i + 1,
                outcome,
                r.profile.as_deref().unwrap_or("-"),
                short_duration(r.elapsed_seconds(now)),
                local_time(r.started_at)
            );
            if let Some(s) = r.summary.as_deref().filter(|s| !s.trim().is_empty()) {
                println!("        → {}", cell(s, 100));
            }
            if let Some(e) = r.error.as_deref().filter(|e| !e.trim().is_empty()) {
                println!("        ! {}", cell(e, 100));
            }
        }
    }
    if !detail.comments.is_empty() {
        println!("\n{}", paint("Comments", "1"));
        for c in &detail.comments {
            println!("  {} · {}", paint(&c.author, "1"), local_time(c.created_at));
            for line in c.body.lines() {
                println!("    {line}");
            }
        }
    }
    println!("\n{}", paint("Events", "1"));
    for e in &detail.events {
        let run = e.run_id.map(|r| format!(" run {r}")).unwrap_or_default();
        let payload = e
            .payload_json()
            .map(|p| format!(" {p}"))
            .unwrap_or_default();
        println!(
            "  {}  {}{}{}",
            local_time(e.created_at),
            e.kind,
            run,
            cell(&payload, 100)
        );
    }
    Ok(())
}
