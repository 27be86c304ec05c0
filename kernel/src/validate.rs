//! Normalising and checking user input before it reaches the board. Each
//! function either returns the value as it will be stored or an `Invalid`
//! error that names the field and the problem.

use crate::error::{KernelError, Result};
use serde_json::Value;

/// Upper bound for free text (body, summary, result, comment): generous for
/// real handoffs, small enough that one bad write cannot bloat the board.
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;
pub const MAX_TITLE_CHARS: usize = 1000;
pub const MAX_NAME_CHARS: usize = 128;

fn invalid(msg: impl Into<String>) -> KernelError {
    KernelError::Invalid(msg.into())
}

fn control_char(s: &str) -> Option<char> {
    s.chars().find(|c| c.is_control())
}

/// A one-line name (assignee, tenant, skill, author): trimmed, no control
/// characters, bounded. `None` when blank.
fn name(field: &str, raw: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = raw else { return Ok(None) };
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Some(c) = control_char(s) {
        return Err(invalid(format!(
            "{field} must not contain control characters (found U+{:04X})",
            c as u32
        )));
    }
    let n = s.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(invalid(format!(
            "{field} is too long ({n} characters; at most {MAX_NAME_CHARS})"
        )));
    }
    Ok(Some(s.to_string()))
}

pub fn title(raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(invalid("title is required (it was blank)"));
    }
    if let Some(c) = control_char(s) {
        return Err(invalid(format!(
            "title must be one line without control characters (found U+{:04X}); put details in the body",
            c as u32
        )));
    }
    let n = s.chars().count();
    if n > MAX_TITLE_CHARS {
        return Err(invalid(format!(
            "title is too long ({n} characters; at most {MAX_TITLE_CHARS}); put details in the body"
        )));
    }
    Ok(s.to_string())
}

/// Assignee names are trimmed and lowercased; blank means unassigned.
pub fn assignee(raw: Option<&str>) -> Result<Option<String>> {
    Ok(name("assignee", raw)?.map(|s| s.to_lowercase()))
}

pub fn tenant(raw: Option<&str>) -> Result<Option<String>> {
    name("tenant", raw)
}

pub fn author(raw: &str) -> Result<String> {
    name("author", Some(raw))?.ok_or_else(|| invalid("comment author is required"))
}

/// Free-form key (idempotency key, session id): trimmed, bounded, blank is none.
pub fn key(field: &str, raw: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = raw else { return Ok(None) };
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() > 512 {
        return Err(invalid(format!(
            "{field} is too long ({} bytes; at most 512)",
            s.len()
        )));
    }
    Ok(Some(s.to_string()))
}

/// Skills: trimmed, blanks dropped, duplicates removed keeping first order.
/// A comma inside one name is refused: lists are joined with commas for workers.
pub fn skills(raw: &[String]) -> Result<Option<Vec<String>>> {
    let mut out: Vec<String> = Vec::new();
    for s in raw {
        let Some(s) = name("skill", Some(s))? else {
            continue;
        };
        if s.contains(',') {
            return Err(invalid(format!(
                "skill name '{s}' contains a comma; give each skill separately"
            )));
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

/// Long free text, stored exactly as given (NUL bytes and all) if within bounds.
pub fn text(field: &str, raw: Option<&str>) -> Result<Option<String>> {
    match raw {
        None => Ok(None),
        Some(s) if s.len() > MAX_TEXT_BYTES => Err(invalid(format!(
            "{field} is too large ({} bytes; at most {MAX_TEXT_BYTES})",
            s.len()
        ))),
        Some(s) => Ok(Some(s.to_string())),
    }
}

/// Like [`text`] but blank counts as absent.
pub fn optional_text(field: &str, raw: Option<&str>) -> Result<Option<String>> {
    Ok(text(field, raw)?.filter(|s| !s.trim().is_empty()))
}

/// Handoff metadata must be a JSON object.
pub fn metadata(raw: Option<&Value>) -> Result<Option<Value>> {
    match raw {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => {
            let len = v.to_string().len();
            if len > MAX_TEXT_BYTES {
                return Err(invalid(format!(
                    "metadata is too large ({len} bytes; at most {MAX_TEXT_BYTES})"
                )));
            }
            Ok(Some(v.clone()))
        }
        Some(other) => Err(invalid(format!(
            "metadata must be a JSON object, got {}",
            match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "something else",
            }
        ))),
    }
}

pub fn positive_seconds(field: &str, raw: Option<i64>) -> Result<Option<i64>> {
    match raw {
        Some(n) if n <= 0 => Err(invalid(format!(
            "{field} must be a positive number of seconds, got {n}"
        ))),
        other => Ok(other),
    }
}

/// Parses a duration: `90`, `90s`, `30m`, `2h`, `1d`, `1.5h`.
pub fn duration(raw: &str) -> Result<i64> {
    let s = raw.trim().to_ascii_lowercase();
    let bad = || {
        invalid(format!("invalid duration '{raw}': use seconds or a number with s, m, h or d (e.g. 30m, 2h, 1d)"))
    };
    if s.is_empty() {
        return Err(bad());
    }
    let (num, mult) = match s.chars().last() {
        Some('s') => (&s[..s.len() - 1], 1.0),
        Some('m') => (&s[..s.len() - 1], 60.0),
        Some('h') => (&s[..s.len() - 1], 3600.0),
        Some('d') => (&s[..s.len() - 1], 86400.0),
        _ => (s.as_str(), 1.0),
    };
    let value: f64 = num.trim().parse().map_err(|_| bad())?;
    if !value.is_finite() || value <= 0.0 {
        return Err(bad());
    }
    let secs = (value * mult).round();
    if secs < 1.0 || secs > i64::MAX as f64 {
        return Err(bad());
    }
    Ok(secs as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignee_is_trimmed_and_lowercased() {
        assert_eq!(
            assignee(Some("  Alice ")).unwrap().as_deref(),
            Some("alice")
        );
        assert_eq!(assignee(Some("   ")).unwrap(), None);
        assert!(assignee(Some("a\nb")).is_err());
    }

    #[test]
    fn skills_dedupe_and_refuse_commas() {
        let got = skills(&[" a ".into(), "".into(), "b".into(), "a".into()]).unwrap();
        assert_eq!(got, Some(vec!["a".to_string(), "b".to_string()]));
        let err = skills(&["a,b".into()]).unwrap_err().to_string();
        assert!(err.contains("comma"), "{err}");
        assert_eq!(skills(&[]).unwrap(), None);
    }

    #[test]
    fn durations_parse_with_suffixes() {
        assert_eq!(duration("90").unwrap(), 90);
        assert_eq!(duration("30m").unwrap(), 1800);
        assert_eq!(duration("2h").unwrap(), 7200);
        assert_eq!(duration("1d").unwrap(), 86400);
        assert_eq!(duration("1.5h").unwrap(), 5400);
        for bad in ["", "abc", "-5", "0", "5x", "nanh"] {
            assert!(duration(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn metadata_must_be_an_object() {
        assert!(metadata(Some(&serde_json::json!({"a": 1})))
            .unwrap()
            .is_some());
        let err = metadata(Some(&serde_json::json!([1])))
            .unwrap_err()
            .to_string();
        assert!(err.contains("JSON object"), "{err}");
    }

    #[test]
    fn title_refuses_blank_and_control_characters() {
        assert!(title("  ").is_err());
        assert!(title("a\u{0}b").is_err());
        assert_eq!(title("  ship it ").unwrap(), "ship it");
        assert_eq!(title("مرحبا 👩‍💻").unwrap(), "مرحبا 👩‍💻");
    }
}
