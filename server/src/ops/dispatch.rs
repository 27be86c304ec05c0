//! "Dispatch now": one pass under this process's lock when it dispatches the
//! board, else under the lock taken for the pass.

use super::Ops;
use crate::dispatcher::lock::{self, DispatchLock};
use crate::dispatcher::{Dispatcher, PassOptions, PassReport};
use crate::error::{Error, Result};

impl Ops {
    pub fn dispatch_now(&self, board: Option<&str>, opts: &PassOptions) -> Result<PassReport> {
        let slug = self.slug(board)?;
        if let Some(r) = self.dispatcher.pass_now(&slug, opts) {
            return r;
        }
        let board_dir = self.home().board_dir(&slug);
        let Some(_lock) = DispatchLock::try_acquire(&board_dir)? else {
            let who = lock::holder(&lock::lock_path(&board_dir))
                .map(|p| format!(" (pid {p})"))
                .unwrap_or_default();
            return Err(Error::Refused(format!(
                "another dispatcher is active on board '{slug}'{who}; it will pick the work up itself"
            )));
        };
        Dispatcher::new(self.home().clone(), &slug).pass(opts)
    }
}
