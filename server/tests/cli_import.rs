//! `baton import hermes` on a database made by the real reference
//! implementation (hermes-agent from PyPI, installed by scripts/setup.sh).

mod common;

use common::Baton;
use std::process::Command;

/// The Python with hermes-agent installed. scripts/test.sh sets both
/// variables; a bare `cargo test` without them skips, loudly.
fn hermes_python() -> Option<String> {
    match std::env::var("BATON_HERMES_PYTHON") {
        Ok(p) if !p.is_empty() => Some(p),
        _ => {
            assert!(
                std::env::var_os("BATON_REQUIRE_HERMES").is_none(),
                "BATON_REQUIRE_HERMES is set but BATON_HERMES_PYTHON is not"
            );
            eprintln!("SKIPPED: set BATON_HERMES_PYTHON to a python with hermes-agent (scripts/setup.sh --hermes)");
            None
        }
    }
}

#[test]
fn imports_a_reference_database_once() {
    let Some(python) = hermes_python() else {
        return;
    };
    let b = Baton::new();
    let db = b.path("hermes.db");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/make_hermes_db.py"
    );
    let made = Command::new(&python).arg(script).arg(&db).output().unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let ids: Vec<String> = String::from_utf8(made.stdout)
        .unwrap()
        .split_whitespace()
        .map(String::from)
        .collect();
    let [research, write, review, blocked, gone, triage] = <[String; 6]>::try_from(ids).unwrap();

    let r = b
        .run(&["import", "hermes", db.to_str().unwrap(), "--json"])
        .ok()
        .json();
    assert_eq!(r["tasks_imported"], 6);
    assert_eq!(r["links"], 2);
    assert_eq!(r["comments"], 1);
    assert_eq!(
        r["open_runs_closed"], 1,
        "the running task's run is closed here"
    );

    let show = |id: &str| b.run(&["show", id, "--json"]).ok().json();
    let d = show(&research);
    assert_eq!(
        (
            d["task"]["status"].as_str(),
            d["task"]["tenant"].as_str(),
            d["task"]["priority"].as_i64()
        ),
        (Some("done"), Some("acme"), Some(3))
    );
    assert_eq!(d["runs"][0]["summary"], "Found 12 sources\nsee metadata");
    assert_eq!(d["runs"][0]["metadata"]["quote"], "she said \"ok\"");
    assert_eq!(d["runs"][0]["metadata"]["unicode"], "ü 👩‍💻");
    assert!(d["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "completed" && e["run_id"].is_i64()));
    let w = show(&write);
    assert_eq!(
        w["task"]["status"], "ready",
        "was running in Hermes; no worker here"
    );
    assert_eq!(w["comments"][0]["body"], "Keep it under a page");
    assert_eq!(w["links"]["parents"][0], research.as_str());
    assert_eq!(show(&review)["task"]["status"], "todo");
    assert_eq!(show(&blocked)["task"]["status"], "blocked");
    assert_eq!(show(&gone)["task"]["status"], "archived");
    assert_eq!(show(&triage)["task"]["status"], "triage");

    // The imported board works like any other.
    b.run(&["claim", &write]).ok();
    b.run(&["complete", &write, "--summary", "done"]).ok();
    assert_eq!(show(&review)["task"]["status"], "ready");

    let again = b
        .run(&["import", "hermes", db.to_str().unwrap(), "--json"])
        .ok()
        .json();
    assert_eq!(
        (
            again["tasks_imported"].as_i64(),
            again["tasks_skipped"].as_i64()
        ),
        (Some(0), Some(6))
    );
    assert_eq!(
        b.run(&["list", "--archived", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        6
    );
}

#[test]
fn import_refuses_what_is_not_a_hermes_database() {
    let b = Baton::new();
    let out = b
        .run(&["import", "hermes", "/nonexistent/kanban.db"])
        .code(1);
    assert!(out.stderr.contains("no database at"), "{}", out.stderr);
    let junk = b.path("junk.db");
    std::fs::write(&junk, "hello").unwrap();
    let out = b.run(&["import", "hermes", junk.to_str().unwrap()]).code(1);
    assert!(
        out.stderr.contains("not a Hermes kanban database"),
        "{}",
        out.stderr
    );
}
