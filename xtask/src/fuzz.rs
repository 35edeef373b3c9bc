//! `cargo xtask fuzz`: coverage-guided fuzzing of the webhook path with libFuzzer, on STABLE Rust.
//!
//! `cargo fuzz` needs nightly only for `-Zsanitizer=address`; the coverage instrumentation libFuzzer
//! feeds on comes from stable `-C` flags (the same ones `cargo fuzz` passes). So this builds `fuzz/`
//! (its own workspace and lockfile) with those flags, for the host target named explicitly (so build
//! scripts and proc macros stay uninstrumented), into `<target dir>/fuzz`. `libfuzzer-sys` compiles
//! libFuzzer itself from C++ sources, which needs a C++ compiler (Debian: `g++`). The code under test
//! forbids `unsafe`, so AddressSanitizer would add little; panics and failed assertions are crashes.
//!
//! The corpus starts from the golden fixtures of `hotel-whatsapp` and grows in `fuzz/corpus/`
//! (gitignored); a crashing input is written to `fuzz/artifacts/` (gitignored).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::util::{
    capture, cargo, command, command_at, display, probe, target_dir, workspace_root,
};

/// The stable equivalents of `cargo fuzz build`'s instrumentation flags.
pub const RUSTFLAGS: &[&str] = &[
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
    "--cfg",
    "fuzzing",
];

/// The Debian package that provides the C++ compiler libfuzzer-sys builds libFuzzer with.
pub const CXX_PACKAGE: &str = "g++";

/// Fuzz targets in `fuzz/fuzz_targets/`.
const TARGETS: &[&str] = &["webhook"];

/// Seed corpus directories (read, never written).
const SEEDS: &[&str] = &[
    "crates/whatsapp/tests/fixtures/inbound",
    "crates/whatsapp/tests/fixtures/status",
    "crates/whatsapp/tests/fixtures/bench",
];

#[derive(Debug, Clone, Args)]
pub struct FuzzArgs {
    /// How long to fuzz (libFuzzer's -max_total_time).
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
    /// The fuzz target.
    #[arg(long, default_value = "webhook")]
    pub target: String,
}

/// What one fuzzing run did.
#[derive(Debug, Clone, PartialEq)]
pub struct FuzzRun {
    pub target: String,
    pub build: Duration,
    pub executions: u64,
    pub seconds: f64,
    pub corpus_files: usize,
    /// libFuzzer's exit status was not success: a crash, a timeout or an out-of-memory input.
    pub failed: bool,
}

impl FuzzRun {
    pub fn executions_per_second(&self) -> f64 {
        self.executions as f64 / self.seconds.max(1.0)
    }

    /// `1234567 runs in 60 s (20576 exec/s), corpus 812 files, no crash; build 41 s`.
    pub fn summary(&self) -> String {
        format!(
            "{} runs in {:.0} s ({:.0} exec/s), corpus {} files, {}; build {} s",
            self.executions,
            self.seconds,
            self.executions_per_second(),
            self.corpus_files,
            if self.failed { "CRASHED" } else { "no crash" },
            self.build.as_secs()
        )
    }
}

pub fn run(args: &FuzzArgs) -> Result<()> {
    let result = fuzz(&args.target, args.seconds)?;
    println!("fuzz {}: {}", result.target, result.summary());
    if result.failed {
        bail!(
            "fuzz target `{}` found a failing input (see fuzz/artifacts/{}/)",
            result.target,
            result.target
        );
    }
    Ok(())
}

/// Whether a C++ compiler is there for libfuzzer-sys (`$CXX`, else `c++`, as the `cc` crate looks).
pub fn cxx_available() -> bool {
    let cxx = std::env::var("CXX").unwrap_or_else(|_| "c++".to_owned());
    probe(command(&cxx).arg("--version"))
}

/// Builds the fuzz targets and runs `target` for `seconds`.
pub fn fuzz(target: &str, seconds: u64) -> Result<FuzzRun> {
    if !TARGETS.contains(&target) {
        bail!(
            "unknown fuzz target `{target}` (known: {})",
            TARGETS.join(", ")
        );
    }
    if !cxx_available() {
        bail!(
            "no C++ compiler (`c++`, or $CXX): libfuzzer-sys compiles libFuzzer from C++. \
             Install Debian's `{CXX_PACKAGE}` package: apt-get install -y {CXX_PACKAGE}"
        );
    }
    let root = workspace_root();
    let started = Instant::now();
    let binary = build(&root, target)?;
    let build = started.elapsed();

    let corpus = root.join("fuzz").join("corpus").join(target);
    let artifacts = root.join("fuzz").join("artifacts").join(target);
    for dir in [&corpus, &artifacts] {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut fuzzer = command_at(&binary);
    fuzzer
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .arg(format!(
            "-dict={}",
            root.join("fuzz").join(format!("{target}.dict")).display()
        ))
        .args(["-max_len=16384", "-timeout=10", "-rss_limit_mb=2048"])
        .args(["-print_final_stats=1", "-print_pcs=0"])
        .arg(&corpus)
        .args(SEEDS.iter().map(|seed| root.join(seed)));
    let (failed, stats) = run_fuzzer(&mut fuzzer)?;
    let corpus_files = std::fs::read_dir(&corpus).map_or(0, |dir| dir.count());
    Ok(FuzzRun {
        target: target.to_owned(),
        build,
        executions: stats.executions,
        seconds: stats.seconds.unwrap_or(seconds as f64),
        corpus_files,
        failed,
    })
}

fn build(root: &Path, target: &str) -> Result<PathBuf> {
    let host = host_triple()?;
    let target_dir = target_dir()?.join("fuzz");
    // A missing lockfile starts as the workspace's, so shared dependencies keep their versions.
    // (Not `--locked`: when hotel-whatsapp gains a dependency, cargo adds it here.)
    let lockfile = root.join("fuzz").join("Cargo.lock");
    if !lockfile.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lockfile)
            .with_context(|| format!("cannot create {}", lockfile.display()))?;
    }
    let mut build = cargo();
    build
        .current_dir(root.join("fuzz"))
        .args([
            "build",
            "--release",
            "--locked",
            "--bin",
            target,
            "--target",
            &host,
        ])
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("RUSTFLAGS", RUSTFLAGS.join(" "))
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    println!(
        "$ RUSTFLAGS=\"{}\" {}",
        RUSTFLAGS.join(" "),
        display(&build)
    );
    let status = build
        .status()
        .context("cannot start cargo build for fuzz/")?;
    if !status.success() {
        bail!("building the fuzz targets failed ({status})");
    }
    Ok(target_dir.join(host).join("release").join(target))
}

/// The host triple, from `rustc -vV`.
fn host_triple() -> Result<String> {
    let output = capture(command("rustc").arg("-vV"))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(|host| host.trim().to_owned())
        .context("`rustc -vV` names no host")
}

#[derive(Debug, Default, PartialEq)]
struct FuzzStats {
    executions: u64,
    seconds: Option<f64>,
}

/// Runs libFuzzer, echoing its output except the per-input corpus lines, and reads its figures.
fn run_fuzzer(fuzzer: &mut Command) -> Result<(bool, FuzzStats)> {
    println!("$ {}", display(fuzzer));
    let mut child = fuzzer
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start the fuzz target")?;
    let mut stats = FuzzStats::default();
    let mut in_dictionary = false;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines() {
            let line = line.context("cannot read the fuzzer's output")?;
            read_stats(&line, &mut stats);
            // The closing "recommended dictionary" is long and of no use here.
            if line.starts_with("###### ") {
                in_dictionary = line.contains("Recommended dictionary");
                continue;
            }
            if !in_dictionary && !is_corpus_line(&line) {
                eprintln!("{line}");
            }
        }
    }
    let status = child.wait().context("the fuzz target did not finish")?;
    Ok((!status.success(), stats))
}

/// `#1187 NEW cov: …` and `#2043 REDUCE …`: one line per input added, too many to show.
fn is_corpus_line(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words.next().is_some_and(|w| w.starts_with('#'))
        && words
            .next()
            .is_some_and(|w| matches!(w, "NEW" | "REDUCE" | "RELOAD"))
}

/// `Done 488418 runs in 16 second(s)` and `stat::number_of_executed_units: 488418`.
fn read_stats(line: &str, stats: &mut FuzzStats) {
    if let Some(rest) = line.strip_prefix("Done ") {
        let words: Vec<&str> = rest.split_whitespace().collect();
        if let [runs, "runs", "in", seconds, ..] = words.as_slice() {
            stats.executions = runs.parse().unwrap_or(stats.executions);
            stats.seconds = seconds.parse().ok().or(stats.seconds);
        }
    } else if let Some(units) = line.strip_prefix("stat::number_of_executed_units:") {
        stats.executions = units.trim().parse().unwrap_or(stats.executions);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_read_from_libfuzzer_output() {
        let mut stats = FuzzStats::default();
        for line in [
            "#1181\tINITED cov: 983 ft: 3005 corp: 1026/34Kb exec/s: 0 rss: 30Mb",
            "Done 488418 runs in 16 second(s)",
            "stat::number_of_executed_units: 488420",
            "stat::average_exec_per_sec:     30526",
        ] {
            read_stats(line, &mut stats);
        }
        assert_eq!(
            stats,
            FuzzStats {
                executions: 488_420,
                seconds: Some(16.0)
            }
        );
        assert!(is_corpus_line(
            "#1187\tNEW    cov: 986 ft: 3008 corp: 1027/34Kb"
        ));
        assert!(!is_corpus_line("#1181\tINITED cov: 983"));
        assert!(!is_corpus_line("#262144\tpulse  cov: 990"));
        assert!(!is_corpus_line("==123== ERROR: libFuzzer: deadly signal"));
    }

    #[test]
    fn summary_names_rate_and_outcome() {
        let run = FuzzRun {
            target: "webhook".into(),
            build: Duration::from_secs(41),
            executions: 1_200_000,
            seconds: 60.0,
            corpus_files: 812,
            failed: false,
        };
        assert_eq!(
            run.summary(),
            "1200000 runs in 60 s (20000 exec/s), corpus 812 files, no crash; build 41 s"
        );
    }
}
