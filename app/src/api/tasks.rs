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

/// Moves a card by hand: to done (completes it), blocked (with `reason`),
/// archived, ready, todo or triage. Moving off running stops the worker.
#[server(endpoint = "move_task", input = Json)]
pub async fn move_task(
    board: String,
    id: String,
    status: Status,
    reason: Option<String>,
) -> Result<Card, AppError> {
    use crate::state::on_board;
    on_board(Some(board), move |b, st| {
        let before = b.get(&id)?;
        let patch = kernel::patch::Patch {
            status: Some(status),
            block_reason: reason,
            ..Default::default()
        };
        b.patch(&id, &patch)?;
        if before.status == Status::Running && status != Status::Running {
            st.services.stop_worker(&before);
        }
        let mut card = b.card(&id)?;
        if let Some(d) = st.services.diagnostics(b, Some(&id))?.remove(&id) {
            card.warnings = kernel::Warnings::of(&d);
            card.diagnostics = d;
        }
        Ok(card)
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
