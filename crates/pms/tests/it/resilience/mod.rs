//! [`ResilientPms`] around a scripted PMS, on a `ManualClock` and a `ManualSleeper`: no test
//! sleeps or reads the wall clock.

mod breaker;
mod cache;
mod metrics;
mod rate_limit;
mod retries;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use hotel_domain::{Clock, ManualClock, TenantId};
use hotel_pms::resilience::{Jitter, ManualSleeper};
use hotel_pms::{
    Booking, BookingChange, BookingId, BookingRequest, BookingStatus, GuestContact, Hotel, Money,
    Occupancy, Pms, PmsError, Quote, ResilienceConfig, ResilientPms, Result, RoomTypeId, Stay,
    StayRequest,
};

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

pub fn tenant() -> TenantId {
    TenantId::new("default")
}

pub fn secs(n: i64) -> chrono::Duration {
    chrono::Duration::seconds(n)
}

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

pub fn december(adults: u32) -> StayRequest {
    let stay = Stay::new("2026-12-15".parse().unwrap(), "2026-12-17".parse().unwrap()).unwrap();
    StayRequest::new(stay, Occupancy::adults(adults))
}

pub fn booking_request() -> BookingRequest {
    BookingRequest {
        reference: "HTL-7Q2K".into(),
        room_type: RoomTypeId::new("double"),
        stay: december(2).stay,
        occupancy: Occupancy::adults(2),
        guest: GuestContact {
            first_name: "Ana".into(),
            last_name: "Gómez".into(),
            email: "ana@example.com".into(),
            phone: None,
        },
        remark: None,
        language: None,
    }
}

pub fn unavailable() -> PmsError {
    PmsError::Unavailable("HTTP 502".into())
}

/// A PMS that answers each operation from a queue of scripted errors (an empty queue answers
/// successfully), and records when each call reached it.
#[derive(Debug)]
pub struct ScriptedPms {
    clock: Arc<ManualClock>,
    script: Mutex<Script>,
}

#[derive(Debug, Default)]
struct Script {
    errors: HashMap<&'static str, VecDeque<PmsError>>,
    calls: Vec<(&'static str, DateTime<Utc>)>,
}

impl ScriptedPms {
    pub fn new(clock: Arc<ManualClock>) -> Self {
        Self {
            clock,
            script: Mutex::default(),
        }
    }

    /// The next calls of `operation` fail with `errors`, in order.
    pub fn fail(&self, operation: &'static str, errors: impl IntoIterator<Item = PmsError>) {
        let mut script = self.script.lock().unwrap();
        script.errors.entry(operation).or_default().extend(errors);
    }

    /// How many calls of `operation` reached the PMS.
    pub fn calls(&self, operation: &str) -> usize {
        self.call_times(operation).len()
    }

    /// When each call of `operation` reached the PMS.
    pub fn call_times(&self, operation: &str) -> Vec<DateTime<Utc>> {
        let script = self.script.lock().unwrap();
        script
            .calls
            .iter()
            .filter(|(op, _)| *op == operation)
            .map(|(_, at)| *at)
            .collect()
    }

    /// Records the call; its scripted error, or the call's number (1 for the first).
    fn answer(&self, operation: &'static str) -> Result<u32> {
        let mut script = self.script.lock().unwrap();
        script.calls.push((operation, self.clock.now()));
        if let Some(error) = script
            .errors
            .get_mut(operation)
            .and_then(VecDeque::pop_front)
        {
            return Err(error);
        }
        let n = script
            .calls
            .iter()
            .filter(|(op, _)| *op == operation)
            .count();
        Ok(u32::try_from(n).unwrap())
    }

    fn booking_answer(&self, operation: &'static str) -> Result<Booking> {
        self.answer(operation)?;
        let request = booking_request();
        Ok(Booking {
            id: BookingId::new("1"),
            reference: Some(request.reference),
            pms_reference: None,
            status: BookingStatus::AwaitingPayment,
            room_type: request.room_type,
            stay: request.stay,
            adults: 2,
            children: 0,
            guest: request.guest,
            total: None,
        })
    }
}

/// The quote a scripted PMS answers to its `n`th quote call: `n` rooms free, `n` cents.
pub fn nth_quote(n: u32) -> Quote {
    Quote {
        room_type: RoomTypeId::new("double"),
        available: n,
        nightly: Vec::new(),
        average_nightly: Money::from_minor(i64::from(n), "ARS"),
        total: Money::from_minor(i64::from(n), "ARS"),
        stale: false,
    }
}

#[async_trait]
impl Pms for ScriptedPms {
    fn kind(&self) -> &'static str {
        "scripted"
    }

    async fn health(&self) -> Result<()> {
        self.answer("health").map(|_| ())
    }

    async fn hotels(&self, _tenant: &TenantId) -> Result<Vec<Hotel>> {
        let n = self.answer("hotels")?;
        Ok(vec![Hotel::named("1", format!("Hotel {n}"))])
    }

    async fn room_types(&self, _tenant: &TenantId) -> Result<Vec<hotel_pms::RoomType>> {
        self.answer("room_types")?;
        Ok(Vec::new())
    }

    async fn quote(&self, _tenant: &TenantId, _request: &StayRequest) -> Result<Vec<Quote>> {
        let n = self.answer("quote")?;
        Ok(vec![nth_quote(n)])
    }

    async fn create_booking(
        &self,
        _tenant: &TenantId,
        _request: &BookingRequest,
    ) -> Result<Booking> {
        self.booking_answer("create_booking")
    }

    async fn booking(&self, _tenant: &TenantId, _id: &BookingId) -> Result<Booking> {
        self.booking_answer("booking")
    }

    async fn cancel_booking(&self, _tenant: &TenantId, _id: &BookingId) -> Result<Booking> {
        self.booking_answer("cancel_booking")
    }

    async fn modify_booking(
        &self,
        _tenant: &TenantId,
        _id: &BookingId,
        _change: &BookingChange,
    ) -> Result<Booking> {
        self.booking_answer("modify_booking")
    }
}

/// Always the same jitter draw.
#[derive(Debug)]
pub struct FixedJitter(pub f64);

impl Jitter for FixedJitter {
    fn next_unit(&self) -> f64 {
        self.0
    }
}

/// The layer around a scripted PMS, and the handles a test needs.
pub struct Harness {
    pub clock: Arc<ManualClock>,
    pub sleeper: Arc<ManualSleeper>,
    pub inner: Arc<ScriptedPms>,
    pub pms: ResilientPms,
}

impl Harness {
    /// `config` with exact backoff delays (no jitter drawn).
    pub fn new(config: ResilienceConfig) -> Self {
        Self::with_jitter(config, Arc::new(FixedJitter(0.0)))
    }

    pub fn with_jitter(config: ResilienceConfig, jitter: Arc<dyn Jitter>) -> Self {
        let clock = Arc::new(ManualClock::new(start()));
        let sleeper = Arc::new(ManualSleeper::new(clock.clone()));
        let inner = Arc::new(ScriptedPms::new(clock.clone()));
        let pms = ResilientPms::new(inner.clone(), config)
            .unwrap()
            .with_clock(clock.clone())
            .with_sleeper(sleeper.clone())
            .with_jitter(jitter);
        Self {
            clock,
            sleeper,
            inner,
            pms,
        }
    }

    pub fn advance(&self, by: chrono::Duration) {
        self.clock.advance(by);
    }

    pub fn slept(&self) -> Vec<Duration> {
        self.sleeper.slept()
    }

    pub async fn read_booking(&self) -> Result<Booking> {
        self.pms.booking(&tenant(), &BookingId::new("1")).await
    }
}

/// A configuration whose rate limit never gets in the way.
pub fn unlimited() -> ResilienceConfig {
    ResilienceConfig {
        requests_per_minute: 10_000,
        burst: 10_000,
        ..ResilienceConfig::default()
    }
}
