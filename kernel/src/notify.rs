//! Notification subscriptions: who hears about a task's terminal events.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::{Event, EventKind};
use crate::model::NotifySub;

/// The events a subscription hears: the terminal ones, which a person may
/// need to act on, and `archived`, which only ends a task's subscription.
pub const NOTIFY_KINDS: &[EventKind] = &[
    EventKind::Completed,
    EventKind::Blocked,
    EventKind::GaveUp,
    EventKind::Crashed,
    EventKind::TimedOut,
    EventKind::Archived,
];

/// Whether delivering `kind` is the last thing a per-task subscription does:
/// the task is finished. Failures and blocks leave it open, since the person
/// still wants to hear how the task ends.
pub fn ends_subscription(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Completed | EventKind::Archived)
}

/// One subscription and what it has not heard yet.
#[derive(Debug, Clone)]
pub struct Pending {
    pub sub: NotifySub,
    pub events: Vec<Event>,
}

impl Board {
    /// Subscribes a destination to a task. Subscribing twice is not an error;
    /// returns whether a new subscription was made.
    pub fn notify_subscribe(&mut self, sub: &NotifySub) -> Result<bool> {
        for (field, v) in [("platform", &sub.platform), ("chat_id", &sub.chat_id)] {
            if v.trim().is_empty() {
                return Err(KernelError::Invalid(format!("{field} is required")));
            }
        }
        self.write(|tx| {
            if !sub.board_wide() {
                tx.require_task(&sub.task_id)?;
            }
            // Start after the newest event: a subscriber hears about what happens next.
            let cursor = tx.latest_event_id()?;
            tx.insert_notify_sub(sub, cursor)
        })
    }

    /// Subscriptions, of one task or of the whole board.
    pub fn notify_list(&mut self, task: Option<&str>) -> Result<Vec<NotifySub>> {
        self.read(|tx| tx.notify_subs(task))
    }

    /// Removes matching subscriptions (thread `None` matches any thread);
    /// returns how many.
    pub fn notify_unsubscribe(
        &mut self,
        task: &str,
        platform: &str,
        chat_id: &str,
        thread_id: Option<&str>,
    ) -> Result<usize> {
        self.write(|tx| tx.delete_notify_subs(task, platform, chat_id, thread_id))
    }

    /// Every subscription with events it has not heard, up to `limit` events each.
    pub fn pending_notifications(&mut self, limit: usize) -> Result<Vec<Pending>> {
        self.read(|tx| {
            let mut out = Vec::new();
            for sub in tx.notify_subs(None)? {
                let events = tx.unseen_events(&sub, NOTIFY_KINDS, limit)?;
                if !events.is_empty() {
                    out.push(Pending { sub, events });
                }
            }
            Ok(out)
        })
    }

    /// Records that `sub` heard `event`; a per-task subscription whose task
    /// is finished ends here.
    pub fn notify_delivered(&mut self, sub: &NotifySub, event: &Event) -> Result<()> {
        self.write(|tx| {
            if !sub.board_wide() && ends_subscription(&event.kind) {
                tx.delete_notify_sub(sub)?;
                return Ok(());
            }
            tx.advance_notify_sub(sub, event.id)
        })
    }

    /// Counts a failed delivery. At `limit` failures in a row the
    /// subscription is removed; returns the count and whether it was.
    pub fn notify_failed(
        &mut self,
        sub: &NotifySub,
        error: &str,
        limit: i64,
    ) -> Result<(i64, bool)> {
        self.write(|tx| {
            let failures = tx.fail_notify_sub(sub, error)?;
            let dropped = failures >= limit;
            if dropped {
                tx.delete_notify_sub(sub)?;
            }
            Ok((failures, dropped))
        })
    }
}
