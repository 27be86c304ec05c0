//! Configured notification channels as the REST API and the drawer show them
//! ("home channels" in the REST API, the reference's name): the list with a
//! task's subscription state, and turning one on or off for a task.

use crate::config::{Channel, Config};
use crate::error::Result;
use kernel::{Board, HomeChannel, NotifySub};

fn channel_sub(task: &str, name: &str) -> NotifySub {
    NotifySub {
        task_id: task.to_string(),
        platform: NotifySub::CHANNEL.into(),
        chat_id: name.to_string(),
        ..Default::default()
    }
}

fn home(name: &str, channel: &Channel, subscribed: bool) -> HomeChannel {
    HomeChannel {
        platform: name.to_string(),
        chat_id: name.to_string(),
        thread_id: String::new(),
        name: name.to_string(),
        kind: channel.kind.as_str().to_string(),
        subscribed,
    }
}

/// Every configured channel, sorted by name; `subscribed` says whether
/// `task` (when given) is subscribed to it.
pub fn list(config: &Config, board: &mut Board, task: Option<&str>) -> Result<Vec<HomeChannel>> {
    let subs = match task {
        Some(id) => {
            board.get(id)?;
            board.notify_list(Some(id))?
        }
        None => Vec::new(),
    };
    Ok(config
        .channels
        .iter()
        .map(|(name, c)| home(name, c, subs.iter().any(|s| s.channel() == Some(name))))
        .collect())
}

/// Subscribes `task` to the channel `name` (or unsubscribes it); both are
/// idempotent. Returns the channel as it now stands.
pub fn set(
    config: &Config,
    board: &mut Board,
    task: &str,
    name: &str,
    on: bool,
) -> Result<HomeChannel> {
    let channel = config.require_channel(name)?;
    let sub = channel_sub(task, name);
    if on {
        board.notify_subscribe(&sub)?;
    } else {
        board.get(task)?;
        board.notify_unsubscribe(task, &sub.platform, &sub.chat_id, None)?;
    }
    Ok(home(name, channel, on))
}

/// Subscribes each named channel to a task (creating a task with `notify`).
pub fn subscribe_all(board: &mut Board, task: &str, names: &[String]) -> Result<()> {
    for name in names {
        board.notify_subscribe(&channel_sub(task, name.trim()))?;
    }
    Ok(())
}
