//! A running server keeps SQLite's locks on its board file, however many
//! connections its pool opens: without them another program that opens and
//! closes the file believes it is the last user, checkpoints and deletes the
//! WAL, and the server's acknowledged writes vanish with it.

mod common;

use common::http::serve;
use common::Baton;
use serde_json::json;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// SQLite's shared-lock range on the database file (unix VFS: SHARED_FIRST).
const SHARED_FIRST: u64 = 1_073_741_826;

/// POSIX read locks `pid` holds on the file with inode `ino`, as (start, end).
fn read_locks(pid: u32, ino: u64) -> Vec<(u64, String)> {
    let text = std::fs::read_to_string("/proc/locks").expect("/proc/locks (Linux)");
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            // "1: POSIX  ADVISORY  READ 5619 fe:00:10010899 1073741826 1073742335"
            if f.len() < 8 || f[1] != "POSIX" || f[3] != "READ" || f[4] != pid.to_string() {
                return None;
            }
            let inode: u64 = f[5].rsplit(':').next()?.parse().ok()?;
            let start: u64 = f[6].parse().ok()?;
            (inode == ino).then(|| (start, f[7].to_string()))
        })
        .collect()
}

/// How many descriptors `pid` has open on `path`: one per SQLite connection.
fn descriptors_on(pid: u32, path: &Path) -> usize {
    let want = path.canonicalize().unwrap();
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| *target == want)
        .count()
}

#[test]
fn the_server_keeps_its_shared_lock_after_the_pool_opens_more_connections() {
    let b = Baton::new();
    let s = serve(&b, &["--no-dispatcher"]);
    // Concurrent requests make the pool open several connections.
    for round in 0..3 {
        std::thread::scope(|scope| {
            for i in 0..12 {
                let s = &s;
                scope.spawn(move || {
                    s.create(json!({"title": format!("round {round} client {i}")}));
                    s.get("/api/v1/board").expect(200);
                });
            }
        });
    }
    let db = b.home.join("kanban.db");
    let pid = s.child.id();
    let connections = descriptors_on(pid, &db);
    assert!(
        connections >= 2,
        "the test needs the pool to hold several connections, it holds {connections}"
    );
    let ino = std::fs::metadata(&db).unwrap().ino();
    let locks = read_locks(pid, ino);
    assert!(
        locks.iter().any(|(start, _)| *start == SHARED_FIRST),
        "baton serve ({connections} connections open) holds no SHARED lock on {}: {locks:?}",
        db.display()
    );

    // So an outside connection that opens and closes the file is not the
    // last one: the WAL (with the server's newest writes) stays in place.
    let id = s.create(json!({"title": "written just before an outside reader"}));
    {
        let outside = rusqlite::Connection::open(&db).unwrap();
        let n: i64 = outside
            .query_row("SELECT count(*) FROM tasks", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 37);
    }
    assert!(
        Path::new(&format!("{}-wal", db.display())).exists(),
        "an outside reader's close removed the server's WAL"
    );
    let after = s.create(json!({"title": "written after the outside reader"}));
    drop(s);
    let outside = rusqlite::Connection::open(&db).unwrap();
    for id in [id, after] {
        let n: i64 = outside
            .query_row("SELECT count(*) FROM tasks WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 1, "acknowledged task {id} is missing after a clean stop");
    }
}
