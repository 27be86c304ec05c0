//! Changing many cards at once, and putting cards back (undo).

use crate::error::AppError;
use kernel::{BulkItem, Status};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// What the bulk bar does to the selected cards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BulkAction {
    /// To ready, todo or triage (a blocked task is unblocked).
    Move(Status),
    Complete {
        summary: Option<String>,
    },
    Block {
        reason: String,
    },
    Archive,
    /// `None` unassigns.
    Assign {
        assignee: Option<String>,
        reclaim_first: bool,
    },
    Priority(i64),
}

#[cfg(feature = "ssr")]
impl BulkAction {
    fn change(self) -> kernel::bulk::BulkChange {
        use kernel::bulk::BulkChange;
        use kernel::patch::Patch;
        let status = |s| Patch {
            status: Some(s),
            ..Default::default()
        };
        match self {
            BulkAction::Move(s) => BulkChange {
                patch: status(s),
                ..Default::default()
            },
            BulkAction::Complete { summary } => BulkChange {
                patch: Patch {
                    summary: summary.filter(|s| !s.trim().is_empty()),
                    ..status(Status::Done)
                },
                ..Default::default()
            },
            BulkAction::Block { reason } => BulkChange {
                patch: Patch {
                    block_reason: Some(reason),
                    ..status(Status::Blocked)
                },
                ..Default::default()
            },
            BulkAction::Archive => BulkChange {
                patch: status(Status::Archived),
                ..Default::default()
            },
            BulkAction::Assign {
                assignee,
                reclaim_first,
            } => BulkChange {
                assignee: Some(assignee),
                reclaim_first,
                patch: Patch::default(),
            },
            BulkAction::Priority(p) => BulkChange {
                patch: Patch {
                    priority: Some(p),
                    ..Default::default()
                },
                ..Default::default()
            },
        }
    }
}

/// Applies `action` to each of `ids`; one result per id. A failure does not
/// undo the others. Workers of tasks taken off running are stopped.
#[server(endpoint = "bulk_update", input = Json)]
pub async fn bulk_update(
    board: String,
    ids: Vec<String>,
    action: BulkAction,
) -> Result<Vec<BulkItem>, AppError> {
    use crate::state::with_board;
    let ids = kernel::bulk::bulk_ids(&ids)?;
    let change = action.change();
    with_board(Some(board), move |st, slug| {
        st.ops.bulk(
            &slug,
            ids.into_iter().map(|id| (id, change.clone())).collect(),
        )
    })
    .await
}

/// A card's state before a change, to go back to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Restore {
    pub id: String,
    pub status: Status,
    pub assignee: Option<String>,
    pub priority: i64,
    /// Why it was blocked, when it was.
    pub block_reason: Option<String>,
}

/// Puts cards back as they were (the undo of a move, archive or bulk
/// action), through the same rules as any other change. A task that was
/// running goes back to ready: only a dispatcher makes a task run.
#[server(endpoint = "restore_tasks", input = Json)]
pub async fn restore_tasks(board: String, items: Vec<Restore>) -> Result<Vec<BulkItem>, AppError> {
    use crate::state::with_board;
    let ids: Vec<String> = items.iter().map(|r| r.id.clone()).collect();
    kernel::bulk::bulk_ids(&ids)?;
    let changes = items
        .into_iter()
        .map(|r| (r.id.clone(), r.change()))
        .collect();
    with_board(Some(board), move |st, slug| st.ops.bulk(&slug, changes)).await
}

#[cfg(feature = "ssr")]
impl Restore {
    /// The change that puts the card back.
    fn change(self) -> kernel::bulk::BulkChange {
        let status = match self.status {
            Status::Running => Status::Ready,
            s => s,
        };
        kernel::bulk::BulkChange {
            assignee: Some(self.assignee),
            reclaim_first: true,
            patch: kernel::patch::Patch {
                status: Some(status),
                priority: Some(self.priority),
                block_reason: (status == Status::Blocked).then(|| {
                    self.block_reason
                        .unwrap_or_else(|| "restored by undo".into())
                }),
                ..Default::default()
            },
        }
    }
}
