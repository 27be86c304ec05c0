//! `baton`: the board's command line, web server and dispatcher in one binary.

mod cli;
mod commands;
mod config;
mod error;
mod output;
mod process;
mod serve;

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BATON_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,baton=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = commands::run(cli) {
        eprintln!("baton: {e}");
        std::process::exit(e.exit_code());
    }
}
