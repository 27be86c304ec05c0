//! Why a ready task would wait instead of being started: one answer, given
//! to the person who creates it (REST, the dashboard), shown as a
//! diagnostic once it has waited long, and — later — on every card.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the caller knows about who would start a ready task.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// A dispatcher holds this board.
    pub dispatcher_running: bool,
    /// Configured profiles: running workers and their cap.
    pub profiles: BTreeMap<String, ProfileState>,
}

#[derive(Debug, Clone, Default)]
pub struct ProfileState {
    pub running: usize,
    pub max_concurrent: Option<usize>,
    /// In force now: nothing of it starts.
    pub paused: Option<crate::agent::Pause>,
}

/// "2026-12-03 14:05 UTC".
pub fn utc_minute(t: i64) -> String {
    let day = crate::spend::day_string(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!("{day} {:02}:{:02} UTC", s / 3600, (s % 3600) / 60)
}

/// One reason a ready task is not started. The machine names are stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WaitReason {
    /// Nobody dispatches this board.
    NoDispatcher,
    /// The assignee has no `[profiles.<name>]`: a person or an outside
    /// worker must claim it.
    NoProfile { assignee: String },
    /// The assignee's profile is paused: its provider rate-limited it
    /// (`rate_limit`, until `until`), or its login failed (`auth`, until
    /// someone resumes it).
    ProfilePaused {
        profile: String,
        cause: String,
        until: Option<i64>,
        message: String,
    },
    /// The assignee's profile already runs its `max_concurrent` workers.
    ProfileAtCap {
        profile: String,
        running: usize,
        max: usize,
    },
}

/// Every reason that applies, in the order a dispatcher meets them: first
/// there must be one, then a profile, then room under its cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Waiting {
    pub reasons: Vec<WaitReason>,
}

impl Waiting {
    /// The root cause: a missing profile outranks a missing dispatcher (one
    /// starting would not help), which outranks a full profile.
    pub fn primary(&self) -> &WaitReason {
        let rank = |r: &WaitReason| match r {
            WaitReason::NoProfile { .. } => 0,
            WaitReason::NoDispatcher => 1,
            WaitReason::ProfilePaused { .. } => 2,
            WaitReason::ProfileAtCap { .. } => 3,
        };
        self.reasons
            .iter()
            .min_by_key(|r| rank(r))
            .expect("a Waiting always has a reason")
    }

    /// What the creator of the task is told: every reason, in sentences.
    pub fn sentence(&self, board: &str, config_path: &str) -> String {
        self.reasons
            .iter()
            .map(|r| r.sentence(board, config_path))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl WaitReason {
    /// The reason as a sentence addressed to the person who made the task.
    pub fn sentence(&self, board: &str, config_path: &str) -> String {
        match self {
            WaitReason::NoDispatcher => format!(
                "No dispatcher is running for board '{board}': the task will wait in ready until one starts \
                 (baton serve without --no-dispatcher, or baton daemon)."
            ),
            WaitReason::NoProfile { assignee } => format!(
                "No [profiles.{assignee}] in {config_path}: the dispatcher will leave this task for {assignee} to claim."
            ),
            WaitReason::ProfilePaused {
                profile,
                cause,
                until,
                message,
            } => match (cause.as_str(), until) {
                ("auth", _) => format!(
                    "Profile '{profile}' is paused because its login failed (\"{message}\"): log in, then baton profiles resume {profile}."
                ),
                (_, Some(u)) => format!(
                    "Profile '{profile}' is paused until {} because its provider rate-limited it (\"{message}\"): the task starts then (baton profiles resume {profile} ends it now).",
                    utc_minute(*u)
                ),
                (_, None) => format!(
                    "Profile '{profile}' is paused because its provider rate-limited it (\"{message}\"): baton profiles resume {profile} ends it."
                ),
            },
            WaitReason::ProfileAtCap {
                profile,
                running,
                max,
            } => format!(
                "Profile '{profile}' is at its max_concurrent ({running} of {max} running): the task starts when one finishes."
            ),
        }
    }

    /// The reason as the end of a diagnostic's title ("Waiting in ready for
    /// 30m: …").
    pub fn clause(&self) -> String {
        match self {
            WaitReason::NoDispatcher => "no dispatcher is running for this board".into(),
            WaitReason::NoProfile { assignee } => {
                format!("no [profiles.{assignee}] is configured, so it waits for {assignee} to claim it")
            }
            WaitReason::ProfilePaused {
                profile,
                cause,
                until,
                ..
            } => match (cause.as_str(), until) {
                ("auth", _) => format!("profile '{profile}' is paused: its login failed"),
                (_, Some(u)) => format!(
                    "profile '{profile}' is paused until {}: rate-limited",
                    utc_minute(*u)
                ),
                (_, None) => format!("profile '{profile}' is paused: rate-limited"),
            },
            WaitReason::ProfileAtCap {
                profile, running, ..
            } => format!("profile '{profile}' is at its max_concurrent ({running} running)"),
        }
    }

    /// A command that gets the task going, where there is one (`<id>` stands
    /// for the task).
    pub fn remedy(&self) -> Option<String> {
        match self {
            WaitReason::NoDispatcher => Some("baton daemon   (or baton serve)".into()),
            WaitReason::NoProfile { assignee } => Some(format!(
                "add [profiles.{assignee}] with a command to config.toml, or: baton claim <id>"
            )),
            WaitReason::ProfilePaused { profile, .. } => {
                Some(format!("baton profiles resume {profile}"))
            }
            WaitReason::ProfileAtCap { .. } => None,
        }
    }
}

/// Why a task that is ready for `assignee` would not be started now, if it
/// would not. An unassigned task waits for a person by design: no answer.
pub fn why_waiting(assignee: &str, env: &Environment) -> Option<Waiting> {
    let mut reasons = Vec::new();
    if !env.dispatcher_running {
        reasons.push(WaitReason::NoDispatcher);
    }
    match env.profiles.get(assignee) {
        None => reasons.push(WaitReason::NoProfile {
            assignee: assignee.to_string(),
        }),
        Some(p) => {
            if let Some(pause) = &p.paused {
                reasons.push(WaitReason::ProfilePaused {
                    profile: assignee.to_string(),
                    cause: match pause.reason {
                        crate::agent::PauseReason::RateLimit => "rate_limit".into(),
                        crate::agent::PauseReason::Auth => "auth".into(),
                    },
                    until: pause.until,
                    message: pause.message.clone(),
                });
            }
            if let Some(max) = p.max_concurrent.filter(|m| p.running >= *m) {
                reasons.push(WaitReason::ProfileAtCap {
                    profile: assignee.to_string(),
                    running: p.running,
                    max,
                });
            }
        }
    }
    (!reasons.is_empty()).then_some(Waiting { reasons })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(running: bool, profile: Option<(usize, Option<usize>)>) -> Environment {
        let mut e = Environment {
            dispatcher_running: running,
            ..Default::default()
        };
        if let Some((r, m)) = profile {
            e.profiles.insert(
                "coder".into(),
                ProfileState {
                    running: r,
                    max_concurrent: m,
                    paused: None,
                },
            );
        }
        e
    }

    #[test]
    fn a_paused_profile_is_the_reason_before_its_cap() {
        let mut e = env(true, Some((2, Some(2))));
        e.profiles.get_mut("coder").unwrap().paused = Some(crate::agent::Pause {
            reason: crate::agent::PauseReason::RateLimit,
            message: "429 Too Many Requests".into(),
            since: 1_800_000_000,
            until: Some(1_800_000_300),
            from_provider: true,
            strikes: 1,
            task: None,
            board: None,
        });
        let w = why_waiting("coder", &e).unwrap();
        assert_eq!(w.reasons.len(), 2);
        let p = w.primary();
        assert!(matches!(p, WaitReason::ProfilePaused { .. }), "{p:?}");
        assert_eq!(
            p.clause(),
            "profile 'coder' is paused until 2027-01-15 08:05 UTC: rate-limited"
        );
        assert_eq!(p.remedy().as_deref(), Some("baton profiles resume coder"));
        assert!(w
            .sentence("default", "config.toml")
            .contains("429 Too Many Requests"));
    }

    #[test]
    fn every_reason_that_applies_is_given_and_the_root_cause_leads() {
        assert_eq!(why_waiting("coder", &env(true, Some((0, None)))), None);
        let both = why_waiting("coder", &env(false, None)).unwrap();
        assert_eq!(
            both.reasons,
            [
                WaitReason::NoDispatcher,
                WaitReason::NoProfile {
                    assignee: "coder".into()
                }
            ]
        );
        assert!(matches!(both.primary(), WaitReason::NoProfile { .. }));
        let text = both.sentence("default", "/h/config.toml");
        assert!(
            text.starts_with("No dispatcher is running for board 'default'"),
            "{text}"
        );
        assert!(
            text.contains("No [profiles.coder] in /h/config.toml"),
            "{text}"
        );
        let capped = why_waiting("coder", &env(true, Some((2, Some(2))))).unwrap();
        assert_eq!(
            capped.primary().clause(),
            "profile 'coder' is at its max_concurrent (2 running)"
        );
    }

    #[test]
    fn reasons_have_stable_machine_names() {
        let r = WaitReason::ProfileAtCap {
            profile: "p".into(),
            running: 1,
            max: 1,
        };
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({"reason": "profile_at_cap", "profile": "p", "running": 1, "max": 1})
        );
        assert_eq!(
            serde_json::to_value(WaitReason::NoDispatcher).unwrap(),
            serde_json::json!({"reason": "no_dispatcher"})
        );
    }
}
