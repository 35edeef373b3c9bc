//! `cargo xtask bench parse`: runs `hotel-whatsapp`'s `parse` bench (release profile) and reports
//! payloads/s of signature check + parse + normalise, optionally into a markdown file between its own
//! markers.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use serde::Deserialize;

use super::report;

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
    let figures: ParseFigures = super::cargo_bench("hotel-whatsapp", "parse", args.seconds)?;
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
        let run = report::run_context(path);
        let section = render_section(&run.date, &run.machine, &run.command, &figures);
        report::write_section_between(&run.path, &section, START_MARKER, END_MARKER)?;
        println!("bench: wrote {}", run.path.display());
    }
    Ok(())
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

    /// The figures the bench printed last.
    fn read_figures(stdout: &str) -> Result<ParseFigures> {
        super::super::last_json_line(stdout, "parse")
    }

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
