//! `baton hermes-run`: how a Hermes Agent run becomes a transcript.
//!
//! Hermes's one-shot mode (`hermes -z`) prints only its final answer and
//! has no JSON stream, but it keeps every session and exports one as
//! Claude Code JSON lines (`hermes sessions export --format trace`). So the
//! dispatcher starts this command instead of Hermes: it gives Hermes a home
//! of its own for the run (the user's config with Baton's MCP server as its
//! only one, their keys linked in), waits for it, then prints the session's
//! lines and a closing `result` line with the answer and the usage Hermes
//! reported. Its output is the transcript; it exits with Hermes's code.
//! The transcript therefore arrives when the run ends, not while it runs.

use crate::cli::HermesRunArgs;
use crate::error::{Error, Result};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The user's own Hermes home: `$HERMES_HOME`, else `~/.hermes`.
fn user_home() -> Option<PathBuf> {
    std::env::var_os("HERMES_HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".hermes")))
}

/// The run's config.yaml: the user's, then Baton's servers as a last
/// `mcp_servers` key. Hermes reads it with a YAML loader on which a later
/// key wins, so the user's servers give way for the run, as Claude Code's
/// `--strict-mcp-config` does; JSON is YAML, so the servers go in as JSON.
pub fn run_config(user_config: &str, servers: &Value) -> String {
    let mut text = user_config.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("# Added by Baton for this run: the board's tools, and only them.\n");
    text.push_str(&format!("mcp_servers: {servers}\n"));
    text
}

/// Makes the run's home: its config, and links to the user's keys and
/// logins so that refreshed tokens land in the user's own files.
fn prepare_home(a: &HermesRunArgs) -> Result<()> {
    let servers: Value = std::fs::read_to_string(&a.mcp)
        .map_err(|e| Error::io(format!("cannot read {}", a.mcp.display()), e))
        .and_then(|t| {
            serde_json::from_str(&t).map_err(|e| Error::Failed(format!("{}: {e}", a.mcp.display())))
        })?;
    std::fs::create_dir_all(&a.home)
        .map_err(|e| Error::io(format!("cannot create {}", a.home.display()), e))?;
    let user = user_home();
    let user_config = user
        .as_ref()
        .and_then(|u| std::fs::read_to_string(u.join("config.yaml")).ok())
        .unwrap_or_default();
    let config = a.home.join("config.yaml");
    std::fs::write(&config, run_config(&user_config, &servers))
        .map_err(|e| Error::io(format!("cannot write {}", config.display()), e))?;
    if let Some(user) = user {
        for name in [".env", "auth.json"] {
            let (from, to) = (user.join(name), a.home.join(name));
            if from.exists() && !to.exists() {
                std::os::unix::fs::symlink(&from, &to)
                    .map_err(|e| Error::io(format!("cannot link {}", to.display()), e))?;
            }
        }
    }
    Ok(())
}

/// The closing line: Claude Code's `result` shape, from Hermes's answer
/// and its usage file.
pub fn result_line(answer: &str, usage: &Value, exit_ok: bool) -> Value {
    let failed = !exit_ok || usage["failed"].as_bool().unwrap_or(false);
    let tokens = |k: &str| usage[k].as_u64().unwrap_or(0);
    let mut line = json!({
        "type": "result",
        "subtype": if failed { "error" } else { "success" },
        "is_error": failed,
        "result": answer.trim(),
        "session_id": usage["session_id"],
    });
    if usage.is_object() {
        line["usage"] = json!({
            "input_tokens": tokens("input_tokens"),
            "output_tokens": tokens("output_tokens"),
            "cache_read_input_tokens": tokens("cache_read_tokens"),
            "cache_creation_input_tokens": tokens("cache_write_tokens"),
        });
        // "unknown" means Hermes has no price for the model: say nothing
        // rather than a cost of zero.
        if usage["cost_status"] != "unknown" {
            line["total_cost_usd"] = usage["estimated_cost_usd"].clone();
        }
    }
    line
}

/// Runs Hermes for one run; returns the exit code to leave with.
pub fn run(a: &HermesRunArgs) -> Result<i32> {
    prepare_home(a)?;
    let usage_file = a.home.join("usage.json");
    let _ = std::fs::remove_file(&usage_file);
    let out = Command::new(&a.bin)
        .args(&a.args)
        .arg("--usage-file")
        .arg(&usage_file)
        .env("HERMES_HOME", &a.home)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| Error::io(format!("cannot start {}", a.bin), e))?;
    let answer = String::from_utf8_lossy(&out.stdout);
    let usage: Value = std::fs::read_to_string(&usage_file)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    let mut stdout = std::io::stdout().lock();
    let write_err = |e| Error::io("cannot write the transcript", e);
    if let Some(session) = usage["session_id"].as_str() {
        writeln!(
            stdout,
            "{}",
            json!({"type": "system", "subtype": "init", "session_id": session, "model": usage["model"]})
        )
        .map_err(write_err)?;
        stdout.flush().map_err(write_err)?;
        // The session's messages, tool calls and results, as Claude Code
        // lines, straight into the transcript.
        let exported = Command::new(&a.bin)
            .args([
                "sessions",
                "export",
                "--format",
                "trace",
                "--session-id",
                session,
                "-",
            ])
            .env("HERMES_HOME", &a.home)
            .stdin(Stdio::null())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit())
            .status();
        if !exported.is_ok_and(|s| s.success()) {
            eprintln!("baton: hermes could not export session {session}; the transcript has only its answer");
        }
    }
    let line = result_line(&answer, &usage, out.status.success());
    writeln!(stdout, "{line}").map_err(write_err)?;
    stdout.flush().map_err(write_err)?;
    Ok(out.status.code().unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_config_keeps_the_users_and_its_servers_win() {
        let servers = json!({"baton": {"command": "/bin/baton", "args": ["mcp"]}});
        let text = run_config("model:\n  default: x\nmcp_servers:\n  other: {}", &servers);
        assert!(text.starts_with("model:\n  default: x\nmcp_servers:\n  other: {}\n# Added"));
        assert!(text.ends_with(&format!("mcp_servers: {servers}\n")));
        assert!(run_config("", &servers).starts_with("# Added"));
    }

    #[test]
    fn the_result_line_carries_the_answer_usage_and_a_known_cost_only() {
        let usage = json!({"input_tokens": 10, "output_tokens": 3, "cache_read_tokens": 2,
            "cost_status": "unknown", "estimated_cost_usd": 0.0, "session_id": "s1", "failed": false});
        let line = result_line("Done.\n", &usage, true);
        assert_eq!(line["result"], "Done.");
        assert_eq!(line["is_error"], false);
        assert_eq!(line["usage"]["cache_read_input_tokens"], 2);
        assert!(line.get("total_cost_usd").is_none());
        let mut priced = usage.clone();
        priced["cost_status"] = json!("estimated");
        priced["estimated_cost_usd"] = json!(0.02);
        assert_eq!(result_line("x", &priced, false)["total_cost_usd"], 0.02);
        assert_eq!(result_line("x", &priced, false)["is_error"], true);
        // Hermes died before writing its usage: still a result.
        assert_eq!(result_line("", &Value::Null, false)["subtype"], "error");
    }
}
