//! The shapes operations answer with that several surfaces print as they
//! are: REST bodies, `--json` output and MCP results share these.

use super::Ops;
use crate::config::Config;
use crate::error::Result;
use kernel::{
    Board, BoardMeta, BoardSummary, Comment, Diagnostic, Event, Links, Run, Severity, Status, Task,
    TaskAge, Warnings,
};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A task with its ages, as every task-returning route gives it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskOut {
    #[serde(flatten)]
    pub task: Task,
    pub age: TaskAge,
    /// What is wrong with the task, when something is (task detail only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Warnings>,
}

/// A task with its ages as of now.
pub fn out(task: Task) -> TaskOut {
    let now = kernel::clock::system_now();
    TaskOut {
        age: task.age(now),
        task,
        diagnostics: Vec::new(),
        warnings: None,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChildResult {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub latest_summary: Option<String>,
    pub result: Option<String>,
}

/// A task with everything about it: what `GET /tasks/{id}` and `baton show
/// --json` both return.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskDetailOut {
    pub task: TaskOut,
    pub comments: Vec<Comment>,
    pub events: Vec<Event>,
    pub links: Links,
    pub runs: Vec<Run>,
    pub child_results: Vec<ChildResult>,
    /// What its runs used (absent when nothing is recorded).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub usage: Vec<kernel::spend::RunUsage>,
}

/// One task's diagnostics in the fleet listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskDiagnostics {
    pub task_id: String,
    pub task_title: String,
    pub task_status: Status,
    pub task_assignee: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticsOut {
    /// Tasks with diagnostics, the most severe first, then the most recent.
    pub diagnostics: Vec<TaskDiagnostics>,
    /// Diagnostics in all.
    pub count: usize,
}

/// The fleet listing: filtered by minimum severity, most severe first.
pub fn fleet(
    b: &mut Board,
    found: BTreeMap<String, Vec<Diagnostic>>,
    min: Option<Severity>,
) -> Result<DiagnosticsOut> {
    let mut rows = Vec::new();
    for (id, mut d) in found {
        d.retain(|x| min.is_none_or(|m| x.severity >= m));
        if d.is_empty() {
            continue;
        }
        let t = b.get(&id)?;
        rows.push(TaskDiagnostics {
            task_id: id,
            task_title: t.title,
            task_status: t.status,
            task_assignee: t.assignee,
            diagnostics: d,
        });
    }
    rows.sort_by(|a, b| {
        let key = |r: &TaskDiagnostics| (r.diagnostics[0].severity, r.diagnostics[0].last_seen_at);
        key(b).cmp(&key(a))
    });
    let count = rows.iter().map(|r| r.diagnostics.len()).sum();
    Ok(DiagnosticsOut {
        diagnostics: rows,
        count,
    })
}

/// A board with its task counts: every board list (REST, `boards list
/// --json`, the dashboard's switcher) starts from this.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardOut {
    #[serde(flatten)]
    pub meta: BoardMeta,
    pub is_current: bool,
    /// Tasks per status, archived included.
    pub counts: BTreeMap<String, i64>,
    pub total: i64,
}

impl BoardOut {
    /// Tasks still to do: neither done nor archived (what the switcher counts).
    pub fn open(&self) -> i64 {
        let finished: i64 = [Status::Done, Status::Archived]
            .iter()
            .filter_map(|s| self.counts.get(s.as_str()))
            .sum();
        self.total - finished
    }

    /// The switcher's view of it.
    pub fn summary(&self) -> BoardSummary {
        BoardSummary {
            slug: self.meta.slug.clone(),
            name: self.meta.name.clone(),
            icon: self.meta.icon.clone(),
            is_current: self.is_current,
            open: self.open(),
        }
    }
}

impl Ops {
    /// Everything about one task.
    pub fn task_detail(&self, b: &mut Board, config: &Config, id: &str) -> Result<TaskDetailOut> {
        let d = b.show(id)?;
        let diagnostics = self
            .diagnostics(config, b, Some(id))?
            .remove(id)
            .unwrap_or_default();
        let mut child_results = Vec::new();
        for c in &d.links.children {
            let card = b.card(c)?;
            child_results.push(ChildResult {
                id: card.task.id.clone(),
                title: card.task.title.clone(),
                status: card.task.status,
                latest_summary: card.latest_summary,
                result: card.task.result,
            });
        }
        let usage = b.usage_of_task(&d.task.id)?;
        let mut task = out(d.task);
        task.warnings = Warnings::of(&diagnostics);
        task.diagnostics = diagnostics;
        Ok(TaskDetailOut {
            task,
            comments: d.comments,
            events: d.events,
            links: d.links,
            runs: d.runs,
            child_results,
            usage,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boards_open_count_leaves_out_done_and_archived_tasks() {
        let counts: BTreeMap<String, i64> =
            [("ready", 2), ("done", 5), ("archived", 3), ("todo", 1)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
        let b = BoardOut {
            meta: BoardMeta {
                slug: "x".into(),
                name: "X".into(),
                description: String::new(),
                icon: String::new(),
                color: String::new(),
                default_workdir: None,
                created_at: None,
                archived: false,
                db_path: None,
            },
            is_current: true,
            total: counts.values().sum(),
            counts,
        };
        assert_eq!(b.summary().open, 3);
    }
}
