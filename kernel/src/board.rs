//! An open board: one database connection plus the board's identity and clock.
//! The verbs live in their own modules as `impl Board` blocks.

use crate::clock::Clock;
use crate::error::Result;
use crate::options::BoardOptions;
use crate::store::{Store, Tx};
use std::path::Path;

pub struct Board {
    store: Store,
    slug: String,
    clock: Clock,
    options: BoardOptions,
    /// The newest event id this handle has written; lets a server push events
    /// it caused without polling.
    last_event_id: Option<i64>,
    /// Workers that committed writes took their tasks from, not yet taken
    /// by the caller.
    released: Vec<crate::model::Worker>,
    /// The database file this handle opened (device, inode).
    file: Option<(u64, u64)>,
}

/// The identity of the file at `path` now, if there is one (a stat, never an
/// open: see store::file_bytes for why).
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

impl Board {
    /// Opens the board database at `db` (created, with its schema, if
    /// missing) with the default options.
    pub fn open_at(db: &Path, slug: &str) -> Result<Board> {
        Board::open_with(db, slug, BoardOptions::default())
    }

    /// Opens the board database at `db` with `options`.
    pub fn open_with(db: &Path, slug: &str, options: BoardOptions) -> Result<Board> {
        let store = Store::open(db, &options)?;
        Ok(Board {
            file: file_id(db),
            store,
            slug: slug.to_string(),
            clock: Clock::system(),
            options,
            last_event_id: None,
            released: Vec::new(),
        })
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn slug(&self) -> &str {
        &self.slug
    }

    pub fn db_path(&self) -> &Path {
        self.store.path()
    }

    /// Whether the board's path still names the file this handle opened: a
    /// board removed, replaced or re-created under a running process is
    /// another file (or none), and long-lived handles must reopen.
    pub fn is_current_file(&self) -> bool {
        self.file.is_some() && file_id(self.store.path()) == self.file
    }

    pub fn options(&self) -> &BoardOptions {
        &self.options
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn last_event_id(&self) -> Option<i64> {
        self.last_event_id
    }

    /// Full integrity check of the database file.
    pub fn check_integrity(&self) -> Result<()> {
        self.store.check_integrity()
    }

    /// The store, for tests that must set up states no verb produces.
    #[doc(hidden)]
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let clock = &self.clock;
        let mut last = None;
        let mut released = Vec::new();
        let value = self.store.write(
            || clock.now(),
            |tx| {
                let v = f(tx)?;
                last = tx.last_event_id();
                released = tx.released_workers().to_vec();
                Ok(v)
            },
        )?;
        if last.is_some() {
            self.last_event_id = last;
        }
        // Only a committed change releases anyone.
        self.released.extend(released);
        Ok(value)
    }

    /// The worker processes that changes through this handle took tasks
    /// from (a hand move off running, archive, reclaim, an operator's
    /// complete or block), each once: stopping them is the caller's job.
    pub fn take_released_workers(&mut self) -> Vec<crate::model::Worker> {
        std::mem::take(&mut self.released)
    }

    /// A write whose refusal is itself a change to keep: `f` answers
    /// `Ok(Err(refusal))` to commit what it wrote and then report the refusal
    /// (a claim refused for unfinished parents sends the task back to todo).
    pub(crate) fn write_then_refuse<T>(
        &mut self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<Result<T>>,
    ) -> Result<T> {
        self.write(f)?
    }

    pub(crate) fn read<T>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let now = self.clock.now();
        self.store.read(now, f)
    }

    /// Every broken invariant of the board, described; empty when sound.
    pub fn check_invariants(&mut self) -> Result<Vec<String>> {
        self.read(|tx| tx.invariant_violations())
    }
}
