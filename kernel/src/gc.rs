//! Garbage collection: scratch workspaces of archived tasks, old events of
//! finished tasks, old worker logs. Never touches anything outside the
//! board's own workspaces and logs directories.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::home::Home;
use crate::model::{Status, WorkspaceKind};
use crate::store::ListQuery;
use std::path::Path;
use std::time::{Duration, SystemTime};

#[derive(Debug, Clone, Copy)]
pub struct GcOptions {
    pub event_retention_days: i64,
    pub log_retention_days: i64,
}

impl Default for GcOptions {
    fn default() -> Self {
        GcOptions {
            event_retention_days: 30,
            log_retention_days: 30,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct GcReport {
    pub workspaces_removed: usize,
    pub events_removed: usize,
    pub logs_removed: usize,
    /// Paths that were candidates but lie outside the workspaces root.
    pub skipped_outside_root: Vec<String>,
}

/// Whether `path` is strictly inside `root`, after resolving symlinks and `..`.
pub fn strictly_inside(path: &Path, root: &Path) -> bool {
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(p), Ok(r)) => p != r && p.starts_with(&r),
        _ => false,
    }
}

impl Home {
    pub fn gc(&self, board: &mut Board, opts: GcOptions) -> Result<GcReport> {
        if opts.event_retention_days < 0 || opts.log_retention_days < 0 {
            return Err(KernelError::Invalid(
                "retention days must not be negative".into(),
            ));
        }
        let slug = board.slug().to_string();
        let mut report = GcReport::default();
        let root = self.workspaces_dir(&slug);
        let archived = board.list(&ListQuery {
            status: Some(Status::Archived),
            ..Default::default()
        })?;
        for task in archived
            .iter()
            .filter(|t| t.workspace_kind == WorkspaceKind::Scratch)
        {
            let dir = task
                .workspace_path
                .as_deref()
                .map(Path::new)
                .map(Path::to_path_buf)
                .unwrap_or_else(|| root.join(&task.id));
            if !dir.exists() {
                continue;
            }
            if !strictly_inside(&dir, &root) {
                report.skipped_outside_root.push(dir.display().to_string());
                continue;
            }
            std::fs::remove_dir_all(&dir)
                .map_err(|e| KernelError::io(format!("gc: cannot remove {}", dir.display()), e))?;
            report.workspaces_removed += 1;
        }
        let cutoff = board.now() - opts.event_retention_days * 86400;
        report.events_removed = board.prune_events(cutoff)?;

        let logs = self.logs_dir(&slug);
        let max_age = Duration::from_secs((opts.log_retention_days as u64) * 86400);
        if let Ok(entries) = std::fs::read_dir(&logs) {
            for entry in entries.flatten() {
                let path = entry.path();
                let is_log = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.contains(".log"));
                let Ok(meta) = entry.metadata() else { continue };
                let old = meta
                    .modified()
                    .ok()
                    .and_then(|m| SystemTime::now().duration_since(m).ok())
                    .is_some_and(|age| age > max_age);
                if is_log && meta.is_file() && old && std::fs::remove_file(&path).is_ok() {
                    report.logs_removed += 1;
                }
            }
        }
        Ok(report)
    }
}

impl Board {
    /// Deletes events older than `before` of tasks that are done or archived;
    /// returns how many. Event ids are never reused, so live cursors stay valid.
    pub fn prune_events(&mut self, before: i64) -> Result<usize> {
        self.write(|tx| tx.delete_old_events(before))
    }
}
