//! The data home: where boards, logs, workspaces and configuration live.
//!
//! ```text
//! <home>/kanban.db                     the default board
//! <home>/logs/<task>.log               its worker logs
//! <home>/workspaces/<task>/            its scratch workspaces
//! <home>/boards/<slug>/kanban.db       another board (+ board.json, logs/, workspaces/)
//! <home>/current                       the current board's slug
//! <home>/config.toml                   optional configuration
//! <home>/server.json                   {url, token, pid} while `baton serve` runs
//! ```

use crate::board::Board;
use crate::boards::normalize_slug;
use crate::error::{KernelError, Result};
use crate::options::BoardOptions;
use std::path::{Path, PathBuf};

pub const DEFAULT_BOARD: &str = "default";

/// The data folder (not to be confused with a notification "home channel").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    root: PathBuf,
    options: BoardOptions,
    /// The board a caller means when it names none, ahead of the `current`
    /// pointer (the binary sets it from `$BATON_BOARD`).
    preferred_board: Option<String>,
}

impl Home {
    /// The home at `root`, made absolute (so workers started elsewhere agree on it).
    pub fn at(root: impl AsRef<Path>) -> Result<Home> {
        let root = root.as_ref();
        let root = std::path::absolute(root)
            .map_err(|e| KernelError::io(format!("cannot resolve home {}", root.display()), e))?;
        Ok(Home {
            root,
            options: BoardOptions::default(),
            preferred_board: None,
        })
    }

    /// The same home, opening its boards with `options`.
    pub fn with_options(mut self, options: BoardOptions) -> Home {
        self.options = options;
        self
    }

    /// The same home, meaning `board` when a caller names none (a malformed
    /// or missing board is skipped then, not refused).
    pub fn preferring_board(mut self, board: Option<String>) -> Home {
        self.preferred_board = board.filter(|b| !b.trim().is_empty());
        self
    }

    pub fn options(&self) -> &BoardOptions {
        &self.options
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The directory holding one board's database, logs and workspaces.
    pub fn board_dir(&self, slug: &str) -> PathBuf {
        if slug == DEFAULT_BOARD {
            self.root.clone()
        } else {
            self.boards_dir().join(slug)
        }
    }

    pub fn boards_dir(&self) -> PathBuf {
        self.root.join("boards")
    }

    pub fn db_path(&self, slug: &str) -> PathBuf {
        self.board_dir(slug).join("kanban.db")
    }

    /// `board.json` of a board; the default board's lives under `boards/default/`.
    pub fn meta_path(&self, slug: &str) -> PathBuf {
        self.boards_dir().join(slug).join("board.json")
    }

    pub fn logs_dir(&self, slug: &str) -> PathBuf {
        self.board_dir(slug).join("logs")
    }

    pub fn log_path(&self, slug: &str, task_id: &str) -> PathBuf {
        self.logs_dir(slug).join(format!("{task_id}.log"))
    }

    pub fn workspaces_dir(&self, slug: &str) -> PathBuf {
        self.board_dir(slug).join("workspaces")
    }

    pub fn config_path(&self) -> PathBuf {
        self.root.join("config.toml")
    }

    pub fn server_info_path(&self) -> PathBuf {
        self.root.join("server.json")
    }

    pub fn current_pointer(&self) -> PathBuf {
        self.root.join("current")
    }

    /// Creates the home directory if it does not exist.
    pub fn ensure(&self) -> Result<()> {
        std::fs::create_dir_all(&self.root)
            .map_err(|e| KernelError::io(format!("cannot create home {}", self.root.display()), e))
    }

    /// The board to use: `explicit` (a `--board` flag; must exist), else the
    /// preferred board, else the `current` pointer, else `default`. Preferred
    /// and pointer values that are malformed or name a missing board are
    /// skipped.
    pub fn resolve_board(&self, explicit: Option<&str>) -> Result<String> {
        if let Some(raw) = explicit {
            let slug = normalize_slug(raw)?;
            if !self.board_exists(&slug) {
                return Err(KernelError::NotFound(format!(
                    "board '{slug}' does not exist"
                )));
            }
            return Ok(slug);
        }
        if let Some(raw) = &self.preferred_board {
            if let Ok(slug) = normalize_slug(raw) {
                if self.board_exists(&slug) {
                    return Ok(slug);
                }
            }
        }
        Ok(self.current_board())
    }

    /// The slug in the `current` pointer if it names an existing board, else `default`.
    pub fn current_board(&self) -> String {
        std::fs::read_to_string(self.current_pointer())
            .ok()
            .and_then(|s| s.lines().next().and_then(|l| normalize_slug(l).ok()))
            .filter(|s| self.board_exists(s))
            .unwrap_or_else(|| DEFAULT_BOARD.to_string())
    }

    /// Opens a board that exists (the default board always does).
    pub fn open_board(&self, slug: &str) -> Result<Board> {
        let slug = normalize_slug(slug)?;
        if !self.board_exists(&slug) {
            return Err(KernelError::NotFound(format!(
                "board '{slug}' does not exist"
            )));
        }
        Board::open_with(&self.db_path(&slug), &slug, self.options)
    }
}
