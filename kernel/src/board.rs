//! An open board: one database connection plus the board's identity and clock.
//! The verbs live in their own modules as `impl Board` blocks.

use crate::clock::Clock;
use crate::error::Result;
use crate::store::{Store, Tx};
use std::path::Path;

pub struct Board {
    store: Store,
    slug: String,
    clock: Clock,
    /// The newest event id this handle has written; lets a server push events
    /// it caused without polling.
    last_event_id: Option<i64>,
}

impl Board {
    /// Opens the board database at `db` (created, with its schema, if missing).
    pub fn open_at(db: &Path, slug: &str) -> Result<Board> {
        Ok(Board {
            store: Store::open(db)?,
            slug: slug.to_string(),
            clock: Clock::system(),
            last_event_id: None,
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
        let now = self.clock.now();
        let mut last = None;
        let value = self.store.write(now, |tx| {
            let v = f(tx)?;
            last = tx.last_event_id();
            Ok(v)
        })?;
        if last.is_some() {
            self.last_event_id = last;
        }
        Ok(value)
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
