#![cfg(feature = "store")]
//! Bulk changes (each id on its own) and reading worker logs.

mod common;

use common::Fx;
use kernel::bulk::{bulk_ids, BulkChange};
use kernel::logs::{read_since, read_tail, tail_bytes};
use kernel::patch::Patch;
use kernel::{ErrorKind, Status};
use std::io::Write;

fn archive() -> BulkChange {
    BulkChange {
        patch: Patch {
            status: Some(Status::Archived),
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
fn a_bulk_change_reports_each_failure_and_keeps_the_successes() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    let b = fx.create("b");
    let gone = fx.create("gone");
    fx.board.archive(&gone).unwrap();
    let ids = vec![a.clone(), gone.clone(), "t_missing".to_string(), b.clone()];
    let results = fx.board.bulk(&ids, &archive());
    let oks: Vec<(&str, bool)> = results.iter().map(|r| (r.id.as_str(), r.ok)).collect();
    assert_eq!(
        oks,
        vec![
            (a.as_str(), true),
            (gone.as_str(), false),
            ("t_missing", false),
            (b.as_str(), true)
        ]
    );
    assert!(results[1]
        .error
        .as_deref()
        .unwrap()
        .contains("already archived"));
    assert!(results[2].error.as_deref().unwrap().contains("t_missing"));
    assert_eq!(fx.status(&a), Status::Archived);
    assert_eq!(fx.status(&b), Status::Archived);
}

#[test]
fn a_bulk_reassign_can_unassign_and_reclaim_running_tasks_first() {
    let mut fx = Fx::new();
    let a = fx.create_for("a", "coder");
    let b = fx.create_for("b", "coder");
    fx.board.claim(&a, None, None).unwrap();
    let change = BulkChange {
        assignee: Some(None),
        reclaim_first: false,
        patch: Patch::default(),
    };
    let r = fx.board.bulk(&[a.clone(), b.clone()], &change);
    assert!(
        !r[0].ok,
        "a running task is not reassigned without reclaiming"
    );
    assert!(r[1].ok);
    assert_eq!(fx.task(&b).assignee, None);
    let change = BulkChange {
        assignee: Some(Some("writer".into())),
        reclaim_first: true,
        patch: Patch {
            priority: Some(4),
            ..Default::default()
        },
    };
    let r = fx.board.bulk(std::slice::from_ref(&a), &change);
    assert!(r[0].ok, "{:?}", r[0].error);
    let t = fx.task(&a);
    assert_eq!(
        (t.status, t.assignee.as_deref(), t.priority),
        (Status::Ready, Some("writer"), 4)
    );
}

#[test]
fn bulk_ids_are_trimmed_and_bounded() {
    assert_eq!(
        bulk_ids(&[" t_1 ".into(), "".into(), "t_2".into()]).unwrap(),
        vec!["t_1", "t_2"]
    );
    assert_eq!(
        bulk_ids(&["  ".into()]).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    let many: Vec<String> = (0..1001).map(|i| format!("t_{i}")).collect();
    assert!(bulk_ids(&many)
        .unwrap_err()
        .to_string()
        .contains("at most 1000"));
}

#[test]
fn a_log_is_read_by_its_tail_and_then_followed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.log");
    assert!(!read_tail(&path, Some(100)).unwrap().exists);
    assert!(!read_since(&path, 0, 100).unwrap().exists);
    let mut f = std::fs::File::create(&path).unwrap();
    for i in 0..100 {
        writeln!(f, "line {i:03}").unwrap();
    }
    let all = read_tail(&path, None).unwrap();
    assert!(all.exists && !all.truncated);
    assert_eq!(all.size, 900);
    // A window cut mid-line starts at the next line.
    let tail = read_tail(&path, Some(25)).unwrap();
    assert!(tail.truncated);
    assert_eq!(tail.text, "line 098\nline 099\n");
    // Following: only what was appended, from where the reader was.
    writeln!(f, "line 100").unwrap();
    let more = read_since(&path, tail.size, 1000).unwrap();
    assert_eq!(
        (more.text.as_str(), more.size, more.reset),
        ("line 100\n", 909, false)
    );
    assert_eq!(read_since(&path, 909, 1000).unwrap().text, "");
    // Too far behind: the newest part only, marked as a reset.
    let behind = read_since(&path, 0, 20).unwrap();
    assert!(behind.reset && behind.truncated);
    assert_eq!(behind.text, "line 099\nline 100\n");
    // A rotated (shorter) log starts over.
    std::fs::write(&path, "fresh\n").unwrap();
    let rotated = read_since(&path, 909, 1000).unwrap();
    assert!(rotated.reset);
    assert_eq!(rotated.text, "fresh\n");
    // Bytes as written, invalid UTF-8 included.
    std::fs::write(&path, b"a\xffb\n").unwrap();
    assert_eq!(tail_bytes(&path, None).unwrap().0, b"a\xffb\n");
}
