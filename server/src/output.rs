//! Printing for people and for scripts: aligned tables, colour only on a
//! terminal (and never with NO_COLOR), local timestamps, stable JSON.

use serde::Serialize;
use std::io::Write;

fn stdout_is_tty() -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(1) == 1 }
}

/// Whether to colour output: a terminal, and `NO_COLOR` unset or empty.
pub fn use_color() -> bool {
    stdout_is_tty() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Wraps `text` in an ANSI colour when colour is on.
pub fn paint(text: &str, code: &str) -> String {
    if use_color() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

pub fn status_color(status: kernel::Status) -> &'static str {
    use kernel::Status::*;
    match status {
        Triage => "35",
        Todo => "37",
        Ready => "36",
        Running => "33",
        Blocked => "31",
        Done => "32",
        Archived => "90",
    }
}

/// Prints `value` as pretty JSON followed by a newline.
pub fn json<T: Serialize + ?Sized>(value: &T) {
    let text = serde_json::to_string_pretty(value).expect("output types always serialise");
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

/// `YYYY-MM-DD HH:MM:SS` in local time.
pub fn local_time(t: i64) -> String {
    use chrono::{Local, TimeZone};
    match Local.timestamp_opt(t, 0).single() {
        Some(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
        None => t.to_string(),
    }
}

/// "42s", "5m", "3h", "2d": how long ago or how long something took.
pub fn short_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m", s / 60)
    } else if s < 86400 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}d{:02}h", s / 86400, (s % 86400) / 3600)
    }
}

/// A table whose columns are padded to their widest cell. Cells may carry
/// colour codes; widths are measured without them.
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<(String, Option<&'static str>)>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Self {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<(String, Option<&'static str>)>) {
        self.rows.push(cells);
    }

    pub fn print(&self) {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, (c, _)) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let mut out = std::io::stdout().lock();
        let header: Vec<String> = self
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| pad(h, widths[i], i + 1 == n))
            .collect();
        let _ = writeln!(out, "{}", paint(&header.join("  "), "1"));
        for r in &self.rows {
            let cells: Vec<String> = r
                .iter()
                .enumerate()
                .take(n)
                .map(|(i, (c, color))| {
                    let padded = pad(c, widths[i], i + 1 == n);
                    match color {
                        Some(code) => paint(&padded, code),
                        None => padded,
                    }
                })
                .collect();
            let _ = writeln!(out, "{}", cells.join("  "));
        }
    }
}

fn pad(s: &str, width: usize, last: bool) -> String {
    if last {
        return s.to_string();
    }
    let len = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(len)))
}

/// One line of free text for a table cell: first line, at most `max` characters.
pub fn cell(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .next()
        .unwrap_or("")
        .replace(char::is_control, " ");
    kernel::ellipsize(&line, max)
}
