//! Open boards shared by a server's requests: connections are reused instead
//! of opened per request, and every write is announced to listeners (the live
//! event stream, the dispatcher) the moment it commits.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::home::Home;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

/// Called with the board's slug and its newest event id after a write.
pub type WriteListener = Arc<dyn Fn(&str, i64) + Send + Sync>;

/// Idle connections kept per board; more are opened under load and closed after.
const KEEP_PER_BOARD: usize = 8;

pub struct BoardPool {
    home: Home,
    idle: Mutex<HashMap<String, Vec<Board>>>,
    listeners: RwLock<Vec<WriteListener>>,
}

impl BoardPool {
    pub fn new(home: Home) -> BoardPool {
        BoardPool {
            home,
            idle: Mutex::new(HashMap::new()),
            listeners: RwLock::new(Vec::new()),
        }
    }

    pub fn home(&self) -> &Home {
        &self.home
    }

    pub fn on_write(&self, listener: WriteListener) {
        self.listeners
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push(listener);
    }

    /// The board a request means: `explicit` (must be well-formed and exist),
    /// else the server's current board.
    pub fn resolve(&self, explicit: Option<&str>) -> Result<String> {
        self.home
            .resolve_board(explicit.filter(|s| !s.trim().is_empty()))
    }

    /// Runs `f` on an open connection to board `slug` (blocking: call from a
    /// blocking context). Writes it made are announced after `f` returns.
    /// `f` answers in the caller's own error type.
    pub fn with<T, E: From<KernelError>>(
        &self,
        slug: &str,
        f: impl FnOnce(&mut Board) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let taken = {
            let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
            match idle.get_mut(slug).and_then(Vec::pop) {
                // The board was removed or re-created since: every idle
                // connection to it points at the old file.
                Some(b) if !b.is_current_file() => {
                    idle.remove(slug);
                    None
                }
                other => other,
            }
        };
        let mut board = match taken {
            Some(b) => b,
            None => self.home.open_board(slug)?,
        };
        let before = board.last_event_id();
        let result = f(&mut board);
        let after = board.last_event_id();
        {
            let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
            let list = idle.entry(slug.to_string()).or_default();
            if list.len() < KEEP_PER_BOARD {
                list.push(board);
            }
        }
        if let Some(id) = after.filter(|a| Some(*a) != before) {
            for l in self
                .listeners
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
            {
                l(slug, id);
            }
        }
        result
    }

    /// Forgets a board's connections (after the board was removed).
    pub fn forget(&self, slug: &str) {
        self.idle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(slug);
    }
}
