//! Notification subscriptions: who hears about a task's terminal events.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::model::NotifySub;

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
            tx.require_task(&sub.task_id)?;
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
}
