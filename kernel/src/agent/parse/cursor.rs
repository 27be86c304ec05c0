//! Cursor's `cursor-agent -p --output-format stream-json` lines, from its
//! documented format (the CLI is not on the registries this project can
//! install from, so no real stream was recorded): `system` (init),
//! `user` and `assistant` messages, `thinking` pieces, `tool_call` started
//! and completed (the call is an object named after the tool, e.g.
//! `readToolCall`, with its `args` and, once done, a `result` of `success` or
//! `error`), and a closing `result` with the final text.

use super::{str_of, text_of, tokens, Parsed, State};
use crate::agent::transcript::{Entry, Usage};
use serde_json::Value;

pub(super) fn parse(v: &Value, usage: &mut Usage, state: &mut State) -> Parsed {
    let mut out = Vec::new();
    match v["type"].as_str().unwrap_or_default() {
        "system" if v["subtype"] == "init" => {
            usage.model = str_of(&v["model"]);
            out.push(Entry::Session {
                id: str_of(&v["session_id"]),
                model: str_of(&v["model"]),
                version: None,
            });
        }
        "system" | "user" => {}
        "assistant" => {
            for block in v["message"]["content"].as_array().into_iter().flatten() {
                if let Some(text) = block["text"].as_str().filter(|t| !t.is_empty()) {
                    out.push(Entry::Message {
                        role: "assistant".into(),
                        text: text.to_string(),
                    });
                }
            }
        }
        "thinking" => {
            if let Some(text) = v["text"].as_str().filter(|t| !t.is_empty()) {
                out.push(Entry::Message {
                    role: "thinking".into(),
                    text: text.to_string(),
                });
            }
        }
        "tool_call" => {
            let id = str_of(&v["call_id"]);
            let (name, call) = tool_of(&v["tool_call"]);
            match v["subtype"].as_str().unwrap_or_default() {
                "started" => {
                    state.counted.insert(id.clone().unwrap_or_default());
                    out.push(Entry::ToolCall {
                        id,
                        name,
                        input: call["args"].clone(),
                    });
                }
                "completed" => {
                    // A completion without its start (a cut stream) still
                    // shows the call.
                    if !state.counted.contains(id.as_deref().unwrap_or_default()) {
                        out.push(Entry::ToolCall {
                            id: id.clone(),
                            name,
                            input: call["args"].clone(),
                        });
                    }
                    let result = &call["result"];
                    let (output, is_error) = if let Some(ok) = result.get("success") {
                        (output_of(ok), false)
                    } else if let Some(err) = result.get("error").or_else(|| result.get("failure"))
                    {
                        (output_of(err), true)
                    } else {
                        (text_of(result), false)
                    };
                    out.push(Entry::tool_result(id, &output, is_error));
                }
                _ => {}
            }
        }
        "result" => {
            // Newer versions add the run's tokens; either spelling counts.
            let u = &v["usage"];
            let pick = |camel: &str, snake: &str| tokens(&u[camel]).max(tokens(&u[snake]));
            usage.input_tokens += pick("inputTokens", "input_tokens");
            usage.output_tokens += pick("outputTokens", "output_tokens");
            usage.cache_read_tokens += pick("cacheReadTokens", "cache_read_tokens");
            usage.cache_write_tokens += pick("cacheWriteTokens", "cache_write_tokens");
            out.push(Entry::Result {
                text: v["result"].as_str().unwrap_or_default().to_string(),
                is_error: v["is_error"].as_bool().unwrap_or(false) || v["subtype"] == "error",
            });
        }
        "error" => out.push(Entry::Error {
            message: v["message"]
                .as_str()
                .or_else(|| v["error"].as_str())
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string()),
        }),
        _ => return Parsed::Unknown,
    }
    if out.is_empty() {
        Parsed::Nothing
    } else {
        Parsed::Entries(out)
    }
}

/// The tool's name and its call object: `{"readToolCall": {...}}` is `read`;
/// an MCP call names its tool in its args; `function` carries a name.
fn tool_of(tool_call: &Value) -> (String, &Value) {
    let Some((key, call)) = tool_call.as_object().and_then(|o| o.iter().next()) else {
        return (String::new(), tool_call);
    };
    let named = call["args"]["toolName"]
        .as_str()
        .or_else(|| {
            call["args"]["name"]
                .as_str()
                .filter(|_| key == "mcpToolCall")
        })
        .or_else(|| call["name"].as_str());
    let name = match named {
        Some(n) => n.to_string(),
        None => key.strip_suffix("ToolCall").unwrap_or(key).to_string(),
    };
    (name, call)
}

/// A result's text: its `content` (a string or MCP content parts), else
/// the JSON of what it reported.
fn output_of(v: &Value) -> String {
    match &v["content"] {
        Value::Null => match v.as_str() {
            Some(s) => s.to_string(),
            None => v
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string()),
        },
        Value::Array(parts) => parts
            .iter()
            .map(|p| {
                p["text"]["text"]
                    .as_str()
                    .or_else(|| p["text"].as_str())
                    .map(str::to_string)
                    .unwrap_or_else(|| p.to_string())
            })
            .collect::<Vec<_>>()
            .join("\n"),
        c => text_of(c),
    }
}

#[cfg(test)]
mod tests {
    use crate::agent::kind::AgentKind;
    use crate::agent::parse::parse;
    use crate::agent::transcript::Entry;

    /// Lines in the shape Cursor's CLI documentation gives for stream-json.
    #[test]
    fn a_cursor_stream_becomes_calls_results_and_a_result() {
        let text = r##"{"type":"system","subtype":"init","apiKeySource":"login","cwd":"/w","session_id":"c6b62c6f","model":"Claude 4 Sonnet","permissionMode":"default"}
{"type":"user","message":{"role":"user","content":[{"type":"text","text":"do the task"}]},"session_id":"c6b62c6f"}
{"type":"thinking","subtype":"delta","text":"Reading the task.","session_id":"c6b62c6f"}
{"type":"tool_call","subtype":"started","call_id":"toolu_1","tool_call":{"mcpToolCall":{"args":{"name":"baton-kanban_show","args":{},"toolName":"kanban_show","providerIdentifier":"baton"}}},"session_id":"c6b62c6f"}
{"type":"tool_call","subtype":"completed","call_id":"toolu_1","tool_call":{"mcpToolCall":{"args":{"toolName":"kanban_show"},"result":{"success":{"content":[{"text":{"text":"task t_1: Write the parser"}}],"isError":false}}}},"session_id":"c6b62c6f"}
{"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"Reading the file."}]},"session_id":"c6b62c6f"}
{"type":"tool_call","subtype":"started","call_id":"toolu_2","tool_call":{"readToolCall":{"args":{"path":"README.md"}}},"session_id":"c6b62c6f"}
{"type":"tool_call","subtype":"completed","call_id":"toolu_2","tool_call":{"readToolCall":{"args":{"path":"README.md"},"result":{"success":{"content":"# Project","isEmpty":false,"exceededLimit":false,"totalLines":1,"totalChars":9}}}},"session_id":"c6b62c6f"}
{"type":"tool_call","subtype":"completed","call_id":"toolu_3","tool_call":{"shellToolCall":{"args":{"command":"false"},"result":{"error":{"message":"exit status 1"}}}},"session_id":"c6b62c6f"}
{"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"All done."}]},"session_id":"c6b62c6f"}
{"type":"result","subtype":"success","duration_ms":1234,"duration_api_ms":1200,"is_error":false,"result":"All done.","session_id":"c6b62c6f","request_id":"r1","usage":{"inputTokens":120,"outputTokens":30,"cacheReadTokens":7}}"##;
        let t = parse(AgentKind::Cursor, text);
        assert!(
            matches!(&t.entries[0], Entry::Session { id: Some(id), model: Some(m), .. } if id == "c6b62c6f" && m == "Claude 4 Sonnet")
        );
        assert_eq!(t.tool_calls(), ["kanban_show", "read", "shell"]);
        assert!(t.entries.iter().any(|e| matches!(
            e,
            Entry::ToolResult { output, is_error: false, .. } if output == "task t_1: Write the parser"
        )));
        assert!(t.entries.iter().any(|e| matches!(
            e,
            Entry::ToolResult { output, is_error: true, .. } if output == "exit status 1"
        )));
        assert_eq!(t.result(), Some(("All done.", false)));
        assert_eq!((t.usage.input_tokens, t.usage.output_tokens), (120, 30));
        assert_eq!(t.usage.cache_read_tokens, 7);
        assert_eq!(t.usage.model.as_deref(), Some("Claude 4 Sonnet"));
        assert_eq!((t.malformed, t.unknown), (0, 0));
    }
}
