//! GitHub Copilot CLI's `-p … --output-format json` lines: one session event
//! per line, `{type, data, id, timestamp, parentId, ephemeral?}`. Ephemeral
//! events are streaming progress (deltas, shell output as it comes); the
//! durable ones are the whole messages, tool calls and their results, and a
//! final `result`. The stream carries no token counts: the CLI writes them
//! to its `--usage-output-file` when it exits, read by [`usage_file`].

use super::{str_of, text_of, tokens, Parsed, State};
use crate::agent::transcript::{Entry, Usage};
use serde_json::Value;

/// The file in the run's directory Copilot writes its usage to.
pub const USAGE_FILE: &str = "copilot-usage.json";

pub(super) fn parse(v: &Value, state: &mut State) -> Parsed {
    let d = &v["data"];
    let mut out = Vec::new();
    match v["type"].as_str().unwrap_or_default() {
        // The model is known once the tools are; the session id comes last.
        "session.tools_updated" if !state.session_seen => {
            state.session_seen = true;
            out.push(Entry::Session {
                id: None,
                model: str_of(&d["model"]),
                version: None,
            });
        }
        "assistant.message" => {
            let text = d["content"].as_str().unwrap_or_default();
            if !text.trim().is_empty() {
                state.last_text = text.to_string();
                out.push(Entry::Message {
                    role: "assistant".into(),
                    text: text.to_string(),
                });
            }
            if let Some(reasoning) = d["reasoningText"].as_str().filter(|t| !t.is_empty()) {
                out.push(Entry::Message {
                    role: "thinking".into(),
                    text: reasoning.to_string(),
                });
            }
        }
        // The call as it runs (the message's toolRequests say the same).
        "tool.execution_start" => out.push(Entry::ToolCall {
            id: str_of(&d["toolCallId"]),
            name: d["toolName"].as_str().unwrap_or_default().to_string(),
            input: d["arguments"].clone(),
        }),
        "tool.execution_complete" => {
            let id = str_of(&d["toolCallId"]);
            if d["success"].as_bool().unwrap_or(false) {
                out.push(Entry::tool_result(
                    id,
                    &text_of(&d["result"]["content"]),
                    false,
                ));
            } else {
                let e = &d["error"];
                let message = e["message"]
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| str_of(&d["result"]["content"]))
                    .unwrap_or_else(|| e.to_string());
                out.push(Entry::tool_result(id, &message, true));
            }
        }
        "session.error" => out.push(Entry::Error {
            message: d["message"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| d.to_string()),
        }),
        "result" => {
            if let Some(id) = str_of(&v["sessionId"]) {
                out.push(Entry::Session {
                    id: Some(id),
                    model: None,
                    version: None,
                });
            }
            out.push(Entry::Result {
                text: std::mem::take(&mut state.last_text),
                is_error: v["exitCode"].as_i64().unwrap_or(0) != 0,
            });
        }
        "user.message"
        | "assistant.turn_start"
        | "assistant.turn_end"
        | "session.tools_updated"
        | "session.info"
        | "session.warning" => {}
        _ if v.get("ephemeral").and_then(Value::as_bool) == Some(true) => {}
        _ => return Parsed::Unknown,
    }
    if out.is_empty() {
        Parsed::Nothing
    } else {
        Parsed::Entries(out)
    }
}

/// Adds the totals of a `--usage-output-file` (summed over its models).
pub fn usage_file(v: &Value, usage: &mut Usage) {
    let Some(models) = v["modelMetrics"].as_object() else {
        return;
    };
    for m in models.values() {
        let u = &m["usage"];
        // Copilot counts input apart from cache reads, as Anthropic does.
        usage.input_tokens += tokens(&u["inputTokens"]);
        usage.output_tokens += tokens(&u["outputTokens"]);
        usage.cache_read_tokens += tokens(&u["cacheReadTokens"]);
        usage.cache_write_tokens += tokens(&u["cacheWriteTokens"]);
    }
}

#[cfg(test)]
mod tests {
    use crate::agent::kind::AgentKind;
    use crate::agent::parse::parse;
    use crate::agent::transcript::{Entry, Usage};

    /// Lines as Copilot CLI 1.0.102 wrote them against the scripted server
    /// (long fields cut).
    #[test]
    fn a_copilot_stream_becomes_calls_results_and_a_result() {
        let text = r#"{"type":"session.mcp_servers_loaded","data":{"servers":[]},"ephemeral":true,"id":"a","timestamp":"2026-12-03T04:31:46.2Z","parentId":null}
{"type":"session.tools_updated","data":{"model":"scripted"},"ephemeral":true,"id":"b","timestamp":"2026-12-03T04:31:46.2Z","parentId":"a"}
{"type":"user.message","data":{"content":"do the task","turnId":"0"},"id":"c","timestamp":"2026-12-03T04:31:46.2Z","parentId":"b"}
{"type":"assistant.turn_start","data":{"turnId":"0"},"id":"d","timestamp":"2026-12-03T04:31:46.2Z","parentId":"c"}
{"type":"assistant.message_delta","data":{"messageId":"m1","deltaContent":"Let me look."},"ephemeral":true,"id":"e","timestamp":"2026-12-03T04:31:46.2Z","parentId":"d"}
{"type":"assistant.message","data":{"messageId":"m1","model":"scripted","content":"","toolRequests":[{"toolCallId":"call_0","name":"baton-kanban_show","arguments":{},"type":"function"}],"turnId":"0"},"id":"f","timestamp":"2026-12-03T04:31:46.2Z","parentId":"d"}
{"type":"tool.execution_start","data":{"toolCallId":"call_0","toolName":"baton-kanban_show","arguments":{},"turnId":"0","model":"scripted"},"id":"g","timestamp":"2026-12-03T04:31:46.2Z","parentId":"f"}
{"type":"tool.execution_complete","data":{"toolCallId":"call_0","model":"scripted","turnId":"0","success":false,"error":{"message":"MCP server 'baton': no task_id given","code":"failure"}},"id":"h","timestamp":"2026-12-03T04:31:46.2Z","parentId":"g"}
{"type":"assistant.message","data":{"messageId":"m2","model":"scripted","content":"Let me look.","toolRequests":[{"toolCallId":"call_1","name":"bash","arguments":{"command":"echo hi","description":"say hi"},"type":"function"}],"turnId":"1"},"id":"i","timestamp":"2026-12-03T04:31:46.3Z","parentId":"h"}
{"type":"tool.execution_start","data":{"toolCallId":"call_1","toolName":"bash","arguments":{"command":"echo hi","description":"say hi"},"turnId":"1","model":"scripted"},"id":"j","timestamp":"2026-12-03T04:31:46.3Z","parentId":"i"}
{"type":"tool.shell_output","data":{"toolCallId":"call_1","stream":"stdout","text":"hi\n","sequence":0},"ephemeral":true,"id":"k","timestamp":"2026-12-03T04:31:46.3Z","parentId":"j"}
{"type":"tool.execution_complete","data":{"toolCallId":"call_1","model":"scripted","turnId":"1","shellExecution":{"exitCode":0},"success":true,"result":{"content":"hi\n<shellId: 0 completed with exit code 0>","detailedContent":"hi\n"}},"id":"l","timestamp":"2026-12-03T04:31:46.3Z","parentId":"j"}
{"type":"assistant.turn_end","data":{"turnId":"1"},"id":"m","timestamp":"2026-12-03T04:31:46.3Z","parentId":"l"}
{"type":"assistant.message","data":{"messageId":"m3","model":"scripted","content":"All done here.","toolRequests":[],"turnId":"2"},"id":"n","timestamp":"2026-12-03T04:31:46.3Z","parentId":"m"}
{"type":"assistant.idle","data":{},"ephemeral":true,"id":"o","timestamp":"2026-12-03T04:31:46.3Z","parentId":"n"}
{"type":"result","timestamp":"2026-12-03T04:31:46.349Z","sessionId":"50d07468","exitCode":0,"usage":{"premiumRequests":0,"totalApiDurationMs":28,"sessionDurationMs":241}}"#;
        let t = parse(AgentKind::Copilot, text);
        assert!(matches!(&t.entries[0], Entry::Session { model: Some(m), .. } if m == "scripted"));
        assert_eq!(t.tool_calls(), ["baton-kanban_show", "bash"]);
        assert!(matches!(
            &t.entries[2],
            Entry::ToolResult { output, is_error: true, .. } if output.contains("no task_id")
        ));
        assert!(t.entries.iter().any(|e| matches!(
            e,
            Entry::ToolResult { output, is_error: false, .. } if output.starts_with("hi")
        )));
        assert!(t
            .entries
            .iter()
            .any(|e| matches!(e, Entry::Session { id: Some(id), .. } if id == "50d07468")));
        assert_eq!(t.final_text().as_deref(), Some("All done here."));
        assert_eq!(t.result(), Some(("All done here.", false)));
        assert_eq!((t.malformed, t.unknown), (0, 0));
    }

    #[test]
    fn the_usage_file_sums_its_models() {
        let v = serde_json::json!({
            "totalPremiumRequestCost": 0,
            "modelMetrics": {
                "scripted": {"requests": {"count": 3, "cost": 0},
                    "usage": {"inputTokens": 300, "outputTokens": 60, "cacheReadTokens": 30, "cacheWriteTokens": 0}},
                "other": {"usage": {"inputTokens": 1, "outputTokens": 2, "cacheReadTokens": 0, "cacheWriteTokens": 4}}
            }
        });
        let mut u = Usage::default();
        super::usage_file(&v, &mut u);
        assert_eq!((u.input_tokens, u.output_tokens), (301, 62));
        assert_eq!((u.cache_read_tokens, u.cache_write_tokens), (30, 4));
        super::usage_file(&serde_json::json!({"nonsense": 1}), &mut u);
        assert_eq!(u.input_tokens, 301, "a file without models adds nothing");
    }
}
