//! What each worker tool takes (its arguments, documented for a model to
//! read) and what it does, through the operations layer. Every write made
//! from a worker's run is refused once that run is no longer the task's
//! current attempt.

use super::args::OneOrMany;
use crate::error::{Error, Result};
use crate::ops::Ops;
use kernel::claim::Beat;
use kernel::complete::Completion;
use kernel::create::NewTask;
use kernel::fence::Acting;
use kernel::{Outcome, Task};
use rmcp::schemars::{self, JsonSchema};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// Who is calling: the worker's task, run and profile. From the
/// environment for `baton mcp`, from `X-Baton-*` headers over HTTP.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub board: Option<String>,
    pub task: Option<String>,
    pub run: Option<i64>,
    pub profile: Option<String>,
    pub tenant: Option<String>,
}

impl Identity {
    /// Reads one value per key through `get` (`BATON_TASK` → `get("TASK")`).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Identity> {
        let val = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let run = match val("RUN") {
            Some(r) => Some(
                r.parse::<i64>()
                    .map_err(|_| Error::Usage(format!("the run id must be a number, got '{r}'")))?,
            ),
            None => None,
        };
        Ok(Identity {
            board: val("BOARD"),
            task: val("TASK"),
            run,
            profile: val("PROFILE").map(|p| p.to_lowercase()),
            tenant: val("TENANT"),
        })
    }

    /// The worker run its writes are fenced by, when it has one.
    pub fn acting(&self) -> Option<Acting> {
        Some(Acting {
            task: self.task.clone()?,
            run: self.run?,
        })
    }

    fn board(&self) -> Option<&str> {
        self.board.as_deref()
    }

    /// The task named, else the caller's own.
    fn task_id(&self, task_id: Option<String>) -> Result<String> {
        match task_id.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
            Some(id) => Ok(id),
            None => self.task.clone().ok_or_else(|| {
                Error::Usage(
                    "no task_id given and this session has no task of its own ($BATON_TASK is not set)"
                        .into(),
                )
            }),
        }
    }

    /// The task a write acts on and the run that fences it: the caller's own
    /// task is fenced by its run; another task named explicitly is not.
    fn target(&self, ops: &Ops, task_id: Option<String>) -> Result<(String, Option<i64>)> {
        let id = self.task_id(task_id)?;
        ops.read(self.board(), |b| Ok(b.get(&id)?))?;
        let run = if self.task.as_deref() == Some(id.as_str()) {
            self.run
        } else {
            None
        };
        Ok((id, run))
    }
}

/// Refuses a blank required text with what to write instead.
fn not_blank(key: &str, value: String, what: &str) -> Result<String> {
    if value.trim().is_empty() {
        Err(Error::Usage(format!("{key} must not be blank: {what}")))
    } else {
        Ok(value)
    }
}

fn brief(t: &Task) -> Value {
    json!({
        "id": t.id, "title": t.title, "status": t.status, "assignee": t.assignee,
        "tenant": t.tenant, "priority": t.priority, "current_run_id": t.current_run_id,
    })
}

/// Arguments of `kanban_show`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowArgs {
    /// The task (t_ followed by 8 hex digits). Leave it out to mean your own task ($BATON_TASK).
    pub task_id: Option<String>,
}

pub fn show(ops: &Ops, who: &Identity, a: ShowArgs) -> Result<Value> {
    let id = who.task_id(a.task_id)?;
    ops.read(who.board(), |b| {
        let d = b.show(&id)?;
        let mut parents = Vec::new();
        for p in &d.links.parents {
            let t = b.get(p)?;
            let handoff = b
                .runs(p)?
                .into_iter()
                .rev()
                .find(|r| r.outcome == Some(Outcome::Completed))
                .map(|r| json!({ "run_id": r.id, "summary": r.summary, "metadata": r.metadata }));
            parents.push(json!({
                "id": t.id, "title": t.title, "status": t.status, "result": t.result, "handoff": handoff,
            }));
        }
        let attempts: Vec<Value> = d
            .runs
            .iter()
            .map(|r| {
                json!({
                    "run_id": r.id, "profile": r.profile, "outcome": r.outcome, "status": r.status,
                    "started_at": r.started_at, "ended_at": r.ended_at,
                    "summary": r.summary, "error": r.error, "metadata": r.metadata,
                })
            })
            .collect();
        let context = b.worker_prompt(&id, true)?;
        let t = &d.task;
        Ok(json!({
            "task": {
                "id": t.id, "title": t.title, "body": t.body, "status": t.status, "assignee": t.assignee,
                "tenant": t.tenant, "priority": t.priority, "skills": t.skills, "current_run_id": t.current_run_id,
                "workspace_path": t.workspace_path,
            },
            "parents": parents,
            "children": d.links.children,
            "attempts": attempts,
            "comments": d.comments,
            "context": context,
        }))
    })
}

/// Arguments of `kanban_complete`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteArgs {
    /// What you did and what you found, for the next worker and the people watching. Required, not blank.
    pub summary: String,
    /// Structured facts about the work, e.g. {"changed_files": ["src/a.rs"], "tests_run": 12}. Must be a JSON object.
    #[schemars(with = "Option<Map<String, Value>>")]
    pub metadata: Option<Value>,
    /// A one-line result stored on the task (optional; the summary is the handoff).
    pub result: Option<String>,
    /// Ids of tasks you created during this work; each must exist and have been created by you, or the completion is refused.
    pub created_cards: Option<Vec<String>>,
    /// The task (t_ followed by 8 hex digits). Leave it out to mean your own task ($BATON_TASK).
    pub task_id: Option<String>,
}

pub fn complete(ops: &Ops, who: &Identity, a: CompleteArgs) -> Result<Value> {
    let (id, run) = who.target(ops, a.task_id)?;
    let summary = not_blank("summary", a.summary, "say what you did and what you found")?;
    let task = ops
        .complete(
            who.board(),
            &id,
            &Completion {
                result: a.result,
                summary: Some(summary),
                metadata: a.metadata,
                run,
                created_cards: a.created_cards.unwrap_or_default(),
                profile: who.profile.clone(),
            },
        )?
        .detach();
    Ok(
        json!({ "task": brief(&task), "message": format!("{id} is done; tasks waiting for it can start") }),
    )
}

/// Arguments of `kanban_block`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockArgs {
    /// What you need and from whom. Required, not blank.
    pub reason: String,
    /// The task (t_ followed by 8 hex digits). Leave it out to mean your own task ($BATON_TASK).
    pub task_id: Option<String>,
}

pub fn block(ops: &Ops, who: &Identity, a: BlockArgs) -> Result<Value> {
    let (id, run) = who.target(ops, a.task_id)?;
    let reason = not_blank("reason", a.reason, "say what you need and from whom")?;
    let task = ops.block(who.board(), &id, reason.trim(), run)?.detach();
    Ok(
        json!({ "task": brief(&task), "message": format!("{id} is blocked until someone unblocks it") }),
    )
}

/// Arguments of `kanban_heartbeat`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatArgs {
    /// What you are doing now (optional).
    pub note: Option<String>,
    /// The task (t_ followed by 8 hex digits). Leave it out to mean your own task ($BATON_TASK).
    pub task_id: Option<String>,
}

pub fn heartbeat(ops: &Ops, who: &Identity, a: HeartbeatArgs) -> Result<Value> {
    let (id, run) = who.target(ops, a.task_id)?;
    let beat = Beat {
        note: a.note.as_deref(),
        run,
        ttl: None,
    };
    let task = ops.heartbeat(who.board(), &id, &beat)?;
    Ok(json!({ "task": brief(&task), "message": "heartbeat recorded" }))
}

/// Arguments of `kanban_comment`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentArgs {
    /// The comment, in markdown. Required, not blank.
    pub body: String,
    /// Who is speaking (default: your profile, $BATON_PROFILE).
    pub author: Option<String>,
    /// The task (t_ followed by 8 hex digits). Leave it out to mean your own task ($BATON_TASK).
    pub task_id: Option<String>,
}

pub fn comment(ops: &Ops, who: &Identity, a: CommentArgs) -> Result<Value> {
    // Fenced like complete and block: on its own task, by its run.
    let (id, run) = who.target(ops, a.task_id)?;
    let acting = run.map(|run| Acting {
        task: id.clone(),
        run,
    });
    let body = not_blank("body", a.body, "write what others should know")?;
    let author = a
        .author
        .filter(|a| !a.trim().is_empty())
        .or_else(|| who.profile.clone())
        .unwrap_or_else(|| "agent".into());
    let c = ops.comment(who.board(), &id, &author, &body, acting.as_ref())?;
    Ok(json!({ "comment": c }))
}

/// Arguments of `kanban_usage`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UsageArgs {
    /// Input tokens your run used so far, not counting cache reads.
    #[serde(default)]
    pub input_tokens: u64,
    /// Output tokens your run used so far.
    #[serde(default)]
    pub output_tokens: u64,
    /// Tokens read from the prompt cache.
    #[serde(default)]
    pub cache_read_tokens: u64,
    /// Tokens written to the prompt cache.
    #[serde(default)]
    pub cache_write_tokens: u64,
    /// What your run cost in US dollars, if you know; otherwise Baton prices it from the model.
    pub cost_usd: Option<f64>,
    /// The model you run on, e.g. "gpt-5" (used to price the tokens).
    pub model: Option<String>,
    /// The task (t_ followed by 8 hex digits). Leave it out to mean your own task ($BATON_TASK).
    pub task_id: Option<String>,
}

pub fn usage(ops: &Ops, who: &Identity, a: UsageArgs) -> Result<Value> {
    use crate::ops::spend::Reported;
    use kernel::spend::{Tokens, UsageSource};
    let (id, run) = who.target(ops, a.task_id)?;
    let acting = run.map(|run| Acting {
        task: id.clone(),
        run,
    });
    let r = Reported {
        model: a.model.filter(|m| !m.trim().is_empty()),
        tokens: Tokens {
            input_tokens: a.input_tokens,
            output_tokens: a.output_tokens,
            cache_read_tokens: a.cache_read_tokens,
            cache_write_tokens: a.cache_write_tokens,
        },
        cost_usd: a.cost_usd,
    };
    if r.tokens.is_zero() && r.cost_usd.is_none() {
        return Err(Error::Usage(
            "give what your run used: input_tokens and output_tokens (and cost_usd if you know it)"
                .into(),
        ));
    }
    let u = ops.record_usage(
        who.board(),
        &id,
        run,
        &r,
        UsageSource::Reported,
        acting.as_ref(),
    )?;
    Ok(json!({ "usage": u, "message": "usage recorded" }))
}

/// Arguments of `kanban_create`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateArgs {
    /// A short imperative title. Required, not blank.
    pub title: String,
    /// The profile that will do it (an agent name). Required.
    pub assignee: String,
    /// What needs doing and why, in markdown.
    pub body: Option<String>,
    /// Task ids this one waits for: one id or a list.
    #[serde(default)]
    pub parents: OneOrMany,
    /// Tenant/namespace (default: $BATON_TENANT).
    pub tenant: Option<String>,
    /// Higher runs first (default 0).
    pub priority: Option<i64>,
    /// Skills the worker must load: one name or a list.
    #[serde(default)]
    pub skills: OneOrMany,
    /// Park it in Triage for a person to look at first (default false).
    pub triage: Option<bool>,
}

pub fn create(ops: &Ops, who: &Identity, a: CreateArgs) -> Result<Value> {
    let title = not_blank("title", a.title, "give the task a short title")?;
    let assignee = not_blank("assignee", a.assignee, "name the profile that will do it")?;
    let new = NewTask {
        title,
        body: a.body,
        assignee: Some(assignee),
        parents: a.parents.0,
        tenant: a.tenant.or_else(|| who.tenant.clone()),
        priority: a.priority.unwrap_or(0),
        triage: a.triage.unwrap_or(false),
        skills: a.skills.0,
        created_by: who.profile.clone().or_else(|| Some("agent".into())),
        acting: who.acting(),
        ..Default::default()
    };
    let created = ops.create(who.board(), &new, &[])?;
    Ok(json!({ "task": brief(&created.task) }))
}

/// Arguments of `kanban_link`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkArgs {
    /// The task that must finish first.
    pub parent_id: String,
    /// The task that waits.
    pub child_id: String,
}

pub fn link(ops: &Ops, who: &Identity, a: LinkArgs) -> Result<Value> {
    let parent = not_blank("parent_id", a.parent_id, "the task that must finish first")?;
    let child = not_blank("child_id", a.child_id, "the task that waits")?;
    let (parent, child) = (parent.trim(), child.trim());
    let added = ops.link(who.board(), parent, child, who.acting().as_ref())?;
    Ok(json!({
        "linked": added,
        "message": if added { format!("{child} now waits for {parent}") }
                   else { format!("{child} already waited for {parent}") },
    }))
}
