#![cfg(feature = "store")]
//! Which changes take a task away from its worker process (so the caller
//! stops it), and writes on behalf of a worker's run fenced inside their own
//! transaction.

mod common;

use common::Fx;
use kernel::claim::Beat;
use kernel::complete::Completion;
use kernel::create::NewTask;
use kernel::fence::Acting;
use kernel::patch::Patch;
use kernel::{ErrorKind, Status};

/// A running task with a spawned worker (pid 4242); its run id.
fn spawned(fx: &mut Fx, title: &str) -> (String, i64) {
    let id = fx.create_for(title, "coder");
    let c = fx.board.claim(&id, None, Some("host-a:1")).unwrap();
    fx.board.record_spawn(&id, c.run_id, 4242, Some(7)).unwrap();
    fx.board.take_released_workers();
    (id, c.run_id)
}

#[test]
fn a_person_taking_a_task_back_releases_its_worker_once() {
    let mut fx = Fx::new();
    let (a, _) = spawned(&mut fx, "reclaimed");
    fx.board.reclaim(&a, Some("stop")).unwrap();
    let w = fx.board.take_released_workers();
    assert_eq!(w.len(), 1);
    assert_eq!(
        (w[0].task_id.as_str(), w[0].pid, w[0].started),
        (a.as_str(), 4242, Some(7))
    );
    assert_eq!(w[0].lock.as_deref(), Some("host-a:1"));
    assert!(fx.board.take_released_workers().is_empty(), "reported once");

    let (b, _) = spawned(&mut fx, "archived");
    fx.board.archive(&b).unwrap();
    assert_eq!(fx.board.take_released_workers().len(), 1);

    let (c, _) = spawned(&mut fx, "dragged to ready");
    fx.board
        .patch(
            &c,
            &Patch {
                status: Some(Status::Ready),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(fx.board.take_released_workers().len(), 1);

    let (d, _) = spawned(&mut fx, "completed by a person");
    fx.board
        .complete(
            &d,
            &Completion {
                summary: Some("done by hand".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(fx.board.take_released_workers().len(), 1);

    let (e, _) = spawned(&mut fx, "reassigned");
    fx.board.reassign(&e, Some("other"), true, None).unwrap();
    assert_eq!(fx.board.take_released_workers().len(), 1);
}

#[test]
fn a_workers_own_handoff_and_a_refused_change_release_nobody() {
    let mut fx = Fx::new();
    let (a, run) = spawned(&mut fx, "finishes itself");
    fx.board
        .complete(
            &a,
            &Completion {
                summary: Some("mine".into()),
                run: Some(run),
                ..Default::default()
            },
        )
        .unwrap();
    let (b, run_b) = spawned(&mut fx, "blocks itself");
    fx.board.block(&b, Some("need a key"), Some(run_b)).unwrap();
    assert!(fx.board.take_released_workers().is_empty());

    // A refused move changes nothing and releases nobody.
    let (c, _) = spawned(&mut fx, "cannot go to running");
    fx.board.reclaim(&c, None).unwrap();
    fx.board.take_released_workers();
    assert!(fx.board.reclaim(&c, None).is_err());
    assert!(fx.board.take_released_workers().is_empty());
}

#[test]
fn writes_on_behalf_of_a_stale_run_are_refused_whole() {
    let mut fx = Fx::new();
    let (own, run) = spawned(&mut fx, "the worker's task");
    let other = fx.create("another task");
    let acting = Acting {
        task: own.clone(),
        run,
    };
    // While the run is current, all three work.
    fx.board
        .comment_as(&other, "coder", "found something", Some(&acting))
        .unwrap();
    let child = fx
        .board
        .create(&NewTask {
            acting: Some(acting.clone()),
            ..NewTask::titled("follow-up")
        })
        .unwrap();
    assert!(fx.board.link_as(&other, &child.id, Some(&acting)).unwrap());

    fx.board.reclaim(&own, None).unwrap();
    let comments_before = fx.board.show(&other).unwrap().comments.len();
    let tasks_before = fx.board.list(&Default::default()).unwrap().len();
    for err in [
        fx.board
            .comment_as(&other, "coder", "late", Some(&acting))
            .map(|_| ())
            .unwrap_err(),
        fx.board
            .create(&NewTask {
                acting: Some(acting.clone()),
                ..NewTask::titled("late follow-up")
            })
            .map(|_| ())
            .unwrap_err(),
        fx.board
            .link_as(&own, &other, Some(&acting))
            .map(|_| ())
            .unwrap_err(),
        fx.board
            .heartbeat(
                &own,
                &Beat {
                    run: Some(run),
                    ..Default::default()
                },
            )
            .map(|_| ())
            .unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
        assert!(
            err.to_string().contains("no longer the current attempt"),
            "{err}"
        );
    }
    assert_eq!(
        fx.board.show(&other).unwrap().comments.len(),
        comments_before
    );
    assert_eq!(
        fx.board.list(&Default::default()).unwrap().len(),
        tasks_before
    );
    assert!(fx.board.links(&other).unwrap().parents.is_empty());
}
