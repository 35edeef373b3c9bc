//! Room holds in the project's database (`room_holds`), used when no Redis is configured: a
//! restart loses no hold, and each placement checks the nights' capacity in the same store
//! transaction as its write (see `hotel_store`'s `room_holds`). Behaves like
//! [`hotel_locks::InMemoryRoomHolds`] under the same clock; the app's tests run the shared
//! `hotel_locks::testing` suite against it on SQLite and PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use hotel_domain::{Clock, TenantId};
use hotel_locks::{
    ExtendOutcome, Hold, HoldRequest, LockError, MAX_HOLD_EXTENSIONS, Result, RoomHolds,
};
use hotel_store::{
    NewRoomHold, RoomHoldExtension, RoomHoldKey, RoomHoldOutcome, RoomHoldRecord, Store, StoreError,
};

/// The latest expiry stored: 9999-12-31T23:59:59.999Z (a longer TTL saturates here, as the other
/// implementations saturate at the latest instant they represent).
const MAX_EXPIRY_MS: i64 = 253_402_300_799_999;

/// [`RoomHolds`] over the store, timed by the app's clock.
#[derive(Debug, Clone)]
pub struct StoreRoomHolds {
    store: Store,
    clock: Arc<dyn Clock>,
    max_extensions: u32,
}

impl StoreRoomHolds {
    /// Holds in `store`, timed by `clock`, with at most [`MAX_HOLD_EXTENSIONS`] extensions each.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            max_extensions: MAX_HOLD_EXTENSIONS,
        }
    }

    /// Allows `max_extensions` extensions per hold instead of [`MAX_HOLD_EXTENSIONS`].
    #[must_use]
    pub fn with_max_extensions(mut self, max_extensions: u32) -> Self {
        self.max_extensions = max_extensions;
        self
    }

    /// "Now" in whole milliseconds, the precision of every hold implementation.
    fn now(&self) -> DateTime<Utc> {
        instant(self.clock.now().timestamp_millis())
    }
}

fn backend(error: StoreError) -> LockError {
    LockError::Backend(error.to_string())
}

/// The instant `ms` milliseconds after the epoch, within what the store keeps.
fn instant(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms.min(MAX_EXPIRY_MS)).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The expiry of something set at `now` (whole ms) for `ttl`: at least 1 ms later, saturating.
fn expiry(now: DateTime<Utc>, ttl: Duration) -> DateTime<Utc> {
    let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX).max(1);
    instant(now.timestamp_millis().saturating_add(ttl_ms))
}

/// What names `hold` in the store; `None` when its nights are not strictly ascending, which no
/// hold this implementation gave out has (the other implementations compare the list as is).
fn key(hold: &Hold) -> Option<RoomHoldKey> {
    let ascending = !hold.nights.is_empty() && hold.nights.windows(2).all(|w| w[0] < w[1]);
    ascending.then(|| RoomHoldKey {
        id: hold.id.clone(),
        tenant_id: TenantId::new(hold.scope.clone()),
        room_type: hold.room_type.clone(),
        holder: hold.holder.clone(),
        nights: hold.nights.clone(),
    })
}

fn to_hold(record: RoomHoldRecord) -> Hold {
    Hold {
        id: record.id,
        scope: record.tenant_id.as_str().to_owned(),
        room_type: record.room_type,
        holder: record.holder,
        nights: record.nights,
        expires_at: record.expires_at,
        extensions: record.extensions,
    }
}

#[async_trait]
impl RoomHolds for StoreRoomHolds {
    async fn hold(&self, request: &HoldRequest) -> Result<Option<Hold>> {
        request.validate()?;
        let now = self.now();
        let new = NewRoomHold {
            id: uuid::Uuid::new_v4().simple().to_string(),
            tenant_id: TenantId::new(request.scope.clone()),
            room_type: request.room_type.clone(),
            holder: request.holder.clone(),
            free_rooms: request.free_rooms.clone(),
            expires_at: expiry(now, request.ttl),
        };
        Ok(
            match self
                .store
                .place_room_hold(&new, now)
                .await
                .map_err(backend)?
            {
                RoomHoldOutcome::Placed(record) | RoomHoldOutcome::Existing(record) => {
                    Some(to_hold(record))
                }
                RoomHoldOutcome::Full => None,
            },
        )
    }

    async fn extend(&self, hold: &Hold, ttl: Duration) -> Result<ExtendOutcome> {
        let Some(key) = key(hold) else {
            return Ok(ExtendOutcome::NotHeld);
        };
        let now = self.now();
        let extension = self
            .store
            .extend_room_hold(&key, now, expiry(now, ttl), self.max_extensions)
            .await
            .map_err(backend)?;
        Ok(match extension {
            RoomHoldExtension::Extended(record) => ExtendOutcome::Extended(to_hold(record)),
            RoomHoldExtension::LimitReached(record) => ExtendOutcome::LimitReached(to_hold(record)),
            RoomHoldExtension::NotHeld => ExtendOutcome::NotHeld,
        })
    }

    async fn release(&self, hold: &Hold) -> Result<bool> {
        let Some(key) = key(hold) else {
            return Ok(false);
        };
        self.store
            .release_room_hold(&key, self.now())
            .await
            .map_err(backend)
    }

    async fn get(&self, hold: &Hold) -> Result<Option<Hold>> {
        let Some(key) = key(hold) else {
            return Ok(None);
        };
        let record = self
            .store
            .room_hold(&key, self.now())
            .await
            .map_err(backend)?;
        Ok(record.map(to_hold))
    }

    async fn count(&self, scope: &str, room_type: &str, night: NaiveDate) -> Result<u32> {
        self.store
            .count_room_holds(&TenantId::new(scope), room_type, night, self.now())
            .await
            .map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiries_are_whole_milliseconds_at_least_one_away_and_saturate() {
        let now = instant(1_000);
        assert_eq!(expiry(now, Duration::ZERO).timestamp_millis(), 1_001);
        assert_eq!(
            expiry(now, Duration::from_micros(2_500)).timestamp_millis(),
            1_002
        );
        assert_eq!(expiry(now, Duration::MAX).timestamp_millis(), MAX_EXPIRY_MS);
        assert_eq!(
            instant(MAX_EXPIRY_MS).to_rfc3339(),
            "9999-12-31T23:59:59.999+00:00"
        );
    }

    #[test]
    fn only_holds_with_ascending_nights_have_a_key() {
        let night = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap_or_default();
        let hold = Hold {
            id: "h".into(),
            scope: "hotel".into(),
            room_type: "DBL".into(),
            holder: "guest".into(),
            nights: vec![night(1), night(2)],
            expires_at: instant(0),
            extensions: 0,
        };
        assert!(key(&hold).is_some());
        for nights in [vec![], vec![night(2), night(1)], vec![night(1), night(1)]] {
            assert!(
                key(&Hold {
                    nights,
                    ..hold.clone()
                })
                .is_none()
            );
        }
    }
}
