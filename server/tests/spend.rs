//! Usage and spend through the real binary: runs' usage reported (by a
//! worker, fenced; by a person; in a completion's metadata), priced from
//! the shipped table and from config.toml, and rolled up by task (with the
//! tasks below it), profile, model, day and board — checked against totals
//! worked out by hand. Over REST too.

mod common;

use common::http::serve;
use common::Baton;
use serde_json::{json, Value};

fn claim(b: &Baton, id: &str) -> String {
    b.run(&["claim", id, "--json"]).ok().json()["run_id"]
        .as_i64()
        .unwrap()
        .to_string()
}

fn spend(b: &Baton, args: &[&str]) -> Value {
    let mut a = vec!["spend", "--json"];
    a.extend_from_slice(args);
    b.run(&a).ok().json()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn row<'a>(out: &'a Value, key: &str) -> &'a Value {
    out["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key}: {out}"))
}

#[test]
fn usage_is_recorded_priced_and_rolled_up_by_hand_computed_totals() {
    let b = Baton::new();
    std::fs::create_dir_all(b.home()).unwrap();
    std::fs::write(
        b.home().join("config.toml"),
        "[prices.\"house-model\"]\ninput = 2.0\noutput = 8.0\ncache_read = 0.5\n",
    )
    .unwrap();
    let parent = b.create("Plan the migration", &["--assignee", "planner"]);
    let child = b.create(
        "Migrate the tables",
        &["--assignee", "coder", "--parent", &parent],
    );
    let other = b.create("Unrelated", &["--assignee", "coder"]);

    // The planner's run, reported by its worker (fenced to its run), on a
    // model the shipped table prices: gpt-5 at $1.25 in, $10 out.
    let run_p = claim(&b, &parent);
    let env = [
        ("BATON_TASK", parent.as_str()),
        ("BATON_RUN", run_p.as_str()),
    ];
    b.run_env(
        &[
            "usage", "--input", "1000", "--output", "10", "--model", "gpt-5",
        ],
        &env,
    )
    .ok();
    // A later report replaces the first (totals so far, not increments).
    let u = b
        .run_env(
            &[
                "usage", "--input", "200000", "--output", "10000", "--model", "gpt-5", "--json",
            ],
            &env,
        )
        .ok()
        .json();
    assert_eq!(u["cost_source"], "prices");
    let cost_p = 200_000.0 * 1.25 / 1e6 + 10_000.0 * 10.0 / 1e6; // 0.35
    assert!(close(u["cost_usd"].as_f64().unwrap(), cost_p), "{u}");
    b.run_env(&["complete", "--summary", "planned"], &env).ok();

    // The coder's run: usage in the completion's metadata, on the house
    // model config.toml prices (cache reads at $0.50).
    let run_c = claim(&b, &child);
    let meta = json!({"usage": {"input_tokens": 50000, "output_tokens": 5000, "cache_read_tokens": 100000, "model": "house-model-v2"}});
    b.run(&[
        "complete",
        &child,
        "--summary",
        "migrated",
        "--metadata",
        &meta.to_string(),
    ])
    .ok();
    let _ = run_c;
    let cost_c = 50_000.0 * 2.0 / 1e6 + 5_000.0 * 8.0 / 1e6 + 100_000.0 * 0.5 / 1e6; // 0.19

    // The other task: a person reports a cost the agent gave, and a model
    // nobody prices goes unpriced.
    claim(&b, &other);
    let given = b
        .run(&[
            "usage", &other, "--output", "700", "--cost", "0.05", "--model", "mystery", "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        (given["cost_source"].as_str(), given["source"].as_str()),
        (Some("agent"), Some("reported"))
    );
    let other2 = b.create("Unpriced", &["--assignee", "coder"]);
    claim(&b, &other2);
    let unpriced = b
        .run(&[
            "usage", &other2, "--input", "300", "--model", "mystery", "--json",
        ])
        .ok()
        .json();
    assert_eq!(unpriced["cost_source"], "unpriced");
    assert!(unpriced["cost_usd"].is_null());

    // The total: four runs, one unpriced.
    let total = spend(&b, &[]);
    assert_eq!(total["by"], "total");
    assert_eq!(total["total"]["runs"], 4);
    assert_eq!(total["total"]["unpriced_runs"], 1);
    assert_eq!(total["total"]["input_tokens"], 200_000 + 50_000 + 300);
    assert_eq!(total["total"]["output_tokens"], 10_000 + 5_000 + 700);
    assert_eq!(total["total"]["cache_read_tokens"], 100_000);
    let all = cost_p + cost_c + 0.05;
    assert!(
        close(total["total"]["cost_usd"].as_f64().unwrap(), all),
        "{total}"
    );
    assert!(total["prices_as_of"].as_str().unwrap().starts_with("20"));

    // By task, largest first, with titles; the parent with what is below it.
    let by_task = spend(&b, &["--by", "task"]);
    assert_eq!(by_task["rows"][0]["key"], parent.as_str());
    assert_eq!(by_task["rows"][0]["title"], "Plan the migration");
    let tree = spend(&b, &["--task", &parent]);
    assert!(
        close(tree["total"]["cost_usd"].as_f64().unwrap(), cost_p + cost_c),
        "{tree}"
    );
    assert_eq!(tree["total"]["runs"], 2);
    let leaf = spend(&b, &["--task", &child]);
    assert_eq!(leaf["total"]["runs"], 1);

    // By profile and by model.
    let by_profile = spend(&b, &["--by", "profile"]);
    assert!(close(
        row(&by_profile, "planner")["cost_usd"].as_f64().unwrap(),
        cost_p
    ));
    assert!(close(
        row(&by_profile, "coder")["cost_usd"].as_f64().unwrap(),
        cost_c + 0.05
    ));
    assert_eq!(row(&by_profile, "coder")["runs"], 3);
    let by_model = spend(&b, &["--by", "model"]);
    assert_eq!(row(&by_model, "mystery")["runs"], 2);
    assert_eq!(row(&by_model, "mystery")["unpriced_runs"], 1);
    // By day: everything happened today (UTC).
    let by_day = spend(&b, &["--by", "day"]);
    assert_eq!(by_day["rows"].as_array().unwrap().len(), 1);
    assert_eq!(by_day["rows"][0]["runs"], 4);
    // Since tomorrow: nothing.
    let later = spend(&b, &["--since", "2999-01-01"]);
    assert_eq!(later["total"]["runs"], 0);
    assert_eq!(
        b.run(&["spend", "--since", "2999-01-01"])
            .ok()
            .stdout
            .trim(),
        "No usage recorded in that time."
    );

    // Every board: another board's run adds a row.
    b.run(&["boards", "create", "side"]).ok();
    let side = b.create("Side work", &["--board", "side", "--assignee", "coder"]);
    b.run(&["--board", "side", "claim", &side]).ok();
    b.run(&[
        "--board", "side", "usage", &side, "--cost", "1.5", "--output", "1",
    ])
    .ok();
    let boards = spend(&b, &["--by", "board"]);
    assert_eq!(boards["board"], "*");
    assert!(close(
        row(&boards, "side")["cost_usd"].as_f64().unwrap(),
        1.5
    ));
    assert!(close(
        row(&boards, "default")["cost_usd"].as_f64().unwrap(),
        all
    ));
    let everything = spend(&b, &["--all-boards", "--by", "profile"]);
    assert!(close(
        row(&everything, "coder")["cost_usd"].as_f64().unwrap(),
        cost_c + 0.05 + 1.5
    ));

    // The task detail lists its runs' usage; a repeated report is not a new event.
    let shown = b.run(&["show", &parent, "--json"]).ok().json();
    assert_eq!(
        shown["usage"].as_array().unwrap().len(),
        1,
        "{}",
        shown["usage"]
    );
    assert_eq!(shown["usage"][0]["run_id"].to_string(), run_p);
    let usage_events = |id: &str| {
        b.run(&["show", id, "--json"]).ok().json()["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "usage_recorded")
            .count()
    };
    assert_eq!(usage_events(&parent), 2, "two different reports");
    b.run(&[
        "usage", &other, "--output", "700", "--cost", "0.05", "--model", "mystery",
    ])
    .ok();
    assert_eq!(
        usage_events(&other),
        1,
        "the same figures again are not news"
    );
    // A task without usage shows no usage key at all (the contract is unchanged).
    let plain = b.create("Nothing used", &[]);
    assert!(b
        .run(&["show", &plain, "--json"])
        .ok()
        .json()
        .get("usage")
        .is_none());

    // The table for people.
    let text = b.run(&["spend", "--by", "profile"]).ok().stdout;
    assert!(
        text.contains("PROFILE") && text.contains("planner") && text.contains("$0.350"),
        "{text}"
    );
    assert!(text.contains("1 run(s) have no price"), "{text}");
    let prices = b.run(&["spend", "--prices"]).ok().stdout;
    assert!(
        prices.contains("house-model") && prices.contains("config.toml"),
        "{prices}"
    );
    assert!(
        prices.contains("claude-sonnet-4") && prices.contains("shipped"),
        "{prices}"
    );
}

#[test]
fn bad_usage_is_refused_and_changes_nothing() {
    let b = Baton::new();
    let id = b.create("Never claimed", &["--assignee", "coder"]);
    // No run yet.
    let r = b.run(&["usage", &id, "--input", "5"]).code(1);
    assert!(r.stderr.contains("has no run"), "{}", r.stderr);
    let run = claim(&b, &id);
    // No figures at all.
    let r = b.run(&["usage", &id]).code(2);
    assert!(r.stderr.contains("give what the run used"), "{}", r.stderr);
    // A negative cost.
    let r = b.run(&["usage", &id, "--cost=-1"]).code(1);
    assert!(r.stderr.contains("positive amount"), "{}", r.stderr);
    // Another task's run.
    let other = b.create("Other", &["--assignee", "coder"]);
    let r = b.run(&["usage", &other, "--run", &run, "--input", "5"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("has no run"), "{}", r.stderr);
    // A stale worker: its run was reclaimed.
    b.run(&["reclaim", &id]).ok();
    let r = b.run_env(
        &["usage", "--input", "5"],
        &[("BATON_TASK", id.as_str()), ("BATON_RUN", run.as_str())],
    );
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("no longer the current attempt"),
        "{}",
        r.stderr
    );
    // Groupings and times that do not exist.
    let r = b.run(&["spend", "--by", "week"]).code(2);
    assert!(r.stderr.contains("week"), "{}", r.stderr);
    let r = b.run(&["spend", "--since", "yesterday"]).code(2);
    assert!(r.stderr.contains("not a duration"), "{}", r.stderr);
    let r = b.run(&["spend", "--task", "t_00000000"]);
    assert_ne!(r.code, 0);
    // Nothing was recorded by any of it.
    assert_eq!(spend(&b, &[])["total"]["runs"], 0);
    // A bad price in config.toml is refused with its place.
    std::fs::write(
        b.home().join("config.toml"),
        "[prices.\"cheap\"]\ninput = -1.0\noutput = 1.0\n",
    )
    .unwrap();
    let r = b.run(&["spend", "--prices"]).code(1);
    assert!(
        r.stderr.contains("line 1") && r.stderr.contains("per million"),
        "{}",
        r.stderr
    );
}

#[test]
fn usage_and_spend_over_rest() {
    let b = Baton::new();
    let s = serve(&b, &["--no-dispatcher"]);
    let id = b.create("Served", &["--assignee", "coder"]);
    let run = claim(&b, &id);
    let u = s
        .post(
            &format!("/api/v1/tasks/{id}/usage"),
            &json!({"input_tokens": 1_000_000, "output_tokens": 0, "model": "claude-sonnet-4-5-20250929"}),
        )
        .expect(200)
        .json();
    assert_eq!(u["run_id"].to_string(), run);
    assert!(close(u["cost_usd"].as_f64().unwrap(), 3.0), "{u}");
    s.post(&format!("/api/v1/tasks/{id}/usage"), &json!({}))
        .expect(400);
    s.post(&format!("/api/v1/tasks/{id}/usage"), &json!({"bogus": 1}))
        .expect(422);
    let listed = s
        .get(&format!("/api/v1/tasks/{id}/usage"))
        .expect(200)
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let out = s.get("/api/v1/spend?by=model").expect(200).json();
    assert_eq!(out["rows"][0]["key"], "claude-sonnet-4-5-20250929");
    assert!(close(out["total"]["cost_usd"].as_f64().unwrap(), 3.0));
    s.get("/api/v1/spend?by=week").expect(400);
    s.get("/api/v1/spend?since=soon").expect(400);
    s.get("/api/v1/spend?task=t_00000000").expect(404);
    // The card carries the figure the dashboard shows.
    let board = s.get("/api/v1/board").expect(200).json();
    let card = board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["tasks"].as_array().unwrap().iter())
        .find(|t| t["id"] == id.as_str())
        .unwrap()
        .clone();
    assert!(
        close(card["spend"]["cost_usd"].as_f64().unwrap(), 3.0),
        "{card}"
    );
    assert_eq!(card["spend"]["tokens"], 1_000_000);
}
