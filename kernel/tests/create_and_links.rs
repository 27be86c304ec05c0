#![cfg(feature = "store")]
//! Creating tasks, their initial status, dependencies and promotion.

mod common;

use common::Fx;
use kernel::complete::Completion;
use kernel::create::{parse_workspace, NewTask};
use kernel::{ErrorKind, Status, WorkspaceKind};

fn done(fx: &mut Fx, id: &str) {
    fx.board.complete(id, &Completion::default()).unwrap();
}

#[test]
fn a_task_without_parents_is_ready() {
    let mut fx = Fx::new();
    let id = fx.create_for("ship it", "Alice");
    let t = fx.task(&id);
    assert_eq!(t.status, Status::Ready);
    assert_eq!(
        t.assignee.as_deref(),
        Some("alice"),
        "assignees are lowercased"
    );
    assert_eq!(t.workspace_kind, WorkspaceKind::Scratch);
    assert!(id.starts_with("t_") && id.len() == 10, "{id}");
    assert!(id[2..]
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
}

#[test]
fn a_child_waits_in_todo_until_its_parent_is_done() {
    let mut fx = Fx::new();
    let p = fx.create("parent");
    let c = fx.child_of("child", &[&p]);
    assert_eq!(fx.status(&c), Status::Todo);
    fx.board
        .complete(
            &p,
            &Completion {
                result: Some("ok".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        fx.status(&c),
        Status::Ready,
        "promoted in the same operation"
    );
    assert!(fx.kinds(&c).contains(&"promoted".to_string()));
}

#[test]
fn a_child_of_finished_parents_starts_ready() {
    let mut fx = Fx::new();
    let p = fx.create("parent");
    done(&mut fx, &p);
    let q = fx.create("abandoned");
    fx.board.archive(&q).unwrap();
    let c = fx.child_of("child", &[&p, &q]);
    assert_eq!(fx.status(&c), Status::Ready);
}

#[test]
fn unknown_parents_are_refused_and_nothing_is_written() {
    let mut fx = Fx::new();
    let before = fx.count("SELECT COUNT(*) FROM task_events");
    let mut n = NewTask::titled("orphan");
    n.parents = vec!["t_ghost".into(), "t_ghost2".into()];
    let err = fx.board.create(&n).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(
        err.to_string()
            .contains("unknown parent task(s): t_ghost, t_ghost2"),
        "{err}"
    );
    assert_eq!(fx.count("SELECT COUNT(*) FROM tasks"), 0);
    assert_eq!(fx.count("SELECT COUNT(*) FROM task_events"), before);
}

#[test]
fn triage_parks_a_task_whatever_its_parents() {
    let mut fx = Fx::new();
    let mut n = NewTask::titled("rough idea");
    n.triage = true;
    let id = fx.board.create(&n).unwrap().id;
    assert_eq!(fx.status(&id), Status::Triage);
    assert_eq!(fx.board.recompute_ready(5).unwrap(), Vec::<String>::new());
    assert_eq!(fx.status(&id), Status::Triage, "triage is never promoted");
}

#[test]
fn workspace_rules() {
    let mut fx = Fx::new();
    let err = parse_workspace("cloud").unwrap_err();
    assert!(err.to_string().contains("workspace_kind"), "{err}");
    assert_eq!(
        parse_workspace("dir:/srv/vault").unwrap(),
        (WorkspaceKind::Dir, Some("/srv/vault".into()))
    );
    assert_eq!(
        parse_workspace("worktree").unwrap(),
        (WorkspaceKind::Worktree, None)
    );

    let mut n = NewTask::titled("relative");
    n.workspace_kind = WorkspaceKind::Dir;
    n.workspace_path = Some("vault/notes".into());
    let err = fx.board.create(&n).unwrap_err();
    assert!(err.to_string().contains("must be absolute"), "{err}");

    n.workspace_path = None;
    let err = fx.board.create(&n).unwrap_err();
    assert!(err.to_string().contains("needs an absolute path"), "{err}");

    n.workspace_path = Some("/srv/vault".into());
    let t = fx.board.create(&n).unwrap();
    assert_eq!(t.workspace_path.as_deref(), Some("/srv/vault"));

    let mut w = NewTask::titled("branchy");
    w.branch_name = Some("feature/x".into());
    assert!(fx.board.create(&w).is_err(), "a branch needs a worktree");
    w.workspace_kind = WorkspaceKind::Worktree;
    assert_eq!(
        fx.board.create(&w).unwrap().branch_name.as_deref(),
        Some("feature/x")
    );
}

#[test]
fn idempotency_key_returns_the_existing_task() {
    let mut fx = Fx::new();
    let mut n = NewTask::titled("webhook job");
    n.idempotency_key = Some("delivery-42".into());
    let a = fx.board.create(&n).unwrap();
    let b = fx.board.create(&n).unwrap();
    assert_eq!(a.id, b.id);
    assert_eq!(fx.count("SELECT COUNT(*) FROM tasks"), 1);
    assert_eq!(
        fx.count("SELECT COUNT(*) FROM task_events WHERE kind = 'created'"),
        1
    );

    // An archived task no longer claims the key.
    fx.board.archive(&a.id).unwrap();
    let c = fx.board.create(&n).unwrap();
    assert_ne!(c.id, a.id);

    // Tasks without a key never collide.
    let x = fx.create("same title");
    let y = fx.create("same title");
    assert_ne!(x, y);
}

#[test]
fn many_ids_are_unique() {
    let mut fx = Fx::new();
    let mut ids = std::collections::HashSet::new();
    for i in 0..2000 {
        assert!(ids.insert(fx.create(&format!("task {i}"))));
    }
}

#[test]
fn skills_are_normalised_and_commas_refused() {
    let mut fx = Fx::new();
    let mut n = NewTask::titled("translate");
    n.skills = vec![
        " translation ".into(),
        "".into(),
        "review".into(),
        "translation".into(),
    ];
    let t = fx.board.create(&n).unwrap();
    assert_eq!(
        t.skills,
        Some(vec!["translation".to_string(), "review".to_string()])
    );
    assert_eq!(fx.create("plain").len(), 10);
    n.skills = vec!["a,b".into()];
    let err = fx.board.create(&n).unwrap_err();
    assert!(err.to_string().contains("comma"), "{err}");
    let without = fx.create("none");
    assert_eq!(fx.task(&without).skills, None);
}

#[test]
fn created_event_carries_tenant_and_parents() {
    let mut fx = Fx::new();
    let p = fx.create("p");
    let mut n = NewTask::titled("tenant-task");
    n.tenant = Some(" biz-a ".into());
    n.parents = vec![p.clone()];
    n.priority = 7;
    n.max_runtime_seconds = Some(3600);
    let t = fx.board.create(&n).unwrap();
    assert_eq!(t.tenant.as_deref(), Some("biz-a"));
    assert_eq!(t.max_runtime_seconds, Some(3600));
    let ev = fx.board.events(&t.id).unwrap();
    let created = ev.iter().find(|e| e.kind == "created").unwrap();
    let payload = created.payload_json().unwrap();
    assert_eq!(payload["tenant"], "biz-a");
    assert_eq!(payload["parents"][0], p.as_str());
    assert_eq!(payload["status"], "todo");
    assert_eq!(created.run_id, None);
}

#[test]
fn bad_numbers_are_refused() {
    let mut fx = Fx::new();
    let mut n = NewTask::titled("x");
    n.max_runtime_seconds = Some(0);
    assert_eq!(fx.board.create(&n).unwrap_err().kind(), ErrorKind::Invalid);
    n.max_runtime_seconds = None;
    n.max_retries = Some(0);
    assert_eq!(fx.board.create(&n).unwrap_err().kind(), ErrorKind::Invalid);
}

#[test]
fn linking_an_unfinished_parent_demotes_a_ready_child() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    let b = fx.create("b");
    assert_eq!(fx.status(&b), Status::Ready);
    assert!(fx.board.link(&a, &b).unwrap());
    assert_eq!(fx.status(&b), Status::Todo);
    assert!(fx.kinds(&b).contains(&"linked".to_string()));
    assert!(
        !fx.board.link(&a, &b).unwrap(),
        "an existing edge is not added twice"
    );
    assert_eq!(fx.kinds(&b).iter().filter(|k| *k == "linked").count(), 1);
}

#[test]
fn linking_a_done_parent_keeps_the_child_ready() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    done(&mut fx, &a);
    let b = fx.create("b");
    fx.board.link(&a, &b).unwrap();
    assert_eq!(fx.status(&b), Status::Ready);
}

#[test]
fn self_links_unknown_ids_and_cycles_are_refused() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    let b = fx.child_of("b", &[&a]);
    let c = fx.child_of("c", &[&b]);
    let err = fx.board.link(&a, &a).unwrap_err();
    assert!(err.to_string().contains("itself"), "{err}");
    let err = fx.board.link(&a, "t_nothere").unwrap_err();
    assert!(
        err.to_string().contains("unknown task(s): t_nothere"),
        "{err}"
    );
    for (p, ch) in [(&c, &a), (&b, &a)] {
        let err = fx.board.link(p, ch).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert!(err.to_string().contains("cycle"), "{err}");
    }
    assert_eq!(fx.count("SELECT COUNT(*) FROM task_links"), 2);
}

#[test]
fn unlinking_frees_a_waiting_child_at_once() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    let b = fx.child_of("b", &[&a]);
    assert_eq!(fx.status(&b), Status::Todo);
    assert!(fx.board.unlink(&a, &b).unwrap());
    assert_eq!(fx.status(&b), Status::Ready);
    assert!(!fx.board.unlink(&a, &b).unwrap());
    let kinds = fx.kinds(&b);
    assert!(
        kinds.ends_with(&["unlinked".to_string(), "promoted".to_string()]),
        "{kinds:?}"
    );
}

#[test]
fn promotion_cascades_down_a_chain() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    let b = fx.child_of("b", &[&a]);
    let c = fx.child_of("c", &[&b]);
    assert_eq!(
        [fx.status(&a), fx.status(&b), fx.status(&c)],
        [Status::Ready, Status::Todo, Status::Todo]
    );
    done(&mut fx, &a);
    assert_eq!(fx.status(&b), Status::Ready);
    assert_eq!(fx.status(&c), Status::Todo);
    done(&mut fx, &b);
    assert_eq!(fx.status(&c), Status::Ready);
}

#[test]
fn fan_in_waits_for_every_parent() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    let b = fx.create("b");
    let c = fx.child_of("c", &[&a, &b]);
    done(&mut fx, &a);
    assert_eq!(fx.status(&c), Status::Todo);
    done(&mut fx, &b);
    assert_eq!(fx.status(&c), Status::Ready);
}

#[test]
fn archiving_a_parent_frees_its_children() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    let b = fx.child_of("b", &[&a]);
    fx.board.archive(&a).unwrap();
    assert_eq!(fx.status(&b), Status::Ready);
}

#[test]
fn recompute_promotes_todo_tasks_a_direct_write_left_behind() {
    let mut fx = Fx::new();
    let a = fx.create("a");
    let b = fx.child_of("b", &[&a]);
    fx.sql(&format!(
        "UPDATE tasks SET status = 'done' WHERE id = '{a}'"
    ));
    assert_eq!(fx.board.recompute_ready(5).unwrap(), vec![b.clone()]);
    assert_eq!(fx.status(&b), Status::Ready);
    assert!(
        fx.board.recompute_ready(5).unwrap().is_empty(),
        "idempotent"
    );
}

#[test]
fn hostile_text_is_stored_faithfully_or_refused_by_name() {
    let mut fx = Fx::new();
    let body = format!(
        "NUL:\0 bell:\x07 rtl:\u{202e}abc emoji:👩‍👩‍👧 sql:'); DROP TABLE tasks;-- {}",
        "x".repeat(1_000_000)
    );
    let mut n = NewTask::titled("مرحبا 👩‍💻 '); DROP TABLE tasks;--");
    n.body = Some(body.clone());
    let t = fx.board.create(&n).unwrap();
    let back = fx.task(&t.id);
    assert_eq!(
        back.body.as_deref(),
        Some(body.as_str()),
        "1 MB body with NUL survives"
    );
    assert_eq!(back.title, "مرحبا 👩‍💻 '); DROP TABLE tasks;--");

    let before = fx.count("SELECT COUNT(*) FROM tasks");
    for (title, needle) in [
        ("   ", "title is required"),
        ("a\u{0}b", "control characters"),
        ("line\nbreak", "control characters"),
    ] {
        let err = fx.board.create(&NewTask::titled(title)).unwrap_err();
        assert!(err.to_string().contains(needle), "{title:?}: {err}");
    }
    let mut big = NewTask::titled("too big");
    big.body = Some("y".repeat(3 * 1024 * 1024));
    let err = fx.board.create(&big).unwrap_err();
    assert!(err.to_string().contains("body is too large"), "{err}");
    let mut bad = NewTask::titled("bad assignee");
    bad.assignee = Some("a\u{7}b".into());
    assert!(fx
        .board
        .create(&bad)
        .unwrap_err()
        .to_string()
        .contains("assignee"));
    assert_eq!(
        fx.count("SELECT COUNT(*) FROM tasks"),
        before,
        "refusals write nothing"
    );
}

#[test]
fn list_filters_and_orders() {
    let mut fx = Fx::new();
    let mk = |fx: &mut Fx, title: &str, tenant: Option<&str>, prio: i64, who: Option<&str>| {
        let mut n = NewTask::titled(title);
        n.tenant = tenant.map(str::to_string);
        n.priority = prio;
        n.assignee = who.map(str::to_string);
        let id = fx.board.create(&n).unwrap().id;
        fx.clock.advance(1);
        id
    };
    let a1 = mk(&mut fx, "a1", Some("biz-a"), 0, Some("alice"));
    let b1 = mk(&mut fx, "b1", Some("biz-b"), 5, None);
    let shared = mk(&mut fx, "shared", None, 0, Some("bob"));
    let urgent = mk(&mut fx, "urgent", None, 9, Some("alice"));
    let q = |tenant: Option<&str>, assignee: Option<&str>| kernel::store::ListQuery {
        tenant: tenant.map(str::to_string),
        assignee: assignee.map(str::to_string),
        ..Default::default()
    };
    let titles = |v: Vec<kernel::Task>| v.into_iter().map(|t| t.title).collect::<Vec<_>>();
    assert_eq!(
        titles(fx.board.list(&q(Some("biz-a"), None)).unwrap()),
        ["a1"]
    );
    assert_eq!(
        titles(fx.board.list(&q(Some("biz-b"), None)).unwrap()),
        ["b1"]
    );
    assert_eq!(
        titles(fx.board.list(&q(None, Some("alice"))).unwrap()),
        ["urgent", "a1"]
    );
    assert_eq!(
        titles(fx.board.list(&q(None, None)).unwrap()),
        ["urgent", "b1", "a1", "shared"]
    );
    fx.board.archive(&shared).unwrap();
    assert_eq!(
        fx.board.list(&q(None, None)).unwrap().len(),
        3,
        "archived hidden by default"
    );
    let all = kernel::store::ListQuery {
        include_archived: true,
        ..Default::default()
    };
    assert_eq!(fx.board.list(&all).unwrap().len(), 4);
    let only = kernel::store::ListQuery {
        status: Some(Status::Archived),
        ..Default::default()
    };
    assert_eq!(titles(fx.board.list(&only).unwrap()), ["shared"]);
    let _ = (a1, b1, urgent);
}

#[test]
fn stats_count_by_status_and_assignee() {
    let mut fx = Fx::new();
    let a = fx.create_for("a", "alice");
    fx.clock.advance(100);
    fx.create_for("b", "alice");
    let c = fx.create_for("c", "bob");
    fx.board.claim(&c, None, None).unwrap();
    let d = fx.create("d");
    fx.board.archive(&d).unwrap();
    fx.clock.advance(50);
    let s = fx.board.stats().unwrap();
    assert_eq!(s.by_status.get("ready"), Some(&2));
    assert_eq!(s.by_status.get("running"), Some(&1));
    assert_eq!(s.by_status.get("archived"), None);
    assert_eq!(s.by_assignee["alice"]["ready"], 2);
    assert_eq!(s.by_assignee["bob"]["running"], 1);
    assert_eq!(s.oldest_ready_age_seconds, Some(150));
    let _ = a;
}

#[test]
fn edits_validate_everything_first() {
    let mut fx = Fx::new();
    let id = fx.create("first");
    let edit = kernel::edit::Edit {
        title: Some("  ".into()),
        body: Some(Some("new body".into())),
        priority: Some(3),
    };
    assert!(fx.board.edit(&id, &edit).is_err());
    let t = fx.task(&id);
    assert_eq!(
        (t.title.as_str(), t.body.as_deref(), t.priority),
        ("first", None, 0),
        "nothing changed"
    );
    let edit = kernel::edit::Edit {
        title: Some("second".into()),
        body: Some(Some("new body".into())),
        priority: Some(3),
    };
    let t = fx.board.edit(&id, &edit).unwrap();
    assert_eq!(
        (t.title.as_str(), t.body.as_deref(), t.priority),
        ("second", Some("new body"), 3)
    );
    let kinds = fx.kinds(&id);
    assert!(
        kinds.ends_with(&["edited".to_string(), "reprioritized".to_string()]),
        "{kinds:?}"
    );
}
