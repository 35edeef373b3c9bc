//! `cargo xtask ci`: lint, then coverage (the one test run), then preflight without re-running either.

use anyhow::Result;

use crate::preflight::{self, Earlier, Outcome, PreflightArgs};
use crate::{coverage, lint};

pub fn run() -> Result<()> {
    lint::run()?;
    let measurement = coverage::run()?;
    let mut earlier = Earlier::default();
    earlier
        .outcomes
        .insert("fmt", Outcome::green("all files formatted (ci lint step)"));
    earlier.outcomes.insert(
        "clippy -D warnings",
        Outcome::green("no warnings (ci lint step)"),
    );
    earlier.outcomes.insert(
        "tests + coverage gates",
        Outcome::green(measurement.headline()),
    );
    let args = PreflightArgs {
        skip_tests: true,
        skip_lint: true,
    };
    preflight::run(&args, &earlier)
}
