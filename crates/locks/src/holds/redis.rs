//! [`RedisRoomHolds`]: holds in Redis sorted sets, checked and taken by Lua scripts.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use deadpool_redis::Pool;
use deadpool_redis::redis::{self, Script, ScriptInvocation};
use hotel_domain::Clock;

use super::{
    ExtendOutcome, Hold, HoldRequest, MAX_HOLD_EXTENSIONS, RoomHolds, expiry_millis, instant,
};
use crate::redis_manager::backend;
use crate::{LockError, Result, new_token};

/// Keys outlive the last hold they record by this long, so that a small difference between the
/// application's clock and Redis's never deletes a live hold; expiry itself is decided by the
/// scores, against the caller's clock.
const KEY_GRACE_MS: i64 = 10 * 60 * 1000;

/// Takes one room on every night, or nothing.
///
/// KEYS[1]: the stay hash; KEYS[2..]: the night sorted sets, in the order of the nights.
/// ARGV: now (ms), new hold id, expiry (ms), key TTL (ms), then the free rooms of each night.
/// Drops expired members of every night; returns the holder's live hold of this stay if there is
/// one (`held`), else `full` when some night has no room left, else adds the new id to every night
/// with the expiry as score, writes the stay hash and returns it (`new`).
/// Replies: `{status, id, expiry ms, extensions}` or `{'full'}`.
const HOLD_SCRIPT: &str = include_str!("hold.lua");

/// Extends a live hold that has extensions left.
///
/// KEYS as for [`HOLD_SCRIPT`]. ARGV: now (ms), hold id, new expiry (ms), key TTL (ms), maximum
/// extensions. Replies `{'gone'}` when the stay holds another id or has expired,
/// `{'limit', expiry ms, extensions}` when no extension is left, else moves the expiry on the hash
/// and every night and replies `{'extended', expiry ms, extensions}`.
const EXTEND_SCRIPT: &str = include_str!("extend.lua");

/// Removes a hold from its stay and nights if the stay still holds its id (live or lapsed).
///
/// KEYS as for [`HOLD_SCRIPT`]. ARGV: now (ms), hold id. Returns 1 when the hold was live, else 0.
const RELEASE_SCRIPT: &str = include_str!("release.lua");

/// Room holds in Redis, shared by every process using the same server, prefix and (closely
/// agreeing) clocks.
///
/// Keys (`:` and `%` in the scope, room type and holder are written `%3A` and `%25`):
/// - `{prefix}hold:night:{scope}:{room_type}:{night}`: a sorted set of the hold ids on that night,
///   scored by expiry in ms since the epoch;
/// - `{prefix}hold:stay:{scope}:{room_type}:{holder}:{night},{night},…`: a hash of the holder's hold
///   of that stay: `id`, `expires` (ms), `extensions`.
///
/// "Now" is the injected [`Clock`]'s, passed to every script as an argument, never Redis's `TIME`:
/// tests drive expiry with a manual clock exactly as for [`super::InMemoryRoomHolds`]. The
/// processes sharing a server must therefore keep their clocks in step (NTP); a skew of `s` moves
/// expiries by up to `s`. Every key also gets a Redis TTL of the longest remaining hold plus
/// a grace of 10 minutes, so nothing outlives its holds for long.
pub struct RedisRoomHolds {
    pool: Pool,
    prefix: String,
    clock: Arc<dyn Clock>,
    max_extensions: u32,
    hold_script: Script,
    extend_script: Script,
    release_script: Script,
}

impl std::fmt::Debug for RedisRoomHolds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisRoomHolds")
            .field("prefix", &self.prefix)
            .field("max_extensions", &self.max_extensions)
            .field("pool", &self.pool.status())
            .finish_non_exhaustive()
    }
}

/// Escapes the separator `:` (and the escape character `%`) in a key component.
fn escape(component: &str) -> String {
    component.replace('%', "%25").replace(':', "%3A")
}

impl RedisRoomHolds {
    /// Holds in the Redis of `pool` under keys starting with `prefix` (e.g. `hotel:`), timed by
    /// `clock`, with at most [`MAX_HOLD_EXTENSIONS`] extensions each.
    pub fn new(pool: Pool, prefix: impl Into<String>, clock: Arc<dyn Clock>) -> Self {
        Self {
            pool,
            prefix: prefix.into(),
            clock,
            max_extensions: MAX_HOLD_EXTENSIONS,
            hold_script: Script::new(HOLD_SCRIPT),
            extend_script: Script::new(EXTEND_SCRIPT),
            release_script: Script::new(RELEASE_SCRIPT),
        }
    }

    /// Allows `max_extensions` extensions per hold instead of [`MAX_HOLD_EXTENSIONS`].
    #[must_use]
    pub fn with_max_extensions(mut self, max_extensions: u32) -> Self {
        self.max_extensions = max_extensions;
        self
    }

    fn night_key(&self, scope: &str, room_type: &str, night: NaiveDate) -> String {
        format!(
            "{}hold:night:{}:{}:{night}",
            self.prefix,
            escape(scope),
            escape(room_type)
        )
    }

    fn stay_key(&self, scope: &str, room_type: &str, holder: &str, nights: &[NaiveDate]) -> String {
        let nights: Vec<String> = nights.iter().map(NaiveDate::to_string).collect();
        format!(
            "{}hold:stay:{}:{}:{}:{}",
            self.prefix,
            escape(scope),
            escape(room_type),
            escape(holder),
            nights.join(",")
        )
    }

    /// An invocation of `script` with the keys of `hold`'s stay: the hash, then each night.
    fn with_keys<'a>(&self, script: &'a Script, hold: &Hold) -> ScriptInvocation<'a> {
        let mut invocation =
            script.key(self.stay_key(&hold.scope, &hold.room_type, &hold.holder, &hold.nights));
        for night in &hold.nights {
            invocation.key(self.night_key(&hold.scope, &hold.room_type, *night));
        }
        invocation
    }

    fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    async fn connection(&self) -> Result<deadpool_redis::Connection> {
        self.pool
            .get()
            .await
            .map_err(|err| LockError::Backend(format!("no Redis connection: {err}")))
    }
}

/// The Redis TTL of keys recording a hold that expires at `expires_ms`.
fn key_ttl_ms(now_ms: i64, expires_ms: i64) -> i64 {
    expires_ms
        .saturating_sub(now_ms)
        .saturating_add(KEY_GRACE_MS)
}

fn unexpected(script: &str, reply: &[String]) -> LockError {
    LockError::Backend(format!(
        "unexpected reply from the hold {script} script: {reply:?}"
    ))
}

/// `template` with the id, expiry and extensions of a script reply.
fn hold_from(template: &Hold, id: &str, expires_ms: &str, extensions: &str) -> Option<Hold> {
    Some(Hold {
        id: id.to_owned(),
        expires_at: instant(expires_ms.parse().ok()?),
        extensions: extensions.parse().ok()?,
        ..template.clone()
    })
}

#[async_trait]
impl RoomHolds for RedisRoomHolds {
    async fn hold(&self, request: &HoldRequest) -> Result<Option<Hold>> {
        request.validate()?;
        let now_ms = self.now_ms();
        let expires_ms = expiry_millis(now_ms, request.ttl);
        let candidate = Hold {
            id: new_token(),
            scope: request.scope.clone(),
            room_type: request.room_type.clone(),
            holder: request.holder.clone(),
            nights: request.stay(),
            expires_at: instant(expires_ms),
            extensions: 0,
        };
        let mut invocation = self.with_keys(&self.hold_script, &candidate);
        invocation
            .arg(now_ms)
            .arg(&candidate.id)
            .arg(expires_ms)
            .arg(key_ttl_ms(now_ms, expires_ms));
        for free_rooms in request.free_rooms.values() {
            invocation.arg(*free_rooms);
        }
        let mut conn = self.connection().await?;
        let reply: Vec<String> = invocation
            .invoke_async(&mut conn)
            .await
            .map_err(backend("hold script"))?;
        match reply.as_slice() {
            [status] if status == "full" => Ok(None),
            [status, id, expires, extensions] if status == "held" || status == "new" => {
                hold_from(&candidate, id, expires, extensions)
                    .map(Some)
                    .ok_or_else(|| unexpected("take", &reply))
            }
            _ => Err(unexpected("take", &reply)),
        }
    }

    async fn extend(&self, hold: &Hold, ttl: Duration) -> Result<ExtendOutcome> {
        let now_ms = self.now_ms();
        let expires_ms = expiry_millis(now_ms, ttl);
        let mut invocation = self.with_keys(&self.extend_script, hold);
        invocation
            .arg(now_ms)
            .arg(&hold.id)
            .arg(expires_ms)
            .arg(key_ttl_ms(now_ms, expires_ms))
            .arg(self.max_extensions);
        let mut conn = self.connection().await?;
        let reply: Vec<String> = invocation
            .invoke_async(&mut conn)
            .await
            .map_err(backend("hold extend script"))?;
        let current = |expires: &str, extensions: &str| {
            hold_from(hold, &hold.id, expires, extensions)
                .ok_or_else(|| unexpected("extend", &reply))
        };
        match reply.as_slice() {
            [status] if status == "gone" => Ok(ExtendOutcome::NotHeld),
            [status, expires, extensions] if status == "limit" => {
                current(expires, extensions).map(ExtendOutcome::LimitReached)
            }
            [status, expires, extensions] if status == "extended" => {
                current(expires, extensions).map(ExtendOutcome::Extended)
            }
            _ => Err(unexpected("extend", &reply)),
        }
    }

    async fn release(&self, hold: &Hold) -> Result<bool> {
        let mut invocation = self.with_keys(&self.release_script, hold);
        invocation.arg(self.now_ms()).arg(&hold.id);
        let mut conn = self.connection().await?;
        let released: u8 = invocation
            .invoke_async(&mut conn)
            .await
            .map_err(backend("hold release script"))?;
        Ok(released == 1)
    }

    async fn get(&self, hold: &Hold) -> Result<Option<Hold>> {
        let key = self.stay_key(&hold.scope, &hold.room_type, &hold.holder, &hold.nights);
        let now_ms = self.now_ms();
        let mut conn = self.connection().await?;
        let (id, expires, extensions): (Option<String>, Option<i64>, Option<u32>) =
            redis::cmd("HMGET")
                .arg(key)
                .arg("id")
                .arg("expires")
                .arg("extensions")
                .query_async(&mut conn)
                .await
                .map_err(backend("HMGET (hold)"))?;
        Ok(match (id, expires) {
            (Some(id), Some(expires_ms)) if id == hold.id && now_ms < expires_ms => Some(Hold {
                expires_at: instant(expires_ms),
                extensions: extensions.unwrap_or(0),
                ..hold.clone()
            }),
            _ => None,
        })
    }

    async fn count(&self, scope: &str, room_type: &str, night: NaiveDate) -> Result<u32> {
        let mut conn = self.connection().await?;
        let live: u32 = redis::cmd("ZCOUNT")
            .arg(self.night_key(scope, room_type, night))
            .arg(format!("({}", self.now_ms()))
            .arg("+inf")
            .query_async(&mut conn)
            .await
            .map_err(backend("ZCOUNT (holds)"))?;
        Ok(live)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redis_pool;
    use chrono::{TimeZone, Utc};
    use hotel_domain::ManualClock;

    fn holds() -> RedisRoomHolds {
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap(),
        ));
        // Port 1 is never a Redis server; nothing here connects except the error test.
        RedisRoomHolds::new(redis_pool("redis://127.0.0.1:1").unwrap(), "hotel:", clock)
    }

    fn night(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    #[test]
    fn keys_follow_the_documented_layout() {
        let holds = holds();
        assert_eq!(
            holds.night_key("h1", "DBL", night(24)),
            "hotel:hold:night:h1:DBL:2026-12-24"
        );
        assert_eq!(
            holds.stay_key("h1", "DBL", "conv-7", &[night(24), night(25)]),
            "hotel:hold:stay:h1:DBL:conv-7:2026-12-24,2026-12-25"
        );
    }

    #[test]
    fn separators_in_names_cannot_make_two_keys_collide() {
        let holds = holds();
        assert_eq!(
            holds.night_key("a:b", "c", night(1)),
            "hotel:hold:night:a%3Ab:c:2026-12-01"
        );
        assert_ne!(
            holds.night_key("a:b", "c", night(1)),
            holds.night_key("a", "b:c", night(1))
        );
        assert_ne!(
            holds.stay_key("a", "b", "x%3Ay", &[night(1)]),
            holds.stay_key("a", "b", "x:y", &[night(1)])
        );
    }

    #[test]
    fn keys_outlive_their_holds_by_the_grace() {
        assert_eq!(key_ttl_ms(1_000, 61_000), 60_000 + KEY_GRACE_MS);
        assert_eq!(key_ttl_ms(i64::MIN, i64::MAX), i64::MAX);
    }

    #[tokio::test]
    async fn an_unreachable_server_is_a_backend_error() {
        let request =
            HoldRequest::new("h1", "DBL", "c1", Duration::from_secs(60)).night(night(1), 1);
        assert!(matches!(
            holds().hold(&request).await,
            Err(LockError::Backend(_))
        ));
    }

    #[tokio::test]
    async fn an_invalid_request_fails_before_touching_redis() {
        let request = HoldRequest::new("h1", "DBL", "c1", Duration::from_secs(60));
        assert!(matches!(
            holds().hold(&request).await,
            Err(LockError::InvalidHoldRequest(_))
        ));
    }
}
