//! The dashboard's server functions reach the operations through
//! [`app::state::Operations`]; this is that interface, forwarding to the
//! same functions the other surfaces call.

use super::Ops;
use crate::dispatcher::PassOptions;
use app::api::profiles::{Check, ProfileForm, ProfileOut};
use app::error::AppError;
use app::state::Operations;
use kernel::boards::BoardFields;
use kernel::bulk::BulkChange;
use kernel::create::NewTask;
use kernel::patch::Patch;
use kernel::{
    Board, BoardSummary, BulkItem, Comment, DashboardConfig, Diagnostic, HomeChannel, Task, Waiting,
};
use std::collections::BTreeMap;

/// Who the dashboard's writes are recorded as.
const AUTHOR: &str = "dashboard";

impl Operations for Ops {
    fn spend(
        &self,
        board: Option<&str>,
        by: kernel::spend::SpendBy,
        q: &kernel::spend::SpendQuery,
    ) -> Result<kernel::spend::SpendReport, AppError> {
        Ok(Ops::spend(self, board, by, q)?)
    }

    fn profiles(&self) -> Result<Vec<ProfileOut>, AppError> {
        Ok(Ops::profiles(self)?)
    }

    fn check_profiles(&self) -> Result<Vec<Check>, AppError> {
        Ok(self.doctor()?)
    }

    fn save_profile(&self, f: ProfileForm) -> Result<ProfileOut, AppError> {
        let out = self.add_profile(&crate::ops::NewProfile {
            name: f.name,
            kind: Some(f.kind),
            model: f.model.filter(|m| !m.trim().is_empty()),
            max_concurrent: f.max_concurrent,
            permissions: Some(f.permissions),
            on_exit: Some(f.on_exit),
            replace: f.replace,
            ..Default::default()
        })?;
        Ok(out)
    }

    fn resume_profile(&self, name: &str) -> Result<(), AppError> {
        Ops::resume_profile(self, name)?;
        Ok(())
    }

    fn delete_profile(&self, name: &str) -> Result<(), AppError> {
        self.remove_profile(name)?;
        Ok(())
    }

    fn diagnostics(
        &self,
        board: &mut Board,
        task: Option<&str>,
    ) -> Result<BTreeMap<String, Vec<Diagnostic>>, AppError> {
        Ok(Ops::diagnostics(self, &self.config()?, board, task)?)
    }

    fn dashboard_config(&self) -> Result<DashboardConfig, AppError> {
        Ok(self.config()?.dashboard)
    }

    fn assignee_names(&self, board: &mut Board) -> Result<Vec<String>, AppError> {
        let config = self.config()?;
        Ok(self
            .assignees(&config, board)?
            .into_iter()
            .map(|a| a.name)
            .collect())
    }

    fn dispatcher_running(&self, slug: &str) -> bool {
        Ops::dispatcher_running(self, slug)
    }

    fn board_summaries(&self) -> Result<Vec<BoardSummary>, AppError> {
        Ok(self.boards(false)?.iter().map(|b| b.summary()).collect())
    }

    fn create(&self, slug: &str, new: NewTask) -> Result<(Task, Option<Waiting>), AppError> {
        let created = Ops::create(self, Some(slug), &new, &[])?;
        Ok((created.task, created.waiting))
    }

    fn patch(&self, slug: &str, id: &str, patch: &Patch) -> Result<Task, AppError> {
        Ok(Ops::patch(self, Some(slug), id, patch)?.detach())
    }

    fn reclaim(&self, slug: &str, id: &str, reason: &str) -> Result<Task, AppError> {
        Ok(Ops::reclaim(self, Some(slug), id, Some(reason))?
            .detach()
            .task)
    }

    fn reassign(
        &self,
        slug: &str,
        id: &str,
        assignee: Option<&str>,
        reclaim_first: bool,
        reason: &str,
    ) -> Result<Task, AppError> {
        Ok(Ops::reassign(self, Some(slug), id, assignee, reclaim_first, Some(reason))?.detach())
    }

    fn bulk(
        &self,
        slug: &str,
        changes: Vec<(String, BulkChange)>,
    ) -> Result<Vec<BulkItem>, AppError> {
        Ok(self.bulk_each(Some(slug), &changes)?.detach())
    }

    fn comment(&self, slug: &str, id: &str, body: &str) -> Result<Comment, AppError> {
        Ok(Ops::comment(self, Some(slug), id, AUTHOR, body, None)?)
    }

    fn link(&self, slug: &str, parent: &str, child: &str) -> Result<bool, AppError> {
        Ok(Ops::link(self, Some(slug), parent, child, None)?)
    }

    fn unlink(&self, slug: &str, parent: &str, child: &str) -> Result<bool, AppError> {
        Ok(Ops::unlink(self, Some(slug), parent, child)?)
    }

    fn dispatch_now(&self, slug: &str) -> Result<String, AppError> {
        let report = Ops::dispatch_now(self, Some(slug), &PassOptions::default())?;
        Ok(report.describe())
    }

    fn create_board(&self, slug: &str, name: Option<String>) -> Result<BoardSummary, AppError> {
        let meta = Ops::create_board(
            self,
            slug,
            &BoardFields {
                name,
                ..Default::default()
            },
            true,
        )?;
        let current = self.home().current_board();
        Ok(self.board_out(meta, &current)?.summary())
    }

    fn switch_board(&self, slug: &str) -> Result<String, AppError> {
        Ok(Ops::switch_board(self, slug)?)
    }

    fn home_channels(&self, board: &mut Board, task: &str) -> Result<Vec<HomeChannel>, AppError> {
        Ok(Ops::home_channels(
            self,
            &self.config()?,
            board,
            Some(task),
        )?)
    }

    fn set_home_channel(
        &self,
        slug: &str,
        task: &str,
        channel: &str,
        on: bool,
    ) -> Result<HomeChannel, AppError> {
        Ok(Ops::set_home_channel(self, Some(slug), task, channel, on)?)
    }
}
