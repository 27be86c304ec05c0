//! Where a worker runs: resolving (and for scratch and dir, creating) a task's
//! working directory.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::home::Home;
use crate::model::{Task, WorkspaceKind};
use crate::store::TaskUpdate;
use std::path::{Path, PathBuf};

fn create(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| KernelError::io(format!("workspace: cannot create {}", dir.display()), e))
}

impl Home {
    /// The task's working directory. Scratch: its own directory under the
    /// board's workspaces root (or the absolute path it was given), created.
    /// Dir: the absolute path it was given, created. Worktree: the given path,
    /// else `<board default_workdir>/.worktrees/<task>`; resolved, not created
    /// (the worker's tooling makes the worktree).
    pub fn resolve_workspace(&self, slug: &str, task: &Task) -> Result<PathBuf> {
        let given = task.workspace_path.as_deref().map(PathBuf::from);
        if let Some(p) = &given {
            if !p.is_absolute() {
                return Err(KernelError::Invalid(format!(
                    "workspace: path must be absolute, got '{}'",
                    p.display()
                )));
            }
        }
        match task.workspace_kind {
            WorkspaceKind::Scratch => {
                let dir = given.unwrap_or_else(|| self.workspaces_dir(slug).join(&task.id));
                create(&dir)?;
                Ok(dir)
            }
            WorkspaceKind::Dir => {
                let dir = match given {
                    Some(d) => d,
                    None => self
                        .board_meta(slug)
                        .default_workdir
                        .map(PathBuf::from)
                        .ok_or_else(|| {
                            KernelError::Invalid(
                                "workspace: a dir workspace needs an absolute path".into(),
                            )
                        })?,
                };
                create(&dir)?;
                Ok(dir)
            }
            WorkspaceKind::Worktree => match given {
                Some(p) => Ok(p),
                None => self
                    .board_meta(slug)
                    .default_workdir
                    .map(|w| Path::new(&w).join(".worktrees").join(&task.id))
                    .ok_or_else(|| {
                        KernelError::Invalid(format!(
                            "workspace: worktree task {} has no path and board '{slug}' has no default_workdir",
                            task.id
                        ))
                    }),
            },
        }
    }
}

impl Board {
    /// Records the resolved workspace path on the task (no event: it is
    /// bookkeeping, not a change anyone asked for).
    pub fn set_workspace_path(&mut self, id: &str, path: &Path) -> Result<()> {
        let p = path.display().to_string();
        self.write(|tx| {
            tx.require_task(id)?;
            tx.update_task(id, TaskUpdate::new().workspace_path(Some(&p)))?;
            Ok(())
        })
    }
}
