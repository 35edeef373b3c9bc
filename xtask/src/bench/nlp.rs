//! `cargo xtask bench nlp`: runs `hotel-nlp`'s `nlp` bench (release profile) and reports the
//! built-in NLU's start-up time, memory and per-message parse latency, optionally into a markdown
//! file between its own markers.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use serde::Deserialize;

use super::report;

pub const START_MARKER: &str = "<!-- xtask bench nlp: start -->";
pub const END_MARKER: &str = "<!-- xtask bench nlp: end -->";

/// The issue's goal: p99 parse latency per message, in microseconds.
pub const TARGET_P99_US: f64 = 200.0;

#[derive(Debug, Clone, Args)]
pub struct NlpArgs {
    /// Seconds of the measured run (each stage of the breakdown then runs a quarter of that).
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Write the figures into this markdown file (between markers; the rest of the file is kept).
    #[arg(long, value_name = "FILE")]
    write: Option<PathBuf>,
}

/// The JSON line the bench prints on stdout.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NlpFigures {
    pub startup_ms: f64,
    pub builds: u64,
    /// `None` where `/proc/self/status` does not exist (not Linux).
    pub rss_growth_kib: Option<u64>,
    pub peak_rss_kib: Option<u64>,
    pub corpus: u64,
    pub corpus_es: u64,
    pub corpus_en: u64,
    pub corpus_pt: u64,
    pub parsed: u64,
    pub seconds: f64,
    pub messages_per_second: f64,
    pub mean_us: f64,
    pub p50_us: f64,
    pub p95_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
    pub language_us: f64,
    pub entities_us: f64,
    /// The share of the measured run the bench spent on a CPU (`None` off Linux).
    #[serde(default)]
    pub cpu_share: Option<f64>,
}

pub fn run(args: &NlpArgs) -> Result<()> {
    let figures: NlpFigures = super::cargo_bench("hotel-nlp", "nlp", args.seconds)?;
    let verdict = if figures.p99_us < TARGET_P99_US {
        "meets"
    } else {
        "ABOVE"
    };
    println!(
        "bench nlp: p50 {:.1} µs, p99 {:.1} µs per message ({verdict} the {TARGET_P99_US:.0} µs p99 target), {:.0} messages/s; start-up {:.0} ms, resident set +{}",
        figures.p50_us,
        figures.p99_us,
        figures.messages_per_second,
        figures.startup_ms,
        mib(figures.rss_growth_kib),
    );
    if let Some(path) = &args.write {
        let run = report::run_context(path);
        let section = render_section(&run.date, &run.machine, &run.command, &figures);
        report::write_section_between(&run.path, &section, START_MARKER, END_MARKER)?;
        println!("bench: wrote {}", run.path.display());
    }
    Ok(())
}

/// KiB as MiB with one decimal, or "n/a".
fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "n/a".to_owned(),
        |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
    )
}

pub fn render_section(date: &str, machine: &str, command: &str, f: &NlpFigures) -> String {
    let cpu = f.cpu_share.map_or_else(String::new, |share| {
        format!(
            "- the bench was on a CPU {:.0}% of the measured time (other processes share the machine)\n",
            share * 100.0
        )
    });
    let intent_us = (f.mean_us - f.language_us - f.entities_us).max(0.0);
    format!(
        "{START_MARKER}\n## Built-in NLU (`cargo xtask bench nlp`)\n\n\
         `BuiltinNlu::new()` (training the language and intent models from the embedded data), then\n\
         `parse_now` of each of the {} held-out messages of `crates/nlp/data/intents/heldout.jsonl`\n\
         (es {}, en {}, pt {}; all 22 intents; each with its own reference date, language identified)\n\
         in a fixed shuffled order, round after round after a warm-up, each message timed alone on one\n\
         thread, release profile. Target: p99 < {TARGET_P99_US:.0} µs per message.\n\n\
         - date: {date}\n- machine: {machine}\n- command: `{command}`\n{cpu}\n\
         | p50 µs | p95 µs | p99 µs | max µs | mean µs | messages/s | messages measured |\n\
         |---:|---:|---:|---:|---:|---:|---:|\n\
         | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {} in {:.1} s |\n\n\
         | start-up ms (median of {}) | resident set growth | peak resident set |\n\
         |---:|---:|---:|\n\
         | {:.1} | {} | {} |\n\n\
         Mean µs per message by stage (each stage alone): language {:.1}, entities {:.1}, intent\n\
         (classifier and small-talk phrase lists) and the rest {:.1}.\n{END_MARKER}\n",
        f.corpus,
        f.corpus_es,
        f.corpus_en,
        f.corpus_pt,
        f.p50_us,
        f.p95_us,
        f.p99_us,
        f.max_us,
        f.mean_us,
        f.messages_per_second,
        f.parsed,
        f.seconds,
        f.builds,
        f.startup_ms,
        mib(f.rss_growth_kib),
        mib(f.peak_rss_kib),
        f.language_us,
        f.entities_us,
        intent_us,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The figures the bench printed last.
    fn read_figures(stdout: &str) -> Result<NlpFigures> {
        super::super::last_json_line(stdout, "nlp")
    }

    const LINE: &str = r#"{"startup_ms":118.325,"builds":3,"rss_growth_kib":9948,"peak_rss_kib":14616,"corpus":1056,"corpus_es":352,"corpus_en":352,"corpus_pt":352,"parsed":12672,"seconds":3.110,"messages_per_second":4075,"mean_us":245.266,"p50_us":218.017,"p95_us":437.546,"p99_us":647.058,"max_us":5673.147,"language_us":14.415,"entities_us":24.813,"cpu_share":0.912}"#;

    #[test]
    fn figures_come_from_the_last_json_line() {
        let figures = read_figures(&format!("noise\n{LINE}\n")).unwrap();
        assert_eq!(figures.parsed, 12_672);
        assert_eq!(figures.rss_growth_kib, Some(9948));
        assert!(read_figures("nothing here").is_err());
        let elsewhere = LINE
            .replace("9948", "null")
            .replace("14616", "null")
            .replace(r#","cpu_share":0.912"#, "");
        let figures = read_figures(&elsewhere).unwrap();
        assert_eq!((figures.rss_growth_kib, figures.cpu_share), (None, None));
        assert!(render_section("d", "m", "c", &figures).contains("| 118.3 | n/a | n/a |"));
    }

    #[test]
    fn the_section_has_its_own_markers_beside_the_others() {
        let figures = read_figures(LINE).unwrap();
        let section = render_section("2026-11-25", "2 cores", "cargo xtask bench nlp", &figures);
        assert!(
            section.contains("| 218.0 | 437.5 | 647.1 | 5673.1 | 245.3 | 4075 | 12672 in 3.1 s |"),
            "{section}"
        );
        assert!(
            section.contains("| 118.3 | 9.7 MiB | 14.3 MiB |"),
            "{section}"
        );
        assert!(section.contains("on a CPU 91% of"), "{section}");
        assert!(section.contains("the rest 206.0."), "{section}");
        let webhook = report::render_section("d", "m", "c", &["T\n".to_owned()]);
        let file = report::merge_section(None, &webhook);
        let parse = format!(
            "{}\nP\n{}\n",
            super::super::parse::START_MARKER,
            super::super::parse::END_MARKER
        );
        let file = report::merge_section_between(
            Some(&file),
            &parse,
            super::super::parse::START_MARKER,
            super::super::parse::END_MARKER,
        );
        let all = report::merge_section_between(Some(&file), &section, START_MARKER, END_MARKER);
        assert!(all.contains(report::START_MARKER) && all.contains(START_MARKER));
        let newer = render_section("2026-12-01", "2 cores", "cmd", &figures);
        let replaced = report::merge_section_between(Some(&all), &newer, START_MARKER, END_MARKER);
        assert!(replaced.contains("2026-12-01") && !replaced.contains("2026-11-25"));
        assert_eq!(replaced.matches(START_MARKER).count(), 1);
        assert!(replaced.contains("\nT\n") && replaced.contains("\nP\n"));
    }
}
