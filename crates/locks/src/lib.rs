//! Distributed locks with fencing tokens, and once-only claims: the [`LockManager`] trait and its
//! implementations.
//!
//! - [`InMemoryLockManager`]: process-local, TTLs measured by an injected [`hotel_domain::Clock`]
//!   (development and tests).
//! - [`RedisLockManager`]: shared between processes; `SET NX PX` with a random token, Lua
//!   compare-token scripts for extend and release, `INCR` fencing counters.
//!
//! Room holds, a counting hold of one room per night while a guest pays: the [`RoomHolds`] trait,
//! with [`InMemoryRoomHolds`] and [`RedisRoomHolds`] (one Lua script checks and takes every night
//! atomically). Both take "now" from an injected clock.
//!
//! A [`Lease`]'s `fence` grows with every acquisition of the same key, even across expiry, so a
//! downstream store can reject writes from a holder whose lease has been taken over.
//!
//! Feature `testing`: `hotel_locks::testing`, the room holds suite that every [`RoomHolds`]
//! implementation runs (`room_holds_suite!`).

mod holds;
mod memory;
mod redis_manager;
#[cfg(feature = "testing")]
pub mod testing;

use std::time::Duration;

use async_trait::async_trait;

pub use holds::{
    ExtendOutcome, Hold, HoldRequest, InMemoryRoomHolds, MAX_HOLD_EXTENSIONS, RedisRoomHolds,
    RoomHolds,
};
pub use memory::InMemoryLockManager;
pub use redis_manager::{RedisLockManager, redis_pool};

/// Errors of a lock manager.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// The backend (Redis) failed or is unreachable.
    #[error("lock backend error: {0}")]
    Backend(String),
    /// A hold request without nights, or with an empty scope, room type or holder.
    #[error("invalid hold request: {0}")]
    InvalidHoldRequest(String),
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, LockError>;

/// A held lock. `token` is random and proves ownership; `fence` increases with every acquisition
/// of the same key (a fencing token for writes downstream).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The name of the mutex.
    pub key: String,
    /// The random token proving ownership.
    pub token: String,
    /// The fencing token: strictly greater than that of every earlier lease of `key`.
    pub fence: u64,
}

/// Mutexes with TTLs and fencing tokens, and once-only claims for deduplication.
#[async_trait]
pub trait LockManager: Send + Sync + std::fmt::Debug {
    /// Tries to take the mutex `key` for `ttl`; None when someone else holds it.
    async fn try_acquire(&self, key: &str, ttl: Duration) -> Result<Option<Lease>>;

    /// Extends a lease we still hold; false when it expired or is held by another token.
    async fn extend(&self, lease: &Lease, ttl: Duration) -> Result<bool>;

    /// Releases a lease we still hold; false when it was no longer ours.
    async fn release(&self, lease: &Lease) -> Result<bool>;

    /// A once-only claim: true for the first caller of `key` within `ttl`, false afterwards (dedup).
    async fn claim_once(&self, key: &str, ttl: Duration) -> Result<bool>;

    /// Checks the backend is reachable.
    async fn ping(&self) -> Result<()>;
}

/// A fresh random ownership token (128 random bits, hex).
fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
    }
}
