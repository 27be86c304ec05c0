//! Dependency promotion: when a task's parents are all finished it moves from
//! todo to ready. One predicate decides "finished" everywhere: done or archived
//! (an abandoned parent must not strand its children).

use crate::board::Board;
use crate::error::Result;
use crate::event::Payload;
use crate::model::Status;
use crate::store::{TaskUpdate, Tx};

/// The circuit breaker's default: consecutive failures after which a task
/// stays blocked instead of being retried.
pub const DEFAULT_FAILURE_LIMIT: i64 = 5;

/// Whether a parent in `status` no longer holds its children back.
pub fn parent_finished(status: Status) -> bool {
    matches!(status, Status::Done | Status::Archived)
}

/// The status a task whose dependencies were just (re)evaluated should have:
/// ready when every parent is finished, todo otherwise.
pub(crate) fn status_from_parents(tx: &Tx<'_>, id: &str) -> Result<Status> {
    let parents = tx.parents_with_status(id)?;
    Ok(if parents.iter().all(|(_, s)| parent_finished(*s)) {
        Status::Ready
    } else {
        Status::Todo
    })
}

fn promote(tx: &mut Tx<'_>, id: &str, from: Status) -> Result<bool> {
    let moved = tx.update_task(
        id,
        TaskUpdate::new().status(Status::Ready).when_status(&[from]),
    )?;
    if moved {
        tx.event(id, None, Payload::Promoted)?;
    }
    Ok(moved)
}

/// Promotes `id` out of todo if every parent is now finished.
pub(crate) fn promote_if_free(tx: &mut Tx<'_>, id: &str) -> Result<bool> {
    if tx.status_of(id)? != Some(Status::Todo) || status_from_parents(tx, id)? != Status::Ready {
        return Ok(false);
    }
    promote(tx, id, Status::Todo)
}

/// Promotes the waiting children of `parent` whose parents are now all
/// finished. Called inside the transaction that finished `parent`, so the
/// children move in the same operation.
pub(crate) fn promote_children(tx: &mut Tx<'_>, parent: &str) -> Result<Vec<String>> {
    let mut promoted = Vec::new();
    for child in tx.promotable_children(parent)? {
        if promote(tx, &child, Status::Todo)? {
            promoted.push(child);
        }
    }
    Ok(promoted)
}

impl Board {
    /// Re-evaluates every waiting task: todo tasks whose parents are all
    /// finished become ready; so do blocked tasks that the circuit breaker (not
    /// a person or worker) blocked, once their failure count is below the
    /// limit (`max_retries` of the task, else `failure_limit`). Returns the
    /// promoted ids.
    pub fn recompute_ready(&mut self, failure_limit: i64) -> Result<Vec<String>> {
        self.write(|tx| {
            let mut promoted = Vec::new();
            for c in tx.promotion_candidates()? {
                if c.status == Status::Blocked {
                    let limit = c.max_retries.unwrap_or(failure_limit);
                    if c.failures >= limit || tx.block_is_sticky(&c.id)? {
                        continue;
                    }
                }
                if promote(tx, &c.id, c.status)? {
                    promoted.push(c.id);
                }
            }
            Ok(promoted)
        })
    }
}
