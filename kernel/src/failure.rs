//! The circuit breaker: a failed attempt (crash, timeout, spawn failure)
//! closes its run and counts against the task; at the limit the task is
//! blocked with the last error instead of being retried forever.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::{BlockedPayload, FailurePayload, GaveUpPayload, HeldBackPayload, Payload};
use crate::model::{Outcome, Status};
use crate::store::{RunClose, TaskUpdate};
use serde_json::{Map, Value};

/// One failed attempt.
#[derive(Debug, Clone)]
pub struct Failure {
    /// `Crashed`, `TimedOut` or `SpawnFailed`.
    pub outcome: Outcome,
    /// What went wrong, for people (kept to 500 characters on the task).
    pub error: String,
    /// Details for the event (pid, exit code, elapsed, …).
    pub details: Value,
}

/// What the breaker decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureResult {
    /// Consecutive failures, this one included.
    pub failures: i64,
    /// The limit that applied (the task's `max_retries`, else the caller's).
    pub limit: i64,
    /// The task was blocked instead of going back to ready.
    pub gave_up: bool,
}

pub const MAX_ERROR_CHARS: usize = 500;

impl Board {
    /// Records a failed attempt of `run` on task `id`. The run closes with the
    /// failure's outcome; the task goes back to ready — or, at the limit, to
    /// blocked with a `gave_up` event. A spawn failure that trips the breaker
    /// closes its run as `gave_up`.
    pub fn record_failure(
        &mut self,
        id: &str,
        run: i64,
        f: &Failure,
        failure_limit: i64,
    ) -> Result<FailureResult> {
        if !matches!(
            f.outcome,
            Outcome::Crashed | Outcome::TimedOut | Outcome::SpawnFailed
        ) {
            return Err(KernelError::Invalid(format!(
                "{} is not a failure outcome",
                f.outcome
            )));
        }
        let error = crate::model::truncate_chars(f.error.trim(), MAX_ERROR_CHARS);
        self.write(|tx| {
            let task = tx.require_task(id)?;
            if task.current_run_id != Some(run) || task.status != Status::Running {
                return Err(KernelError::Conflict(format!(
                    "run {run} of {id} is no longer active (the task is {}); nothing recorded",
                    task.status
                )));
            }
            let failures = task.consecutive_failures + 1;
            let limit = task.max_retries.unwrap_or(failure_limit).max(1);
            let gave_up = failures >= limit;
            let target = if gave_up {
                Status::Blocked
            } else {
                Status::Ready
            };
            let ok = tx.update_task(
                id,
                TaskUpdate::new()
                    .status(target)
                    .clear_claim()
                    .failures(failures, Some(&error))
                    .when_status(&[Status::Running])
                    .when_run(Some(run)),
            )?;
            if !ok {
                return Err(KernelError::Conflict(format!(
                    "{id} changed meanwhile; nothing recorded"
                )));
            }
            let mut details = match &f.details {
                Value::Object(m) => m.clone(),
                _ => Map::new(),
            };
            // The payload's own fields win over same-named details.
            details.remove("error");
            details.remove("failures");
            let payload = FailurePayload {
                error: error.clone(),
                failures,
                details,
            };
            let spawn_gave_up = gave_up && f.outcome == Outcome::SpawnFailed;
            let run_outcome = if spawn_gave_up {
                Outcome::GaveUp
            } else {
                f.outcome
            };
            let run_metadata = serde_json::to_value(&payload).unwrap_or(Value::Null);
            tx.close_run(
                run,
                run_outcome,
                &RunClose {
                    summary: None,
                    error: Some(&error),
                    metadata: Some(&run_metadata),
                },
            )?;
            if !spawn_gave_up {
                let event = match f.outcome {
                    Outcome::Crashed => Payload::Crashed(payload),
                    Outcome::TimedOut => Payload::TimedOut(payload),
                    _ => Payload::SpawnFailed(payload),
                };
                tx.event(id, Some(run), event)?;
            }
            if gave_up {
                tx.event(
                    id,
                    spawn_gave_up.then_some(run),
                    Payload::GaveUp(GaveUpPayload {
                        effective_limit: limit,
                        error: error.clone(),
                        failures,
                        limit_source: if task.max_retries.is_some() {
                            "task"
                        } else {
                            "dispatcher"
                        }
                        .into(),
                        trigger_outcome: f.outcome,
                    }),
                )?;
            }
            Ok(FailureResult {
                failures,
                limit,
                gave_up,
            })
        })
    }

    /// Records a run the agent's provider turned away — a rate limit or
    /// quota (`RateLimited`), or a failed login (`AuthFailed`). The run
    /// closes with that outcome and the task goes back to ready without
    /// counting toward the circuit breaker (the profile is what waits); after
    /// `cap` such runs in a row the task is blocked instead, so a limit that
    /// never lifts cannot requeue it forever.
    pub fn record_held_back(
        &mut self,
        id: &str,
        run: i64,
        h: &HeldBack,
        cap: i64,
    ) -> Result<HeldBackResult> {
        if !matches!(h.outcome, Outcome::RateLimited | Outcome::AuthFailed) {
            return Err(KernelError::Invalid(format!(
                "{} is not a rate-limit or login outcome",
                h.outcome
            )));
        }
        let error = crate::model::truncate_chars(h.error.trim(), MAX_ERROR_CHARS);
        self.write(|tx| {
            let task = tx.require_task(id)?;
            if task.current_run_id != Some(run) || task.status != Status::Running {
                return Err(KernelError::Conflict(format!(
                    "run {run} of {id} is no longer active (the task is {}); nothing recorded",
                    task.status
                )));
            }
            let before = tx
                .runs_of(id)?
                .iter()
                .rev()
                .filter(|r| r.id != run)
                .take_while(|r| {
                    matches!(r.outcome, Some(Outcome::RateLimited | Outcome::AuthFailed))
                })
                .count() as i64;
            let requeues = before + 1;
            let capped = requeues >= cap.max(1);
            let what = if h.outcome == Outcome::RateLimited {
                "rate-limited"
            } else {
                "refused its login"
            };
            let reason = capped.then(|| {
                format!(
                    "The agent's provider {what} {requeues} times in a row; the last time: {error}"
                )
            });
            let target = if capped {
                Status::Blocked
            } else {
                Status::Ready
            };
            let ok = tx.update_task(
                id,
                TaskUpdate::new()
                    .status(target)
                    .clear_claim()
                    .when_status(&[Status::Running])
                    .when_run(Some(run)),
            )?;
            if !ok {
                return Err(KernelError::Conflict(format!(
                    "{id} changed meanwhile; nothing recorded"
                )));
            }
            let payload = HeldBackPayload {
                error: error.clone(),
                reset_at: h.reset_at,
                requeues,
                capped,
            };
            let mut metadata = match &h.details {
                Value::Object(m) => m.clone(),
                _ => Map::new(),
            };
            if let Value::Object(p) = serde_json::to_value(&payload).unwrap_or(Value::Null) {
                metadata.extend(p);
            }
            tx.close_run(
                run,
                h.outcome,
                &RunClose {
                    // A blocked task says why on its card.
                    summary: reason.as_deref(),
                    error: Some(&error),
                    metadata: Some(&Value::Object(metadata)),
                },
            )?;
            let event = if h.outcome == Outcome::RateLimited {
                Payload::RateLimited(payload)
            } else {
                Payload::AuthFailed(payload)
            };
            tx.event(id, Some(run), event)?;
            // A blocked event makes the block stick: the breaker's
            // promotion, which counts failures, must not requeue it.
            if let Some(reason) = reason {
                tx.event(
                    id,
                    Some(run),
                    Payload::Blocked(BlockedPayload {
                        by_operator: None,
                        reason: Some(reason),
                    }),
                )?;
            }
            Ok(HeldBackResult { requeues, capped })
        })
    }
}

/// A run the agent's provider turned away.
#[derive(Debug, Clone)]
pub struct HeldBack {
    /// `RateLimited` or `AuthFailed`.
    pub outcome: Outcome,
    pub error: String,
    /// When the limit resets, if the provider said.
    pub reset_at: Option<i64>,
    /// Details for the run (exit code, agent, …).
    pub details: Value,
}

/// What recording it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldBackResult {
    /// Such runs in a row, this one included.
    pub requeues: i64,
    /// The cap was reached and the task blocked.
    pub capped: bool,
}
