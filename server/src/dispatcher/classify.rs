//! Why a run failed, as policy needs to know it: the provider's rate limit
//! or quota (the task waits, its profile pauses, no failure is counted), a
//! login that does not work (the profile pauses until someone logs in), a
//! network hiccup, or a failure of the work itself. Read from what the
//! agent said (its transcript's errors, its log's tail) and its exit code.

/// A failed run's class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// HTTP 429, "usage limit", "quota", exit code 75 (EX_TEMPFAIL, as the
    /// reference's workers use); with the reset time when the text gives one.
    RateLimit { reset_at: Option<i64> },
    /// Not logged in, a bad or missing key.
    Auth,
    /// The network or an overloaded provider.
    Transient,
    /// Anything else: the work itself failed.
    Deterministic,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::RateLimit { .. } => "rate_limit",
            Class::Auth => "auth",
            Class::Transient => "transient",
            Class::Deterministic => "deterministic",
        }
    }
}

/// The exit code of a worker that was rate-limited (sysexits' EX_TEMPFAIL).
pub const EXIT_TEMPFAIL: i32 = 75;

/// Whether `needle` (digits) stands in `text` as a number of its own.
fn has_code(text: &str, needle: &str) -> bool {
    let b = text.as_bytes();
    text.match_indices(needle).any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| b[j]);
        let after = b.get(i + needle.len()).copied();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

const RATE: &[&str] = &[
    "rate limit",
    "rate_limit",
    "ratelimit",
    "rate-limit",
    "too many requests",
    "usage limit",
    "quota",
    "resource_exhausted",
    "resource exhausted",
];

const AUTH: &[&str] = &[
    "unauthorized",
    "unauthenticated",
    "authentication_error",
    "authentication failed",
    "authentication required",
    "invalid api key",
    "invalid x-api-key",
    "invalid_api_key",
    "api key not valid",
    "incorrect api key",
    "not logged in",
    "please run /login",
    "login required",
    "missing api key",
    "no api key",
];

const TRANSIENT: &[&str] = &[
    "econnreset",
    "econnrefused",
    "etimedout",
    "enotfound",
    "eai_again",
    "socket hang up",
    "connection reset",
    "connection refused",
    "network error",
    "overloaded",
    "service unavailable",
    "bad gateway",
    "gateway timeout",
];

/// Classifies a failed run from what it said and how it exited.
pub fn classify(text: &str, exit: Option<i32>, now: i64) -> Class {
    let t = text.to_ascii_lowercase();
    if exit == Some(EXIT_TEMPFAIL) || has_code(&t, "429") || RATE.iter().any(|m| t.contains(m)) {
        return Class::RateLimit {
            reset_at: reset_time(&t, now),
        };
    }
    if has_code(&t, "401") || AUTH.iter().any(|m| t.contains(m)) {
        return Class::Auth;
    }
    if ["502", "503", "504", "529"].iter().any(|c| has_code(&t, c))
        || TRANSIENT.iter().any(|m| t.contains(m))
    {
        return Class::Transient;
    }
    Class::Deterministic
}

/// Seconds in `n` of `unit` ("s", "sec", "seconds", "m", "min", "h", …).
fn seconds(n: f64, unit: &str) -> Option<i64> {
    let unit = unit.trim_start();
    let scale = if unit.starts_with("ms") || unit.starts_with("millisecond") {
        0.001
    } else if unit.starts_with('s') {
        1.0
    } else if unit.starts_with('m') {
        60.0
    } else if unit.starts_with('h') {
        3600.0
    } else if unit.starts_with('d') {
        86_400.0
    } else {
        // A bare number after "retry-after" is seconds (the HTTP header).
        1.0
    };
    let s = (n * scale).ceil();
    (0.0..366.0 * 86_400.0).contains(&s).then_some(s as i64)
}

/// The number at the start of `rest` (after blanks, quotes, colons) and
/// what follows it.
fn number(rest: &str) -> Option<(f64, &str)> {
    let rest =
        rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '"' | '=' | '\''));
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let n: f64 = rest[..end].parse().ok()?;
    Some((n, &rest[end..]))
}

/// When the limit resets, from phrases the providers and CLIs use: "retry
/// after 30s", "retry-after: 30", "try again in 5 minutes", "resets in
/// 2h", "retryDelay": "16s", "resets_at": 1796300000, "resets at
/// 2026-12-03T15:00:00Z".
pub fn reset_time(text: &str, now: i64) -> Option<i64> {
    let t = text.to_ascii_lowercase();
    // Absolute: an RFC 3339 time or unix seconds after "reset(s) at".
    for key in [
        "resets at",
        "reset at",
        "resets_at",
        "reset_at",
        "resetsat",
        "resettime",
    ] {
        for (i, _) in t.match_indices(key) {
            let rest = t[i + key.len()..].trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, ':' | '"' | '=' | '\'')
            });
            let word: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | ',' | '}' | ')' | '\''))
                .collect();
            let word = word.trim_end_matches('.');
            if let Ok(at) = chrono::DateTime::parse_from_rfc3339(&word.to_ascii_uppercase()) {
                return Some(at.timestamp());
            }
            if let Ok(unix) = word.parse::<i64>() {
                if unix > 1_000_000_000 {
                    return Some(unix);
                }
            }
        }
    }
    // Relative: a number of seconds (or other units) after one of these.
    for key in [
        "retry after",
        "retry-after",
        "retry_after",
        "retryafter",
        "retrydelay",
        "retry_delay",
        "try again in",
        "resets in",
        "reset in",
        "reset after",
        "retry in",
    ] {
        for (i, _) in t.match_indices(key) {
            if let Some((n, unit)) = number(&t[i + key.len()..]) {
                if let Some(s) = seconds(n, unit) {
                    return Some(now + s);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn rate_limits_are_told_from_logins_networks_and_the_work() {
        let rate = |t: &str| matches!(classify(t, Some(1), NOW), Class::RateLimit { .. });
        assert!(rate(
            "API Error: 429 {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\"}}"
        ));
        assert!(rate("You've hit your usage limit. Upgrade to Pro"));
        assert!(rate("RESOURCE_EXHAUSTED: Quota exceeded for quota metric"));
        assert!(matches!(
            classify("anything", Some(75), NOW),
            Class::RateLimit { .. }
        ));
        assert!(
            !rate("worker pid 14290 exited with code 1"),
            "429 inside a number is not a status"
        );
        assert_eq!(
            classify("API Error: 401 invalid x-api-key", Some(1), NOW),
            Class::Auth
        );
        assert_eq!(
            classify("Not logged in · Please run /login", Some(1), NOW),
            Class::Auth
        );
        assert_eq!(
            classify("fetch failed: ECONNRESET", Some(1), NOW),
            Class::Transient
        );
        assert_eq!(
            classify("API Error: 529 Overloaded", Some(1), NOW),
            Class::Transient
        );
        assert_eq!(
            classify("tests failed: 3 of 12", Some(1), NOW),
            Class::Deterministic
        );
    }

    #[test]
    fn reset_times_are_read_in_the_forms_agents_print() {
        assert_eq!(
            reset_time("Rate limited. Retry after 30s", NOW),
            Some(NOW + 30)
        );
        assert_eq!(reset_time("retry-after: 120", NOW), Some(NOW + 120));
        assert_eq!(
            reset_time("please try again in 5 minutes", NOW),
            Some(NOW + 300)
        );
        assert_eq!(reset_time("limit resets in 2h", NOW), Some(NOW + 7200));
        assert_eq!(reset_time("\"retryDelay\": \"16s\"", NOW), Some(NOW + 16));
        assert_eq!(reset_time("try again in 1.5s", NOW), Some(NOW + 2));
        assert_eq!(
            reset_time("{\"resets_at\": 1800003600}", NOW),
            Some(1_800_003_600)
        );
        let at = chrono::DateTime::parse_from_rfc3339("2027-01-15T08:00:00Z")
            .unwrap()
            .timestamp();
        assert_eq!(
            reset_time("Your limit resets at 2027-01-15T08:00:00Z.", NOW),
            Some(at)
        );
        assert_eq!(reset_time("429 Too Many Requests", NOW), None);
    }
}
