//! Comments: the conversation on a task between people and workers.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::{CommentedPayload, Payload};
use crate::fence::{self, Acting};
use crate::model::Comment;
use crate::validate;

impl Board {
    /// Adds a comment. A blank body is refused; the body is stored trimmed.
    pub fn comment(&mut self, id: &str, author: &str, body: &str) -> Result<Comment> {
        self.comment_as(id, author, body, None)
    }

    /// Adds a comment on behalf of a worker's run (refused once it is stale).
    pub fn comment_as(
        &mut self,
        id: &str,
        author: &str,
        body: &str,
        acting: Option<&Acting>,
    ) -> Result<Comment> {
        let text = validate::text("comment body", Some(body))?.unwrap_or_default();
        let text = text.trim();
        if text.is_empty() {
            return Err(KernelError::Invalid(
                "comment body is required (it was blank)".into(),
            ));
        }
        let author = validate::author(author)?;
        self.write(|tx| {
            fence::check_acting(tx, acting)?;
            tx.require_task(id)?;
            let cid = tx.insert_comment(id, &author, text)?;
            tx.event(
                id,
                None,
                Payload::Commented(CommentedPayload {
                    author: author.clone(),
                    len: body.len(),
                }),
            )?;
            Ok(Comment {
                id: cid,
                task_id: id.to_string(),
                author: author.clone(),
                body: text.to_string(),
                created_at: tx.now(),
            })
        })
    }
}
