//! The embedded session store: conversation state in memory, written through to the database so a
//! restart loses no conversation. Used when no Redis is configured (one process owns the state).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotel_domain::Clock;
use hotel_sessions::{Result, Session, SessionError, SessionKey, SessionStore, Versioned};
use hotel_store::Store;

/// Sessions kept in memory at most; older ones are reloaded from the database when needed.
const MAX_CACHED: usize = 50_000;
/// How long a session loaded from the database stays cached before it is read again.
const RELOAD_AFTER: chrono::Duration = chrono::Duration::hours(1);

#[derive(Debug, Clone)]
struct Entry {
    version: u64,
    session: Session,
    expires_at: DateTime<Utc>,
}

/// In-memory sessions with compare-and-set, persisted to the `conversation_sessions` table.
#[derive(Debug)]
pub struct WriteThroughSessionStore {
    cache: Mutex<HashMap<SessionKey, Entry>>,
    store: Store,
    clock: Arc<dyn Clock>,
}

fn backend(error: impl std::fmt::Display) -> SessionError {
    SessionError::Backend(error.to_string())
}

impl WriteThroughSessionStore {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self {
            cache: Mutex::new(HashMap::new()),
            store,
            clock,
        }
    }

    fn cached(&self, key: &SessionKey, now: DateTime<Utc>) -> Option<Entry> {
        let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.get(key).filter(|e| e.expires_at > now).cloned()
    }
}

#[async_trait]
impl SessionStore for WriteThroughSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<Versioned<Session>>> {
        let now = self.clock.now();
        if let Some(entry) = self.cached(key, now) {
            return Ok(Some(Versioned {
                version: entry.version,
                value: entry.session,
            }));
        }
        let Some((version, data)) = self
            .store
            .load_session(&key.tenant, &key.guest, now)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let session: Session = serde_json::from_str(&data)?;
        let version = u64::try_from(version).map_err(backend)?;
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        // Another task may have loaded or saved it meanwhile: the cache wins.
        let entry = cache.entry(key.clone()).or_insert(Entry {
            version,
            session,
            expires_at: now + RELOAD_AFTER,
        });
        Ok(Some(Versioned {
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
        // The database may hold a session this process has not loaded yet.
        if expected.is_some() && self.cached(key, now).is_none() {
            self.load(key).await?;
        }
        let expires_at = now + chrono::Duration::from_std(ttl).map_err(backend)?;
        let version = {
            let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            let actual = cache
                .get(key)
                .filter(|e| e.expires_at > now)
                .map(|e| e.version);
            if actual != expected {
                return Err(SessionError::Conflict { expected, actual });
            }
            let version = actual.unwrap_or(0) + 1;
            if cache.len() >= MAX_CACHED && !cache.contains_key(key) {
                // The database holds every session: evicting only costs a reload.
                cache.retain(|_, e| e.expires_at > now);
                if cache.len() >= MAX_CACHED {
                    cache.clear();
                }
            }
            cache.insert(
                key.clone(),
                Entry {
                    version,
                    session: session.clone(),
                    expires_at,
                },
            );
            version
        };
        let data = serde_json::to_string(session)?;
        let stored_version = i64::try_from(version).map_err(backend)?;
        self.store
            .store_session(&key.tenant, &key.guest, stored_version, &data, expires_at)
            .await
            .map_err(backend)?;
        Ok(version)
    }

    async fn delete(&self, key: &SessionKey) -> Result<()> {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key);
        // An expired row is never loaded; storing one that expired at once deletes it in effect.
        let gone = self.clock.now() - chrono::Duration::seconds(1);
        self.store
            .store_session(&key.tenant, &key.guest, 0, "{}", gone)
            .await
            .map_err(backend)
    }

    async fn ping(&self) -> Result<()> {
        self.store.ping().await.map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use hotel_domain::{Language, ManualClock, TenantId, WaId};
    use hotel_store::Backend;
    use hotel_store::testing::test_store;

    fn key(guest: &str) -> SessionKey {
        SessionKey::new(TenantId::new("default"), WaId::new(guest))
    }

    fn session(state: &str) -> Session {
        Session {
            language: Some(Language::Pt),
            state: state.to_owned(),
            ..Session::default()
        }
    }

    async fn seeded_store(backend: Backend) -> hotel_store::testing::TestStore {
        let db = test_store(backend).await;
        let tenant = hotel_store::NewTenant {
            id: TenantId::new("default"),
            name: "Demo".into(),
            phone_number_id: None,
            timezone: "UTC".into(),
            default_language: Language::Es,
        };
        db.store.upsert_tenant(&tenant, Utc::now()).await.unwrap();
        db
    }

    #[tokio::test]
    async fn compare_and_set_and_survival_across_restarts() {
        let db = seeded_store(Backend::Sqlite).await;
        let start = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        let clock = Arc::new(ManualClock::new(start));
        let sessions = WriteThroughSessionStore::new(db.store.clone(), clock.clone());
        let ttl = Duration::from_secs(3600);
        assert!(sessions.load(&key("a")).await.unwrap().is_none());
        assert_eq!(
            sessions
                .save(&key("a"), &session("one"), None, ttl)
                .await
                .unwrap(),
            1
        );
        assert!(matches!(
            sessions.save(&key("a"), &session("x"), None, ttl).await,
            Err(SessionError::Conflict {
                expected: None,
                actual: Some(1)
            })
        ));
        assert_eq!(
            sessions
                .save(&key("a"), &session("two"), Some(1), ttl)
                .await
                .unwrap(),
            2
        );
        assert!(
            sessions
                .save(&key("a"), &session("x"), Some(1), ttl)
                .await
                .is_err()
        );

        // A new process on the same database sees the conversation and its version.
        let restarted = WriteThroughSessionStore::new(db.store.clone(), clock.clone());
        let loaded = restarted.load(&key("a")).await.unwrap().unwrap();
        assert_eq!((loaded.version, loaded.value.state.as_str()), (2, "two"));
        assert_eq!(loaded.value.language, Some(Language::Pt));
        // Saving without loading first still checks the stored version.
        let fresh = WriteThroughSessionStore::new(db.store.clone(), clock.clone());
        assert!(
            fresh
                .save(&key("a"), &session("x"), Some(1), ttl)
                .await
                .is_err()
        );
        assert_eq!(
            fresh
                .save(&key("a"), &session("three"), Some(2), ttl)
                .await
                .unwrap(),
            3
        );

        // Expiry follows the injected clock, in memory and in the database.
        clock.advance(chrono::Duration::seconds(3601));
        assert!(fresh.load(&key("a")).await.unwrap().is_none());
        assert!(
            WriteThroughSessionStore::new(db.store.clone(), clock.clone())
                .load(&key("a"))
                .await
                .unwrap()
                .is_none()
        );

        sessions
            .save(&key("b"), &session("b"), None, ttl)
            .await
            .unwrap();
        sessions.delete(&key("b")).await.unwrap();
        assert!(sessions.load(&key("b")).await.unwrap().is_none());
        let other = WriteThroughSessionStore::new(db.store.clone(), clock);
        assert!(other.load(&key("b")).await.unwrap().is_none());
        sessions.ping().await.unwrap();
    }
}
