//! Conversation sessions: the [`SessionStore`] trait and its implementations.

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
    Conflict { expected: Option<u64>, actual: Option<u64> },
    /// The backend (Redis) failed or is unreachable.
    #[error("session backend error: {0}")]
    Backend(String),
    #[error("session (de)serialisation failed: {0}")]
    Serialization(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, SessionError>;

/// Identifies one conversation: a hotel and a guest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionKey {
    pub tenant: TenantId,
    pub guest: WaId,
}

impl SessionKey {
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
    Guest,
    Assistant,
    Staff,
}

/// One line of the conversation history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub role: TurnRole,
    pub text: String,
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
    pub updated_at: Option<DateTime<Utc>>,
}

/// A value with the version it was stored at.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub version: u64,
    pub value: T,
}

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
