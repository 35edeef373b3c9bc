//! `cargo xtask test`: the services check, then the whole test suite once.

use anyhow::Result;

use crate::services;
use crate::util::{cargo, probe, run as run_command};

/// Whether `cargo nextest` is installed.
pub fn nextest_available() -> bool {
    probe(cargo().args(["nextest", "--version"]))
}

pub fn run() -> Result<()> {
    services::ensure()?;
    if nextest_available() {
        run_command(cargo().args([
            "nextest",
            "run",
            "--workspace",
            "--all-features",
            "--no-fail-fast",
            "--no-tests=warn",
        ]))
    } else {
        println!(
            "cargo-nextest is not installed (cargo install cargo-nextest --locked); using cargo test"
        );
        run_command(cargo().args(["test", "--workspace", "--all-features", "--no-fail-fast"]))
    }
}
