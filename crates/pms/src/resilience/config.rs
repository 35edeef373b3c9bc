//! The resilience layer's settings: the `[pms.resilience]` section, every key optional.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{PmsError, Result};

/// How hard [`ResilientPms`](super::ResilientPms) protects the PMS and the guest from each other.
///
/// ```toml
/// [pms.resilience]
/// breaker_failures = 5        # consecutive transient failures that open the circuit
/// breaker_open_secs = 30      # how long it stays open before one trial call
/// max_retries = 2             # retries of a call after a transient error
/// backoff_base_ms = 200       # first retry delay, doubled each retry…
/// backoff_max_ms = 2000       # …up to this; a longer Retry-After is not waited for
/// backoff_jitter = 0.5        # each delay is cut by up to this share, at random
/// requests_per_minute = 70    # outbound calls in any 60 seconds, at most
/// burst = 10                  # calls that may go back to back (then 61 a minute)
/// rate_limit_max_wait_ms = 5000  # longest wait for the rate limit, else RateLimited
/// quote_ttl_secs = 10         # availability answers reused this long
/// catalog_ttl_secs = 900      # hotels and room types reused this long
/// stale_max_secs = 1800       # oldest answer served (marked stale) while the PMS is down
/// cache_max_entries = 10000   # cached availability answers kept at most
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ResilienceConfig {
    /// Consecutive transient failures (attempts, retries included) that open the circuit.
    pub breaker_failures: u32,
    /// Seconds the circuit stays open before it lets one trial call through (half-open).
    pub breaker_open_secs: u64,
    /// Retries after a transient error (0: none). Health checks are never retried.
    pub max_retries: u32,
    /// Delay before the first retry, in milliseconds; doubled for each further retry.
    pub backoff_base_ms: u64,
    /// Longest delay between attempts, in milliseconds. A PMS asking (HTTP 429 `Retry-After`)
    /// for a longer pause gets no retry: the caller sees [`PmsError::RateLimited`].
    pub backoff_max_ms: u64,
    /// Share of each delay taken off at random (0: exact delays, 0.5: between half and all of
    /// the delay), so that callers failing together do not retry together.
    pub backoff_jitter: f64,
    /// Calls to the PMS in any 60 seconds, at most. One call of the [`Pms`](crate::Pms) trait
    /// counts once, however many HTTP requests the PMS client makes for it.
    pub requests_per_minute: u32,
    /// Calls that may go back to back; at most `requests_per_minute`. The others are spaced
    /// `60 s / (requests_per_minute - burst + 1)` apart, so that a burst and what follows it
    /// never exceed `requests_per_minute` in a minute (sustained: `requests_per_minute - burst
    /// + 1` a minute).
    pub burst: u32,
    /// Longest a call waits for the rate limit, in milliseconds; beyond it the call fails at
    /// once with a transient [`PmsError::RateLimited`].
    pub rate_limit_max_wait_ms: u64,
    /// Seconds an availability answer (`quote`) is reused without asking the PMS (0: always
    /// ask, but keep the answer for when the PMS is down). Keep it short: other channels book
    /// the same rooms (`qloapps-api.md` §11: "a few seconds at most").
    pub quote_ttl_secs: u64,
    /// Seconds the hotels and room types are reused without asking the PMS.
    pub catalog_ttl_secs: u64,
    /// The oldest answer served while the PMS is down (a transient failure or an open circuit),
    /// in seconds. Quotes served so are marked [`stale`](crate::Quote::stale).
    pub stale_max_secs: u64,
    /// Cached availability answers kept at most; the oldest go first.
    pub cache_max_entries: usize,
}

impl Default for ResilienceConfig {
    fn default() -> Self {
        Self {
            breaker_failures: 5,
            breaker_open_secs: 30,
            max_retries: 2,
            backoff_base_ms: 200,
            backoff_max_ms: 2_000,
            backoff_jitter: 0.5,
            requests_per_minute: 70,
            burst: 10,
            rate_limit_max_wait_ms: 5_000,
            quote_ttl_secs: 10,
            catalog_ttl_secs: 900,
            stale_max_secs: 1_800,
            cache_max_entries: 10_000,
        }
    }
}

/// The most retries accepted: more only delays the answer a guest waits for.
pub const MAX_RETRIES: u32 = 10;

impl ResilienceConfig {
    /// Checks every value and names every problem at once.
    ///
    /// # Errors
    /// [`PmsError::InvalidConfig`] listing the problems.
    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        if self.breaker_failures == 0 {
            problems.push("breaker_failures must be at least 1".to_owned());
        }
        if self.breaker_open_secs == 0 {
            problems.push("breaker_open_secs must be at least 1".to_owned());
        }
        if self.max_retries > MAX_RETRIES {
            problems.push(format!("max_retries must be at most {MAX_RETRIES}"));
        }
        if self.backoff_base_ms == 0 {
            problems.push("backoff_base_ms must be at least 1".to_owned());
        }
        if self.backoff_max_ms < self.backoff_base_ms {
            problems.push("backoff_max_ms must be at least backoff_base_ms".to_owned());
        }
        if !(0.0..=1.0).contains(&self.backoff_jitter) {
            problems.push("backoff_jitter must be between 0 and 1".to_owned());
        }
        if self.requests_per_minute == 0 {
            problems.push("requests_per_minute must be at least 1".to_owned());
        }
        if self.burst == 0 || self.burst > self.requests_per_minute {
            problems.push("burst must be between 1 and requests_per_minute".to_owned());
        }
        if self.cache_max_entries == 0 {
            problems.push("cache_max_entries must be at least 1".to_owned());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(PmsError::InvalidConfig(format!(
                "[pms.resilience]: {}",
                problems.join("; ")
            )))
        }
    }

    pub(super) fn breaker_open(&self) -> Duration {
        Duration::from_secs(self.breaker_open_secs)
    }

    pub(super) fn backoff_base(&self) -> Duration {
        Duration::from_millis(self.backoff_base_ms)
    }

    pub(super) fn backoff_max(&self) -> Duration {
        Duration::from_millis(self.backoff_max_ms)
    }

    pub(super) fn rate_limit_max_wait(&self) -> Duration {
        Duration::from_millis(self.rate_limit_max_wait_ms)
    }

    pub(super) fn quote_ttl(&self) -> Duration {
        Duration::from_secs(self.quote_ttl_secs)
    }

    pub(super) fn catalog_ttl(&self) -> Duration {
        Duration::from_secs(self.catalog_ttl_secs)
    }

    pub(super) fn stale_max(&self) -> Duration {
        Duration::from_secs(self.stale_max_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_every_key_is_optional() {
        ResilienceConfig::default().validate().unwrap();
        let parsed: ResilienceConfig = serde_json::from_str(r#"{"max_retries": 3}"#).unwrap();
        assert_eq!(parsed.max_retries, 3);
        assert_eq!(parsed.breaker_failures, 5);
        assert!(serde_json::from_str::<ResilienceConfig>(r#"{"max_retry": 3}"#).is_err());
    }

    #[test]
    fn validation_names_each_problem() {
        let broken = ResilienceConfig {
            breaker_failures: 0,
            breaker_open_secs: 0,
            max_retries: 11,
            backoff_base_ms: 500,
            backoff_max_ms: 100,
            backoff_jitter: 1.5,
            requests_per_minute: 5,
            burst: 6,
            cache_max_entries: 0,
            ..ResilienceConfig::default()
        };
        let message = broken.validate().unwrap_err().to_string();
        for expected in [
            "breaker_failures",
            "breaker_open_secs",
            "max_retries",
            "backoff_max_ms",
            "backoff_jitter",
            "burst",
            "cache_max_entries",
        ] {
            assert!(message.contains(expected), "{expected} missing: {message}");
        }
    }
}
