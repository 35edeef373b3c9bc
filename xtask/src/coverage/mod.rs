//! `cargo xtask coverage`: the test suite once under cargo-llvm-cov, then per-crate line-coverage gates.

pub mod gates;
pub mod summary;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::services;
use crate::util::{cargo, probe, run as run_command, succeeds, workspace_root};
use gates::{Gates, Verdict};
use summary::CoverageSummary;

const LLVM_COV: &str = "/usr/bin/llvm-cov-22";
const LLVM_PROFDATA: &str = "/usr/bin/llvm-profdata-22";

/// The outcome of one coverage run.
#[derive(Debug)]
pub struct Measurement {
    pub tests_passed: bool,
    /// `None` when no report was produced (the run failed before it).
    pub verdicts: Option<Vec<Verdict>>,
}

impl Measurement {
    pub fn gates_pass(&self) -> bool {
        self.verdicts
            .as_ref()
            .is_some_and(|verdicts| verdicts.iter().all(Verdict::passes))
    }

    pub fn passed(&self) -> bool {
        self.tests_passed && self.gates_pass()
    }

    /// One line: `tests passed; workspace 72.1% (gate 60%); 0 of 9 crates below their gate`.
    pub fn headline(&self) -> String {
        let tests = if self.tests_passed {
            "tests passed"
        } else {
            "tests FAILED"
        };
        let Some(verdicts) = &self.verdicts else {
            return format!("{tests}; no coverage report");
        };
        let (crates, workspace): (Vec<&Verdict>, Vec<&Verdict>) = verdicts
            .iter()
            .partition(|verdict| verdict.label != "workspace");
        let below = crates.iter().filter(|verdict| !verdict.passes()).count();
        let workspace = workspace.first().map_or_else(String::new, |verdict| {
            format!(
                "; workspace {:.1}% (gate {}%)",
                verdict.percent(),
                verdict.gate
            )
        });
        format!(
            "{tests}{workspace}; {below} of {} crates below their gate",
            crates.len()
        )
    }
}

/// `coverage` as a command: prints the table, fails on failed tests or a gate.
pub fn run() -> Result<Measurement> {
    let measurement = measure()?;
    println!("coverage: {}", measurement.headline());
    if !measurement.tests_passed {
        bail!("the test suite failed under coverage");
    }
    if !measurement.gates_pass() {
        bail!(
            "line coverage is below a gate in {} (see the table above)",
            gates::GATES_FILE
        );
    }
    Ok(measurement)
}

/// Runs the suite once under coverage and evaluates the gates; errors only when it cannot run at all.
pub fn measure() -> Result<Measurement> {
    let root = workspace_root();
    let gates = Gates::load(&root)?;
    services::ensure()?;
    let (llvm_cov, llvm_profdata) = llvm_tools()?;
    ensure_cargo_llvm_cov()?;

    let output = root.join("target").join("coverage").join("summary.json");
    if let Some(dir) = output.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    if output.exists() {
        std::fs::remove_file(&output)
            .with_context(|| format!("cannot remove the old {}", output.display()))?;
    }
    let mut command = cargo();
    command
        .env("LLVM_COV", &llvm_cov)
        .env("LLVM_PROFDATA", &llvm_profdata)
        .args([
            "llvm-cov",
            "nextest",
            "--workspace",
            "--all-features",
            "--exclude-from-report",
            "xtask",
            "--json",
            "--summary-only",
            "--output-path",
        ])
        .arg(&output)
        .args(["--no-fail-fast", "--no-tests=warn"]);
    let tests_passed = succeeds(&mut command)?;

    let verdicts = if output.exists() {
        let json = std::fs::read_to_string(&output)
            .with_context(|| format!("cannot read {}", output.display()))?;
        let summary = CoverageSummary::parse(&json, &root)
            .with_context(|| format!("in {}", output.display()))?;
        let verdicts = gates::evaluate(&summary, &gates, &members(&root)?);
        println!("\n{}", gates::render_table(&verdicts));
        Some(verdicts)
    } else {
        None
    };
    Ok(Measurement {
        tests_passed,
        verdicts,
    })
}

/// The crates of the workspace by directory name: `nlp` → `crates/nlp`.
pub fn members(root: &Path) -> Result<BTreeMap<String, String>> {
    let mut members = BTreeMap::new();
    for group in ["crates", "apps"] {
        let dir = root.join(group);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
            if !entry.path().join("Cargo.toml").is_file() {
                continue;
            }
            if let Some(name) = entry.file_name().to_str() {
                members.insert(name.to_owned(), format!("{group}/{name}"));
            }
        }
    }
    Ok(members)
}

/// LLVM_COV / LLVM_PROFDATA: those already set if they exist, else Debian's llvm-22.
fn llvm_tools() -> Result<(PathBuf, PathBuf)> {
    let pick = |var: &str, default: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|path| path.is_file())
            .unwrap_or_else(|| PathBuf::from(default))
    };
    let tools = (
        pick("LLVM_COV", LLVM_COV),
        pick("LLVM_PROFDATA", LLVM_PROFDATA),
    );
    for tool in [&tools.0, &tools.1] {
        if !tool.is_file() {
            bail!(
                "{} is missing: install LLVM 22 (it matches rustc's LLVM) with \
                 `apt-get install -y llvm-22`",
                tool.display()
            );
        }
    }
    Ok(tools)
}

fn ensure_cargo_llvm_cov() -> Result<()> {
    if probe(cargo().args(["llvm-cov", "--version"])) {
        return Ok(());
    }
    println!("coverage: cargo-llvm-cov is missing; installing it");
    run_command(cargo().args(["install", "cargo-llvm-cov", "--locked"]))
        .context("cannot install cargo-llvm-cov")
}
