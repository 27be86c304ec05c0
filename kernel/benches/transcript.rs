//! Transcript parsing benchmark: how fast each agent's JSON stream becomes
//! typed entries, on transcripts made by repeating what the real CLIs wrote
//! (the recordings in end2end/fixtures/transcripts) to 10,000+ entries.
//!
//! Run: `cargo bench -p kernel --bench transcript`.

use kernel::agent::parse::parse;
use kernel::agent::AgentKind;
use std::time::Instant;

fn main() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../end2end/fixtures/transcripts"
    );
    println!("| agent | entries | size | parse (median of 5) | throughput |");
    println!("|---|---:|---:|---:|---:|");
    for (kind, file) in [
        (AgentKind::ClaudeCode, "claude-code.jsonl"),
        (AgentKind::Codex, "codex.jsonl"),
        (AgentKind::Gemini, "gemini.jsonl"),
        (AgentKind::Qwen, "qwen.jsonl"),
        (AgentKind::Hermes, "hermes.jsonl"),
        (AgentKind::Opencode, "opencode.jsonl"),
        (AgentKind::Copilot, "copilot.jsonl"),
        (AgentKind::Aider, "aider.jsonl"),
    ] {
        let recorded = std::fs::read_to_string(format!("{dir}/{file}")).expect("the recordings");
        // Everything after Baton's header, repeated.
        let body: String = recorded.lines().skip(1).map(|l| format!("{l}\n")).collect();
        let mut text = String::new();
        while parse(kind, &text).entries.len() < 10_000 {
            for _ in 0..100 {
                text.push_str(&body);
            }
        }
        let mut times = Vec::new();
        let mut entries = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let parsed = std::hint::black_box(parse(kind, &text));
            times.push(t.elapsed());
            entries = parsed.entries.len();
        }
        times.sort();
        let median = times[2];
        let mb = text.len() as f64 / 1e6;
        println!(
            "| {} | {entries} | {mb:.1} MB | {:.1} ms | {:.0} MB/s |",
            kind.as_str(),
            median.as_secs_f64() * 1e3,
            mb / median.as_secs_f64()
        );
    }
}
