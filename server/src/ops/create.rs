//! Creating a task, and the one answer to "why will it wait".

use super::Ops;
use crate::error::Result;
use kernel::create::NewTask;
use kernel::{Board, Status, Task, Waiting};

/// A new task, where it went, and why it will wait if it will.
pub struct Created {
    pub task: Task,
    pub slug: String,
    pub waiting: Option<Waiting>,
}

impl Created {
    /// What the creator is told about the wait, in sentences.
    pub fn warning(&self, ops: &Ops) -> Option<String> {
        let config = ops.home().config_path().display().to_string();
        self.waiting
            .as_ref()
            .map(|w| w.sentence(&self.slug, &config))
    }
}

impl Ops {
    /// Creates a task, subscribing it to the configured notification channels
    /// in `notify` (each must exist; nothing is created otherwise).
    pub fn create(&self, board: Option<&str>, new: &NewTask, notify: &[String]) -> Result<Created> {
        let config = self.config()?;
        if !notify.is_empty() {
            config.require_channels(notify)?;
        }
        self.read(board, |b| {
            let task = b.create(new)?;
            crate::notifier::channels::subscribe_all(b, &task.id, notify)?;
            let waiting = self.waiting(&config, b, &task)?;
            Ok(Created {
                slug: b.slug().to_string(),
                task,
                waiting,
            })
        })
    }

    /// Why `task` (ready and assigned) will not be started now, if it will
    /// not; `None` for any other task.
    pub fn waiting(
        &self,
        config: &crate::config::Config,
        b: &mut Board,
        task: &Task,
    ) -> Result<Option<Waiting>> {
        let (Status::Ready, Some(assignee)) = (task.status, task.assignee.as_deref()) else {
            return Ok(None);
        };
        let running = self.dispatcher_running(b.slug());
        let env = crate::diagnose::environment(self.home(), config, b, running)?;
        Ok(kernel::waiting::why_waiting(assignee, &env))
    }
}
