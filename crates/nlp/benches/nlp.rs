//! Start-up and per-message latency of the built-in NLU on one thread.
//!
//! - **Start-up**: `BuiltinNlu::new()` (training the language and intent models from the embedded
//!   data), timed over a few builds, and the growth of the resident set size (`VmRSS` of
//!   `/proc/self/status`, Linux only) from building the first engine, with the peak (`VmHWM`).
//! - **Latency**: `parse_now` of every line of `data/intents/heldout.jsonl` (es/en/pt, all 22
//!   intents; each with its own reference date, no language forced) in a deterministic shuffled
//!   order, round after round, each message timed alone after a warm-up: p50/p95/p99/max and
//!   messages/s. Then, a quarter of the time each, the language identification and the entity
//!   extraction alone (the rest of a parse is the intent: classifier and phrase lists).
//!
//! Run through `cargo xtask bench nlp [--seconds N]` (which builds it with the release profile and
//! can write the figures into `docs/performance.md`). Human-readable lines go to stderr; the last
//! line on stdout is one JSON object with the figures.

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark binary reports"
)]

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use hotel_nlp::{BuiltinNlu, LabelledExample, NluContext, extract_entities, parse_labelled};

const HELDOUT: &str = include_str!("../data/intents/heldout.jsonl");
/// Builds of the engine timed for the start-up figure (the median is reported).
const BUILDS: usize = 3;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("nlp bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let seconds = seconds_arg()?;
    let mut corpus = parse_labelled(HELDOUT).map_err(|e| format!("heldout.jsonl: {e}"))?;
    if corpus.is_empty() {
        return Err("heldout.jsonl has no lines".to_owned());
    }
    shuffle(&mut corpus);
    let contexts: Vec<NluContext> = corpus
        .iter()
        .map(|example| NluContext::new(example.reference_date))
        .collect();
    let languages = count_languages(&corpus);

    // Start-up: the first build measures memory too; the engine it builds is the one measured.
    let rss_before = status_kib("VmRSS");
    let started = Instant::now();
    let nlu = BuiltinNlu::new().map_err(|e| format!("the engine does not build: {e}"))?;
    let mut builds = vec![started.elapsed()];
    let rss_after = status_kib("VmRSS");
    let peak = status_kib("VmHWM");
    let rss_growth = rss_before
        .zip(rss_after)
        .map(|(before, after)| after.saturating_sub(before));
    for _ in 1..BUILDS {
        let started = Instant::now();
        let other = BuiltinNlu::new().map_err(|e| format!("the engine does not build: {e}"))?;
        builds.push(started.elapsed());
        drop(black_box(other));
    }
    builds.sort_unstable();
    let startup = builds.get(BUILDS / 2).copied().unwrap_or_default();

    // Warm-up: one round over the corpus, then half a second.
    for (example, context) in corpus.iter().zip(&contexts) {
        black_box(nlu.parse_now(black_box(&example.text), context));
    }
    let parse = |i: usize| {
        if let (Some(example), Some(context)) = (corpus.get(i), contexts.get(i)) {
            black_box(nlu.parse_now(black_box(&example.text), context));
        }
    };
    run_for(Duration::from_millis(500), corpus.len(), parse);

    // Every message timed alone.
    let budget = Duration::from_secs_f64(seconds);
    let mut samples: Vec<Duration> = Vec::with_capacity(1 << 20);
    let cpu_before = cpu_nanos();
    let started = Instant::now();
    'rounds: loop {
        for (example, context) in corpus.iter().zip(&contexts) {
            let before = Instant::now();
            black_box(nlu.parse_now(black_box(&example.text), context));
            samples.push(before.elapsed());
        }
        if started.elapsed() >= budget {
            break 'rounds;
        }
    }
    let elapsed = started.elapsed();
    let cpu = cpu_before
        .zip(cpu_nanos())
        .map(|(before, after)| Duration::from_nanos(after.saturating_sub(before)));
    let parsed = samples.len();
    let mean = samples.iter().sum::<Duration>() / u32::try_from(parsed.max(1)).unwrap_or(u32::MAX);
    samples.sort_unstable();
    let at = |p: f64| percentile(&samples, p);

    // Stages alone, a quarter of the time each.
    let part = Duration::from_secs_f64((seconds / 4.0).max(0.2));
    let language = run_for(part, corpus.len(), |i| {
        if let Some(example) = corpus.get(i) {
            black_box(nlu.identify_language(black_box(&example.text), None));
        }
    });
    let entities = run_for(part, corpus.len(), |i| {
        if let Some(example) = corpus.get(i) {
            black_box(extract_entities(
                black_box(&example.text),
                example.lang,
                example.reference_date,
            ));
        }
    });

    let rate = parsed as f64 / elapsed.as_secs_f64().max(f64::MIN_POSITIVE);
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    let kib = |value: Option<u64>| value.map_or_else(|| "n/a".to_owned(), |v| format!("{v} KiB"));
    eprintln!(
        "nlp bench: start-up {:.1} ms (median of {BUILDS} builds; first {:.1} ms); resident set growth {}, peak {}",
        startup.as_secs_f64() * 1e3,
        builds.first().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        kib(rss_growth),
        kib(peak),
    );
    eprintln!(
        "nlp bench: {parsed} parses of {} held-out messages (es {}, en {}, pt {}) in {:.2} s on one thread: {rate:.0} messages/s",
        corpus.len(),
        languages[0],
        languages[1],
        languages[2],
        elapsed.as_secs_f64(),
    );
    eprintln!(
        "nlp bench: latency µs: mean {:.1}, p50 {:.1}, p95 {:.1}, p99 {:.1}, max {:.1}",
        micros(mean),
        micros(at(50.0)),
        micros(at(95.0)),
        micros(at(99.0)),
        micros(samples.last().copied().unwrap_or_default()),
    );
    if let Some(cpu) = cpu {
        eprintln!(
            "nlp bench: on the CPU {:.0}% of the time ({:.1} µs of CPU per message; other processes share the machine)",
            100.0 * cpu.as_secs_f64() / elapsed.as_secs_f64().max(f64::MIN_POSITIVE),
            micros(cpu) / parsed.max(1) as f64,
        );
    }
    eprintln!(
        "nlp bench: by stage (mean µs): language {:.2}, entities {:.2}, intent and the rest {:.2}",
        language.micros_each(),
        entities.micros_each(),
        (micros(mean) - language.micros_each() - entities.micros_each()).max(0.0),
    );
    let json_kib = |value: Option<u64>| value.map_or_else(|| "null".to_owned(), |v| v.to_string());
    println!(
        "{{\"startup_ms\":{:.3},\"builds\":{BUILDS},\"rss_growth_kib\":{},\"peak_rss_kib\":{},\"corpus\":{},\"corpus_es\":{},\"corpus_en\":{},\"corpus_pt\":{},\"parsed\":{parsed},\"seconds\":{:.3},\"messages_per_second\":{rate:.0},\"mean_us\":{:.3},\"p50_us\":{:.3},\"p95_us\":{:.3},\"p99_us\":{:.3},\"max_us\":{:.3},\"language_us\":{:.3},\"entities_us\":{:.3},\"cpu_share\":{}}}",
        startup.as_secs_f64() * 1e3,
        json_kib(rss_growth),
        json_kib(peak),
        corpus.len(),
        languages[0],
        languages[1],
        languages[2],
        elapsed.as_secs_f64(),
        micros(mean),
        micros(at(50.0)),
        micros(at(95.0)),
        micros(at(99.0)),
        micros(samples.last().copied().unwrap_or_default()),
        language.micros_each(),
        entities.micros_each(),
        cpu.map_or_else(
            || "null".to_owned(),
            |cpu| format!(
                "{:.3}",
                cpu.as_secs_f64() / elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
            )
        ),
    );
    Ok(())
}

/// `--seconds N` (default 5).
fn seconds_arg() -> Result<f64, String> {
    let mut args = std::env::args().skip(1);
    let mut seconds = 5.0;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                let value = args.next().ok_or("--seconds needs a value")?;
                seconds = value
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .ok_or_else(|| format!("--seconds {value}: not a positive number"))?;
            }
            // `cargo bench` passes `--bench` to harness-less targets.
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(seconds)
}

/// Lines per language, in the order es, en, pt.
fn count_languages(corpus: &[LabelledExample]) -> [usize; 3] {
    let mut counts = [0; 3];
    for example in corpus {
        let slot = match example.lang {
            hotel_domain::Language::Es => 0,
            hotel_domain::Language::En => 1,
            hotel_domain::Language::Pt => 2,
        };
        if let Some(count) = counts.get_mut(slot) {
            *count += 1;
        }
    }
    counts
}

/// A fixed Fisher–Yates shuffle (xorshift64*), so that the intents and languages interleave as
/// they would in real traffic, the same way on every run.
fn shuffle<T>(items: &mut [T]) {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in (1..items.len()).rev() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let random = state.wrapping_mul(0x2545_f491_4f6c_dd1d);
        let j = usize::try_from(random % (i as u64 + 1)).unwrap_or(0);
        items.swap(i, j);
    }
}

/// The nearest-rank percentile `p` of sorted samples (zero when there are none).
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.clamp(1, sorted.len()) - 1)
        .copied()
        .unwrap_or_default()
}

/// The value of a `kB` line of `/proc/self/status` (`None` where there is no such file).
fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        line.strip_prefix(key)?
            .strip_prefix(':')?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    })
}

/// The time this (single-threaded) process has spent on a CPU, from `/proc/self/schedstat`
/// (`None` where there is no such file).
fn cpu_nanos() -> Option<u64> {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

struct Measured {
    iterations: u64,
    elapsed: Duration,
}

impl Measured {
    fn micros_each(&self) -> f64 {
        self.elapsed.as_secs_f64() * 1e6 / (self.iterations.max(1) as f64)
    }
}

/// Runs `work` over the indices `0..len`, round after round, until `budget` has passed.
fn run_for(budget: Duration, len: usize, mut work: impl FnMut(usize)) -> Measured {
    let start = Instant::now();
    let mut iterations = 0;
    loop {
        for i in 0..len {
            work(i);
        }
        iterations += len as u64;
        let elapsed = start.elapsed();
        if elapsed >= budget {
            return Measured {
                iterations,
                elapsed,
            };
        }
    }
}
