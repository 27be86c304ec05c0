//! The server's side of `app::state::Services`: configuration, diagnostics,
//! the dispatcher and process control, for the dashboard's server functions.

use crate::config::Config;
use crate::dispatcher::lock::DispatchLock;
use crate::dispatcher::{Dispatcher, PassOptions, PassReport, ServerDispatcher};
use crate::process;
use app::error::AppError;
use app::state::Services;
use kernel::{Board, DashboardConfig, Diagnostic, Home, HomeChannel, Task};
use std::collections::BTreeMap;

pub struct ServerServices {
    pub home: Home,
    pub dispatcher: ServerDispatcher,
}

fn app_err(e: crate::error::Error) -> AppError {
    match e {
        crate::error::Error::Kernel(k) => k.into(),
        crate::error::Error::Usage(m) => AppError::Invalid(m),
        crate::error::Error::Failed(m) => AppError::Conflict(m),
        other => AppError::Internal(other.to_string()),
    }
}

/// One line saying what a pass did.
pub fn describe(r: &PassReport) -> String {
    let mut parts = Vec::new();
    for (n, what) in [
        (r.spawned.len(), "started"),
        (r.promoted.len(), "promoted"),
        (r.reclaimed.len(), "reclaimed"),
        (r.crashed.len(), "crashed"),
        (r.timed_out.len(), "timed out"),
        (r.spawn_failed.len(), "failed to start"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let waiting = r.skipped_nonspawnable.len() + r.skipped_unassigned.len();
    if waiting > 0 {
        parts.push(format!("{waiting} waiting for a person"));
    }
    if parts.is_empty() {
        "nothing to do".into()
    } else {
        parts.join(", ")
    }
}

impl Services for ServerServices {
    fn diagnostics(
        &self,
        board: &mut Board,
        task: Option<&str>,
    ) -> Result<BTreeMap<String, Vec<Diagnostic>>, AppError> {
        let config = Config::load(&self.home).map_err(app_err)?;
        let running = self.dispatcher_running(board.slug());
        crate::diagnose::board_diagnostics(&config, board, running, task).map_err(app_err)
    }

    fn home_channels(&self, board: &mut Board, task: &str) -> Result<Vec<HomeChannel>, AppError> {
        let config = Config::load(&self.home).map_err(app_err)?;
        crate::notifier::homes::list(&config, board, Some(task)).map_err(app_err)
    }

    fn set_home_channel(
        &self,
        board: &mut Board,
        task: &str,
        channel: &str,
        on: bool,
    ) -> Result<HomeChannel, AppError> {
        let config = Config::load(&self.home).map_err(app_err)?;
        crate::notifier::homes::set(&config, board, task, channel, on).map_err(app_err)
    }

    fn dashboard_config(&self) -> Result<DashboardConfig, AppError> {
        Ok(Config::load(&self.home).map_err(app_err)?.dashboard)
    }

    fn assignee_names(&self, board: &mut Board) -> Result<Vec<String>, AppError> {
        let config = Config::load(&self.home).map_err(app_err)?;
        Ok(config
            .assignees(board.stats()?.by_assignee)
            .into_iter()
            .map(|a| a.name)
            .collect())
    }

    fn dispatcher_running(&self, slug: &str) -> bool {
        self.dispatcher.holds(slug) || crate::diagnose::dispatcher_running(&self.home, slug)
    }

    fn dispatch_now(&self, slug: &str) -> Result<String, AppError> {
        let opts = PassOptions::default();
        if let Some(r) = self.dispatcher.pass_now(slug, &opts) {
            return Ok(describe(&r.map_err(app_err)?));
        }
        let Some(_lock) = DispatchLock::try_acquire(&self.home.board_dir(slug)).map_err(app_err)?
        else {
            return Err(AppError::Conflict(format!(
                "another dispatcher is active on board '{slug}'; it will pick the work up itself"
            )));
        };
        let r = Dispatcher::new(self.home.clone(), slug)
            .pass(&opts)
            .map_err(app_err)?;
        Ok(describe(&r))
    }

    fn stop_worker(&self, before: &Task) {
        process::stop_worker_of(before);
    }
}
