//! `baton init`, `create`, `list` and `show`, run as a process.

mod common;

use common::Baton;

#[test]
fn init_creates_the_home_and_says_what_to_do_next() {
    let b = Baton::new();
    let out = b.run(&["init"]).ok();
    assert!(b.home().join("kanban.db").is_file());
    assert!(out.stdout.contains("baton serve"), "{}", out.stdout);
    assert!(out.stdout.contains("[profiles."), "{}", out.stdout);
}

#[test]
fn create_prints_the_task_and_json_is_the_task_object() {
    let b = Baton::new();
    let out = b
        .run(&[
            "create",
            "Write the notes",
            "--assignee",
            "Writer",
            "--priority",
            "3",
            "--skill",
            "md",
            "--json",
        ])
        .ok();
    let t = out.json();
    assert_eq!(t["title"], "Write the notes");
    assert_eq!(t["assignee"], "writer");
    assert_eq!(t["status"], "ready");
    assert_eq!(t["priority"], 3);
    assert_eq!(t["skills"][0], "md");
    assert_eq!(t["created_by"], "user");
    let plain = b.run(&["create", "Plain one"]).ok();
    assert!(
        plain.stdout.starts_with("t_") && plain.stdout.contains("ready  Plain one"),
        "{}",
        plain.stdout
    );
}

#[test]
fn create_refuses_bad_input_with_a_message_and_exit_1() {
    let b = Baton::new();
    for (args, needle) in [
        (vec!["create", "   "], "title is required"),
        (
            vec!["create", "x", "--parent", "t_nothere"],
            "unknown parent task(s): t_nothere",
        ),
        (
            vec!["create", "x", "--workspace", "cloud"],
            "workspace_kind",
        ),
        (
            vec!["create", "x", "--workspace", "dir:relative/path"],
            "must be absolute",
        ),
        (
            vec!["create", "x", "--max-runtime", "soon"],
            "invalid duration",
        ),
        (vec!["create", "x", "--skill", "a,b"], "comma"),
    ] {
        let out = b.run(&args).code(1);
        assert!(out.stderr.contains(needle), "{args:?}: {}", out.stderr);
    }
    assert_eq!(
        b.run(&["list", "--json"]).ok().json(),
        serde_json::json!([])
    );
}

#[test]
fn usage_errors_exit_2() {
    let b = Baton::new();
    b.run(&["create"]).code(2);
    b.run(&["frobnicate"]).code(2);
    let out = b.run(&["list", "--status", "sleeping"]).code(2);
    assert!(
        out.stderr.contains("unknown status 'sleeping'"),
        "{}",
        out.stderr
    );
}

#[test]
fn list_filters_and_json_is_an_array_of_tasks() {
    let b = Baton::new();
    let a = b.create("alpha", &["--assignee", "coder", "--tenant", "acme"]);
    let _ = b.create("beta", &["--assignee", "writer", "--priority", "9"]);
    let c = b.create("gamma", &["--parent", &a]);
    let all = b.run(&["ls", "--json"]).ok().json();
    let titles: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["beta", "alpha", "gamma"]);
    let mine = b
        .run_env(&["list", "--mine", "--json"], &[("BATON_PROFILE", "coder")])
        .ok()
        .json();
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["id"], a.as_str());
    let todo = b.run(&["list", "--status", "todo", "--json"]).ok().json();
    assert_eq!(todo[0]["id"], c.as_str());
    let acme = b.run(&["list", "--tenant", "acme"]).ok();
    assert!(
        acme.stdout.contains("alpha") && !acme.stdout.contains("beta"),
        "{}",
        acme.stdout
    );
    assert!(
        acme.stdout.starts_with("ID"),
        "a table with a header: {}",
        acme.stdout
    );
    b.run(&["list", "--mine"]).code(2);
}

#[test]
fn show_gives_the_task_detail() {
    let b = Baton::new();
    let p = b.create("parent", &[]);
    let c = b.create("child", &["--parent", &p, "--body", "Line one\nLine two"]);
    let detail = b.run(&["show", &c, "--json"]).ok().json();
    assert_eq!(detail["task"]["id"], c.as_str());
    assert_eq!(detail["links"]["parents"][0], p.as_str());
    assert_eq!(detail["events"][0]["kind"], "created");
    assert!(detail["runs"].as_array().unwrap().is_empty());
    let human = b.run(&["show", &c]).ok();
    assert!(
        human.stdout.contains("Line two") && human.stdout.contains("parents:"),
        "{}",
        human.stdout
    );
    let missing = b.run(&["show", "t_00000000"]).code(1);
    assert!(
        missing.stderr.contains("task t_00000000 not found"),
        "{}",
        missing.stderr
    );
}

#[test]
fn board_flag_and_env_pick_the_board() {
    let b = Baton::new();
    let out = b.run(&["--board", "nope", "list"]).code(1);
    assert!(
        out.stderr.contains("board 'nope' does not exist"),
        "{}",
        out.stderr
    );
    let bad = b.run(&["--board", "../x", "list"]).code(1);
    assert!(bad.stderr.contains("invalid board slug"), "{}", bad.stderr);
}

#[test]
fn a_non_database_home_file_is_refused_untouched() {
    let b = Baton::new();
    std::fs::create_dir_all(b.home()).unwrap();
    std::fs::write(
        b.home().join("kanban.db"),
        "not a database at all, just text",
    )
    .unwrap();
    let out = b.run(&["list"]).code(1);
    assert!(
        out.stderr.contains("is not a Baton database"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(b.home().join("kanban.db")).unwrap(),
        "not a database at all, just text"
    );
}
