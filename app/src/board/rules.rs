//! The board's pure rules in the browser: what a search and the filters let
//! through, the order of a column, which moves need a confirmation, how
//! stale a card looks, what undo puts back. No signals here, so they are
//! tested without a browser.

use crate::api::bulk::Restore;
use kernel::{Card, Status};
use std::cmp::Ordering;

/// Cards shown per column before "show more".
pub const PAGE: usize = 100;

/// What the toolbar narrows the board to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub tenant: String,
    /// An assignee name, `(unassigned)`, or empty for everyone.
    pub assignee: String,
    /// Lower-cased search words; a card must contain every one.
    pub words: Vec<String>,
}

/// The assignee filter's value for tasks nobody is assigned to.
pub const UNASSIGNED: &str = "(unassigned)";

impl Filter {
    /// The filter for a search text and the two pickers.
    pub fn new(search: &str, tenant: &str, assignee: &str) -> Filter {
        Filter {
            tenant: tenant.to_string(),
            assignee: assignee.to_string(),
            words: search
                .to_lowercase()
                .split_whitespace()
                .map(str::to_string)
                .collect(),
        }
    }

    pub fn passes(&self, card: &Card) -> bool {
        let t = &card.task;
        if !self.tenant.is_empty() && t.tenant.as_deref() != Some(self.tenant.as_str()) {
            return false;
        }
        if !self.assignee.is_empty() {
            let wanted = (self.assignee != UNASSIGNED).then_some(self.assignee.as_str());
            if t.assignee.as_deref() != wanted {
                return false;
            }
        }
        if self.words.is_empty() {
            return true;
        }
        // Search reaches the body and the result too, not just the title.
        let hay = [
            t.id.as_str(),
            &t.title,
            t.assignee.as_deref().unwrap_or(""),
            t.tenant.as_deref().unwrap_or(""),
            t.body.as_deref().unwrap_or(""),
            t.result.as_deref().unwrap_or(""),
        ]
        .join("\n")
        .to_lowercase();
        self.words.iter().all(|w| hay.contains(w.as_str()))
    }
}

/// A column's order: highest priority first, then oldest, then by id.
pub fn board_order(a: &Card, b: &Card) -> Ordering {
    b.task
        .priority
        .cmp(&a.task.priority)
        .then(a.task.created_at.cmp(&b.task.created_at))
        .then(a.task.id.cmp(&b.task.id))
}

/// Done reads as what finished last first (its priority no longer matters);
/// every other column in [`board_order`].
pub fn column_order(status: Status) -> fn(&Card, &Card) -> Ordering {
    match status {
        Status::Done => |a, b| {
            b.task
                .completed_at
                .cmp(&a.task.completed_at)
                .then(a.task.id.cmp(&b.task.id))
        },
        _ => board_order,
    }
}

/// Moves that ask first: done, archived and blocked (blocked with a reason).
pub fn needs_confirmation(to: Status) -> bool {
    matches!(to, Status::Done | Status::Archived | Status::Blocked)
}

/// What to restore to undo a change to `card`.
pub fn snapshot(card: &Card) -> Restore {
    Restore {
        id: card.task.id.clone(),
        status: card.task.status,
        assignee: card.task.assignee.clone(),
        priority: card.task.priority,
        block_reason: None,
    }
}

/// Columns shown, in board order.
pub fn columns(include_archived: bool) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|s| include_archived || *s != Status::Archived)
        .collect()
}

pub fn column_label(s: Status) -> &'static str {
    s.label()
}

/// "just now", "5m ago", "3h ago", "2d ago"; never negative.
pub use kernel::ago as short_age;

/// The stale border of a card: amber and red thresholds per status, on the
/// time since it started (running) or was created.
pub fn staleness(card: &Card, now: i64) -> Option<&'static str> {
    let t = &card.task;
    let (age, amber, red) = match t.status {
        Status::Running => (now - t.started_at.unwrap_or(t.created_at), 600, 3600),
        Status::Ready => (now - t.created_at, 3600, 86400),
        Status::Todo => (now - t.created_at, 7 * 86400, 30 * 86400),
        Status::Blocked => (now - t.created_at, 3600, 86400),
        _ => return None,
    };
    if age >= red {
        Some("stale-red")
    } else if age >= amber {
        Some("stale-amber")
    } else {
        None
    }
}

/// The first line of a run summary that has text: what a card shows of a
/// handoff or a block reason.
pub fn first_line(summary: Option<&str>) -> Option<&str> {
    summary.and_then(|s| s.lines().map(str::trim).find(|l| !l.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernel::{LinkCounts, Task, TaskAge, WorkspaceKind};

    fn card(id: &str, status: Status, priority: i64, created_at: i64) -> Card {
        Card {
            task: Task {
                id: id.into(),
                title: format!("Title of {id}"),
                body: Some("Body mentions Parquet".into()),
                assignee: Some("coder".into()),
                status,
                priority,
                created_by: None,
                created_at,
                started_at: None,
                completed_at: None,
                workspace_kind: WorkspaceKind::Scratch,
                workspace_path: None,
                branch_name: None,
                claim_lock: None,
                claim_expires: None,
                tenant: Some("acme".into()),
                result: None,
                idempotency_key: None,
                consecutive_failures: 0,
                worker_pid: None,
                worker_started: None,
                last_failure_error: None,
                max_runtime_seconds: None,
                last_heartbeat_at: None,
                current_run_id: None,
                workflow_template_id: None,
                current_step_key: None,
                skills: None,
                max_retries: None,
                session_id: None,
            },
            age: TaskAge {
                created_age_seconds: None,
                started_age_seconds: None,
                time_to_complete_seconds: None,
            },
            link_counts: LinkCounts::default(),
            comment_count: 0,
            progress: None,
            latest_summary: None,
            spend: None,
            diagnostics: vec![],
            warnings: None,
        }
    }

    #[test]
    fn a_search_needs_every_word_anywhere_and_the_pickers_must_match() {
        let c = card("t_00000001", Status::Ready, 0, 0);
        assert!(Filter::new("", "", "").passes(&c));
        assert!(
            Filter::new("parquet TITLE", "", "").passes(&c),
            "body and title, any case"
        );
        assert!(
            !Filter::new("parquet avro", "", "").passes(&c),
            "every word"
        );
        assert!(Filter::new("", "acme", "coder").passes(&c));
        assert!(!Filter::new("", "other", "").passes(&c));
        assert!(!Filter::new("", "", UNASSIGNED).passes(&c));
        let mut nobody = c.clone();
        nobody.task.assignee = None;
        assert!(Filter::new("", "", UNASSIGNED).passes(&nobody));
    }

    #[test]
    fn columns_sort_by_priority_then_age_and_only_final_moves_ask() {
        let mut cards = [
            card("t_3", Status::Ready, 0, 30),
            card("t_1", Status::Ready, 5, 50),
            card("t_2", Status::Ready, 0, 10),
        ];
        cards.sort_by(board_order);
        let ids: Vec<&str> = cards.iter().map(|c| c.task.id.as_str()).collect();
        assert_eq!(ids, ["t_1", "t_2", "t_3"]);
        assert!(needs_confirmation(Status::Done) && needs_confirmation(Status::Blocked));
        assert!(!needs_confirmation(Status::Ready) && !needs_confirmation(Status::Triage));
        assert_eq!(columns(false).len(), 6);
        assert_eq!(columns(true).last(), Some(&Status::Archived));
    }

    #[test]
    fn done_is_ordered_by_completion_newest_first_whatever_the_ids() {
        // A chain finished Design, then Implement, then Test; ids sort otherwise.
        let mut design = card("t_00000001", Status::Done, 0, 0);
        design.task.completed_at = Some(100);
        let mut test = card("t_00000002", Status::Done, 9, 0);
        test.task.completed_at = Some(300);
        let mut implement = card("t_00000003", Status::Done, 0, 0);
        implement.task.completed_at = Some(200);
        let mut done = [design, test, implement];
        done.sort_by(column_order(Status::Done));
        let ids: Vec<&str> = done.iter().map(|c| c.task.id.as_str()).collect();
        assert_eq!(ids, ["t_00000002", "t_00000003", "t_00000001"]);
    }

    #[test]
    fn staleness_grows_with_age_and_ages_are_never_negative() {
        let c = card("t_1", Status::Ready, 0, 0);
        assert_eq!(staleness(&c, 60), None);
        assert_eq!(staleness(&c, 3600), Some("stale-amber"));
        assert_eq!(staleness(&c, 86400), Some("stale-red"));
        assert_eq!(staleness(&card("t_2", Status::Done, 0, 0), 1_000_000), None);
        assert_eq!(short_age(-5), "just now");
        assert_eq!(short_age(7200), "2h ago");
    }

    #[test]
    fn undo_restores_status_assignee_and_priority() {
        let mut c = card("t_1", Status::Blocked, 3, 0);
        c.task.assignee = None;
        let r = snapshot(&c);
        assert_eq!(
            (r.status, r.assignee, r.priority),
            (Status::Blocked, None, 3)
        );
    }
}
