//! [`RedisLockManager`]: locks, fences and claims in Redis.

use std::time::Duration;

use async_trait::async_trait;
use deadpool_redis::redis::{self, Script};
use deadpool_redis::{Config, Pool, Runtime};

use crate::{Lease, LockError, LockManager, Result, new_token};

/// Takes the lock and, only if that worked, draws the next fence, atomically: a holder can never
/// get a lower fence than a later holder.
///
/// KEYS: lock key, fence key. ARGV: token, TTL in milliseconds. Returns the fence, or 0 when the
/// lock is held.
const ACQUIRE_SCRIPT: &str = r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0
";

/// Resets the TTL only if the lock still holds our token. KEYS: lock key. ARGV: token, TTL ms.
/// Returns 1 when extended, 0 otherwise.
const EXTEND_SCRIPT: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
";

/// Deletes the lock only if it still holds our token. KEYS: lock key. ARGV: token.
/// Returns 1 when released, 0 otherwise.
const RELEASE_SCRIPT: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// The largest TTL sent to Redis (about 73 million years): larger ones would overflow Redis's
/// absolute expiry time and be rejected.
const MAX_TTL_MS: u64 = 1 << 61;

/// Creates a Redis connection pool for `url` (e.g. `redis://127.0.0.1:6379`) on the Tokio runtime.
///
/// No connection is made yet: an unreachable server shows up on first use (or [`LockManager::ping`]).
pub fn redis_pool(url: &str) -> Result<Pool> {
    Config::from_url(url)
        .create_pool(Some(Runtime::Tokio1))
        .map_err(|err| LockError::Backend(format!("cannot create the Redis pool: {err}")))
}

/// `ttl` in whole milliseconds for `PX`/`PEXPIRE`: at least 1 (Redis rejects 0), at most
/// [`MAX_TTL_MS`].
fn ttl_millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis())
        .unwrap_or(u64::MAX)
        .clamp(1, MAX_TTL_MS)
}

/// Locks, fences and claims in Redis, shared by every process using the same server and prefix.
///
/// Keys: `{prefix}lock:{key}` holds the owner's token with a `PX` TTL; `{prefix}fence:{key}` is
/// the fencing counter (`INCR`, no TTL, never reset); `{prefix}claim:{key}` marks a once-only
/// claim (`SET NX PX`). TTLs have millisecond precision and are at least 1 ms.
pub struct RedisLockManager {
    pool: Pool,
    prefix: String,
    acquire_script: Script,
    extend_script: Script,
    release_script: Script,
}

impl std::fmt::Debug for RedisLockManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLockManager")
            .field("prefix", &self.prefix)
            .field("pool", &self.pool.status())
            .finish_non_exhaustive()
    }
}

impl RedisLockManager {
    /// A manager using connections from `pool` and keys starting with `prefix` (e.g. `hotel:`).
    pub fn new(pool: Pool, prefix: impl Into<String>) -> Self {
        Self {
            pool,
            prefix: prefix.into(),
            acquire_script: Script::new(ACQUIRE_SCRIPT),
            extend_script: Script::new(EXTEND_SCRIPT),
            release_script: Script::new(RELEASE_SCRIPT),
        }
    }

    fn lock_key(&self, key: &str) -> String {
        format!("{}lock:{key}", self.prefix)
    }

    fn fence_key(&self, key: &str) -> String {
        format!("{}fence:{key}", self.prefix)
    }

    fn claim_key(&self, key: &str) -> String {
        format!("{}claim:{key}", self.prefix)
    }

    async fn connection(&self) -> Result<deadpool_redis::Connection> {
        self.pool
            .get()
            .await
            .map_err(|err| LockError::Backend(format!("no Redis connection: {err}")))
    }
}

/// Maps a Redis error to [`LockError::Backend`], naming the `operation` that failed.
pub(crate) fn backend(operation: &str) -> impl FnOnce(redis::RedisError) -> LockError + '_ {
    move |err| LockError::Backend(format!("Redis {operation} failed: {err}"))
}

#[async_trait]
impl LockManager for RedisLockManager {
    async fn try_acquire(&self, key: &str, ttl: Duration) -> Result<Option<Lease>> {
        let token = new_token();
        let mut conn = self.connection().await?;
        let fence: u64 = self
            .acquire_script
            .key(self.lock_key(key))
            .key(self.fence_key(key))
            .arg(&token)
            .arg(ttl_millis(ttl))
            .invoke_async(&mut conn)
            .await
            .map_err(backend("lock acquire script"))?;
        Ok((fence > 0).then(|| Lease {
            key: key.to_owned(),
            token,
            fence,
        }))
    }

    async fn extend(&self, lease: &Lease, ttl: Duration) -> Result<bool> {
        let mut conn = self.connection().await?;
        let extended: u8 = self
            .extend_script
            .key(self.lock_key(&lease.key))
            .arg(&lease.token)
            .arg(ttl_millis(ttl))
            .invoke_async(&mut conn)
            .await
            .map_err(backend("lock extend script"))?;
        Ok(extended == 1)
    }

    async fn release(&self, lease: &Lease) -> Result<bool> {
        let mut conn = self.connection().await?;
        let released: u8 = self
            .release_script
            .key(self.lock_key(&lease.key))
            .arg(&lease.token)
            .invoke_async(&mut conn)
            .await
            .map_err(backend("lock release script"))?;
        Ok(released == 1)
    }

    async fn claim_once(&self, key: &str, ttl: Duration) -> Result<bool> {
        let mut conn = self.connection().await?;
        let set: Option<String> = redis::cmd("SET")
            .arg(self.claim_key(key))
            .arg(1)
            .arg("NX")
            .arg("PX")
            .arg(ttl_millis(ttl))
            .query_async(&mut conn)
            .await
            .map_err(backend("SET NX (claim)"))?;
        Ok(set.is_some())
    }

    async fn ping(&self) -> Result<()> {
        let mut conn = self.connection().await?;
        let _pong: String = redis::cmd("PING")
            .query_async(&mut conn)
            .await
            .map_err(backend("PING"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manager() -> RedisLockManager {
        // Port 1 is never a Redis server; nothing here connects except the ping test.
        RedisLockManager::new(redis_pool("redis://127.0.0.1:1").unwrap(), "hotel:")
    }

    #[test]
    fn ttl_is_clamped_to_what_redis_accepts() {
        assert_eq!(ttl_millis(Duration::ZERO), 1);
        assert_eq!(ttl_millis(Duration::from_millis(2500)), 2500);
        assert_eq!(ttl_millis(Duration::MAX), MAX_TTL_MS);
    }

    #[test]
    fn keys_follow_the_documented_layout() {
        let locks = manager();
        assert_eq!(locks.lock_key("booking:42"), "hotel:lock:booking:42");
        assert_eq!(locks.fence_key("booking:42"), "hotel:fence:booking:42");
        assert_eq!(locks.claim_key("wamid.1"), "hotel:claim:wamid.1");
    }

    #[test]
    fn a_malformed_url_is_a_backend_error() {
        assert!(matches!(
            redis_pool("not a url"),
            Err(LockError::Backend(_))
        ));
    }

    #[tokio::test]
    async fn an_unreachable_server_is_a_backend_error() {
        assert!(matches!(manager().ping().await, Err(LockError::Backend(_))));
        let lease = Lease {
            key: "k".to_owned(),
            token: "t".to_owned(),
            fence: 1,
        };
        assert!(matches!(
            manager().release(&lease).await,
            Err(LockError::Backend(_))
        ));
    }
}
