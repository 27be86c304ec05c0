//! The worker tools: what each one takes (its JSON schema, written for a
//! model to read) and what it does on the board. Every write made with a
//! run id is refused once that run is no longer the task's current attempt.

use kernel::complete::Completion;
use kernel::create::NewTask;
use kernel::pool::BoardPool;
use kernel::{Board, Outcome, Task};
use serde_json::{json, Map, Value};
use std::sync::Arc;

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
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Identity, String> {
        let val = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let run = match val("RUN") {
            Some(r) => Some(
                r.parse::<i64>()
                    .map_err(|_| format!("the run id must be a number, got '{r}'"))?,
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
}

/// A tool: its name, what the model is told, its argument schema.
pub struct ToolSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub schema: Value,
}

const TASK_ID: &str =
    "The task (t_ followed by 8 hex digits). Leave it out to mean your own task ($BATON_TASK).";

pub fn catalogue() -> Vec<ToolSpec> {
    let string_or_list = |what: &str| {
        json!({
            "description": what,
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}}
            ]
        })
    };
    vec![
        ToolSpec {
            name: "kanban_show",
            description: "Read a task: its title, body, status and assignee, the handoffs of the tasks it waits for \
                (their latest completed run's summary and metadata), this task's earlier attempts, its comments, and \
                the full context and working instructions a worker is given. Call this first.",
            schema: json!({
                "type": "object",
                "properties": { "task_id": {"type": "string", "description": TASK_ID} },
                "additionalProperties": false
            }),
        },
        ToolSpec {
            name: "kanban_complete",
            description: "Finish your task with a handoff for whoever comes next. The summary is required; \
                metadata holds structured facts (changed files, tests run, links). Completing makes the tasks that \
                wait for this one ready.",
            schema: json!({
                "type": "object",
                "properties": {
                    "summary": {"type": "string", "description": "What you did and what you found, for the next worker and the people watching. Required, not blank."},
                    "metadata": {"type": "object", "description": "Structured facts about the work, e.g. {\"changed_files\": [\"src/a.rs\"], \"tests_run\": 12}. Must be a JSON object."},
                    "result": {"type": "string", "description": "A one-line result stored on the task (optional; the summary is the handoff)."},
                    "created_cards": {"type": "array", "items": {"type": "string"}, "description": "Ids of tasks you created during this work; each must exist and have been created by you, or the completion is refused."},
                    "task_id": {"type": "string", "description": TASK_ID}
                },
                "required": ["summary"],
                "additionalProperties": false
            }),
        },
        ToolSpec {
            name: "kanban_block",
            description: "Stop work on your task because you need a person: missing access, a decision, a real \
                ambiguity. Say exactly what you need and from whom. The task waits in Blocked until someone unblocks it.",
            schema: json!({
                "type": "object",
                "properties": {
                    "reason": {"type": "string", "description": "What you need and from whom. Required, not blank."},
                    "task_id": {"type": "string", "description": TASK_ID}
                },
                "required": ["reason"],
                "additionalProperties": false
            }),
        },
        ToolSpec {
            name: "kanban_heartbeat",
            description: "Tell the board you are still working (every few minutes on long work), optionally with a \
                note on what you are doing. Without heartbeats a long silent run may be reclaimed.",
            schema: json!({
                "type": "object",
                "properties": {
                    "note": {"type": "string", "description": "What you are doing now (optional)."},
                    "task_id": {"type": "string", "description": TASK_ID}
                },
                "additionalProperties": false
            }),
        },
        ToolSpec {
            name: "kanban_comment",
            description: "Add a comment to a task (markdown). Use it for findings others should see; it does not \
                change the task's status.",
            schema: json!({
                "type": "object",
                "properties": {
                    "body": {"type": "string", "description": "The comment, in markdown. Required, not blank."},
                    "author": {"type": "string", "description": "Who is speaking (default: your profile, $BATON_PROFILE)."},
                    "task_id": {"type": "string", "description": TASK_ID}
                },
                "required": ["body"],
                "additionalProperties": false
            }),
        },
        ToolSpec {
            name: "kanban_create",
            description: "Create a follow-up task instead of doing out-of-scope work yourself, or split work for \
                other agents. It starts when its parents are done (or at once without parents); triage parks it for a person.",
            schema: json!({
                "type": "object",
                "properties": {
                    "title": {"type": "string", "description": "A short imperative title. Required, not blank."},
                    "assignee": {"type": "string", "description": "The profile that will do it (an agent name). Required."},
                    "body": {"type": "string", "description": "What needs doing and why, in markdown."},
                    "parents": string_or_list("Task ids this one waits for: one id or a list."),
                    "tenant": {"type": "string", "description": "Tenant/namespace (default: $BATON_TENANT)."},
                    "priority": {"type": "integer", "description": "Higher runs first (default 0)."},
                    "skills": string_or_list("Skills the worker must load: one name or a list."),
                    "triage": {"type": "boolean", "description": "Park it in Triage for a person to look at first (default false)."}
                },
                "required": ["title", "assignee"],
                "additionalProperties": false
            }),
        },
        ToolSpec {
            name: "kanban_link",
            description: "Make child_id wait for parent_id: the child becomes ready only when the parent is done. \
                A task cannot wait for itself, and a link that would make a cycle is refused.",
            schema: json!({
                "type": "object",
                "properties": {
                    "parent_id": {"type": "string", "description": "The task that must finish first."},
                    "child_id": {"type": "string", "description": "The task that waits."}
                },
                "required": ["parent_id", "child_id"],
                "additionalProperties": false
            }),
        },
    ]
}

/// Where the tools read and write: the board pool of `baton serve` (so the
/// dashboard sees writes at once), or one of its own for `baton mcp`.
#[derive(Clone)]
pub struct Tools {
    pool: Arc<BoardPool>,
}

type Args = Map<String, Value>;

fn text(args: &Args, key: &str) -> Result<Option<String>, String> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("{key} must be a string, got {other}")),
    }
}

fn required(args: &Args, key: &str, what: &str) -> Result<String, String> {
    match text(args, key)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        Some(_) => Err(format!("{key} must not be blank: {what}")),
        None => Err(format!("{key} is required: {what}")),
    }
}

/// A string or a list of strings, as a list.
fn list(args: &Args, key: &str) -> Result<Vec<String>, String> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("{key} must hold strings, got {v}"))
            })
            .collect(),
        Some(other) => Err(format!(
            "{key} must be a string or a list of strings, got {other}"
        )),
    }
}

fn refuse_unknown(args: &Args, spec_schema: &Value) -> Result<(), String> {
    let known = spec_schema["properties"].as_object();
    for k in args.keys() {
        if !known.is_some_and(|p| p.contains_key(k)) {
            return Err(format!("unknown argument '{k}'"));
        }
    }
    Ok(())
}

impl Tools {
    pub fn new(pool: Arc<BoardPool>) -> Tools {
        Tools { pool }
    }

    /// Runs tool `name`; the answer is JSON, an error is a message for the model.
    pub fn call(&self, who: &Identity, name: &str, args: Args) -> Result<Value, String> {
        let spec = catalogue()
            .into_iter()
            .find(|t| t.name == name)
            .ok_or_else(|| format!("there is no tool named '{name}'"))?;
        refuse_unknown(&args, &spec.schema)?;
        let slug = self
            .pool
            .resolve(who.board.as_deref())
            .map_err(|e| e.to_string())?;
        let mut out: Option<Result<Value, String>> = None;
        self.pool
            .with(&slug, |b| {
                out = Some(dispatch(b, who, name, &args));
                Ok(())
            })
            .map_err(|e| e.to_string())?;
        out.unwrap_or_else(|| Err("the board did not answer".into()))
    }
}

fn dispatch(b: &mut Board, who: &Identity, name: &str, args: &Args) -> Result<Value, String> {
    let e = |e: kernel::KernelError| e.to_string();
    match name {
        "kanban_show" => show(b, who, args),
        "kanban_complete" => {
            let (id, run) = own(b, who, args)?;
            let summary = required(args, "summary", "say what you did and what you found")?;
            let metadata = match args.get("metadata") {
                None | Some(Value::Null) => None,
                Some(m @ Value::Object(_)) => Some(m.clone()),
                Some(other) => {
                    return Err(format!(
                        "metadata must be a JSON object like {{\"tests_run\": 3}}, got {other}"
                    ))
                }
            };
            let task = b
                .complete(
                    &id,
                    &Completion {
                        result: text(args, "result")?,
                        summary: Some(summary),
                        metadata,
                        run,
                        created_cards: list(args, "created_cards")?,
                        profile: who.profile.clone(),
                    },
                )
                .map_err(e)?;
            Ok(
                json!({ "task": brief(&task), "message": format!("{id} is done; tasks waiting for it can start") }),
            )
        }
        "kanban_block" => {
            let (id, run) = own(b, who, args)?;
            let reason = required(args, "reason", "say what you need and from whom")?;
            let task = b.block(&id, Some(reason.trim()), run).map_err(e)?;
            Ok(
                json!({ "task": brief(&task), "message": format!("{id} is blocked until someone unblocks it") }),
            )
        }
        "kanban_heartbeat" => {
            let (id, run) = own(b, who, args)?;
            let note = text(args, "note")?;
            let task = b.heartbeat(&id, note.as_deref(), run, None).map_err(e)?;
            Ok(json!({ "task": brief(&task), "message": "heartbeat recorded" }))
        }
        "kanban_comment" => {
            let (id, run) = own(b, who, args)?;
            fence(b, who, run)?;
            let body = required(args, "body", "write what others should know")?;
            let author = text(args, "author")?
                .filter(|a| !a.trim().is_empty())
                .or_else(|| who.profile.clone())
                .unwrap_or_else(|| "agent".into());
            let c = b.comment(&id, &author, &body).map_err(e)?;
            Ok(json!({ "comment": c }))
        }
        "kanban_create" => {
            fence(b, who, who.run)?;
            let title = required(args, "title", "give the task a short title")?;
            let assignee = required(args, "assignee", "name the profile that will do it")?;
            let priority = match args.get("priority") {
                None | Some(Value::Null) => 0,
                Some(v) => v
                    .as_i64()
                    .ok_or_else(|| format!("priority must be a whole number, got {v}"))?,
            };
            let triage = match args.get("triage") {
                None | Some(Value::Null) => false,
                Some(v) => v
                    .as_bool()
                    .ok_or_else(|| format!("triage must be true or false, got {v}"))?,
            };
            let task = b
                .create(&NewTask {
                    title,
                    body: text(args, "body")?,
                    assignee: Some(assignee),
                    parents: list(args, "parents")?,
                    tenant: text(args, "tenant")?.or_else(|| who.tenant.clone()),
                    priority,
                    triage,
                    skills: list(args, "skills")?,
                    created_by: who.profile.clone().or_else(|| Some("agent".into())),
                    ..Default::default()
                })
                .map_err(e)?;
            Ok(json!({ "task": brief(&task) }))
        }
        "kanban_link" => {
            fence(b, who, who.run)?;
            let parent = required(args, "parent_id", "the task that must finish first")?;
            let child = required(args, "child_id", "the task that waits")?;
            let added = b.link(parent.trim(), child.trim()).map_err(e)?;
            Ok(json!({
                "linked": added,
                "message": if added { format!("{} now waits for {}", child.trim(), parent.trim()) }
                           else { format!("{} already waited for {}", child.trim(), parent.trim()) },
            }))
        }
        other => Err(format!("there is no tool named '{other}'")),
    }
}

/// The task a write acts on and the run that fences it: the caller's own
/// task is fenced by its run; another task named explicitly is not.
fn own(b: &mut Board, who: &Identity, args: &Args) -> Result<(String, Option<i64>), String> {
    let id = match text(args, "task_id")?.filter(|s| !s.trim().is_empty()) {
        Some(id) => id.trim().to_string(),
        None => who.task.clone().ok_or_else(|| {
            "no task_id given and this session has no task of its own ($BATON_TASK is not set)"
                .to_string()
        })?,
    };
    let run = if who.task.as_deref() == Some(id.as_str()) {
        who.run
    } else {
        None
    };
    b.get(&id).map_err(|e| e.to_string())?;
    Ok((id, run))
}

/// Refuses a write from a run that is no longer its task's current attempt,
/// for writes the kernel does not fence itself (comments, new tasks, links).
fn fence(b: &mut Board, who: &Identity, run: Option<i64>) -> Result<(), String> {
    let (Some(task), Some(run)) = (&who.task, run) else {
        return Ok(());
    };
    let t = b.get(task).map_err(|e| e.to_string())?;
    if t.current_run_id == Some(run) {
        return Ok(());
    }
    Err(format!(
        "run {run} is no longer the current attempt on {task} (the task is {}); the write was refused — stop working on it",
        t.status
    ))
}

fn brief(t: &Task) -> Value {
    json!({
        "id": t.id, "title": t.title, "status": t.status, "assignee": t.assignee,
        "tenant": t.tenant, "priority": t.priority, "current_run_id": t.current_run_id,
    })
}

fn show(b: &mut Board, who: &Identity, args: &Args) -> Result<Value, String> {
    let e = |e: kernel::KernelError| e.to_string();
    let id = match text(args, "task_id")?.filter(|s| !s.trim().is_empty()) {
        Some(id) => id.trim().to_string(),
        None => who.task.clone().ok_or_else(|| {
            "no task_id given and this session has no task of its own ($BATON_TASK is not set)"
                .to_string()
        })?,
    };
    let d = b.show(&id).map_err(e)?;
    let mut parents = Vec::new();
    for p in &d.links.parents {
        let t = b.get(p).map_err(e)?;
        let handoff = b
            .runs(p)
            .map_err(e)?
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
    let context = b.worker_prompt(&id, true).map_err(e)?;
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
}
