//! A scripted model server on 127.0.0.1 for the real agent CLIs: the
//! Anthropic Messages API (Claude Code), the OpenAI Responses API (Codex),
//! the Gemini API (Gemini CLI) and OpenAI Chat Completions (Qwen Code), each
//! answering with a whole SSE body.
//!
//! It plays a worker: each reply is picked by counting the assistant turns
//! already in the request, and names the board's tools the way that CLI
//! offers them. A request that carries no tools gets plain text.

use axum::body::Bytes;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// What the scripted model does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Script {
    /// heartbeat, comment, create a follow-up, complete with metadata, then a last word.
    Worker,
    /// Answers in text at once and never calls a tool (the run is left open).
    AnswerOnly,
    /// Edits `calc.py` the way aider's whole-file format asks, and explains.
    Edit,
    /// Every request is refused with HTTP 429, saying when to try again
    /// (the `retry-after` header and the message) or not.
    RateLimit { reset_seconds: Option<u32> },
    /// Every request is refused with HTTP 401: the key is not valid.
    BadKey,
}

/// The scenario, named in the task's body as `SCRIPT:<name>`.
fn script_of(body: &str) -> Script {
    if body.contains("SCRIPT:answer-only") {
        Script::AnswerOnly
    } else if body.contains("SCRIPT:edit") {
        Script::Edit
    } else if body.contains("SCRIPT:rate-limit-no-reset") {
        Script::RateLimit {
            reset_seconds: None,
        }
    } else if body.contains("SCRIPT:rate-limit") {
        Script::RateLimit {
            reset_seconds: Some(3),
        }
    } else if body.contains("SCRIPT:bad-key") {
        Script::BadKey
    } else {
        Script::Worker
    }
}

/// What the model answers in one turn.
enum Reply {
    Tool { name: &'static str, args: Value },
    Text(String),
}

pub const FINAL_WORDS: &str = "All four steps are done; the handoff is on the board.";
pub const ANSWER_ONLY: &str = "I looked at it: the parser needs a second pass for quoted fields.";
/// The edit and the explanation after it (aider's whole-file format).
pub const EDIT_REPLY: &str = "calc.py\n```python\ndef add(a, b):\n    return a + b\n```\nadd now returns the sum of its arguments; nothing else changed.";

/// The task this request is about: the id after "Work task " in Baton's prompt.
fn task_id(body: &str) -> String {
    let at = body.find("Work task t_").map(|i| i + "Work task ".len());
    at.and_then(|i| body.get(i..i + 10))
        .unwrap_or("t_unknown")
        .to_string()
}

fn reply(script: Script, turn: usize, task: &str) -> Reply {
    match (script, turn) {
        (Script::AnswerOnly, _) => Reply::Text(ANSWER_ONLY.into()),
        (Script::Edit, _) => Reply::Text(EDIT_REPLY.into()),
        (Script::Worker, 0) => Reply::Tool {
            name: "kanban_heartbeat",
            args: json!({"note": "reading the task"}),
        },
        (Script::Worker, 1) => Reply::Tool {
            name: "kanban_comment",
            args: json!({"body": "Assuming UTF-8 input throughout."}),
        },
        (Script::Worker, 2) => Reply::Tool {
            name: "kanban_create",
            args: json!({"title": format!("Review the work of {task}"), "assignee": "reviewer", "parents": [task]}),
        },
        (Script::Worker, 3) => Reply::Tool {
            name: "kanban_complete",
            args: json!({"summary": "Wrote the parser and its tests; a review task follows.", "metadata": {"changed_files": ["src/parse.rs"], "tests_run": 14}}),
        },
        (Script::Worker, _) => Reply::Text(FINAL_WORDS.into()),
        // Refused before a reply is chosen.
        (Script::RateLimit { .. } | Script::BadKey, _) => Reply::Text(String::new()),
    }
}

/// Which turn a request is — how many of the items in `req[list]` have
/// `key` = `value` (the model's earlier answers) — and the script's reply;
/// a request that offers none of the board's tools gets plain text.
fn answer(
    req: &Value,
    (list, key, value): (&str, &str, &str),
    script: Script,
    task: &str,
) -> (usize, Reply) {
    let turn = req[list]
        .as_array()
        .map_or(0, |items| items.iter().filter(|i| i[key] == value).count());
    if script == Script::Edit {
        // aider asks its weak model for a commit message separately.
        let text = if req.to_string().contains("commit message") {
            "fix: return the sum from add".to_string()
        } else {
            EDIT_REPLY.to_string()
        };
        return (turn, Reply::Text(text));
    }
    if req["tools"].to_string().contains("kanban_complete") {
        (turn, reply(script, turn, task))
    } else {
        (turn, Reply::Text("ok".into()))
    }
}

/// Requests seen, for the tests to look at.
#[derive(Default, Clone)]
pub struct Seen(pub Arc<Mutex<Vec<(String, Value)>>>);

pub struct ModelServer {
    pub url: String,
    pub seen: Seen,
    _runtime: tokio::runtime::Runtime,
}

impl ModelServer {
    pub fn start() -> ModelServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let seen = Seen::default();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let s = seen.clone();
        let app = axum::Router::new().fallback(move |method: Method, uri: Uri, body: Bytes| {
            let s = s.clone();
            async move { handle(&s, method, uri, body) }
        });
        runtime.spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        ModelServer {
            url,
            seen,
            _runtime: runtime,
        }
    }

    /// Paths of the requests seen so far.
    pub fn paths(&self) -> Vec<String> {
        self.seen
            .0
            .lock()
            .unwrap()
            .iter()
            .map(|(p, _)| p.clone())
            .collect()
    }
}

/// The tool names a request offers, whichever API it is (for failure messages).
pub fn tool_names(req: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for t in req["tools"].as_array().into_iter().flatten() {
        if let Some(n) = t["name"].as_str() {
            out.push(n.to_string());
        }
        for inner in ["tools", "functionDeclarations"] {
            for f in t[inner].as_array().into_iter().flatten() {
                if let Some(n) = f["name"].as_str() {
                    out.push(format!("  {n}"));
                }
            }
        }
    }
    out
}

fn sse(events: &[(Option<&str>, Value)]) -> Response {
    let mut body = String::new();
    for (name, data) in events {
        if let Some(n) = name {
            body.push_str(&format!("event: {n}\n"));
        }
        body.push_str(&format!("data: {data}\n\n"));
    }
    (
        StatusCode::OK,
        [
            ("content-type", "text/event-stream"),
            ("cache-control", "no-cache"),
        ],
        body,
    )
        .into_response()
}

fn handle(seen: &Seen, method: Method, uri: Uri, body: Bytes) -> Response {
    let path = uri.path().to_string();
    if method == Method::HEAD || method == Method::GET {
        return (StatusCode::OK, "").into_response();
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    let req: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    seen.0.lock().unwrap().push((path.clone(), req.clone()));
    let script = script_of(&text);
    let task = task_id(&text);
    if let Some(refused) = refusal(script, &path) {
        return refused;
    }
    if path.starts_with("/v1/chat/completions") {
        chat_completions(&req, script, &task)
    } else if path.starts_with("/v1/messages") {
        anthropic(&req, script, &task)
    } else if path.starts_with("/v1/responses") {
        responses(&req, script, &task)
    } else if path.contains(":streamGenerateContent") || path.contains(":generateContent") {
        gemini(&req, script, &task, path.contains(":stream"))
    } else {
        (
            StatusCode::NOT_FOUND,
            format!("no scripted route for {path}"),
        )
            .into_response()
    }
}

/// The provider turning a request away, in the shape of the API asked
/// (`x-should-retry: false` stops the Anthropic SDK retrying by itself).
fn refusal(script: Script, path: &str) -> Option<Response> {
    let (status, kind, message, reset) = match script {
        Script::RateLimit { reset_seconds } => (
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limit_error",
            match reset_seconds {
                Some(s) => format!(
                    "This request would exceed your rate limit. Please try again in {s} seconds."
                ),
                None => "This request would exceed your rate limit.".to_string(),
            },
            reset_seconds,
        ),
        Script::BadKey => (
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "invalid x-api-key".to_string(),
            None,
        ),
        _ => return None,
    };
    let body = if path.starts_with("/v1/messages") {
        json!({"type": "error", "error": {"type": kind, "message": message}})
    } else {
        json!({"error": {"type": kind, "code": kind, "message": message}})
    };
    let mut r = (status, axum::Json(body)).into_response();
    let h = r.headers_mut();
    h.insert("x-should-retry", "false".parse().unwrap());
    if let Some(s) = reset {
        h.insert("retry-after", s.to_string().parse().unwrap());
    }
    Some(r)
}

/// Anthropic Messages API (streaming).
fn anthropic(req: &Value, script: Script, task: &str) -> Response {
    let (turn, reply) = answer(req, ("messages", "role", "assistant"), script, task);
    let (block, delta, stop) = match reply {
        Reply::Tool { name, args } => (
            json!({"type": "tool_use", "id": format!("toolu_{turn}"), "name": format!("mcp__baton__{name}"), "input": {}}),
            json!({"type": "input_json_delta", "partial_json": args.to_string()}),
            "tool_use",
        ),
        Reply::Text(t) => (
            json!({"type": "text", "text": ""}),
            json!({"type": "text_delta", "text": t}),
            "end_turn",
        ),
    };
    sse(&[
        (
            Some("message_start"),
            json!({"type": "message_start", "message": {"id": format!("msg_{turn}"), "type": "message", "role": "assistant", "model": "claude-scripted", "content": [], "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 100, "output_tokens": 1, "cache_read_input_tokens": 10, "cache_creation_input_tokens": 0}}}),
        ),
        (
            Some("content_block_start"),
            json!({"type": "content_block_start", "index": 0, "content_block": block}),
        ),
        (
            Some("content_block_delta"),
            json!({"type": "content_block_delta", "index": 0, "delta": delta}),
        ),
        (
            Some("content_block_stop"),
            json!({"type": "content_block_stop", "index": 0}),
        ),
        (
            Some("message_delta"),
            json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": {"output_tokens": 20}}),
        ),
        (Some("message_stop"), json!({"type": "message_stop"})),
    ])
}

/// OpenAI Responses API (streaming). Codex offers an MCP server's tools as
/// a namespace; a call names the tool and the namespace.
fn responses(req: &Value, script: Script, task: &str) -> Response {
    let (turn, reply) = answer(req, ("input", "type", "function_call"), script, task);
    let item = match reply {
        Reply::Tool { name, args } => {
            json!({"type": "function_call", "id": format!("fc_{turn}"), "call_id": format!("call_{turn}"), "name": name, "namespace": "mcp__baton", "arguments": args.to_string(), "status": "completed"})
        }
        Reply::Text(t) => {
            json!({"type": "message", "id": format!("msg_{turn}"), "role": "assistant", "status": "completed", "content": [{"type": "output_text", "text": t, "annotations": []}]})
        }
    };
    let id = format!("resp_{turn}");
    sse(&[
        (
            Some("response.created"),
            json!({"type": "response.created", "response": {"id": id, "status": "in_progress", "output": []}}),
        ),
        (
            Some("response.output_item.added"),
            json!({"type": "response.output_item.added", "output_index": 0, "item": item}),
        ),
        (
            Some("response.output_item.done"),
            json!({"type": "response.output_item.done", "output_index": 0, "item": item}),
        ),
        (
            Some("response.completed"),
            json!({"type": "response.completed", "response": {"id": id, "status": "completed", "output": [item], "usage": {"input_tokens": 100, "input_tokens_details": {"cached_tokens": 40}, "output_tokens": 20, "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 120}}}),
        ),
    ])
}

/// The name under which a Chat Completions client offers the board tool
/// `name`: each CLI prefixes it its own way (`mcp__baton__kanban_show`,
/// `baton_kanban_show`).
fn offered_function(req: &Value, name: &str) -> String {
    req["tools"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["function"]["name"].as_str())
        .find(|n| n.ends_with(name))
        .map_or_else(|| format!("mcp__baton__{name}"), str::to_string)
}

/// OpenAI Chat Completions (streaming), as Qwen Code, Hermes Agent and
/// opencode call it.
fn chat_completions(req: &Value, script: Script, task: &str) -> Response {
    let (turn, reply) = answer(req, ("messages", "role", "assistant"), script, task);
    let (delta, finish) = match reply {
        Reply::Tool { name, args } => (
            json!({"role": "assistant", "tool_calls": [{"index": 0, "id": format!("call_{turn}"), "type": "function", "function": {"name": offered_function(req, name), "arguments": args.to_string()}}]}),
            "tool_calls",
        ),
        Reply::Text(t) => (json!({"role": "assistant", "content": t}), "stop"),
    };
    let usage = json!({"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120});
    if req["stream"] != true {
        // Not every call streams (aider's commit message does not).
        let body = json!({"id": format!("chatcmpl-{turn}"), "object": "chat.completion", "model": "qwen-scripted",
            "choices": [{"index": 0, "message": delta, "finish_reason": finish}], "usage": usage});
        return (
            StatusCode::OK,
            [("content-type", "application/json")],
            body.to_string(),
        )
            .into_response();
    }
    let chunk = |delta: Value, finish: Option<&str>, usage: Option<Value>| {
        let mut c = json!({"id": format!("chatcmpl-{turn}"), "object": "chat.completion.chunk", "model": "qwen-scripted",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]});
        if let Some(u) = usage {
            c["usage"] = u;
        }
        c
    };
    let mut body = String::new();
    for c in [
        chunk(delta, None, None),
        chunk(json!({}), Some(finish), Some(usage)),
    ] {
        body.push_str(&format!("data: {c}\n\n"));
    }
    body.push_str("data: [DONE]\n\n");
    (
        StatusCode::OK,
        [("content-type", "text/event-stream")],
        body,
    )
        .into_response()
}

/// Gemini API. The CLI names an MCP server's tools `mcp_<server>_<tool>`.
fn gemini(req: &Value, script: Script, task: &str, stream: bool) -> Response {
    let (_, reply) = answer(req, ("contents", "role", "model"), script, task);
    let part = match reply {
        Reply::Tool { name, args } => {
            json!({"functionCall": {"name": format!("mcp_baton_{name}"), "args": args}})
        }
        Reply::Text(t) => json!({"text": t}),
    };
    let chunk = json!({
        "candidates": [{"content": {"role": "model", "parts": [part]}, "finishReason": "STOP", "index": 0}],
        "usageMetadata": {"promptTokenCount": 100, "candidatesTokenCount": 20, "totalTokenCount": 120},
        "modelVersion": "gemini-2.5-flash"
    });
    if stream {
        sse(&[(None, chunk)])
    } else {
        (
            StatusCode::OK,
            [("content-type", "application/json")],
            chunk.to_string(),
        )
            .into_response()
    }
}
