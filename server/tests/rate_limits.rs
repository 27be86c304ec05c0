//! Rate limits and failed logins as policy, through the real binary: a run
//! the provider turned away goes back to ready without counting toward the
//! circuit breaker, its profile pauses (until the reset time it gave, else
//! with backoff; a failed login until someone resumes it), the pause is
//! shown and explained, and a cap on requeues stops an endless loop. With a
//! command worker (exit code 75) and with Claude Code against a scripted
//! model that answers 429 and 401.

mod common;

use common::model::ModelServer;
use common::Baton;
use serde_json::Value;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// `baton daemon` on the board: the dispatcher is the workers' parent, so
/// it sees their exit codes (a one-shot `baton dispatch` cannot).
struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let _ = self.0.wait();
    }
}

fn daemon(b: &Baton) -> Daemon {
    Daemon(
        b.command()
            .args(["daemon", "--interval", "0.3"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    )
}

/// Polls (the daemon dispatches) until `f` holds on the task.
fn wait_task(b: &Baton, id: &str, what: &str, f: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = show(b, id);
        if f(&s) {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {s}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn config(b: &Baton, body: &str) {
    std::fs::create_dir_all(b.home()).unwrap();
    std::fs::write(b.home().join("config.toml"), body).unwrap();
}

fn show(b: &Baton, id: &str) -> Value {
    b.run(&["show", id, "--json"]).ok().json()
}

fn dispatch(b: &Baton) -> Value {
    b.run(&["dispatch", "--json"]).ok().json()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x["task_id"].as_str().unwrap().to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Dispatches until `f` holds on the task (or 60 s pass).
fn until(b: &Baton, id: &str, what: &str, f: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = show(b, id);
        if f(&s) {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {s}"
        );
        std::thread::sleep(Duration::from_millis(200));
        b.run(&["dispatch"]).ok();
    }
}

/// Fails its first attempt as rate-limited (exit 75, "retry after 3s"),
/// then completes.
const LIMITED_ONCE: &str = r#"n=$(cat .n 2>/dev/null || echo 0); n=$((n+1)); echo $n > .n
if [ "$n" -eq 1 ]; then echo "HTTP 429 Too Many Requests: retry after 3s" >&2; exit 75; fi
baton complete --summary "done on attempt $n""#;

#[test]
fn a_rate_limited_command_requeues_uncounted_pauses_its_profile_and_resumes_at_the_reset_time() {
    let b = Baton::new();
    config(
        &b,
        &format!(
            "[dispatcher]\nfailure_limit = 1\n\n[profiles.flaky]\ncommand = [\"sh\", \"-c\", {}]\n\n[profiles.steady]\ncommand = [\"sh\", \"-c\", \"baton complete --summary fine\"]\n",
            toml_string(LIMITED_ONCE)
        ),
    );
    let id = b.create("Fetch the report", &["--assignee", "flaky"]);
    let other = b.create("Unrelated", &["--assignee", "steady"]);
    let started = Instant::now();
    let _d = daemon(&b);
    let s = wait_task(&b, &id, "the rate-limited run to be recorded", |s| {
        s["runs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["outcome"] == "rate_limited")
    });
    assert_ne!(
        s["task"]["status"], "blocked",
        "not counted (the limit is 1): {s}"
    );
    assert_eq!(s["task"]["consecutive_failures"], 0, "{s}");
    let ev = s["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "rate_limited")
        .unwrap()
        .clone();
    assert_eq!(ev["payload"]["requeues"], 1, "{ev}");
    assert!(ev["payload"]["reset_at"].as_i64().is_some(), "{ev}");
    assert!(
        ev["payload"]["error"].as_str().unwrap().contains("429"),
        "{ev}"
    );
    // The profile is paused until the reset time the worker gave.
    let p = b.run(&["profiles", "show", "flaky", "--json"]).ok().json();
    if !p["paused"].is_null() {
        assert_eq!(p["paused"]["reason"], "rate_limit", "{p}");
        assert_eq!(p["paused"]["from_provider"], true, "{p}");
        assert_eq!(p["paused"]["task"], id.as_str());
        let text = b.run(&["profiles", "show", "flaky"]).ok().stdout;
        assert!(
            text.contains("paused:") && text.contains("rate-limited"),
            "{text}"
        );
        // Meanwhile its task waits and says why.
        let d = b.run(&["diagnostics", "--task", &id, "--json"]).ok().json();
        if show(&b, &id)["task"]["status"] == "ready" {
            assert!(d.to_string().contains("profile_paused"), "{d}");
            assert!(d.to_string().contains("baton profiles resume flaky"), "{d}");
        }
    } else {
        assert!(
            started.elapsed() >= Duration::from_secs(2),
            "the pause ended early: {p}"
        );
    }
    // Other profiles run meanwhile.
    wait_task(&b, &other, "the other profile's task to finish", |s| {
        s["task"]["status"] == "done"
    });
    // After the reset time it starts again, and finishes.
    let s = wait_task(&b, &id, "the task to be done after the pause", |s| {
        s["task"]["status"] == "done"
    });
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "it waited for the reset time"
    );
    let runs = s["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{s}");
    assert_eq!(runs[1]["summary"], "done on attempt 2");
    assert!(b
        .run(&["profiles", "show", "flaky", "--json"])
        .ok()
        .json()
        .get("paused")
        .is_none());
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn a_limit_that_never_lifts_is_capped_and_resume_ends_a_pause_early() {
    let b = Baton::new();
    config(
        &b,
        "[dispatcher]\nrate_limit_requeues = 2\n\n[profiles.walled]\ncommand = [\"sh\", \"-c\", \"echo 'You have hit your usage limit' >&2; exit 75\"]\n",
    );
    let id = b.create("Never gets through", &["--assignee", "walled"]);
    let _d = daemon(&b);
    wait_task(&b, &id, "the first rate-limited run", |s| {
        s["runs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["outcome"] == "rate_limited")
    });
    // No reset time: backoff, a minute for the first pause.
    let p = b.run(&["profiles", "show", "walled", "--json"]).ok().json();
    let (since, until_at) = (
        p["paused"]["since"].as_i64().unwrap(),
        p["paused"]["until"].as_i64().unwrap(),
    );
    assert_eq!(until_at - since, 60, "{p}");
    assert_eq!(p["paused"]["from_provider"], false);
    // Resume ends it now; the task starts again and hits the wall again.
    let out = b.run(&["profiles", "resume", "walled"]).ok().stdout;
    assert!(out.contains("Resumed walled"), "{out}");
    assert!(b
        .run(&["profiles", "resume", "walled"])
        .ok()
        .stdout
        .contains("was not paused"));
    let s = wait_task(&b, &id, "the task to be blocked at the cap", |s| {
        s["task"]["status"] == "blocked"
    });
    let runs = s["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert!(runs.iter().all(|r| r["outcome"] == "rate_limited"), "{s}");
    assert!(
        runs[1]["summary"]
            .as_str()
            .unwrap()
            .contains("rate-limited 2 times in a row"),
        "the card says why: {s}"
    );
    assert_eq!(s["task"]["consecutive_failures"], 0);
    // An unknown profile cannot be resumed.
    let r = b.run(&["profiles", "resume", "nobody"]);
    assert_ne!(r.code, 0);
}

#[test]
fn claude_code_behind_429_and_401_pauses_its_profile_and_counts_no_failure() {
    let Some(bin) = std::env::var_os("BATON_CLAUDE_BIN").map(std::path::PathBuf::from) else {
        assert!(
            std::env::var_os("BATON_REQUIRE_AGENTS").is_none(),
            "BATON_CLAUDE_BIN is required"
        );
        return;
    };
    let model = ModelServer::start();
    let b = Baton::new_private();
    std::fs::create_dir_all(b.home()).unwrap();
    let home = b.path("claude-home");
    std::fs::create_dir_all(&home).unwrap();
    let env = [
        ("ANTHROPIC_BASE_URL", model.url.clone()),
        ("ANTHROPIC_API_KEY", "sk-scripted".to_string()),
        ("CLAUDE_CODE_MAX_RETRIES", "0".to_string()),
        ("DISABLE_AUTOUPDATER", "1".to_string()),
        ("DISABLE_TELEMETRY", "1".to_string()),
        ("DISABLE_ERROR_REPORTING", "1".to_string()),
        ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1".to_string()),
        ("HOME", home.display().to_string()),
    ];
    let mut cfg = String::from("[dispatcher]\nfailure_limit = 1\n");
    for name in ["limited", "locked"] {
        cfg.push_str(&format!(
            "\n[profiles.{name}]\nkind = \"claude-code\"\nbin = {}\non_exit = \"complete\"\n\n[profiles.{name}.env]\n",
            toml_string(&bin.display().to_string())
        ));
        for (k, v) in &env {
            cfg.push_str(&format!("{k} = {}\n", toml_string(v)));
        }
    }
    config(&b, &cfg);
    let limited = b.create(
        "Summarise the logs",
        &["--assignee", "limited", "--body", "SCRIPT:rate-limit"],
    );
    let locked = b.create(
        "Summarise the other logs",
        &["--assignee", "locked", "--body", "SCRIPT:bad-key"],
    );
    dispatch(&b);
    let s = until(&b, &limited, "the 429 to be recorded", |s| {
        s["runs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["outcome"] == "rate_limited")
    });
    assert_eq!(s["task"]["status"], "ready", "{s}");
    assert_eq!(s["task"]["consecutive_failures"], 0, "{s}");
    let p = b
        .run(&["profiles", "show", "limited", "--json"])
        .ok()
        .json();
    assert_eq!(p["paused"]["reason"], "rate_limit", "{p}");
    let wait = p["paused"]["until"].as_i64().unwrap() - p["paused"]["since"].as_i64().unwrap();
    assert!(
        (1..=5).contains(&wait),
        "the reset time the provider gave (3 s): {p}"
    );

    let s = until(&b, &locked, "the 401 to be recorded", |s| {
        s["runs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["outcome"] == "auth_failed")
    });
    assert_eq!(s["task"]["status"], "ready", "{s}");
    let p = b.run(&["profiles", "show", "locked", "--json"]).ok().json();
    assert_eq!(p["paused"]["reason"], "auth", "{p}");
    assert!(
        p["paused"]["until"].is_null(),
        "until someone resumes it: {p}"
    );
    let d = b
        .run(&["diagnostics", "--task", &locked, "--json"])
        .ok()
        .json()
        .to_string();
    assert!(d.contains("its login failed"), "{d}");
    // One pause, not a blocked task per attempt: the next pass leaves it.
    let r = dispatch(&b);
    assert!(ids(&r["skipped_paused"]).contains(&locked), "{r}");
    assert_eq!(show(&b, &locked)["runs"].as_array().unwrap().len(), 1);
}
