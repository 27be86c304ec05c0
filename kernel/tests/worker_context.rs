#![cfg(feature = "store")]
//! What a worker is told, and the caps that keep it bounded.

mod common;

use common::Fx;
use kernel::complete::Completion;
use kernel::create::NewTask;
use serde_json::json;

#[test]
fn context_has_the_task_its_parents_handoffs_and_the_comments() {
    let mut fx = Fx::new();
    let p = fx.create_for("research", "researcher");
    let claim = fx.board.claim(&p, None, None).unwrap();
    fx.board
        .complete(
            &p,
            &Completion {
                summary: Some("PARENT_RESULT_MARKER found 3 sources".into()),
                metadata: Some(json!({"sources": 3, "a": true})),
                run: Some(claim.run_id),
                ..Default::default()
            },
        )
        .unwrap();
    let mut n = NewTask::titled("write the report");
    n.parents = vec![p.clone()];
    n.body = Some("Use **all** sources.".into());
    n.assignee = Some("writer".into());
    n.tenant = Some("acme".into());
    n.skills = vec!["citations".into()];
    let c = fx.board.create(&n).unwrap().id;
    fx.board
        .comment(&c, "user", "CLARIFICATION_MARKER keep it short")
        .unwrap();
    let ctx = fx.board.worker_context(&c).unwrap();
    assert!(
        ctx.starts_with(&format!("# Kanban task {c}: write the report\n")),
        "{ctx}"
    );
    for needle in [
        "Assignee: writer",
        "Status:   ready",
        "Tenant:   acme",
        "Workspace: scratch @ (unresolved)",
        "Skills:   citations",
        "## Body\n\nUse **all** sources.",
        "## Parent task results",
        "PARENT_RESULT_MARKER found 3 sources",
        "_metadata_: `{\"a\":true,\"sources\":3}`",
        "## Comment thread",
        "comment from `user`",
        "CLARIFICATION_MARKER keep it short",
    ] {
        assert!(ctx.contains(needle), "missing {needle:?} in:\n{ctx}");
    }
    assert!(ctx.ends_with('\n') && !ctx.ends_with("\n\n"));
}

#[test]
fn a_parent_without_runs_falls_back_to_its_result() {
    let mut fx = Fx::new();
    let p = fx.create("legacy parent");
    fx.sql(&format!(
        "UPDATE tasks SET status = 'done', result = 'OLD_RESULT' WHERE id = '{p}'"
    ));
    let c = fx.child_of("child", &[&p]);
    let ctx = fx.board.worker_context(&c).unwrap();
    assert!(ctx.contains("OLD_RESULT"), "{ctx}");
    let q = fx.create("silent parent");
    fx.board.complete(&q, &Completion::default()).unwrap();
    let d = fx.child_of("child2", &[&q]);
    assert!(fx
        .board
        .worker_context(&d)
        .unwrap()
        .contains("(no result recorded)"));
}

#[test]
fn prior_attempts_explain_why_earlier_runs_ended() {
    let mut fx = Fx::new();
    let t = fx.create_for("flaky", "coder");
    fx.board.claim(&t, None, None).unwrap();
    fx.board
        .reclaim(&t, Some("went down the wrong path"))
        .unwrap();
    let ctx = fx.board.worker_context(&t).unwrap();
    assert!(ctx.contains("## Prior attempts on this task"), "{ctx}");
    assert!(ctx.contains("### Attempt 1 — reclaimed (coder,"), "{ctx}");
    assert!(
        ctx.contains("_error_: manual_reclaim: went down the wrong path"),
        "{ctx}"
    );
}

#[test]
fn context_stays_bounded_with_long_histories() {
    let mut fx = Fx::new();
    let mut n = NewTask::titled("long history");
    n.assignee = Some("coder".into());
    n.body = Some("b".repeat(20_000));
    let t = fx.board.create(&n).unwrap().id;
    for i in 0..15 {
        fx.board.claim(&t, None, None).unwrap();
        fx.board
            .reclaim(&t, Some(&format!("attempt {i} {}", "e".repeat(10_000))))
            .unwrap();
    }
    for i in 0..40 {
        fx.board
            .comment(&t, "user", &format!("comment {i} {}", "c".repeat(5000)))
            .unwrap();
    }
    let ctx = fx.board.worker_context(&t).unwrap();
    assert!(
        ctx.contains("_(5 earlier attempt(s) omitted; showing most recent 10)_"),
        "attempts capped"
    );
    assert!(
        ctx.contains("### Attempt 6 —")
            && ctx.contains("### Attempt 15 —")
            && !ctx.contains("### Attempt 5 —")
    );
    assert!(ctx.contains("_(10 older comment(s) omitted; showing newest 30)_"));
    assert!(!ctx.contains("comment 9 ") && ctx.contains("comment 10 "));
    assert!(
        ctx.contains("[truncated, 11808 chars omitted]"),
        "body capped at 8 KB"
    );
    assert!(
        ctx.len() < 8192 + 10 * 4200 + 30 * 2200 + 4000,
        "bounded: {} bytes",
        ctx.len()
    );
}

#[test]
fn recent_work_by_the_same_profile_is_listed() {
    let mut fx = Fx::new();
    for i in 0..7 {
        let t = fx.create_for(&format!("earlier {i}"), "writer");
        fx.clock.advance(10);
        fx.board
            .complete(
                &t,
                &Completion {
                    summary: Some(format!("did thing {i}\nmore")),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    let other = fx.create_for("someone else's", "reviewer");
    fx.board
        .complete(
            &other,
            &Completion {
                summary: Some("REVIEWER".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let t = fx.create_for("now", "writer");
    let ctx = fx.board.worker_context(&t).unwrap();
    assert!(ctx.contains("## Recent work by @writer"), "{ctx}");
    let lines: Vec<&str> = ctx.lines().filter(|l| l.starts_with("- t_")).collect();
    assert_eq!(lines.len(), 5, "{ctx}");
    assert!(
        lines[0].contains("earlier 6") && lines[0].ends_with("did thing 6"),
        "{}",
        lines[0]
    );
    assert!(!ctx.contains("REVIEWER"));
}
