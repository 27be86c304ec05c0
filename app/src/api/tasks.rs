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

/// Why a new ready, assigned task would wait, if it would.
#[cfg(feature = "ssr")]
pub fn dispatch_warning(
    services: &dyn crate::state::Services,
    slug: &str,
    task: &kernel::Task,
) -> Option<String> {
    (task.status == Status::Ready && task.assignee.is_some() && !services.dispatcher_running(slug)).then(|| {
        format!(
            "No dispatcher is running for board '{slug}': the task will wait in ready until one starts \
             (baton serve without --no-dispatcher, or baton daemon)."
        )
    })
}

#[server(endpoint = "create_task", input = Json)]
pub async fn create_task(board: String, form: NewTaskForm) -> Result<Created, AppError> {
    use crate::state::on_board;
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
    on_board(Some(board), move |b, st| {
        let task = b.create(&new)?;
        let warning = dispatch_warning(st.services.as_ref(), b.slug(), &task);
        Ok(Created {
            card: b.card(&task.id)?,
            warning,
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
    use crate::state::{fresh_card, on_board};
    on_board(Some(board), move |b, st| {
        let before = b.get(&id)?;
        let patch = kernel::patch::Patch {
            status: Some(status),
            block_reason: extra.reason,
            summary: extra.summary.filter(|s| !s.trim().is_empty()),
            metadata: extra.metadata,
            ..Default::default()
        };
        b.patch(&id, &patch)?;
        if before.status == Status::Running && status != Status::Running {
            st.services.stop_worker(&before);
        }
        fresh_card(b, st, &id)
    })
    .await
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
    use crate::state::{fresh_card, on_board};
    on_board(Some(board), move |b, st| {
        let patch = kernel::patch::Patch {
            title: edit.title,
            body: edit.body.map(|t| Some(t).filter(|t| !t.trim().is_empty())),
            assignee: edit
                .assignee
                .map(|a| Some(a.trim().to_string()).filter(|a| !a.is_empty())),
            priority: edit.priority,
            ..Default::default()
        };
        b.patch(&id, &patch)?;
        fresh_card(b, st, &id)
    })
    .await
}

/// Makes `child` wait for `parent`; a cycle is refused.
#[server(endpoint = "link_tasks", input = Json)]
pub async fn link_tasks(board: String, parent: String, child: String) -> Result<(), AppError> {
    use crate::state::on_board;
    on_board(Some(board), move |b, _| {
        b.link(&parent, &child)?;
        Ok(())
    })
    .await
}

#[server(endpoint = "unlink_tasks", input = Json)]
pub async fn unlink_tasks(board: String, parent: String, child: String) -> Result<(), AppError> {
    use crate::state::on_board;
    on_board(Some(board), move |b, _| {
        b.unlink(&parent, &child)?;
        Ok(())
    })
    .await
}

#[server(endpoint = "add_comment", input = Json)]
pub async fn add_comment(board: String, id: String, body: String) -> Result<(), AppError> {
    use crate::state::on_board;
    if body.trim().is_empty() {
        return Err(AppError::Invalid("a comment needs some text".into()));
    }
    on_board(Some(board), move |b, _| {
        b.comment(&id, "dashboard", &body)?;
        Ok(())
    })
    .await
}

/// Takes a running task back from its worker (which is stopped).
#[server(endpoint = "reclaim_task", input = Json)]
pub async fn reclaim_task(board: String, id: String) -> Result<Card, AppError> {
    use crate::state::{fresh_card, on_board};
    on_board(Some(board), move |b, st| {
        let before = b.get(&id)?;
        b.reclaim(&id, Some("reclaimed from the dashboard"))?;
        st.services.stop_worker(&before);
        fresh_card(b, st, &id)
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
    use crate::state::{fresh_card, on_board};
    on_board(Some(board), move |b, st| {
        let before = b.get(&id)?;
        let who = Some(assignee.trim()).filter(|a| !a.is_empty());
        b.reassign(
            &id,
            who,
            reclaim_first,
            Some("reassigned from the dashboard"),
        )?;
        if reclaim_first {
            st.services.stop_worker(&before);
        }
        fresh_card(b, st, &id)
    })
    .await
}

/// Runs a dispatcher pass now; says what it did.
#[server(endpoint = "dispatch_now", input = Json)]
pub async fn dispatch_now(board: String) -> Result<String, AppError> {
    use crate::state::{app_state, blocking};
    let st = app_state()?;
    blocking(move || {
        let slug = st.pool.resolve(Some(&board))?;
        st.services.dispatch_now(&slug)
    })
    .await
}
