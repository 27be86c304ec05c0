//! goose's `run --quiet --output-format stream-json` lines, from its
//! documented format (goose ships from GitHub releases, not from the
//! registries this project can install from, so no real stream was
//! recorded): `message` events carry a conversation message whose content
//! blocks are `text`, `thinking`, `toolRequest` (a call, its `toolCall`
//! a result-like `{status, value: {name, arguments}}`) and `toolResponse`
//! (its `toolResult` `{status, value}` or `{status: "error", error}`);
//! `notification` is an extension's log or progress; `error` a string;
//! `complete` closes the run with its tokens. There is no start event and
//! no final text: the last assistant text is the answer.

use super::{str_of, text_of, tokens, Parsed, State};
use crate::agent::transcript::{Entry, Usage};
use serde_json::Value;

pub(super) fn parse(v: &Value, usage: &mut Usage, state: &mut State) -> Parsed {
    let mut out = Vec::new();
    match v["type"].as_str().unwrap_or_default() {
        "message" => {
            let m = &v["message"];
            let role = m["role"].as_str().unwrap_or("assistant");
            if usage.model.is_none() {
                usage.model = str_of(&m["metadata"]["inference"]["resolvedModel"])
                    .or_else(|| str_of(&m["metadata"]["inference"]["requestedModel"]));
            }
            for block in m["content"].as_array().into_iter().flatten() {
                match block["type"].as_str().unwrap_or_default() {
                    "text" => {
                        let text = block["text"].as_str().unwrap_or_default();
                        if role == "assistant" && !text.trim().is_empty() {
                            state.last_text = text.to_string();
                            out.push(Entry::Message {
                                role: role.into(),
                                text: text.to_string(),
                            });
                        }
                    }
                    "thinking" => out.push(Entry::Message {
                        role: "thinking".into(),
                        text: block["thinking"].as_str().unwrap_or_default().to_string(),
                    }),
                    "toolRequest" => {
                        let call = &block["toolCall"];
                        let value = call.get("value").unwrap_or(call);
                        out.push(Entry::ToolCall {
                            id: str_of(&block["id"]),
                            name: value["name"].as_str().unwrap_or_default().to_string(),
                            input: value["arguments"].clone(),
                        });
                        if call["status"] == "error" {
                            out.push(Entry::tool_result(
                                str_of(&block["id"]),
                                &text_of(&call["error"]),
                                true,
                            ));
                        }
                    }
                    "toolResponse" => {
                        let r = &block["toolResult"];
                        let (output, is_error) = if r["status"] == "error" {
                            (text_of(&r["error"]), true)
                        } else {
                            let value = r.get("value").unwrap_or(r);
                            (text_of(value), value["isError"].as_bool().unwrap_or(false))
                        };
                        out.push(Entry::tool_result(str_of(&block["id"]), &output, is_error));
                    }
                    "systemNotification" if block["notificationType"] == "creditsExhausted" => {
                        out.push(Entry::Error {
                            message: block["msg"]
                                .as_str()
                                .unwrap_or("credits exhausted")
                                .to_string(),
                        });
                    }
                    _ => {}
                }
            }
        }
        "notification" => {}
        "error" => {
            state.failed = true;
            out.push(Entry::Error {
                message: text_of(&v["error"]),
            });
        }
        "complete" => {
            let input = tokens(&v["input_tokens"]);
            let output = tokens(&v["output_tokens"]);
            usage.input_tokens += input;
            usage.output_tokens += output;
            if input + output == 0 {
                // Older versions give only the total.
                usage.input_tokens += tokens(&v["total_tokens"]);
            }
            out.push(Entry::Result {
                text: std::mem::take(&mut state.last_text),
                is_error: state.failed,
            });
        }
        _ => return Parsed::Unknown,
    }
    if out.is_empty() {
        Parsed::Nothing
    } else {
        Parsed::Entries(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::agent::kind::AgentKind;
    use crate::agent::parse::parse;
    use crate::agent::transcript::Entry;

    /// Lines in the shape goose's `StreamEvent` and `Message` serialise to.
    #[test]
    fn a_goose_stream_becomes_calls_results_and_a_result() {
        let text = r#"{"type":"message","message":{"id":"m1","role":"assistant","created":1764740000,"content":[{"type":"text","text":"Looking at the task."},{"type":"toolRequest","id":"call_0","toolCall":{"status":"success","value":{"name":"baton__kanban_show","arguments":{}}}}],"metadata":{"userVisible":true,"agentVisible":true,"inference":{"provider":"openai","requestedModel":"gpt-4o"}}}}
{"type":"message","message":{"id":"m2","role":"user","created":1764740001,"content":[{"type":"toolResponse","id":"call_0","toolResult":{"status":"success","value":[{"type":"text","text":"task t_1: Write the parser"}]}}],"metadata":{}}}
{"type":"notification","extension_id":"developer","log":{"message":"running"}}
{"type":"message","message":{"id":"m3","role":"assistant","created":1764740002,"content":[{"type":"toolRequest","id":"call_1","toolCall":{"status":"success","value":{"name":"developer__shell","arguments":{"command":"false"}}}}],"metadata":{}}}
{"type":"message","message":{"id":"m4","role":"user","created":1764740003,"content":[{"type":"toolResponse","id":"call_1","toolResult":{"status":"error","error":"exit status 1"}}],"metadata":{}}}
{"type":"message","message":{"id":"m5","role":"assistant","created":1764740004,"content":[{"type":"text","text":"All done."}],"metadata":{}}}
{"type":"complete","total_tokens":150,"input_tokens":120,"output_tokens":30}"#;
        let t = parse(AgentKind::Goose, text);
        assert_eq!(t.tool_calls(), ["baton__kanban_show", "developer__shell"]);
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
        assert_eq!(t.usage.model.as_deref(), Some("gpt-4o"));
        assert_eq!((t.malformed, t.unknown), (0, 0));
    }

    #[test]
    fn a_goose_error_makes_the_closing_result_an_error() {
        let text = "{\"type\":\"error\",\"error\":\"provider refused the key\"}\n{\"type\":\"complete\",\"total_tokens\":9}";
        let t = parse(AgentKind::Goose, text);
        assert!(
            matches!(&t.entries[0], Entry::Error { message } if message == "provider refused the key")
        );
        assert_eq!(t.result(), Some(("", true)));
        assert_eq!(t.usage.input_tokens, 9);
    }
}
