#![cfg(feature = "store")]
//! Notification subscriptions: what each one has not heard, its cursor, the
//! end of a task's subscription and dropping one that keeps failing.

mod common;

use common::Fx;
use kernel::complete::Completion;
use kernel::NotifySub;

fn channel_sub(task: &str, name: &str) -> NotifySub {
    NotifySub {
        task_id: task.to_string(),
        platform: NotifySub::CHANNEL.into(),
        chat_id: name.into(),
        ..Default::default()
    }
}

fn pending_kinds(fx: &mut Fx) -> Vec<(String, Vec<String>)> {
    fx.board
        .pending_notifications(50)
        .unwrap()
        .into_iter()
        .map(|p| {
            (
                format!("{}@{}", p.sub.task_id, p.sub.chat_id),
                p.events.into_iter().map(|e| e.kind.to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn a_subscription_hears_only_terminal_events_after_it_was_made() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    let b = fx.create("b");
    fx.board.block(&a, Some("before"), None).unwrap();
    fx.board.unblock(&a).unwrap();
    assert!(fx.board.notify_subscribe(&channel_sub(&a, "ops")).unwrap());
    assert!(!fx.board.notify_subscribe(&channel_sub(&a, "ops")).unwrap());
    assert!(fx
        .board
        .notify_subscribe(&channel_sub(NotifySub::BOARD_WIDE, "all"))
        .unwrap());
    assert!(pending_kinds(&mut fx).is_empty(), "nothing new yet");
    fx.board.comment(&a, "me", "noise").unwrap();
    fx.board.block(&a, Some("needs a key"), None).unwrap();
    fx.board
        .complete(
            &b,
            &Completion {
                summary: Some("b done".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let mut got = pending_kinds(&mut fx);
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "*@all".to_string(),
                vec!["blocked".to_string(), "completed".to_string()]
            ),
            (format!("{a}@ops"), vec!["blocked".to_string()]),
        ]
    );
    fx.board.check_invariants().unwrap();
}

#[test]
fn delivering_advances_the_cursor_and_completion_ends_a_task_subscription() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    fx.board.notify_subscribe(&channel_sub(&a, "ops")).unwrap();
    fx.board
        .notify_subscribe(&channel_sub(NotifySub::BOARD_WIDE, "all"))
        .unwrap();
    fx.board.block(&a, Some("wait"), None).unwrap();
    for p in fx.board.pending_notifications(50).unwrap() {
        for e in &p.events {
            fx.board.notify_delivered(&p.sub, e).unwrap();
        }
    }
    assert!(
        pending_kinds(&mut fx).is_empty(),
        "a delivered event is not heard twice"
    );
    // A block does not end the task's subscription.
    assert_eq!(fx.board.notify_list(Some(&a)).unwrap().len(), 1);
    fx.board.unblock(&a).unwrap();
    fx.board.complete(&a, &Completion::default()).unwrap();
    for p in fx.board.pending_notifications(50).unwrap() {
        for e in &p.events {
            fx.board.notify_delivered(&p.sub, e).unwrap();
        }
    }
    assert!(
        fx.board.notify_list(Some(&a)).unwrap().is_empty(),
        "completion ends it"
    );
    let left = fx.board.notify_list(None).unwrap();
    assert_eq!(left.len(), 1, "the board-wide one stays: {left:?}");
    assert!(left[0].board_wide());
}

#[test]
fn failures_in_a_row_drop_a_subscription_and_a_success_resets_them() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    let sub = channel_sub(&a, "ops");
    fx.board.notify_subscribe(&sub).unwrap();
    fx.board.block(&a, Some("x"), None).unwrap();
    assert_eq!(
        fx.board.notify_failed(&sub, "HTTP 500", 3).unwrap(),
        (1, false)
    );
    assert_eq!(
        fx.board.notify_failed(&sub, "HTTP 500", 3).unwrap(),
        (2, false)
    );
    let listed = fx.board.notify_list(Some(&a)).unwrap();
    assert_eq!(listed[0].failures, 2);
    assert_eq!(listed[0].last_error.as_deref(), Some("HTTP 500"));
    let event = fx.board.pending_notifications(50).unwrap()[0].events[0].clone();
    fx.board.notify_delivered(&listed[0], &event).unwrap();
    let listed = fx.board.notify_list(Some(&a)).unwrap();
    assert_eq!(
        (listed[0].failures, listed[0].last_error.clone()),
        (0, None)
    );
    for n in 1..=2 {
        assert_eq!(
            fx.board.notify_failed(&sub, "timeout", 3).unwrap(),
            (n, false)
        );
    }
    assert_eq!(
        fx.board.notify_failed(&sub, "timeout", 3).unwrap(),
        (3, true)
    );
    assert!(fx.board.notify_list(None).unwrap().is_empty());
}

#[test]
fn a_board_wide_subscription_needs_no_task_but_a_task_one_needs_its_task() {
    let mut fx = Fx::new();
    let err = fx
        .board
        .notify_subscribe(&channel_sub("t_missing", "ops"))
        .unwrap_err();
    assert_eq!(err.kind(), kernel::ErrorKind::NotFound);
    assert!(fx
        .board
        .notify_subscribe(&channel_sub(NotifySub::BOARD_WIDE, "ops"))
        .unwrap());
}
