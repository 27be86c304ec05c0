//! Creating tasks: validation, the initial status decided by the parents, and
//! idempotent retries.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::{CreatedPayload, Payload};
use crate::model::{Status, Task, WorkspaceKind};
use crate::ready::parent_finished;
use crate::validate;
use rand::Rng;
use std::path::Path;

/// Everything a new task can be given. `Default` is an unassigned scratch task.
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    pub title: String,
    pub body: Option<String>,
    pub assignee: Option<String>,
    pub parents: Vec<String>,
    pub workspace_kind: WorkspaceKind,
    pub workspace_path: Option<String>,
    pub branch_name: Option<String>,
    pub tenant: Option<String>,
    pub priority: i64,
    /// Park the task in triage instead of letting it become ready.
    pub triage: bool,
    pub idempotency_key: Option<String>,
    pub max_runtime_seconds: Option<i64>,
    pub skills: Vec<String>,
    pub created_by: Option<String>,
    pub max_retries: Option<i64>,
    pub session_id: Option<String>,
    pub workflow_template_id: Option<String>,
    pub current_step_key: Option<String>,
    /// The worker run creating it, if a worker is: refused once stale.
    pub acting: Option<crate::fence::Acting>,
}

impl NewTask {
    pub fn titled(title: impl Into<String>) -> Self {
        NewTask {
            title: title.into(),
            ..Default::default()
        }
    }
}

/// Parses the CLI's workspace flag: `scratch`, `worktree`, `dir:<absolute path>`
/// (or `worktree:<path>`, `scratch:<path>`).
pub fn parse_workspace(spec: &str) -> Result<(WorkspaceKind, Option<String>)> {
    let (kind, path) = match spec.split_once(':') {
        Some((k, p)) => (k, Some(p.trim())),
        None => (spec, None),
    };
    let kind: WorkspaceKind = kind.parse().map_err(KernelError::Invalid)?;
    let path = path.filter(|p| !p.is_empty()).map(str::to_string);
    Ok((kind, path))
}

fn new_task_id() -> String {
    let n: u32 = rand::rng().random();
    format!("t_{n:08x}")
}

fn check_workspace(kind: WorkspaceKind, path: Option<&str>, branch: Option<&str>) -> Result<()> {
    if let Some(p) = path {
        if !Path::new(p).is_absolute() {
            return Err(KernelError::Invalid(format!(
                "workspace path must be absolute, got '{p}'"
            )));
        }
        if p.chars().any(char::is_control) {
            return Err(KernelError::Invalid(
                "workspace path must not contain control characters".into(),
            ));
        }
    }
    if kind == WorkspaceKind::Dir && path.is_none() {
        return Err(KernelError::Invalid(
            "a dir workspace needs an absolute path (dir:/path/to/dir)".into(),
        ));
    }
    if branch.is_some() && kind != WorkspaceKind::Worktree {
        return Err(KernelError::Invalid(
            "branch_name is only valid for worktree workspaces".into(),
        ));
    }
    Ok(())
}

impl Board {
    /// Creates a task. With an idempotency key that a non-archived task
    /// already carries, returns that task and creates nothing.
    pub fn create(&mut self, new: &NewTask) -> Result<Task> {
        let title = validate::title(&new.title)?;
        let body = validate::text("body", new.body.as_deref())?;
        let assignee = validate::assignee(new.assignee.as_deref())?;
        let tenant = validate::tenant(new.tenant.as_deref())?;
        let skills = validate::skills(&new.skills)?;
        let idempotency_key = validate::key("idempotency_key", new.idempotency_key.as_deref())?;
        let session_id = validate::key("session_id", new.session_id.as_deref())?;
        let created_by = validate::key("created_by", new.created_by.as_deref())?;
        let max_runtime =
            validate::positive_seconds("max_runtime_seconds", new.max_runtime_seconds)?;
        if let Some(n) = new.max_retries {
            if n < 1 {
                return Err(KernelError::Invalid(format!(
                    "max_retries must be at least 1, got {n}"
                )));
            }
        }
        let workspace_path = new
            .workspace_path
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string);
        let branch = new
            .branch_name
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(str::to_string);
        check_workspace(
            new.workspace_kind,
            workspace_path.as_deref(),
            branch.as_deref(),
        )?;
        let mut parents: Vec<String> = Vec::new();
        for p in &new.parents {
            let p = p.trim();
            if !p.is_empty() && !parents.iter().any(|q| q == p) {
                parents.push(p.to_string());
            }
        }

        self.write(|tx| {
            crate::fence::check_acting(tx, new.acting.as_ref())?;
            // Looked up under the write lock, so two racing creates with one key
            // produce one task.
            if let Some(key) = &idempotency_key {
                if let Some(existing) = tx.task_by_idempotency_key(key)? {
                    return tx.require_task(&existing);
                }
            }
            let mut missing = Vec::new();
            let mut all_finished = true;
            for p in &parents {
                match tx.status_of(p)? {
                    Some(s) => all_finished &= parent_finished(s),
                    None => missing.push(p.as_str()),
                }
            }
            if !missing.is_empty() {
                return Err(KernelError::Invalid(format!(
                    "unknown parent task(s): {}",
                    missing.join(", ")
                )));
            }
            let status = if new.triage {
                Status::Triage
            } else if all_finished {
                Status::Ready
            } else {
                Status::Todo
            };
            let mut id = new_task_id();
            while tx.id_taken(&id)? {
                id = new_task_id();
            }
            let task = Task {
                id,
                title,
                body,
                assignee,
                status,
                priority: new.priority,
                created_by,
                created_at: tx.now(),
                started_at: None,
                completed_at: None,
                workspace_kind: new.workspace_kind,
                workspace_path,
                branch_name: branch,
                claim_lock: None,
                claim_expires: None,
                tenant,
                result: None,
                idempotency_key,
                consecutive_failures: 0,
                worker_pid: None,
                worker_started: None,
                last_failure_error: None,
                max_runtime_seconds: max_runtime,
                last_heartbeat_at: None,
                current_run_id: None,
                workflow_template_id: new.workflow_template_id.clone(),
                current_step_key: new.current_step_key.clone(),
                skills,
                max_retries: new.max_retries,
                session_id,
            };
            tx.insert_task(&task)?;
            for p in &parents {
                tx.insert_link(p, &task.id)?;
            }
            tx.event(
                &task.id,
                None,
                Payload::Created(CreatedPayload {
                    assignee: task.assignee.clone(),
                    parents: parents.clone(),
                    priority: task.priority,
                    skills: task.skills.clone(),
                    status: task.status,
                    tenant: task.tenant.clone(),
                    workspace_kind: task.workspace_kind,
                    workspace_path: task.workspace_path.clone(),
                }),
            )?;
            Ok(task)
        })
    }
}
