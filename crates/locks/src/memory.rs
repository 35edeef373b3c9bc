//! [`InMemoryLockManager`]: locks and claims in process-local maps.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotel_domain::Clock;

use crate::{Lease, LockManager, Result, new_token};

/// Expired locks and claims are swept once a map holds at least this many entries, and then again
/// whenever it has doubled since the last sweep (amortised O(1) per insert).
const MIN_SWEEP_LEN: usize = 64;

/// Locks and claims in process-local maps, with TTLs measured by an injected [`Clock`].
///
/// For development and tests: nothing is shared between processes. Fencing counters are kept per
/// key for the life of the manager and never reset.
#[derive(Debug)]
pub struct InMemoryLockManager {
    clock: Arc<dyn Clock>,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Held locks: key → (token, expiry).
    locks: ExpiringMap<String>,
    /// Once-only claims: key → ((), expiry).
    claims: ExpiringMap<()>,
    /// The last fence handed out per key.
    fences: HashMap<String, u64>,
}

/// A map whose entries stop counting at their expiry, swept lazily.
#[derive(Debug)]
struct ExpiringMap<V> {
    entries: HashMap<String, (V, DateTime<Utc>)>,
    sweep_at_len: usize,
}

impl<V> ExpiringMap<V> {
    fn new() -> Self {
        Self {
            entries: HashMap::new(),
            sweep_at_len: MIN_SWEEP_LEN,
        }
    }

    /// The live value of `key` at `now`.
    fn get_live(&self, key: &str, now: DateTime<Utc>) -> Option<&V> {
        self.entries
            .get(key)
            .filter(|(_, expires_at)| now < *expires_at)
            .map(|(value, _)| value)
    }

    fn get_live_mut(&mut self, key: &str, now: DateTime<Utc>) -> Option<&mut (V, DateTime<Utc>)> {
        self.entries
            .get_mut(key)
            .filter(|(_, expires_at)| now < *expires_at)
    }

    fn insert(&mut self, key: &str, value: V, expires_at: DateTime<Utc>, now: DateTime<Utc>) {
        self.entries.insert(key.to_owned(), (value, expires_at));
        if self.entries.len() >= self.sweep_at_len {
            self.entries.retain(|_, (_, expires_at)| now < *expires_at);
            self.sweep_at_len = (self.entries.len() * 2).max(MIN_SWEEP_LEN);
        }
    }
}

/// `now + ttl`, saturating at the largest representable instant.
fn expiry(now: DateTime<Utc>, ttl: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(ttl)
        .ok()
        .and_then(|ttl| now.checked_add_signed(ttl))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl InMemoryLockManager {
    /// A manager with no locks, claims or fences, whose TTLs are measured by `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            state: Mutex::new(State {
                locks: ExpiringMap::new(),
                claims: ExpiringMap::new(),
                fences: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // No code panics while holding the lock, and the maps are valid at every step anyway.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl LockManager for InMemoryLockManager {
    async fn try_acquire(&self, key: &str, ttl: Duration) -> Result<Option<Lease>> {
        let now = self.clock.now();
        let mut state = self.lock();
        if state.locks.get_live(key, now).is_some() {
            return Ok(None);
        }
        let fence = state.fences.entry(key.to_owned()).or_insert(0);
        *fence = fence.saturating_add(1);
        let lease = Lease {
            key: key.to_owned(),
            token: new_token(),
            fence: *fence,
        };
        state
            .locks
            .insert(key, lease.token.clone(), expiry(now, ttl), now);
        Ok(Some(lease))
    }

    async fn extend(&self, lease: &Lease, ttl: Duration) -> Result<bool> {
        let now = self.clock.now();
        let mut state = self.lock();
        match state.locks.get_live_mut(&lease.key, now) {
            Some((token, expires_at)) if *token == lease.token => {
                *expires_at = expiry(now, ttl);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn release(&self, lease: &Lease) -> Result<bool> {
        let now = self.clock.now();
        let mut state = self.lock();
        if state.locks.get_live(&lease.key, now) == Some(&lease.token) {
            state.locks.entries.remove(&lease.key);
            Ok(true)
        } else {
            Ok(false)
        }
    }

    async fn claim_once(&self, key: &str, ttl: Duration) -> Result<bool> {
        let now = self.clock.now();
        let mut state = self.lock();
        if state.claims.get_live(key, now).is_some() {
            return Ok(false);
        }
        state.claims.insert(key, (), expiry(now, ttl), now);
        Ok(true)
    }

    async fn ping(&self) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use hotel_domain::ManualClock;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    #[test]
    fn expiry_saturates_instead_of_overflowing() {
        assert_eq!(expiry(start(), Duration::MAX), DateTime::<Utc>::MAX_UTC);
    }

    #[tokio::test]
    async fn a_lease_expires_exactly_at_its_ttl() {
        let clock = Arc::new(ManualClock::new(start()));
        let locks = InMemoryLockManager::new(clock.clone());
        let lease = locks
            .try_acquire("k", Duration::from_secs(10))
            .await
            .unwrap()
            .unwrap();

        clock.advance(chrono::Duration::seconds(10) - chrono::Duration::milliseconds(1));
        assert_eq!(
            locks
                .try_acquire("k", Duration::from_secs(10))
                .await
                .unwrap(),
            None
        );
        clock.advance(chrono::Duration::milliseconds(1));
        assert!(!locks.extend(&lease, Duration::from_secs(10)).await.unwrap());
        assert!(
            locks
                .try_acquire("k", Duration::from_secs(10))
                .await
                .unwrap()
                .is_some()
        );
    }

    #[tokio::test]
    async fn fences_survive_the_sweep_of_expired_locks() {
        let clock = Arc::new(ManualClock::new(start()));
        let locks = InMemoryLockManager::new(clock.clone());
        let ttl = Duration::from_secs(1);
        let first = locks.try_acquire("k", ttl).await.unwrap().unwrap();
        for i in 0..MIN_SWEEP_LEN - 2 {
            locks
                .try_acquire(&format!("other-{i}"), ttl)
                .await
                .unwrap()
                .unwrap();
        }
        assert_eq!(locks.lock().locks.entries.len(), MIN_SWEEP_LEN - 1);
        clock.advance(chrono::Duration::seconds(2));
        locks
            .try_acquire("trigger-sweep", ttl)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            locks.lock().locks.entries.len(),
            1,
            "expired locks were swept"
        );

        let second = locks.try_acquire("k", ttl).await.unwrap().unwrap();
        assert_eq!(second.fence, first.fence + 1);
    }

    #[tokio::test]
    async fn claims_are_separate_from_locks() {
        let locks = InMemoryLockManager::new(Arc::new(ManualClock::new(start())));
        let ttl = Duration::from_secs(60);
        assert!(locks.claim_once("k", ttl).await.unwrap());
        assert!(locks.try_acquire("k", ttl).await.unwrap().is_some());
        assert!(!locks.claim_once("k", ttl).await.unwrap());
    }
}
