//! The send pacer with injected instants: bursts, sustained rates, the per-number cap, unlimited
//! rates, eviction of idle keys, and concurrent checks.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hotel_whatsapp::{Pace, PacingConfig, SendPacer};

const NUMBER: &str = "106540352242922";
const GUEST: &str = "5491155550000";

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

#[test]
fn a_conversation_burst_goes_at_once_then_one_per_six_seconds() {
    let pacer = SendPacer::default();
    let t0 = Instant::now();
    for n in 0..10 {
        assert_eq!(pacer.check(NUMBER, GUEST, t0), Pace::Go, "message {n}");
    }
    assert_eq!(pacer.check(NUMBER, GUEST, t0), Pace::Wait(secs(6)));
    // A refusal reserves nothing: asking again gives the same answer.
    assert_eq!(pacer.check(NUMBER, GUEST, t0), Pace::Wait(secs(6)));
    assert_eq!(
        pacer.check(NUMBER, GUEST, t0 + secs(2)),
        Pace::Wait(secs(4))
    );
    // Sustained: one message per 6 s.
    assert_eq!(pacer.check(NUMBER, GUEST, t0 + secs(6)), Pace::Go);
    assert_eq!(
        pacer.check(NUMBER, GUEST, t0 + secs(6)),
        Pace::Wait(secs(6))
    );
    assert_eq!(pacer.check(NUMBER, GUEST, t0 + secs(12)), Pace::Go);
    // Other guests of the same number are not held back by this one.
    assert_eq!(
        pacer.check(NUMBER, "5491166660000", t0 + secs(12)),
        Pace::Go
    );
    // Quiet for a minute: the whole burst is back.
    let later = t0 + secs(12 + 60);
    for _ in 0..10 {
        assert_eq!(pacer.check(NUMBER, GUEST, later), Pace::Go);
    }
    assert!(matches!(pacer.check(NUMBER, GUEST, later), Pace::Wait(_)));
}

#[test]
fn the_number_rate_caps_all_guests_together() {
    let pacer = SendPacer::new(PacingConfig {
        per_number_per_second: 10,
        per_number_burst: 2,
        pair_burst: 10,
        pair_per_minute: 0,
    });
    let t0 = Instant::now();
    assert_eq!(pacer.check(NUMBER, "1", t0), Pace::Go);
    assert_eq!(pacer.check(NUMBER, "2", t0), Pace::Go);
    assert_eq!(pacer.check(NUMBER, "3", t0), Pace::Wait(ms(100)));
    assert_eq!(pacer.check(NUMBER, "3", t0 + ms(40)), Pace::Wait(ms(60)));
    assert_eq!(pacer.check(NUMBER, "3", t0 + ms(100)), Pace::Go);
    assert_eq!(pacer.check(NUMBER, "4", t0 + ms(100)), Pace::Wait(ms(100)));
    // Another business number has its own bucket.
    assert_eq!(pacer.check("999", "3", t0), Pace::Go);
    // Over a long run the rate holds: 10 per second.
    let mut sent = 0;
    let start = t0 + secs(10);
    for tick in 0..1000 {
        if pacer.check(NUMBER, &tick.to_string(), start + ms(tick)) == Pace::Go {
            sent += 1;
        }
    }
    assert_eq!(sent, 2 + 9, "the burst, then one per 100 ms over 1 s");
}

#[test]
fn the_default_number_rate_is_80_per_second() {
    let pacer = SendPacer::default();
    let t0 = Instant::now();
    let mut sent = 0;
    for guest in 0..200 {
        if pacer.check(NUMBER, &guest.to_string(), t0) == Pace::Go {
            sent += 1;
        }
    }
    assert_eq!(sent, 10, "the default burst");
    assert_eq!(
        pacer.check(NUMBER, "new", t0),
        Pace::Wait(Duration::from_micros(12_500))
    );
    let mut sent = 0;
    for step in 1..=1000 {
        if pacer.check(NUMBER, &format!("g{step}"), t0 + ms(step)) == Pace::Go {
            sent += 1;
        }
    }
    assert_eq!(sent, 80);
}

#[test]
fn zero_means_unlimited() {
    let pacer = SendPacer::new(PacingConfig {
        per_number_per_second: 0,
        per_number_burst: 0,
        pair_burst: 0,
        pair_per_minute: 0,
    });
    let t0 = Instant::now();
    for _ in 0..10_000 {
        assert_eq!(pacer.check(NUMBER, GUEST, t0), Pace::Go);
    }
    assert_eq!(pacer.tracked(), (0, 0), "nothing to remember");

    let pair_only = SendPacer::new(PacingConfig {
        per_number_per_second: 0,
        per_number_burst: 1,
        pair_burst: 0,
        pair_per_minute: 60,
    });
    assert_eq!(pair_only.check(NUMBER, GUEST, t0), Pace::Go);
    assert_eq!(
        pair_only.check(NUMBER, GUEST, t0),
        Pace::Wait(secs(1)),
        "burst 0 is 1"
    );
    assert_eq!(pair_only.check(NUMBER, "other", t0), Pace::Go);
    assert_eq!(pair_only.tracked(), (1, 2));
}

#[test]
fn idle_keys_are_evicted() {
    let pacer = SendPacer::default();
    let t0 = Instant::now();
    for guest in 0..50 {
        assert_eq!(
            pacer.check(NUMBER, &guest.to_string(), t0 + ms(guest * 20)),
            Pace::Go
        );
    }
    assert_eq!(pacer.check("other", GUEST, t0), Pace::Go);
    assert_eq!(pacer.tracked(), (2, 51));
    // Until a pair's bucket refills (6 s after one message) it is remembered.
    pacer.evict_idle(t0 + secs(5));
    assert_eq!(pacer.tracked(), (2, 51));
    pacer.evict_idle(t0 + secs(6) + ms(500));
    assert_eq!(pacer.tracked(), (1, 24));
    pacer.evict_idle(t0 + secs(8));
    assert_eq!(pacer.tracked(), (0, 0));
    // Forgetting a refilled key changes nothing.
    for _ in 0..10 {
        assert_eq!(pacer.check(NUMBER, GUEST, t0 + secs(8)), Pace::Go);
    }
}

#[test]
fn checks_sweep_idle_keys_on_their_own() {
    let pacer = SendPacer::default();
    let t0 = Instant::now();
    for guest in 0..100 {
        assert_eq!(
            pacer.check(NUMBER, &guest.to_string(), t0 + secs(guest)),
            Pace::Go
        );
    }
    // Sweeps every 30 s of check time: at most 30 s worth of idle keys (plus the live ones) stay.
    let (_, pairs) = pacer.tracked();
    assert!(pairs <= 40, "{pairs} pairs remembered");
    assert_eq!(pacer.check("x", "y", t0 + secs(1000)), Pace::Go);
    assert_eq!(pacer.tracked(), (1, 1));
}

#[test]
fn concurrent_checks_reserve_exactly_the_burst() {
    let pacer = Arc::new(SendPacer::default());
    let t0 = Instant::now();
    let threads: Vec<_> = (0..4)
        .map(|thread| {
            let pacer = Arc::clone(&pacer);
            std::thread::spawn(move || {
                (0..100)
                    .filter(|n| pacer.check(NUMBER, &format!("{thread}-{n}"), t0) == Pace::Go)
                    .count()
            })
        })
        .collect();
    let sent: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(sent, 10);
}
