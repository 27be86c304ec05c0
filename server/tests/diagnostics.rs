//! Diagnostics as people see them: the CLI verb, `show`, board cards, the
//! fleet endpoint, and the hallucination gate from the command line.

mod common;

use common::http::serve;
use common::Baton;
use kernel::failure::Failure;
use kernel::Outcome;
use serde_json::json;

/// Records `n` crashes of `id` with `error`, as the dispatcher would.
fn crash(b: &Baton, id: &str, n: usize, error: &str) {
    let mut board = kernel::Board::open_at(&b.home().join("kanban.db"), "default").unwrap();
    for _ in 0..n {
        let run = board.claim(id, None, None).unwrap().run_id;
        let f = Failure {
            outcome: Outcome::Crashed,
            error: error.into(),
            details: json!({}),
        };
        board.record_failure(id, run, &f, 100).unwrap();
    }
}

fn setup() -> (Baton, String, String) {
    let b = Baton::new();
    std::fs::create_dir_all(b.home()).unwrap();
    std::fs::write(
        b.home().join("config.toml"),
        "[profiles.ghost]\ncommand = [\"/nonexistent/agent\"]\n",
    )
    .unwrap();
    let ghost = b.create("never starts", &["--assignee", "ghost"]);
    for _ in 0..3 {
        b.run(&["dispatch", "--failure-limit", "10"]).ok();
    }
    let flaky = b.create("crash loop", &["--assignee", "ghost"]);
    crash(&b, &flaky, 4, "429 Too Many Requests");
    (b, ghost, flaky)
}

#[test]
fn the_cli_lists_diagnostics_most_severe_first() {
    let (b, ghost, flaky) = setup();
    let out = b.run(&["diagnostics", "--json"]).ok().json();
    let rows = out.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["task_id"], flaky.as_str(), "critical first");
    assert_eq!(rows[0]["diagnostics"][0]["severity"], "critical");
    assert_eq!(
        rows[0]["diagnostics"][0]["title"],
        "Agent crashed 4x: 429 Too Many Requests"
    );
    assert_eq!(rows[1]["task_id"], ghost.as_str());
    assert_eq!(rows[1]["diagnostics"][0]["kind"], "repeated_spawn_failures");
    assert!(rows[1]["diagnostics"][0]["title"]
        .as_str()
        .unwrap()
        .contains("command not found: /nonexistent/agent"));
    let errors_only = b
        .run(&["diagnostics", "--severity", "critical", "--json"])
        .ok()
        .json();
    assert_eq!(errors_only.as_array().unwrap().len(), 1);
    let one = b.run(&["diag", "--task", &ghost, "--json"]).ok().json();
    assert_eq!(one.as_array().unwrap().len(), 1);
    b.run(&["diagnostics", "--severity", "loud"]).code(2);
    b.run(&["diagnostics", "--task", "t_00000000"]).code(1);
    let human = b.run(&["diagnostics"]).ok().stdout;
    assert!(
        human.contains("2 task(s) need attention") && human.contains("baton log"),
        "{human}"
    );

    let show = b.run(&["show", &flaky]).ok().stdout;
    let diag_at = show.find("Diagnostics").expect("a Diagnostics block");
    assert!(diag_at < show.find("Runs").unwrap(), "near the top: {show}");
    assert!(show.contains("!!! critical Agent crashed 4x"), "{show}");
    let detail = b.run(&["show", &flaky, "--json"]).ok().json();
    assert_eq!(detail["task"]["warnings"]["highest_severity"], "critical");
    assert!(
        detail.get("child_results").is_some(),
        "show --json is the REST task detail"
    );
}

#[test]
fn cards_and_the_fleet_endpoint_carry_diagnostics() {
    let (b, ghost, flaky) = setup();
    let quiet = b.create("all fine", &[]);
    let s = serve(&b, &["--no-dispatcher"]);
    let board = s.get("/api/v1/board").expect(200).json();
    let cards: Vec<serde_json::Value> = board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["tasks"].as_array().unwrap().clone())
        .collect();
    let card = |id: &str| cards.iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(card(&flaky)["warnings"]["highest_severity"], "critical");
    assert_eq!(
        card(&flaky)["warnings"]["kinds"],
        json!(["repeated_crashes"])
    );
    assert_eq!(card(&ghost)["warnings"]["highest_severity"], "error");
    assert!(card(&quiet).get("diagnostics").is_none() && card(&quiet).get("warnings").is_none());
    let fleet = s
        .get("/api/v1/diagnostics?severity=error")
        .expect(200)
        .json();
    assert_eq!(fleet["count"], 2);
    assert_eq!(fleet["diagnostics"][0]["task_id"], flaky.as_str());
    assert_eq!(fleet["diagnostics"][0]["task_title"], "crash loop");
    let critical = s
        .get("/api/v1/diagnostics?severity=critical")
        .expect(200)
        .json();
    assert_eq!(critical["count"], 1);
    let detail = s.get(&format!("/api/v1/tasks/{ghost}")).expect(200).json();
    assert_eq!(
        detail["task"]["diagnostics"][0]["kind"],
        "repeated_spawn_failures"
    );
    // The suggested fix works: unblocking resets the count; a fixed profile clears it.
    std::fs::write(
        b.home().join("config.toml"),
        "[profiles.ghost]\ncommand = [\"true\"]\n",
    )
    .unwrap();
    let report = s
        .request("POST", "/api/v1/dispatch", &[], None)
        .expect(200)
        .json();
    assert!(
        report["spawned"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["task_id"] == ghost.as_str()),
        "{report}"
    );
    let detail = s.get(&format!("/api/v1/tasks/{ghost}")).json();
    assert!(detail["task"].get("diagnostics").is_none(), "{detail}");
}

#[test]
fn complete_refuses_cards_the_worker_did_not_create() {
    let b = Baton::new();
    let parent = b.create("orchestrate", &["--assignee", "planner"]);
    let run = b.run(&["claim", &parent, "--json"]).ok().json()["run_id"]
        .as_i64()
        .unwrap()
        .to_string();
    let env = [
        ("BATON_TASK", parent.as_str()),
        ("BATON_RUN", run.as_str()),
        ("BATON_PROFILE", "planner"),
    ];
    let mine = b
        .run_env(&["create", "sub-task", "--json"], &env)
        .ok()
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let theirs = b.create("someone else's", &[]);
    let out = b
        .run_env(
            &[
                "complete",
                "--summary",
                "made cards",
                "--created-card",
                &mine,
                "--created-card",
                &theirs,
                "--created-card",
                "t_0badf00d",
            ],
            &env,
        )
        .code(1);
    assert!(
        out.stderr.contains("no such task: t_0badf00d") && out.stderr.contains(&theirs),
        "{}",
        out.stderr
    );
    assert_eq!(
        b.run(&["show", &parent, "--json"]).ok().json()["task"]["status"],
        "running"
    );
    let diag = b.run(&["diagnostics", "--json"]).ok().json();
    assert_eq!(diag[0]["diagnostics"][0]["kind"], "hallucinated_cards");
    b.run_env(
        &[
            "complete",
            "--summary",
            &format!("made {mine}"),
            "--created-card",
            &mine,
        ],
        &env,
    )
    .ok();
    assert_eq!(
        b.run(&["show", &parent, "--json"]).ok().json()["task"]["status"],
        "done"
    );
    assert!(
        b.run(&["diagnostics", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .is_empty(),
        "cleared by the clean completion"
    );
}
