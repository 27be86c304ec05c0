//! Reads that need what this process knows besides the board: the
//! configuration and whether a dispatcher runs (diagnostics, a task's full
//! detail, assignees, notification channels).

use super::Ops;
use crate::config::Config;
use crate::error::Result;
use kernel::{Assignee, Board, Diagnostic, HomeChannel};
use std::collections::BTreeMap;

impl Ops {
    /// Diagnostics per task id (all candidates, or one task).
    pub fn diagnostics(
        &self,
        config: &Config,
        b: &mut Board,
        task: Option<&str>,
    ) -> Result<BTreeMap<String, Vec<Diagnostic>>> {
        let running = self.dispatcher_running(b.slug());
        crate::diagnose::board_diagnostics(self.home(), config, b, running, task)
    }

    /// Configured profiles ∪ the board's assignees, with counts.
    pub fn assignees(&self, config: &Config, b: &mut Board) -> Result<Vec<Assignee>> {
        Ok(config.assignees(b.stats()?.by_assignee))
    }

    /// Configured channels, each saying whether `task` is subscribed.
    pub fn home_channels(
        &self,
        config: &Config,
        b: &mut Board,
        task: Option<&str>,
    ) -> Result<Vec<HomeChannel>> {
        crate::notifier::channels::list(config, b, task)
    }

    /// Subscribes `task` to channel `name` (or ends it); idempotent.
    pub fn set_home_channel(
        &self,
        board: Option<&str>,
        task: &str,
        name: &str,
        on: bool,
    ) -> Result<HomeChannel> {
        let config = self.config()?;
        self.read(board, |b| {
            crate::notifier::channels::set(&config, b, task.trim(), name.trim(), on)
        })
    }
}
