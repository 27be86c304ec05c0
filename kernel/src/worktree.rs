//! Git worktrees for tasks: one per task, on its own branch
//! (`baton/<task-id>` unless the task names one), made from the board's
//! repository (its `default_workdir`) when the task's first run starts,
//! reused by every retry, and removed once the task is archived or its
//! branch is merged — never while it holds uncommitted changes, unless forced.

use crate::board::Board;
use crate::home::Home;
use crate::model::{Status, Task, WorkspaceKind};
use crate::store::ListQuery;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The branch a task's worktree is on.
pub fn branch_for(task: &Task) -> String {
    task.branch_name
        .clone()
        .unwrap_or_else(|| format!("baton/{}", task.id))
}

/// Runs git; its trimmed stdout, or its stderr as the error.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
    } else {
        Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The repository a board's worktrees come from.
pub fn repo_of(home: &Home, slug: &str) -> Result<PathBuf, String> {
    let dir = home.board_meta(slug).default_workdir.ok_or_else(|| {
        format!(
            "board '{slug}' has no repository for worktrees: set one with `baton boards create {slug} --default-workdir /path/to/repo`"
        )
    })?;
    let dir = PathBuf::from(dir);
    git(&dir, &["rev-parse", "--git-dir"])
        .map_err(|_| format!("{} is not a git repository", dir.display()))?;
    Ok(dir)
}

/// Makes sure the task's worktree exists at `path`: reuses it (a retry),
/// or adds it on the task's branch, creating the branch from the
/// repository's HEAD if it does not exist yet.
pub fn ensure(repo: &Path, path: &Path, branch: &str) -> Result<bool, String> {
    if path.join(".git").exists() {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        // Worktrees inside the repository (`.worktrees/`) should not show
        // up in its own `git status`.
        if parent.file_name().is_some_and(|n| n == ".worktrees") {
            let ignore = parent.join(".gitignore");
            if !ignore.exists() {
                let _ = std::fs::write(&ignore, "*\n");
            }
        }
    }
    let p = path.display().to_string();
    let exists = git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("refs/heads/{branch}"),
        ],
    )
    .is_ok();
    if exists {
        git(repo, &["worktree", "add", &p, branch])?;
    } else {
        git(repo, &["worktree", "add", "-b", branch, &p])?;
    }
    Ok(true)
}

/// Whether the worktree has changes not committed.
pub fn is_dirty(path: &Path) -> bool {
    git(path, &["status", "--porcelain"]).map_or(true, |s| !s.is_empty())
}

/// What the sweep did with one worktree.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SweepAction {
    Removed,
    /// It has uncommitted changes (or git refused to remove it).
    Kept,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Swept {
    pub task_id: String,
    pub path: String,
    pub branch: String,
    pub action: SweepAction,
}

/// Done and archived tasks with a worktree workspace.
fn finished_worktree_tasks(board: &mut Board) -> crate::Result<Vec<Task>> {
    let mut out = Vec::new();
    for status in [Status::Done, Status::Archived] {
        out.extend(
            board
                .list(&ListQuery {
                    status: Some(status),
                    include_archived: status == Status::Archived,
                    ..Default::default()
                })?
                .into_iter()
                .filter(|t| t.workspace_kind == WorkspaceKind::Worktree),
        );
    }
    Ok(out)
}

/// Removes the worktrees that are no longer needed: archived tasks', and
/// done tasks' whose branch is merged into the repository's HEAD. One with
/// uncommitted changes is kept unless `force`. The branch always stays: it
/// holds the work.
///
/// A board without a repository has no worktrees, so its tasks are not
/// even listed.
pub fn sweep(home: &Home, board: &mut Board, force: bool) -> crate::Result<Vec<Swept>> {
    let slug = board.slug().to_string();
    let slug = slug.as_str();
    let Ok(repo) = repo_of(home, slug) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for t in &finished_worktree_tasks(board)? {
        let Ok(path) = home.resolve_workspace(slug, t) else {
            continue;
        };
        if !path.join(".git").exists() {
            continue;
        }
        let branch = branch_for(t);
        if t.status == Status::Done
            && git(&repo, &["merge-base", "--is-ancestor", &branch, "HEAD"]).is_err()
        {
            continue;
        }
        let p = path.display().to_string();
        let action = if is_dirty(&path) && !force {
            SweepAction::Kept
        } else {
            let mut args = vec!["worktree", "remove"];
            if force {
                args.push("--force");
            }
            args.push(&p);
            match git(&repo, &args) {
                Ok(_) => SweepAction::Removed,
                Err(_) => SweepAction::Kept,
            }
        };
        out.push(Swept {
            task_id: t.id.clone(),
            path: p,
            branch,
            action,
        });
    }
    Ok(out)
}

pub use crate::model::WorktreeDiff as Diff;

pub fn diff(repo: &Path, task: &Task, path: &Path, patch: bool) -> Result<Diff, String> {
    if !path.join(".git").exists() {
        return Err(format!(
            "task {} has no worktree at {}",
            task.id,
            path.display()
        ));
    }
    let branch = branch_for(task);
    let head = git(repo, &["rev-parse", "HEAD"])?;
    let base = git(path, &["merge-base", &head, "HEAD"])?;
    let commits = git(path, &["log", "--oneline", &format!("{base}..HEAD")])?;
    let mut stat = git(path, &["diff", "--stat", &base])?;
    // New files the agent has not added yet are part of its work too.
    let untracked = git(path, &["ls-files", "--others", "--exclude-standard"])?;
    for f in untracked.lines().filter(|l| !l.is_empty()) {
        stat.push_str(&format!("\n {f} (new, not added)"));
    }
    let patch = if patch {
        Some(git(path, &["diff", &base])?)
    } else {
        None
    };
    Ok(Diff {
        task_id: task.id.clone(),
        path: path.display().to_string(),
        branch,
        commits: commits
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect(),
        stat,
        patch,
        dirty: is_dirty(path),
    })
}
