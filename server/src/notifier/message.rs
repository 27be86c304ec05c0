//! What a notification says: one headline a person can read on a lock
//! screen, then the detail that tells them whether to act.

use kernel::{Event, EventKind, Task};

/// A rendered notification, before any channel formats it.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// "✔ @coder done — Fix the login page".
    pub headline: String,
    /// The handoff's first line, the block reason or the error; may be empty.
    pub detail: String,
    /// Task id and board, and a link to the drawer when the dashboard's
    /// address is configured.
    pub footer: String,
    pub link: Option<String>,
    /// ntfy's scale: 3 is default, 4 high, 5 urgent.
    pub priority: u8,
    /// An ntfy tag (rendered as an emoji there).
    pub tag: &'static str,
}

impl Message {
    /// Headline, detail and footer, one per line.
    pub fn text(&self) -> String {
        [&self.headline, &self.detail, &self.footer]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    }
}

const DETAIL_CHARS: usize = 200;

fn first_line(s: &str) -> String {
    let line = s
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.chars().count() <= DETAIL_CHARS {
        line.to_string()
    } else {
        let cut: String = line.chars().take(DETAIL_CHARS - 1).collect();
        format!("{cut}…")
    }
}

/// The first line of the event's summary, reason or error.
fn headline(event: &Event) -> Option<String> {
    event
        .payload
        .headline()
        .map(|h| first_line(&h))
        .filter(|s| !s.is_empty())
}

/// The message for `event`, or `None` for events that are consumed silently
/// (`archived` only ends a subscription).
pub fn compose(
    board: &str,
    task: &Task,
    event: &Event,
    dashboard: Option<&str>,
) -> Option<Message> {
    let who = task
        .assignee
        .as_deref()
        .map(|a| format!("@{a} "))
        .unwrap_or_default();
    let (mark, verb, detail, priority, tag) = match event.kind {
        EventKind::Completed => (
            "✔",
            "done",
            headline(event).or_else(|| task.result.as_deref().map(first_line)),
            3,
            "white_check_mark",
        ),
        EventKind::Blocked => ("⏸", "blocked", headline(event), 4, "pause_button"),
        EventKind::GaveUp => (
            "✖",
            "gave up",
            headline(event).map(|e| format!("{e} (retries exhausted; the task is blocked)")),
            5,
            "x",
        ),
        EventKind::Crashed => (
            "✖",
            "crashed",
            Some(
                headline(event)
                    .map(|e| format!("{e}; the dispatcher will retry"))
                    .unwrap_or_else(|| "the worker exited; the dispatcher will retry".into()),
            ),
            4,
            "boom",
        ),
        EventKind::TimedOut => (
            "⏱",
            "timed out",
            Some(match task.max_runtime_seconds {
                Some(s) => format!("ran past its max runtime of {s}s; the dispatcher will retry"),
                None => "ran past its max runtime; the dispatcher will retry".into(),
            }),
            4,
            "stopwatch",
        ),
        _ => return None,
    };
    // The dashboard finds a task's board from its id.
    let link = dashboard.map(|base| format!("{}/tasks/{}", base.trim_end_matches('/'), task.id));
    Some(Message {
        headline: format!("{mark} {who}{verb} — {}", first_line(&task.title)),
        detail: detail.unwrap_or_default(),
        footer: match &link {
            Some(l) => format!("{} on board {board}: {l}", task.id),
            None => format!("{} on board {board}", task.id),
        },
        link,
        priority,
        tag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn task() -> Task {
        serde_json::from_value(json!({
            "id": "t_1", "title": "Fix the login page\nsecond line", "assignee": "coder",
            "status": "blocked", "priority": 0, "created_at": 0, "workspace_kind": "scratch",
            "consecutive_failures": 0,
        }))
        .unwrap()
    }

    fn event(kind: &str, payload: serde_json::Value) -> Event {
        let kind = EventKind::from_name(kind);
        Event {
            id: 7,
            task_id: "t_1".into(),
            run_id: Some(3),
            payload: kernel::Payload::read(&kind, Some(payload)),
            kind,
            created_at: 0,
        }
    }

    #[test]
    fn completion_names_the_assignee_and_the_handoff() {
        let m = compose(
            "default",
            &task(),
            &event("completed", json!({"summary": "Shipped it\nmore"})),
            None,
        )
        .unwrap();
        assert_eq!(m.headline, "✔ @coder done — Fix the login page");
        assert_eq!(m.detail, "Shipped it");
        assert_eq!(
            m.text(),
            "✔ @coder done — Fix the login page\nShipped it\nt_1 on board default"
        );
    }

    #[test]
    fn blocks_and_failures_carry_their_reason_and_a_link() {
        let m = compose(
            "ops",
            &task(),
            &event("blocked", json!({"reason": "needs the API key"})),
            Some("https://baton.example/"),
        )
        .unwrap();
        assert_eq!(m.detail, "needs the API key");
        assert_eq!(m.link.as_deref(), Some("https://baton.example/tasks/t_1"));
        let g = compose(
            "ops",
            &task(),
            &event("gave_up", json!({"error": "exec failed"})),
            None,
        )
        .unwrap();
        assert!(g.headline.starts_with("✖ @coder gave up"));
        assert!(g.detail.starts_with("exec failed"));
        assert_eq!(g.priority, 5);
        assert!(compose("ops", &task(), &event("archived", json!({})), None).is_none());
    }

    #[test]
    fn long_details_are_cut_on_a_character_boundary() {
        let long = "é".repeat(500);
        let m = compose(
            "b",
            &task(),
            &event("blocked", json!({ "reason": long })),
            None,
        )
        .unwrap();
        assert_eq!(m.detail.chars().count(), DETAIL_CHARS);
        assert!(m.detail.ends_with('…'));
    }
}
