//! A resilience layer around any [`Pms`]: [`ResilientPms`] wraps an `Arc<dyn Pms>` and is itself
//! one, adding
//!
//! - a **circuit breaker**: after `breaker_failures` consecutive transient failures the PMS is
//!   left alone for `breaker_open_secs`; calls then fail at once with a transient
//!   [`PmsError::Unavailable`] (`circuit open`). After that time one trial call goes through:
//!   its success closes the circuit, its failure opens it again. Only transient errors
//!   ([`PmsError::is_transient`]) are failures; a permanent error is an answer and resets the
//!   count;
//! - **retries** of transient errors, at most `max_retries`, after an exponential backoff
//!   (`backoff_base_ms`, doubled each time, at most `backoff_max_ms`, less a random share of up
//!   to `backoff_jitter`). A 429's `Retry-After` is waited for when it is within
//!   `backoff_max_ms`; a longer one is returned to the caller. Either way every call is held
//!   back that long (at most `breaker_open_secs`). No retry once the circuit has opened;
//! - an **outbound rate limit**: at most `requests_per_minute` calls in any 60 seconds, `burst`
//!   of them back to back; a call waits for its slot up to `rate_limit_max_wait_ms`, else fails
//!   with a transient [`PmsError::RateLimited`];
//! - a **cache**: availability (`quote`, per tenant and whole [`StayRequest`]) for
//!   `quote_ttl_secs`, hotels and room types for `catalog_ttl_secs`. When the PMS is down (a
//!   transient failure, an open circuit or the rate limit) an answer younger than
//!   `stale_max_secs` is served instead, its quotes marked [`Quote::stale`]. Creating, cancelling
//!   or modifying a booking forgets the tenant's availability answers.
//!
//! Which calls are retried, and why that is safe:
//!
//! - reads (`hotels`, `room_types`, `quote`, `booking`) change nothing;
//! - `create_booking` is idempotent on `request.reference` (the trait's contract: the QloApps
//!   client looks for an order carrying the reference before every POST). It is retried after
//!   `Unavailable` and `RateLimited`, whose request has finished on the PMS's side so the lookup
//!   sees its order, but **not after a `Timeout`**: the PMS may still be creating the order and a
//!   lookup now would miss it. The caller retries that later, with the same reference;
//! - `cancel_booking` is idempotent by contract (cancelling a cancelled booking returns it);
//! - `modify_booking` sets absolute values (these dates, this room type, these guests): applied
//!   twice it leaves the booking as applied once, and capacity checks ignore the booking itself;
//! - `health` is never retried: it reports the PMS as it is now.
//!
//! Time is injected: every timing decision reads a [`Clock`], every wait goes through a
//! [`Sleeper`], the jitter comes from a [`Jitter`] source. Tests use a
//! [`ManualClock`](hotel_domain::ManualClock), a [`ManualSleeper`] and a fixed or seeded jitter,
//! so they never sleep and never read the wall clock.

mod breaker;
mod cache;
mod config;
mod operation;
mod rate_limit;
mod time;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotel_domain::{Clock, SystemClock, TenantId};
use hotel_observability::names::{
    PMS_CACHE_LOOKUPS_TOTAL, PMS_CALL_DURATION_SECONDS, PMS_RETRIES_TOTAL,
};

pub use breaker::{BreakerState, CIRCUIT_OPEN};
pub use config::{MAX_RETRIES, ResilienceConfig};
pub use time::{Jitter, ManualSleeper, SeededJitter, Sleeper, TokioSleeper};

use crate::{
    Booking, BookingChange, BookingId, BookingRequest, Hotel, Pms, PmsError, Quote, Result,
    RoomType, StayRequest,
};
use breaker::Breaker;
use cache::{AnswerCache, Pick};
use operation::{Operation, result_label};
use rate_limit::RateLimiter;

/// A [`Pms`] with a circuit breaker, retries, a rate limit and a cache around another one.
/// Share it as `Arc<dyn Pms>`; one wraps one PMS.
#[derive(Debug)]
pub struct ResilientPms {
    inner: Arc<dyn Pms>,
    config: ResilienceConfig,
    clock: Arc<dyn Clock>,
    sleeper: Arc<dyn Sleeper>,
    jitter: Arc<dyn Jitter>,
    breaker: Breaker,
    limiter: RateLimiter,
    cache: AnswerCache,
}

impl ResilientPms {
    /// `inner` behind the layer, on the wall clock and the tokio timer, with jitter seeded
    /// differently in each process.
    ///
    /// # Errors
    /// [`PmsError::InvalidConfig`] when [`ResilienceConfig::validate`] fails.
    pub fn new(inner: Arc<dyn Pms>, config: ResilienceConfig) -> Result<Self> {
        config.validate()?;
        let pms = inner.kind();
        Ok(Self {
            breaker: Breaker::new(pms, config.breaker_failures, config.breaker_open()),
            limiter: RateLimiter::new(
                pms,
                config.requests_per_minute,
                config.burst,
                config.rate_limit_max_wait(),
            ),
            cache: AnswerCache::new(
                config.cache_max_entries,
                config
                    .quote_ttl()
                    .max(config.catalog_ttl())
                    .max(config.stale_max()),
            ),
            inner,
            config,
            clock: Arc::new(SystemClock),
            sleeper: Arc::new(TokioSleeper),
            jitter: Arc::new(SeededJitter::from_entropy()),
        })
    }

    /// The same layer reading time from `clock` (tests: a `ManualClock`).
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The same layer waiting through `sleeper` (tests: a [`ManualSleeper`]).
    #[must_use]
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// The same layer drawing its backoff jitter from `jitter`.
    #[must_use]
    pub fn with_jitter(mut self, jitter: Arc<dyn Jitter>) -> Self {
        self.jitter = jitter;
        self
    }

    /// Its settings.
    pub fn config(&self) -> &ResilienceConfig {
        &self.config
    }

    /// The PMS it protects.
    pub fn inner(&self) -> &Arc<dyn Pms> {
        &self.inner
    }

    /// The circuit breaker's state now.
    pub fn breaker_state(&self) -> BreakerState {
        self.breaker.state(self.clock.now())
    }

    /// The wait before retry number `retry` (0 for the first) after `error`, or `None` when the
    /// PMS asked for a longer pause than the layer waits.
    fn backoff(&self, retry: u32, error: &PmsError) -> Option<Duration> {
        let base = self.config.backoff_base();
        let max = self.config.backoff_max();
        let nominal = base
            .checked_mul(2u32.saturating_pow(retry))
            .unwrap_or(max)
            .min(max);
        let cut = self.config.backoff_jitter * self.jitter.next_unit().clamp(0.0, 1.0);
        let delay = nominal.mul_f64((1.0 - cut).clamp(0.0, 1.0));
        match error {
            PmsError::RateLimited {
                retry_after: Some(asked),
            } if *asked > max => None,
            PmsError::RateLimited {
                retry_after: Some(asked),
            } => Some(delay.max(*asked)),
            _ => Some(delay),
        }
    }

    /// One call through the breaker and the rate limit, retried as `operation` allows.
    async fn call<T, F, Fut>(&self, operation: Operation, attempt: F) -> Result<T>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let pms = self.inner.kind();
        let mut retries = 0;
        let mut last_error = None;
        loop {
            let permit = match self.breaker.try_acquire(self.clock.now()) {
                Ok(permit) => permit,
                Err(open) => return Err(last_error.unwrap_or(open)),
            };
            match self.limiter.reserve(self.clock.now()) {
                Ok(wait) if wait.is_zero() => {}
                Ok(wait) => self.sleeper.sleep(wait).await,
                Err(wait) => {
                    drop(permit);
                    return Err(last_error.unwrap_or(PmsError::RateLimited {
                        retry_after: Some(wait),
                    }));
                }
            }
            let started = self.clock.now();
            let result = attempt().await;
            let finished = self.clock.now();
            let elapsed = to_std(finished - started);
            metrics::histogram!(PMS_CALL_DURATION_SECONDS, "pms" => pms,
                "operation" => operation.as_str(), "result" => result_label(&result))
            .record(elapsed.as_secs_f64());
            let error = match result {
                Ok(value) => {
                    permit.record(true, finished);
                    return Ok(value);
                }
                Err(error) => error,
            };
            permit.record(!error.is_transient(), finished);
            if !error.is_transient() {
                return Err(error);
            }
            if let PmsError::RateLimited {
                retry_after: Some(asked),
            } = &error
            {
                // Honoured, but never for longer than the circuit would stay open.
                let hold = (*asked).min(self.config.breaker_open().max(self.config.backoff_max()));
                self.limiter.hold_until(plus(finished, to_chrono(hold)));
            }
            let may_retry = retries < operation.max_retries(&self.config)
                && operation.retries_after(&error)
                && self.breaker.state(finished) == BreakerState::Closed;
            let Some(delay) = may_retry.then(|| self.backoff(retries, &error)).flatten() else {
                return Err(error);
            };
            retries += 1;
            metrics::counter!(PMS_RETRIES_TOTAL, "pms" => pms, "operation" => operation.as_str())
                .increment(1);
            tracing::debug!(pms, operation = operation.as_str(), retry = retries, ?delay, %error, "pms: retrying");
            self.sleeper.sleep(delay).await;
            last_error = Some(error);
        }
    }

    /// A call whose answer is cached on `pick`'s shelf under `key` for `ttl`, and served up to
    /// `stale_max_secs` old when the PMS is down. The flag tells a stale answer.
    async fn cached<K, V, F, Fut>(
        &self,
        operation: Operation,
        pick: Pick<K, V>,
        tenant: &TenantId,
        key: K,
        ttl: Duration,
        fetch: F,
    ) -> Result<(V, bool)>
    where
        K: std::hash::Hash + Eq + Clone,
        V: Clone,
        F: Fn() -> Fut,
        Fut: Future<Output = Result<V>>,
    {
        let pms = self.inner.kind();
        let lookup = |result: &'static str| {
            metrics::counter!(PMS_CACHE_LOOKUPS_TOTAL, "pms" => pms,
                "operation" => operation.as_str(), "result" => result)
            .increment(1);
        };
        if let Some(fresh) = self.cache.get(pick, &key, self.clock.now(), ttl) {
            lookup("hit");
            return Ok((fresh, false));
        }
        let generation = self.cache.generation(tenant);
        match self.call(operation, fetch).await {
            Ok(value) => {
                lookup("miss");
                self.cache.store(
                    pick,
                    tenant,
                    generation,
                    key,
                    value.clone(),
                    self.clock.now(),
                );
                Ok((value, false))
            }
            Err(error) if error.is_transient() => {
                let stale_max = self.config.stale_max();
                match self.cache.get(pick, &key, self.clock.now(), stale_max) {
                    Some(stale) => {
                        lookup("stale");
                        tracing::warn!(pms, operation = operation.as_str(), %error, "pms down: serving a cached answer");
                        Ok((stale, true))
                    }
                    None => {
                        lookup("miss");
                        Err(error)
                    }
                }
            }
            Err(error) => {
                lookup("miss");
                Err(error)
            }
        }
    }

    /// A booking change: the tenant's availability answers are forgotten before and after.
    async fn changing<F, Fut>(
        &self,
        operation: Operation,
        tenant: &TenantId,
        attempt: F,
    ) -> Result<Booking>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Booking>>,
    {
        self.cache.invalidate(tenant);
        let result = self.call(operation, attempt).await;
        // Even after an error: a create that timed out may have booked the room.
        self.cache.invalidate(tenant);
        result
    }
}

#[async_trait]
impl Pms for ResilientPms {
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }

    async fn health(&self) -> Result<()> {
        self.call(Operation::Health, || self.inner.health()).await
    }

    async fn hotels(&self, tenant: &TenantId) -> Result<Vec<Hotel>> {
        let ttl = self.config.catalog_ttl();
        self.cached(
            Operation::Hotels,
            cache::hotels,
            tenant,
            tenant.clone(),
            ttl,
            || self.inner.hotels(tenant),
        )
        .await
        .map(|(hotels, _)| hotels)
    }

    async fn room_types(&self, tenant: &TenantId) -> Result<Vec<RoomType>> {
        let ttl = self.config.catalog_ttl();
        self.cached(
            Operation::RoomTypes,
            cache::room_types,
            tenant,
            tenant.clone(),
            ttl,
            || self.inner.room_types(tenant),
        )
        .await
        .map(|(room_types, _)| room_types)
    }

    async fn quote(&self, tenant: &TenantId, request: &StayRequest) -> Result<Vec<Quote>> {
        let ttl = self.config.quote_ttl();
        let key = (tenant.clone(), request.clone());
        let (mut quotes, stale) = self
            .cached(Operation::Quote, cache::quotes, tenant, key, ttl, || {
                self.inner.quote(tenant, request)
            })
            .await?;
        for quote in &mut quotes {
            quote.stale = stale;
        }
        Ok(quotes)
    }

    async fn create_booking(&self, tenant: &TenantId, request: &BookingRequest) -> Result<Booking> {
        self.changing(Operation::CreateBooking, tenant, || {
            self.inner.create_booking(tenant, request)
        })
        .await
    }

    async fn booking(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        self.call(Operation::Booking, || self.inner.booking(tenant, id))
            .await
    }

    async fn cancel_booking(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        self.changing(Operation::CancelBooking, tenant, || {
            self.inner.cancel_booking(tenant, id)
        })
        .await
    }

    async fn modify_booking(
        &self,
        tenant: &TenantId,
        id: &BookingId,
        change: &BookingChange,
    ) -> Result<Booking> {
        self.changing(Operation::ModifyBooking, tenant, || {
            self.inner.modify_booking(tenant, id, change)
        })
        .await
    }
}

/// A standard duration as chrono's, saturating.
fn to_chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// `at + by`, saturating at the end of time.
fn plus(at: DateTime<Utc>, by: chrono::Duration) -> DateTime<Utc> {
    at.checked_add_signed(by)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `at - by`, saturating at the beginning of time.
fn minus(at: DateTime<Utc>, by: chrono::Duration) -> DateTime<Utc> {
    at.checked_sub_signed(by)
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// A chrono duration as a standard one; negative is zero.
fn to_std(duration: chrono::Duration) -> Duration {
    duration.to_std().unwrap_or(Duration::ZERO)
}
