//! opencode's `run --format json` lines: one event per finished part of the
//! session. Steps start and finish (a finished step carries its tokens and
//! cost); text parts are the assistant's words; a `tool_use` event is one
//! tool call with its input and its output or error together.

use super::{str_of, text_of, tokens, Parsed, State};
use crate::agent::transcript::{Entry, Usage};
use serde_json::Value;

pub(super) fn parse(v: &Value, usage: &mut Usage, state: &mut State) -> Parsed {
    let part = &v["part"];
    let mut out = Vec::new();
    // Every event names the session; the first one opens the transcript.
    if !state.session_seen {
        if let Some(id) = str_of(&v["sessionID"]) {
            state.session_seen = true;
            out.push(Entry::Session {
                id: Some(id),
                model: None,
                version: None,
            });
        }
    }
    match v["type"].as_str().unwrap_or_default() {
        "step_start" => {}
        "text" => out.push(Entry::Message {
            role: "assistant".into(),
            text: part["text"].as_str().unwrap_or_default().to_string(),
        }),
        "reasoning" => out.push(Entry::Message {
            role: "thinking".into(),
            text: part["text"].as_str().unwrap_or_default().to_string(),
        }),
        "tool_use" => {
            let s = &part["state"];
            let id = str_of(&part["callID"]);
            out.push(Entry::ToolCall {
                id: id.clone(),
                name: part["tool"].as_str().unwrap_or_default().to_string(),
                input: s["input"].clone(),
            });
            match s["status"].as_str().unwrap_or_default() {
                "completed" => out.push(Entry::tool_result(id, &text_of(&s["output"]), false)),
                "error" => out.push(Entry::tool_result(id, &text_of(&s["error"]), true)),
                _ => {}
            }
        }
        "step_finish" => {
            let t = &part["tokens"];
            usage.input_tokens += tokens(&t["input"]);
            usage.output_tokens += tokens(&t["output"]);
            usage.cache_read_tokens += tokens(&t["cache"]["read"]);
            usage.cache_write_tokens += tokens(&t["cache"]["write"]);
            if let Some(c) = part["cost"].as_f64() {
                *usage.cost_usd.get_or_insert(0.0) += c;
            }
            // A step that ends for any reason but more tool calls ends the
            // run's turn: its text is the last assistant message.
            if part["reason"] != "tool-calls" {
                out.push(Entry::Result {
                    text: String::new(),
                    is_error: part["reason"] == "error",
                });
            }
        }
        "error" => {
            let e = &v["error"];
            let message = e["data"]["message"]
                .as_str()
                .or_else(|| e["message"].as_str())
                .map(str::to_string)
                .unwrap_or_else(|| e.to_string());
            out.push(Entry::Error { message });
        }
        _ if out.is_empty() => return Parsed::Unknown,
        _ => {}
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

    /// Lines as opencode 1.18.33 wrote them against the scripted server.
    #[test]
    fn an_opencode_stream_becomes_calls_results_usage_and_a_result() {
        let text = r#"{"type":"step_start","timestamp":1,"sessionID":"ses_1","part":{"id":"p1","messageID":"m1","sessionID":"ses_1","type":"step-start"}}
{"type":"tool_use","timestamp":2,"sessionID":"ses_1","part":{"type":"tool","tool":"baton_kanban_show","callID":"call_0","state":{"status":"completed","input":{},"output":"task t_1","time":{"start":1,"end":2}},"id":"p2","sessionID":"ses_1","messageID":"m1"}}
{"type":"tool_use","timestamp":2,"sessionID":"ses_1","part":{"type":"tool","tool":"bash","callID":"call_1","state":{"status":"error","input":{"command":"false"},"error":"exit 1"},"id":"p3"}}
{"type":"step_finish","timestamp":3,"sessionID":"ses_1","part":{"type":"step-finish","reason":"tool-calls","tokens":{"total":13,"input":10,"output":3,"reasoning":0,"cache":{"write":1,"read":2}},"cost":0.01}}
{"type":"step_start","timestamp":4,"sessionID":"ses_1","part":{"type":"step-start"}}
{"type":"text","timestamp":5,"sessionID":"ses_1","part":{"type":"text","text":"All done."}}
{"type":"step_finish","timestamp":6,"sessionID":"ses_1","part":{"type":"step-finish","reason":"stop","tokens":{"input":20,"output":4,"cache":{"write":0,"read":0}},"cost":0.02}}"#;
        let t = parse(AgentKind::Opencode, text);
        assert!(matches!(&t.entries[0], Entry::Session { id: Some(id), .. } if id == "ses_1"));
        assert_eq!(t.tool_calls(), ["baton_kanban_show", "bash"]);
        assert!(
            matches!(&t.entries[2], Entry::ToolResult { output, is_error: false, .. } if output == "task t_1")
        );
        assert!(matches!(
            &t.entries[4],
            Entry::ToolResult { is_error: true, .. }
        ));
        assert_eq!(t.final_text().as_deref(), Some("All done."));
        assert!(t.result().is_some());
        assert_eq!((t.usage.input_tokens, t.usage.output_tokens), (30, 7));
        assert_eq!(
            (t.usage.cache_read_tokens, t.usage.cache_write_tokens),
            (2, 1)
        );
        assert!((t.usage.cost_usd.unwrap() - 0.03).abs() < 1e-9);
        assert_eq!((t.malformed, t.unknown), (0, 0));
    }
}
