//! Reading an agent's JSON stream into a [`Transcript`], one line at a time.
//! Each kind's event shapes live in its own module; fields Baton does not
//! use are ignored, so a CLI that adds fields keeps working, and a line that
//! is not JSON or not a known event is kept as raw text and counted.

mod aider;
mod claude;
mod codex;
mod copilot;
mod cursor;
mod gemini;
mod goose;
mod opencode;

use super::kind::AgentKind;
use super::transcript::{Entry, Transcript, Usage};
use serde_json::Value;
use std::collections::HashSet;

pub use copilot::{usage_file as copilot_usage_file, USAGE_FILE as COPILOT_USAGE_FILE};

/// The key of the header line Baton writes first in every transcript file.
pub const HEADER_KEY: &str = "baton_transcript";

/// What a kind's parser keeps between lines.
#[derive(Default)]
struct State {
    /// Claude Code repeats a message's usage on every content block line.
    counted: HashSet<String>,
    /// The run ended with a result that gave the run's totals.
    final_usage: bool,
    /// opencode names its session on every line; it is shown once.
    session_seen: bool,
    /// aider prints its version a line before its model.
    version: Option<String>,
    /// goose reported an error: its closing `complete` is a failure.
    failed: bool,
    /// Copilot's and goose's results carry no text: the last assistant
    /// message is it.
    last_text: String,
}

/// Turns lines into entries for one kind.
pub struct Parser {
    kind: AgentKind,
    state: State,
    transcript: Transcript,
}

/// What one line became.
enum Parsed {
    Entries(Vec<Entry>),
    /// A known event that carries nothing to show (e.g. `turn.started`).
    Nothing,
    /// Valid JSON, but no event Baton knows.
    Unknown,
}

impl Parser {
    pub fn new(kind: AgentKind) -> Parser {
        Parser {
            kind,
            state: State::default(),
            transcript: Transcript {
                agent: kind.as_str().to_string(),
                ..Default::default()
            },
        }
    }

    /// Reads one line of the stream (without its newline).
    pub fn line(&mut self, line: &str) {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            return;
        }
        let json = serde_json::from_str::<Value>(line);
        let header = json.as_ref().ok().filter(|v| v.get(HEADER_KEY).is_some());
        if header.is_none() && self.kind == AgentKind::Aider {
            // aider writes text, never JSON: every line is read as text.
            let parsed = aider::line(line, &mut self.transcript.usage, &mut self.state);
            self.take(parsed, line);
            return;
        }
        let Ok(v) = json else {
            self.transcript.malformed += 1;
            self.push_raw(line);
            return;
        };
        if v.get(HEADER_KEY).is_some() {
            if let Some(k) = v["agent"].as_str().and_then(AgentKind::parse) {
                self.kind = k;
                self.transcript.agent = k.as_str().to_string();
            }
            self.transcript.task_id = v["task"].as_str().unwrap_or_default().to_string();
            self.transcript.run_id = v["run"].as_i64().unwrap_or_default();
            return;
        }
        let usage = &mut self.transcript.usage;
        let parsed = match self.kind {
            // Qwen Code writes Claude Code's stream-json shape; Hermes's
            // session export (`--format trace`) is Claude Code's too.
            AgentKind::ClaudeCode | AgentKind::Qwen | AgentKind::Hermes => {
                claude::parse(&v, usage, &mut self.state)
            }
            AgentKind::Codex => codex::parse(&v, usage),
            AgentKind::Gemini => gemini::parse(&v, usage),
            AgentKind::Opencode => opencode::parse(&v, usage, &mut self.state),
            AgentKind::Copilot => copilot::parse(&v, &mut self.state),
            AgentKind::Cursor => cursor::parse(&v, usage, &mut self.state),
            AgentKind::Goose => goose::parse(&v, usage, &mut self.state),
            AgentKind::Command | AgentKind::Aider => Parsed::Unknown,
        };
        self.take(parsed, line);
    }

    fn take(&mut self, parsed: Parsed, line: &str) {
        match parsed {
            Parsed::Entries(entries) => {
                for e in entries {
                    self.push(e);
                }
            }
            Parsed::Nothing => {}
            Parsed::Unknown => {
                self.transcript.unknown += 1;
                self.push_raw(line);
            }
        }
    }

    /// Reads a whole stream.
    pub fn feed(&mut self, text: &str) {
        for line in text.lines() {
            self.line(line);
        }
    }

    fn push_raw(&mut self, line: &str) {
        self.push(Entry::Raw {
            text: crate::ellipsize(line, super::transcript::TOOL_OUTPUT_CHARS),
        });
    }

    /// Appends an entry; streamed pieces of one message become one entry.
    fn push(&mut self, e: Entry) {
        let entries = &mut self.transcript.entries;
        if let (
            Entry::Message { role, text },
            Some(Entry::Message {
                role: last_role,
                text: last_text,
            }),
        ) = (&e, entries.last_mut())
        {
            if role == last_role && self.kind == AgentKind::Gemini {
                last_text.push_str(text);
                return;
            }
            // aider's reply comes a line at a time.
            if role == last_role && self.kind == AgentKind::Aider {
                last_text.push('\n');
                last_text.push_str(text);
                return;
            }
        }
        entries.push(e);
    }

    pub fn finish(mut self) -> Transcript {
        self.transcript.total = self.transcript.entries.len();
        self.transcript
    }
}

/// Parses a whole stream of `kind`.
pub fn parse(kind: AgentKind, text: &str) -> Transcript {
    let mut p = Parser::new(kind);
    p.feed(text);
    p.finish()
}

/// A JSON number as tokens (absent or negative: 0).
fn tokens(v: &Value) -> u64 {
    v.as_u64().unwrap_or(0)
}

/// Text of a tool result: a string, or the text parts of a content array,
/// or the JSON itself.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(parts) => parts
            .iter()
            .map(|p| match p.get("text").and_then(Value::as_str) {
                Some(t) => t.to_string(),
                None => p.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => match other.get("content") {
            Some(c) if c.is_array() => text_of(c),
            _ => other.to_string(),
        },
    }
}

fn str_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// Normalises prompt tokens that include the cached ones (OpenAI, Gemini)
/// to Anthropic's shape, where input excludes cache reads.
fn add_usage(usage: &mut Usage, input_with_cached: u64, cached: u64, output: u64) {
    usage.input_tokens += input_with_cached.saturating_sub(cached);
    usage.cache_read_tokens += cached;
    usage.output_tokens += output;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_unknown_lines_are_kept_and_counted_never_fatal() {
        let text = "{\"baton_transcript\":1,\"agent\":\"codex\",\"task\":\"t_0000000a\",\"run\":2}\n\
                    not json at all\n\
                    {\"type\":\"thread.started\",\"thread_id\":\"th\"}\n\
                    {\"type\":\"something.new\",\"x\":1}\n\
                    {\"type\":\"item.completed\",\"item\":{\"type\":\"agent_message\",\"text\":\"hi\",\"new_field\":true}}\n\
                    {\"type\":\"item.compl";
        let t = parse(AgentKind::Command, text);
        assert_eq!(t.agent, "codex", "the header names the kind");
        assert_eq!((t.task_id.as_str(), t.run_id), ("t_0000000a", 2));
        assert_eq!(t.malformed, 2, "the garbage line and the cut-off last line");
        assert_eq!(t.unknown, 1);
        assert_eq!(t.final_text().as_deref(), Some("hi"));
        assert!(matches!(&t.entries[0], Entry::Raw { text } if text == "not json at all"));
    }

    #[test]
    fn long_tool_output_is_cut_saying_how_much() {
        let e = Entry::tool_result(None, &"x".repeat(5000), false);
        let Entry::ToolResult {
            output, omitted, ..
        } = e
        else {
            unreachable!()
        };
        assert_eq!((output.len(), omitted), (4000, 1000));
    }
}
