//! Test doubles: a session store that can lose compare-and-set races on demand, and an NLU
//! wrapper that records the contexts it was asked with.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use hotel_domain::Language;
use hotel_nlp::{Entities, Intent, Nlu, NluContext, NluResult};
use hotel_sessions::{
    Result, Session, SessionError, SessionKey, SessionStore, Turn, TurnRole, Versioned,
};

/// An in-test [`SessionStore`]: versions start at 1; TTLs are recorded, not enforced.
#[derive(Debug, Default)]
pub struct FakeSessionStore {
    state: Mutex<FakeState>,
}

#[derive(Debug, Default)]
struct FakeState {
    entries: HashMap<String, Versioned<Session>>,
    /// Saves still to lose to a simulated concurrent writer.
    conflicts_to_inject: u32,
    saves: u32,
    last_ttl: Option<Duration>,
}

impl FakeSessionStore {
    /// The next `n` saves find that a staff member wrote to the session meanwhile and fail with
    /// [`SessionError::Conflict`].
    pub fn lose_next_saves(&self, n: u32) {
        self.lock().conflicts_to_inject = n;
    }

    /// The stored session of `key`.
    pub fn stored(&self, key: &SessionKey) -> Option<Versioned<Session>> {
        self.lock().entries.get(&key.storage_key()).cloned()
    }

    /// How many saves were attempted.
    pub fn saves(&self) -> u32 {
        self.lock().saves
    }

    /// The TTL of the last save.
    pub fn last_ttl(&self) -> Option<Duration> {
        self.lock().last_ttl
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl SessionStore for FakeSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<Versioned<Session>>> {
        Ok(self.lock().entries.get(&key.storage_key()).cloned())
    }

    async fn save(
        &self,
        key: &SessionKey,
        session: &Session,
        expected: Option<u64>,
        ttl: Duration,
    ) -> Result<u64> {
        let mut state = self.lock();
        state.saves += 1;
        state.last_ttl = Some(ttl);
        let storage_key = key.storage_key();
        if state.conflicts_to_inject > 0 {
            state.conflicts_to_inject -= 1;
            let entry = state
                .entries
                .entry(storage_key.clone())
                .or_insert_with(|| Versioned {
                    version: 0,
                    value: Session::default(),
                });
            entry.version += 1;
            entry.value.history.push(Turn {
                role: TurnRole::Staff,
                text: "staff note".into(),
                at: chrono::Utc::now(),
            });
        }
        let actual = state.entries.get(&storage_key).map(|entry| entry.version);
        if actual != expected {
            return Err(SessionError::Conflict { expected, actual });
        }
        let version = actual.unwrap_or(0) + 1;
        state.entries.insert(
            storage_key,
            Versioned {
                version,
                value: session.clone(),
            },
        );
        Ok(version)
    }

    async fn delete(&self, key: &SessionKey) -> Result<()> {
        self.lock().entries.remove(&key.storage_key());
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        Ok(())
    }
}

/// Delegates to another NLU and remembers every context it was asked with.
#[derive(Debug)]
pub struct RecordingNlu {
    inner: Arc<dyn Nlu>,
    contexts: Mutex<Vec<NluContext>>,
}

impl RecordingNlu {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn Nlu>) -> Self {
        Self {
            inner,
            contexts: Mutex::new(Vec::new()),
        }
    }

    /// The contexts so far, oldest first.
    pub fn contexts(&self) -> Vec<NluContext> {
        self.contexts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[async_trait]
impl Nlu for RecordingNlu {
    async fn parse(&self, text: &str, context: &NluContext) -> hotel_nlp::Result<NluResult> {
        self.contexts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(context.clone());
        self.inner.parse(text, context).await
    }
}

/// An NLU that answers from a script: text → (language, intent, confidence) and entities.
#[derive(Debug, Default)]
pub struct ScriptedNlu {
    answers: Mutex<HashMap<String, (Language, Intent, f32)>>,
    entities: Mutex<HashMap<String, Entities>>,
}

impl ScriptedNlu {
    pub fn answer(&self, text: &str, language: Language, intent: Intent, confidence: f32) {
        self.answers
            .lock()
            .expect("not poisoned")
            .insert(text.to_owned(), (language, intent, confidence));
    }

    /// `text` also states `entities`.
    pub fn entities(&self, text: &str, entities: Entities) {
        self.entities
            .lock()
            .expect("not poisoned")
            .insert(text.to_owned(), entities);
    }
}

#[async_trait]
impl Nlu for ScriptedNlu {
    async fn parse(&self, text: &str, _context: &NluContext) -> hotel_nlp::Result<NluResult> {
        let (language, intent, confidence) = self
            .answers
            .lock()
            .expect("not poisoned")
            .get(text)
            .copied()
            .unwrap_or((Language::Es, Intent::OutOfScope, 0.1));
        let entities = self
            .entities
            .lock()
            .expect("not poisoned")
            .get(text)
            .cloned()
            .unwrap_or_default();
        Ok(NluResult {
            language,
            intent,
            confidence,
            entities,
        })
    }
}
