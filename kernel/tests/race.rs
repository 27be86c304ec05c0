#![cfg(feature = "store")]
//! Many claimers, one task: 8 threads and 4 separate processes race; exactly
//! one wins and the losers leave nothing behind.

use kernel::create::NewTask;
use kernel::{Board, Status};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Barrier};

const DB_VAR: &str = "BATON_RACE_DB";
const TASK_VAR: &str = "BATON_RACE_TASK";
const START_VAR: &str = "BATON_RACE_START_AT_MS";

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

/// Entry point of the child processes: a no-op unless the race test started us.
#[test]
fn claim_child() {
    let (Ok(db), Ok(task)) = (std::env::var(DB_VAR), std::env::var(TASK_VAR)) else {
        return;
    };
    let mut board = Board::open_at(Path::new(&db), "default").unwrap();
    let start: u128 = std::env::var(START_VAR).unwrap().parse().unwrap();
    while now_ms() < start {
        std::thread::yield_now();
    }
    let claimer = format!("proc:{}", std::process::id());
    match board.claim(&task, None, Some(&claimer)) {
        Ok(c) => println!("RESULT won {}", c.run_id),
        Err(e) => println!("RESULT lost {e}"),
    }
}

#[test]
fn exactly_one_of_eight_threads_and_four_processes_wins() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kanban.db");
    let task = {
        let mut b = Board::open_at(&db, "default").unwrap();
        b.create(&NewTask {
            title: "race".into(),
            assignee: Some("a".into()),
            ..Default::default()
        })
        .unwrap()
        .id
    };

    // Processes start at a shared wall-clock instant so they overlap the threads.
    let start_at = now_ms() + 1500;
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(&exe)
                .args(["--exact", "claim_child", "--nocapture", "--test-threads=1"])
                .env(DB_VAR, &db)
                .env(TASK_VAR, &task)
                .env(START_VAR, start_at.to_string())
                .output_async()
        })
        .collect();

    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let (db, task, barrier) = (db.clone(), task.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut board = Board::open_at(&db, "default").unwrap();
                barrier.wait();
                while now_ms() < start_at {
                    std::thread::yield_now();
                }
                board
                    .claim(&task, None, Some(&format!("thread:{i}")))
                    .ok()
                    .map(|c| c.run_id)
            })
        })
        .collect();
    let thread_wins: Vec<i64> = threads
        .into_iter()
        .filter_map(|t| t.join().unwrap())
        .collect();

    let mut process_wins = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child failed: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = stdout
            .lines()
            .find_map(|l| l.find("RESULT ").map(|at| &l[at..]))
            .expect("child reported");
        if line.starts_with("RESULT won") {
            process_wins += 1;
        } else {
            assert!(line.contains("cannot claim"), "{line}");
        }
    }
    assert_eq!(thread_wins.len() + process_wins, 1, "exactly one winner");

    let mut b = Board::open_at(&db, "default").unwrap();
    let t = b.get(&task).unwrap();
    assert_eq!(t.status, Status::Running);
    let runs = b.runs(&task).unwrap();
    assert_eq!(runs.len(), 1, "the losers' runs do not exist");
    assert_eq!(Some(runs[0].id), t.current_run_id);
    let claimed = b
        .events(&task)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "claimed")
        .count();
    assert_eq!(claimed, 1);
    assert!(b.check_invariants().unwrap().is_empty());
}

trait SpawnOutput {
    fn output_async(&mut self) -> std::process::Child;
}

impl SpawnOutput for Command {
    fn output_async(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }
}
