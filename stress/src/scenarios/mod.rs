//! The scenarios, in the order they run.

mod api_fuzz;
mod claim_race;
mod crash;
mod hostile;
mod mixed;
mod outside;
mod props;
mod reclaim;
mod security;

use crate::{Figures, Mode};

pub const NAMES: &[&str] = &[
    "claim-race",
    "mixed",
    "reclaim",
    "props",
    "hostile",
    "crash",
    "outside",
    "security",
    "api-fuzz",
];

pub fn run(name: &str, mode: Mode) -> Result<Figures, String> {
    match name {
        "claim-race" => claim_race::run(mode),
        "mixed" => mixed::run(mode),
        "reclaim" => reclaim::run(mode),
        "props" => props::run(mode),
        "hostile" => hostile::run(mode),
        "crash" => crash::run(mode),
        "outside" => outside::run(mode),
        "security" => security::run(mode),
        "api-fuzz" => api_fuzz::run(mode),
        other => Err(format!("no scenario {other}")),
    }
}

/// Tasks ready for anyone, created in one go.
pub(crate) fn seed(
    board: &mut kernel::Board,
    n: usize,
    assignee: &str,
) -> Result<Vec<String>, String> {
    (0..n)
        .map(|i| {
            board
                .create(&kernel::create::NewTask {
                    title: format!("task {i}"),
                    assignee: Some(assignee.into()),
                    ..Default::default()
                })
                .map(|t| t.id)
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// How many rows `sql` counts.
pub(crate) fn count(db: &std::path::Path, sql: &str) -> Result<i64, String> {
    let c = rusqlite::Connection::open(db).map_err(|e| e.to_string())?;
    c.query_row(sql, [], |r| r.get(0))
        .map_err(|e| e.to_string())
}
