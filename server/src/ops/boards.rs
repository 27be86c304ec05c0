//! The boards themselves: one summary for every board list (REST, the CLI,
//! the dashboard's switcher), creating, switching and removing.

use super::views::BoardOut;
use super::Ops;
use crate::error::Result;
use kernel::boards::{BoardFields, RemovedBoard};
use kernel::{BoardMeta, Status};

impl Ops {
    /// Every board (`default` first), with its counts.
    pub fn boards(&self, include_archived: bool) -> Result<Vec<BoardOut>> {
        let home = self.home();
        let current = home.current_board();
        home.list_boards(include_archived)
            .into_iter()
            .map(|meta| self.board_out(meta, &current))
            .collect()
    }

    /// One board with its counts; `current` is the current board's slug.
    pub fn board_out(&self, meta: BoardMeta, current: &str) -> Result<BoardOut> {
        let counts = self.pool.with(&meta.slug, |b| {
            let mut counts = b.stats()?.by_status;
            let archived = b
                .list(&kernel::store::ListQuery {
                    status: Some(Status::Archived),
                    ..Default::default()
                })?
                .len() as i64;
            if archived > 0 {
                counts.insert(Status::Archived.as_str().into(), archived);
            }
            Ok::<_, crate::error::Error>(counts)
        })?;
        Ok(BoardOut {
            is_current: meta.slug == current,
            total: counts.values().sum(),
            meta,
            counts,
        })
    }

    /// Creates a board (or applies `fields` to the existing one), switching
    /// to it when asked.
    pub fn create_board(
        &self,
        slug: &str,
        fields: &BoardFields,
        switch: bool,
    ) -> Result<BoardMeta> {
        let meta = self.home().create_board(slug, fields)?;
        if switch {
            self.home().switch_board(&meta.slug)?;
        }
        Ok(meta)
    }

    pub fn update_board(&self, slug: &str, fields: &BoardFields) -> Result<BoardMeta> {
        Ok(self.home().update_board(slug, fields)?)
    }

    pub fn switch_board(&self, slug: &str) -> Result<String> {
        Ok(self.home().switch_board(slug)?)
    }

    /// Archives (or with `delete` erases) a board; its pooled connections
    /// are dropped.
    pub fn remove_board(&self, slug: &str, delete: bool) -> Result<RemovedBoard> {
        let removed = self.home().remove_board(slug, delete)?;
        self.pool.forget(&removed.slug);
        Ok(removed)
    }
}
