//! The operations layer: one function per user-level operation (create,
//! patch or move, complete, block, unblock, archive, reclaim, reassign,
//! bulk, comment, link, dispatch now, …). Each makes the kernel call and
//! performs what follows from it — stopping a worker the change took a task
//! from, waking the dispatcher and the notifier (the board pool announces
//! every committed write), saying why a new task will wait — and returns a
//! typed outcome. The CLI, the REST API, the dashboard's server functions and
//! the MCP tools only translate their input and output.

mod boards;
mod bulk;
mod create;
mod dashboard;
mod dispatch;
mod handoff;
mod links;
mod moves;
mod profiles;
mod reads;
pub mod spend;
mod transcripts;
pub mod views;

pub use create::Created;
pub use handoff::Claim;
pub use profiles::{NewProfile, ProfileOut};

use crate::config::Config;
use crate::dispatcher::ServerDispatcher;
use crate::error::Result;
use crate::process::Stopping;
use kernel::pool::BoardPool;
use kernel::{Board, Home};
use std::sync::Arc;

/// Where operations act: the shared board pool and, in `baton serve`, the
/// dispatcher of this process.
#[derive(Clone)]
pub struct Ops {
    pool: Arc<BoardPool>,
    dispatcher: ServerDispatcher,
}

/// The outcome of a change, with the workers it took tasks from being stopped.
pub struct Changed<T> {
    pub value: T,
    /// The board it happened on.
    pub slug: String,
    pub stopping: Stopping,
}

impl<T> Changed<T> {
    /// The value, letting any worker stop in the background (a server's way).
    pub fn detach(self) -> T {
        self.stopping.detach();
        self.value
    }
}

impl Ops {
    pub fn new(pool: Arc<BoardPool>, dispatcher: ServerDispatcher) -> Ops {
        Ops { pool, dispatcher }
    }

    /// For a process that serves nothing (the CLI, `baton mcp`): its own pool,
    /// no dispatcher of its own.
    pub fn local(home: Home) -> Ops {
        Ops::new(Arc::new(BoardPool::new(home)), ServerDispatcher::off())
    }

    pub fn home(&self) -> &Home {
        self.pool.home()
    }

    pub fn pool(&self) -> &Arc<BoardPool> {
        &self.pool
    }

    pub fn dispatcher(&self) -> &ServerDispatcher {
        &self.dispatcher
    }

    pub fn config(&self) -> Result<Config> {
        Config::load(self.home())
    }

    /// The board a caller means: `board` (must exist) or the current one.
    pub fn slug(&self, board: Option<&str>) -> Result<String> {
        Ok(self.pool.resolve(board)?)
    }

    /// Whether some dispatcher (this process's or another) holds `slug`.
    pub fn dispatcher_running(&self, slug: &str) -> bool {
        self.dispatcher.holds(slug) || crate::diagnose::dispatcher_running(self.home(), slug)
    }

    /// Runs a read on the board a caller means.
    pub fn read<T>(
        &self,
        board: Option<&str>,
        f: impl FnOnce(&mut Board) -> Result<T>,
    ) -> Result<T> {
        let slug = self.slug(board)?;
        self.pool.with(&slug, f)
    }

    /// Runs a change on the board a caller means; the workers it took tasks
    /// from start stopping as soon as it has committed.
    fn change<T>(
        &self,
        board: Option<&str>,
        f: impl FnOnce(&mut Board) -> Result<T>,
    ) -> Result<Changed<T>> {
        let slug = self.slug(board)?;
        self.pool.with(&slug, |b| {
            let out = f(b);
            let stopping = Stopping::start(b.take_released_workers());
            match out {
                Ok(value) => Ok(Changed {
                    value,
                    slug: slug.clone(),
                    stopping,
                }),
                Err(e) => {
                    stopping.detach();
                    Err(e)
                }
            }
        })
    }
}
