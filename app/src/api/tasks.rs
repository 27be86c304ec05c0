//! Changing tasks from the board: creating, moving, nudging the dispatcher.

use crate::error::AppError;
use kernel::{Card, Status};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// The inline create form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewTaskForm {
    pub title: String,
    pub assignee: String,
    pub priority: i64,
    /// A parent task id, or empty.
    pub parent: String,
    /// Comma-separated.
    pub skills: String,
    pub tenant: String,
    /// Park it in triage.
    pub triage: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Created {
    pub card: Card,
    /// Why the task may wait (no dispatcher running, no profile), if it may.
    pub warning: Option<String>,
}

#[server(endpoint = "create_task", input = Json)]
pub async fn create_task(board: String, form: NewTaskForm) -> Result<Created, AppError> {
    use crate::state::with_board;
    let parents: Vec<String> = Some(form.parent.trim().to_string())
        .filter(|p| !p.is_empty())
        .into_iter()
        .collect();
    let new = kernel::create::NewTask {
        title: form.title,
        assignee: Some(form.assignee),
        priority: form.priority,
        parents,
        skills: form.skills.split(',').map(str::to_string).collect(),
        tenant: Some(form.tenant),
        triage: form.triage,
        created_by: Some("dashboard".into()),
        ..Default::default()
    };
    with_board(Some(board), move |st, slug| {
        let (task, waiting) = st.ops.create(&slug, new)?;
        let config_path = st.home().config_path().display().to_string();
        Ok(Created {
            card: st.pool.with(&slug, |b| b.card(&task.id))?,
            warning: waiting.map(|w| w.sentence(&slug, &config_path)),
        })
    })
    .await
}

/// What a status change may carry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MoveExtra {
    /// Why, when blocking (required then).
    pub reason: Option<String>,
    /// The handoff, when completing.
    pub summary: Option<String>,
    /// Structured handoff (a JSON object), when completing.
    pub metadata: Option<serde_json::Value>,
}

/// Moves a card by hand: to done (completes it), blocked (with a reason),
/// archived, ready (unblocks a blocked task), todo or triage. Moving off
/// running stops the worker.
#[server(endpoint = "move_task", input = Json)]
pub async fn move_task(
    board: String,
    id: String,
    status: Status,
    extra: MoveExtra,
) -> Result<Card, AppError> {
    use crate::state::{card_on, with_board};
    with_board(Some(board), move |st, slug| {
        if status == Status::Todo && !waits_for_someone(st, &slug, &id)? {
            // The dispatcher would promote it straight back: say why instead.
            return Err(AppError::Invalid(format!(
                "{id} waits for no unfinished task, so it would go straight back to Ready. \
                 Todo holds tasks that wait for others: add the task it waits for first."
            )));
        }
        let patch = kernel::patch::Patch {
            status: Some(status),
            block_reason: extra.reason,
            summary: extra.summary.filter(|s| !s.trim().is_empty()),
            metadata: extra.metadata,
            ..Default::default()
        };
        st.ops.patch(&slug, &id, &patch)?;
        card_on(st, &slug, &id)
    })
    .await
}

/// Whether task `id` has a parent that is not finished yet (what keeps a
/// task in Todo).
#[cfg(feature = "ssr")]
fn waits_for_someone(st: &crate::state::AppState, slug: &str, id: &str) -> Result<bool, AppError> {
    st.pool.with(slug, |b| {
        for parent in b.links(id)?.parents {
            if !kernel::ready::parent_finished(b.get(&parent)?.status) {
                return Ok(true);
            }
        }
        Ok(false)
    })
}

/// Fields a person edits in the drawer; `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskEdit {
    pub title: Option<String>,
    /// An empty body clears it.
    pub body: Option<String>,
    /// An empty name unassigns.
    pub assignee: Option<String>,
    pub priority: Option<i64>,
}

#[server(endpoint = "edit_task", input = Json)]
pub async fn edit_task(board: String, id: String, edit: TaskEdit) -> Result<Card, AppError> {
    use crate::state::{card_on, with_board};
    with_board(Some(board), move |st, slug| {
        let patch = kernel::patch::Patch {
            title: edit.title,
            body: edit.body.map(|t| Some(t).filter(|t| !t.trim().is_empty())),
            assignee: edit
                .assignee
                .map(|a| Some(a.trim().to_string()).filter(|a| !a.is_empty())),
            priority: edit.priority,
            ..Default::default()
        };
        st.ops.patch(&slug, &id, &patch)?;
        card_on(st, &slug, &id)
    })
    .await
}

/// Makes `child` wait for `parent`; a cycle is refused.
#[server(endpoint = "link_tasks", input = Json)]
pub async fn link_tasks(board: String, parent: String, child: String) -> Result<(), AppError> {
    use crate::state::with_board;
    with_board(Some(board), move |st, slug| {
        st.ops.link(&slug, &parent, &child)?;
        Ok(())
    })
    .await
}

#[server(endpoint = "unlink_tasks", input = Json)]
pub async fn unlink_tasks(board: String, parent: String, child: String) -> Result<(), AppError> {
    use crate::state::with_board;
    with_board(Some(board), move |st, slug| {
        st.ops.unlink(&slug, &parent, &child)?;
        Ok(())
    })
    .await
}

#[server(endpoint = "add_comment", input = Json)]
pub async fn add_comment(board: String, id: String, body: String) -> Result<(), AppError> {
    use crate::state::with_board;
    if body.trim().is_empty() {
        return Err(AppError::Invalid("a comment needs some text".into()));
    }
    with_board(Some(board), move |st, slug| {
        st.ops.comment(&slug, &id, &body)?;
        Ok(())
    })
    .await
}

/// Takes a running task back from its worker (which is stopped).
#[server(endpoint = "reclaim_task", input = Json)]
pub async fn reclaim_task(board: String, id: String) -> Result<Card, AppError> {
    use crate::state::{card_on, with_board};
    with_board(Some(board), move |st, slug| {
        st.ops.reclaim(&slug, &id, "reclaimed from the dashboard")?;
        card_on(st, &slug, &id)
    })
    .await
}

/// Gives a task to `assignee` (empty: nobody), reclaiming it first when asked.
#[server(endpoint = "reassign_task", input = Json)]
pub async fn reassign_task(
    board: String,
    id: String,
    assignee: String,
    reclaim_first: bool,
) -> Result<Card, AppError> {
    use crate::state::{card_on, with_board};
    with_board(Some(board), move |st, slug| {
        let who = Some(assignee.trim()).filter(|a| !a.is_empty());
        st.ops.reassign(
            &slug,
            &id,
            who,
            reclaim_first,
            "reassigned from the dashboard",
        )?;
        card_on(st, &slug, &id)
    })
    .await
}

/// Runs a dispatcher pass now; says what it did.
#[server(endpoint = "dispatch_now", input = Json)]
pub async fn dispatch_now(board: String) -> Result<String, AppError> {
    use crate::state::with_board;
    with_board(Some(board), move |st, slug| st.ops.dispatch_now(&slug)).await
}
