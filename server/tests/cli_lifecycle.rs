//! Moving tasks through their lifecycle with the CLI, as a person and as a worker.

mod common;

use common::Baton;
use serde_json::json;

#[test]
fn a_worker_claims_heartbeats_comments_and_completes_with_metadata() {
    let b = Baton::new();
    let id = b.create("Parse the logs", &["--assignee", "coder"]);
    let claim = b.run(&["claim", &id, "--ttl", "600", "--json"]).ok().json();
    let run = claim["run_id"].as_i64().unwrap().to_string();
    let ws = claim["workspace"].as_str().unwrap();
    assert!(
        std::path::Path::new(ws).is_dir(),
        "scratch workspace created: {ws}"
    );
    assert!(
        ws.starts_with(b.home().join("workspaces").to_str().unwrap()),
        "{ws}"
    );
    assert_eq!(claim["task"]["workspace_path"], ws);

    let env = [
        ("BATON_TASK", id.as_str()),
        ("BATON_RUN", run.as_str()),
        ("BATON_PROFILE", "coder"),
    ];
    b.run_env(&["heartbeat", "--note", "halfway"], &env).ok();
    b.run_env(&["comment", &id, "found", "two", "formats"], &env)
        .ok();
    let metadata =
        json!({"quote": "she said \"ok\"", "lines": "a\nb", "unicode": "ü 👩‍💻 مرحبا", "n": [1, 2]});
    let meta = metadata.to_string();
    b.run_env(
        &[
            "complete",
            "--summary",
            "Parsed both formats\nDetails follow",
            "--metadata",
            &meta,
        ],
        &env,
    )
    .ok();

    let detail = b.run(&["show", &id, "--json"]).ok().json();
    assert_eq!(detail["task"]["status"], "done");
    assert_eq!(
        detail["runs"][0]["metadata"], metadata,
        "metadata survives the round trip"
    );
    assert_eq!(
        detail["runs"][0]["summary"],
        "Parsed both formats\nDetails follow"
    );
    assert_eq!(detail["comments"][0]["author"], "coder");
    assert_eq!(detail["comments"][0]["body"], "found two formats");
    let kinds: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["created", "claimed", "heartbeat", "commented", "completed"]
    );
    let runs = b.run(&["runs", &id]).ok();
    assert!(
        runs.stdout.contains("completed") && runs.stdout.contains("→ Parsed both formats"),
        "{}",
        runs.stdout
    );
}

#[test]
fn a_stale_worker_cannot_complete_after_a_reclaim() {
    let b = Baton::new();
    let id = b.create("x", &["--assignee", "coder"]);
    let run = b.run(&["claim", &id, "--json"]).ok().json()["run_id"]
        .as_i64()
        .unwrap()
        .to_string();
    b.run(&["reclaim", &id, "--reason", "taking over"]).ok();
    let env = [("BATON_TASK", id.as_str()), ("BATON_RUN", run.as_str())];
    let out = b.run_env(&["complete", "--summary", "late"], &env).code(1);
    assert!(
        out.stderr.contains("no longer the current attempt"),
        "{}",
        out.stderr
    );
    let out = b.run_env(&["heartbeat"], &env).code(1);
    assert!(
        out.stderr.contains("no longer the current attempt"),
        "{}",
        out.stderr
    );
    assert_eq!(
        b.run(&["show", &id, "--json"]).ok().json()["task"]["status"],
        "ready"
    );
    // An operator (no $BATON_RUN) may still complete it.
    b.run(&["complete", &id, "--result", "done by hand"]).ok();
}

#[test]
fn worker_verbs_need_a_task() {
    let b = Baton::new();
    let out = b.run(&["complete"]).code(2);
    assert!(out.stderr.contains("$BATON_TASK"), "{}", out.stderr);
    b.run(&["heartbeat"]).code(2);
    let out = b
        .run_env(
            &["heartbeat", "t_12345678"],
            &[("BATON_RUN", "abc"), ("BATON_TASK", "t_12345678")],
        )
        .code(2);
    assert!(out.stderr.contains("$BATON_RUN"), "{}", out.stderr);
}

#[test]
fn complete_checks_its_flags_before_changing_anything() {
    let b = Baton::new();
    let a = b.create("a", &[]);
    let c = b.create("c", &[]);
    let out = b
        .run(&["complete", &a, &c, "--summary", "one summary for two"])
        .code(2);
    assert!(out.stderr.contains("one at a time"), "{}", out.stderr);
    let out = b.run(&["complete", &a, "--metadata", "{not json"]).code(2);
    assert!(out.stderr.contains("not valid JSON"), "{}", out.stderr);
    b.run(&["complete", &a, "--metadata", "[1,2]"]).code(2);
    for id in [&a, &c] {
        assert_eq!(
            b.run(&["show", id, "--json"]).ok().json()["task"]["status"],
            "ready",
            "nothing changed"
        );
    }
}

#[test]
fn bulk_verbs_report_each_failure_and_keep_the_successes() {
    let b = Baton::new();
    let a = b.create("a", &[]);
    let c = b.create("c", &[]);
    let out = b.run(&["complete", &a, "t_deadbeef", &c]).code(1);
    assert!(
        out.stderr.contains("t_deadbeef: task t_deadbeef not found"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("1 of 3 task(s) failed"),
        "{}",
        out.stderr
    );
    for id in [&a, &c] {
        assert_eq!(
            b.run(&["show", id, "--json"]).ok().json()["task"]["status"],
            "done"
        );
    }
    let d = b.create("d", &[]);
    let out = b.run(&["archive", &d, &a, "t_deadbeef"]).code(1);
    assert!(
        out.stdout.contains(&d) && out.stdout.contains("archived"),
        "{}",
        out.stdout
    );
    let out = b.run(&["archive", &d]).code(1);
    assert!(out.stderr.contains("already archived"), "{}", out.stderr);
}

#[test]
fn block_unblock_with_reason_words_and_sibling_ids() {
    let b = Baton::new();
    let a = b.create("a", &[]);
    let c = b.create("c", &[]);
    b.run(&["block", &a, "waiting", "on", "legal", "--ids", &c])
        .ok();
    for id in [&a, &c] {
        let d = b.run(&["show", id, "--json"]).ok().json();
        assert_eq!(d["task"]["status"], "blocked");
        assert_eq!(d["runs"][0]["summary"], "waiting on legal");
    }
    b.run(&["block", &a]).code(2);
    b.run(&["unblock", &a, &c]).ok();
    assert_eq!(
        b.run(&["show", &a, "--json"]).ok().json()["task"]["status"],
        "ready"
    );
    b.run(&["unblock", &a]).code(1);
    // Inside a worker the task id may be left out.
    let w = b.create("w", &["--assignee", "coder"]);
    let run = b.run(&["claim", &w, "--json"]).ok().json()["run_id"]
        .as_i64()
        .unwrap()
        .to_string();
    b.run_env(
        &["block", "Which", "API", "version?"],
        &[("BATON_TASK", &w), ("BATON_RUN", &run)],
    )
    .ok();
    let d = b.run(&["show", &w, "--json"]).ok().json();
    assert_eq!(d["task"]["status"], "blocked");
    assert_eq!(d["runs"][0]["summary"], "Which API version?");
}

#[test]
fn assign_reassign_link_unlink() {
    let b = Baton::new();
    let p = b.create("p", &[]);
    let c = b.create("c", &["--assignee", "coder"]);
    b.run(&["link", &p, &c]).ok();
    assert_eq!(
        b.run(&["show", &c, "--json"]).ok().json()["task"]["status"],
        "todo"
    );
    let out = b.run(&["link", &c, &p]).code(1);
    assert!(out.stderr.contains("cycle"), "{}", out.stderr);
    b.run(&["link", &p, &p]).code(1);
    b.run(&["unlink", &p, &c]).ok();
    assert_eq!(
        b.run(&["show", &c, "--json"]).ok().json()["task"]["status"],
        "ready"
    );
    let out = b.run(&["unlink", &p, &c]).code(1);
    assert!(out.stderr.contains("does not depend on"), "{}", out.stderr);

    b.run(&["assign", &c, "Reviewer"]).ok();
    assert_eq!(
        b.run(&["show", &c, "--json"]).ok().json()["task"]["assignee"],
        "reviewer"
    );
    b.run(&["assign", &c, "none"]).ok();
    assert!(b.run(&["show", &c, "--json"]).ok().json()["task"]["assignee"].is_null());
    b.run(&["assign", &c, "coder"]).ok();
    b.run(&["claim", &c]).ok();
    let out = b.run(&["assign", &c, "other"]).code(1);
    assert!(out.stderr.contains("currently running"), "{}", out.stderr);
    b.run(&["reassign", &c, "other"]).code(1);
    b.run(&["reassign", &c, "other", "--reclaim", "--reason", "stuck"])
        .ok();
    let d = b.run(&["show", &c, "--json"]).ok().json();
    assert_eq!(
        (d["task"]["status"].as_str(), d["task"]["assignee"].as_str()),
        (Some("ready"), Some("other"))
    );
    assert_eq!(d["runs"][0]["error"], "manual_reclaim: stuck");
}

#[test]
fn claim_refusals_and_reclaim_of_idle_tasks() {
    let b = Baton::new();
    let p = b.create("p", &[]);
    let c = b.create("c", &["--parent", &p]);
    let out = b.run(&["claim", &c]).code(1);
    assert!(out.stderr.contains("cannot claim"), "{}", out.stderr);
    b.run(&["claim", &p]).ok();
    b.run(&["claim", &p]).code(1);
    b.run(&["reclaim", &c]).code(1);
    b.run(&["comment", &p, "   "]).code(1);
    let dir_ws = b.create(
        "d",
        &["--workspace", &format!("dir:{}", b.path("vault").display())],
    );
    let claim = b.run(&["claim", &dir_ws, "--json"]).ok().json();
    assert_eq!(claim["workspace"], b.path("vault").display().to_string());
    assert!(b.path("vault").is_dir());
}

#[test]
fn a_reclaim_stops_a_local_worker_process() {
    let b = Baton::new();
    let id = b.create("x", &["--assignee", "coder"]);
    b.run(&["claim", &id]).ok();
    let mut child = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let pid = child.id();
    // What the dispatcher records when it starts a worker.
    let db = rusqlite_like_update(&b, &id, pid);
    assert!(db);
    let out = b.run(&["reclaim", &id]).ok();
    assert!(
        out.stdout.contains(&format!("worker {pid} stopped")),
        "{}",
        out.stdout
    );
    let status = child.wait().unwrap();
    assert!(!status.success(), "the worker was signalled");
}

/// Sets the worker pid on the task as the dispatcher would (claimed by this
/// host, so the CLI treats the worker as local).
fn rusqlite_like_update(b: &Baton, id: &str, pid: u32) -> bool {
    let mut board = kernel::Board::open_at(&b.home().join("kanban.db"), "default").unwrap();
    let task = board.get(id).unwrap();
    let lock = format!("{}:1", kernel::claim::hostname());
    board
        .store()
        .raw()
        .execute(
            &format!("UPDATE tasks SET claim_lock = '{lock}' WHERE id = '{id}'"),
            [],
        )
        .unwrap();
    board
        .record_spawn(id, task.current_run_id.unwrap(), pid as i64, None)
        .is_ok()
}
