//! Board-wide verbs: stats, assignees, gc, notifications, boards, context, log,
//! and live streams.

mod common;

use common::Baton;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn stats_and_assignees() {
    let b = Baton::new();
    std::fs::create_dir_all(b.home()).unwrap();
    std::fs::write(
        b.home().join("config.toml"),
        "[profiles.researcher]\ncommand = [\"true\"]\n",
    )
    .unwrap();
    b.create("a", &["--assignee", "coder"]);
    b.create("b", &["--assignee", "coder"]);
    let c = b.create("c", &[]);
    b.run(&["archive", &c]).ok();
    let s = b.run(&["stats", "--json"]).ok().json();
    assert_eq!(s["by_status"]["ready"], 2);
    assert!(s["by_status"].get("archived").is_none());
    assert_eq!(s["by_assignee"]["coder"]["ready"], 2);
    assert!(s["oldest_ready_age_seconds"].as_i64().unwrap() >= 0);
    let human = b.run(&["stats"]).ok();
    assert!(human.stdout.contains("ready 2"), "{}", human.stdout);

    let a = b.run(&["assignees", "--json"]).ok().json();
    let names: Vec<&str> = a
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["coder", "researcher"]);
    assert_eq!(a[0]["on_disk"], false);
    assert_eq!(a[0]["counts"]["ready"], 2);
    assert_eq!(a[1]["on_disk"], true);
}

#[test]
fn a_broken_config_is_reported_by_name() {
    let b = Baton::new();
    std::fs::create_dir_all(b.home()).unwrap();
    std::fs::write(
        b.home().join("config.toml"),
        "[profiles.x]\ncomand = [\"typo\"]\n",
    )
    .unwrap();
    let out = b.run(&["assignees"]).code(1);
    assert!(
        out.stderr.contains("config.toml") && out.stderr.contains("comand"),
        "{}",
        out.stderr
    );
}

#[test]
fn context_is_what_a_worker_is_told() {
    let b = Baton::new();
    let p = b.create("Gather data", &[]);
    b.run(&["complete", &p, "--summary", "PARENT_HANDOFF 12 rows"])
        .ok();
    let c = b.create(
        "Chart it",
        &[
            "--parent",
            &p,
            "--assignee",
            "analyst",
            "--body",
            "Use a bar chart",
        ],
    );
    let out = b.run(&["context", &c]).ok();
    for needle in [
        "# Kanban task",
        "Use a bar chart",
        "PARENT_HANDOFF 12 rows",
        "## How to work this task",
        "baton complete",
        "no [profiles.analyst] entry",
    ] {
        assert!(
            out.stdout.contains(needle),
            "missing {needle}: {}",
            out.stdout
        );
    }
    b.run(&["context", "t_00000000"]).code(1);
}

#[test]
fn log_prints_the_worker_log_or_says_there_is_none() {
    let b = Baton::new();
    let id = b.create("x", &[]);
    let out = b.run(&["log", &id]).code(1);
    assert!(out.stderr.contains("no log for"), "{}", out.stderr);
    std::fs::create_dir_all(b.home().join("logs")).unwrap();
    std::fs::write(
        b.home().join("logs").join(format!("{id}.log")),
        "line one\nline two\nline three\n",
    )
    .unwrap();
    assert_eq!(
        b.run(&["log", &id]).ok().stdout,
        "line one\nline two\nline three\n"
    );
    assert_eq!(
        b.run(&["log", &id, "--tail", "15"]).ok().stdout,
        "line three\n"
    );
}

#[test]
fn gc_removes_only_what_is_ours() {
    let b = Baton::new();
    let a = b.create("a", &[]);
    b.run(&["claim", &a]).ok();
    let outside = b.path("precious");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("keep.txt"), "keep").unwrap();
    let dir_task = b.create(
        "d",
        &["--workspace", &format!("scratch:{}", outside.display())],
    );
    b.run(&["archive", &a, &dir_task]).ok();
    let ws = b.home().join("workspaces").join(&a);
    assert!(ws.is_dir());
    let r = b.run(&["gc", "--json"]).ok().json();
    assert_eq!(r["workspaces_removed"], 1);
    assert!(!ws.exists());
    assert!(
        outside.join("keep.txt").is_file(),
        "never deletes outside the workspaces root"
    );
    assert_eq!(r["skipped_outside_root"][0], outside.display().to_string());
    let live = b.create("still on the board", &[]);
    let r = b
        .run(&["gc", "--event-retention-days", "0", "--json"])
        .ok()
        .json();
    assert_eq!(
        r["events_removed"], 5,
        "created+claimed+archived of a, created+archived of d: {r}"
    );
    assert_eq!(
        b.run(&["show", &live, "--json"]).ok().json()["events"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let out = b.run(&["gc", "--event-retention-days=-1"]).code(1);
    assert!(
        out.stderr.contains("must not be negative"),
        "{}",
        out.stderr
    );
}

#[test]
fn notify_subscriptions() {
    let b = Baton::new();
    let id = b.create("x", &[]);
    b.run(&[
        "notify-subscribe",
        &id,
        "--platform",
        "slack",
        "--chat-id",
        "C1",
    ])
    .ok();
    let out = b
        .run(&[
            "notify-subscribe",
            &id,
            "--platform",
            "slack",
            "--chat-id",
            "C1",
        ])
        .ok();
    assert!(out.stdout.contains("already subscribed"), "{}", out.stdout);
    b.run(&[
        "notify-subscribe",
        &id,
        "--platform",
        "slack",
        "--chat-id",
        "C1",
        "--thread-id",
        "T9",
    ])
    .ok();
    let list = b.run(&["notify-list", &id, "--json"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["thread_id"], "T9");
    b.run(&[
        "notify-unsubscribe",
        &id,
        "--platform",
        "slack",
        "--chat-id",
        "C1",
        "--thread-id",
        "T9",
    ])
    .ok();
    assert_eq!(
        b.run(&["notify-list", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    b.run(&[
        "notify-unsubscribe",
        &id,
        "--platform",
        "discord",
        "--chat-id",
        "C1",
    ])
    .code(1);
    b.run(&[
        "notify-subscribe",
        "t_00000000",
        "--platform",
        "slack",
        "--chat-id",
        "C1",
    ])
    .code(1);
}

#[test]
fn boards_are_isolated_and_managed_from_the_cli() {
    let b = Baton::new();
    b.create("on default", &[]);
    b.run(&[
        "boards",
        "create",
        "Side-Project",
        "--name",
        "Side project",
        "--switch",
    ])
    .ok();
    let other = b.create("on side", &[]);
    let side = b.run(&["list", "--json"]).ok().json();
    assert_eq!(
        side.as_array().unwrap().len(),
        1,
        "the current board is now side-project"
    );
    let def = b.run(&["--board", "default", "list", "--json"]).ok().json();
    assert_eq!(def[0]["title"], "on default");
    b.run(&["--board", "default", "show", &other]).code(1);
    let env = b
        .run_env(&["list", "--json"], &[("BATON_BOARD", "default")])
        .ok()
        .json();
    assert_eq!(
        env[0]["title"], "on default",
        "$BATON_BOARD picks the board"
    );

    let boards = b.run(&["boards", "list", "--json"]).ok().json();
    assert_eq!(boards.as_array().unwrap().len(), 2);
    assert_eq!(boards[1]["slug"], "side-project");
    assert_eq!(boards[1]["is_current"], true);
    assert_eq!(boards[1]["total"], 1);
    b.run(&["boards", "rename", "side-project", "Renamed"]).ok();
    assert_eq!(
        b.run(&["boards", "list", "--json"]).ok().json()[1]["name"],
        "Renamed"
    );
    b.run(&["boards", "switch", "default"]).ok();
    assert_eq!(
        b.run(&["list", "--json"]).ok().json()[0]["title"],
        "on default"
    );
    b.run(&["boards", "switch", "nope"]).code(1);
    b.run(&["boards", "create", "../evil"]).code(1);
    b.run(&["boards", "rm", "default"]).code(1);
    let out = b.run(&["boards", "rm", "side-project"]).ok();
    assert!(out.stdout.contains("archived"), "{}", out.stdout);
    assert_eq!(
        b.run(&["boards", "list", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

fn read_line_within(reader: &mut impl BufRead, limit: Duration) -> String {
    let start = Instant::now();
    let mut line = String::new();
    while line.is_empty() && start.elapsed() < limit {
        reader.read_line(&mut line).unwrap();
    }
    line
}

#[test]
fn watch_starts_at_now_and_sees_another_processes_writes() {
    let b = Baton::new();
    let old = b.create("old news", &[]);
    let mut watch = b
        .command()
        .args([
            "watch",
            "--json",
            "--interval",
            "0.1",
            "--kinds",
            "created,completed",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(watch.stdout.take().unwrap());
    std::thread::sleep(Duration::from_millis(400));
    let fresh = b.create("fresh", &[]);
    b.run(&["comment", &fresh, "filtered out by --kinds"]).ok();
    b.run(&["complete", &fresh]).ok();
    let first: serde_json::Value =
        serde_json::from_str(&read_line_within(&mut out, Duration::from_secs(10))).unwrap();
    let second: serde_json::Value =
        serde_json::from_str(&read_line_within(&mut out, Duration::from_secs(10))).unwrap();
    watch.kill().unwrap();
    let _ = watch.wait();
    assert_eq!(
        (first["task_id"].as_str(), first["kind"].as_str()),
        (Some(fresh.as_str()), Some("created"))
    );
    assert_eq!(second["kind"], "completed");
    assert_ne!(first["task_id"], old.as_str(), "history is not replayed");
}

#[test]
fn tail_prints_history_then_follows() {
    let b = Baton::new();
    let id = b.create("x", &[]);
    let mut tail = b
        .command()
        .args(["tail", &id, "--interval", "0.1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(tail.stdout.take().unwrap());
    let created = read_line_within(&mut out, Duration::from_secs(10));
    assert!(created.contains("created"), "{created}");
    b.run(&["comment", &id, "hello"]).ok();
    let commented = read_line_within(&mut out, Duration::from_secs(10));
    tail.kill().unwrap();
    let _ = tail.wait();
    assert!(
        commented.contains("commented") && commented.contains(&id),
        "{commented}"
    );
}

#[test]
fn every_verb_has_help_with_an_example() {
    let b = Baton::new();
    for verb in [
        "init",
        "create",
        "list",
        "show",
        "assign",
        "link",
        "unlink",
        "claim",
        "comment",
        "heartbeat",
        "complete",
        "block",
        "unblock",
        "archive",
        "reclaim",
        "reassign",
        "runs",
        "tail",
        "watch",
        "stats",
        "assignees",
        "log",
        "context",
        "gc",
        "notify-subscribe",
        "notify-list",
        "notify-unsubscribe",
        "serve",
        "dispatch",
        "daemon",
        "diagnostics",
    ] {
        let out = b.run(&[verb, "--help"]).ok();
        assert!(
            out.stdout.contains("Example"),
            "{verb} --help has no example:\n{}",
            out.stdout
        );
    }
    for sub in ["list", "create", "rename", "switch", "rm"] {
        let out = b.run(&["boards", sub, "--help"]).ok();
        assert!(
            out.stdout.contains("Example"),
            "boards {sub} --help has no example"
        );
    }
    assert!(b
        .run(&["import", "hermes", "--help"])
        .ok()
        .stdout
        .contains("Example"));
}
