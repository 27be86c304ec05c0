#![cfg(feature = "store")]
//! Moving cards by hand and patching several fields at once.

mod common;

use common::Fx;
use kernel::complete::Completion;
use kernel::patch::Patch;
use kernel::{ErrorKind, Outcome, Status};
use serde_json::json;

#[test]
fn moving_to_running_by_hand_is_refused_and_changes_nothing() {
    let mut fx = Fx::new();
    let t = fx.create("x");
    let err = fx.board.move_to(&t, Status::Running).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err
        .to_string()
        .contains("Cannot set status to 'running' directly"));
    let p = Patch {
        status: Some(Status::Running),
        title: Some("renamed".into()),
        ..Default::default()
    };
    assert_eq!(
        fx.board.patch(&t, &p).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    assert_eq!(fx.task(&t).title, "x");
}

#[test]
fn a_person_may_start_a_todo_task_early_and_the_claim_honours_it() {
    let mut fx = Fx::new();
    let p = fx.create("parent");
    let c = fx.child_of("child", &[&p]);
    let moved = fx.board.move_to(&c, Status::Ready).unwrap();
    assert_eq!(moved.status, Status::Ready);
    let ev = fx.board.events(&c).unwrap();
    let status = ev.last().unwrap();
    assert_eq!(status.kind, "status");
    assert_eq!(status.payload_json().unwrap()["forced"], true);
    assert_eq!(status.payload_json().unwrap()["waiting_on"][0], p.as_str());
    let claim = fx.board.claim(&c, None, None).unwrap();
    assert_eq!(
        claim.task.status,
        Status::Running,
        "the person's choice is not undone by the claim gate"
    );
    fx.board.reclaim(&c, None).unwrap();

    // A dependency added after the move counts again.
    let q = fx.create("new parent");
    fx.board.link(&q, &c).unwrap();
    assert_eq!(fx.status(&c), Status::Todo);
    fx.sql(&format!(
        "UPDATE tasks SET status = 'ready' WHERE id = '{c}'"
    ));
    assert_eq!(
        fx.board.claim(&c, None, None).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    assert_eq!(fx.status(&c), Status::Todo);
}

#[test]
fn moving_off_running_closes_the_run_as_reclaimed() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "coder");
    let claim = fx.board.claim(&t, None, None).unwrap();
    let moved = fx.board.move_to(&t, Status::Ready).unwrap();
    assert_eq!(
        (
            moved.status,
            moved.claim_lock.as_deref(),
            moved.current_run_id
        ),
        (Status::Ready, None, None)
    );
    let run = fx.board.runs(&t).unwrap().remove(0);
    assert_eq!(run.outcome, Some(Outcome::Reclaimed));
    let ev = fx.board.events(&t).unwrap();
    assert_eq!(ev.last().unwrap().run_id, Some(claim.run_id));
    fx.board.move_to(&t, Status::Triage).unwrap();
    assert_eq!(fx.status(&t), Status::Triage);
    assert_eq!(
        fx.board.move_to(&t, Status::Triage).unwrap().status,
        Status::Triage,
        "no-op"
    );
}

#[test]
fn reopening_a_done_parent_sends_its_ready_children_back_to_todo() {
    let mut fx = Fx::new();
    let p = fx.create("parent");
    let c = fx.child_of("child", &[&p]);
    fx.board.complete(&p, &Completion::default()).unwrap();
    assert_eq!(fx.status(&c), Status::Ready);
    fx.board.move_to(&p, Status::Todo).unwrap();
    assert_eq!(fx.status(&c), Status::Todo);
    let ev = fx.board.events(&c).unwrap();
    assert_eq!(
        ev.last().unwrap().payload_json().unwrap()["reason"],
        "parent_reopened"
    );
    fx.board.recompute_ready(5).unwrap();
}

#[test]
fn a_patch_applies_every_field_or_none() {
    let mut fx = Fx::new();
    let t = fx.create_for("first", "coder");
    let bad = Patch {
        assignee: Some(Some("writer".into())),
        priority: Some(4),
        title: Some("   ".into()),
        ..Default::default()
    };
    assert_eq!(
        fx.board.patch(&t, &bad).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    let task = fx.task(&t);
    assert_eq!(
        (task.assignee.as_deref(), task.priority),
        (Some("coder"), 0),
        "nothing applied"
    );

    fx.board.claim(&t, None, None).unwrap();
    let refused = Patch {
        assignee: Some(Some("writer".into())),
        priority: Some(9),
        ..Default::default()
    };
    assert_eq!(
        fx.board.patch(&t, &refused).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    assert_eq!(
        fx.task(&t).priority,
        0,
        "the refused assignee rolled back the priority too"
    );

    let good = Patch {
        status: Some(Status::Done),
        summary: Some("finished by hand".into()),
        metadata: Some(json!({"files": 2})),
        priority: Some(9),
        title: Some("second".into()),
        body: Some(Some("**bold**".into())),
        ..Default::default()
    };
    let task = fx.board.patch(&t, &good).unwrap();
    assert_eq!(
        (
            task.status,
            task.priority,
            task.title.as_str(),
            task.body.as_deref()
        ),
        (Status::Done, 9, "second", Some("**bold**"))
    );
    let run = fx.board.runs(&t).unwrap().remove(0);
    assert_eq!(
        (run.outcome, run.summary.as_deref()),
        (Some(Outcome::Completed), Some("finished by hand"))
    );
    assert_eq!(run.metadata, Some(json!({"files": 2})));
}

#[test]
fn patching_to_blocked_ready_and_archived_uses_the_verbs() {
    let mut fx = Fx::new();
    let t = fx.create_for("x", "coder");
    fx.board.claim(&t, None, None).unwrap();
    let blocked = fx
        .board
        .patch(
            &t,
            &Patch {
                status: Some(Status::Blocked),
                block_reason: Some("need keys".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(blocked.status, Status::Blocked);
    assert_eq!(
        fx.board.runs(&t).unwrap()[0].summary.as_deref(),
        Some("need keys")
    );
    let ready = fx
        .board
        .patch(
            &t,
            &Patch {
                status: Some(Status::Ready),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(ready.status, Status::Ready);
    assert!(
        fx.kinds(&t).contains(&"unblocked".to_string()),
        "from blocked, ready means unblock"
    );
    fx.board.claim(&t, None, None).unwrap();
    let archived = fx
        .board
        .patch(
            &t,
            &Patch {
                status: Some(Status::Archived),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(archived.status, Status::Archived);
    assert_eq!(
        fx.board.runs(&t).unwrap()[1].outcome,
        Some(Outcome::Reclaimed)
    );
    let unassign = fx
        .board
        .patch(
            &t,
            &Patch {
                assignee: Some(None),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(unassign.assignee, None);
}
