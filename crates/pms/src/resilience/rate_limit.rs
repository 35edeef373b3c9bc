//! The outbound rate limit: never more than `requests_per_minute` calls in any 60 seconds,
//! `burst` of them back to back.
//!
//! A token bucket kept as GCRA (its "theoretical arrival time"): `burst` tokens, refilled one
//! every `60 s / (requests_per_minute - burst + 1)`, so that a full burst plus the refills of
//! the next minute stay within the limit (a bucket refilled at the full rate would let
//! `burst + requests_per_minute` through in the first minute). A log of the last minute's calls
//! backs the guarantee. A call reserves the next slot under the lock and waits for it outside,
//! so callers are served in the order they came.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use hotel_observability::names::{PMS_RATE_LIMIT_WAIT_SECONDS, PMS_RATE_LIMIT_WAITS_TOTAL};

use super::{minus, plus, to_chrono, to_std};

/// The length of the sliding window.
const WINDOW: chrono::Duration = chrono::Duration::seconds(60);

#[derive(Debug, Default)]
struct Slots {
    /// GCRA's theoretical arrival time: when the bucket will be full again, minus one interval.
    tat: Option<DateTime<Utc>>,
    /// The slots given out in the last 60 seconds (and any ahead), oldest first: the hard
    /// guarantee, should rounding ever let the bucket give one too many.
    window: VecDeque<DateTime<Utc>>,
    /// No slot before this (the PMS asked us to wait).
    hold_until: Option<DateTime<Utc>>,
}

/// The rate limit of one PMS.
#[derive(Debug)]
pub(super) struct RateLimiter {
    pms: &'static str,
    per_minute: usize,
    interval: chrono::Duration,
    tolerance: chrono::Duration,
    max_wait: chrono::Duration,
    slots: Mutex<Slots>,
}

impl RateLimiter {
    /// At most `per_minute` calls in any 60 seconds, `burst` of them back to back; a call
    /// waits at most `max_wait`.
    pub(super) fn new(pms: &'static str, per_minute: u32, burst: u32, max_wait: Duration) -> Self {
        let per_minute = per_minute.max(1);
        let burst = burst.clamp(1, per_minute);
        let refills = i32::try_from(per_minute - burst + 1).unwrap_or(i32::MAX);
        let interval = WINDOW / refills;
        Self {
            pms,
            per_minute: usize::try_from(per_minute).unwrap_or(usize::MAX),
            interval,
            tolerance: interval * i32::try_from(burst - 1).unwrap_or(i32::MAX),
            max_wait: to_chrono(max_wait),
            slots: Mutex::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reserves the next free slot: `Ok(wait)` until it (zero when free now), or, when that is
    /// longer than the maximum wait, `Err(wait)` and nothing reserved.
    pub(super) fn reserve(&self, now: DateTime<Utc>) -> Result<Duration, Duration> {
        let mut slots = self.lock();
        while slots
            .window
            .front()
            .is_some_and(|at| *at <= minus(now, WINDOW))
        {
            slots.window.pop_front();
        }
        let mut slot = now;
        if let Some(tat) = slots.tat {
            slot = slot.max(minus(tat, self.tolerance));
        }
        if let Some(hold) = slots.hold_until {
            slot = slot.max(hold);
        }
        if let Some(last) = slots.window.back() {
            slot = slot.max(*last);
        }
        if slots.window.len() >= self.per_minute
            && let Some(oldest) = slots.window.get(slots.window.len() - self.per_minute)
        {
            slot = slot.max(plus(*oldest, WINDOW));
        }
        let wait = slot - now;
        if wait > self.max_wait {
            metrics::counter!(PMS_RATE_LIMIT_WAITS_TOTAL, "pms" => self.pms, "result" => "rejected")
                .increment(1);
            return Err(to_std(wait));
        }
        slots.tat = Some(plus(
            slots.tat.map_or(slot, |tat| tat.max(slot)),
            self.interval,
        ));
        slots.window.push_back(slot);
        let wait = to_std(wait);
        if !wait.is_zero() {
            metrics::counter!(PMS_RATE_LIMIT_WAITS_TOTAL, "pms" => self.pms, "result" => "waited")
                .increment(1);
            metrics::histogram!(PMS_RATE_LIMIT_WAIT_SECONDS, "pms" => self.pms)
                .record(wait.as_secs_f64());
        }
        Ok(wait)
    }

    /// Gives out no slot before `until` (the PMS answered 429 with a `Retry-After`).
    pub(super) fn hold_until(&self, until: DateTime<Utc>) {
        let mut slots = self.lock();
        slots.hold_until = Some(slots.hold_until.map_or(until, |hold| hold.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    #[test]
    fn a_burst_goes_through_then_calls_are_spaced() {
        // 62 a minute, 3 at once: one more each second (3 + 59 in the first minute).
        let limiter = RateLimiter::new("test", 62, 3, Duration::from_secs(10));
        let now = start();
        for _ in 0..3 {
            assert_eq!(limiter.reserve(now), Ok(Duration::ZERO));
        }
        assert_eq!(limiter.reserve(now), Ok(Duration::from_secs(1)));
        assert_eq!(limiter.reserve(now), Ok(Duration::from_secs(2)));
        // Waiting more than the maximum reserves nothing.
        let limiter = RateLimiter::new("test", 60, 1, Duration::from_millis(500));
        let now = start();
        assert_eq!(limiter.reserve(now), Ok(Duration::ZERO));
        assert_eq!(limiter.reserve(now), Err(Duration::from_secs(1)));
        let later = now + chrono::Duration::seconds(1);
        assert_eq!(limiter.reserve(later), Ok(Duration::ZERO));
    }

    #[test]
    fn a_full_burst_leaves_nothing_for_the_rest_of_the_minute() {
        let limiter = RateLimiter::new("test", 5, 5, Duration::from_secs(120));
        let now = start();
        for _ in 0..5 {
            assert_eq!(limiter.reserve(now), Ok(Duration::ZERO));
        }
        assert_eq!(limiter.reserve(now), Ok(Duration::from_secs(60)));
        assert_eq!(limiter.reserve(now), Ok(Duration::from_secs(120)));
    }

    #[test]
    fn no_minute_ever_holds_more_than_the_limit() {
        let limiter = RateLimiter::new("test", 70, 10, Duration::from_secs(3600));
        let now = start();
        let mut slots = Vec::new();
        for _ in 0..500 {
            let wait = limiter.reserve(now).unwrap();
            slots.push(now + chrono::Duration::from_std(wait).unwrap());
        }
        for (first, last) in slots.iter().zip(slots.iter().skip(70)) {
            assert!(*last - *first >= WINDOW);
        }
        assert_eq!(slots[9], now);
        assert_eq!(slots[70] - now, WINDOW);
    }

    #[test]
    fn a_hold_delays_every_slot() {
        let limiter = RateLimiter::new("test", 60, 10, Duration::from_secs(10));
        let now = start();
        limiter.hold_until(now + chrono::Duration::seconds(7));
        assert_eq!(limiter.reserve(now), Ok(Duration::from_secs(7)));
        limiter.hold_until(now + chrono::Duration::seconds(30));
        assert_eq!(limiter.reserve(now), Err(Duration::from_secs(30)));
    }
}
