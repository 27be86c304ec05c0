//! The SQLite store: every SQL statement in the kernel lives under this module.
//! Board rules talk to a [`Tx`] through typed methods, so a second storage
//! engine would replace this module and nothing else.

mod cards;
mod comments;
mod events;
mod file_bytes;
pub(crate) mod import;
mod links;
mod notify;
mod open;
mod queries;
mod runs;
pub mod schema;
mod tasks;
mod usage;

pub use open::{check_integrity, quarantine};
pub use queries::{Candidate, ListQuery};
pub use runs::RunClose;
pub use tasks::TaskUpdate;

use crate::error::Result;
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};

/// One open connection to one board database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    pub fn open(path: &Path, options: &crate::options::BoardOptions) -> Result<Store> {
        Ok(Store {
            conn: open::open(path, options)?,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn check_integrity(&self) -> Result<()> {
        open::check_integrity(&self.conn, &self.path)
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up
    /// front, so compare-and-set updates inside never race another writer.
    /// Any error rolls everything back.
    ///
    /// The clock is read once the write lock is held: read before, a writer
    /// that waited for the lock would commit an older time than the writer
    /// it waited for (a run could end before it started).
    pub fn write<T>(
        &mut self,
        now: impl FnOnce() -> i64,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut wrapped = Tx {
            tx,
            now: now(),
            last_event_id: None,
            released: Vec::new(),
        };
        let value = f(&mut wrapped)?;
        wrapped.tx.commit()?;
        Ok(value)
    }

    /// Runs `f` in a read transaction: one consistent snapshot.
    pub fn read<T>(&mut self, now: i64, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let mut wrapped = Tx {
            tx,
            now,
            last_event_id: None,
            released: Vec::new(),
        };
        let value = f(&mut wrapped)?;
        // A read-only transaction has nothing to commit; finishing it releases the snapshot.
        wrapped.tx.finish()?;
        Ok(value)
    }

    /// Escape hatch for tests that need to put the database in a state no verb
    /// produces (a rewound clock, a leaked run pointer).
    #[doc(hidden)]
    pub fn raw(&self) -> &Connection {
        &self.conn
    }
}

/// A transaction on the board, with the clock reading every write in it shares.
pub struct Tx<'c> {
    tx: rusqlite::Transaction<'c>,
    now: i64,
    last_event_id: Option<i64>,
    released: Vec<crate::model::Worker>,
}

impl Tx<'_> {
    /// Notes that this transaction takes `task` away from its worker process,
    /// unless the write comes from that worker's own run (`by_run`): the
    /// caller stops it once the change has committed.
    pub fn release_worker(&mut self, task: &crate::model::Task, by_run: Option<i64>) {
        let Some(pid) = task.worker_pid else { return };
        if by_run.is_some() && by_run == task.current_run_id {
            return;
        }
        self.released.push(crate::model::Worker {
            task_id: task.id.clone(),
            pid,
            started: task.worker_started,
            lock: task.claim_lock.clone(),
        });
    }

    /// The workers this transaction took tasks from.
    pub fn released_workers(&self) -> &[crate::model::Worker] {
        &self.released
    }

    pub fn now(&self) -> i64 {
        self.now
    }

    /// The newest event id this transaction appended, if any.
    pub fn last_event_id(&self) -> Option<i64> {
        self.last_event_id
    }
}

/// `?,?,?` for an IN list of `n` values.
fn placeholders(n: usize) -> String {
    let mut s = String::with_capacity(n * 2);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push('?');
    }
    s
}
