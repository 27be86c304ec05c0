//! Reading a task's agent transcripts.

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

    /// The runs of task `id` that have a transcript.
    pub fn transcript_runs(&self, board: Option<&str>, id: &str) -> Result<Vec<i64>> {
        let (task, slug) = self.read(board, |b| Ok((b.get(id.trim())?, b.slug().to_string())))?;
        Ok(files::runs(self.home(), &slug, &task.id))
    }
}
