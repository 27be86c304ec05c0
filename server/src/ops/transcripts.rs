//! Reading what an agent left: a task's transcripts, and its worktree's diff.

use super::Ops;
use crate::agents::{files, Transcript};
use crate::error::{Error, Result};

impl Ops {
    /// Run `run`'s transcript of task `id` (default: its latest that has
    /// one), from entry `since` on.
    pub fn transcript(
        &self,
        board: Option<&str>,
        id: &str,
        run: Option<i64>,
        since: usize,
    ) -> Result<Transcript> {
        let (task, slug) = self.read(board, |b| Ok((b.get(id.trim())?, b.slug().to_string())))?;
        let home = self.home();
        match files::read(home, &slug, &task.id, run, since) {
            Ok(Some(t)) => Ok(t),
            Ok(None) => Err(Error::Kernel(kernel::KernelError::NotFound(match run {
                Some(r) => format!("task {} has no transcript for run {r}", task.id),
                None => format!(
                    "task {} has no transcript: no agent profile has worked it (see `baton log {}` for a command's output)",
                    task.id, task.id
                ),
            }))),
            Err(e) => Err(Error::io("cannot read the transcript", e)),
        }
    }

    /// A worktree task's branch and changes.
    pub fn diff(
        &self,
        board: Option<&str>,
        id: &str,
        patch: bool,
    ) -> Result<kernel::worktree::Diff> {
        let (task, slug) = self.read(board, |b| Ok((b.get(id.trim())?, b.slug().to_string())))?;
        if task.workspace_kind != kernel::WorkspaceKind::Worktree {
            return Err(Error::Usage(format!(
                "task {} works in a {} workspace, not a git worktree",
                task.id,
                task.workspace_kind.as_str()
            )));
        }
        let repo = kernel::worktree::repo_of(self.home(), &slug).map_err(Error::Refused)?;
        let path = self.home().resolve_workspace(&slug, &task)?;
        kernel::worktree::diff(&repo, &task, &path, patch).map_err(Error::Refused)
    }
}
