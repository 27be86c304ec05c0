//! Comments and dependencies, written by people or on behalf of a worker's
//! run (then fenced by it inside the write).

use super::Ops;
use crate::error::{Error, Result};
use kernel::fence::Acting;
use kernel::Comment;

impl Ops {
    pub fn comment(
        &self,
        board: Option<&str>,
        id: &str,
        author: &str,
        body: &str,
        acting: Option<&Acting>,
    ) -> Result<Comment> {
        self.read(board, |b| {
            Ok(b.comment_as(id.trim(), author, body, acting)?)
        })
    }

    /// Makes `child` wait for `parent`; whether the link is new.
    pub fn link(
        &self,
        board: Option<&str>,
        parent: &str,
        child: &str,
        acting: Option<&Acting>,
    ) -> Result<bool> {
        self.read(board, |b| Ok(b.link_as(parent, child, acting)?))
    }

    /// Removes a dependency; whether it existed.
    pub fn unlink(&self, board: Option<&str>, parent: &str, child: &str) -> Result<bool> {
        self.read(board, |b| Ok(b.unlink(parent, child)?))
    }

    /// [`Ops::unlink`] for callers to whom a missing link is a refusal.
    pub fn unlink_existing(&self, board: Option<&str>, parent: &str, child: &str) -> Result<()> {
        if self.unlink(board, parent, child)? {
            Ok(())
        } else {
            Err(Error::Refused(format!(
                "{} does not depend on {}",
                child.trim(),
                parent.trim()
            )))
        }
    }
}
