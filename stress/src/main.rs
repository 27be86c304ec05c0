//! `baton-stress`: races, faults and hostile input against the real kernel
//! and the real `baton` binary, each scenario printing the figures it
//! measured. Any broken guarantee fails the run.
//!
//!   baton-stress                 the bounded mode the test command runs (under 5 minutes)
//!   baton-stress --long          more processes, tasks and sequences, for local runs
//!   baton-stress --only NAME     one scenario (claim-race, mixed, reclaim, props, hostile, crash, outside, security, api-fuzz)
//!   baton-stress child ROLE …    a worker process started by a scenario (not for people)

mod child;
mod scenarios;
mod util;

use std::time::Instant;

/// How hard to push.
#[derive(Debug, Clone, Copy)]
pub struct Mode {
    pub long: bool,
}

impl Mode {
    /// `quick` in the bounded mode, `long` with --long.
    pub fn pick<T>(&self, quick: T, long: T) -> T {
        if self.long {
            long
        } else {
            quick
        }
    }
}

/// What a scenario measured: (figure, value) rows.
pub type Figures = Vec<(String, String)>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("child") {
        std::process::exit(child::run(&args[1..]));
    }
    let mut mode = Mode { long: false };
    let mut only: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--long" => mode.long = true,
            "--only" => only = it.next().cloned(),
            "-h" | "--help" => {
                println!(
                    "usage: baton-stress [--long] [--only SCENARIO]\nscenarios: {}",
                    scenarios::NAMES.join(", ")
                );
                return;
            }
            other => {
                eprintln!("baton-stress: unknown argument '{other}' (try --help)");
                std::process::exit(2);
            }
        }
    }
    if let Some(o) = &only {
        if !scenarios::NAMES.contains(&o.as_str()) {
            eprintln!(
                "baton-stress: no scenario '{o}'; pick one of {}",
                scenarios::NAMES.join(", ")
            );
            std::process::exit(2);
        }
    }
    println!(
        "# Baton reliability suite ({} mode)\n",
        if mode.long { "long" } else { "bounded" }
    );
    let started = Instant::now();
    let mut failed = Vec::new();
    for name in scenarios::NAMES {
        if only.as_deref().is_some_and(|o| o != *name) {
            continue;
        }
        eprintln!("==> {name}");
        let t = Instant::now();
        let result = scenarios::run(name, mode);
        let took = t.elapsed().as_secs_f64();
        println!("## {name} ({took:.1} s)\n");
        println!("| figure | value |\n|---|---:|");
        match result {
            Ok(figures) => {
                for (k, v) in figures {
                    println!("| {k} | {v} |");
                }
                println!("| result | ok |\n");
            }
            Err(e) => {
                println!("| result | **FAILED**: {} |\n", e.replace('\n', " "));
                failed.push(format!("{name}: {e}"));
            }
        }
    }
    println!(
        "All scenarios took {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    if !failed.is_empty() {
        for f in &failed {
            eprintln!("baton-stress: FAILED {f}");
        }
        std::process::exit(1);
    }
}
