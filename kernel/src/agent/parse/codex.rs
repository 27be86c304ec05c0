//! Codex's `exec --json` lines: thread and turn events, and items (agent
//! messages, reasoning, shell commands, MCP tool calls, file changes) that
//! are reported when they start and again when they complete.

use super::{add_usage, str_of, text_of, tokens, Parsed};
use crate::agent::transcript::{Entry, Usage};
use serde_json::Value;

pub(super) fn parse(v: &Value, usage: &mut Usage) -> Parsed {
    match v["type"].as_str().unwrap_or_default() {
        "thread.started" => Parsed::Entries(vec![Entry::Session {
            id: str_of(&v["thread_id"]),
            model: None,
            version: None,
        }]),
        "turn.started" | "item.started" | "item.updated" => Parsed::Nothing,
        "turn.completed" => {
            let u = &v["usage"];
            add_usage(
                usage,
                tokens(&u["input_tokens"]),
                tokens(&u["cached_input_tokens"]),
                tokens(&u["output_tokens"]),
            );
            // `exec` runs one turn: its end is the run's result, whose text
            // is the last agent message.
            Parsed::Entries(vec![Entry::Result {
                text: String::new(),
                is_error: false,
            }])
        }
        "turn.failed" => Parsed::Entries(vec![
            Entry::Error {
                message: message_of(&v["error"]),
            },
            Entry::Result {
                text: String::new(),
                is_error: true,
            },
        ]),
        "error" => Parsed::Entries(vec![Entry::Error {
            message: message_of(v),
        }]),
        "item.completed" => item(&v["item"]),
        _ => Parsed::Unknown,
    }
}

fn message_of(v: &Value) -> String {
    v["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

fn item(item: &Value) -> Parsed {
    let id = str_of(&item["id"]);
    let entries = match item["type"].as_str().unwrap_or_default() {
        "agent_message" => vec![Entry::Message {
            role: "assistant".into(),
            text: item["text"].as_str().unwrap_or_default().to_string(),
        }],
        "reasoning" => vec![Entry::Message {
            role: "thinking".into(),
            text: item["text"].as_str().unwrap_or_default().to_string(),
        }],
        "command_execution" => vec![
            Entry::ToolCall {
                id: id.clone(),
                name: "exec_command".into(),
                input: serde_json::json!({ "cmd": item["command"] }),
            },
            Entry::tool_result(
                id,
                item["aggregated_output"].as_str().unwrap_or_default(),
                item["exit_code"].as_i64().is_some_and(|c| c != 0) || item["status"] == "failed",
            ),
        ],
        "mcp_tool_call" => {
            let failed = !item["error"].is_null() || item["status"] == "failed";
            let output = if failed {
                message_of(&item["error"])
            } else {
                text_of(&item["result"])
            };
            vec![
                Entry::ToolCall {
                    id: id.clone(),
                    name: format!(
                        "{}.{}",
                        item["server"].as_str().unwrap_or_default(),
                        item["tool"].as_str().unwrap_or_default()
                    ),
                    input: item["arguments"].clone(),
                },
                Entry::tool_result(id, &output, failed),
            ]
        }
        "file_change" => vec![Entry::ToolCall {
            id,
            name: "file_change".into(),
            input: item["changes"].clone(),
        }],
        "error" => vec![Entry::Error {
            message: message_of(item),
        }],
        "todo_list" | "web_search" => vec![],
        _ => return Parsed::Unknown,
    };
    Parsed::Entries(entries)
}

#[cfg(test)]
mod tests {
    use crate::agent::kind::AgentKind;
    use crate::agent::parse::parse;
    use crate::agent::transcript::Entry;

    #[test]
    fn a_codex_stream_becomes_calls_with_results_and_normalised_usage() {
        let text = r#"{"type":"thread.started","thread_id":"th1"}
{"type":"turn.started"}
{"type":"item.started","item":{"id":"i1","type":"command_execution","command":"ls","status":"in_progress"}}
{"type":"item.completed","item":{"id":"i1","type":"command_execution","command":"ls","aggregated_output":"a\nb\n","exit_code":0,"status":"completed"}}
{"type":"item.completed","item":{"id":"i2","type":"mcp_tool_call","server":"baton","tool":"kanban_complete","arguments":{"summary":"s"},"result":{"content":[{"type":"text","text":"{\"ok\":true}"}]},"error":null,"status":"completed"}}
{"type":"item.completed","item":{"id":"i3","type":"agent_message","text":"Finished."}}
{"type":"turn.completed","usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":9}}"#;
        let t = parse(AgentKind::Codex, text);
        assert_eq!(t.tool_calls(), ["exec_command", "baton.kanban_complete"]);
        assert!(
            matches!(&t.entries[4], Entry::ToolResult { output, is_error: false, .. } if output == "{\"ok\":true}")
        );
        assert_eq!(t.final_text().as_deref(), Some("Finished."));
        assert_eq!(
            t.result(),
            Some(("", false)),
            "the turn's end is the result"
        );
        assert_eq!(
            (
                t.usage.input_tokens,
                t.usage.cache_read_tokens,
                t.usage.output_tokens
            ),
            (60, 40, 9)
        );
        assert_eq!((t.malformed, t.unknown), (0, 0));
    }
}
