//! Gemini CLI's `--output-format stream-json` lines: `init`, streamed
//! `message` pieces, `tool_use` / `tool_result` pairs, `error`, and the
//! closing `result` with the run's token counts.

use super::{add_usage, str_of, text_of, tokens, Parsed};
use crate::agent::transcript::{Entry, Usage};
use serde_json::Value;

pub(super) fn parse(v: &Value, usage: &mut Usage) -> Parsed {
    match v["type"].as_str().unwrap_or_default() {
        "init" => {
            usage.model = str_of(&v["model"]);
            Parsed::Entries(vec![Entry::Session {
                id: str_of(&v["session_id"]),
                model: str_of(&v["model"]),
                version: None,
            }])
        }
        // The prompt echoed back; the drawer shows the task itself.
        "message" if v["role"] == "user" => Parsed::Nothing,
        "message" => Parsed::Entries(vec![Entry::Message {
            role: v["role"].as_str().unwrap_or("assistant").to_string(),
            text: v["content"].as_str().unwrap_or_default().to_string(),
        }]),
        "tool_use" => Parsed::Entries(vec![Entry::ToolCall {
            id: str_of(&v["tool_id"]),
            name: v["tool_name"].as_str().unwrap_or_default().to_string(),
            input: v["parameters"].clone(),
        }]),
        "tool_result" => {
            let failed = v["status"].as_str().is_some_and(|s| s != "success");
            let output = if failed && !v["error"].is_null() {
                text_of(&v["error"]["message"])
            } else {
                text_of(&v["output"])
            };
            Parsed::Entries(vec![Entry::tool_result(
                str_of(&v["tool_id"]),
                &output,
                failed,
            )])
        }
        "error" => Parsed::Entries(vec![Entry::Error {
            message: v["message"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string()),
        }]),
        "result" => {
            let s = &v["stats"];
            add_usage(
                usage,
                tokens(&s["input_tokens"]),
                tokens(&s["cached"]),
                tokens(&s["output_tokens"]),
            );
            let is_error = v["status"].as_str().is_some_and(|s| s != "success");
            let mut out = Vec::new();
            if is_error {
                out.push(Entry::Error {
                    message: text_of(&v["error"]["message"]),
                });
            }
            // Gemini's result has no text: the answer is the last message.
            out.push(Entry::Result {
                text: String::new(),
                is_error,
            });
            Parsed::Entries(out)
        }
        _ => Parsed::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use crate::agent::kind::AgentKind;
    use crate::agent::parse::parse;
    use crate::agent::transcript::Entry;

    #[test]
    fn gemini_pieces_join_into_one_message_and_the_last_one_is_the_answer() {
        let text = r#"{"type":"init","session_id":"g1","model":"gemini-2.5-flash"}
{"type":"message","role":"user","content":"the prompt"}
{"type":"tool_use","tool_name":"mcp_baton_kanban_heartbeat","tool_id":"c1","parameters":{"note":"n"}}
{"type":"tool_result","tool_id":"c1","status":"success","output":"ok"}
{"type":"message","role":"assistant","content":"All ","delta":true}
{"type":"message","role":"assistant","content":"done.","delta":true}
{"type":"result","status":"success","stats":{"total_tokens":50,"input_tokens":40,"output_tokens":10,"cached":0}}"#;
        let t = parse(AgentKind::Gemini, text);
        assert_eq!(t.tool_calls(), ["mcp_baton_kanban_heartbeat"]);
        assert!(matches!(&t.entries[3], Entry::Message { text, .. } if text == "All done."));
        assert_eq!(t.final_text().as_deref(), Some("All done."));
        assert_eq!((t.usage.input_tokens, t.usage.output_tokens), (40, 10));
    }
}
