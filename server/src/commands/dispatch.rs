//! `baton dispatch` (one pass) and `baton daemon` (the loop).

use super::Ctx;
use crate::cli::{DaemonArgs, DispatchArgs};
use crate::config::Config;
use crate::dispatcher::{run_daemon, DaemonOptions, PassOptions};
use crate::error::{Error, Result};
use crate::output;
use std::time::Duration;

fn check_limit(n: Option<i64>) -> Result<Option<i64>> {
    match n {
        Some(n) if n < 1 => Err(Error::Usage(format!(
            "--failure-limit must be at least 1, got {n}"
        ))),
        other => Ok(other),
    }
}

pub fn dispatch(ctx: &Ctx, a: DispatchArgs) -> Result<()> {
    let slug = ctx.slug()?;
    let opts = PassOptions {
        dry_run: a.dry_run,
        max: a.max,
        failure_limit: check_limit(a.failure_limit)?,
    };
    let report = ctx.ops.dispatch_now(Some(&slug), &opts)?;
    if a.json {
        output::json(&report);
        return Ok(());
    }
    let verb = if a.dry_run { "would spawn" } else { "spawned" };
    println!(
        "board '{slug}': {} {verb}, {} promoted, {} reclaimed, {} crashed, {} timed out",
        report.spawned.len(),
        report.promoted.len(),
        report.reclaimed.len(),
        report.crashed.len(),
        report.timed_out.len()
    );
    for s in &report.spawned {
        let pid = s.pid.map(|p| format!(" pid {p}")).unwrap_or_default();
        println!("  {verb} {} for {}{pid}", s.task_id, s.assignee);
    }
    for f in &report.spawn_failed {
        let note = if f.gave_up {
            " (gave up: task blocked)"
        } else {
            ""
        };
        println!("  failed to start {}: {}{note}", f.task_id, f.error);
    }
    if !report.skipped_nonspawnable.is_empty() {
        println!(
            "  left for people or external workers (no profile configured): {}",
            report.skipped_nonspawnable.join(", ")
        );
    }
    if !report.skipped_unassigned.is_empty() {
        println!("  unassigned: {}", report.skipped_unassigned.join(", "));
    }
    for c in &report.skipped_per_profile_capped {
        println!(
            "  {} waits: {} is at its cap ({} running)",
            c.task_id, c.assignee, c.running
        );
    }
    if !report.skipped_capped.is_empty() {
        println!(
            "  waiting for a free slot (board at max): {}",
            report.skipped_capped.join(", ")
        );
    }
    Ok(())
}

pub fn daemon(ctx: &Ctx, a: DaemonArgs) -> Result<()> {
    let slug = ctx.slug()?;
    let config = Config::load(&ctx.home)?;
    let interval = a.interval.unwrap_or(config.dispatcher.interval_seconds);
    if !interval.is_finite() || interval <= 0.0 {
        return Err(Error::Usage(format!(
            "--interval must be a positive number of seconds, got {interval}"
        )));
    }
    run_daemon(
        &ctx.home,
        &slug,
        DaemonOptions {
            pass: PassOptions {
                dry_run: false,
                max: a.max,
                failure_limit: check_limit(a.failure_limit)?,
            },
            interval: Duration::from_secs_f64(interval),
            pidfile: a.pidfile,
            verbose: a.verbose,
        },
    )
}
