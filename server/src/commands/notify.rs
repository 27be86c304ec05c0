//! Notification subscriptions from the command line.

use super::Ctx;
use crate::cli::*;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::{self, local_time, Table};
use kernel::NotifySub;

/// The subscription a target names, as given.
fn target(t: &NotifyTarget) -> Result<NotifySub> {
    let task_id = match (&t.id, t.all) {
        (Some(id), false) => id.trim().to_string(),
        (None, true) => NotifySub::BOARD_WIDE.to_string(),
        _ => {
            return Err(Error::Usage(
                "name a task, or pass --all for every task on the board".into(),
            ))
        }
    };
    let (platform, chat_id) = match (&t.channel, &t.platform, &t.chat_id) {
        (Some(c), None, None) => (NotifySub::CHANNEL.to_string(), c.trim().to_string()),
        (None, Some(p), Some(c)) => (p.trim().to_string(), c.trim().to_string()),
        _ => {
            return Err(Error::Usage(
                "say who hears: --channel NAME, or --platform P --chat-id C".into(),
            ))
        }
    };
    Ok(NotifySub {
        task_id,
        platform,
        chat_id,
        thread_id: t
            .thread_id
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string),
        ..Default::default()
    })
}

/// Refuses channel names that config.toml does not define, before anything changes.
pub fn check_channels(ctx: &Ctx, names: &[String]) -> Result<()> {
    if names.is_empty() {
        return Ok(());
    }
    Config::load(&ctx.home)?.require_channels(names)
}

/// "channel ops", "slack C024BE91L (thread T9)".
fn describe(s: &NotifySub) -> String {
    let base = match s.channel() {
        Some(name) => format!("channel {name}"),
        None => format!("{} {}", s.platform, s.chat_id),
    };
    match &s.thread_id {
        Some(t) => format!("{base} (thread {t})"),
        None => base,
    }
}

fn task_label(s: &NotifySub) -> &str {
    if s.board_wide() {
        "(every task)"
    } else {
        &s.task_id
    }
}

pub fn subscribe(ctx: &Ctx, a: NotifySubscribeArgs) -> Result<()> {
    let sub = NotifySub {
        user_id: a.user_id,
        notifier_profile: a.notifier_profile,
        ..target(&a.target)?
    };
    if let Some(name) = sub.channel() {
        check_channels(ctx, &[name.to_string()])?;
    }
    let created = ctx.board()?.notify_subscribe(&sub)?;
    if a.json {
        output::json(&serde_json::json!({ "subscribed": created, "subscription": sub }));
        return Ok(());
    }
    let what = if created {
        "subscribed"
    } else {
        "already subscribed"
    };
    println!("{}  {what}: {}", task_label(&sub), describe(&sub));
    Ok(())
}

pub fn list(ctx: &Ctx, a: NotifyListArgs) -> Result<()> {
    let subs = ctx.board()?.notify_list(a.id.as_deref().map(str::trim))?;
    if a.json {
        output::json(&subs);
        return Ok(());
    }
    if subs.is_empty() {
        println!("No subscriptions.");
        return Ok(());
    }
    let config = Config::load(&ctx.home)?;
    let mut t = Table::new(&["TASK", "TO", "SINCE", "STATE"]);
    for s in &subs {
        let state = if config.channel_for(s).is_none() {
            "no such channel configured; waiting".to_string()
        } else if s.failures > 0 {
            format!(
                "{} failed: {}",
                s.failures,
                s.last_error.as_deref().unwrap_or("?")
            )
        } else {
            "ok".to_string()
        };
        t.row(vec![
            (task_label(s).to_string(), None),
            (describe(s), None),
            (local_time(s.created_at), None),
            (state, None),
        ]);
    }
    t.print();
    Ok(())
}

pub fn unsubscribe(ctx: &Ctx, a: NotifyUnsubscribeArgs) -> Result<()> {
    let sub = target(&a.target)?;
    let n = ctx.board()?.notify_unsubscribe(
        &sub.task_id,
        &sub.platform,
        &sub.chat_id,
        sub.thread_id.as_deref(),
    )?;
    if n == 0 {
        return Err(Error::Failed(format!(
            "{} has no subscription for {}",
            task_label(&sub),
            describe(&sub)
        )));
    }
    println!("{}  removed {n} subscription(s)", task_label(&sub));
    Ok(())
}
