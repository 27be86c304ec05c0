#![cfg(feature = "store")]
//! Claims, runs, handoffs, fencing, blocking, archiving and assignment.

mod common;

use common::{Fx, T0};
use kernel::complete::Completion;
use kernel::{ErrorKind, Outcome, Status};
use serde_json::json;

fn completion(summary: &str) -> Completion {
    Completion {
        summary: Some(summary.into()),
        ..Default::default()
    }
}

#[test]
fn one_claim_wins_and_the_second_loses() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    let first = fx.board.claim(&t, None, Some("host:1")).unwrap();
    assert_eq!(first.task.status, Status::Running);
    assert_eq!(first.task.claim_lock.as_deref(), Some("host:1"));
    assert_eq!(
        first.task.claim_expires,
        Some(T0 + 900),
        "default TTL is 15 minutes"
    );
    assert_eq!(first.task.current_run_id, Some(first.run_id));
    assert_eq!(first.task.started_at, Some(T0));
    let err = fx.board.claim(&t, None, Some("host:2")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("claimed by host:1"), "{err}");
    assert_eq!(
        fx.board.runs(&t).unwrap().len(),
        1,
        "the loser leaves no run"
    );
}

#[test]
fn claim_refuses_a_task_that_is_not_ready() {
    let mut fx = Fx::new();
    let t = fx.create("x");
    let p = fx.create("p");
    fx.board.link(&p, &t).unwrap();
    assert_eq!(fx.status(&t), Status::Todo);
    assert_eq!(
        fx.board.claim(&t, None, None).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    assert_eq!(
        fx.board.claim("t_00000000", None, None).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        fx.board.claim(&p, Some(0), None).unwrap_err().kind(),
        ErrorKind::Invalid
    );
}

#[test]
fn claim_sends_a_task_with_unfinished_parents_back_to_todo() {
    let mut fx = Fx::new();
    let p = fx.create("parent");
    let c = fx.create("child");
    // A racy writer added the edge without the demotion link() would do.
    fx.sql(&format!(
        "INSERT INTO task_links (parent_id, child_id) VALUES ('{p}', '{c}')"
    ));
    let err = fx.board.claim(&c, None, None).unwrap_err();
    assert!(err.to_string().contains("parent(s) not finished"), "{err}");
    assert_eq!(fx.status(&c), Status::Todo);
    let ev = fx.board.events(&c).unwrap();
    let rejected = ev.iter().find(|e| e.kind == "claim_rejected").unwrap();
    assert_eq!(
        rejected.payload_json().unwrap()["reason"],
        "parents_not_done"
    );
    assert!(fx.board.runs(&c).unwrap().is_empty());
}

#[test]
fn a_run_is_opened_on_claim_and_closed_with_the_handoff() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "coder");
    let claim = fx.board.claim(&t, Some(60), None).unwrap();
    let runs = fx.board.runs(&t).unwrap();
    assert_eq!(runs.len(), 1);
    assert!(runs[0].is_open());
    assert_eq!(runs[0].profile.as_deref(), Some("coder"));
    assert_eq!(runs[0].status, "running");
    fx.clock.advance(42);
    let meta = json!({"changed_files": ["a.rs"], "quote": "she said \"hi\"\nbye", "ü": 1});
    let done = fx
        .board
        .complete(
            &t,
            &Completion {
                summary: Some("Implemented the parser\nwith details".into()),
                metadata: Some(meta.clone()),
                run: Some(claim.run_id),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(done.status, Status::Done);
    assert_eq!(done.completed_at, Some(T0 + 42));
    assert_eq!(done.current_run_id, None);
    assert_eq!(done.claim_lock, None);
    let run = &fx.board.runs(&t).unwrap()[0];
    assert_eq!(run.outcome, Some(Outcome::Completed));
    assert_eq!(run.status, "done");
    assert_eq!(
        run.summary.as_deref(),
        Some("Implemented the parser\nwith details")
    );
    assert_eq!(run.metadata.as_ref(), Some(&meta));
    assert_eq!(run.elapsed_seconds(T0 + 1000), 42);
    let ev = fx.board.events(&t).unwrap();
    let completed = ev.iter().find(|e| e.kind == "completed").unwrap();
    assert_eq!(completed.run_id, Some(claim.run_id));
    assert_eq!(
        completed.payload_json().unwrap()["summary"],
        "Implemented the parser"
    );
}

#[test]
fn the_run_summary_falls_back_to_the_result() {
    let mut fx = Fx::new();
    let t = fx.create("x");
    fx.board.claim(&t, None, None).unwrap();
    fx.board
        .complete(
            &t,
            &Completion {
                result: Some("done and dusted".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let task = fx.task(&t);
    assert_eq!(task.result.as_deref(), Some("done and dusted"));
    assert_eq!(
        fx.board.runs(&t).unwrap()[0].summary.as_deref(),
        Some("done and dusted")
    );
}

#[test]
fn completed_event_summary_is_the_first_line_capped_at_400() {
    let mut fx = Fx::new();
    let t = fx.create("x");
    let long = format!("{}\nsecond line", "é".repeat(1000));
    fx.board.complete(&t, &completion(&long)).unwrap();
    let ev = fx.board.events(&t).unwrap();
    let s = ev.last().unwrap().payload_json().unwrap()["summary"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(s.chars().count(), 400);
    assert!(!s.contains("second"));

    let u = fx.create("y");
    fx.board.complete(&u, &Completion::default()).unwrap();
    let ev = fx.board.events(&u).unwrap();
    assert!(ev.last().unwrap().payload_json().unwrap()["summary"].is_null());
}

#[test]
fn completing_a_never_claimed_task_with_a_handoff_synthesizes_a_run() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "writer");
    fx.board
        .complete(&t, &completion("wrote it by hand"))
        .unwrap();
    let runs = fx.board.runs(&t).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].started_at, runs[0].ended_at.unwrap());
    assert_eq!(runs[0].outcome, Some(Outcome::Completed));
    assert_eq!(runs[0].profile.as_deref(), Some("writer"));
    let ev = fx.board.events(&t).unwrap();
    assert_eq!(ev.last().unwrap().run_id, Some(runs[0].id));

    let bare = fx.create("no handoff");
    fx.board.complete(&bare, &Completion::default()).unwrap();
    assert!(
        fx.board.runs(&bare).unwrap().is_empty(),
        "no handoff, no run"
    );
}

#[test]
fn complete_refuses_wrong_states_and_bad_metadata() {
    let mut fx = Fx::new();
    let t = fx.create("x");
    let err = fx
        .board
        .complete(
            &t,
            &Completion {
                metadata: Some(json!(["not", "an", "object"])),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(fx.status(&t), Status::Ready, "nothing changed");
    fx.board.complete(&t, &Completion::default()).unwrap();
    let err = fx.board.complete(&t, &Completion::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("it is done"), "{err}");
    let p = fx.create("p");
    let c = fx.child_of("c", &[&p]);
    assert_eq!(
        fx.board
            .complete(&c, &Completion::default())
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
}

#[test]
fn a_stale_run_cannot_complete_block_or_heartbeat_the_new_attempt() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    let first = fx.board.claim(&t, Some(10), None).unwrap();
    fx.clock.advance(11);
    assert_eq!(
        fx.board.release_stale_claims(&|_| false).unwrap(),
        vec![t.clone()]
    );
    let second = fx.board.claim(&t, None, None).unwrap();
    let stale = Some(first.run_id);
    let late = Completion {
        summary: Some("late".into()),
        run: stale,
        ..Default::default()
    };
    for err in [
        fx.board.complete(&t, &late).unwrap_err(),
        fx.board.block(&t, Some("late"), stale).unwrap_err(),
        fx.board
            .heartbeat(
                &t,
                &kernel::claim::Beat {
                    run: stale,
                    ..Default::default()
                },
            )
            .unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert!(
            err.to_string().contains("no longer the current attempt"),
            "{err}"
        );
    }
    let task = fx.task(&t);
    assert_eq!(task.status, Status::Running);
    assert_eq!(task.current_run_id, Some(second.run_id));
    fx.board
        .complete(
            &t,
            &Completion {
                summary: Some("on time".into()),
                run: Some(second.run_id),
                ..Default::default()
            },
        )
        .unwrap();
}

#[test]
fn an_operator_may_complete_a_running_task_and_that_is_recorded() {
    let mut fx = Fx::new();
    let t = fx.create("x");
    let claim = fx.board.claim(&t, None, None).unwrap();
    fx.board
        .complete(&t, &completion("finished by hand"))
        .unwrap();
    let run = fx.board.runs(&t).unwrap().remove(0);
    assert_eq!(run.id, claim.run_id);
    assert_eq!(run.outcome, Some(Outcome::Completed));
    let ev = fx.board.events(&t).unwrap();
    assert_eq!(
        ev.last().unwrap().payload_json().unwrap()["by_operator"],
        true
    );
}

#[test]
fn several_attempts_are_kept_as_runs() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    fx.board.claim(&t, Some(5), None).unwrap();
    fx.clock.advance(6);
    fx.board.release_stale_claims(&|_| false).unwrap();
    fx.board.claim(&t, None, None).unwrap();
    fx.board.reclaim(&t, Some("wrong approach")).unwrap();
    let third = fx.board.claim(&t, None, None).unwrap();
    fx.board
        .complete(
            &t,
            &Completion {
                summary: Some("third time".into()),
                run: Some(third.run_id),
                ..Default::default()
            },
        )
        .unwrap();
    let runs = fx.board.runs(&t).unwrap();
    let outcomes: Vec<_> = runs.iter().map(|r| r.outcome.unwrap()).collect();
    assert_eq!(
        outcomes,
        [Outcome::Reclaimed, Outcome::Reclaimed, Outcome::Completed]
    );
    assert!(runs[0].error.as_deref().unwrap().starts_with("stale_lock="));
    assert_eq!(
        runs[1].error.as_deref(),
        Some("manual_reclaim: wrong approach")
    );
}

#[test]
fn stale_claims_are_released_unless_the_worker_is_alive() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    let claim = fx.board.claim(&t, Some(60), None).unwrap();
    fx.clock.advance(59);
    assert!(
        fx.board
            .release_stale_claims(&|_| false)
            .unwrap()
            .is_empty(),
        "not yet expired"
    );
    fx.clock.advance(2);
    assert!(fx.board.release_stale_claims(&|_| true).unwrap().is_empty());
    let task = fx.task(&t);
    assert_eq!(task.status, Status::Running);
    assert_eq!(
        task.claim_expires,
        Some(T0 + 61 + 900),
        "extended by the TTL"
    );
    assert!(fx.kinds(&t).contains(&"claim_extended".to_string()));
    fx.clock.advance(2000);
    assert_eq!(
        fx.board.release_stale_claims(&|_| false).unwrap(),
        vec![t.clone()]
    );
    let task = fx.task(&t);
    assert_eq!(
        (task.status, task.claim_lock.as_deref(), task.current_run_id),
        (Status::Ready, None, None)
    );
    let ev = fx.board.events(&t).unwrap();
    let reclaimed = ev.iter().find(|e| e.kind == "reclaimed").unwrap();
    assert_eq!(reclaimed.run_id, Some(claim.run_id));
    assert!(reclaimed.payload_json().unwrap()["stale_lock"].is_string());
}

#[test]
fn heartbeat_extends_the_claim_and_records_the_note() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    let claim = fx.board.claim(&t, Some(60), Some("host:hb")).unwrap();
    fx.clock.advance(30);
    let task = fx
        .board
        .heartbeat(
            &t,
            &kernel::claim::Beat {
                note: Some("epoch 3/10"),
                run: Some(claim.run_id),
                ttl: Some(3600),
            },
        )
        .unwrap();
    assert_eq!(task.claim_expires, Some(T0 + 30 + 3600));
    assert_eq!(task.last_heartbeat_at, Some(T0 + 30));
    let run = fx.board.runs(&t).unwrap().remove(0);
    assert_eq!(run.last_heartbeat_at, Some(T0 + 30));
    let ev = fx.board.events(&t).unwrap();
    let hb = ev.iter().find(|e| e.kind == "heartbeat").unwrap();
    assert_eq!(hb.payload_json().unwrap()["note"], "epoch 3/10");
    assert_eq!(hb.run_id, Some(claim.run_id));
    fx.board
        .heartbeat(&t, &kernel::claim::Beat::default())
        .unwrap();
    assert!(fx
        .board
        .events(&t)
        .unwrap()
        .last()
        .unwrap()
        .payload_json()
        .is_none());

    let idle = fx.create("idle");
    assert_eq!(
        fx.board
            .heartbeat(&idle, &kernel::claim::Beat::default())
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
}

#[test]
fn block_then_unblock() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    let claim = fx.board.claim(&t, None, None).unwrap();
    let task = fx
        .board
        .block(&t, Some("need input"), Some(claim.run_id))
        .unwrap();
    assert_eq!(task.status, Status::Blocked);
    assert_eq!(task.claim_lock, None);
    let run = fx.board.runs(&t).unwrap().remove(0);
    assert_eq!(run.outcome, Some(Outcome::Blocked));
    assert_eq!(run.summary.as_deref(), Some("need input"));
    assert_eq!(
        fx.board.block(&t, Some("again"), None).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    assert_eq!(
        fx.board.recompute_ready(5).unwrap(),
        Vec::<String>::new(),
        "a block someone asked for sticks"
    );
    let task = fx.board.unblock(&t).unwrap();
    assert_eq!(task.status, Status::Ready);
    assert_eq!(
        fx.board.unblock(&t).unwrap_err().kind(),
        ErrorKind::Conflict
    );
}

#[test]
fn blocking_a_never_claimed_task_with_a_reason_keeps_it_as_a_run() {
    let mut fx = Fx::new();
    let t = fx.create("x");
    fx.board.block(&t, Some("waiting on legal"), None).unwrap();
    let runs = fx.board.runs(&t).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].outcome, Some(Outcome::Blocked));
    assert_eq!(runs[0].summary.as_deref(), Some("waiting on legal"));
}

#[test]
fn unblock_lands_in_todo_when_parents_are_unfinished_and_resets_failures() {
    let mut fx = Fx::new();
    let p = fx.create("p");
    let c = fx.create("c");
    fx.board.block(&c, Some("hold"), None).unwrap();
    fx.sql(&format!(
        "INSERT INTO task_links (parent_id, child_id) VALUES ('{p}', '{c}'); UPDATE tasks SET consecutive_failures = 3, last_failure_error = 'boom' WHERE id = '{c}'"
    ));
    let task = fx.board.unblock(&c).unwrap();
    assert_eq!(task.status, Status::Todo);
    assert_eq!(
        (task.consecutive_failures, task.last_failure_error),
        (0, None)
    );
    let ev = fx.board.events(&c).unwrap();
    assert_eq!(ev.last().unwrap().payload_json().unwrap()["status"], "todo");
}

#[test]
fn unblock_and_claim_recover_a_leaked_run_pointer() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    let claim = fx.board.claim(&t, None, None).unwrap();
    // Simulate an old bug: the task left running without its run being closed.
    fx.sql(&format!(
        "UPDATE tasks SET status = 'blocked', claim_lock = NULL WHERE id = '{t}'"
    ));
    fx.board.unblock(&t).unwrap();
    let run = fx.board.runs(&t).unwrap().remove(0);
    assert_eq!(run.id, claim.run_id);
    assert_eq!(run.outcome, Some(Outcome::Reclaimed));
    assert_eq!(fx.task(&t).current_run_id, None);

    let second = fx.board.claim(&t, None, None).unwrap();
    fx.sql(&format!(
        "UPDATE tasks SET status = 'ready', claim_lock = NULL, claim_expires = NULL WHERE id = '{t}'"
    ));
    let third = fx.board.claim(&t, None, None).unwrap();
    let runs = fx.board.runs(&t).unwrap();
    assert_eq!(
        runs.iter()
            .find(|r| r.id == second.run_id)
            .unwrap()
            .summary
            .as_deref(),
        Some("invariant recovery on re-claim")
    );
    assert!(runs
        .iter()
        .find(|r| r.id == third.run_id)
        .unwrap()
        .is_open());
}

#[test]
fn archiving_a_running_task_closes_its_run() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    let claim = fx.board.claim(&t, None, None).unwrap();
    let task = fx.board.archive(&t).unwrap();
    assert_eq!(
        (task.status, task.claim_lock.as_deref(), task.current_run_id),
        (Status::Archived, None, None)
    );
    let run = fx.board.runs(&t).unwrap().remove(0);
    assert_eq!(run.outcome, Some(Outcome::Reclaimed));
    let ev = fx.board.events(&t).unwrap();
    assert_eq!(ev.last().unwrap().kind, "archived");
    assert_eq!(ev.last().unwrap().run_id, Some(claim.run_id));
    assert_eq!(
        fx.board.archive(&t).unwrap_err().kind(),
        ErrorKind::Conflict
    );

    let idle = fx.create("idle");
    fx.board.archive(&idle).unwrap();
    assert!(fx.board.runs(&idle).unwrap().is_empty(), "no spurious run");
}

#[test]
fn assignment_rules() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    fx.sql(&format!(
        "UPDATE tasks SET consecutive_failures = 2 WHERE id = '{t}'"
    ));
    let task = fx.board.assign(&t, Some(" B ")).unwrap();
    assert_eq!(task.assignee.as_deref(), Some("b"));
    assert_eq!(task.consecutive_failures, 0, "a new assignee starts clean");
    let ev = fx.board.events(&t).unwrap();
    assert_eq!(ev.last().unwrap().payload_json().unwrap()["assignee"], "b");

    fx.board.claim(&t, None, None).unwrap();
    let err = fx.board.assign(&t, Some("c")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("currently running"), "{err}");

    let task = fx
        .board
        .reassign(&t, Some("c"), true, Some("stuck"))
        .unwrap();
    assert_eq!(
        (task.status, task.assignee.as_deref()),
        (Status::Ready, Some("c"))
    );
    let run = fx.board.runs(&t).unwrap().remove(0);
    assert_eq!(run.error.as_deref(), Some("manual_reclaim: stuck"));
    let task = fx.board.assign(&t, None).unwrap();
    assert_eq!(task.assignee, None);
}

#[test]
fn manual_reclaim_releases_a_running_task() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    let claim = fx.board.claim(&t, None, Some("host:7")).unwrap();
    fx.board
        .record_spawn(&t, claim.run_id, 4242, Some(99))
        .unwrap();
    fx.sql(&format!(
        "UPDATE tasks SET consecutive_failures = 4 WHERE id = '{t}'"
    ));
    let r = fx.board.reclaim(&t, None).unwrap();
    assert_eq!(r.prev_pid, Some(4242));
    assert_eq!(r.prev_lock.as_deref(), Some("host:7"));
    assert_eq!(
        (
            r.task.status,
            r.task.consecutive_failures,
            r.task.worker_pid
        ),
        (Status::Ready, 0, None)
    );
    let ev = fx.board.events(&t).unwrap();
    let p = ev.last().unwrap().payload_json().unwrap();
    assert_eq!(
        (p["manual"].clone(), p["prev_pid"].clone()),
        (json!(true), json!(4242))
    );
    assert_eq!(
        fx.board.reclaim(&t, None).unwrap_err().kind(),
        ErrorKind::Conflict
    );
}

#[test]
fn spawn_is_recorded_on_the_task_and_the_run() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    let claim = fx.board.claim(&t, None, None).unwrap();
    fx.board
        .record_spawn(&t, claim.run_id, 1234, Some(5678))
        .unwrap();
    let task = fx.task(&t);
    assert_eq!(
        (task.worker_pid, task.worker_started),
        (Some(1234), Some(5678))
    );
    let run = fx.board.runs(&t).unwrap().remove(0);
    assert_eq!(
        (run.worker_pid, run.worker_started),
        (Some(1234), Some(5678))
    );
    let ev = fx.board.events(&t).unwrap();
    assert_eq!(
        (ev.last().unwrap().kind.as_str(), ev.last().unwrap().run_id),
        ("spawned", Some(claim.run_id))
    );
    assert_eq!(
        fx.board
            .record_spawn(&t, claim.run_id + 1, 1, None)
            .unwrap_err()
            .kind(),
        ErrorKind::Conflict
    );
}

#[test]
fn breaker_blocks_recover_below_the_limit_but_worker_blocks_stick() {
    let mut fx = Fx::new();
    let breaker = fx.create_for("flaky", "a");
    let worker = fx.create_for("asked", "a");
    fx.board
        .block(&worker, Some("need a decision"), None)
        .unwrap();
    // The breaker blocks without a `blocked` event (it records `gave_up`).
    fx.sql(&format!(
        "UPDATE tasks SET status = 'blocked', consecutive_failures = 5 WHERE id = '{breaker}'"
    ));
    assert!(
        fx.board.recompute_ready(5).unwrap().is_empty(),
        "at the limit: stays blocked"
    );
    assert_eq!(
        fx.board.recompute_ready(6).unwrap(),
        vec![breaker.clone()],
        "limit raised: retried"
    );
    assert_eq!(fx.status(&worker), Status::Blocked);

    let own = fx.create_for("own limit", "a");
    fx.sql(&format!("UPDATE tasks SET status = 'blocked', consecutive_failures = 2, max_retries = 2 WHERE id = '{own}'"));
    assert!(
        fx.board.recompute_ready(10).unwrap().is_empty(),
        "the task's max_retries wins"
    );
}

#[test]
fn comments_are_kept_in_order_and_blank_ones_refused() {
    let mut fx = Fx::new();
    let t = fx.create("x");
    fx.board.comment(&t, "user", "first").unwrap();
    fx.clock.advance(1);
    fx.board.comment(&t, "researcher", "  second  ").unwrap();
    let c = fx.board.comments(&t).unwrap();
    assert_eq!(
        c.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(),
        ["first", "second"]
    );
    assert_eq!(
        c.iter().map(|c| c.author.as_str()).collect::<Vec<_>>(),
        ["user", "researcher"]
    );
    let err = fx.board.comment(&t, "user", "  \n ").unwrap_err();
    assert!(err.to_string().contains("body is required"), "{err}");
    assert_eq!(
        fx.board
            .comment("t_ffffffff", "user", "hi")
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    let ev = fx.board.events(&t).unwrap();
    assert_eq!(ev.iter().filter(|e| e.kind == "commented").count(), 2);
}

#[test]
fn events_capture_the_lifecycle_and_scope_run_ids() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    fx.board.comment(&t, "user", "go").unwrap();
    let claim = fx.board.claim(&t, None, None).unwrap();
    fx.board
        .heartbeat(
            &t,
            &kernel::claim::Beat {
                run: Some(claim.run_id),
                ..Default::default()
            },
        )
        .unwrap();
    fx.board
        .complete(
            &t,
            &Completion {
                result: Some("ok".into()),
                run: Some(claim.run_id),
                ..Default::default()
            },
        )
        .unwrap();
    let ev = fx.board.events(&t).unwrap();
    let pairs: Vec<(&str, bool)> = ev
        .iter()
        .map(|e| (e.kind.as_str(), e.run_id.is_some()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("created", false),
            ("commented", false),
            ("claimed", true),
            ("heartbeat", true),
            ("completed", true)
        ]
    );
    assert!(ev.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(fx.board.latest_event_id().unwrap(), ev.last().unwrap().id);
    assert_eq!(fx.board.events_after(ev[2].id, 10).unwrap().len(), 2);
}

#[test]
fn next_ready_is_priority_then_age() {
    let mut fx = Fx::new();
    let old = fx.create_for("old", "a");
    fx.clock.advance(5);
    let newer = fx.create_for("newer", "a");
    let mut n = kernel::create::NewTask::titled("urgent");
    n.priority = 10;
    let urgent = fx.board.create(&n).unwrap().id;
    fx.board.claim(&newer, None, None).unwrap();
    let ids: Vec<String> = fx
        .board
        .next_ready(10)
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids, [urgent, old]);
}

fn fail(fx: &mut Fx, id: &str, outcome: Outcome, limit: i64) -> kernel::failure::FailureResult {
    let run = fx.board.claim(id, None, None).unwrap().run_id;
    fx.board
        .record_failure(
            id,
            run,
            &kernel::failure::Failure {
                outcome,
                error: format!("boom {outcome}"),
                details: json!({"pid": 42}),
            },
            limit,
        )
        .unwrap()
}

#[test]
fn the_breaker_retries_then_gives_up_at_the_limit() {
    let mut fx = Fx::new();
    let t = fx.create_for("flaky", "a");
    let r = fail(&mut fx, &t, Outcome::Crashed, 3);
    assert_eq!((r.failures, r.gave_up), (1, false));
    assert_eq!(fx.status(&t), Status::Ready);
    fail(&mut fx, &t, Outcome::TimedOut, 3);
    let r = fail(&mut fx, &t, Outcome::Crashed, 3);
    assert_eq!((r.failures, r.limit, r.gave_up), (3, 3, true));
    let task = fx.task(&t);
    assert_eq!(task.status, Status::Blocked);
    assert_eq!(task.last_failure_error.as_deref(), Some("boom crashed"));
    let outcomes: Vec<_> = fx
        .board
        .runs(&t)
        .unwrap()
        .iter()
        .map(|r| r.outcome.unwrap())
        .collect();
    assert_eq!(
        outcomes,
        [Outcome::Crashed, Outcome::TimedOut, Outcome::Crashed]
    );
    let ev = fx.board.events(&t).unwrap();
    let gave_up = ev.last().unwrap();
    assert_eq!(gave_up.kind, "gave_up");
    assert_eq!(gave_up.payload_json().unwrap()["effective_limit"], 3);
    assert!(ev
        .iter()
        .any(|e| e.kind == "timed_out" && e.payload_json().unwrap()["pid"] == 42));
    assert!(
        fx.board.recompute_ready(3).unwrap().is_empty(),
        "stays blocked at the limit"
    );
    fx.board.unblock(&t).unwrap();
    assert_eq!(
        fx.task(&t).consecutive_failures,
        0,
        "unblocking resets the count"
    );
}

#[test]
fn a_spawn_failure_that_trips_the_breaker_closes_its_run_as_gave_up() {
    let mut fx = Fx::new();
    let t = fx.create_for("bad profile", "a");
    fail(&mut fx, &t, Outcome::SpawnFailed, 2);
    let r = fail(&mut fx, &t, Outcome::SpawnFailed, 2);
    assert!(r.gave_up);
    let outcomes: Vec<_> = fx
        .board
        .runs(&t)
        .unwrap()
        .iter()
        .map(|r| r.outcome.unwrap())
        .collect();
    assert_eq!(outcomes, [Outcome::SpawnFailed, Outcome::GaveUp]);
    assert_eq!(fx.kinds(&t).last().map(String::as_str), Some("gave_up"));
}

#[test]
fn a_success_resets_the_failure_count_and_max_retries_wins() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    fail(&mut fx, &t, Outcome::Crashed, 5);
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
    assert_eq!(fx.task(&t).consecutive_failures, 0);

    let mut n = kernel::create::NewTask::titled("one strike");
    n.max_retries = Some(1);
    let u = fx.board.create(&n).unwrap().id;
    assert!(
        fail(&mut fx, &u, Outcome::Crashed, 5).gave_up,
        "the task's own limit applies"
    );
}

#[test]
fn a_failure_for_a_run_that_is_no_longer_active_changes_nothing() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "a");
    let run = fx.board.claim(&t, None, None).unwrap().run_id;
    fx.board.reclaim(&t, None).unwrap();
    let f = kernel::failure::Failure {
        outcome: Outcome::Crashed,
        error: "late".into(),
        details: json!({}),
    };
    assert_eq!(
        fx.board.record_failure(&t, run, &f, 5).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    assert_eq!(fx.task(&t).consecutive_failures, 0);
    let bad = kernel::failure::Failure {
        outcome: Outcome::Completed,
        error: "x".into(),
        details: json!({}),
    };
    assert_eq!(
        fx.board
            .record_failure(&t, run, &bad, 5)
            .unwrap_err()
            .kind(),
        ErrorKind::Invalid
    );
}
