//! Claims: taking a ready task (an atomic compare-and-set under the write
//! lock), keeping the claim alive, and releasing it — on expiry or by hand.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::{
    ClaimExtendedPayload, ClaimedPayload, ManualReclaimPayload, NotePayload, Payload,
    ReasonPayload, SpawnedPayload, StaleReclaimPayload,
};
use crate::fence;
use crate::model::{Outcome, Status, Task};
use crate::ready::parent_finished;
use crate::store::{RunClose, TaskUpdate};

/// How long a claim lasts without a heartbeat.
pub const DEFAULT_CLAIM_TTL: i64 = 900;

/// `<hostname>:<pid>`: who holds a claim, and whether it is on this host.
pub fn default_claimer() -> String {
    format!("{}:{}", hostname(), std::process::id())
}

/// This machine's name, as claim locks record it.
pub fn hostname() -> String {
    let name = gethostname::gethostname().to_string_lossy().into_owned();
    if name.is_empty() {
        "localhost".into()
    } else {
        name
    }
}

/// What a heartbeat says.
#[derive(Debug, Clone, Copy, Default)]
pub struct Beat<'a> {
    /// What the worker is doing now.
    pub note: Option<&'a str>,
    /// The run it comes from; a run that is no longer current is refused.
    pub run: Option<i64>,
    /// Seconds to extend the claim by (default: the board's claim TTL).
    pub ttl: Option<i64>,
}

/// A successful claim: the task as it now is and the run it opened.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub task: Task,
    pub run_id: i64,
}

/// What a manual reclaim released, so the caller can stop the worker.
#[derive(Debug, Clone)]
pub struct Reclaimed {
    pub task: Task,
    pub run_id: Option<i64>,
    pub prev_lock: Option<String>,
    pub prev_pid: Option<i64>,
}

impl Board {
    /// Claims a ready task for `claimer` (default: this host and process) for
    /// `ttl` seconds. Exactly one of any number of concurrent claimers wins; the
    /// others get a conflict and leave nothing behind. A ready task whose
    /// parents are not all finished is sent back to todo instead.
    pub fn claim(&mut self, id: &str, ttl: Option<i64>, claimer: Option<&str>) -> Result<Claimed> {
        let ttl = match ttl {
            Some(t) if t < 1 => {
                return Err(KernelError::Invalid(format!(
                    "claim ttl must be at least 1 second, got {t}"
                )))
            }
            Some(t) => t,
            None => self.options().claim_ttl,
        };
        let lock = claimer
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .unwrap_or_else(default_claimer);
        self.write_then_refuse(|tx| {
            let task = tx.require_task(id)?;
            if task.status != Status::Ready || task.claim_lock.is_some() {
                return Err(KernelError::Conflict(format!(
                    "cannot claim {id}: it is {}{}",
                    task.status,
                    task.claim_lock
                        .as_deref()
                        .map(|l| format!(" and claimed by {l}"))
                        .unwrap_or_default()
                )));
            }
            let unfinished: Vec<String> = tx
                .parents_with_status(id)?
                .into_iter()
                .filter(|(_, s)| !parent_finished(*s))
                .map(|(p, s)| format!("{p} ({s})"))
                .collect();
            if !unfinished.is_empty() && !tx.forced_ready(id)? {
                // A racing writer linked an unfinished parent after promotion;
                // the claim is the last gate before work starts.
                tx.update_task(
                    id,
                    TaskUpdate::new()
                        .status(Status::Todo)
                        .when_status(&[Status::Ready]),
                )?;
                tx.event(
                    id,
                    None,
                    Payload::ClaimRejected(ReasonPayload {
                        reason: "parents_not_done".into(),
                    }),
                )?;
                return Ok(Err(KernelError::Conflict(format!(
                    "cannot claim {id}: parent(s) not finished: {}; it went back to todo",
                    unfinished.join(", ")
                ))));
            }
            if let Some(leaked) = task.current_run_id {
                tx.close_run(
                    leaked,
                    Outcome::Reclaimed,
                    &RunClose {
                        summary: Some("invariant recovery on re-claim"),
                        ..Default::default()
                    },
                )?;
            }
            let now = tx.now();
            let expires = now + ttl;
            let mut update = TaskUpdate::new()
                .status(Status::Running)
                .claim(&lock, expires)
                .when_status(&[Status::Ready])
                .when_lock(None);
            if task.started_at.is_none() {
                update = update.started_at(now);
            }
            if !tx.update_task(id, update)? {
                return Ok(Err(KernelError::Conflict(format!(
                    "cannot claim {id}: another claimer won"
                ))));
            }
            let run_id = tx.open_run(&task, &lock, expires)?;
            tx.update_task(id, TaskUpdate::new().current_run(Some(run_id)))?;
            tx.event(
                id,
                Some(run_id),
                Payload::Claimed(ClaimedPayload {
                    expires,
                    lock: lock.clone(),
                    run_id,
                }),
            )?;
            Ok(Ok(Claimed {
                task: tx.require_task(id)?,
                run_id,
            }))
        })
    }

    /// A worker's sign of life: extends the claim by the beat's `ttl` (else
    /// the board's claim TTL) and records a `heartbeat` event with an optional
    /// note. Fenced by the beat's run.
    pub fn heartbeat(&mut self, id: &str, beat: &Beat<'_>) -> Result<Task> {
        let run = beat.run;
        let ttl = beat
            .ttl
            .filter(|t| *t > 0)
            .unwrap_or(self.options().claim_ttl);
        let note = beat
            .note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        if let Some(n) = &note {
            if n.len() > 4096 {
                return Err(KernelError::Invalid(format!(
                    "heartbeat note is too long ({} bytes; at most 4096)",
                    n.len()
                )));
            }
        }
        self.write(|tx| {
            let task = tx.require_task(id)?;
            fence::check(&task, run)?;
            if task.status != Status::Running {
                return Err(KernelError::Conflict(format!(
                    "cannot heartbeat {id}: it is {}, not running",
                    task.status
                )));
            }
            let now = tx.now();
            let expires = now + ttl;
            let ok = tx.update_task(
                id,
                TaskUpdate::new()
                    .heartbeat_at(Some(now))
                    .claim_expires(expires)
                    .when_status(&[Status::Running])
                    .when_run(task.current_run_id),
            )?;
            if !ok {
                return Err(KernelError::Conflict(format!(
                    "cannot heartbeat {id}: it changed meanwhile"
                )));
            }
            if let Some(run_id) = task.current_run_id {
                tx.run_heartbeat(run_id)?;
                tx.extend_run_claim(run_id, expires)?;
            }
            tx.event(
                id,
                task.current_run_id,
                Payload::Heartbeat(note.map(|n| NotePayload {
                    note: n.to_string(),
                })),
            )?;
            tx.require_task(id)
        })
    }

    /// Records the worker process the dispatcher started for the current run.
    pub fn record_spawn(
        &mut self,
        id: &str,
        run: i64,
        pid: i64,
        started: Option<i64>,
    ) -> Result<()> {
        self.write(|tx| {
            let ok = tx.update_task(
                id,
                TaskUpdate::new()
                    .worker(pid, started)
                    .when_status(&[Status::Running])
                    .when_run(Some(run)),
            )?;
            if !ok {
                let task = tx.require_task(id)?;
                fence::check(&task, Some(run))?;
                return Err(KernelError::Conflict(format!(
                    "{id} is {}, not running",
                    task.status
                )));
            }
            tx.set_run_worker(run, pid, started)?;
            tx.event(id, Some(run), Payload::Spawned(SpawnedPayload { pid }))?;
            Ok(())
        })
    }

    /// Releases every claim whose TTL has passed: the run closes as reclaimed
    /// and the task is ready again. A claim whose worker `alive` says is still
    /// running is extended instead (recorded as `claim_extended`). Returns the
    /// released task ids.
    pub fn release_stale_claims(&mut self, alive: &dyn Fn(&Task) -> bool) -> Result<Vec<String>> {
        let ttl = self.options().claim_ttl;
        self.write(|tx| {
            let now = tx.now();
            let mut released = Vec::new();
            let running = tx.list_tasks(&crate::store::ListQuery {
                status: Some(Status::Running),
                ..Default::default()
            })?;
            for task in running {
                let Some(expires) = task.claim_expires else {
                    continue;
                };
                if expires >= now {
                    continue;
                }
                if alive(&task) {
                    let new_expires = now + ttl;
                    if tx.update_task(
                        &task.id,
                        TaskUpdate::new()
                            .claim_expires(new_expires)
                            .when_status(&[Status::Running])
                            .when_lock(task.claim_lock.as_deref()),
                    )? {
                        if let Some(run) = task.current_run_id {
                            tx.extend_run_claim(run, new_expires)?;
                        }
                        tx.event(
                            &task.id,
                            task.current_run_id,
                            Payload::ClaimExtended(ClaimExtendedPayload {
                                claim_expires_now: new_expires,
                                claim_expires_was: Some(expires),
                                claim_lock: task.claim_lock.clone(),
                                reason: "pid_alive".into(),
                                worker_pid: task.worker_pid,
                            }),
                        )?;
                    }
                    continue;
                }
                let moved = tx.update_task(
                    &task.id,
                    TaskUpdate::new()
                        .status(Status::Ready)
                        .clear_claim()
                        .when_status(&[Status::Running])
                        .when_lock(task.claim_lock.as_deref()),
                )?;
                if !moved {
                    continue;
                }
                let lock = task.claim_lock.clone().unwrap_or_default();
                if let Some(run) = task.current_run_id {
                    tx.close_run(
                        run,
                        Outcome::Reclaimed,
                        &RunClose {
                            error: Some(&format!("stale_lock={lock}")),
                            ..Default::default()
                        },
                    )?;
                }
                tx.event(
                    &task.id,
                    task.current_run_id,
                    Payload::StaleReclaim(StaleReclaimPayload {
                        claim_expires: Some(expires),
                        last_heartbeat_at: task.last_heartbeat_at,
                        now,
                        stale_lock: Some(lock),
                        worker_pid: task.worker_pid,
                    }),
                )?;
                released.push(task.id);
            }
            Ok(released)
        })
    }

    /// An operator takes a running task back: the run closes as reclaimed, the
    /// task is ready again and its failure count is reset. Stopping the worker
    /// process is the caller's job; the returned pid says which.
    pub fn reclaim(&mut self, id: &str, reason: Option<&str>) -> Result<Reclaimed> {
        let reason = reason
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        self.write(|tx| {
            let task = tx.require_task(id)?;
            if task.status != Status::Running && task.claim_lock.is_none() {
                return Err(KernelError::Conflict(format!(
                    "cannot reclaim {id}: it is {}, not running",
                    task.status
                )));
            }
            reclaim_in(tx, &task, reason.as_deref())
        })
    }
}

/// The body of a manual reclaim, shared with `reassign --reclaim`.
pub(crate) fn reclaim_in(
    tx: &mut crate::store::Tx<'_>,
    task: &Task,
    reason: Option<&str>,
) -> Result<Reclaimed> {
    let id = task.id.as_str();
    let moved = tx.update_task(
        id,
        TaskUpdate::new()
            .status(Status::Ready)
            .clear_claim()
            .failures(0, None)
            .when_status(&[Status::Running, Status::Ready, Status::Blocked])
            .when_lock(task.claim_lock.as_deref()),
    )?;
    if !moved {
        return Err(KernelError::Conflict(format!(
            "cannot reclaim {id}: it changed meanwhile"
        )));
    }
    tx.release_worker(task, None);
    let error = match reason {
        Some(r) => format!("manual_reclaim: {r}"),
        None => format!(
            "manual_reclaim lock={}",
            task.claim_lock.as_deref().unwrap_or("")
        ),
    };
    if let Some(run) = task.current_run_id {
        tx.close_run(
            run,
            Outcome::Reclaimed,
            &RunClose {
                error: Some(&error),
                ..Default::default()
            },
        )?;
    }
    tx.event(
        id,
        task.current_run_id,
        Payload::ManualReclaim(ManualReclaimPayload {
            manual: true,
            prev_lock: task.claim_lock.clone(),
            prev_pid: task.worker_pid,
            reason: reason.map(str::to_string),
        }),
    )?;
    Ok(Reclaimed {
        task: tx.require_task(id)?,
        run_id: task.current_run_id,
        prev_lock: task.claim_lock.clone(),
        prev_pid: task.worker_pid,
    })
}
