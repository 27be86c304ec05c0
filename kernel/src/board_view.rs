//! The board as the dashboard shows it: status columns of cards, each card
//! with its counts, progress and latest summary, from one snapshot.

use crate::board::Board;
use crate::error::Result;
use crate::model::{BoardView, Card, Column, LinkCounts, Status};
use crate::store::ListQuery;

/// Cards show this much of the latest run summary.
pub const CARD_SUMMARY_CHARS: usize = 200;

/// Columns in board order; archived only when asked for.
pub fn columns(include_archived: bool) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|s| include_archived || *s != Status::Archived)
        .collect()
}

impl BoardView {
    /// Puts each task's diagnostics (and their badge summary) on its card.
    pub fn attach(
        &mut self,
        diagnostics: &std::collections::BTreeMap<String, Vec<crate::model::Diagnostic>>,
    ) {
        for card in self.columns.iter_mut().flat_map(|c| c.tasks.iter_mut()) {
            if let Some(d) = diagnostics.get(&card.task.id) {
                card.warnings = crate::model::Warnings::of(d);
                card.diagnostics = d.clone();
            }
        }
    }
}

impl Board {
    pub fn board_view(
        &mut self,
        tenant: Option<&str>,
        include_archived: bool,
    ) -> Result<BoardView> {
        let slug = self.slug().to_string();
        self.read(|tx| {
            let now = tx.now();
            let tasks = tx.list_tasks(&ListQuery {
                tenant: tenant.map(str::to_string),
                include_archived,
                ..Default::default()
            })?;
            let links = tx.link_counts()?;
            let comments = tx.comment_counts()?;
            let summaries = tx.latest_summaries()?;
            let spends = tx.card_spends()?;
            let mut cols: Vec<Column> = columns(include_archived)
                .into_iter()
                .map(|name| Column {
                    name,
                    tasks: Vec::new(),
                })
                .collect();
            for task in tasks {
                let (counts, progress) = links
                    .get(&task.id)
                    .copied()
                    .unwrap_or((LinkCounts::default(), None));
                let card = Card {
                    age: task.age(now),
                    link_counts: counts,
                    comment_count: comments.get(&task.id).copied().unwrap_or(0),
                    progress,
                    latest_summary: summaries
                        .get(&task.id)
                        .map(|s| crate::model::truncate_chars(s, CARD_SUMMARY_CHARS)),
                    spend: spends.get(&task.id).copied(),
                    diagnostics: Vec::new(),
                    warnings: None,
                    task,
                };
                if let Some(col) = cols.iter_mut().find(|c| c.name == card.task.status) {
                    col.tasks.push(card);
                }
            }
            Ok(BoardView {
                board: slug,
                columns: cols,
                tenants: tx.tenants()?,
                assignees: tx.active_assignees()?,
                latest_event_id: tx.latest_event_id()?,
                now,
            })
        })
    }

    /// One card, for live updates of a single task.
    pub fn card(&mut self, id: &str) -> Result<Card> {
        self.read(|tx| {
            let task = tx.require_task(id)?;
            let (link_counts, progress) = tx.link_counts_of(id)?;
            Ok(Card {
                age: task.age(tx.now()),
                link_counts,
                comment_count: tx.comments_of(id)?.len() as i64,
                progress,
                latest_summary: tx
                    .latest_summary(id)?
                    .map(|s| crate::model::truncate_chars(&s, CARD_SUMMARY_CHARS)),
                spend: tx.card_spend(id)?,
                diagnostics: Vec::new(),
                warnings: None,
                task,
            })
        })
    }
}
