//! A board in a temporary home with a hand-moved clock. When a test ends
//! (without panicking) every board invariant is checked.

#![allow(dead_code)]

use kernel::create::NewTask;
use kernel::{Board, Clock, Home, Status, Task};
use tempfile::TempDir;

pub const T0: i64 = 1_750_000_000;

pub struct Fx {
    pub dir: TempDir,
    pub home: Home,
    pub board: Board,
    pub clock: Clock,
}

impl Fx {
    pub fn new() -> Fx {
        let dir = tempfile::tempdir().expect("temp dir");
        let home = Home::at(dir.path().join("home")).unwrap();
        let clock = Clock::fixed(T0);
        let board = home
            .open_board("default")
            .unwrap()
            .with_clock(clock.clone());
        Fx {
            dir,
            home,
            board,
            clock,
        }
    }

    pub fn create(&mut self, title: &str) -> String {
        self.board.create(&NewTask::titled(title)).unwrap().id
    }

    pub fn create_for(&mut self, title: &str, assignee: &str) -> String {
        let mut n = NewTask::titled(title);
        n.assignee = Some(assignee.into());
        self.board.create(&n).unwrap().id
    }

    pub fn child_of(&mut self, title: &str, parents: &[&str]) -> String {
        let mut n = NewTask::titled(title);
        n.parents = parents.iter().map(|p| p.to_string()).collect();
        self.board.create(&n).unwrap().id
    }

    pub fn status(&mut self, id: &str) -> Status {
        self.board.get(id).unwrap().status
    }

    pub fn task(&mut self, id: &str) -> Task {
        self.board.get(id).unwrap()
    }

    pub fn kinds(&mut self, id: &str) -> Vec<String> {
        self.board
            .events(id)
            .unwrap()
            .into_iter()
            .map(|e| e.kind.to_string())
            .collect()
    }

    /// Runs SQL directly, to set up states no verb produces.
    pub fn sql(&self, sql: &str) {
        self.board.store().raw().execute_batch(sql).unwrap();
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.board
            .store()
            .raw()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    }
}

impl Drop for Fx {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let broken = self.board.check_invariants().unwrap();
        assert!(broken.is_empty(), "board invariants broken: {broken:#?}");
    }
}
