//! Notification subscriptions from the command line.

use super::Ctx;
use crate::cli::*;
use crate::error::{Error, Result};
use crate::output::{self, local_time, Table};
use kernel::NotifySub;

pub fn subscribe(ctx: &Ctx, a: NotifySubscribeArgs) -> Result<()> {
    let sub = NotifySub {
        task_id: a.id.trim().to_string(),
        platform: a.platform,
        chat_id: a.chat_id,
        thread_id: a.thread_id.filter(|t| !t.trim().is_empty()),
        user_id: a.user_id,
        notifier_profile: a.notifier_profile,
        ..Default::default()
    };
    let created = ctx.board()?.notify_subscribe(&sub)?;
    let what = if created {
        "subscribed"
    } else {
        "already subscribed"
    };
    println!(
        "{}  {what}: {} {}",
        sub.task_id,
        sub.platform.trim(),
        sub.chat_id.trim()
    );
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
    let mut t = Table::new(&["TASK", "PLATFORM", "CHAT", "THREAD", "SINCE"]);
    for s in &subs {
        t.row(vec![
            (s.task_id.clone(), None),
            (s.platform.clone(), None),
            (s.chat_id.clone(), None),
            (s.thread_id.clone().unwrap_or_else(|| "-".into()), None),
            (local_time(s.created_at), None),
        ]);
    }
    t.print();
    Ok(())
}

pub fn unsubscribe(ctx: &Ctx, a: NotifyUnsubscribeArgs) -> Result<()> {
    let n = ctx.board()?.notify_unsubscribe(
        a.id.trim(),
        &a.platform,
        &a.chat_id,
        a.thread_id.as_deref(),
    )?;
    if n == 0 {
        return Err(Error::Failed(format!(
            "{} has no subscription for {} {}",
            a.id.trim(),
            a.platform.trim(),
            a.chat_id.trim()
        )));
    }
    println!("{}  removed {n} subscription(s)", a.id.trim());
    Ok(())
}
