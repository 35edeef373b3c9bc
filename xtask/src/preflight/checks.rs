//! The preflight checks. Add one by writing a `fn(&Context) -> Result<Outcome>` and listing it in [`all`].

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context as _, Result};
use figment::Figment;
use figment::providers::{Format, Toml};
use serde::Deserialize;

use super::{Check, Context, Outcome, readme};
use crate::util::{capture, cargo, command, command_at, succeeds, tail, target_dir};
use crate::{coverage, fuzz, lint};

const PINNED_CHANNEL: &str = "1.95.0";

pub fn all() -> Vec<Check> {
    vec![
        Check {
            name: "toolchain pin",
            run: toolchain,
        },
        Check {
            name: "fmt",
            run: fmt,
        },
        Check {
            name: "clippy -D warnings",
            run: clippy,
        },
        Check {
            name: "tests + coverage gates",
            run: tests_and_coverage,
        },
        Check {
            name: "deploy configs",
            run: deploy_configs,
        },
        Check {
            name: "migrations",
            run: migrations,
        },
        Check {
            name: "README set-up",
            run: readme_setup,
        },
        Check {
            name: "fuzz webhook 60 s",
            run: fuzz_webhook,
        },
    ]
}

#[derive(Deserialize)]
struct ToolchainFile {
    toolchain: ToolchainSection,
}

#[derive(Deserialize)]
struct ToolchainSection {
    channel: String,
}

fn toolchain(context: &Context<'_>) -> Result<Outcome> {
    let file: ToolchainFile =
        Figment::from(Toml::file_exact(context.root.join("rust-toolchain.toml")))
            .extract()
            .context("rust-toolchain.toml has no [toolchain] channel")?;
    let output = capture(command("rustc").arg("--version"))?;
    let version = String::from_utf8_lossy(&output.stdout);
    let rustc = version
        .split_whitespace()
        .nth(1)
        .unwrap_or("unknown")
        .to_owned();
    let channel = file.toolchain.channel;
    Ok(Outcome::when(
        channel == PINNED_CHANNEL && rustc == PINNED_CHANNEL,
        format!("channel \"{channel}\" (want \"{PINNED_CHANNEL}\"), rustc {rustc}"),
    ))
}

fn fmt(context: &Context<'_>) -> Result<Outcome> {
    if context.args.skip_lint {
        return Ok(context.skipped("fmt"));
    }
    let output = capture(cargo().args(["fmt", "--all", "--", "--check", "--files-with-diff"]))?;
    let files = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .count();
    if output.status.success() {
        return Ok(Outcome::green("all files formatted"));
    }
    if files == 0 {
        let error = String::from_utf8_lossy(&output.stderr);
        return Ok(Outcome::red(format!(
            "cargo fmt failed: {}",
            tail(&error, 1)
        )));
    }
    Ok(Outcome::red(format!(
        "{files} file(s) need `cargo fmt --all`"
    )))
}

fn clippy(context: &Context<'_>) -> Result<Outcome> {
    if context.args.skip_lint {
        return Ok(context.skipped("clippy -D warnings"));
    }
    let clean = succeeds(&mut lint::clippy())?;
    Ok(Outcome::when(
        clean,
        if clean {
            "no warnings"
        } else {
            "warnings or errors (see above)"
        },
    ))
}

fn tests_and_coverage(context: &Context<'_>) -> Result<Outcome> {
    if context.args.skip_tests {
        return Ok(context.skipped("tests + coverage gates"));
    }
    let measurement = coverage::measure()?;
    Ok(Outcome::when(measurement.passed(), measurement.headline()))
}

/// `hotel-agent --config FILE check-config` for every `deploy/*.toml`, with the debug binary built once.
fn deploy_configs(context: &Context<'_>) -> Result<Outcome> {
    let dir = context.root.join("deploy");
    let mut configs: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    configs.sort();
    if configs.is_empty() {
        return Ok(Outcome::red("no deploy/*.toml example configs"));
    }
    let build = capture(cargo().args(["build", "--quiet", "-p", "hotel-agent"]))?;
    if !build.status.success() {
        println!(
            "cargo build -p hotel-agent failed:\n{}",
            tail(&String::from_utf8_lossy(&build.stderr), 20)
        );
        return Ok(Outcome::red(
            "hotel-agent does not build (cargo build -p hotel-agent)",
        ));
    }
    let binary = target_dir()?.join("debug").join("hotel-agent");
    let mut failed = Vec::new();
    for config in &configs {
        let relative = config.strip_prefix(&context.root).unwrap_or(config);
        let mut check = command_at(&binary);
        check.arg("--config").arg(relative).arg("check-config");
        let output = capture(&mut check)?;
        if !output.status.success() {
            println!(
                "{}: check-config failed:\n{}",
                relative.display(),
                tail(&String::from_utf8_lossy(&output.stderr), 10)
            );
            failed.push(relative.display().to_string());
        }
    }
    let total = configs.len();
    let valid = total - failed.len();
    let mut figure = format!("{valid}/{total} configs pass check-config");
    if !failed.is_empty() {
        figure.push_str(&format!("; failed: {}", failed.join(", ")));
    }
    Ok(Outcome::when(failed.is_empty(), figure))
}

/// The migration names (directories or `.sql` files) of one tree; dotfiles and `.gitkeep` ignored.
fn migration_names(dir: &Path) -> Result<BTreeSet<String>> {
    Ok(std::fs::read_dir(dir)
        .with_context(|| format!("no migrations tree {}", dir.display()))?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .filter(|name| !name.starts_with('.'))
        .collect())
}

fn migrations(context: &Context<'_>) -> Result<Outcome> {
    let base = context.root.join("migrations");
    let postgres = migration_names(&base.join("postgres"))?;
    let sqlite = migration_names(&base.join("sqlite"))?;
    Ok(compare_migrations(&postgres, &sqlite))
}

pub fn compare_migrations(postgres: &BTreeSet<String>, sqlite: &BTreeSet<String>) -> Outcome {
    if postgres.is_empty() && sqlite.is_empty() {
        return Outcome::red("no migrations in migrations/postgres nor migrations/sqlite");
    }
    let only_postgres: Vec<&str> = postgres.difference(sqlite).map(String::as_str).collect();
    let only_sqlite: Vec<&str> = sqlite.difference(postgres).map(String::as_str).collect();
    if only_postgres.is_empty() && only_sqlite.is_empty() {
        return Outcome::green(format!("{} migrations in both trees", postgres.len()));
    }
    let mut figure = Vec::new();
    if !only_postgres.is_empty() {
        figure.push(format!("only in postgres: {}", only_postgres.join(", ")));
    }
    if !only_sqlite.is_empty() {
        figure.push(format!("only in sqlite: {}", only_sqlite.join(", ")));
    }
    Outcome::red(figure.join("; "))
}

fn readme_setup(context: &Context<'_>) -> Result<Outcome> {
    let path = context.root.join("README.md");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Outcome::red("no README.md"));
    };
    Ok(match readme::setup_commands(&text) {
        None => Outcome::red("no \"Quick start\" or \"Set-up\" heading"),
        Some(commands) => Outcome::when(
            commands.len() == 2,
            format!(
                "{} command(s) in the set-up section (want 2)",
                commands.len()
            ),
        ),
    })
}

/// One minute of libFuzzer on the webhook path (signature, parse, normalise); red on any crash.
/// The first build of `fuzz/` (its own target directory) takes a few minutes; later ones are cached.
fn fuzz_webhook(_: &Context<'_>) -> Result<Outcome> {
    if !fuzz::cxx_available() {
        return Ok(Outcome::red(format!(
            "no C++ compiler for libFuzzer: apt-get install -y {}",
            fuzz::CXX_PACKAGE
        )));
    }
    let run = fuzz::fuzz("webhook", 60)?;
    Ok(Outcome::when(!run.failed, run.summary()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::Status;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn migration_trees_must_match() {
        let same = compare_migrations(
            &set(&["0001_init", "0002_x"]),
            &set(&["0002_x", "0001_init"]),
        );
        assert_eq!(same.status, Status::Green);
        let differ = compare_migrations(
            &set(&["0001_init", "0002_x"]),
            &set(&["0001_init", "0003_y"]),
        );
        assert_eq!(differ.status, Status::Red);
        assert_eq!(
            differ.figure,
            "only in postgres: 0002_x; only in sqlite: 0003_y"
        );
        assert_eq!(compare_migrations(&set(&[]), &set(&[])).status, Status::Red);
    }
}
