//! Where a run's agent files live: its transcript (the CLI's JSON stream
//! after a header line Baton writes) and the configuration written for it.
//!
//! `<board>/transcripts/<task>/<run>.jsonl` and `<board>/agents/<task>/<run>/`.

use super::kind::AgentKind;
use super::parse::{self, HEADER_KEY};
use super::transcript::Transcript;
use crate::Home;
use std::path::PathBuf;

pub fn transcripts_dir(home: &Home, slug: &str, task: &str) -> PathBuf {
    home.board_dir(slug).join("transcripts").join(task)
}

pub fn transcript_path(home: &Home, slug: &str, task: &str, run: i64) -> PathBuf {
    transcripts_dir(home, slug, task).join(format!("{run}.jsonl"))
}

/// The folder for a run's generated configuration (MCP config, settings).
pub fn run_dir(home: &Home, slug: &str, task: &str, run: i64) -> PathBuf {
    home.board_dir(slug)
        .join("agents")
        .join(task)
        .join(run.to_string())
}

/// The first line of a transcript: which agent wrote the rest, for which run.
pub fn header(kind: AgentKind, task: &str, run: i64, started: i64) -> String {
    serde_json::json!({
        HEADER_KEY: 1,
        "agent": kind.as_str(),
        "task": task,
        "run": run,
        "started_at": started,
    })
    .to_string()
        + "\n"
}

/// The runs of `task` that have a transcript, oldest first.
pub fn runs(home: &Home, slug: &str, task: &str) -> Vec<i64> {
    let mut runs: Vec<i64> = std::fs::read_dir(transcripts_dir(home, slug, task))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".jsonl")?.parse().ok())
        .collect();
    runs.sort_unstable();
    runs
}

/// Parses one run's transcript; `None` if it has none.
pub fn parse_file(
    home: &Home,
    slug: &str,
    task: &str,
    run: i64,
) -> std::io::Result<Option<Transcript>> {
    let path = transcript_path(home, slug, task, run);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut t = parse::parse(AgentKind::Command, &String::from_utf8_lossy(&bytes));
    t.bytes = bytes.len() as u64;
    if t.task_id.is_empty() {
        t.task_id = task.to_string();
        t.run_id = run;
    }
    // Copilot's stream has no token counts; it writes them to a file in
    // the run's directory when it exits.
    if t.agent == AgentKind::Copilot.as_str() {
        let file = run_dir(home, slug, task, run).join(parse::COPILOT_USAGE_FILE);
        if let Some(v) = std::fs::read(file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
        {
            parse::copilot_usage_file(&v, &mut t.usage);
        }
    }
    Ok(Some(t))
}

/// A run's transcript (default: the latest run that has one) from entry
/// `since` on; `None` if there is none.
pub fn read(
    home: &Home,
    slug: &str,
    task: &str,
    run: Option<i64>,
    since: usize,
) -> std::io::Result<Option<Transcript>> {
    let Some(run) = run.or_else(|| runs(home, slug, task).last().copied()) else {
        return Ok(None);
    };
    let Some(mut t) = parse_file(home, slug, task, run)? else {
        return Ok(None);
    };
    let start = since.min(t.entries.len());
    t.entries.drain(..start);
    t.start = start;
    Ok(Some(t))
}
