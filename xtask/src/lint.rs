//! `cargo xtask lint`: formatting and clippy over the whole workspace.

use std::process::Command;

use anyhow::Result;

use crate::util::{cargo, run as run_command};

/// `cargo fmt --all -- --check` (prints the diff).
pub fn fmt_check() -> Command {
    let mut command = cargo();
    command.args(["fmt", "--all", "--", "--check"]);
    command
}

/// `cargo clippy --workspace --all-targets --all-features -- -D warnings`.
pub fn clippy() -> Command {
    let mut command = cargo();
    command.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]);
    command
}

pub fn run() -> Result<()> {
    run_command(&mut fmt_check())?;
    run_command(&mut clippy())?;
    println!("lint: fmt and clippy clean");
    Ok(())
}
