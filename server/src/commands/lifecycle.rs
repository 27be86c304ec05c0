//! Verbs that move tasks: assign, link, claim, comment, heartbeat, complete,
//! block, unblock, archive, reclaim, reassign. Inside a worker ($BATON_TASK and
//! $BATON_RUN set), complete / block / heartbeat default to that task and are
//! fenced by that run.

use super::{env_profile, Ctx};
use crate::cli::*;
use crate::error::{Error, Result};
use crate::output::{self, paint, status_color};
use kernel::claim::Beat;
use kernel::complete::Completion;
use kernel::Task;

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
        n => Err(Error::Refused(format!(
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
    let task = ctx
        .ops
        .assign(ctx.board_arg(), a.id.trim(), none_word(&a.profile))?;
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
    let added = ctx.ops.link(ctx.board_arg(), &a.parent, &a.child, None)?;
    let child = ctx
        .ops
        .read(ctx.board_arg(), |b| Ok(b.get(a.child.trim())?))?;
    let note = if added {
        "now waits for"
    } else {
        "already waited for"
    };
    confirm(&child, &format!("{note} {}", a.parent.trim()));
    Ok(())
}

pub fn unlink(ctx: &Ctx, a: LinkArgs) -> Result<()> {
    ctx.ops
        .unlink_existing(ctx.board_arg(), &a.parent, &a.child)?;
    let child = ctx
        .ops
        .read(ctx.board_arg(), |b| Ok(b.get(a.child.trim())?))?;
    confirm(&child, &format!("no longer waits for {}", a.parent.trim()));
    Ok(())
}

pub fn claim(ctx: &Ctx, a: ClaimArgs) -> Result<()> {
    let claim = ctx.ops.claim(ctx.board_arg(), &a.id, a.ttl)?;
    if a.json {
        output::json(&serde_json::json!({
            "task": claim.claimed.task,
            "run_id": claim.claimed.run_id,
            "workspace": claim.workspace,
        }));
    } else {
        println!(
            "Claimed {} (run {})",
            claim.claimed.task.id, claim.claimed.run_id
        );
        println!("Workspace: {}", claim.workspace.display());
    }
    Ok(())
}

pub fn comment(ctx: &Ctx, a: CommentArgs) -> Result<()> {
    let c = ctx.ops.comment(
        ctx.board_arg(),
        &a.id,
        &author(a.author),
        &a.text.join(" "),
        None,
    )?;
    println!("{}  comment {} by {}", c.task_id, c.id, c.author);
    Ok(())
}

pub fn heartbeat(ctx: &Ctx, a: HeartbeatArgs) -> Result<()> {
    let (id, run) = target(a.id.as_deref())?;
    let beat = Beat {
        note: a.note.as_deref(),
        run,
        ttl: None,
    };
    let task = ctx.ops.heartbeat(ctx.board_arg(), &id, &beat)?;
    confirm(&task, "heartbeat recorded");
    Ok(())
}

/// `baton usage`: a run's token counts (and cost) as the worker or a person
/// reports them; inside a worker it is fenced to the worker's own run.
pub fn usage(ctx: &Ctx, a: UsageArgs) -> Result<()> {
    use crate::ops::spend::Reported;
    use kernel::spend::{format_tokens, format_usd, Tokens, UsageSource};
    let (id, fence) = target(a.id.as_deref())?;
    let r = Reported {
        model: a.model.filter(|m| !m.trim().is_empty()),
        tokens: Tokens {
            input_tokens: a.input,
            output_tokens: a.output,
            cache_read_tokens: a.cache_read,
            cache_write_tokens: a.cache_write,
        },
        cost_usd: a.cost,
    };
    if r.tokens.is_zero() && r.cost_usd.is_none() {
        return Err(Error::Usage(
            "give what the run used: --input, --output, --cache-read, --cache-write or --cost"
                .into(),
        ));
    }
    let acting = fence.map(|run| kernel::fence::Acting {
        task: id.clone(),
        run,
    });
    let run = a.run.or(fence);
    let u = ctx.ops.record_usage(
        ctx.board_arg(),
        &id,
        run,
        &r,
        UsageSource::Reported,
        acting.as_ref(),
    )?;
    if a.json {
        output::json(&u);
        return Ok(());
    }
    let cost = match u.cost_usd {
        Some(c) => format!("{} ({})", format_usd(c), u.cost_source),
        None => "no price for this model".into(),
    };
    println!(
        "{}  run {}  {} tokens · {cost}",
        paint(&u.task_id, "1"),
        u.run_id,
        format_tokens(u.tokens.total())
    );
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

/// Reports how stopping a worker went (the CLI waits for it).
fn stopped_note(stopping: crate::process::Stopping, done: &str) -> String {
    match stopping.wait().first() {
        Some(t) if t.sigkill => format!("{done}; worker {} killed", t.pid),
        Some(t) => format!("{done}; worker {} stopped", t.pid),
        None => done.to_string(),
    }
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
    let ids: Vec<String> = targets.iter().map(|(id, _)| id.clone()).collect();
    let mut done = Vec::new();
    let result = each(&ids, |id| {
        let run = targets.iter().find(|(t, _)| t == id).and_then(|(_, r)| *r);
        let changed = ctx.ops.complete(
            ctx.board_arg(),
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
        let note = stopped_note(changed.stopping, "completed");
        if !a.json {
            confirm(&changed.value, &note);
        }
        done.push(changed.value);
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
    let ids: Vec<String> = targets.iter().map(|(id, _)| id.clone()).collect();
    each(&ids, |id| {
        let run = targets.iter().find(|(t, _)| t == id).and_then(|(_, r)| *r);
        let changed = ctx.ops.block(ctx.board_arg(), id, &reason, run)?;
        let note = stopped_note(
            changed.stopping,
            &format!("blocked: {}", output::cell(&reason, 80)),
        );
        confirm(&changed.value, &note);
        Ok(())
    })
}

pub fn unblock(ctx: &Ctx, a: IdsArgs) -> Result<()> {
    let mut out = Vec::new();
    let r = each(&a.ids, |id| {
        let task = ctx.ops.unblock(ctx.board_arg(), id)?;
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

pub fn archive(ctx: &Ctx, a: IdsArgs) -> Result<()> {
    let mut out = Vec::new();
    let r = each(&a.ids, |id| {
        let changed = ctx.ops.archive(ctx.board_arg(), id)?;
        let note = stopped_note(changed.stopping, "archived");
        if !a.json {
            confirm(&changed.value, &note);
        }
        out.push(changed.value);
        Ok(())
    });
    if a.json {
        output::json(&out);
    }
    r
}

pub fn reclaim(ctx: &Ctx, a: ReclaimArgs) -> Result<()> {
    let changed = ctx
        .ops
        .reclaim(ctx.board_arg(), a.id.trim(), a.reason.as_deref())?;
    let note = stopped_note(changed.stopping, "reclaimed");
    confirm(&changed.value.task, &note);
    Ok(())
}

pub fn reassign(ctx: &Ctx, a: ReassignArgs) -> Result<()> {
    let changed = ctx.ops.reassign(
        ctx.board_arg(),
        a.id.trim(),
        none_word(&a.profile),
        a.reclaim,
        a.reason.as_deref(),
    )?;
    let task = &changed.value;
    let note = stopped_note(
        changed.stopping,
        &format!(
            "assigned to {}",
            task.assignee.as_deref().unwrap_or("nobody")
        ),
    );
    confirm(task, &note);
    Ok(())
}
