//! [`RedisSessionStore`]: sessions in Redis, updated by compare-and-set.

use std::time::Duration;

use async_trait::async_trait;
use deadpool_redis::redis::{self, Script};
use deadpool_redis::{Config, Pool, Runtime};

use crate::{Result, Session, SessionError, SessionKey, SessionStore, Versioned};

/// The compare-and-set: stores the session only if the stored version is `ARGV[1]` (`""`: the
/// session must be absent), then bumps the version and resets the TTL, all atomically.
///
/// KEYS[1]: the session hash. ARGV: expected version, session JSON, TTL in milliseconds.
/// Returns `{"ok", new version}` or `{"conflict", stored version or ""}`.
const SAVE_SCRIPT: &str = r#"
local current = redis.call('HGET', KEYS[1], 'v')
if current == false then current = '' end
if current ~= ARGV[1] then
  return {'conflict', current}
end
redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 's', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {'ok', redis.call('HGET', KEYS[1], 'v')}
"#;

/// The largest TTL sent to Redis (about 73 million years): larger ones would overflow Redis's
/// absolute expiry time and be rejected.
const MAX_TTL_MS: u64 = 1 << 61;

/// Creates a Redis connection pool for `url` (e.g. `redis://127.0.0.1:6379`) on the Tokio runtime.
///
/// No connection is made yet: an unreachable server shows up on first use (or [`SessionStore::ping`]).
pub fn redis_pool(url: &str) -> Result<Pool> {
    Config::from_url(url)
        .create_pool(Some(Runtime::Tokio1))
        .map_err(|err| SessionError::Backend(format!("cannot create the Redis pool: {err}")))
}

/// `ttl` in whole milliseconds for `PX`/`PEXPIRE`: at least 1 (Redis rejects 0), at most
/// [`MAX_TTL_MS`].
pub(crate) fn ttl_millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis())
        .unwrap_or(u64::MAX)
        .clamp(1, MAX_TTL_MS)
}

/// Sessions in Redis, shared by every process that uses the same server and prefix.
///
/// Each session is a hash under `{prefix}session:{tenant}:{guest}` with the fields `v` (the
/// version) and `s` (the session as JSON), expiring after the TTL of its last save (`PEXPIRE`,
/// millisecond precision, at least 1 ms). [`SessionStore::save`] is one Lua script, so concurrent
/// writers from the same version cannot both win.
pub struct RedisSessionStore {
    pool: Pool,
    prefix: String,
    save_script: Script,
}

impl std::fmt::Debug for RedisSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisSessionStore")
            .field("prefix", &self.prefix)
            .field("pool", &self.pool.status())
            .finish_non_exhaustive()
    }
}

impl RedisSessionStore {
    /// A store using connections from `pool` and keys starting with `prefix` (e.g. `hotel:`).
    pub fn new(pool: Pool, prefix: impl Into<String>) -> Self {
        Self {
            pool,
            prefix: prefix.into(),
            save_script: Script::new(SAVE_SCRIPT),
        }
    }

    /// The Redis key of a session: `{prefix}session:{tenant}:{guest}`.
    fn redis_key(&self, key: &SessionKey) -> String {
        format!("{}session:{}", self.prefix, key.storage_key())
    }

    async fn connection(&self) -> Result<deadpool_redis::Connection> {
        self.pool
            .get()
            .await
            .map_err(|err| SessionError::Backend(format!("no Redis connection: {err}")))
    }
}

fn backend(operation: &str) -> impl FnOnce(redis::RedisError) -> SessionError + '_ {
    move |err| SessionError::Backend(format!("Redis {operation} failed: {err}"))
}

fn parse_version(raw: &str) -> Result<u64> {
    raw.parse()
        .map_err(|_| SessionError::Backend(format!("corrupt session version `{raw}` in Redis")))
}

/// Parses the stored version of a conflict reply: `""` means absent.
fn parse_optional_version(raw: &str) -> Result<Option<u64>> {
    if raw.is_empty() {
        Ok(None)
    } else {
        parse_version(raw).map(Some)
    }
}

#[async_trait]
impl SessionStore for RedisSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<Versioned<Session>>> {
        let mut conn = self.connection().await?;
        let (version, json): (Option<String>, Option<String>) = redis::cmd("HMGET")
            .arg(self.redis_key(key))
            .arg("v")
            .arg("s")
            .query_async(&mut conn)
            .await
            .map_err(backend("HMGET"))?;
        match (version, json) {
            (Some(version), Some(json)) => Ok(Some(Versioned {
                version: parse_version(&version)?,
                value: serde_json::from_str(&json)?,
            })),
            (None, None) => Ok(None),
            _ => Err(SessionError::Backend(
                "corrupt session in Redis: version or body missing".to_owned(),
            )),
        }
    }

    async fn save(
        &self,
        key: &SessionKey,
        session: &Session,
        expected: Option<u64>,
        ttl: Duration,
    ) -> Result<u64> {
        let json = serde_json::to_string(session)?;
        let expected_arg = expected.map(|v| v.to_string()).unwrap_or_default();
        let mut conn = self.connection().await?;
        let (outcome, version): (String, String) = self
            .save_script
            .key(self.redis_key(key))
            .arg(expected_arg)
            .arg(json)
            .arg(ttl_millis(ttl))
            .invoke_async(&mut conn)
            .await
            .map_err(backend("session save script"))?;
        match outcome.as_str() {
            "ok" => parse_version(&version),
            "conflict" => Err(SessionError::Conflict {
                expected,
                actual: parse_optional_version(&version)?,
            }),
            other => Err(SessionError::Backend(format!(
                "unexpected reply `{other}` from the session save script"
            ))),
        }
    }

    async fn delete(&self, key: &SessionKey) -> Result<()> {
        let mut conn = self.connection().await?;
        let _removed: u64 = redis::cmd("DEL")
            .arg(self.redis_key(key))
            .query_async(&mut conn)
            .await
            .map_err(backend("DEL"))?;
        Ok(())
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
    use hotel_domain::{TenantId, WaId};

    #[test]
    fn ttl_is_clamped_to_what_redis_accepts() {
        assert_eq!(ttl_millis(Duration::ZERO), 1);
        assert_eq!(ttl_millis(Duration::from_micros(999)), 1);
        assert_eq!(ttl_millis(Duration::from_millis(1500)), 1500);
        assert_eq!(ttl_millis(Duration::MAX), MAX_TTL_MS);
    }

    #[test]
    fn keys_follow_the_documented_layout() {
        let pool = redis_pool("redis://127.0.0.1:1").unwrap();
        let store = RedisSessionStore::new(pool, "hotel:");
        let key = SessionKey::new(TenantId::new("t1"), WaId::new("34600111222"));
        assert_eq!(store.redis_key(&key), "hotel:session:t1:34600111222");
    }

    #[test]
    fn conflict_replies_parse_absent_and_present_versions() {
        assert_eq!(parse_optional_version("").unwrap(), None);
        assert_eq!(parse_optional_version("7").unwrap(), Some(7));
        assert!(matches!(
            parse_optional_version("x"),
            Err(SessionError::Backend(_))
        ));
    }

    #[test]
    fn a_malformed_url_is_a_backend_error() {
        assert!(matches!(
            redis_pool("not a url"),
            Err(SessionError::Backend(_))
        ));
    }

    #[tokio::test]
    async fn an_unreachable_server_is_a_backend_error() {
        // Port 1 is never a Redis server; the connection is refused.
        let store = RedisSessionStore::new(redis_pool("redis://127.0.0.1:1").unwrap(), "x:");
        assert!(matches!(store.ping().await, Err(SessionError::Backend(_))));
    }
}
