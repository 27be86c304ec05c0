//! An event in words, for people: the dashboard's activity list reads these
//! instead of the payload's JSON (which stays the wire contract).

use super::{Payload, StatusPayload};

/// Longest piece of free text (an error, a summary) quoted in a sentence.
const QUOTE: usize = 160;

/// `text` cut to [`QUOTE`] characters at a character boundary, with "…".
fn quote(text: &str) -> String {
    let line = text.trim();
    match line.char_indices().nth(QUOTE) {
        Some((at, _)) => format!("{}…", line[..at].trim_end()),
        None => line.to_string(),
    }
}

/// "a", "a and b", "a, b and c".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{} and {last}", head.join(", ")),
    }
}

fn failures(n: i64) -> String {
    match n {
        1 => "1st failure in a row".into(),
        2 => "2nd failure in a row".into(),
        3 => "3rd failure in a row".into(),
        n => format!("{n}th failure in a row"),
    }
}

fn status_move(p: &StatusPayload) -> String {
    let to = p.status.label();
    match (p.reason.as_deref(), p.parent.as_deref()) {
        (Some("parent_reopened"), Some(parent)) => {
            format!("Moved back to {to}: its parent {parent} was reopened")
        }
        (Some(reason), _) => format!("Moved to {to} ({})", reason.replace('_', " ")),
        _ if p.forced == Some(true) => {
            format!("Moved to {to} by hand although its parents are not done")
        }
        _ => match p.waiting_on.as_deref() {
            Some(w) if !w.is_empty() => format!("Moved to {to}, waiting on {}", list(w)),
            _ => format!("Moved to {to}"),
        },
    }
}

impl Payload {
    /// One line saying what happened, e.g. "Assigned to coder" or
    /// "Crashed: exit code 2 (1st failure in a row)".
    pub fn sentence(&self) -> String {
        match self {
            Payload::Created(p) => {
                let mut s = format!("Created in {}", p.status.label());
                if let Some(a) = &p.assignee {
                    s.push_str(&format!(", assigned to {a}"));
                }
                if !p.parents.is_empty() {
                    s.push_str(&format!(", after {}", list(&p.parents)));
                }
                s
            }
            Payload::Promoted => "Became ready: everything it waited on is done".into(),
            Payload::Claimed(_) => "Claimed by the dispatcher".into(),
            Payload::ClaimRejected(p) if p.reason == "parents_not_done" => {
                "Not claimed: its parents are not done".into()
            }
            Payload::ClaimRejected(p) => format!("Not claimed: {}", quote(&p.reason)),
            Payload::ClaimExtended(p) => match p.worker_pid {
                Some(pid) => format!("Claim renewed: its worker (pid {pid}) is still alive"),
                None => "Claim renewed: its worker is still alive".into(),
            },
            Payload::Spawned(p) => format!("Worker started (pid {})", p.pid),
            Payload::Heartbeat(None) => "Heartbeat".into(),
            Payload::Heartbeat(Some(n)) => format!("Heartbeat: {}", quote(&n.note)),
            Payload::Completed(p) => {
                let who = if p.by_operator == Some(true) {
                    "Completed by a person"
                } else {
                    "Completed"
                };
                let mut s = match p.summary.as_deref().filter(|s| !s.trim().is_empty()) {
                    Some(summary) => format!("{who}: {}", quote(summary)),
                    None => who.to_string(),
                };
                if !p.verified_cards.is_empty() {
                    s.push_str(&format!(" (created {})", list(&p.verified_cards)));
                }
                s
            }
            Payload::Blocked(p) => {
                let who = if p.by_operator == Some(true) {
                    "Blocked by a person"
                } else {
                    "Blocked"
                };
                match p.reason.as_deref().filter(|r| !r.trim().is_empty()) {
                    Some(r) => format!("{who}: {}", quote(r)),
                    None => who.to_string(),
                }
            }
            Payload::Unblocked(None) => "Unblocked".into(),
            Payload::Unblocked(Some(p)) => match p.waiting_on.as_deref() {
                Some(w) if !w.is_empty() => {
                    format!(
                        "Unblocked into {}, waiting on {}",
                        p.status.label(),
                        list(w)
                    )
                }
                _ => format!("Unblocked into {}", p.status.label()),
            },
            Payload::Archived => "Archived".into(),
            Payload::Assigned(p) => match &p.assignee {
                Some(a) => format!("Assigned to {a}"),
                None => "Unassigned".into(),
            },
            Payload::Edited(p) => match p.fields.as_slice() {
                [] => "Edited".into(),
                fields => format!("Edited its {}", list(fields)),
            },
            Payload::Reprioritized(p) => format!("Priority set to {}", p.priority),
            Payload::Status(p) => status_move(p),
            Payload::Linked(p) => format!("{} now waits for {}", p.child, p.parent),
            Payload::Unlinked(p) => format!("{} no longer waits for {}", p.child, p.parent),
            Payload::Commented(p) => format!("{} commented", p.author),
            Payload::StaleReclaim(_) => {
                "Taken back: its worker stopped reporting and the claim ran out".into()
            }
            Payload::ManualReclaim(p) => match p.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Taken back by a person: {}", quote(r)),
                None => "Taken back by a person".into(),
            },
            Payload::Crashed(p) => {
                format!("Crashed: {} ({})", quote(&p.error), failures(p.failures))
            }
            Payload::TimedOut(p) => {
                format!("Timed out: {} ({})", quote(&p.error), failures(p.failures))
            }
            Payload::SpawnFailed(p) => format!(
                "The worker could not start: {} ({})",
                quote(&p.error),
                failures(p.failures)
            ),
            Payload::GaveUp(p) => format!(
                "Gave up after {} failures in a row (the {}'s limit is {}): {}",
                p.failures,
                if p.limit_source == "task" {
                    "task"
                } else {
                    "dispatcher"
                },
                p.effective_limit,
                quote(&p.error)
            ),
            Payload::CompletionBlockedHallucination(p) => {
                let mut why = Vec::new();
                if !p.missing.is_empty() {
                    why.push(format!("{} does not exist", list(&p.missing)));
                }
                if !p.not_created_by_worker.is_empty() {
                    why.push(format!(
                        "{} was not created by this worker",
                        list(&p.not_created_by_worker)
                    ));
                }
                if why.is_empty() && !p.phantom_ids.is_empty() {
                    why.push(format!("{} could not be checked", list(&p.phantom_ids)));
                }
                format!("Completion refused: {}", why.join("; "))
            }
            Payload::SuspectedHallucinatedReferences(p) => format!(
                "Its handoff names tasks that do not exist: {}",
                list(&p.ids)
            ),
            Payload::RateLimited(p) | Payload::AuthFailed(p) => {
                let what = if matches!(self, Payload::RateLimited(_)) {
                    "Rate-limited"
                } else {
                    "Could not authenticate"
                };
                let then = if p.capped {
                    format!("blocked after {} in a row", p.requeues)
                } else {
                    "back to ready, not counted as a failure".to_string()
                };
                format!("{what} ({then}): {}", quote(&p.error))
            }
            Payload::UsageRecorded(p) => {
                let mut s = format!("Used {} tokens", crate::spend::format_tokens(p.tokens));
                if let Some(usd) = p.cost_usd {
                    s.push_str(&format!(" ({})", crate::spend::format_usd(usd)));
                }
                if let Some(m) = &p.model {
                    s.push_str(&format!(" on {m}"));
                }
                s
            }
            Payload::Other(kind, value) => {
                let name = kind.as_str().replace('_', " ");
                let mut s = match name.chars().next() {
                    Some(c) => c.to_uppercase().chain(name.chars().skip(1)).collect(),
                    None => String::new(),
                };
                if let Some(v) = value {
                    s.push_str(&format!(": {}", quote(&v.to_string())));
                }
                s
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::model::Status;

    fn said(kind: &str, payload: serde_json::Value) -> String {
        let value = (!payload.is_null()).then_some(payload);
        Payload::read(&EventKind::from_name(kind), value).sentence()
    }

    #[test]
    fn every_kind_reads_as_words_not_json() {
        let cases = [
            (
                "assigned",
                serde_json::json!({"assignee": "coder"}),
                "Assigned to coder",
            ),
            (
                "assigned",
                serde_json::json!({"assignee": null}),
                "Unassigned",
            ),
            (
                "commented",
                serde_json::json!({"author": "user", "len": 56}),
                "user commented",
            ),
            (
                "edited",
                serde_json::json!({"fields": ["title", "body"]}),
                "Edited its title and body",
            ),
            (
                "reprioritized",
                serde_json::json!({"priority": 3}),
                "Priority set to 3",
            ),
            (
                "status",
                serde_json::json!({"status": "running"}),
                "Moved to In progress",
            ),
            (
                "status",
                serde_json::json!({"status": "todo", "reason": "parent_reopened", "parent": "t_a"}),
                "Moved back to Todo: its parent t_a was reopened",
            ),
            (
                "spawned",
                serde_json::json!({"pid": 42}),
                "Worker started (pid 42)",
            ),
            (
                "promoted",
                serde_json::Value::Null,
                "Became ready: everything it waited on is done",
            ),
            (
                "crashed",
                serde_json::json!({"error": "exit code 2", "failures": 2, "pid": 9}),
                "Crashed: exit code 2 (2nd failure in a row)",
            ),
            (
                "claim_rejected",
                serde_json::json!({"reason": "parents_not_done"}),
                "Not claimed: its parents are not done",
            ),
            (
                "linked",
                serde_json::json!({"parent": "t_a", "child": "t_b"}),
                "t_b now waits for t_a",
            ),
            (
                "brand_new_kind",
                serde_json::json!({"x": 1}),
                "Brand new kind: {\"x\":1}",
            ),
        ];
        for (kind, payload, want) in cases {
            assert_eq!(said(kind, payload.clone()), want, "{kind} {payload}");
        }
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        let reason = "é".repeat(400);
        let s = Payload::Blocked(BlockedPayload {
            by_operator: Some(true),
            reason: Some(reason),
        })
        .sentence();
        assert!(s.starts_with("Blocked by a person: éé"));
        assert!(s.ends_with('…'));
        assert_eq!(s.chars().count(), "Blocked by a person: ".len() + 160 + 1);
        let created = Payload::Created(CreatedPayload {
            assignee: Some("coder".into()),
            parents: vec!["t_a".into(), "t_b".into(), "t_c".into()],
            priority: 0,
            skills: None,
            status: Status::Todo,
            tenant: None,
            workspace_kind: Default::default(),
            workspace_path: None,
        });
        assert_eq!(
            created.sentence(),
            "Created in Todo, assigned to coder, after t_a, t_b and t_c"
        );
    }
}
