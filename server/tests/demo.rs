//! `baton demo`: every story, worked by its real shell workers under a real
//! `baton serve`, reaches its final state.

mod common;

use common::http::serve;
use common::Baton;
use serde_json::Value;
use std::time::{Duration, Instant};

fn tasks(b: &Baton, board: &str) -> Vec<Value> {
    b.run(&["--board", board, "list", "--json"])
        .ok()
        .json()
        .as_array()
        .unwrap()
        .clone()
}

fn show(b: &Baton, board: &str, id: &str) -> Value {
    b.run(&["--board", board, "show", id, "--json"]).ok().json()
}

fn by_title<'a>(list: &'a [Value], prefix: &str) -> &'a Value {
    list.iter()
        .find(|t| t["title"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no task titled {prefix}…"))
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn outcomes(d: &Value) -> Vec<String> {
    d["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap_or("open").to_string())
        .collect()
}

#[test]
fn every_story_reaches_its_final_state() {
    let b = Baton::new();
    std::fs::create_dir_all(b.home()).unwrap();
    // The user's own settings survive the demo's profiles.
    std::fs::write(
        b.home().join("config.toml"),
        "[dispatcher]\ninterval_seconds = 0.5\n",
    )
    .unwrap();
    let out = b.run(&["demo", "--pace", "0.2"]).ok();
    for story in ["demo-solo", "demo-fleet", "demo-pipeline", "demo-breaker"] {
        assert!(out.stdout.contains(story), "{}", out.stdout);
    }
    let config = std::fs::read_to_string(b.home().join("config.toml")).unwrap();
    assert!(
        config.starts_with("[dispatcher]\ninterval_seconds = 0.5"),
        "{config}"
    );
    // Seeding again is refused unless asked, and the default board is untouched.
    b.run(&["demo", "solo"]).code(1);
    assert_eq!(tasks(&b, "default").len(), 0);
    let _s = serve(&b, &[]);

    wait_for("the solo chain to finish", || {
        tasks(&b, "demo-solo").iter().all(|t| t["status"] == "done")
    });
    let solo = tasks(&b, "demo-solo");
    let build = show(
        &b,
        "demo-solo",
        by_title(&solo, "Implement")["id"].as_str().unwrap(),
    );
    assert_eq!(outcomes(&build), ["completed"]);
    assert_eq!(build["runs"][0]["metadata"]["tests_run"], 12);

    wait_for("the fleet to finish", || {
        let t = tasks(&b, "demo-fleet");
        t.len() == 12 && t.iter().all(|t| t["status"] == "done")
    });
    let fleet = tasks(&b, "demo-fleet");
    let profiles: std::collections::BTreeSet<&str> = fleet
        .iter()
        .map(|t| t["assignee"].as_str().unwrap())
        .collect();
    assert_eq!(profiles.len(), 3);

    wait_for("the pipeline to finish", || {
        tasks(&b, "demo-pipeline")
            .iter()
            .all(|t| t["status"] == "done")
    });
    let pipeline = tasks(&b, "demo-pipeline");
    let implement = show(
        &b,
        "demo-pipeline",
        by_title(&pipeline, "Implement")["id"].as_str().unwrap(),
    );
    assert_eq!(outcomes(&implement), ["blocked", "completed"]);
    assert!(implement["comments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["author"] == "demo-reviewer"));

    wait_for("the breaker story to settle", || {
        let t = tasks(&b, "demo-breaker");
        by_title(&t, "Summarise")["status"] == "blocked"
            && by_title(&t, "Rebuild")["status"] == "done"
    });
    let breaker = tasks(&b, "demo-breaker");
    let broken = show(
        &b,
        "demo-breaker",
        by_title(&breaker, "Summarise")["id"].as_str().unwrap(),
    );
    let kinds: Vec<&str> = broken["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"gave_up"), "{kinds:?}");
    assert_eq!(
        kinds.iter().filter(|k| **k == "spawn_failed").count(),
        2,
        "{kinds:?}"
    );
    let flaky = show(
        &b,
        "demo-breaker",
        by_title(&breaker, "Rebuild")["id"].as_str().unwrap(),
    );
    assert_eq!(outcomes(&flaky), ["crashed", "completed"]);
}

#[test]
fn demo_refuses_bad_input_and_changes_nothing() {
    let b = Baton::new();
    let out = b.run(&["demo", "nope"]).code(2);
    assert!(
        out.stderr.contains("solo, fleet, pipeline, breaker, all"),
        "{}",
        out.stderr
    );
    b.run(&["demo", "--board", "x"]).code(2);
    b.run(&["demo", "solo", "--pace", "-1"]).code(2);
    assert!(!b.home().join("config.toml").exists());
    b.run(&["demo", "solo", "--board", "mine"]).ok();
    assert_eq!(tasks(&b, "mine").len(), 3);
    b.run(&["demo", "solo", "--board", "mine", "--replace"])
        .ok();
    assert_eq!(tasks(&b, "mine").len(), 3);
}
