//! Throughput of the webhook path on one thread: signature check + `parse_webhook` + `normalise`
//! of a realistic three-message payload (`tests/fixtures/bench/three_messages.json`).
//!
//! Run through `cargo xtask bench parse [--seconds N]` (which builds it with the release profile and
//! can write the figures into `docs/performance.md`). Human-readable lines go to stderr; the last line
//! on stdout is one JSON object with the figures.

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark binary reports"
)]

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use hotel_domain::TenantId;
use hotel_whatsapp::{parse_webhook, sign, verify_signature};

const PAYLOAD: &[u8] = include_bytes!("../tests/fixtures/bench/three_messages.json");
const SECRET: &[u8] = b"bench-app-secret-0123456789abcdef";
const NUMBER: &str = "110200300400500";

fn main() -> ExitCode {
    let seconds = match seconds_arg() {
        Ok(seconds) => seconds,
        Err(message) => {
            eprintln!("parse bench: {message}");
            return ExitCode::FAILURE;
        }
    };
    let header = sign(SECRET, PAYLOAD);
    let tenant = TenantId::new("hotel-andino");
    let resolve = |id: &str| (id == NUMBER).then(|| tenant.clone());

    // The whole path once, checked, so that the loop measures real work.
    let Ok(payload) = parse_webhook(PAYLOAD) else {
        eprintln!("parse bench: the payload does not parse");
        return ExitCode::FAILURE;
    };
    let out = payload.normalise(&resolve);
    if verify_signature(SECRET, PAYLOAD, Some(&header)).is_err() || out.messages.len() != 3 {
        eprintln!("parse bench: the payload does not verify or normalise to three messages");
        return ExitCode::FAILURE;
    }

    let whole = |_: ()| {
        let verified = verify_signature(SECRET, black_box(PAYLOAD), Some(&header)).is_ok();
        let messages = parse_webhook(black_box(PAYLOAD))
            .map(|payload| payload.normalise(&resolve).messages.len())
            .unwrap_or(0);
        black_box((verified, messages));
    };
    measure(Duration::from_millis(500), whole);
    let total = measure(Duration::from_secs_f64(seconds), whole);

    // A breakdown by stage, a quarter of the time each.
    let part = Duration::from_secs_f64((seconds / 4.0).max(0.2));
    let verify = measure(part, |_| {
        black_box(verify_signature(SECRET, black_box(PAYLOAD), Some(&header)).is_ok());
    });
    let parse = measure(part, |_| {
        black_box(parse_webhook(black_box(PAYLOAD)).is_ok());
    });
    let normalise = measure(part, |_| {
        black_box(payload.normalise(&resolve).messages.len());
    });

    let rate = total.rate();
    eprintln!(
        "parse bench: {} payloads of {} bytes (3 messages) in {:.2} s on one thread: {rate:.0} payloads/s, {:.2} µs each",
        total.iterations,
        PAYLOAD.len(),
        total.elapsed.as_secs_f64(),
        total.micros_each()
    );
    eprintln!(
        "parse bench: by stage: verify {:.2} µs, parse {:.2} µs, normalise {:.2} µs",
        verify.micros_each(),
        parse.micros_each(),
        normalise.micros_each()
    );
    println!(
        "{{\"payloads_per_second\":{rate:.0},\"iterations\":{},\"seconds\":{:.3},\"payload_bytes\":{},\"messages\":3,\"verify_us\":{:.3},\"parse_us\":{:.3},\"normalise_us\":{:.3}}}",
        total.iterations,
        total.elapsed.as_secs_f64(),
        PAYLOAD.len(),
        verify.micros_each(),
        parse.micros_each(),
        normalise.micros_each()
    );
    ExitCode::SUCCESS
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

struct Measured {
    iterations: u64,
    elapsed: Duration,
}

impl Measured {
    fn rate(&self) -> f64 {
        self.iterations as f64 / self.elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
    }

    fn micros_each(&self) -> f64 {
        self.elapsed.as_secs_f64() * 1e6 / (self.iterations.max(1) as f64)
    }
}

/// Runs `work` in batches until `budget` has passed.
fn measure(budget: Duration, mut work: impl FnMut(())) -> Measured {
    const BATCH: u64 = 64;
    let start = Instant::now();
    let mut iterations = 0;
    loop {
        for _ in 0..BATCH {
            work(());
        }
        iterations += BATCH;
        let elapsed = start.elapsed();
        if elapsed >= budget {
            return Measured {
                iterations,
                elapsed,
            };
        }
    }
}
