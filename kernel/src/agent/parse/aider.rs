//! aider's plain output (`--no-pretty`): it has no JSON stream, so each line
//! is read for what aider says about itself — its version and model, the
//! tokens and cost of each exchange, the edits it applied and the commits it
//! made — and the rest is the model's reply, one message per stretch of
//! lines. Start-up chatter (the repository, the repo map, files added to
//! the chat, network warnings) is known and shown as nothing.

use super::{Parsed, State};
use crate::agent::transcript::{Entry, Usage};
use serde_json::json;

/// What aider prints about its own start that a transcript need not show.
const CHATTER: &[&str] = &[
    "Git repo:",
    "Repo-map:",
    "Added ",
    "Warning",
    "HTTPSConnectionPool",
    "https://aider.chat",
    "Analytics",
    "Update git",
    "Main model:",
    "Weak model:",
    "Editor model:",
    "Cur working dir:",
    "Note:",
    "Committing ",
    "You can skip this check",
    "Newer aider version",
    "Run pip install",
    "Creating empty file",
];

pub(super) fn line(line: &str, usage: &mut Usage, state: &mut State) -> Parsed {
    let text = line.trim_end();
    let entries = if text.trim().is_empty() {
        return Parsed::Nothing;
    } else if let Some(v) = text.strip_prefix("Aider v") {
        state.version = Some(v.trim().to_string());
        return Parsed::Nothing;
    } else if let Some(rest) = text.strip_prefix("Model: ") {
        let model = rest
            .split(" with ")
            .next()
            .unwrap_or(rest)
            .trim()
            .to_string();
        usage.model = Some(model.clone());
        vec![Entry::Session {
            id: None,
            model: Some(model),
            version: state.version.take(),
        }]
    } else if let Some(rest) = text.strip_prefix("Tokens: ") {
        add_tokens(rest, usage);
        return Parsed::Nothing;
    } else if let Some(file) = text.strip_prefix("Applied edit to ") {
        vec![
            Entry::ToolCall {
                id: None,
                name: "edit".into(),
                input: json!({ "file": file.trim() }),
            },
            Entry::tool_result(None, text, false),
        ]
    } else if let Some(rest) = text.strip_prefix("Commit ") {
        let (hash, message) = rest.split_once(' ').unwrap_or((rest, ""));
        vec![
            Entry::ToolCall {
                id: None,
                name: "commit".into(),
                input: json!({ "hash": hash, "message": message }),
            },
            Entry::tool_result(None, text, false),
        ]
    } else if text.starts_with("Did not apply edit")
        || text.starts_with("The LLM did not conform")
        || text.starts_with("litellm.")
        || text.contains("Error:")
    {
        vec![Entry::Error {
            message: text.to_string(),
        }]
    } else if CHATTER.iter().any(|p| text.starts_with(p)) {
        return Parsed::Nothing;
    } else {
        vec![Entry::Message {
            role: "assistant".into(),
            text: text.to_string(),
        }]
    };
    Parsed::Entries(entries)
}

/// `744 sent, 1.2k cache write, 3.4k cache hit, 31 received. Cost: $0.01
/// message, $0.03 session.` — counts with aider's k/M suffixes; the cost of
/// this message (the session's is the running total).
fn add_tokens(rest: &str, usage: &mut Usage) {
    let (counts, cost) = rest.split_once("Cost:").unwrap_or((rest, ""));
    for part in counts.trim_end_matches(['.', ' ']).split(',') {
        let part = part.trim();
        let Some((n, what)) = part.split_once(' ') else {
            continue;
        };
        let n = count(n);
        match what.trim_end_matches('.') {
            "sent" => usage.input_tokens += n,
            "received" => usage.output_tokens += n,
            "cache write" => usage.cache_write_tokens += n,
            "cache hit" => usage.cache_read_tokens += n,
            _ => {}
        }
    }
    if let Some(c) = cost
        .split(',')
        .find(|p| p.contains("message"))
        .and_then(|p| p.trim().trim_start_matches('$').split(' ').next())
        .and_then(|n| n.parse::<f64>().ok())
    {
        *usage.cost_usd.get_or_insert(0.0) += c;
    }
}

/// `744`, `2.4k`, `24k`, `1.2M` as a count.
fn count(s: &str) -> u64 {
    let s = s.trim();
    let (num, scale) = match s.chars().last() {
        Some('k') => (&s[..s.len() - 1], 1_000.0),
        Some('M') => (&s[..s.len() - 1], 1_000_000.0),
        _ => (s, 1.0),
    };
    num.parse::<f64>().map_or(0, |n| (n * scale).round() as u64)
}

#[cfg(test)]
mod tests {
    use crate::agent::kind::AgentKind;
    use crate::agent::parse::parse;
    use crate::agent::transcript::Entry;

    /// Lines as aider 0.86.2 printed them against the scripted server.
    #[test]
    fn aider_output_becomes_its_reply_edits_commits_and_usage() {
        let text =
            "{\"baton_transcript\":1,\"agent\":\"aider\",\"task\":\"t_0000000a\",\"run\":1}\n\
\n\
HTTPSConnectionPool(host='raw.githubusercontent.com', port=443): Max retries exceeded\n\
Aider v0.86.2\n\
Model: openai/scripted with whole edit format\n\
Git repo: .git with 1 files\n\
Repo-map: using 1024 tokens, auto refresh\n\
Added guidance.md to the chat (read-only).\n\
\n\
calc.py\n\
```python\n\
def add(a, b):\n\
\x20   return a + b\n\
```\n\
The add function now returns the sum of its arguments.\n\
Tokens: 2.4k sent, 1.2k cache hit, 31 received. Cost: $0.0125 message, $0.0300 session.\n\
Applied edit to calc.py\n\
Commit 6192903 fix: return the sum from add\n\
{\"not\": \"json to aider\"}\n";
        let t = parse(AgentKind::Command, text);
        assert_eq!(t.agent, "aider");
        assert!(matches!(
            &t.entries[0],
            Entry::Session { model: Some(m), version: Some(v), .. } if m == "openai/scripted" && v == "0.86.2"
        ));
        assert_eq!(t.tool_calls(), ["edit", "commit"]);
        let said: Vec<&str> = t
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::Message { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            said[0],
            "calc.py\n```python\ndef add(a, b):\n    return a + b\n```\nThe add function now returns the sum of its arguments."
        );
        assert_eq!(said[1], "{\"not\": \"json to aider\"}");
        assert_eq!(t.usage.input_tokens, 2400);
        assert_eq!(t.usage.cache_read_tokens, 1200);
        assert_eq!(t.usage.output_tokens, 31);
        assert!((t.usage.cost_usd.unwrap() - 0.0125).abs() < 1e-9);
        assert_eq!((t.malformed, t.unknown), (0, 0));
    }
}
