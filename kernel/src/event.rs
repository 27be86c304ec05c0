//! The event log's vocabulary: what kinds of events there are and what each
//! one carries. Writers build a [`Payload`]; its variant decides the event's
//! kind, so a kind and its payload can never disagree. On the wire an event
//! is `{id, task_id, run_id, kind, payload, created_at}` with `kind` a
//! snake_case name and `payload` a JSON object (keys in sorted order), or
//! null.

use crate::model::{Outcome, Status, WorkspaceKind};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;

mod words;

/// Every kind of event the kernel and its surfaces append, plus kinds this
/// build does not know (an imported board, a newer Baton), kept by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventKind {
    Created,
    Promoted,
    Claimed,
    ClaimRejected,
    ClaimExtended,
    Spawned,
    Heartbeat,
    Completed,
    Blocked,
    Unblocked,
    Archived,
    Assigned,
    Edited,
    Reprioritized,
    Status,
    Linked,
    Unlinked,
    Commented,
    Reclaimed,
    Crashed,
    TimedOut,
    SpawnFailed,
    GaveUp,
    CompletionBlockedHallucination,
    SuspectedHallucinatedReferences,
    UsageRecorded,
    RateLimited,
    AuthFailed,
    /// A kind written by something else, by its name.
    Other(String),
}

macro_rules! event_kinds {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        impl EventKind {
            /// The kinds Baton writes.
            pub const KNOWN: [EventKind; [$($name),+].len()] = [$(EventKind::$variant),+];

            pub fn as_str(&self) -> &str {
                match self {
                    $(EventKind::$variant => $name,)+
                    EventKind::Other(name) => name,
                }
            }

            /// The kind called `name`; an unknown name is kept as [`EventKind::Other`].
            pub fn from_name(name: &str) -> EventKind {
                match name {
                    $($name => EventKind::$variant,)+
                    other => EventKind::Other(other.to_string()),
                }
            }
        }
    };
}

event_kinds! {
    Created => "created",
    Promoted => "promoted",
    Claimed => "claimed",
    ClaimRejected => "claim_rejected",
    ClaimExtended => "claim_extended",
    Spawned => "spawned",
    Heartbeat => "heartbeat",
    Completed => "completed",
    Blocked => "blocked",
    Unblocked => "unblocked",
    Archived => "archived",
    Assigned => "assigned",
    Edited => "edited",
    Reprioritized => "reprioritized",
    Status => "status",
    Linked => "linked",
    Unlinked => "unlinked",
    Commented => "commented",
    Reclaimed => "reclaimed",
    Crashed => "crashed",
    TimedOut => "timed_out",
    SpawnFailed => "spawn_failed",
    GaveUp => "gave_up",
    CompletionBlockedHallucination => "completion_blocked_hallucination",
    SuspectedHallucinatedReferences => "suspected_hallucinated_references",
    UsageRecorded => "usage_recorded",
    RateLimited => "rate_limited",
    AuthFailed => "auth_failed",
}

impl EventKind {
    /// Kinds that end an attempt badly or need a person: what notifications
    /// report.
    pub fn is_terminal_report(&self) -> bool {
        matches!(
            self,
            EventKind::Completed
                | EventKind::Blocked
                | EventKind::GaveUp
                | EventKind::Crashed
                | EventKind::TimedOut
        )
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for EventKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for EventKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Ok(EventKind::from_name(&name))
    }
}

/// `created`: the task's starting facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedPayload {
    pub assignee: Option<String>,
    pub parents: Vec<String>,
    pub priority: i64,
    pub skills: Option<Vec<String>>,
    pub status: Status,
    pub tenant: Option<String>,
    pub workspace_kind: WorkspaceKind,
    pub workspace_path: Option<String>,
}

/// `claimed`: who holds the task, until when, in which run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimedPayload {
    pub expires: i64,
    pub lock: String,
    pub run_id: i64,
}

/// `claim_rejected`: why a claim was refused (`parents_not_done`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasonPayload {
    pub reason: String,
}

/// `claim_extended`: a lapsed claim whose worker is alive was renewed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimExtendedPayload {
    pub claim_expires_now: i64,
    pub claim_expires_was: Option<i64>,
    pub claim_lock: Option<String>,
    pub reason: String,
    pub worker_pid: Option<i64>,
}

/// `spawned`: the worker process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpawnedPayload {
    pub pid: i64,
}

/// `heartbeat` with a note (a heartbeat without one has no payload).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotePayload {
    pub note: String,
}

/// `completed`: the handoff's first line and what was checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompletedPayload {
    /// Completed by a person while a worker held the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_operator: Option<bool>,
    pub result_len: usize,
    pub summary: Option<String>,
    /// Cards the worker said it created, all verified.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verified_cards: Vec<String>,
}

/// `blocked`: why, and whether a person did it while a worker held the task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockedPayload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_operator: Option<bool>,
    pub reason: Option<String>,
}

/// `unblocked` into todo (parents unfinished), or `status`: a hand move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusPayload {
    pub status: Status,
    /// Moved to ready by a person although parents are unfinished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forced: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_on: Option<Vec<String>>,
    /// Why it moved when no person moved it (`parent_reopened`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

impl StatusPayload {
    pub fn to(status: Status) -> StatusPayload {
        StatusPayload {
            status,
            forced: None,
            waiting_on: None,
            reason: None,
            parent: None,
        }
    }
}

/// `assigned`: the new assignee, or null.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignedPayload {
    pub assignee: Option<String>,
}

/// `edited`: which fields changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditedPayload {
    pub fields: Vec<String>,
}

/// `reprioritized`: the new priority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorityPayload {
    pub priority: i64,
}

/// `linked` / `unlinked`: the dependency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkPayload {
    pub child: String,
    pub parent: String,
}

impl LinkPayload {
    pub fn new(parent: &str, child: &str) -> LinkPayload {
        LinkPayload {
            child: child.to_string(),
            parent: parent.to_string(),
        }
    }
}

/// `commented`: by whom, how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentedPayload {
    pub author: String,
    pub len: usize,
}

/// `reclaimed` by the dispatcher: the claim lapsed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaleReclaimPayload {
    pub claim_expires: Option<i64>,
    pub last_heartbeat_at: Option<i64>,
    pub now: i64,
    pub stale_lock: Option<String>,
    pub worker_pid: Option<i64>,
}

/// `reclaimed` by a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualReclaimPayload {
    pub manual: bool,
    pub prev_lock: Option<String>,
    pub prev_pid: Option<i64>,
    pub reason: Option<String>,
}

/// `crashed`, `timed_out`, `spawn_failed`: the error, the count so far, and
/// the facts the dispatcher gave (pid, exit code, elapsed time, profile).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailurePayload {
    pub error: String,
    pub failures: i64,
    #[serde(flatten)]
    pub details: Map<String, Value>,
}

/// `gave_up`: the circuit breaker blocked the task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaveUpPayload {
    pub effective_limit: i64,
    pub error: String,
    pub failures: i64,
    /// `task` (its max_retries) or `dispatcher`.
    pub limit_source: String,
    pub trigger_outcome: Outcome,
}

/// `completion_blocked_hallucination`: cards a completion named that are
/// missing or not the worker's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HallucinationPayload {
    pub expected_creator: Option<String>,
    pub missing: Vec<String>,
    pub not_created_by_worker: Vec<String>,
    pub phantom_ids: Vec<String>,
}

/// `suspected_hallucinated_references`: task ids in a handoff that do not resolve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdsPayload {
    pub ids: Vec<String>,
}

/// `usage_recorded`: what a run used (the run is the event's run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsagePayload {
    /// Every token, cache included.
    pub tokens: u64,
    pub cost_usd: Option<f64>,
    pub model: Option<String>,
    pub source: crate::spend::UsageSource,
}

/// `rate_limited` / `auth_failed`: a run the agent's provider turned away;
/// the task went back to ready without counting as a failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldBackPayload {
    pub error: String,
    /// When the provider said the limit resets (unix seconds), if it said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_at: Option<i64>,
    /// Such runs in a row on this task, this one included.
    pub requeues: i64,
    /// The cap was reached: the task was blocked instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub capped: bool,
}

/// What an event carries. Each variant belongs to one kind (a few kinds
/// carry nothing; `Reclaimed` has a dispatcher and a manual form).
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Created(CreatedPayload),
    Promoted,
    Claimed(ClaimedPayload),
    ClaimRejected(ReasonPayload),
    ClaimExtended(ClaimExtendedPayload),
    Spawned(SpawnedPayload),
    /// A heartbeat, with its note if it had one.
    Heartbeat(Option<NotePayload>),
    Completed(CompletedPayload),
    Blocked(BlockedPayload),
    /// Unblocked; with a status payload when it went to todo.
    Unblocked(Option<StatusPayload>),
    Archived,
    Assigned(AssignedPayload),
    Edited(EditedPayload),
    Reprioritized(PriorityPayload),
    Status(StatusPayload),
    Linked(LinkPayload),
    Unlinked(LinkPayload),
    Commented(CommentedPayload),
    StaleReclaim(StaleReclaimPayload),
    ManualReclaim(ManualReclaimPayload),
    Crashed(FailurePayload),
    TimedOut(FailurePayload),
    SpawnFailed(FailurePayload),
    GaveUp(GaveUpPayload),
    CompletionBlockedHallucination(HallucinationPayload),
    SuspectedHallucinatedReferences(IdsPayload),
    UsageRecorded(UsagePayload),
    RateLimited(HeldBackPayload),
    AuthFailed(HeldBackPayload),
    /// A kind this build does not write, or a payload of a shape it does not
    /// know (an imported board): kept as it was.
    Other(EventKind, Option<Value>),
}

fn to_object<T: Serialize>(v: &T) -> Option<Value> {
    // Through a Value: its object keys are sorted, as they always were.
    serde_json::to_value(v).ok()
}

impl Payload {
    /// The kind of event this payload belongs to.
    pub fn kind(&self) -> EventKind {
        match self {
            Payload::Created(_) => EventKind::Created,
            Payload::Promoted => EventKind::Promoted,
            Payload::Claimed(_) => EventKind::Claimed,
            Payload::ClaimRejected(_) => EventKind::ClaimRejected,
            Payload::ClaimExtended(_) => EventKind::ClaimExtended,
            Payload::Spawned(_) => EventKind::Spawned,
            Payload::Heartbeat(_) => EventKind::Heartbeat,
            Payload::Completed(_) => EventKind::Completed,
            Payload::Blocked(_) => EventKind::Blocked,
            Payload::Unblocked(_) => EventKind::Unblocked,
            Payload::Archived => EventKind::Archived,
            Payload::Assigned(_) => EventKind::Assigned,
            Payload::Edited(_) => EventKind::Edited,
            Payload::Reprioritized(_) => EventKind::Reprioritized,
            Payload::Status(_) => EventKind::Status,
            Payload::Linked(_) => EventKind::Linked,
            Payload::Unlinked(_) => EventKind::Unlinked,
            Payload::Commented(_) => EventKind::Commented,
            Payload::StaleReclaim(_) | Payload::ManualReclaim(_) => EventKind::Reclaimed,
            Payload::Crashed(_) => EventKind::Crashed,
            Payload::TimedOut(_) => EventKind::TimedOut,
            Payload::SpawnFailed(_) => EventKind::SpawnFailed,
            Payload::GaveUp(_) => EventKind::GaveUp,
            Payload::CompletionBlockedHallucination(_) => EventKind::CompletionBlockedHallucination,
            Payload::SuspectedHallucinatedReferences(_) => {
                EventKind::SuspectedHallucinatedReferences
            }
            Payload::UsageRecorded(_) => EventKind::UsageRecorded,
            Payload::RateLimited(_) => EventKind::RateLimited,
            Payload::AuthFailed(_) => EventKind::AuthFailed,
            Payload::Other(kind, _) => kind.clone(),
        }
    }

    /// The JSON stored and sent for this payload; `None` for kinds that carry
    /// nothing (stored as NULL, sent as null).
    pub fn to_value(&self) -> Option<Value> {
        let v = match self {
            Payload::Promoted | Payload::Archived => None,
            Payload::Created(p) => to_object(p),
            Payload::Claimed(p) => to_object(p),
            Payload::ClaimRejected(p) => to_object(p),
            Payload::ClaimExtended(p) => to_object(p),
            Payload::Spawned(p) => to_object(p),
            Payload::Heartbeat(p) => p.as_ref().and_then(to_object),
            Payload::Completed(p) => to_object(p),
            Payload::Blocked(p) => to_object(p),
            Payload::Unblocked(p) => p.as_ref().and_then(to_object),
            Payload::Assigned(p) => to_object(p),
            Payload::Edited(p) => to_object(p),
            Payload::Reprioritized(p) => to_object(p),
            Payload::Status(p) => to_object(p),
            Payload::Linked(p) | Payload::Unlinked(p) => to_object(p),
            Payload::Commented(p) => to_object(p),
            Payload::StaleReclaim(p) => to_object(p),
            Payload::ManualReclaim(p) => to_object(p),
            Payload::Crashed(p) | Payload::TimedOut(p) | Payload::SpawnFailed(p) => to_object(p),
            Payload::GaveUp(p) => to_object(p),
            Payload::CompletionBlockedHallucination(p) => to_object(p),
            Payload::SuspectedHallucinatedReferences(p) => to_object(p),
            Payload::UsageRecorded(p) => to_object(p),
            Payload::RateLimited(p) | Payload::AuthFailed(p) => to_object(p),
            Payload::Other(_, v) => v.clone(),
        };
        // An empty object is stored as nothing, as it always was.
        v.filter(|p| !p.is_null() && p.as_object().is_none_or(|o| !o.is_empty()))
    }

    /// Reads the payload of an event of `kind`. A payload whose shape does not
    /// fit the kind is kept as [`Payload::Other`], never dropped.
    pub fn read(kind: &EventKind, value: Option<Value>) -> Payload {
        fn typed<T: serde::de::DeserializeOwned>(
            value: &Option<Value>,
            wrap: impl FnOnce(T) -> Payload,
        ) -> Option<Payload> {
            serde_json::from_value::<T>(value.clone()?).ok().map(wrap)
        }
        let parsed = match kind {
            EventKind::Promoted if value.is_none() => Some(Payload::Promoted),
            EventKind::Archived if value.is_none() => Some(Payload::Archived),
            EventKind::Heartbeat if value.is_none() => Some(Payload::Heartbeat(None)),
            EventKind::Unblocked if value.is_none() => Some(Payload::Unblocked(None)),
            EventKind::Created => typed(&value, Payload::Created),
            EventKind::Claimed => typed(&value, Payload::Claimed),
            EventKind::ClaimRejected => typed(&value, Payload::ClaimRejected),
            EventKind::ClaimExtended => typed(&value, Payload::ClaimExtended),
            EventKind::Spawned => typed(&value, Payload::Spawned),
            EventKind::Heartbeat => typed(&value, |p| Payload::Heartbeat(Some(p))),
            EventKind::Completed => typed(&value, Payload::Completed),
            EventKind::Blocked => typed(&value, Payload::Blocked),
            EventKind::Unblocked => typed(&value, |p| Payload::Unblocked(Some(p))),
            EventKind::Assigned => typed(&value, Payload::Assigned),
            EventKind::Edited => typed(&value, Payload::Edited),
            EventKind::Reprioritized => typed(&value, Payload::Reprioritized),
            EventKind::Status => typed(&value, Payload::Status),
            EventKind::Linked => typed(&value, Payload::Linked),
            EventKind::Unlinked => typed(&value, Payload::Unlinked),
            EventKind::Commented => typed(&value, Payload::Commented),
            EventKind::Reclaimed if value.as_ref().is_some_and(|v| v.get("manual").is_some()) => {
                typed(&value, Payload::ManualReclaim)
            }
            EventKind::Reclaimed => typed(&value, Payload::StaleReclaim),
            EventKind::Crashed => typed(&value, Payload::Crashed),
            EventKind::TimedOut => typed(&value, Payload::TimedOut),
            EventKind::SpawnFailed => typed(&value, Payload::SpawnFailed),
            EventKind::GaveUp => typed(&value, Payload::GaveUp),
            EventKind::CompletionBlockedHallucination => {
                typed(&value, Payload::CompletionBlockedHallucination)
            }
            EventKind::SuspectedHallucinatedReferences => {
                typed(&value, Payload::SuspectedHallucinatedReferences)
            }
            EventKind::UsageRecorded => typed(&value, Payload::UsageRecorded),
            EventKind::RateLimited => typed(&value, Payload::RateLimited),
            EventKind::AuthFailed => typed(&value, Payload::AuthFailed),
            _ => None,
        };
        // Only a payload that reads back to the same JSON is taken as typed:
        // anything extra (a field a newer build added) is kept as it came.
        match parsed {
            Some(p) if p.to_value() == value => p,
            _ => Payload::Other(kind.clone(), value),
        }
    }

    /// The handoff summary, the block reason, the failure's error or the
    /// heartbeat's note: the text a person reads about this event, when it
    /// has one (also in a payload of a shape this build does not know).
    pub fn headline(&self) -> Option<String> {
        let key = match self.kind() {
            EventKind::Completed => "summary",
            EventKind::Blocked => "reason",
            EventKind::Heartbeat => "note",
            EventKind::Crashed
            | EventKind::RateLimited
            | EventKind::AuthFailed
            | EventKind::TimedOut
            | EventKind::SpawnFailed
            | EventKind::GaveUp => "error",
            _ => return None,
        };
        self.to_value()?.get(key)?.as_str().map(str::to_string)
    }

    /// Task ids the payload lists under `phantom_ids` (hallucinated cards) or
    /// `ids` (suspect references in prose).
    pub fn suspect_ids(&self) -> &[String] {
        match self {
            Payload::CompletionBlockedHallucination(p) => &p.phantom_ids,
            Payload::SuspectedHallucinatedReferences(p) => &p.ids,
            _ => &[],
        }
    }
}

/// One row of the append-only event log. `id` is the live cursor.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: i64,
    pub task_id: String,
    pub run_id: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: EventKind,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub payload: Payload,
    pub created_at: i64,
}

impl Event {
    /// The payload as the wire carries it.
    pub fn payload_json(&self) -> Option<Value> {
        self.payload.to_value()
    }
}

/// The wire form of an event.
#[derive(Serialize, Deserialize)]
struct WireEvent {
    id: i64,
    task_id: String,
    run_id: Option<i64>,
    kind: String,
    payload: Option<Value>,
    created_at: i64,
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WireEvent {
            id: self.id,
            task_id: self.task_id.clone(),
            run_id: self.run_id,
            kind: self.kind.as_str().to_string(),
            payload: self.payload.to_value(),
            created_at: self.created_at,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = WireEvent::deserialize(d)?;
        if w.kind.is_empty() {
            return Err(D::Error::custom("an event needs a kind"));
        }
        let kind = EventKind::from_name(&w.kind);
        Ok(Event {
            payload: Payload::read(&kind, w.payload),
            id: w.id,
            task_id: w.task_id,
            run_id: w.run_id,
            kind,
            created_at: w.created_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_known_kind_round_trips_by_name_and_unknown_ones_are_kept() {
        for k in EventKind::KNOWN {
            assert_eq!(EventKind::from_name(k.as_str()), k);
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
        }
        let other = EventKind::from_name("specified");
        assert_eq!(other, EventKind::Other("specified".into()));
        assert_eq!(other.as_str(), "specified");
    }

    #[test]
    fn payloads_serialise_with_sorted_keys_and_read_back() {
        let p = Payload::Created(CreatedPayload {
            assignee: Some("a".into()),
            parents: vec![],
            priority: 2,
            skills: None,
            status: Status::Ready,
            tenant: None,
            workspace_kind: WorkspaceKind::Scratch,
            workspace_path: None,
        });
        let text = p.to_value().unwrap().to_string();
        assert_eq!(
            text,
            r#"{"assignee":"a","parents":[],"priority":2,"skills":null,"status":"ready","tenant":null,"workspace_kind":"scratch","workspace_path":null}"#
        );
        let back = Payload::read(
            &EventKind::Created,
            Some(serde_json::from_str(&text).unwrap()),
        );
        assert_eq!(back, p);
    }

    #[test]
    fn a_failure_payload_keeps_the_dispatchers_details_beside_its_own_fields() {
        let v = json!({"error": "boom", "failures": 2, "pid": 7, "exit_code": null});
        let p = Payload::read(&EventKind::Crashed, Some(v.clone()));
        assert!(matches!(&p, Payload::Crashed(f) if f.failures == 2 && f.details["pid"] == 7));
        assert_eq!(p.to_value(), Some(v));
    }

    #[test]
    fn an_unknown_shape_or_extra_field_is_kept_as_it_came() {
        let v = json!({"reason": "x", "added_by_a_newer_build": true});
        let p = Payload::read(&EventKind::Blocked, Some(v.clone()));
        assert!(matches!(p, Payload::Other(EventKind::Blocked, _)));
        assert_eq!(p.to_value(), Some(v));
        let imported = Payload::read(&EventKind::from_name("scheduled"), Some(json!({"at": 5})));
        assert_eq!(imported.kind().as_str(), "scheduled");
    }

    #[test]
    fn the_two_reclaim_forms_read_by_their_fields() {
        let manual = json!({"manual": true, "prev_lock": null, "prev_pid": null, "reason": "r"});
        assert!(matches!(
            Payload::read(&EventKind::Reclaimed, Some(manual)),
            Payload::ManualReclaim(_)
        ));
        let stale = json!({"claim_expires": 1, "last_heartbeat_at": null, "now": 2, "stale_lock": "h:1", "worker_pid": 3});
        assert!(matches!(
            Payload::read(&EventKind::Reclaimed, Some(stale)),
            Payload::StaleReclaim(_)
        ));
    }

    #[test]
    fn an_event_reads_and_writes_the_same_json() {
        let text = r#"{"id":3,"task_id":"t_00000001","run_id":null,"kind":"commented","payload":{"author":"user","len":4},"created_at":10}"#;
        let e: Event = serde_json::from_str(text).unwrap();
        assert_eq!(e.kind, EventKind::Commented);
        assert!(matches!(e.payload, Payload::Commented(_)));
        assert_eq!(serde_json::to_string(&e).unwrap(), text);
    }
}
