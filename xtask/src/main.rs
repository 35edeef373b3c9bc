//! `cargo xtask`: the workspace's automation (lint, services, tests, coverage gates, preflight, CI, benchmarks).
#![expect(clippy::print_stdout, reason = "xtask is a command-line tool")]
#![expect(clippy::print_stderr, reason = "xtask is a command-line tool")]

mod bench;
mod ci;
mod coverage;
mod fuzz;
mod lint;
mod preflight;
mod services;
mod suite;
mod util;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Workspace automation. Run as `cargo xtask <COMMAND>`.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// `cargo fmt --check` and `cargo clippy -D warnings` over the whole workspace.
    Lint,
    /// Make sure PostgreSQL and Redis are reachable, starting local ones if installed.
    Services,
    /// Services check, then the whole test suite once (cargo nextest, else cargo test).
    Test,
    /// Services check, the test suite once under cargo-llvm-cov, and the per-crate line-coverage gates.
    Coverage,
    /// A readiness report: one line per check, GREEN or RED, and a score.
    Preflight(preflight::PreflightArgs),
    /// lint, then coverage (the only test run), then preflight without re-running either.
    Ci,
    /// Coverage-guided fuzzing of the webhook parser with libFuzzer on the stable toolchain.
    Fuzz(fuzz::FuzzArgs),
    /// Load benchmarks against the release binary.
    Bench {
        #[command(subcommand)]
        target: bench::BenchTarget,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Lint => lint::run(),
        Command::Services => services::ensure(),
        Command::Test => suite::run(),
        Command::Coverage => coverage::run().map(|_| ()),
        Command::Preflight(args) => preflight::run(&args, &preflight::Earlier::default()),
        Command::Ci => ci::run(),
        Command::Fuzz(args) => fuzz::run(&args),
        Command::Bench { target } => bench::run(target),
    }
}
