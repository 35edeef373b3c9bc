//! [`InMemoryRoomHolds`]: holds in process-local maps under one mutex.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use hotel_domain::Clock;

use super::{
    ExtendOutcome, Hold, HoldRequest, MAX_HOLD_EXTENSIONS, RoomHolds, expiry_millis, instant,
};
use crate::{Result, new_token};

/// Expired holds are swept once this many stays are stored, and then again whenever the number
/// has doubled since the last sweep (amortised O(1) per hold).
const MIN_SWEEP_LEN: usize = 64;

/// Room holds in process-local maps, with TTLs measured by an injected [`Clock`].
///
/// For development and tests: nothing is shared between processes, and a restart forgets every
/// hold. Behaves exactly like [`super::RedisRoomHolds`] under the same clock.
#[derive(Debug)]
pub struct InMemoryRoomHolds {
    clock: Arc<dyn Clock>,
    max_extensions: u32,
    state: Mutex<State>,
}

/// One holder's stay of one room type: what identifies a hold besides its id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct StayKey {
    scope: String,
    room_type: String,
    holder: String,
    nights: Vec<NaiveDate>,
}

/// One night of one room type: where holds are counted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct NightKey {
    scope: String,
    room_type: String,
    night: NaiveDate,
}

#[derive(Debug)]
struct Stored {
    id: String,
    expires_ms: i64,
    extensions: u32,
}

#[derive(Debug)]
struct State {
    /// Every stay's hold (live or not yet swept).
    stays: HashMap<StayKey, Stored>,
    /// Per night: hold id → expiry in ms (the in-memory twin of the Redis sorted sets).
    nights: HashMap<NightKey, HashMap<String, i64>>,
    sweep_at_len: usize,
}

impl StayKey {
    fn of_hold(hold: &Hold) -> Self {
        Self {
            scope: hold.scope.clone(),
            room_type: hold.room_type.clone(),
            holder: hold.holder.clone(),
            nights: hold.nights.clone(),
        }
    }

    fn of_request(request: &HoldRequest) -> Self {
        Self {
            scope: request.scope.clone(),
            room_type: request.room_type.clone(),
            holder: request.holder.clone(),
            nights: request.stay(),
        }
    }

    fn night(&self, night: NaiveDate) -> NightKey {
        NightKey {
            scope: self.scope.clone(),
            room_type: self.room_type.clone(),
            night,
        }
    }

    fn hold(&self, stored: &Stored) -> Hold {
        Hold {
            id: stored.id.clone(),
            scope: self.scope.clone(),
            room_type: self.room_type.clone(),
            holder: self.holder.clone(),
            nights: self.nights.clone(),
            expires_at: instant(stored.expires_ms),
            extensions: stored.extensions,
        }
    }
}

impl State {
    /// The live holds on `night` at `now_ms`, dropping the expired ones.
    fn live_count(&mut self, night: &NightKey, now_ms: i64) -> usize {
        self.nights.get_mut(night).map_or(0, |holds| {
            holds.retain(|_, expires_ms| now_ms < *expires_ms);
            holds.len()
        })
    }

    /// Sets hold `id` to expire at `expires_ms` on every night of `stay`.
    fn put_nights(&mut self, stay: &StayKey, id: &str, expires_ms: i64) {
        for night in &stay.nights {
            self.nights
                .entry(stay.night(*night))
                .or_default()
                .insert(id.to_owned(), expires_ms);
        }
    }

    /// Removes hold `id` from every night of `stay`.
    fn remove_nights(&mut self, stay: &StayKey, id: &str) {
        for night in &stay.nights {
            let key = stay.night(*night);
            if let Some(holds) = self.nights.get_mut(&key) {
                holds.remove(id);
                if holds.is_empty() {
                    self.nights.remove(&key);
                }
            }
        }
    }

    /// The live hold of `stay` with id `id`.
    fn live_mut(&mut self, stay: &StayKey, id: &str, now_ms: i64) -> Option<&mut Stored> {
        self.stays
            .get_mut(stay)
            .filter(|stored| stored.id == id && now_ms < stored.expires_ms)
    }

    fn sweep_if_due(&mut self, now_ms: i64) {
        if self.stays.len() < self.sweep_at_len {
            return;
        }
        self.stays.retain(|_, stored| now_ms < stored.expires_ms);
        self.nights.retain(|_, holds| {
            holds.retain(|_, expires_ms| now_ms < *expires_ms);
            !holds.is_empty()
        });
        self.sweep_at_len = (self.stays.len() * 2).max(MIN_SWEEP_LEN);
    }
}

impl InMemoryRoomHolds {
    /// No holds yet; TTLs measured by `clock`; at most [`MAX_HOLD_EXTENSIONS`] extensions per hold.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            max_extensions: MAX_HOLD_EXTENSIONS,
            state: Mutex::new(State {
                stays: HashMap::new(),
                nights: HashMap::new(),
                sweep_at_len: MIN_SWEEP_LEN,
            }),
        }
    }

    /// Allows `max_extensions` extensions per hold instead of [`MAX_HOLD_EXTENSIONS`].
    #[must_use]
    pub fn with_max_extensions(mut self, max_extensions: u32) -> Self {
        self.max_extensions = max_extensions;
        self
    }

    fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // No code panics while holding the lock, and the maps are consistent at every step anyway.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl RoomHolds for InMemoryRoomHolds {
    async fn hold(&self, request: &HoldRequest) -> Result<Option<Hold>> {
        request.validate()?;
        let stay = StayKey::of_request(request);
        let now_ms = self.now_ms();
        let mut state = self.lock();

        if let Some(stored) = state.stays.get(&stay)
            && now_ms < stored.expires_ms
        {
            return Ok(Some(stay.hold(stored)));
        }
        for (night, free_rooms) in &request.free_rooms {
            let live = state.live_count(&stay.night(*night), now_ms);
            if u32::try_from(live).unwrap_or(u32::MAX) >= *free_rooms {
                return Ok(None);
            }
        }

        let stored = Stored {
            id: new_token(),
            expires_ms: expiry_millis(now_ms, request.ttl),
            extensions: 0,
        };
        let hold = stay.hold(&stored);
        state.put_nights(&stay, &stored.id, stored.expires_ms);
        if let Some(lapsed) = state.stays.insert(stay.clone(), stored) {
            state.remove_nights(&stay, &lapsed.id);
        }
        state.sweep_if_due(now_ms);
        Ok(Some(hold))
    }

    async fn extend(&self, hold: &Hold, ttl: Duration) -> Result<ExtendOutcome> {
        let stay = StayKey::of_hold(hold);
        let now_ms = self.now_ms();
        let mut state = self.lock();
        let Some(stored) = state.live_mut(&stay, &hold.id, now_ms) else {
            return Ok(ExtendOutcome::NotHeld);
        };
        if stored.extensions >= self.max_extensions {
            return Ok(ExtendOutcome::LimitReached(stay.hold(stored)));
        }
        stored.expires_ms = expiry_millis(now_ms, ttl);
        stored.extensions = stored.extensions.saturating_add(1);
        let extended = stay.hold(stored);
        state.put_nights(&stay, &hold.id, extended.expires_at.timestamp_millis());
        Ok(ExtendOutcome::Extended(extended))
    }

    async fn release(&self, hold: &Hold) -> Result<bool> {
        let stay = StayKey::of_hold(hold);
        let now_ms = self.now_ms();
        let mut state = self.lock();
        match state.stays.get(&stay) {
            Some(stored) if stored.id == hold.id => {
                let live = now_ms < stored.expires_ms;
                state.stays.remove(&stay);
                state.remove_nights(&stay, &hold.id);
                Ok(live)
            }
            _ => Ok(false),
        }
    }

    async fn get(&self, hold: &Hold) -> Result<Option<Hold>> {
        let stay = StayKey::of_hold(hold);
        let now_ms = self.now_ms();
        let mut state = self.lock();
        Ok(state
            .live_mut(&stay, &hold.id, now_ms)
            .map(|stored| stay.hold(stored)))
    }

    async fn count(&self, scope: &str, room_type: &str, night: NaiveDate) -> Result<u32> {
        let key = NightKey {
            scope: scope.to_owned(),
            room_type: room_type.to_owned(),
            night,
        };
        let now_ms = self.now_ms();
        let state = self.lock();
        let live = state.nights.get(&key).map_or(0, |holds| {
            holds
                .values()
                .filter(|expires_ms| now_ms < **expires_ms)
                .count()
        });
        Ok(u32::try_from(live).unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeZone, Utc};
    use hotel_domain::ManualClock;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    fn night(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    #[tokio::test]
    async fn expired_holds_are_swept_from_both_maps() {
        let clock = Arc::new(ManualClock::new(start()));
        let holds = InMemoryRoomHolds::new(clock.clone());
        let ttl = Duration::from_secs(60);
        for i in 0..MIN_SWEEP_LEN - 1 {
            let request = HoldRequest::new("h1", "DBL", format!("guest-{i}"), ttl)
                .nights([night(1), night(2)], 1_000);
            holds.hold(&request).await.unwrap().unwrap();
        }
        assert_eq!(holds.lock().stays.len(), MIN_SWEEP_LEN - 1);

        clock.advance(chrono::Duration::seconds(61));
        let survivor = HoldRequest::new("h1", "SGL", "last", ttl).night(night(3), 1);
        holds.hold(&survivor).await.unwrap().unwrap();

        let state = holds.lock();
        assert_eq!(state.stays.len(), 1, "expired stays were swept");
        assert_eq!(state.nights.len(), 1, "and so were their nights");
        assert_eq!(state.sweep_at_len, MIN_SWEEP_LEN);
    }

    #[tokio::test]
    async fn a_lapsed_hold_taken_again_leaves_no_trace_on_its_nights() {
        let clock = Arc::new(ManualClock::new(start()));
        let holds = InMemoryRoomHolds::new(clock.clone());
        let request =
            HoldRequest::new("h1", "DBL", "guest", Duration::from_secs(60)).night(night(1), 5);
        let first = holds.hold(&request).await.unwrap().unwrap();
        clock.advance(chrono::Duration::seconds(60));
        let second = holds.hold(&request).await.unwrap().unwrap();
        assert_ne!(first.id, second.id);

        let state = holds.lock();
        let on_night = &state.nights[&StayKey::of_request(&request).night(night(1))];
        assert_eq!(on_night.keys().collect::<Vec<_>>(), vec![&second.id]);
    }

    #[tokio::test]
    async fn the_extension_limit_is_configurable() {
        let holds =
            InMemoryRoomHolds::new(Arc::new(ManualClock::new(start()))).with_max_extensions(0);
        let request =
            HoldRequest::new("h1", "DBL", "guest", Duration::from_secs(60)).night(night(1), 1);
        let hold = holds.hold(&request).await.unwrap().unwrap();
        assert_eq!(
            holds.extend(&hold, Duration::from_secs(60)).await.unwrap(),
            ExtendOutcome::LimitReached(hold)
        );
    }
}
