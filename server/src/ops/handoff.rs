//! What workers (and people standing in for them) report: claim, heartbeat,
//! complete, block, unblock. A person completing or blocking a task a worker
//! holds stops that worker; a worker's own report does not.

use super::{Changed, Ops};
use crate::error::Result;
use kernel::claim::{Beat, Claimed};
use kernel::complete::Completion;
use kernel::spend::UsageSource;
use kernel::Task;
use std::path::PathBuf;

/// A claim and the workspace the claimer works in.
pub struct Claim {
    pub claimed: Claimed,
    pub workspace: PathBuf,
}

impl Ops {
    /// Claims a ready task for the caller (a person or an outside worker)
    /// and resolves its workspace; a claim whose workspace cannot exist is
    /// given back.
    pub fn claim(&self, board: Option<&str>, id: &str, ttl: Option<i64>) -> Result<Claim> {
        self.read(board, |b| {
            let claimed = b.claim(id.trim(), ttl, None)?;
            let workspace = match self.home().resolve_workspace(b.slug(), &claimed.task) {
                Ok(w) => w,
                Err(e) => {
                    let _ = b.reclaim(&claimed.task.id, Some(&format!("workspace: {e}")));
                    return Err(e.into());
                }
            };
            b.set_workspace_path(&claimed.task.id, &workspace)?;
            Ok(Claim {
                claimed: kernel::claim::Claimed {
                    task: b.get(&claimed.task.id)?,
                    run_id: claimed.run_id,
                },
                workspace,
            })
        })
    }

    pub fn heartbeat(&self, board: Option<&str>, id: &str, beat: &Beat<'_>) -> Result<Task> {
        self.read(board, |b| Ok(b.heartbeat(id.trim(), beat)?))
    }

    /// Completes task `id`; a `usage` object in the metadata becomes the
    /// run's usage record (for agents whose transcripts Baton does not read).
    pub fn complete(&self, board: Option<&str>, id: &str, c: &Completion) -> Result<Changed<Task>> {
        let reported = super::spend::Reported::from_metadata(c.metadata.as_ref());
        let prices = match reported {
            Some(_) => Some(crate::config::Config::load(self.home())?.prices()),
            None => None,
        };
        self.change(board, |b| {
            let before = b.get(id.trim())?.current_run_id;
            let task = b.complete(id.trim(), c)?;
            if let (Some(r), Some(prices)) = (reported, prices) {
                let usage = prices.priced(r.model, r.tokens, r.cost_usd, UsageSource::Metadata);
                // The run the completion closed (a person completing a task
                // that has no run records nothing).
                if let Some(run) = c.run.or(before) {
                    b.record_usage(&task.id, Some(run), &usage, None)?;
                }
            }
            Ok(task)
        })
    }

    pub fn block(
        &self,
        board: Option<&str>,
        id: &str,
        reason: &str,
        run: Option<i64>,
    ) -> Result<Changed<Task>> {
        self.change(board, |b| Ok(b.block(id.trim(), Some(reason), run)?))
    }

    pub fn unblock(&self, board: Option<&str>, id: &str) -> Result<Task> {
        self.read(board, |b| Ok(b.unblock(id.trim())?))
    }
}
