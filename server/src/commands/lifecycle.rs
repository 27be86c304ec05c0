//! Verbs that move tasks: assign, link, claim, comment, heartbeat, complete,
//! block, unblock, archive, reclaim, reassign. Inside a worker ($BATON_TASK and
//! $BATON_RUN set), complete / block / heartbeat default to that task and are
//! fenced by that run.

use super::{env_profile, Ctx};
use crate::cli::*;
use crate::error::{Error, Result};
use crate::output::{self, paint, status_color};
use crate::process;
use kernel::complete::Completion;
use kernel::{Board, Task};
use std::time::Duration;

/// How long a worker gets between SIGTERM and SIGKILL.
pub const TERM_GRACE: Duration = Duration::from_secs(5);

fn is_task_id(s: &str) -> bool {
    s.len() == 10 && s.starts_with("t_") && s[2..].chars().all(|c| c.is_ascii_hexdigit())
}

/// The worker's own task and run from the environment.
fn worker_env() -> Result<(Option<String>, Option<i64>)> {
    let task = std::env::var("BATON_TASK")
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let run = match std::env::var("BATON_RUN")
        .ok()
        .filter(|r| !r.trim().is_empty())
    {
        Some(r) => Some(r.trim().parse::<i64>().map_err(|_| {
            Error::Usage(format!("$BATON_RUN must be a run id (a number), got '{r}'"))
        })?),
        None => None,
    };
    Ok((task, run))
}

/// The task a worker verb acts on and the run that fences it: an explicit id
/// is fenced only when it is the worker's own task.
fn target(explicit: Option<&str>) -> Result<(String, Option<i64>)> {
    let (env_task, env_run) = worker_env()?;
    let id = match explicit.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => id.to_string(),
        None => env_task
            .clone()
            .ok_or_else(|| Error::Usage("no task id given and $BATON_TASK is not set".into()))?,
    };
    let run = if env_task.as_deref() == Some(id.as_str()) {
        env_run
    } else {
        None
    };
    Ok((id, run))
}

fn author(flag: Option<String>) -> String {
    flag.or_else(env_profile).unwrap_or_else(|| "user".into())
}

fn confirm(task: &Task, what: &str) {
    println!(
        "{}  {}  {what}",
        task.id,
        paint(task.status.as_str(), status_color(task.status))
    );
}

/// Applies `f` to every id independently; prints each failure and fails
/// overall if any did, after trying them all.
fn each(ids: &[String], mut f: impl FnMut(&str) -> Result<()>) -> Result<()> {
    let mut failed = 0;
    for id in ids {
        if let Err(e) = f(id.trim()) {
            eprintln!("baton: {}: {e}", id.trim());
            failed += 1;
        }
    }
    match failed {
        0 => Ok(()),
        n => Err(Error::Failed(format!(
            "{n} of {} task(s) failed",
            ids.len()
        ))),
    }
}

fn none_word(s: &str) -> Option<&str> {
    let t = s.trim();
    (!matches!(t.to_ascii_lowercase().as_str(), "" | "none" | "-" | "null")).then_some(t)
}

pub fn assign(ctx: &Ctx, a: AssignArgs) -> Result<()> {
    let task = ctx.board()?.assign(a.id.trim(), none_word(&a.profile))?;
    confirm(
        &task,
        &format!(
            "assigned to {}",
            task.assignee.as_deref().unwrap_or("nobody")
        ),
    );
    Ok(())
}

pub fn link(ctx: &Ctx, a: LinkArgs) -> Result<()> {
    let mut board = ctx.board()?;
    let added = board.link(&a.parent, &a.child)?;
    let child = board.get(a.child.trim())?;
    let note = if added {
        "now waits for"
    } else {
        "already waited for"
    };
    confirm(&child, &format!("{note} {}", a.parent.trim()));
    Ok(())
}

pub fn unlink(ctx: &Ctx, a: LinkArgs) -> Result<()> {
    let mut board = ctx.board()?;
    if !board.unlink(&a.parent, &a.child)? {
        return Err(Error::Failed(format!(
            "{} does not depend on {}",
            a.child.trim(),
            a.parent.trim()
        )));
    }
    let child = board.get(a.child.trim())?;
    confirm(&child, &format!("no longer waits for {}", a.parent.trim()));
    Ok(())
}

pub fn claim(ctx: &Ctx, a: ClaimArgs) -> Result<()> {
    let slug = ctx.slug()?;
    let mut board = ctx.home.open_board(&slug)?;
    let claimed = board.claim(a.id.trim(), a.ttl, None)?;
    let workspace = match ctx.home.resolve_workspace(&slug, &claimed.task) {
        Ok(w) => w,
        Err(e) => {
            // A claim whose workspace cannot exist is useless; give it back.
            let _ = board.reclaim(&claimed.task.id, Some(&format!("workspace: {e}")));
            return Err(e.into());
        }
    };
    board.set_workspace_path(&claimed.task.id, &workspace)?;
    if a.json {
        output::json(&serde_json::json!({
            "task": board.get(&claimed.task.id)?,
            "run_id": claimed.run_id,
            "workspace": workspace,
        }));
    } else {
        println!("Claimed {} (run {})", claimed.task.id, claimed.run_id);
        println!("Workspace: {}", workspace.display());
    }
    Ok(())
}

pub fn comment(ctx: &Ctx, a: CommentArgs) -> Result<()> {
    let c = ctx
        .board()?
        .comment(a.id.trim(), &author(a.author), &a.text.join(" "))?;
    println!("{}  comment {} by {}", c.task_id, c.id, c.author);
    Ok(())
}

pub fn heartbeat(ctx: &Ctx, a: HeartbeatArgs) -> Result<()> {
    let (id, run) = target(a.id.as_deref())?;
    let task = ctx.board()?.heartbeat(&id, a.note.as_deref(), run, None)?;
    confirm(&task, "heartbeat recorded");
    Ok(())
}

fn parse_metadata(raw: Option<&str>) -> Result<Option<serde_json::Value>> {
    let Some(raw) = raw else { return Ok(None) };
    let value: serde_json::Value = serde_json::from_str(raw)
        .map_err(|e| Error::Usage(format!("--metadata is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(Error::Usage(
            "--metadata must be a JSON object, e.g. '{\"files\": 2}'".into(),
        ));
    }
    Ok(Some(value))
}

pub fn complete(ctx: &Ctx, a: CompleteArgs) -> Result<()> {
    let metadata = parse_metadata(a.metadata.as_deref())?;
    if a.ids.len() > 1 && (a.summary.is_some() || metadata.is_some()) {
        return Err(Error::Usage(
            "--summary and --metadata describe one task's work; complete the tasks one at a time"
                .into(),
        ));
    }
    let targets: Vec<(String, Option<i64>)> = if a.ids.is_empty() {
        vec![target(None)?]
    } else {
        a.ids
            .iter()
            .map(|id| target(Some(id)))
            .collect::<Result<_>>()?
    };
    let mut board = ctx.board()?;
    let ids: Vec<String> = targets.iter().map(|(id, _)| id.clone()).collect();
    let mut done = Vec::new();
    let result = each(&ids, |id| {
        let run = targets.iter().find(|(t, _)| t == id).and_then(|(_, r)| *r);
        let task = board.complete(
            id,
            &Completion {
                result: a.result.clone(),
                summary: a.summary.clone(),
                metadata: metadata.clone(),
                run,
                created_cards: a.created_cards.clone(),
                profile: env_profile(),
            },
        )?;
        if !a.json {
            confirm(&task, "completed");
        }
        done.push(task);
        Ok(())
    });
    if a.json {
        output::json(&done);
    }
    result
}

pub fn block(ctx: &Ctx, a: BlockArgs) -> Result<()> {
    let mut words = a.words;
    let first = if is_task_id(words[0].trim()) {
        Some(words.remove(0))
    } else {
        None
    };
    let reason = words.join(" ");
    if reason.trim().is_empty() {
        return Err(Error::Usage(
            "say why the task is blocked: baton block [ID] REASON...".into(),
        ));
    }
    let mut targets = vec![target(first.as_deref())?];
    for id in &a.ids {
        targets.push(target(Some(id))?);
    }
    let mut board = ctx.board()?;
    let ids: Vec<String> = targets.iter().map(|(id, _)| id.clone()).collect();
    each(&ids, |id| {
        let run = targets.iter().find(|(t, _)| t == id).and_then(|(_, r)| *r);
        let task = board.block(id, Some(&reason), run)?;
        confirm(&task, &format!("blocked: {}", output::cell(&reason, 80)));
        Ok(())
    })
}

pub fn unblock(ctx: &Ctx, a: IdsArgs) -> Result<()> {
    let mut board = ctx.board()?;
    let mut out = Vec::new();
    let r = each(&a.ids, |id| {
        let task = board.unblock(id)?;
        if !a.json {
            confirm(&task, "unblocked");
        }
        out.push(task);
        Ok(())
    });
    if a.json {
        output::json(&out);
    }
    r
}

/// Stops a task's worker if it runs on this machine.
fn stop_worker(
    lock: Option<&str>,
    pid: Option<i64>,
    started: Option<i64>,
) -> Option<process::Termination> {
    let pid = pid?;
    process::lock_is_local(lock).then(|| process::terminate(pid, started, TERM_GRACE))
}

pub fn archive(ctx: &Ctx, a: IdsArgs) -> Result<()> {
    let mut board = ctx.board()?;
    let mut out = Vec::new();
    let r = each(&a.ids, |id| {
        let before = board.get(id)?;
        let task = board.archive(id)?;
        stop_worker(
            before.claim_lock.as_deref(),
            before.worker_pid,
            before.worker_started,
        );
        if !a.json {
            confirm(&task, "archived");
        }
        out.push(task);
        Ok(())
    });
    if a.json {
        output::json(&out);
    }
    r
}

fn reclaim_and_stop(
    board: &mut Board,
    id: &str,
    reason: Option<&str>,
) -> Result<Option<process::Termination>> {
    let before = board.get(id)?;
    let r = board.reclaim(id, reason)?;
    Ok(stop_worker(
        r.prev_lock.as_deref(),
        r.prev_pid,
        before.worker_started,
    ))
}

pub fn reclaim(ctx: &Ctx, a: ReclaimArgs) -> Result<()> {
    let mut board = ctx.board()?;
    let stopped = reclaim_and_stop(&mut board, a.id.trim(), a.reason.as_deref())?;
    let task = board.get(a.id.trim())?;
    let note = match stopped {
        Some(t) if t.sigkill => format!("reclaimed; worker {} killed", t.pid),
        Some(t) => format!("reclaimed; worker {} stopped", t.pid),
        None => "reclaimed".to_string(),
    };
    confirm(&task, &note);
    Ok(())
}

pub fn reassign(ctx: &Ctx, a: ReassignArgs) -> Result<()> {
    let mut board = ctx.board()?;
    let id = a.id.trim();
    let before = board.get(id)?;
    let task = board.reassign(id, none_word(&a.profile), a.reclaim, a.reason.as_deref())?;
    if a.reclaim && before.claim_lock.is_some() {
        stop_worker(
            before.claim_lock.as_deref(),
            before.worker_pid,
            before.worker_started,
        );
    }
    confirm(
        &task,
        &format!(
            "assigned to {}",
            task.assignee.as_deref().unwrap_or("nobody")
        ),
    );
    Ok(())
}
