//! Send pacing for the outbox (reference §9): a rate per business phone number (Meta's throughput
//! limit, 130429) and a burst plus a sustained rate per (business number, guest) pair (the pair
//! rate limit, 131056).
//!
//! Each limit is a token bucket kept as a GCRA "theoretical arrival time", one [`Instant`] per key.
//! [`SendPacer::check`] either reserves a slot in both buckets and answers [`Pace::Go`], or
//! reserves nothing and answers how long to wait: nothing is ever dropped, the caller defers the
//! message. Time is passed in, so the pacer is deterministic under test. A key whose bucket has
//! refilled is indistinguishable from a new one, so such keys are evicted: memory holds only the
//! keys that sent recently.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How often (at most) a check sweeps out idle keys.
const SWEEP_INTERVAL: Duration = Duration::from_secs(30);

/// The rates. `0` as a rate means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacingConfig {
    /// Messages per second per business phone number; default 80 (Meta's default throughput;
    /// numbers upgraded to 1,000 mps or coexistence numbers at 20 mps need their own value).
    pub per_number_per_second: u32,
    /// Messages a number may send at once after being idle; default 10 (so at most 90 leave in
    /// any one second, leaving room for the inbound traffic Meta counts too). At least 1.
    pub per_number_burst: u32,
    /// Messages to one guest sent back to back; default 10, so a conversation's 2–3 quick
    /// replies always leave at once. At least 1.
    pub pair_burst: u32,
    /// Sustained messages per minute to one guest once the burst is spent; default 10 (Meta's
    /// "about 1 per 6 s").
    pub pair_per_minute: u32,
}

impl Default for PacingConfig {
    fn default() -> Self {
        Self {
            per_number_per_second: 80,
            per_number_burst: 10,
            pair_burst: 10,
            pair_per_minute: 10,
        }
    }
}

/// What the outbox should do with a message now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Pace {
    /// Send it now: a slot was reserved in every limit.
    Go,
    /// Defer it by this long; nothing was reserved.
    Wait(Duration),
}

/// One limit: one message per `period`, `tolerance` (= (burst − 1) × period) of them ahead.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    period: Duration,
    tolerance: Duration,
}

impl Bucket {
    /// `None` for an unlimited rate.
    fn new(per: Duration, count: u32, burst: u32) -> Option<Bucket> {
        if count == 0 {
            return None;
        }
        let period = per / count;
        Some(Bucket {
            period,
            tolerance: period.saturating_mul(burst.max(1) - 1),
        })
    }

    /// How long before a message may go, given the key's arrival time `tat`.
    fn wait(self, tat: Option<Instant>, now: Instant) -> Duration {
        tat.map_or(Duration::ZERO, |tat| {
            tat.saturating_duration_since(now)
                .saturating_sub(self.tolerance)
        })
    }

    /// The arrival time after reserving one message.
    fn reserve(self, tat: Option<Instant>, now: Instant) -> Instant {
        tat.map_or(now, |tat| tat.max(now)) + self.period
    }
}

#[derive(Debug, Default)]
struct NumberState {
    /// `None` while the number's own rate is unlimited.
    tat: Option<Instant>,
    /// Arrival times per recipient.
    pairs: HashMap<String, Instant>,
}

#[derive(Debug)]
struct State {
    numbers: HashMap<String, NumberState>,
    last_sweep: Option<Instant>,
}

/// The in-process send pacer, shared by the outbox workers (`Arc<SendPacer>`).
#[derive(Debug)]
pub struct SendPacer {
    number: Option<Bucket>,
    pair: Option<Bucket>,
    state: Mutex<State>,
}

impl Default for SendPacer {
    fn default() -> Self {
        Self::new(PacingConfig::default())
    }
}

impl SendPacer {
    pub fn new(config: PacingConfig) -> Self {
        Self {
            number: Bucket::new(
                Duration::from_secs(1),
                config.per_number_per_second,
                config.per_number_burst,
            ),
            pair: Bucket::new(
                Duration::from_secs(60),
                config.pair_per_minute,
                config.pair_burst,
            ),
            state: Mutex::new(State {
                numbers: HashMap::new(),
                last_sweep: None,
            }),
        }
    }

    /// Whether a message from `phone_number_id` to `recipient` may go at `now`. [`Pace::Go`]
    /// reserves its slot in both limits; [`Pace::Wait`] reserves nothing and gives the time until
    /// both limits allow it (if nothing else is sent from the number in between).
    pub fn check(&self, phone_number_id: &str, recipient: &str, now: Instant) -> Pace {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state
            .last_sweep
            .is_none_or(|last| now.saturating_duration_since(last) >= SWEEP_INTERVAL)
        {
            evict(&mut state.numbers, now);
            state.last_sweep = Some(now);
        }
        let entry = state.numbers.get(phone_number_id);
        let number_tat = entry.and_then(|e| e.tat);
        let pair_tat = entry.and_then(|e| e.pairs.get(recipient).copied());
        let wait = self
            .number
            .map_or(Duration::ZERO, |b| b.wait(number_tat, now))
            .max(self.pair.map_or(Duration::ZERO, |b| b.wait(pair_tat, now)));
        if !wait.is_zero() {
            return Pace::Wait(wait);
        }
        if self.number.is_none() && self.pair.is_none() {
            return Pace::Go;
        }
        let entry = match state.numbers.get_mut(phone_number_id) {
            Some(entry) => entry,
            None => state.numbers.entry(phone_number_id.to_owned()).or_default(),
        };
        if let Some(bucket) = self.number {
            entry.tat = Some(bucket.reserve(number_tat, now));
        }
        if let Some(bucket) = self.pair {
            let tat = bucket.reserve(pair_tat, now);
            match entry.pairs.get_mut(recipient) {
                Some(slot) => *slot = tat,
                None => {
                    entry.pairs.insert(recipient.to_owned(), tat);
                }
            }
        }
        Pace::Go
    }

    /// Forgets every key whose buckets have refilled by `now` (checks also do this, at most every
    /// 30 s of the times they are given).
    pub fn evict_idle(&self, now: Instant) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        evict(&mut state.numbers, now);
        state.last_sweep = Some(now);
    }

    /// How many business numbers and pairs are remembered (for metrics and tests).
    pub fn tracked(&self) -> (usize, usize) {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let pairs = state.numbers.values().map(|n| n.pairs.len()).sum();
        (state.numbers.len(), pairs)
    }
}

/// Drops pairs and numbers whose arrival time has passed: their buckets are full again.
fn evict(numbers: &mut HashMap<String, NumberState>, now: Instant) {
    numbers.retain(|_, number| {
        number.pairs.retain(|_, tat| *tat > now);
        if number.tat.is_some_and(|tat| tat <= now) {
            number.tat = None;
        }
        number.tat.is_some() || !number.pairs.is_empty()
    });
}
