//! The dispatcher with real worker processes: shell scripts that call back
//! into the board with `baton`, started by `baton dispatch`, `baton daemon`
//! and `baton serve`.

mod common;

use common::Baton;
use serde_json::Value;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A worker script: heartbeats, optionally sleeps, then completes.
const WORKER: &str = r#"#!/bin/sh
echo "worker for $BATON_TASK run $BATON_RUN in $PWD profile $BATON_PROFILE skills=$BATON_SKILLS"
baton heartbeat --note "starting" || exit 3
if [ -n "$MARKERS" ]; then
  touch "$MARKERS/$BATON_TASK"
  echo "$(ls "$MARKERS" | wc -l) $(baton list --status running --json | grep -c '"id"')" >> "$MARKERS.counts"
fi
[ -n "$SLEEP" ] && sleep "$SLEEP"
[ -n "$MARKERS" ] && rm -f "$MARKERS/$BATON_TASK"
[ -n "$RECORD" ] && echo "$BATON_TASK" >> "$RECORD"
baton complete --summary "done by $BATON_PROFILE" --metadata '{"worker": "sh"}'
"#;

fn write_worker(b: &Baton) -> String {
    let path = b.path("worker.sh");
    std::fs::write(&path, WORKER).unwrap();
    path.display().to_string()
}

fn config(b: &Baton, body: &str) {
    std::fs::create_dir_all(b.home()).unwrap();
    std::fs::write(b.home().join("config.toml"), body).unwrap();
}

fn show(b: &Baton, id: &str) -> Value {
    b.run(&["show", id, "--json"]).ok().json()
}

/// Polls until `f` holds or the deadline passes.
fn wait_for(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn status(b: &Baton, id: &str) -> String {
    show(b, id)["task"]["status"].as_str().unwrap().to_string()
}

struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let _ = self.0.wait();
    }
}

fn daemon(b: &Baton, extra: &[&str]) -> Daemon {
    let mut args = vec!["daemon", "--interval", "0.3"];
    args.extend_from_slice(extra);
    Daemon(
        b.command()
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    )
}

#[test]
fn a_worker_is_started_heartbeats_and_completes() {
    let b = Baton::new();
    let worker = write_worker(&b);
    config(
        &b,
        &format!("[profiles.coder]\ncommand = [\"sh\", \"{worker}\", \"{{task}}\"]\n"),
    );
    let id = b.create(
        "Parse the logs",
        &["--assignee", "coder", "--skill", "rust", "--skill", "logs"],
    );
    let out = b.run(&["dispatch", "--json"]).ok().json();
    assert_eq!(out["spawned"][0]["task_id"], id.as_str());
    let pid = out["spawned"][0]["pid"].as_u64().unwrap();
    assert!(pid > 0);
    wait_for("the worker to complete", Duration::from_secs(20), || {
        status(&b, &id) == "done"
    });
    let d = show(&b, &id);
    assert_eq!(d["runs"][0]["summary"], "done by coder");
    assert_eq!(d["runs"][0]["metadata"]["worker"], "sh");
    assert_eq!(
        d["runs"][0]["worker_pid"],
        Value::Null,
        "cleared when the run closed"
    );
    let kinds: Vec<&str> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["created", "claimed", "spawned", "heartbeat", "completed"]
    );
    let log = b.run(&["log", &id]).ok().stdout;
    assert!(log.contains(&format!("worker for {id} run")), "{log}");
    assert!(log.contains("skills=rust,logs"), "{log}");
    let ws = d["task"]["workspace_path"].as_str().unwrap();
    assert!(
        log.contains(&format!("in {ws}")),
        "cwd is the workspace: {log}"
    );
    // The next pass sees the exited worker and does not call it a crash.
    let again = b.run(&["dispatch", "--json"]).ok().json();
    assert!(again["crashed"].as_array().unwrap().is_empty());
}

#[test]
fn a_killed_worker_is_detected_and_the_task_retried() {
    let b = Baton::new();
    config(&b, "[profiles.sleeper]\ncommand = [\"sleep\", \"60\"]\n");
    let id = b.create("x", &["--assignee", "sleeper"]);
    let first = b.run(&["dispatch", "--json"]).ok().json();
    let pid = first["spawned"][0]["pid"].as_i64().unwrap();
    // SAFETY: killing the worker we just started.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    std::thread::sleep(Duration::from_millis(300));
    let second = b.run(&["dispatch", "--json"]).ok().json();
    assert_eq!(second["crashed"][0], id.as_str());
    assert_eq!(
        second["spawned"][0]["task_id"],
        id.as_str(),
        "retried in the same pass"
    );
    let d = show(&b, &id);
    let runs = d["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["outcome"], "crashed");
    assert!(
        runs[0]["error"]
            .as_str()
            .unwrap()
            .contains(&format!("worker pid {pid}")),
        "{}",
        runs[0]["error"]
    );
    assert!(runs[1]["ended_at"].is_null());
    assert_eq!(d["task"]["consecutive_failures"], 1);
    b.run(&["reclaim", &id]).ok();
}

#[test]
fn a_max_runtime_overrun_kills_the_whole_process_group() {
    let b = Baton::new();
    let script = b.path("spawner.sh");
    let child_pid = b.path("child.pid");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nsleep 300 &\necho $! > {}\nwait\n",
            child_pid.display()
        ),
    )
    .unwrap();
    config(
        &b,
        &format!(
            "[profiles.slow]\ncommand = [\"sh\", \"{}\"]\n",
            script.display()
        ),
    );
    let id = b.create("slow", &["--assignee", "slow", "--max-runtime", "1"]);
    let first = b.run(&["dispatch", "--json"]).ok().json();
    let pid = first["spawned"][0]["pid"].as_i64().unwrap();
    wait_for("the grandchild pid", Duration::from_secs(10), || {
        child_pid.exists()
    });
    let grandchild: i32 = std::fs::read_to_string(&child_pid)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let out = b
        .run(&["dispatch", "--json", "--failure-limit", "1"])
        .ok()
        .json();
    assert_eq!(out["timed_out"][0], id.as_str());
    assert_eq!(out["auto_blocked"][0], id.as_str());
    // SAFETY: signal 0 only checks existence.
    let alive = |p: i32| unsafe { libc::kill(p, 0) } == 0 && !std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default().contains(") Z ");
    assert!(!alive(pid as i32), "the worker was stopped");
    assert!(!alive(grandchild), "and so was the process it started");
    let d = show(&b, &id);
    assert_eq!(d["task"]["status"], "blocked");
    let ev = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "timed_out")
        .unwrap()
        .clone();
    assert_eq!(ev["payload"]["limit_seconds"], 1);
    assert_eq!(ev["payload"]["pid"], pid);
    assert!(ev["payload"]["elapsed_seconds"].as_i64().unwrap() >= 1);
    assert!(ev["payload"]["sigkill"].is_boolean());
}

#[test]
fn a_missing_command_fails_to_spawn_then_gives_up() {
    let b = Baton::new();
    config(
        &b,
        "[profiles.ghost]\ncommand = [\"/nonexistent/agent-binary\"]\n",
    );
    let id = b.create("x", &["--assignee", "ghost"]);
    for i in 1..=3 {
        let out = b
            .run(&["dispatch", "--failure-limit", "3", "--json"])
            .ok()
            .json();
        assert!(
            out["spawn_failed"][0]["error"]
                .as_str()
                .unwrap()
                .contains("command not found"),
            "{out}"
        );
        assert_eq!(out["spawn_failed"][0]["gave_up"], i == 3);
    }
    let d = show(&b, &id);
    assert_eq!(d["task"]["status"], "blocked");
    assert!(d["task"]["last_failure_error"]
        .as_str()
        .unwrap()
        .contains("/nonexistent/agent-binary"));
    let outcomes: Vec<&str> = d["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["spawn_failed", "spawn_failed", "gave_up"]);
    let out = b
        .run(&["dispatch", "--failure-limit", "3", "--json"])
        .ok()
        .json();
    assert!(
        out["spawn_failed"].as_array().unwrap().is_empty(),
        "a given-up task is not retried"
    );
    assert_eq!(status(&b, &id), "blocked");
}

#[test]
fn tasks_for_unconfigured_names_and_unassigned_tasks_are_left_alone() {
    let b = Baton::new();
    config(&b, "[profiles.coder]\ncommand = [\"true\"]\n");
    let human = b.create("for a person", &["--assignee", "alice"]);
    let nobody = b.create("unassigned", &[]);
    let out = b.run(&["dispatch", "--json"]).ok().json();
    assert_eq!(out["skipped_nonspawnable"][0], human.as_str());
    assert_eq!(out["skipped_unassigned"][0], nobody.as_str());
    assert!(out["spawned"].as_array().unwrap().is_empty());
    assert_eq!(
        status(&b, &human),
        "ready",
        "stays ready for alice to claim"
    );
    let human_out = b.run(&["dispatch"]).ok().stdout;
    assert!(human_out.contains("no profile configured"), "{human_out}");
    let ctx = b.run(&["context", &human]).ok().stdout;
    assert!(ctx.contains("no [profiles.alice] entry"), "{ctx}");
}

#[test]
fn dry_run_claims_and_starts_nothing() {
    let b = Baton::new();
    config(&b, "[profiles.coder]\ncommand = [\"true\"]\n");
    let id = b.create("x", &["--assignee", "coder"]);
    let out = b.run(&["dispatch", "--dry-run", "--json"]).ok().json();
    assert_eq!(out["spawned"][0]["task_id"], id.as_str());
    assert_eq!(out["dry_run"], true);
    assert_eq!(status(&b, &id), "ready");
    assert!(show(&b, &id)["runs"].as_array().unwrap().is_empty());
}

#[test]
fn at_most_max_concurrent_workers_run_at_once() {
    let b = Baton::new();
    let worker = write_worker(&b);
    let markers = b.path("markers");
    std::fs::create_dir_all(&markers).unwrap();
    config(
        &b,
        &format!(
            "[profiles.coder]\ncommand = [\"sh\", \"{worker}\"]\nmax_concurrent = 3\nenv = {{ SLEEP = \"0.4\", MARKERS = \"{}\" }}\n",
            markers.display()
        ),
    );
    let ids: Vec<String> = (0..20)
        .map(|i| b.create(&format!("job {i}"), &["--assignee", "coder"]))
        .collect();
    let _d = daemon(&b, &[]);
    wait_for("all 20 tasks to finish", Duration::from_secs(90), || {
        b.run(&["list", "--status", "done", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len()
            == 20
    });
    let counts = std::fs::read_to_string(format!("{}.counts", markers.display())).unwrap();
    let lines: Vec<(usize, usize)> = counts
        .lines()
        .map(|l| {
            let mut it = l.split_whitespace().map(|n| n.parse::<usize>().unwrap());
            (it.next().unwrap(), it.next().unwrap())
        })
        .collect();
    assert_eq!(lines.len(), 20);
    let max_procs = lines.iter().map(|l| l.0).max().unwrap();
    let max_running = lines.iter().map(|l| l.1).max().unwrap();
    assert!(
        max_running <= 3,
        "at most 3 running tasks, saw {max_running}"
    );
    assert!(max_procs <= 3, "at most 3 workers at once, saw {max_procs}");
    assert!(max_running >= 2, "work did run in parallel");
    for id in &ids {
        assert_eq!(show(&b, id)["runs"].as_array().unwrap().len(), 1);
    }
}

#[test]
fn two_dispatchers_never_start_the_same_task_twice() {
    let b = Baton::new();
    let worker = write_worker(&b);
    let record = b.path("record.txt");
    config(
        &b,
        &format!(
            "[profiles.coder]\ncommand = [\"sh\", \"{worker}\"]\nenv = {{ SLEEP = \"0.2\", RECORD = \"{}\" }}\n",
            record.display()
        ),
    );
    let ids: Vec<String> = (0..15)
        .map(|i| b.create(&format!("job {i}"), &["--assignee", "coder"]))
        .collect();
    let _a = daemon(&b, &[]);
    let _b = daemon(&b, &[]);
    // One-shot passes racing the daemons are refused once a daemon holds the
    // board; on a cold machine the daemons may need a moment to get there.
    wait_for(
        "dispatch to see the daemon's lock",
        Duration::from_secs(20),
        || {
            let out = b.run(&["dispatch"]);
            out.code == 1 && out.stderr.contains("another dispatcher is active")
        },
    );
    wait_for("all tasks to finish", Duration::from_secs(60), || {
        b.run(&["list", "--status", "done", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len()
            == 15
    });
    let recorded = std::fs::read_to_string(&record).unwrap();
    let mut seen: Vec<&str> = recorded.lines().collect();
    seen.sort();
    let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
    expected.sort();
    assert_eq!(seen, expected, "every task ran exactly once");
}

#[test]
fn the_daemon_starts_ready_work_promptly_and_stops_cleanly() {
    let b = Baton::new();
    let worker = write_worker(&b);
    let pidfile = b.path("daemon.pid");
    config(
        &b,
        &format!("[profiles.coder]\ncommand = [\"sh\", \"{worker}\"]\n"),
    );
    let mut d = b
        .command()
        .args([
            "daemon",
            "--interval",
            "30",
            "--pidfile",
            pidfile.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("the pidfile", Duration::from_secs(10), || pidfile.exists());
    std::thread::sleep(Duration::from_millis(300));
    // The tick is 30 s: only the wake-up on a new event can start this quickly.
    let id = b.create("x", &["--assignee", "coder"]);
    wait_for("the task to be done", Duration::from_secs(10), || {
        status(&b, &id) == "done"
    });
    // SAFETY: signalling our own child.
    unsafe { libc::kill(d.id() as i32, libc::SIGTERM) };
    let code = d.wait().unwrap();
    assert!(code.success(), "clean shutdown: {code:?}");
    assert!(!pidfile.exists(), "pidfile removed");
}

#[test]
fn a_server_restart_neither_loses_nor_duplicates_running_workers() {
    let b = Baton::new();
    let worker = write_worker(&b);
    let record = b.path("record.txt");
    config(
        &b,
        &format!(
            "[profiles.coder]\ncommand = [\"sh\", \"{worker}\"]\nenv = {{ SLEEP = \"3\", RECORD = \"{}\" }}\n",
            record.display()
        ),
    );
    let ids: Vec<String> = (0..3)
        .map(|i| b.create(&format!("job {i}"), &["--assignee", "coder"]))
        .collect();
    let port = 3300 + (std::process::id() % 500) as u16;
    let serve = |b: &Baton| {
        b.command()
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut first = serve(&b);
    wait_for("three running workers", Duration::from_secs(20), || {
        ids.iter()
            .all(|id| show(&b, id)["task"]["worker_pid"].is_i64())
    });
    // SAFETY: stopping our own child server.
    unsafe { libc::kill(first.id() as i32, libc::SIGTERM) };
    first.wait().unwrap();
    let mut second = serve(&b);
    wait_for("all tasks to finish", Duration::from_secs(30), || {
        ids.iter().all(|id| status(&b, id) == "done")
    });
    unsafe { libc::kill(second.id() as i32, libc::SIGTERM) };
    second.wait().unwrap();
    for id in &ids {
        let runs = show(&b, id)["runs"].as_array().unwrap().clone();
        assert_eq!(runs.len(), 1, "{id} ran once: {runs:?}");
        assert_eq!(runs[0]["outcome"], "completed");
    }
    assert_eq!(std::fs::read_to_string(&record).unwrap().lines().count(), 3);
}

#[test]
fn max_retries_on_a_task_overrides_the_dispatcher_limit() {
    let b = Baton::new();
    config(&b, "[profiles.ghost]\ncommand = [\"/nonexistent/agent\"]\n");
    let id = b.create("x", &["--assignee", "ghost", "--max-retries", "1"]);
    let out = b.run(&["dispatch", "--json"]).ok().json();
    assert_eq!(out["spawn_failed"][0]["gave_up"], true);
    assert_eq!(status(&b, &id), "blocked");
}

#[test]
fn a_starved_board_logs_one_warning_naming_the_cause() {
    let b = Baton::new();
    config(
        &b,
        "[profiles.sleeper]\ncommand = [\"sleep\", \"30\"]\nmax_concurrent = 1\n",
    );
    let first = b.create("a", &["--assignee", "sleeper"]);
    let second = b.create("b", &["--assignee", "sleeper"]);
    let d = b
        .command()
        .args(["daemon", "--interval", "0.2"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    // SAFETY: stopping our own child.
    unsafe { libc::kill(d.id() as i32, libc::SIGTERM) };
    let out = d.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings = stderr.matches("ready work is waiting").count();
    assert_eq!(warnings, 1, "one rate-limited warning: {stderr}");
    assert!(
        stderr.contains("profile 'sleeper' is at its max_concurrent"),
        "{stderr}"
    );
    for id in [&first, &second] {
        if status(&b, id) == "running" {
            b.run(&["reclaim", id]).ok();
        }
    }
}

#[test]
fn a_profile_that_uses_mcp_is_told_about_the_tools() {
    let b = Baton::new();
    let out = b.path("prompts");
    std::fs::create_dir_all(&out).unwrap();
    let script = "printf '%s' \"$2\" > \"$1/$BATON_PROFILE\"; baton complete --summary ok";
    config(
        &b,
        &format!(
            "[profiles.tooled]\nmcp = true\ncommand = [\"sh\", \"-c\", {script:?}, \"sh\", \"{dir}\", \"{{prompt}}\"]\n\n\
             [profiles.plain]\ncommand = [\"sh\", \"-c\", {script:?}, \"sh\", \"{dir}\", \"{{prompt}}\"]\n",
            dir = out.display()
        ),
    );
    let a = b.create("with tools", &["--assignee", "tooled"]);
    let c = b.create("without", &["--assignee", "plain"]);
    b.run(&["dispatch"]).ok();
    wait_for("both workers to finish", Duration::from_secs(20), || {
        status(&b, &a) == "done" && status(&b, &c) == "done"
    });
    let tooled = std::fs::read_to_string(out.join("tooled")).unwrap();
    assert!(
        tooled.contains("MCP tools") && tooled.contains("kanban_complete"),
        "{tooled}"
    );
    let plain = std::fs::read_to_string(out.join("plain")).unwrap();
    assert!(
        plain.contains("baton complete") && !plain.contains("kanban_complete"),
        "{plain}"
    );
}
