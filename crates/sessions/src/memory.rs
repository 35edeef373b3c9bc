//! [`InMemorySessionStore`]: sessions in a process-local map.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotel_domain::Clock;

use crate::{Result, Session, SessionError, SessionKey, SessionStore, Versioned};

/// The map is swept of expired entries once it holds at least this many entries, and then again
/// whenever it has doubled since the last sweep (amortised O(1) per save).
const MIN_SWEEP_LEN: usize = 64;

/// Sessions in a process-local map, with TTLs measured by an injected [`Clock`].
///
/// For development and tests: nothing is shared between processes. An entry whose TTL has passed
/// (by the clock) behaves as absent, and expired entries are swept lazily on save.
#[derive(Debug)]
pub struct InMemorySessionStore {
    clock: Arc<dyn Clock>,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    entries: HashMap<SessionKey, Entry>,
    sweep_at_len: usize,
}

#[derive(Debug, Clone)]
struct Entry {
    version: u64,
    session: Session,
    expires_at: DateTime<Utc>,
}

impl Entry {
    fn is_live(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at
    }
}

impl InMemorySessionStore {
    /// An empty store whose TTLs are measured by `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            state: Mutex::new(State {
                entries: HashMap::new(),
                sweep_at_len: MIN_SWEEP_LEN,
            }),
        }
    }

    /// The number of entries held, expired or not (for tests of the sweeping).
    #[cfg(test)]
    fn stored_len(&self) -> usize {
        self.lock().entries.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // No code panics while holding the lock, and the map is valid at every step anyway.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `now + ttl`, saturating at the largest representable instant.
fn expiry(now: DateTime<Utc>, ttl: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(ttl)
        .ok()
        .and_then(|ttl| now.checked_add_signed(ttl))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[async_trait]
impl SessionStore for InMemorySessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<Versioned<Session>>> {
        let now = self.clock.now();
        let state = self.lock();
        Ok(state
            .entries
            .get(key)
            .filter(|entry| entry.is_live(now))
            .map(|entry| Versioned {
                version: entry.version,
                value: entry.session.clone(),
            }))
    }

    async fn save(
        &self,
        key: &SessionKey,
        session: &Session,
        expected: Option<u64>,
        ttl: Duration,
    ) -> Result<u64> {
        let now = self.clock.now();
        let mut state = self.lock();
        let actual = state
            .entries
            .get(key)
            .filter(|entry| entry.is_live(now))
            .map(|entry| entry.version);
        if actual != expected {
            return Err(SessionError::Conflict { expected, actual });
        }
        let version = actual.map_or(1, |v| v.saturating_add(1));
        state.entries.insert(
            key.clone(),
            Entry {
                version,
                session: session.clone(),
                expires_at: expiry(now, ttl),
            },
        );
        if state.entries.len() >= state.sweep_at_len {
            state.entries.retain(|_, entry| entry.is_live(now));
            state.sweep_at_len = (state.entries.len() * 2).max(MIN_SWEEP_LEN);
        }
        Ok(version)
    }

    async fn delete(&self, key: &SessionKey) -> Result<()> {
        self.lock().entries.remove(key);
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use hotel_domain::{ManualClock, TenantId, WaId};

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    fn key(guest: &str) -> SessionKey {
        SessionKey::new(TenantId::new("hotel-1"), WaId::new(guest))
    }

    #[test]
    fn expiry_saturates_instead_of_overflowing() {
        assert_eq!(expiry(start(), Duration::MAX), DateTime::<Utc>::MAX_UTC);
        assert_eq!(
            expiry(start(), Duration::from_secs(90)),
            start() + chrono::Duration::seconds(90)
        );
    }

    #[tokio::test]
    async fn an_entry_expires_exactly_at_its_ttl() {
        let clock = Arc::new(ManualClock::new(start()));
        let store = InMemorySessionStore::new(clock.clone());
        let ttl = Duration::from_secs(60);
        store
            .save(&key("a"), &Session::default(), None, ttl)
            .await
            .unwrap();

        clock.advance(chrono::Duration::seconds(60) - chrono::Duration::milliseconds(1));
        assert!(store.load(&key("a")).await.unwrap().is_some());
        clock.advance(chrono::Duration::milliseconds(1));
        assert!(store.load(&key("a")).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_zero_ttl_session_is_never_visible() {
        let store = InMemorySessionStore::new(Arc::new(ManualClock::new(start())));
        let version = store
            .save(&key("a"), &Session::default(), None, Duration::ZERO)
            .await
            .unwrap();
        assert_eq!(version, 1);
        assert!(store.load(&key("a")).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn expired_entries_are_swept_on_save() {
        let clock = Arc::new(ManualClock::new(start()));
        let store = InMemorySessionStore::new(clock.clone());
        let ttl = Duration::from_secs(1);
        for i in 0..MIN_SWEEP_LEN - 1 {
            store
                .save(&key(&i.to_string()), &Session::default(), None, ttl)
                .await
                .unwrap();
        }
        assert_eq!(store.stored_len(), MIN_SWEEP_LEN - 1);

        clock.advance(chrono::Duration::seconds(2));
        store
            .save(&key("fresh"), &Session::default(), None, ttl)
            .await
            .unwrap();
        assert_eq!(
            store.stored_len(),
            1,
            "only the fresh entry survives the sweep"
        );
    }
}
