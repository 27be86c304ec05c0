#![cfg(feature = "store")]
//! The diagnostics rules, the hallucination gate and the prose scan.

mod common;

use common::Fx;
use kernel::complete::{task_ids_in, Completion};
use kernel::create::NewTask;
use kernel::diagnostics::{DiagnosticsConfig, Environment, ProfileState, Rule, RuleInput, RULES};
use kernel::failure::Failure;
use kernel::{Diagnostic, ErrorKind, Outcome, Severity, Status};
use serde_json::json;

fn diags(fx: &mut Fx, id: &str, env: &Environment) -> Vec<Diagnostic> {
    fx.board
        .diagnostics(&DiagnosticsConfig::default(), env, None)
        .unwrap()
        .by_task
        .remove(id)
        .unwrap_or_default()
}

fn kinds(d: &[Diagnostic]) -> Vec<(&str, Severity)> {
    d.iter().map(|d| (d.kind.as_str(), d.severity)).collect()
}

fn env_with(profile: &str) -> Environment {
    let mut env = Environment {
        dispatcher_running: true,
        ..Default::default()
    };
    env.profiles.insert(
        profile.into(),
        ProfileState {
            running: 0,
            max_concurrent: None,
            paused: None,
        },
    );
    env
}

fn fail(fx: &mut Fx, id: &str, outcome: Outcome, error: &str) {
    let run = fx.board.claim(id, None, None).unwrap().run_id;
    let f = Failure {
        outcome,
        error: error.into(),
        details: json!({}),
    };
    fx.board.record_failure(id, run, &f, 100).unwrap();
}

#[test]
fn repeated_crashes_start_at_two_and_turn_critical_at_four() {
    let mut fx = Fx::new();
    let env = env_with("coder");
    let t = fx.create_for("flaky", "coder");
    fail(
        &mut fx,
        &t,
        Outcome::Crashed,
        "429 Too Many Requests\nretry later",
    );
    assert!(
        diags(&mut fx, &t, &env).is_empty(),
        "one crash is not a pattern"
    );
    fail(&mut fx, &t, Outcome::TimedOut, "elapsed 700s > limit 600s");
    fail(
        &mut fx,
        &t,
        Outcome::Crashed,
        "429 Too Many Requests\nretry later",
    );
    let d = diags(&mut fx, &t, &env);
    assert_eq!(kinds(&d), [("repeated_crashes", Severity::Error)]);
    assert_eq!(d[0].title, "Agent crashed 3x: 429 Too Many Requests");
    assert!(
        d[0].actions[0].suggested
            && d[0].actions[0].command.as_deref() == Some(&format!("baton log {t}")[..])
    );
    assert!(
        d[0].actions.iter().any(|a| a.kind == "reassign"),
        "generic recovery offered"
    );
    fail(&mut fx, &t, Outcome::Crashed, "boom");
    assert_eq!(
        kinds(&diags(&mut fx, &t, &env)),
        [("repeated_crashes", Severity::Critical)]
    );
    // A success clears it.
    let run = fx.board.claim(&t, None, None).unwrap().run_id;
    fx.board
        .complete(
            &t,
            &Completion {
                run: Some(run),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(diags(&mut fx, &t, &env).is_empty());
}

#[test]
fn a_crash_without_an_error_says_so() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "coder");
    fail(&mut fx, &t, Outcome::Crashed, "");
    fail(&mut fx, &t, Outcome::Crashed, "");
    let d = diags(&mut fx, &t, &env_with("coder"));
    assert_eq!(d[0].title, "Agent crashed 2x (no error recorded)");
}

#[test]
fn repeated_spawn_failures_at_three_and_six() {
    let mut fx = Fx::new();
    let env = env_with("ghost");
    let t = fx.create_for("x", "ghost");
    for _ in 0..2 {
        fail(
            &mut fx,
            &t,
            Outcome::SpawnFailed,
            "command not found: /opt/agent",
        );
    }
    assert!(diags(&mut fx, &t, &env).is_empty());
    fail(
        &mut fx,
        &t,
        Outcome::SpawnFailed,
        "command not found: /opt/agent",
    );
    let d = diags(&mut fx, &t, &env);
    assert_eq!(kinds(&d), [("repeated_spawn_failures", Severity::Error)]);
    assert_eq!(
        d[0].title,
        "Agent failed to start 3x: command not found: /opt/agent"
    );
    assert!(d[0].actions[0]
        .command
        .as_deref()
        .unwrap()
        .contains("[profiles.ghost]"));
    for _ in 0..3 {
        fail(
            &mut fx,
            &t,
            Outcome::SpawnFailed,
            "command not found: /opt/agent",
        );
    }
    assert_eq!(
        kinds(&diags(&mut fx, &t, &env)),
        [("repeated_spawn_failures", Severity::Critical)]
    );
}

#[test]
fn thresholds_come_from_the_config() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "coder");
    fail(&mut fx, &t, Outcome::Crashed, "e");
    let strict = DiagnosticsConfig {
        crashes: 1,
        ..Default::default()
    };
    let d = fx
        .board
        .diagnostics(&strict, &env_with("coder"), Some(&t))
        .unwrap()
        .by_task
        .remove(&t)
        .unwrap();
    assert_eq!(
        kinds(&d),
        [("repeated_crashes", Severity::Error)],
        "one crash meets a threshold of 1"
    );
    fail(&mut fx, &t, Outcome::Crashed, "e");
    let d = fx
        .board
        .diagnostics(&strict, &env_with("coder"), Some(&t))
        .unwrap()
        .by_task
        .remove(&t)
        .unwrap();
    assert_eq!(
        kinds(&d),
        [("repeated_crashes", Severity::Critical)],
        "two is twice the threshold"
    );
}

#[test]
fn stuck_in_blocked_after_a_day_without_a_reply() {
    let mut fx = Fx::new();
    let env = env_with("coder");
    let t = fx.create_for("x", "coder");
    fx.board
        .block(&t, Some("Need the staging password"), None)
        .unwrap();
    fx.clock.advance(24 * 3600 - 1);
    assert!(diags(&mut fx, &t, &env).is_empty(), "not yet a day");
    fx.clock.advance(1);
    let d = diags(&mut fx, &t, &env);
    assert_eq!(kinds(&d), [("stuck_in_blocked", Severity::Warning)]);
    assert_eq!(
        d[0].title,
        "Blocked for 1d with no reply: Need the staging password"
    );
    fx.board.comment(&t, "alice", "it's in the vault").unwrap();
    assert!(diags(&mut fx, &t, &env).is_empty(), "a comment silences it");
}

#[test]
fn stranded_in_ready_says_why_and_escalates() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "coder");
    let nobody = Environment::default();
    fx.clock.advance(30 * 60 - 1);
    assert!(diags(&mut fx, &t, &nobody).is_empty());
    fx.clock.advance(1);
    let d = diags(&mut fx, &t, &nobody);
    assert_eq!(kinds(&d), [("stranded_in_ready", Severity::Warning)]);
    assert_eq!(d[0].title, "Waiting in ready for 30m: no [profiles.coder] is configured, so it waits for coder to claim it");
    let mut no_dispatcher = env_with("coder");
    no_dispatcher.dispatcher_running = false;
    fx.clock.advance(30 * 60);
    let d = diags(&mut fx, &t, &no_dispatcher);
    assert_eq!(kinds(&d), [("stranded_in_ready", Severity::Error)]);
    assert!(
        d[0].title
            .ends_with("no dispatcher is running for this board"),
        "{}",
        d[0].title
    );
    assert_eq!(
        d[0].actions[0].command.as_deref(),
        Some("baton daemon   (or baton serve)")
    );
    let mut capped = env_with("coder");
    capped.profiles.get_mut("coder").unwrap().max_concurrent = Some(2);
    capped.profiles.get_mut("coder").unwrap().running = 2;
    fx.clock.advance(4 * 30 * 60);
    let d = diags(&mut fx, &t, &capped);
    assert_eq!(kinds(&d), [("stranded_in_ready", Severity::Critical)]);
    assert!(
        d[0].title.contains("at its max_concurrent (2 running)"),
        "{}",
        d[0].title
    );
    // Unassigned or claimed tasks are not stranded.
    let u = fx.create("unassigned");
    fx.clock.advance(7200);
    assert!(diags(&mut fx, &u, &nobody).is_empty());
    fx.board.claim(&t, None, None).unwrap();
    assert!(diags(&mut fx, &t, &nobody).is_empty());
}

#[test]
fn the_gate_refuses_phantom_and_foreign_cards_and_accepts_real_ones() {
    let mut fx = Fx::new();
    let mut n = NewTask::titled("orchestrate");
    n.assignee = Some("planner".into());
    let t = fx.board.create(&n).unwrap().id;
    let mut mine = NewTask::titled("child by planner");
    mine.created_by = Some("planner".into());
    let mine = fx.board.create(&mine).unwrap().id;
    let mut theirs = NewTask::titled("child by someone else");
    theirs.created_by = Some("user".into());
    let theirs = fx.board.create(&theirs).unwrap().id;
    let run = fx.board.claim(&t, None, None).unwrap().run_id;

    let lie = Completion {
        summary: Some("made two cards".into()),
        created_cards: vec![mine.clone(), "t_0badc0de".into(), theirs.clone()],
        run: Some(run),
        ..Default::default()
    };
    let err = fx.board.complete(&t, &lie).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(
        err.to_string().contains("no such task: t_0badc0de"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains(&format!("not created by planner: {theirs}")),
        "{err}"
    );
    let task = fx.task(&t);
    assert_eq!(
        (task.status, task.current_run_id),
        (Status::Running, Some(run)),
        "nothing changed"
    );
    let ev = fx.board.events(&t).unwrap();
    let blocked = ev
        .iter()
        .find(|e| e.kind == "completion_blocked_hallucination")
        .unwrap();
    assert_eq!(
        blocked.payload_json().unwrap()["phantom_ids"],
        json!(["t_0badc0de", theirs])
    );
    let d = diags(&mut fx, &t, &env_with("planner"));
    assert_eq!(kinds(&d), [("hallucinated_cards", Severity::Error)]);

    let honest = Completion {
        created_cards: vec![mine.clone()],
        run: Some(run),
        ..Default::default()
    };
    fx.board.complete(&t, &honest).unwrap();
    assert_eq!(fx.status(&t), Status::Done);
    let ev = fx.board.events(&t).unwrap();
    assert_eq!(
        ev.last().unwrap().payload_json().unwrap()["verified_cards"],
        json!([mine])
    );
    assert!(
        diags(&mut fx, &t, &env_with("planner")).is_empty(),
        "a clean completion clears it"
    );
}

#[test]
fn the_prose_scan_flags_only_unresolved_ids() {
    let mut fx = Fx::new();
    let real = fx.create("real");
    let t = fx.create_for("x", "coder");
    let summary =
        format!("Built on {real}, see t_deadbeef and t_DEADBEEF and xt_12345678 and t_1234567");
    fx.board
        .complete(
            &t,
            &Completion {
                summary: Some(summary),
                result: Some("also t_00c0ffee".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let ev = fx.board.events(&t).unwrap();
    let suspect = ev
        .iter()
        .find(|e| e.kind == "suspected_hallucinated_references")
        .unwrap();
    assert_eq!(
        suspect.payload_json().unwrap()["ids"],
        json!(["t_deadbeef", "t_00c0ffee"])
    );
    let d = fx
        .board
        .diagnostics(&DiagnosticsConfig::default(), &env_with("coder"), Some(&t))
        .unwrap()
        .by_task
        .remove(&t)
        .unwrap();
    assert_eq!(kinds(&d), [("prose_phantom_refs", Severity::Warning)]);
    // An edit clears it.
    fx.board
        .edit(
            &t,
            &kernel::edit::Edit {
                title: Some("renamed".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(fx
        .board
        .diagnostics(&DiagnosticsConfig::default(), &env_with("coder"), Some(&t))
        .unwrap()
        .by_task
        .is_empty());

    assert_eq!(
        task_ids_in("t_0123abcd,t_ffffffff."),
        ["t_0123abcd", "t_ffffffff"]
    );
    assert!(task_ids_in("t_0123abcdX t_0123abc").is_empty());
    let clean = fx.create_for("y", "coder");
    fx.board
        .complete(
            &clean,
            &Completion {
                summary: Some(format!("depends on {real}")),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!fx
        .kinds(&clean)
        .contains(&"suspected_hallucinated_references".to_string()));
}

#[test]
fn severity_orders_a_tasks_diagnostics_and_a_failing_rule_hides_nothing() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "coder");
    for _ in 0..4 {
        fail(&mut fx, &t, Outcome::Crashed, "boom");
    }
    fx.clock.advance(3600);
    fn broken(_: &RuleInput<'_>) -> Result<Vec<Diagnostic>, String> {
        Err("this rule is broken".into())
    }
    fn panicking(_: &RuleInput<'_>) -> Result<Vec<Diagnostic>, String> {
        panic!("this rule panics")
    }
    let mut rules: Vec<(&str, Rule)> = vec![("broken", broken), ("panicking", panicking)];
    rules.extend_from_slice(RULES);
    let out = fx
        .board
        .diagnostics_with(
            &DiagnosticsConfig::default(),
            &Environment::default(),
            None,
            &rules,
        )
        .unwrap();
    let d = &out.by_task[&t];
    assert_eq!(
        kinds(d),
        [
            ("repeated_crashes", Severity::Critical),
            ("stranded_in_ready", Severity::Error)
        ]
    );
    let failed: Vec<&str> = out.failures.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(failed, ["broken", "panicking"]);
    assert!(out.failures[1].error.contains("this rule panics"));
}

#[test]
fn done_and_archived_tasks_have_no_failure_diagnostics() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "coder");
    fail(&mut fx, &t, Outcome::Crashed, "a");
    fail(&mut fx, &t, Outcome::Crashed, "b");
    fx.board.archive(&t).unwrap();
    assert!(fx
        .board
        .diagnostics(&DiagnosticsConfig::default(), &env_with("coder"), None)
        .unwrap()
        .by_task
        .is_empty());
}
