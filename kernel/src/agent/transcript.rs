//! A run's transcript: what the agent said and did, as typed entries parsed
//! from its CLI's JSON stream, with the usage it reported. The file on disk
//! is the stream itself (after one header line Baton writes), so the raw
//! form is always there and parsing improves without migrating anything.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Tool output beyond this many characters is cut, saying how much was.
pub const TOOL_OUTPUT_CHARS: usize = 4000;

/// One thing that happened in a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Entry {
    /// The agent started: its session id, model and CLI version.
    Session {
        id: Option<String>,
        model: Option<String>,
        version: Option<String>,
    },
    /// Text from the assistant (or the user, or the agent's reasoning).
    Message { role: String, text: String },
    /// A tool the agent called, with its input.
    ToolCall {
        id: Option<String>,
        name: String,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        input: Value,
    },
    /// What a tool gave back (cut to [`TOOL_OUTPUT_CHARS`]).
    ToolResult {
        id: Option<String>,
        output: String,
        is_error: bool,
        /// Characters cut from the output.
        omitted: usize,
    },
    /// An error the agent reported (an API error, a failed turn).
    Error { message: String },
    /// The agent's final answer.
    Result { text: String, is_error: bool },
    /// A line Baton could not read (not JSON) or does not know; kept as is.
    Raw { text: String },
}

impl Entry {
    pub fn tool_result(id: Option<String>, output: &str, is_error: bool) -> Entry {
        let total = output.chars().count();
        let (output, omitted) = if total > TOOL_OUTPUT_CHARS {
            (
                output.chars().take(TOOL_OUTPUT_CHARS).collect(),
                total - TOOL_OUTPUT_CHARS,
            )
        } else {
            (output.to_string(), 0)
        };
        Entry::ToolResult {
            id,
            output,
            is_error,
            omitted,
        }
    }
}

/// Tokens and money, as the agent reported them (summed over the run).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
    /// Only Claude Code reports a cost.
    pub cost_usd: Option<f64>,
    pub model: Option<String>,
}

/// A run's transcript, parsed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Transcript {
    pub task_id: String,
    pub run_id: i64,
    /// The agent kind that wrote it (`claude-code`, `codex`, `gemini`).
    pub agent: String,
    /// The index of the first entry given (for reading on from `since`).
    pub start: usize,
    /// Entries in the whole transcript.
    pub total: usize,
    pub entries: Vec<Entry>,
    pub usage: Usage,
    /// Lines that were not JSON.
    pub malformed: usize,
    /// JSON lines of a kind Baton does not know.
    pub unknown: usize,
    /// Size of the file.
    pub bytes: u64,
}

impl Transcript {
    /// The agent's final answer: its result, else its last message.
    pub fn final_text(&self) -> Option<String> {
        let result = self.entries.iter().rev().find_map(|e| match e {
            Entry::Result { text, .. } if !text.trim().is_empty() => Some(text.clone()),
            _ => None,
        });
        result.or_else(|| {
            self.entries.iter().rev().find_map(|e| match e {
                Entry::Message { role, text } if role == "assistant" && !text.trim().is_empty() => {
                    Some(text.clone())
                }
                _ => None,
            })
        })
    }

    /// The result entry, if the agent reached one.
    pub fn result(&self) -> Option<(&str, bool)> {
        self.entries.iter().rev().find_map(|e| match e {
            Entry::Result { text, is_error } => Some((text.as_str(), *is_error)),
            _ => None,
        })
    }

    /// The last error the agent reported.
    pub fn last_error(&self) -> Option<&str> {
        self.entries.iter().rev().find_map(|e| match e {
            Entry::Error { message } => Some(message.as_str()),
            _ => None,
        })
    }

    /// The names of the tools called, in order.
    pub fn tool_calls(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::ToolCall { name, .. } => Some(name.as_str()),
                _ => None,
            })
            .collect()
    }
}
