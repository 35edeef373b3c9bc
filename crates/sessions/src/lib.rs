//! Conversation sessions: the [`SessionStore`] trait and its implementations.
//!
//! - [`InMemorySessionStore`]: a process-local map with TTLs measured by an injected
//!   [`hotel_domain::Clock`] (development and tests).
//! - [`RedisSessionStore`]: sessions shared between processes, stored in Redis with `PX` TTLs and
//!   compare-and-set updates done atomically by a Lua script.
//!
//! Versions start at 1 for a new session and increase by 1 on every successful
//! [`SessionStore::save`]. An expired session behaves exactly like an absent one (its version
//! restarts at 1).

mod memory;
mod redis_store;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotel_domain::{Language, TenantId, WaId};
use serde::{Deserialize, Serialize};

/// Errors of a session store.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// A compare-and-set update lost the race: the stored version is not the expected one.
    #[error("session version conflict: expected {expected:?}, found {actual:?}")]
    Conflict {
        /// The version the caller expected (`None`: the session should not exist).
        expected: Option<u64>,
        /// The version actually stored (`None`: absent or expired).
        actual: Option<u64>,
    },
    /// The backend (Redis) failed or is unreachable.
    #[error("session backend error: {0}")]
    Backend(String),
    /// A session could not be encoded or decoded as JSON.
    #[error("session (de)serialisation failed: {0}")]
    Serialization(#[from] serde_json::Error),
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, SessionError>;

/// Identifies one conversation: a hotel and a guest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionKey {
    /// The hotel.
    pub tenant: TenantId,
    /// The guest's WhatsApp id.
    pub guest: WaId,
}

impl SessionKey {
    /// A key for `guest` at hotel `tenant`.
    pub fn new(tenant: TenantId, guest: WaId) -> Self {
        Self { tenant, guest }
    }

    /// The storage key, `{tenant}:{guest}`.
    pub fn storage_key(&self) -> String {
        format!("{}:{}", self.tenant, self.guest)
    }
}

/// Who said a line of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnRole {
    /// The guest.
    Guest,
    /// The assistant (this service).
    Assistant,
    /// A member of the hotel staff who took over.
    Staff,
}

/// One line of the conversation history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// Who said it.
    pub role: TurnRole,
    /// What was said.
    pub text: String,
    /// When it was said.
    pub at: DateTime<Utc>,
}

/// The state of one conversation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Session {
    /// The guest's language so far.
    pub language: Option<Language>,
    /// The conversation state machine's state name (e.g. `idle`).
    pub state: String,
    /// Slots and other per-conversation data.
    #[serde(default)]
    pub data: serde_json::Map<String, serde_json::Value>,
    /// The most recent turns, oldest first.
    #[serde(default)]
    pub history: Vec<Turn>,
    /// When the session was last changed, as set by the caller.
    pub updated_at: Option<DateTime<Utc>>,
}

/// A value with the version it was stored at.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    /// The version, 1 for the first save.
    pub version: u64,
    /// The stored value.
    pub value: T,
}

pub use memory::InMemorySessionStore;
pub use redis_store::{RedisSessionStore, redis_pool};

/// Stores conversation sessions with a TTL and compare-and-set updates.
#[async_trait]
pub trait SessionStore: Send + Sync + std::fmt::Debug {
    /// Loads a session, `None` when absent or expired.
    async fn load(&self, key: &SessionKey) -> Result<Option<Versioned<Session>>>;

    /// Stores a session if the stored version is `expected` (`None`: the session must not exist),
    /// and returns the new version. Otherwise fails with [`SessionError::Conflict`].
    async fn save(
        &self,
        key: &SessionKey,
        session: &Session,
        expected: Option<u64>,
        ttl: Duration,
    ) -> Result<u64>;

    /// Removes a session (no error when absent).
    async fn delete(&self, key: &SessionKey) -> Result<()>;

    /// Checks the backend is reachable.
    async fn ping(&self) -> Result<()>;
}
