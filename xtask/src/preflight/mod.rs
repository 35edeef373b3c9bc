//! `cargo xtask preflight`: a readiness report, one line per check, GREEN or RED, and a score.

mod checks;
pub mod readme;

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

use crate::util::workspace_root;

#[derive(Debug, Clone, Default, Args)]
pub struct PreflightArgs {
    /// Do not run the test suite and coverage gates (they ran earlier, e.g. in `cargo xtask ci`).
    #[arg(long)]
    pub skip_tests: bool,
    /// Do not run fmt and clippy (they ran earlier, e.g. in `cargo xtask ci`).
    #[arg(long)]
    pub skip_lint: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Green,
    Red,
    /// Not run and not counted in the score.
    Skipped,
}

/// What a check found: a short figure and its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub figure: String,
    pub status: Status,
}

impl Outcome {
    pub fn green(figure: impl Into<String>) -> Self {
        Self {
            figure: figure.into(),
            status: Status::Green,
        }
    }

    pub fn red(figure: impl Into<String>) -> Self {
        Self {
            figure: figure.into(),
            status: Status::Red,
        }
    }

    pub fn when(ok: bool, figure: impl Into<String>) -> Self {
        if ok {
            Self::green(figure)
        } else {
            Self::red(figure)
        }
    }
}

/// Results of checks that already ran in this process (by `cargo xtask ci`), keyed by check name.
#[derive(Debug, Clone, Default)]
pub struct Earlier {
    pub outcomes: BTreeMap<&'static str, Outcome>,
}

/// What every check can see.
pub struct Context<'a> {
    pub root: PathBuf,
    pub args: &'a PreflightArgs,
    pub earlier: &'a Earlier,
}

impl Context<'_> {
    /// The earlier outcome of a skipped check, or SKIP.
    fn skipped(&self, name: &str) -> Outcome {
        self.earlier.outcomes.get(name).cloned().unwrap_or(Outcome {
            figure: "skipped".to_owned(),
            status: Status::Skipped,
        })
    }
}

/// A check: its name (stable, used as the key in [`Earlier`]) and its function.
pub struct Check {
    pub name: &'static str,
    pub run: fn(&Context<'_>) -> Result<Outcome>,
}

pub fn run(args: &PreflightArgs, earlier: &Earlier) -> Result<()> {
    let context = Context {
        root: workspace_root(),
        args,
        earlier,
    };
    let mut rows = Vec::new();
    for check in checks::all() {
        println!("preflight: {} ...", check.name);
        let outcome =
            (check.run)(&context).unwrap_or_else(|error| Outcome::red(format!("error: {error:#}")));
        rows.push((check.name, outcome));
    }
    let report = render(&rows);
    println!("\n{report}");
    let red = rows
        .iter()
        .filter(|(_, outcome)| outcome.status == Status::Red)
        .count();
    if red > 0 {
        bail!("preflight: {red} check(s) RED");
    }
    Ok(())
}

/// The report: one line per check, then the score.
pub fn render(rows: &[(&str, Outcome)]) -> String {
    let mut out = String::from("preflight report\n");
    for (name, outcome) in rows {
        let status = match outcome.status {
            Status::Green => "GREEN",
            Status::Red => "RED",
            Status::Skipped => "SKIP",
        };
        // Figures are one line each.
        let figure = outcome.figure.lines().next().unwrap_or_default();
        out.push_str(&format!("  {name:<24} {figure:<72} {status}\n"));
    }
    let counted: Vec<&Outcome> = rows
        .iter()
        .map(|(_, outcome)| outcome)
        .filter(|outcome| outcome.status != Status::Skipped)
        .collect();
    let green = counted
        .iter()
        .filter(|outcome| outcome.status == Status::Green)
        .count();
    out.push_str(&format!("score: {green}/{} green", counted.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_ignores_skipped_checks() {
        let rows = [
            ("toolchain", Outcome::green("1.95.0")),
            (
                "fmt",
                Outcome {
                    figure: "skipped".into(),
                    status: Status::Skipped,
                },
            ),
            ("readme", Outcome::red("3 commands\nsecond line")),
        ];
        let report = render(&rows);
        assert!(report.ends_with("score: 1/2 green"), "{report}");
        assert!(report.contains("SKIP"));
        assert!(!report.contains("second line"));
    }
}
