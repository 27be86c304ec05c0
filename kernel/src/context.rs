//! What a worker is told about its task: the task itself, why earlier
//! attempts ended, what its parents handed off, what its profile did lately,
//! and the comment thread — each part capped so a long history cannot blow up
//! the prompt.

use crate::board::Board;
use crate::error::Result;
use crate::model::{first_line, Run, Status};
use crate::store::Tx;
use chrono::{Local, TimeZone};
use std::fmt::Write;

pub const MAX_PRIOR_ATTEMPTS: usize = 10;
pub const MAX_COMMENTS: usize = 30;
pub const MAX_FIELD_CHARS: usize = 4096;
pub const MAX_BODY_CHARS: usize = 8192;
pub const MAX_COMMENT_CHARS: usize = 2048;
pub const MAX_ROLE_HISTORY: usize = 5;
const ROLE_LINE_CHARS: usize = 200;

/// The first `limit` characters of the trimmed text, with a marker saying how
/// much was left out.
pub fn cap(text: &str, limit: usize) -> String {
    let t = text.trim();
    match t.char_indices().nth(limit) {
        None => t.to_string(),
        Some((cut, _)) => {
            let omitted = t[cut..].chars().count();
            format!("{}… [truncated, {omitted} chars omitted]", &t[..cut])
        }
    }
}

/// "just now", "5m ago", "3h ago", "2d ago": how long before `now` `then` was.
pub fn relative_age(then: i64, now: i64) -> String {
    crate::model::ago(now - then)
}

/// `YYYY-MM-DD HH:MM` in local time.
pub fn local_minute(t: i64) -> String {
    match Local.timestamp_opt(t, 0).single() {
        Some(dt) => dt.format("%Y-%m-%d %H:%M").to_string(),
        None => t.to_string(),
    }
}

fn metadata_line(out: &mut String, run: &Run) {
    if let Some(m) = &run.metadata {
        // serde_json's map is ordered by key, so the JSON is stable.
        let _ = writeln!(
            out,
            "_metadata_: `{}`",
            cap(&m.to_string(), MAX_FIELD_CHARS)
        );
    }
}

fn build(tx: &Tx<'_>, id: &str) -> Result<String> {
    let now = tx.now();
    let task = tx.require_task(id)?;
    let mut out = String::new();
    let _ = writeln!(out, "# Kanban task {}: {}", task.id, task.title);
    out.push('\n');
    let _ = writeln!(
        out,
        "Assignee: {}",
        task.assignee.as_deref().unwrap_or("(unassigned)")
    );
    let _ = writeln!(out, "Status:   {}", task.status);
    if let Some(t) = &task.tenant {
        let _ = writeln!(out, "Tenant:   {t}");
    }
    let _ = writeln!(
        out,
        "Workspace: {} @ {}",
        task.workspace_kind,
        task.workspace_path.as_deref().unwrap_or("(unresolved)")
    );
    if let Some(b) = &task.branch_name {
        let _ = writeln!(out, "Branch:   {b}");
    }
    if let Some(m) = task.max_runtime_seconds {
        let _ = writeln!(out, "Max runtime: {m}s");
    }
    if let Some(skills) = task.skills.as_ref().filter(|s| !s.is_empty()) {
        let _ = writeln!(out, "Skills:   {}", skills.join(", "));
    }
    out.push('\n');

    if let Some(body) = task.body.as_deref().filter(|b| !b.trim().is_empty()) {
        let _ = writeln!(out, "## Body\n\n{}\n", cap(body, MAX_BODY_CHARS));
    }

    let closed: Vec<Run> = tx
        .runs_of(id)?
        .into_iter()
        .filter(|r| !r.is_open())
        .collect();
    if !closed.is_empty() {
        out.push_str("## Prior attempts on this task\n\n");
        let skip = closed.len().saturating_sub(MAX_PRIOR_ATTEMPTS);
        if skip > 0 {
            let _ = writeln!(
                out,
                "_({skip} earlier attempt(s) omitted; showing most recent {MAX_PRIOR_ATTEMPTS})_\n"
            );
        }
        for (i, run) in closed.iter().enumerate().skip(skip) {
            let label = run
                .outcome
                .map(|o| o.as_str().to_string())
                .unwrap_or_else(|| run.status.clone());
            let _ = writeln!(
                out,
                "### Attempt {} — {} ({}, {}, {})",
                i + 1,
                label,
                run.profile.as_deref().unwrap_or("(unknown)"),
                local_minute(run.started_at),
                relative_age(run.ended_at.unwrap_or(run.started_at), now)
            );
            if let Some(s) = run.summary.as_deref().filter(|s| !s.trim().is_empty()) {
                let _ = writeln!(out, "{}", cap(s, MAX_FIELD_CHARS));
            }
            if let Some(e) = run.error.as_deref().filter(|e| !e.trim().is_empty()) {
                let _ = writeln!(out, "_error_: {}", cap(e, MAX_FIELD_CHARS));
            }
            metadata_line(&mut out, run);
            out.push('\n');
        }
    }

    let done_parents: Vec<String> = tx
        .parents_with_status(id)?
        .into_iter()
        .filter(|(_, s)| *s == Status::Done)
        .map(|(p, _)| p)
        .collect();
    if !done_parents.is_empty() {
        out.push_str("## Parent task results\n\n");
        out.push_str(
            "_These are snapshots taken when each parent finished. If a parent finished a while \
             ago, re-check anything your work depends on._\n\n",
        );
        for pid in &done_parents {
            let parent = tx.require_task(pid)?;
            let when = parent
                .completed_at
                .map(|c| relative_age(c, now))
                .unwrap_or_else(|| "at an unknown time".into());
            let _ = writeln!(out, "### {pid}: {} (completed {when})", parent.title);
            match tx.latest_completed_run(pid)? {
                Some(run) if run.summary.as_deref().is_some_and(|s| !s.trim().is_empty()) => {
                    let _ = writeln!(
                        out,
                        "{}",
                        cap(run.summary.as_deref().unwrap_or(""), MAX_FIELD_CHARS)
                    );
                    metadata_line(&mut out, &run);
                }
                other => {
                    match parent.result.as_deref().filter(|r| !r.trim().is_empty()) {
                        Some(r) => {
                            let _ = writeln!(out, "{}", cap(r, MAX_FIELD_CHARS));
                        }
                        None => out.push_str("(no result recorded)\n"),
                    }
                    if let Some(run) = other {
                        metadata_line(&mut out, &run);
                    }
                }
            }
            out.push('\n');
        }
    }

    if let Some(assignee) = &task.assignee {
        let recent = tx.recent_completed_by(assignee, id, MAX_ROLE_HISTORY)?;
        if !recent.is_empty() {
            let _ = writeln!(out, "## Recent work by @{assignee}\n");
            for (run, title) in &recent {
                let ended = run.ended_at.unwrap_or(run.started_at);
                let _ = writeln!(
                    out,
                    "- {} — {} ({}, {}): {}",
                    run.task_id,
                    title,
                    local_minute(ended),
                    relative_age(ended, now),
                    first_line(
                        run.summary.as_deref().unwrap_or("(no summary)"),
                        ROLE_LINE_CHARS
                    )
                );
            }
            out.push('\n');
        }
    }

    let comments = tx.comments_of(id)?;
    if !comments.is_empty() {
        out.push_str("## Comment thread\n\n");
        let skip = comments.len().saturating_sub(MAX_COMMENTS);
        if skip > 0 {
            let _ = writeln!(
                out,
                "_({skip} older comment(s) omitted; showing newest {MAX_COMMENTS})_\n"
            );
        }
        for c in comments.iter().skip(skip) {
            let _ = writeln!(
                out,
                "comment from `{}` at {}, {}:\n{}\n",
                c.author.replace('`', ""),
                local_minute(c.created_at),
                relative_age(c.created_at, now),
                cap(&c.body, MAX_COMMENT_CHARS)
            );
        }
    }

    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    Ok(out)
}

/// How a worker should move its task through the board, appended to the
/// context to make the worker's prompt.
pub fn lifecycle_instructions(task_id: &str, uses_mcp: bool) -> String {
    let mut s = format!(
        "## How to work this task\n\n\
         You are the worker for task {task_id}. Your working directory is the task's workspace.\n\n\
         1. Orient: read the body, the parent results and the comments above before changing anything.\n\
         2. Do the work in the workspace.\n\
         3. On long work, send a heartbeat every few minutes so the board knows you are alive:\n\
         \x20  `baton heartbeat --note \"what you are doing\"`\n\
         4. When you are done, complete with a structured handoff for whoever comes next:\n\
         \x20  `baton complete --summary \"what you did and what you found\" --metadata '{{\"changed_files\": [], \"tests_run\": 0}}'`\n\
         5. If you cannot go on without a person (missing access, a real ambiguity), block with the reason:\n\
         \x20  `baton block \"what you need and from whom\"`\n\
         6. Work you discover but should not do now becomes a follow-up task, not part of this one:\n\
         \x20  `baton create \"title\" --assignee <profile> --parent {task_id}`\n\n\
         Always end with `baton complete` or `baton block`; exiting without either counts as a crash.\n\
         $BATON_TASK and $BATON_RUN are set, so these commands apply to this task and this attempt.\n"
    );
    if uses_mcp {
        s.push_str(
            "\nThe same actions are available as MCP tools from the `baton` server: kanban_show, \
             kanban_heartbeat, kanban_complete, kanban_block, kanban_comment, kanban_create and kanban_link.\n",
        );
    }
    s
}

impl Board {
    /// The markdown context a worker is given for task `id`.
    pub fn worker_context(&mut self, id: &str) -> Result<String> {
        self.read(|tx| build(tx, id))
    }

    /// The whole prompt for a worker: the context, then the lifecycle
    /// instructions. This is what `baton context` prints and `{prompt}` holds.
    pub fn worker_prompt(&mut self, id: &str, uses_mcp: bool) -> Result<String> {
        let mut s = self.worker_context(id)?;
        s.push('\n');
        s.push_str(&lifecycle_instructions(id, uses_mcp));
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_marks_what_it_cut() {
        assert_eq!(cap("  short ", 10), "short");
        let long = "é".repeat(20);
        assert_eq!(
            cap(&long, 5),
            format!("{}… [truncated, 15 chars omitted]", "é".repeat(5))
        );
    }

    #[test]
    fn ages_read_like_a_person_would_say_them() {
        assert_eq!(relative_age(100, 100), "just now");
        assert_eq!(relative_age(200, 100), "just now");
        assert_eq!(relative_age(0, 300), "5m ago");
        assert_eq!(relative_age(0, 7200), "2h ago");
        assert_eq!(relative_age(0, 3 * 86400), "3d ago");
    }
}
