//! Waiting and randomness, injected so that tests control both: a [`Sleeper`] that tests replace
//! with a [`ManualSleeper`] (it moves a [`ManualClock`] instead of waiting), and a [`Jitter`]
//! source that tests seed or fix.

use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use hotel_domain::ManualClock;

/// Waits. Every wait of the resilience layer (backoff, rate limit) goes through one.
#[async_trait]
pub trait Sleeper: Send + Sync + std::fmt::Debug {
    /// Returns after `duration`.
    async fn sleep(&self, duration: Duration);
}

/// Really waits, on the tokio timer.
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioSleeper;

#[async_trait]
impl Sleeper for TokioSleeper {
    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// Does not wait: moves its [`ManualClock`] forward by the duration and records it, so a test
/// sees every wait and never sleeps.
#[derive(Debug)]
pub struct ManualSleeper {
    clock: Arc<ManualClock>,
    slept: Mutex<Vec<Duration>>,
}

impl ManualSleeper {
    /// A sleeper moving `clock`.
    pub fn new(clock: Arc<ManualClock>) -> Self {
        Self {
            clock,
            slept: Mutex::default(),
        }
    }

    /// Every wait so far, in order.
    pub fn slept(&self) -> Vec<Duration> {
        self.slept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets the waits recorded so far.
    pub fn clear(&self) {
        self.slept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

#[async_trait]
impl Sleeper for ManualSleeper {
    async fn sleep(&self, duration: Duration) {
        self.slept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(duration);
        self.clock
            .advance(chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX));
    }
}

/// A source of random numbers in `[0, 1)` for the backoff jitter.
pub trait Jitter: Send + Sync + std::fmt::Debug {
    /// The next number, at least 0 and below 1.
    fn next_unit(&self) -> f64;
}

/// A small pseudo-random generator (SplitMix64): the same seed gives the same sequence, which
/// is all jitter needs.
#[derive(Debug)]
pub struct SeededJitter {
    state: Mutex<u64>,
}

impl SeededJitter {
    /// The sequence of `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            state: Mutex::new(seed),
        }
    }

    /// A sequence seeded differently in each process (from the standard library's random
    /// hashing keys), so that replicas do not retry in step.
    pub fn from_entropy() -> Self {
        Self::new(RandomState::new().hash_one(0x5eed_u64))
    }
}

impl Jitter for SeededJitter {
    fn next_unit(&self) -> f64 {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        // The top 53 bits as a fraction: exactly representable, below 1.
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use hotel_domain::Clock;

    use super::*;

    #[test]
    fn seeded_jitter_repeats_and_stays_in_range() {
        let a = SeededJitter::new(7);
        let b = SeededJitter::new(7);
        for _ in 0..1000 {
            let x = a.next_unit();
            assert_eq!(x.to_bits(), b.next_unit().to_bits());
            assert!((0.0..1.0).contains(&x), "{x}");
        }
        let c = SeededJitter::new(8);
        assert_ne!(SeededJitter::new(7).next_unit(), c.next_unit());
    }

    #[tokio::test]
    async fn the_manual_sleeper_moves_the_clock() {
        let start = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        let clock = Arc::new(ManualClock::new(start));
        let sleeper = ManualSleeper::new(clock.clone());
        sleeper.sleep(Duration::from_millis(1500)).await;
        sleeper.sleep(Duration::from_secs(2)).await;
        assert_eq!(
            sleeper.slept(),
            [Duration::from_millis(1500), Duration::from_secs(2)]
        );
        assert_eq!(clock.now(), start + chrono::Duration::milliseconds(3500));
        sleeper.clear();
        assert!(sleeper.slept().is_empty());
    }
}
