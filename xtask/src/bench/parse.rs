//! `cargo xtask bench parse`: runs `hotel-whatsapp`'s `parse` bench (release profile) and reports
//! payloads/s of signature check + parse + normalise, optionally into a markdown file between its own
//! markers.

use std::path::PathBuf;
use std::process::Stdio;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Deserialize;

use super::report;
use crate::util::{cargo, display, workspace_root};

pub const START_MARKER: &str = "<!-- xtask bench parse: start -->";
pub const END_MARKER: &str = "<!-- xtask bench parse: end -->";

/// The issue's goal for one core.
pub const TARGET_PER_SECOND: f64 = 100_000.0;

#[derive(Debug, Clone, Args)]
pub struct ParseArgs {
    /// Seconds of the measured run (each stage of the breakdown then runs a quarter of that).
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Write the figures into this markdown file (between markers; the rest of the file is kept).
    #[arg(long, value_name = "FILE")]
    write: Option<PathBuf>,
}

/// The JSON line the bench prints on stdout.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ParseFigures {
    pub payloads_per_second: f64,
    pub iterations: u64,
    pub seconds: f64,
    pub payload_bytes: u64,
    pub messages: u64,
    pub verify_us: f64,
    pub parse_us: f64,
    pub normalise_us: f64,
}

pub fn run(args: &ParseArgs) -> Result<()> {
    if args.seconds == 0 {
        bail!("--seconds must be at least 1");
    }
    let mut bench = cargo();
    bench
        .args(["bench", "-p", "hotel-whatsapp", "--bench", "parse", "--"])
        .args(["--seconds", &args.seconds.to_string()])
        .stderr(Stdio::inherit());
    println!("$ {}", display(&bench));
    let output = bench.output().context("cannot start cargo bench")?;
    if !output.status.success() {
        bail!("the parse bench failed ({})", output.status);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let figures = read_figures(&stdout)?;
    let verdict = if figures.payloads_per_second >= TARGET_PER_SECOND {
        "meets"
    } else {
        "BELOW"
    };
    println!(
        "bench parse: {:.0} payloads/s on one thread ({verdict} the {:.0}/s target)",
        figures.payloads_per_second, TARGET_PER_SECOND
    );
    if let Some(path) = &args.write {
        let path = if path.is_absolute() {
            path.clone()
        } else {
            workspace_root().join(path)
        };
        let command = std::iter::once("cargo xtask".to_owned())
            .chain(std::env::args().skip(1))
            .collect::<Vec<_>>()
            .join(" ");
        let date = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
        let section = render_section(&date, &report::machine_description(), &command, &figures);
        report::write_section_between(&path, &section, START_MARKER, END_MARKER)?;
        println!("bench: wrote {}", path.display());
    }
    Ok(())
}

/// The last line of the bench's stdout that parses as its figures.
pub fn read_figures(stdout: &str) -> Result<ParseFigures> {
    stdout
        .lines()
        .rev()
        .find_map(|line| serde_json::from_str(line.trim()).ok())
        .context("the parse bench printed no figures")
}

pub fn render_section(date: &str, machine: &str, command: &str, f: &ParseFigures) -> String {
    format!(
        "{START_MARKER}\n## Webhook parsing (`cargo xtask bench parse`)\n\n\
         Signature check (HMAC-SHA256 of the raw body) + `parse_webhook` + `normalise` of a realistic\n\
         {}-message payload ({} bytes: a text, an image with caption and URL, a reply-button answer) on one\n\
         thread, release profile. Target: ≥ {:.0} payloads/s on one core.\n\n\
         - date: {date}\n- machine: {machine}\n- command: `{command}`\n\n\
         | payloads/s | µs per payload | verify µs | parse µs | normalise µs | payloads measured |\n\
         |---:|---:|---:|---:|---:|---:|\n\
         | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {} in {:.1} s |\n{END_MARKER}\n",
        f.messages,
        f.payload_bytes,
        TARGET_PER_SECOND,
        f.payloads_per_second,
        1e6 / f.payloads_per_second.max(1.0),
        f.verify_us,
        f.parse_us,
        f.normalise_us,
        f.iterations,
        f.seconds,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"payloads_per_second":125000,"iterations":625000,"seconds":5.000,"payload_bytes":1329,"messages":3,"verify_us":1.364,"parse_us":3.844,"normalise_us":1.294}"#;

    #[test]
    fn figures_come_from_the_last_json_line() {
        let figures = read_figures(&format!("noise\n{LINE}\n")).unwrap();
        assert_eq!(figures.iterations, 625_000);
        assert!(read_figures("nothing here").is_err());
    }

    #[test]
    fn the_section_has_its_own_markers_beside_the_webhook_one() {
        let figures = read_figures(LINE).unwrap();
        let section = render_section("2026-11-25", "2 cores", "cargo xtask bench parse", &figures);
        assert!(
            section.contains("| 125000 | 8.00 | 1.36 | 3.84 | 1.29 | 625000 in 5.0 s |"),
            "{section}"
        );
        let webhook = report::render_section("d", "m", "c", &["T\n".to_owned()]);
        let file = report::merge_section(None, &webhook);
        let both = report::merge_section_between(Some(&file), &section, START_MARKER, END_MARKER);
        assert!(both.contains(report::START_MARKER) && both.contains(START_MARKER));
        let newer = render_section("2026-12-01", "2 cores", "cmd", &figures);
        let replaced = report::merge_section_between(Some(&both), &newer, START_MARKER, END_MARKER);
        assert!(replaced.contains("2026-12-01") && !replaced.contains("2026-11-25"));
        assert_eq!(replaced.matches(START_MARKER).count(), 1);
        assert!(replaced.contains("\nT\n"));
    }
}
