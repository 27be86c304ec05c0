//! The task drawer: everything about one task, and its worker log.

use crate::error::AppError;
use kernel::agent::Transcript;
use kernel::{Card, Comment, Event, HomeChannel, LogChunk, Run, Status};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// How much of a worker's log the drawer shows.
pub const LOG_WINDOW: u64 = 100 * 1024;
/// How many of a task's events the drawer lists.
pub const EVENTS_SHOWN: usize = 20;
/// How many of the newest transcript entries the drawer shows; a long run's
/// earlier ones are in `baton transcript`.
pub const TRANSCRIPT_SHOWN: usize = 200;

/// A linked task, as a chip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRef {
    pub id: String,
    pub title: String,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    pub comment: Comment,
    /// The body as safe HTML; `None` when markdown rendering is off.
    pub html: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskPanel {
    pub board: String,
    pub card: Card,
    /// The description as safe HTML; `None` when there is none or markdown is off.
    pub body_html: Option<String>,
    pub render_markdown: bool,
    pub parents: Vec<TaskRef>,
    pub children: Vec<TaskRef>,
    pub comments: Vec<CommentView>,
    /// The newest events, newest first.
    pub events: Vec<Event>,
    /// Every attempt, oldest first.
    pub runs: Vec<Run>,
    /// What the runs used, by run (oldest first; runs without a record are absent).
    pub usage: Vec<kernel::spend::RunUsage>,
    /// Names for the reassign picker.
    pub assignees: Vec<String>,
    /// Configured notification channels and whether this task is subscribed.
    pub channels: Vec<HomeChannel>,
    /// The end of the worker's log.
    pub log: LogChunk,
    /// The latest agent run's transcript (its newest entries), if an agent worked the task.
    pub transcript: Option<Transcript>,
    /// A worktree task's branch and diff stat, once its worktree exists.
    pub worktree: Option<kernel::WorktreeDiff>,
    pub now: i64,
}

/// Everything the drawer shows about task `id` on `board` (default: the
/// board that has it).
#[server(endpoint = "open_task", input = Json)]
pub async fn open_task(board: Option<String>, id: String) -> Result<TaskPanel, AppError> {
    use crate::state::{app_state, blocking, fresh_card, locate_task};
    let st = app_state()?;
    blocking(move || {
        let slug = locate_task(&st, board.as_deref(), id.trim())?;
        let render_markdown = st.ops.dashboard_config()?.render_markdown;
        let md = |text: &str| render_markdown.then(|| crate::markdown::to_html(text));
        let mut panel = st.pool.with(&slug, |b| -> Result<TaskPanel, AppError> {
            let d = b.show(id.trim())?;
            let refs = |b: &mut kernel::Board, ids: &[String]| -> kernel::Result<Vec<TaskRef>> {
                ids.iter()
                    .map(|i| {
                        let t = b.get(i)?;
                        Ok(TaskRef {
                            id: t.id,
                            title: t.title,
                            status: t.status,
                        })
                    })
                    .collect()
            };
            let parents = refs(b, &d.links.parents)?;
            let children = refs(b, &d.links.children)?;
            let mut events = d.events;
            events.reverse();
            events.truncate(EVENTS_SHOWN);
            Ok(TaskPanel {
                board: slug.clone(),
                card: b.card(&d.task.id)?,
                body_html: d.task.body.as_deref().and_then(md),
                render_markdown,
                parents,
                children,
                comments: d
                    .comments
                    .into_iter()
                    .map(|c| CommentView {
                        html: md(&c.body),
                        comment: c,
                    })
                    .collect(),
                events,
                runs: d.runs,
                usage: b.usage_of_task(&d.task.id)?,
                assignees: Vec::new(),
                channels: Vec::new(),
                log: LogChunk::missing(),
                transcript: None,
                worktree: None,
                now: kernel::clock::system_now(),
            })
        })?;
        // Diagnostics and names come from the operations, outside the snapshot.
        st.pool.with(&slug, |b| -> Result<(), AppError> {
            panel.card = fresh_card(b, &st, &panel.card.task.id)?;
            panel.assignees = st.ops.assignee_names(b)?;
            panel.channels = st.ops.home_channels(b, &panel.card.task.id)?;
            Ok(())
        })?;
        let path = st.home().log_path(&slug, &panel.card.task.id);
        panel.log = kernel::logs::read_tail(&path, Some(LOG_WINDOW))
            .map_err(|e| AppError::Internal(format!("cannot read the log: {e}")))?;
        panel.transcript = newest_entries(st.home(), &slug, &panel.card.task.id, None, 0)?;
        let task = &panel.card.task;
        if task.workspace_kind == kernel::WorkspaceKind::Worktree {
            // No worktree yet (never started) or no repository: nothing to show.
            panel.worktree = kernel::worktree::repo_of(st.home(), &slug)
                .ok()
                .zip(st.home().resolve_workspace(&slug, task).ok())
                .and_then(|(repo, path)| kernel::worktree::diff(&repo, task, &path, false).ok());
        }
        Ok(panel)
    })
    .await
}

/// What task `id`'s worker wrote after byte `since` (the newest
/// [`LOG_WINDOW`] bytes at most), for following a running worker.
#[server(endpoint = "task_log", input = Json)]
pub async fn task_log(board: String, id: String, since: u64) -> Result<LogChunk, AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || {
        let slug = st.pool.resolve(Some(&board))?;
        let task = st.pool.with(&slug, |b| b.get(id.trim()))?;
        kernel::logs::read_since(&st.home().log_path(&slug, &task.id), since, LOG_WINDOW)
            .map_err(|e| AppError::Internal(format!("cannot read the log: {e}")))
    })
    .await
}

/// Run `run`'s transcript of task `id` (default: the latest) from entry
/// `since` on, at most the newest [`TRANSCRIPT_SHOWN`] of them.
#[cfg(feature = "ssr")]
fn newest_entries(
    home: &kernel::Home,
    slug: &str,
    id: &str,
    run: Option<i64>,
    since: usize,
) -> Result<Option<Transcript>, AppError> {
    let mut t = kernel::agent::files::read(home, slug, id, run, since)
        .map_err(|e| AppError::Internal(format!("cannot read the transcript: {e}")))?;
    if let Some(t) = t.as_mut() {
        let cut = t.entries.len().saturating_sub(TRANSCRIPT_SHOWN);
        t.entries.drain(..cut);
        t.start += cut;
    }
    Ok(t)
}

/// What an agent's run added to its transcript from entry `since` on, for
/// following a running agent.
#[server(endpoint = "task_transcript", input = Json)]
pub async fn task_transcript(
    board: String,
    id: String,
    run: i64,
    since: usize,
) -> Result<Option<Transcript>, AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || {
        let slug = st.pool.resolve(Some(&board))?;
        let task = st.pool.with(&slug, |b| b.get(id.trim()))?;
        newest_entries(st.home(), &slug, &task.id, Some(run), since)
    })
    .await
}

/// Turns a notification channel on or off for a task; answers the channel
/// as it now stands.
#[server(endpoint = "set_notify", input = Json)]
pub async fn set_notify(
    board: String,
    id: String,
    channel: String,
    on: bool,
) -> Result<HomeChannel, AppError> {
    crate::state::with_board(Some(board), move |st, slug| {
        st.ops
            .set_home_channel(&slug, id.trim(), channel.trim(), on)
    })
    .await
}
