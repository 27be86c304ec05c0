//! The `baton` binary's library: CLI, web server, dispatcher. `main.rs` only
//! calls [`main`]; benchmarks and tests reach the parts through here.

pub mod agents;
pub mod api;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnose;
pub mod dispatcher;
pub mod error;
pub mod home;
pub mod mcp;
pub mod notifier;
pub mod ops;
pub mod output;
pub mod pauses;
pub mod prices;
pub mod process;
pub mod serve;
pub mod state;

use clap::Parser;

/// Parses the command line, runs the verb, exits with its code.
pub fn main() {
    let cli = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BATON_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,server=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = commands::run(cli) {
        eprintln!("baton: {e}");
        std::process::exit(e.exit_code());
    }
}
