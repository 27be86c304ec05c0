//! Paused profiles: a profile whose provider rate-limits it waits until the
//! reset time it gave (else with backoff that doubles per pause), and one
//! whose login fails waits until someone resumes it. Profiles are the
//! home's, so the pauses live in the home (`profile-pauses.json`, replaced
//! whole by an atomic rename) and every board's dispatcher honours them.

use crate::error::{Error, Result};
use kernel::Home;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The first backoff without a reset time; it doubles per pause in a row.
const BACKOFF_FIRST: i64 = 60;
/// The longest backoff.
const BACKOFF_MAX: i64 = 3600;
/// Pauses that ended longer ago than this do not count toward the backoff.
const STRIKE_MEMORY: i64 = 3600;

pub use kernel::agent::{Pause, PauseReason};

/// "for 4m more (the provider's reset time)" / "until someone resumes it".
pub fn describe(p: &Pause, now: i64) -> String {
    match p.until {
        None => "until someone resumes it (baton profiles resume)".into(),
        Some(u) => format!(
            "for {} more ({})",
            crate::output::short_duration(u - now),
            if p.from_provider {
                "the provider's reset time"
            } else {
                "backoff"
            }
        ),
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct File {
    #[serde(default)]
    profiles: BTreeMap<String, Pause>,
}

fn path(home: &Home) -> PathBuf {
    home.root().join("profile-pauses.json")
}

fn load(home: &Home) -> Result<File> {
    match std::fs::read_to_string(path(home)) {
        Ok(t) => serde_json::from_str(&t)
            .map_err(|e| Error::Failed(format!("{} is not readable: {e}", path(home).display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(File::default()),
        Err(e) => Err(Error::io(
            format!("cannot read {}", path(home).display()),
            e,
        )),
    }
}

fn save(home: &Home, f: &File) -> Result<()> {
    let p = path(home);
    let tmp = p.with_extension("json.tmp");
    let text = serde_json::to_string_pretty(f).expect("pauses serialise");
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, &p))
        .map_err(|e| Error::io(format!("cannot write {}", p.display()), e))
}

/// Every pause in force at `now`, by profile.
pub fn active(home: &Home, now: i64) -> Result<BTreeMap<String, Pause>> {
    Ok(load(home)?
        .profiles
        .into_iter()
        .filter(|(_, p)| p.active(now))
        .collect())
}

/// The pause of `profile` in force at `now`, if any.
pub fn of(home: &Home, profile: &str, now: i64) -> Result<Option<Pause>> {
    Ok(active(home, now)?.remove(profile))
}

/// What set a pause off.
pub struct Trigger<'a> {
    pub reason: PauseReason,
    pub message: &'a str,
    /// The provider's reset time, if it gave one.
    pub reset_at: Option<i64>,
    pub task: &'a str,
    pub board: &'a str,
}

/// Pauses `profile` from `now`: until the reset time, else for the next
/// backoff step; a login failure until resumed. A pause already in force
/// is extended, never shortened.
pub fn pause(home: &Home, profile: &str, t: &Trigger<'_>, now: i64) -> Result<Pause> {
    let mut f = load(home)?;
    let prev = f.profiles.get(profile).cloned();
    // Strikes count pauses close together; an old one is forgotten.
    let strikes = match &prev {
        Some(p)
            if p.reason == PauseReason::RateLimit
                && p.until.is_some_and(|u| now - u < STRIKE_MEMORY) =>
        {
            p.strikes + 1
        }
        _ => 1,
    };
    let (until, from_provider) = match (t.reason, t.reset_at) {
        (PauseReason::Auth, _) => (None, false),
        (_, Some(at)) if at > now => (Some(at), true),
        _ => {
            let step = BACKOFF_FIRST
                .saturating_mul(1 << (strikes - 1).min(16))
                .min(BACKOFF_MAX);
            (Some(now + step), false)
        }
    };
    // Never shorter than a pause already in force.
    let until = match (&prev, until) {
        (Some(p), _) if p.active(now) && p.until.is_none() => None,
        (Some(p), Some(u)) if p.active(now) => Some(u.max(p.until.unwrap_or(u))),
        (_, u) => u,
    };
    let p = Pause {
        reason: t.reason,
        message: kernel::ellipsize(t.message.trim(), 500),
        since: now,
        until,
        from_provider,
        strikes,
        task: Some(t.task.to_string()),
        board: Some(t.board.to_string()),
    };
    f.profiles.insert(profile.to_string(), p.clone());
    save(home, &f)?;
    Ok(p)
}

/// Ends `profile`'s pause now; the pause it ended, if one was in force.
pub fn resume(home: &Home, profile: &str, now: i64) -> Result<Option<Pause>> {
    let mut f = load(home)?;
    let Some(p) = f.profiles.remove(profile) else {
        return Ok(None);
    };
    save(home, &f)?;
    Ok(p.active(now).then_some(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home() -> (tempfile::TempDir, Home) {
        let d = tempfile::tempdir().unwrap();
        let h = Home::at(d.path().join("home")).unwrap();
        std::fs::create_dir_all(h.root()).unwrap();
        (d, h)
    }

    fn rate(reset_at: Option<i64>) -> Trigger<'static> {
        Trigger {
            reason: PauseReason::RateLimit,
            message: "429 Too Many Requests",
            reset_at,
            task: "t_0000000a",
            board: "default",
        }
    }

    #[test]
    fn a_pause_lasts_until_the_reset_time_then_ends_by_itself() {
        let (_d, h) = home();
        let now = 1_800_000_000;
        let p = pause(&h, "coder", &rate(Some(now + 90)), now).unwrap();
        assert_eq!((p.until, p.from_provider), (Some(now + 90), true));
        assert!(of(&h, "coder", now + 89).unwrap().is_some());
        assert!(
            of(&h, "coder", now + 90).unwrap().is_none(),
            "over at the reset time"
        );
        assert!(of(&h, "other", now).unwrap().is_none());
    }

    #[test]
    fn without_a_reset_time_the_backoff_doubles_and_is_capped() {
        let (_d, h) = home();
        let mut now = 1_800_000_000;
        let mut steps = Vec::new();
        for _ in 0..8 {
            let p = pause(&h, "coder", &rate(None), now).unwrap();
            steps.push(p.until.unwrap() - now);
            now = p.until.unwrap(); // the next limit comes as this pause ends
        }
        assert_eq!(steps, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
        // Long after, the count starts again.
        let p = pause(&h, "coder", &rate(None), now + 2 * STRIKE_MEMORY).unwrap();
        assert_eq!(p.strikes, 1);
    }

    #[test]
    fn a_login_failure_waits_for_a_person_and_resume_ends_it() {
        let (_d, h) = home();
        let now = 1_800_000_000;
        let t = Trigger {
            reason: PauseReason::Auth,
            message: "Not logged in",
            reset_at: None,
            task: "t_0000000a",
            board: "default",
        };
        pause(&h, "coder", &t, now).unwrap();
        assert!(of(&h, "coder", now + 10 * 86_400).unwrap().is_some());
        // A rate limit meanwhile does not shorten it.
        let p = pause(&h, "coder", &rate(Some(now + 5)), now + 1).unwrap();
        assert_eq!(p.until, None);
        assert!(resume(&h, "coder", now + 2).unwrap().is_some());
        assert!(of(&h, "coder", now + 2).unwrap().is_none());
        assert!(
            resume(&h, "coder", now + 3).unwrap().is_none(),
            "nothing to resume"
        );
    }
}
