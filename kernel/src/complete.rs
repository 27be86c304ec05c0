//! Completing a task: the structured handoff, the run it closes, and the
//! children it frees.

use crate::board::Board;
use crate::error::{KernelError, Result};
use crate::event::{CompletedPayload, HallucinationPayload, IdsPayload, Payload};
use crate::fence;
use crate::model::{first_line, Outcome, Status, Task};
use crate::ready::promote_children;
use crate::store::{RunClose, TaskUpdate, Tx};
use crate::validate;
use serde_json::Value;

/// The handoff a finished task leaves for its children and for people.
#[derive(Debug, Clone, Default)]
pub struct Completion {
    /// Legacy one-line result, stored on the task.
    pub result: Option<String>,
    /// What was done, for the next worker and the board.
    pub summary: Option<String>,
    /// Structured facts (changed files, tests run, …); must be a JSON object.
    pub metadata: Option<Value>,
    /// The run this completion belongs to (fencing); `None` for an operator.
    pub run: Option<i64>,
    /// Tasks the worker says it created; each must exist and have been
    /// created by the worker's profile, or the completion is refused.
    pub created_cards: Vec<String>,
    /// The completing worker's profile (default: the task's assignee).
    pub profile: Option<String>,
}

/// `t_` + 8 lowercase hex digits standing alone in `text`.
pub fn task_ids_in(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out: Vec<String> = Vec::new();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i + 10 <= b.len() {
        let boundary_before = i == 0 || !word(b[i - 1]);
        let boundary_after = i + 10 == b.len() || !word(b[i + 10]);
        if boundary_before
            && boundary_after
            && &b[i..i + 2] == b"t_"
            && b[i + 2..i + 10]
                .iter()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
        {
            let id = String::from_utf8_lossy(&b[i..i + 10]).into_owned();
            if !out.contains(&id) {
                out.push(id);
            }
            i += 10;
        } else {
            i += 1;
        }
    }
    out
}

/// The hallucination gate: refuses (and records) a completion that claims
/// cards which do not exist or were created by someone else.
fn check_created_cards(tx: &mut Tx<'_>, id: &str, c: &Completion) -> Result<Option<KernelError>> {
    let task = tx.require_task(id)?;
    fence::check(&task, c.run)?;
    let creator = c
        .profile
        .as_deref()
        .map(|p| p.trim().to_lowercase())
        .or_else(|| task.assignee.clone());
    let mut phantom = Vec::new();
    let mut foreign = Vec::new();
    for card in &c.created_cards {
        match tx.task(card.trim())? {
            None => phantom.push(card.trim().to_string()),
            Some(t) => {
                let by = t.created_by.as_deref().map(str::to_lowercase);
                if creator.is_some() && by != creator {
                    foreign.push(card.trim().to_string());
                }
            }
        }
    }
    if phantom.is_empty() && foreign.is_empty() {
        return Ok(None);
    }
    let all: Vec<String> = phantom.iter().chain(&foreign).cloned().collect();
    tx.event(
        id,
        task.current_run_id,
        Payload::CompletionBlockedHallucination(HallucinationPayload {
            expected_creator: creator.clone(),
            missing: phantom.clone(),
            not_created_by_worker: foreign.clone(),
            phantom_ids: all,
        }),
    )?;
    let mut why = Vec::new();
    if !phantom.is_empty() {
        why.push(format!("no such task: {}", phantom.join(", ")));
    }
    if !foreign.is_empty() {
        why.push(format!(
            "not created by {}: {}",
            creator.as_deref().unwrap_or("this worker"),
            foreign.join(", ")
        ));
    }
    Ok(Some(KernelError::Invalid(format!(
        "completion of {id} refused: created_cards lists cards this worker did not create ({}); \
         nothing changed — retry with the ids of cards you really created",
        why.join("; ")
    ))))
}

/// How long the summary excerpt in a `completed` event may be.
pub const EVENT_SUMMARY_CHARS: usize = 400;

impl Board {
    /// Marks a running, ready or blocked task done. Closes its run as
    /// completed — or, if it was never claimed and there is a handoff, records
    /// a zero-duration run so the handoff is kept — resets its failure count,
    /// and promotes the children it was holding back, all in one transaction.
    pub fn complete(&mut self, id: &str, c: &Completion) -> Result<Task> {
        let result = validate::optional_text("result", c.result.as_deref())?;
        let summary = validate::optional_text("summary", c.summary.as_deref())?;
        let metadata = validate::metadata(c.metadata.as_ref())?;
        let checked = Completion {
            result,
            summary,
            metadata,
            run: c.run,
            created_cards: c
                .created_cards
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            profile: c.profile.clone(),
        };
        if !checked.created_cards.is_empty() {
            // The refusal's event must stay although the completion does not happen.
            if let Some(refused) = self.write(|tx| check_created_cards(tx, id, &checked))? {
                return Err(refused);
            }
        }
        self.write(|tx| complete_in(tx, id, &checked))
    }
}

/// The completion itself, inside the caller's transaction; `c` is validated.
pub(crate) fn complete_in(tx: &mut Tx<'_>, id: &str, c: &Completion) -> Result<Task> {
    let (result, summary, metadata) = (&c.result, &c.summary, &c.metadata);
    let task = tx.require_task(id)?;
    fence::check(&task, c.run)?;
    const FROM: [Status; 3] = [Status::Running, Status::Ready, Status::Blocked];
    if !FROM.contains(&task.status) {
        return Err(KernelError::Conflict(format!(
                    "cannot complete {id}: it is {} (only running, ready or blocked tasks can be completed)",
                    task.status
                )));
    }
    let now = tx.now();
    let ok = tx.update_task(
        id,
        TaskUpdate::new()
            .status(Status::Done)
            .result(result.as_deref())
            .completed_at(Some(now))
            .clear_claim()
            .failures(0, None)
            .when_status(&FROM)
            .when_run(task.current_run_id),
    )?;
    if !ok {
        return Err(KernelError::Conflict(format!(
            "cannot complete {id}: it changed meanwhile"
        )));
    }
    tx.release_worker(&task, c.run);
    let handoff = summary.as_deref().or(result.as_deref());
    let close = RunClose {
        summary: handoff,
        error: None,
        metadata: metadata.as_ref(),
    };
    let run_id = match task.current_run_id {
        Some(run) => {
            tx.close_run(run, Outcome::Completed, &close)?;
            Some(run)
        }
        None if summary.is_some() || result.is_some() || metadata.is_some() => {
            Some(tx.insert_closed_run(&task, Outcome::Completed, &close)?)
        }
        None => None,
    };
    let payload = CompletedPayload {
        by_operator: (c.run.is_none() && task.status == Status::Running).then_some(true),
        result_len: result.as_deref().map_or(0, str::len),
        summary: handoff.map(|s| first_line(s, EVENT_SUMMARY_CHARS)),
        verified_cards: c.created_cards.clone(),
    };
    tx.event(id, run_id, Payload::Completed(payload))?;
    // Advisory: task ids in the handoff that do not resolve.
    let text = format!(
        "{} {}",
        summary.as_deref().unwrap_or(""),
        result.as_deref().unwrap_or("")
    );
    let mut unresolved = Vec::new();
    for t in task_ids_in(&text) {
        if t != id && !tx.id_taken(&t)? {
            unresolved.push(t);
        }
    }
    if !unresolved.is_empty() {
        tx.event(
            id,
            run_id,
            Payload::SuspectedHallucinatedReferences(IdsPayload { ids: unresolved }),
        )?;
    }
    promote_children(tx, id)?;
    tx.require_task(id)
}
