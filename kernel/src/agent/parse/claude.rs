//! Claude Code's `--output-format stream-json --verbose` lines (Qwen Code's
//! `-o stream-json` has the same shape): `system`
//! (init), `assistant` and `user` messages one content block per line, and
//! the closing `result` with the run's usage and cost.

use super::{str_of, text_of, tokens, Parsed, State};
use crate::agent::transcript::{Entry, Usage};
use serde_json::Value;

pub(super) fn parse(v: &Value, usage: &mut Usage, state: &mut State) -> Parsed {
    match v["type"].as_str().unwrap_or_default() {
        "system" if v["subtype"] == "init" => {
            usage.model = str_of(&v["model"]);
            Parsed::Entries(vec![Entry::Session {
                id: str_of(&v["session_id"]),
                model: str_of(&v["model"]),
                version: str_of(&v["claude_code_version"])
                    .or_else(|| str_of(&v["qwen_code_version"])),
            }])
        }
        "system" => Parsed::Nothing,
        "assistant" => {
            let message = &v["message"];
            let id = message["id"].as_str().unwrap_or_default().to_string();
            if !state.final_usage && state.counted.insert(id) {
                let u = &message["usage"];
                usage.input_tokens += tokens(&u["input_tokens"]);
                usage.output_tokens += tokens(&u["output_tokens"]);
                usage.cache_read_tokens += tokens(&u["cache_read_input_tokens"]);
                usage.cache_write_tokens += tokens(&u["cache_creation_input_tokens"]);
            }
            let mut out = Vec::new();
            for block in message["content"].as_array().into_iter().flatten() {
                match block["type"].as_str().unwrap_or_default() {
                    "text" => out.push(Entry::Message {
                        role: "assistant".into(),
                        text: block["text"].as_str().unwrap_or_default().to_string(),
                    }),
                    "thinking" => out.push(Entry::Message {
                        role: "thinking".into(),
                        text: block["thinking"].as_str().unwrap_or_default().to_string(),
                    }),
                    "tool_use" => out.push(Entry::ToolCall {
                        id: str_of(&block["id"]),
                        name: block["name"].as_str().unwrap_or_default().to_string(),
                        input: block["input"].clone(),
                    }),
                    _ => {}
                }
            }
            Parsed::Entries(out)
        }
        "user" => {
            let mut out = Vec::new();
            for block in v["message"]["content"].as_array().into_iter().flatten() {
                if block["type"] == "tool_result" {
                    out.push(Entry::tool_result(
                        str_of(&block["tool_use_id"]),
                        &text_of(&block["content"]),
                        block["is_error"].as_bool().unwrap_or(false),
                    ));
                }
            }
            Parsed::Entries(out)
        }
        "result" => {
            let u = &v["usage"];
            if u.is_object() {
                // The run's totals replace what the messages added up to.
                *usage = Usage {
                    input_tokens: tokens(&u["input_tokens"]),
                    output_tokens: tokens(&u["output_tokens"]),
                    cache_read_tokens: tokens(&u["cache_read_input_tokens"]),
                    cache_write_tokens: tokens(&u["cache_creation_input_tokens"]),
                    cost_usd: v["total_cost_usd"].as_f64(),
                    model: usage.model.take(),
                };
                state.final_usage = true;
            }
            let is_error = v["is_error"].as_bool().unwrap_or(false);
            let text = match v["result"].as_str() {
                Some(t) => t.to_string(),
                None => v["subtype"].as_str().unwrap_or_default().to_string(),
            };
            let mut out = Vec::new();
            if is_error {
                out.push(Entry::Error {
                    message: match v["api_error_status"].as_i64() {
                        Some(status) => format!("API error {status}: {text}"),
                        None => text.clone(),
                    },
                });
            }
            out.push(Entry::Result { text, is_error });
            Parsed::Entries(out)
        }
        "stream_event" | "rate_limit_event" => Parsed::Nothing,
        _ => Parsed::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use crate::agent::kind::AgentKind;
    use crate::agent::parse::parse;
    use crate::agent::transcript::Entry;

    #[test]
    fn a_claude_stream_becomes_calls_results_and_usage_counted_once() {
        let text = r#"{"type":"system","subtype":"init","session_id":"s1","model":"claude-x","claude_code_version":"2.1.332","tools":[]}
{"type":"assistant","message":{"id":"m1","content":[{"type":"text","text":"Looking."}],"usage":{"input_tokens":10,"output_tokens":2}}}
{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","id":"tu1","name":"mcp__baton__kanban_show","input":{}}],"usage":{"input_tokens":10,"output_tokens":2}}}
{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"tu1","content":[{"type":"text","text":"task t_1"}],"is_error":false}]}}
{"type":"result","subtype":"success","is_error":false,"result":"All done.","total_cost_usd":0.25,"usage":{"input_tokens":30,"output_tokens":7,"cache_read_input_tokens":5,"cache_creation_input_tokens":1}}"#;
        let t = parse(AgentKind::ClaudeCode, text);
        assert_eq!(t.tool_calls(), ["mcp__baton__kanban_show"]);
        assert!(matches!(&t.entries[3], Entry::ToolResult { output, .. } if output == "task t_1"));
        assert_eq!(t.final_text().as_deref(), Some("All done."));
        assert_eq!((t.usage.input_tokens, t.usage.output_tokens), (30, 7));
        assert_eq!(t.usage.cost_usd, Some(0.25));
        assert_eq!(t.usage.model.as_deref(), Some("claude-x"));
        assert_eq!((t.malformed, t.unknown), (0, 0));

        let cut = parse(
            AgentKind::ClaudeCode,
            &text[..text.find("{\"type\":\"result\"").unwrap()],
        );
        assert_eq!(cut.usage.input_tokens, 10, "one message, counted once");
        assert_eq!(cut.result(), None);
    }
}
