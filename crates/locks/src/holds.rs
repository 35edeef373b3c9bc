//! Room holds: a room of one type kept aside for a guest over some nights while they pay, counted
//! against the rooms the PMS reported free, with a TTL and a limited number of extensions.
//!
//! - [`InMemoryRoomHolds`]: process-local, under one mutex.
//! - [`RedisRoomHolds`]: shared between processes; one Lua script checks and takes every night
//!   atomically.
//!
//! Both measure time with an injected [`hotel_domain::Clock`] and compare instants in whole
//! milliseconds, so under the same clock they behave identically.

mod memory;
mod redis;

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{LockError, Result};

pub use memory::InMemoryRoomHolds;
pub use redis::RedisRoomHolds;

/// How many times a hold may be extended unless the implementation is built with another limit
/// (`with_max_extensions`).
pub const MAX_HOLD_EXTENSIONS: u32 = 2;

/// A request to hold one room of `room_type` on every night of a stay.
///
/// It succeeds only if, on every night, the live holds of `room_type` in `scope` are fewer than
/// that night's free rooms. Build it with [`HoldRequest::new`] and [`HoldRequest::nights`] /
/// [`HoldRequest::night`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldRequest {
    /// Whose rooms: the tenant (hotel) id.
    pub scope: String,
    /// The room type code, as the PMS names it.
    pub room_type: String,
    /// Who holds, e.g. the guest's conversation id. A holder has at most one hold per room type
    /// and stay (set of nights): holding again returns the existing hold.
    pub holder: String,
    /// The nights of the stay, each with the rooms of `room_type` the PMS reported free that night
    /// (bookings, not holds, are what the PMS subtracts).
    pub free_rooms: BTreeMap<NaiveDate, u32>,
    /// How long the hold lasts (at least 1 ms).
    pub ttl: Duration,
}

impl HoldRequest {
    /// A request for no nights yet; add them with [`HoldRequest::nights`] or [`HoldRequest::night`].
    pub fn new(
        scope: impl Into<String>,
        room_type: impl Into<String>,
        holder: impl Into<String>,
        ttl: Duration,
    ) -> Self {
        Self {
            scope: scope.into(),
            room_type: room_type.into(),
            holder: holder.into(),
            free_rooms: BTreeMap::new(),
            ttl,
        }
    }

    /// Adds `nights`, each with `free_rooms` rooms free.
    #[must_use]
    pub fn nights(mut self, nights: impl IntoIterator<Item = NaiveDate>, free_rooms: u32) -> Self {
        self.free_rooms
            .extend(nights.into_iter().map(|night| (night, free_rooms)));
        self
    }

    /// Adds `night` (or replaces its figure) with `free_rooms` rooms free.
    #[must_use]
    pub fn night(mut self, night: NaiveDate, free_rooms: u32) -> Self {
        self.free_rooms.insert(night, free_rooms);
        self
    }

    /// The nights of the stay, in order.
    pub fn stay(&self) -> Vec<NaiveDate> {
        self.free_rooms.keys().copied().collect()
    }

    /// Rejects requests that cannot name a hold: no nights, or an empty scope, room type or holder
    /// ([`LockError::InvalidHoldRequest`]). Every implementation checks this first.
    pub fn validate(&self) -> Result<()> {
        let missing = if self.free_rooms.is_empty() {
            "nights"
        } else if self.scope.is_empty() {
            "scope"
        } else if self.room_type.is_empty() {
            "room type"
        } else if self.holder.is_empty() {
            "holder"
        } else {
            return Ok(());
        };
        Err(LockError::InvalidHoldRequest(format!(
            "a hold needs {missing}"
        )))
    }
}

/// A room held for `holder` over `nights` until `expires_at`.
///
/// Pass it back unchanged to [`RoomHolds::extend`], [`RoomHolds::release`] and [`RoomHolds::get`]:
/// they find the hold by scope, room type, holder and nights, and act only if its `id` still
/// matches (a hold released and taken again by the same holder gets a new id).
///
/// It serialises (serde) so that a conversation can keep it in its session between messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    /// A random token naming this hold.
    pub id: String,
    /// The tenant id.
    pub scope: String,
    /// The room type code.
    pub room_type: String,
    /// Who holds it.
    pub holder: String,
    /// The nights held, in order.
    pub nights: Vec<NaiveDate>,
    /// When the hold lapses (millisecond precision); it no longer counts from this instant on.
    pub expires_at: DateTime<Utc>,
    /// How many times it has been extended.
    pub extensions: u32,
}

/// What [`RoomHolds::extend`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtendOutcome {
    /// Extended: the hold as it now stands.
    Extended(Hold),
    /// Refused: the hold has used all its extensions. It still stands, as given, until it expires.
    LimitReached(Hold),
    /// Refused: the hold expired or was released.
    NotHeld,
}

/// Counting holds on rooms per night, with TTLs and a limited number of extensions.
#[async_trait]
pub trait RoomHolds: Send + Sync + std::fmt::Debug {
    /// Holds one room for `request.holder` on every night, atomically, if on each night the live
    /// holds are fewer than its free rooms; `None` otherwise (nothing is taken). When the holder
    /// already has a live hold of this room type for exactly these nights, returns it unchanged.
    /// Fails with [`LockError::InvalidHoldRequest`] for a request without nights or names.
    async fn hold(&self, request: &HoldRequest) -> Result<Option<Hold>>;

    /// Sets a live hold to expire `ttl` from now, unless it has used all its extensions.
    async fn extend(&self, hold: &Hold, ttl: Duration) -> Result<ExtendOutcome>;

    /// Releases the hold; false when it had already expired or been released.
    async fn release(&self, hold: &Hold) -> Result<bool>;

    /// The hold as it now stands (expiry, extensions), or `None` once it expired or was released.
    async fn get(&self, hold: &Hold) -> Result<Option<Hold>>;

    /// Whether the hold still stands (check it before booking).
    async fn is_live(&self, hold: &Hold) -> Result<bool> {
        Ok(self.get(hold).await?.is_some())
    }

    /// The live holds of `room_type` in `scope` on `night`.
    async fn count(&self, scope: &str, room_type: &str, night: NaiveDate) -> Result<u32>;
}

/// The latest expiry representable as a [`DateTime<Utc>`], in milliseconds since the epoch.
fn max_millis() -> i64 {
    DateTime::<Utc>::MAX_UTC.timestamp_millis()
}

/// `ttl` in whole milliseconds, at least 1.
fn ttl_millis(ttl: Duration) -> i64 {
    i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX).max(1)
}

/// The expiry of something set at `now_ms` for `ttl`, saturating at [`max_millis`].
fn expiry_millis(now_ms: i64, ttl: Duration) -> i64 {
    now_ms.saturating_add(ttl_millis(ttl)).min(max_millis())
}

/// The instant `ms` milliseconds after the epoch (clamped to what chrono represents).
fn instant(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms.min(max_millis())).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    #[test]
    fn nights_are_ordered_and_deduplicated_with_their_own_figures() {
        let request = HoldRequest::new("h1", "DBL", "c1", Duration::from_secs(900))
            .nights([date(3), date(1), date(2)], 4)
            .night(date(2), 1);
        assert_eq!(request.stay(), vec![date(1), date(2), date(3)]);
        assert_eq!(request.free_rooms[&date(2)], 1);
        assert_eq!(request.free_rooms[&date(3)], 4);
    }

    #[test]
    fn requests_without_nights_or_names_are_invalid() {
        let ttl = Duration::from_secs(1);
        let cases = [
            (HoldRequest::new("h1", "DBL", "c1", ttl), "nights"),
            (
                HoldRequest::new("", "DBL", "c1", ttl).night(date(1), 1),
                "scope",
            ),
            (
                HoldRequest::new("h1", "", "c1", ttl).night(date(1), 1),
                "room type",
            ),
            (
                HoldRequest::new("h1", "DBL", "", ttl).night(date(1), 1),
                "holder",
            ),
        ];
        for (request, missing) in cases {
            match request.validate() {
                Err(LockError::InvalidHoldRequest(message)) => assert!(message.contains(missing)),
                other => panic!("{request:?}: {other:?}"),
            }
        }
        assert!(
            HoldRequest::new("h1", "DBL", "c1", ttl)
                .night(date(1), 0)
                .validate()
                .is_ok(),
            "no free rooms is a full night, not an invalid request"
        );
    }

    #[test]
    fn holds_round_trip_through_json() {
        let hold = Hold {
            id: "0f3c".into(),
            scope: "h1".into(),
            room_type: "double".into(),
            holder: "5491155550000".into(),
            nights: vec![date(15), date(16)],
            expires_at: instant(1_765_000_000_123),
            extensions: 1,
        };
        let json = serde_json::to_value(&hold).unwrap();
        assert_eq!(
            json["nights"],
            serde_json::json!(["2026-12-15", "2026-12-16"])
        );
        assert_eq!(serde_json::from_value::<Hold>(json).unwrap(), hold);
    }

    #[test]
    fn expiries_are_at_least_a_millisecond_away_and_saturate() {
        assert_eq!(expiry_millis(1_000, Duration::ZERO), 1_001);
        assert_eq!(expiry_millis(1_000, Duration::from_micros(2_500)), 1_002);
        assert_eq!(expiry_millis(1_000, Duration::MAX), max_millis());
        assert_eq!(
            instant(expiry_millis(0, Duration::MAX)).timestamp_millis(),
            max_millis()
        );
        assert_eq!(instant(1_500).timestamp_millis(), 1_500);
    }
}
