#![cfg(feature = "store")]
//! Opening databases (fresh, legacy, foreign, corrupt) and managing boards.

mod common;

use common::Fx;
use kernel::boards::BoardFields;
use kernel::create::NewTask;
use kernel::{Board, ErrorKind, Home, KernelError, Status};

#[test]
fn opening_a_fresh_home_creates_everything() {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::at(dir.path().join("fresh")).unwrap();
    let mut board = home.open_board("default").unwrap();
    assert!(home.db_path("default").is_file());
    assert!(
        board.list(&Default::default()).unwrap().is_empty(),
        "no 'no such table'"
    );
    let conn = board.store().raw();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in [
        "kanban_notify_subs",
        "task_comments",
        "task_events",
        "task_links",
        "task_runs",
        "tasks",
    ] {
        assert!(tables.iter().any(|x| x == t), "missing {t}: {tables:?}");
    }
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, kernel::store::schema::SCHEMA_VERSION);
}

#[test]
fn reopening_keeps_data() {
    let mut fx = Fx::new();
    let id = fx.create("persisted");
    let mut again = Board::open_at(&fx.home.db_path("default"), "default").unwrap();
    assert_eq!(again.get(&id).unwrap().title, "persisted");
    let mut third = fx.home.open_board("default").unwrap();
    assert_eq!(third.list(&Default::default()).unwrap().len(), 1);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    let junk = b"this is my shopping list, not a database\n".repeat(10);
    std::fs::write(&path, &junk).unwrap();
    let err = Board::open_at(&path, "default").err().unwrap();
    assert!(matches!(err, KernelError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains("invalid SQLite header"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), junk, "never overwritten");

    let tls = [
        0x16u8, 0x03, 0x01, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9,
    ];
    std::fs::write(&path, tls).unwrap();
    let err = Board::open_at(&path, "default").err().unwrap();
    assert!(err.to_string().contains("TLS record"), "{err}");
}

#[test]
fn a_corrupt_database_is_refused_with_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    {
        let mut b = Board::open_at(&path, "default").unwrap();
        for i in 0..200 {
            b.create(&NewTask::titled(format!("task {i} {}", "x".repeat(200))))
                .unwrap();
        }
        b.store()
            .raw()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
    }
    // Keep the header, trash the pages behind it.
    let mut bytes = std::fs::read(&path).unwrap();
    for b in bytes.iter_mut().skip(100) {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let result = Board::open_at(&path, "default").and_then(|b| {
        b.check_integrity()?;
        Ok(b)
    });
    let err = result.err().unwrap();
    let KernelError::Corrupt { backup, .. } = &err else {
        panic!("expected Corrupt, got {err}")
    };
    assert!(backup.is_file());
    assert_eq!(std::fs::read(backup).unwrap(), bytes);
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "original untouched");
    assert!(
        err.to_string()
            .contains("refusing to open corrupt database"),
        "{err}"
    );
    assert_eq!(err.kind(), ErrorKind::Internal);
}

#[test]
fn a_legacy_database_gains_the_missing_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    {
        let conn = rusqlite_connection(&path);
        conn.execute_batch(
            "CREATE TABLE tasks (id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT, assignee TEXT,
                status TEXT NOT NULL, priority INTEGER DEFAULT 0, created_by TEXT,
                created_at INTEGER NOT NULL, started_at INTEGER, completed_at INTEGER,
                workspace_kind TEXT NOT NULL DEFAULT 'scratch', workspace_path TEXT,
                claim_lock TEXT, claim_expires INTEGER, tenant TEXT, result TEXT);
             CREATE TABLE task_events (id INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT NOT NULL,
                kind TEXT NOT NULL, payload TEXT, created_at INTEGER NOT NULL);
             CREATE TABLE task_links (parent_id TEXT NOT NULL, child_id TEXT NOT NULL, PRIMARY KEY (parent_id, child_id));
             INSERT INTO tasks (id, title, status, priority, created_at) VALUES ('t_0000abcd', 'old one', 'ready', NULL, 1);
             INSERT INTO tasks (id, title, status, created_at) VALUES ('t_0000000p', 'old parent', 'done', 1);
             INSERT INTO tasks (id, title, status, created_at) VALUES ('t_0000000c', 'old child', 'todo', 2);
             INSERT INTO task_links VALUES ('t_0000000p', 't_0000000c');",
        )
        .unwrap();
    }
    let mut b = Board::open_at(&path, "default").unwrap();
    let t = b.get("t_0000abcd").unwrap();
    assert_eq!(
        (t.title.as_str(), t.priority, t.consecutive_failures),
        ("old one", 0, 0)
    );
    assert_eq!(
        b.recompute_ready(5).unwrap(),
        vec!["t_0000000c".to_string()],
        "links backfilled"
    );
    let claimed = b.claim("t_0000abcd", None, None).unwrap();
    assert_eq!(b.runs("t_0000abcd").unwrap()[0].id, claimed.run_id);
    assert!(b.check_invariants().unwrap().is_empty());
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    Board::open_at(&path, "default").unwrap();
    rusqlite_connection(&path)
        .execute_batch("PRAGMA user_version = 999")
        .unwrap();
    let err = Board::open_at(&path, "default").err().unwrap();
    assert!(err.to_string().contains("newer Baton"), "{err}");
}

fn rusqlite_connection(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn boards_are_created_listed_renamed_switched_and_removed() {
    let fx = Fx::new();
    let home = &fx.home;
    assert_eq!(
        home.list_boards(false)
            .iter()
            .map(|b| b.slug.as_str())
            .collect::<Vec<_>>(),
        ["default"]
    );
    let meta = home
        .create_board(
            "Atm10-Server",
            &BoardFields {
                description: Some("modded".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        (meta.slug.as_str(), meta.name.as_str()),
        ("atm10-server", "Atm10 Server")
    );
    assert!(home.meta_path("atm10-server").is_file());
    assert!(home.db_path("atm10-server").is_file());
    let again = home
        .create_board("atm10-server", &BoardFields::default())
        .unwrap();
    assert_eq!(again.description, "modded", "create is idempotent");

    let renamed = home
        .update_board(
            "atm10-server",
            &BoardFields {
                name: Some("Minecraft".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(renamed.name, "Minecraft");
    assert_eq!(home.board_meta("atm10-server").name, "Minecraft");

    home.create_board("zeta", &BoardFields::default()).unwrap();
    let slugs: Vec<String> = home
        .list_boards(false)
        .into_iter()
        .map(|b| b.slug)
        .collect();
    assert_eq!(slugs, ["default", "atm10-server", "zeta"]);

    assert_eq!(home.current_board(), "default");
    home.switch_board("zeta").unwrap();
    assert_eq!(home.current_board(), "zeta");
    assert_eq!(home.resolve_board(None).unwrap(), "zeta");
    assert_eq!(
        home.resolve_board(Some("ATM10-server")).unwrap(),
        "atm10-server"
    );

    let removed = home.remove_board("zeta", false).unwrap();
    assert_eq!(removed.action, "archived");
    assert!(std::path::Path::new(&removed.new_path)
        .join("kanban.db")
        .is_file());
    assert_eq!(
        home.current_board(),
        "default",
        "removing the current board resets the pointer"
    );
    let deleted = home.remove_board("atm10-server", true).unwrap();
    assert_eq!(deleted.action, "deleted");
    assert!(!home.board_dir("atm10-server").exists());
    assert_eq!(home.list_boards(true).len(), 1);

    assert_eq!(
        home.remove_board("default", false).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    assert_eq!(
        home.remove_board("nope", false).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        home.switch_board("nope").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        home.resolve_board(Some("nope")).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    for bad in ["../x", "a b", &"x".repeat(65)] {
        assert_eq!(
            home.create_board(bad, &BoardFields::default())
                .unwrap_err()
                .kind(),
            ErrorKind::Invalid
        );
    }
}

#[test]
fn an_empty_board_directory_does_not_count_and_a_stale_pointer_falls_back() {
    let fx = Fx::new();
    std::fs::create_dir_all(fx.home.boards_dir().join("ghost")).unwrap();
    assert!(!fx.home.board_exists("ghost"));
    std::fs::write(fx.home.current_pointer(), "ghost\n").unwrap();
    assert_eq!(fx.home.current_board(), "default");
}

#[test]
fn tasks_do_not_leak_across_boards() {
    let mut fx = Fx::new();
    fx.create("on default");
    fx.home
        .create_board("other", &BoardFields::default())
        .unwrap();
    let mut other = fx.home.open_board("other").unwrap();
    assert!(other.list(&Default::default()).unwrap().is_empty());
    let id = other.create(&NewTask::titled("on other")).unwrap().id;
    assert_eq!(fx.board.get(&id).unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(
        fx.home.logs_dir("other"),
        fx.home.root().join("boards/other/logs")
    );
    assert_eq!(
        fx.home.workspaces_dir("default"),
        fx.home.root().join("workspaces")
    );
}

#[test]
fn default_workdir_must_be_an_existing_absolute_directory() {
    let fx = Fx::new();
    let set = |w: &str| BoardFields {
        default_workdir: Some(Some(w.into())),
        ..Default::default()
    };
    assert!(fx.home.create_board("proj", &set("relative/dir")).is_err());
    assert!(fx
        .home
        .create_board("proj", &set("/definitely/not/here"))
        .is_err());
    let real = fx.dir.path().display().to_string();
    let meta = fx.home.create_board("proj", &set(&real)).unwrap();
    assert_eq!(meta.default_workdir.as_deref(), Some(real.as_str()));
    let cleared = fx
        .home
        .update_board(
            "proj",
            &BoardFields {
                default_workdir: Some(None),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(cleared.default_workdir, None);
}

#[test]
fn a_home_path_with_spaces_unicode_and_a_symlink_works() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("my home ✓");
    std::fs::create_dir_all(&real).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let home = Home::at(&link).unwrap();
    let mut b = home.open_board("default").unwrap();
    let id = b.create(&NewTask::titled("x")).unwrap().id;
    assert_eq!(b.get(&id).unwrap().status, Status::Ready);
    assert!(real.join("kanban.db").is_file());
}

#[test]
fn workspaces_resolve_by_kind() {
    use kernel::WorkspaceKind;
    let mut fx = Fx::new();
    let scratch = fx.create("s");
    let t = fx.task(&scratch);
    let ws = fx.home.resolve_workspace("default", &t).unwrap();
    assert_eq!(ws, fx.home.workspaces_dir("default").join(&scratch));
    assert!(ws.is_dir());

    let mut n = NewTask::titled("tree");
    n.workspace_kind = WorkspaceKind::Worktree;
    let tree = fx.board.create(&n).unwrap();
    let err = fx.home.resolve_workspace("default", &tree).unwrap_err();
    assert!(err.to_string().contains("no default_workdir"), "{err}");
    let repo = fx.dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    fx.home
        .create_board(
            "default",
            &BoardFields {
                default_workdir: Some(Some(repo.display().to_string())),
                ..Default::default()
            },
        )
        .unwrap();
    let ws = fx.home.resolve_workspace("default", &tree).unwrap();
    assert_eq!(ws, repo.join(".worktrees").join(&tree.id));
    assert!(!ws.exists(), "worktrees are resolved, not created");
    fx.board.set_workspace_path(&tree.id, &ws).unwrap();
    assert_eq!(
        fx.task(&tree.id).workspace_path.as_deref(),
        Some(ws.to_str().unwrap())
    );
}

#[test]
fn pruning_keeps_events_of_live_tasks_and_ids_stay_monotonic() {
    let mut fx = Fx::new();
    let done = fx.create("done");
    fx.board.complete(&done, &Default::default()).unwrap();
    let live = fx.create("live");
    let last = fx.board.latest_event_id().unwrap();
    fx.clock.advance(10 * 86400);
    assert_eq!(
        fx.board.prune_events(fx.board.now() - 5 * 86400).unwrap(),
        2
    );
    assert_eq!(fx.board.events(&live).unwrap().len(), 1);
    fx.board.comment(&live, "u", "after").unwrap();
    assert!(
        fx.board.latest_event_id().unwrap() > last,
        "event ids are never reused"
    );
}

/// The POSIX read locks this process holds on `path` (Linux: /proc/locks).
fn own_read_locks(path: &std::path::Path) -> Vec<u64> {
    use std::os::unix::fs::MetadataExt;
    let ino = std::fs::metadata(path).unwrap().ino();
    let pid = std::process::id().to_string();
    std::fs::read_to_string("/proc/locks")
        .unwrap()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let inode: u64 = f.get(5)?.rsplit(':').next()?.parse().ok()?;
            (f.len() >= 8 && f[1] == "POSIX" && f[3] == "READ" && f[4] == pid && inode == ino)
                .then(|| f[6].parse().ok())?
        })
        .collect()
}

#[test]
fn opening_more_connections_keeps_the_shared_lock_of_the_open_ones() {
    // Closing any descriptor of a file drops all of a process's POSIX locks
    // on it; opening a board must never do that to the connections it has.
    const SHARED_FIRST: u64 = 1_073_741_826;
    let fx = Fx::new();
    let path = fx.home.db_path("default");
    let mut first = fx.home.open_board("default").unwrap();
    first.list(&Default::default()).unwrap();
    assert!(own_read_locks(&path).contains(&SHARED_FIRST));
    let mut others: Vec<Board> = (0..3)
        .map(|_| fx.home.open_board("default").unwrap())
        .collect();
    for b in &mut others {
        b.list(&Default::default()).unwrap();
    }
    drop(others);
    assert!(
        own_read_locks(&path).contains(&SHARED_FIRST),
        "opening and closing other connections dropped the first one's SHARED lock"
    );
}

#[test]
fn pooled_connections_follow_a_board_that_was_replaced() {
    let fx = Fx::new();
    let pool = kernel::pool::BoardPool::new(fx.home.clone());
    fx.home
        .create_board("swap", &BoardFields::default())
        .unwrap();
    pool.with("swap", |b| b.create(&NewTask::titled("old")))
        .unwrap();
    let held = fx.home.open_board("swap").unwrap();
    assert!(held.is_current_file());
    fx.home.remove_board("swap", false).unwrap();
    assert!(!held.is_current_file(), "moved away");
    fx.home
        .create_board("swap", &BoardFields::default())
        .unwrap();
    assert!(!held.is_current_file(), "a new file at the same path");
    let tasks = pool.with("swap", |b| b.list(&Default::default())).unwrap();
    assert!(
        tasks.is_empty(),
        "the pool reads the new board, not the old file"
    );
}
