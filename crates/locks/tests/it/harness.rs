//! Backends for the suites: a lock manager plus a way to observe and cross its TTLs, and room holds
//! on a manual clock.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::TimeZone;
use deadpool_redis::Pool;
use deadpool_redis::redis;
use hotel_domain::ManualClock;
use hotel_locks::testing::HoldsHarness;
use hotel_locks::{
    InMemoryLockManager, InMemoryRoomHolds, LockManager, RedisLockManager, RedisRoomHolds,
    RoomHolds, redis_pool,
};

/// A lock manager and room holds under test, and the control over their notion of time.
pub struct Harness {
    pub locks: Arc<dyn LockManager>,
    pub time: Box<dyn TimeControl>,
    /// Room holds; both backends take "now" from `clock`.
    pub holds: Arc<dyn RoomHolds>,
    /// The clock of `holds` (and of the in-memory `locks`).
    pub clock: Arc<ManualClock>,
    redis: Option<(Pool, String)>,
}

/// Something with a TTL: a lock or a once-only claim, by name.
#[derive(Debug, Clone, Copy)]
pub enum Expiring<'a> {
    Lock(&'a str),
    Claim(&'a str),
}

/// Moves a lock or claim towards and past its expiry, the way each backend allows without sleeping.
#[async_trait]
pub trait TimeControl: Send + Sync {
    /// Brings `target`, set with `ttl`, to the brink of expiry, checking it is set to expire within
    /// `ttl`. In memory: advances the clock by `ttl - 1ms`. Redis: asserts `ttl / 2 < PTTL <= ttl`
    /// (a fresh TTL).
    async fn approach_expiry(&self, target: Expiring<'_>, ttl: Duration);

    /// Crosses the expiry of `target` after [`TimeControl::approach_expiry`]. In memory: advances
    /// the clock by 1 ms. Redis: expires the key now (`PEXPIREAT` in the past), as the server would.
    async fn cross_expiry(&self, target: Expiring<'_>);
}

struct ManualTime(Arc<ManualClock>);

#[async_trait]
impl TimeControl for ManualTime {
    async fn approach_expiry(&self, _target: Expiring<'_>, ttl: Duration) {
        let ttl = chrono::Duration::from_std(ttl).unwrap();
        self.0.advance(ttl - chrono::Duration::milliseconds(1));
    }

    async fn cross_expiry(&self, _target: Expiring<'_>) {
        self.0.advance(chrono::Duration::milliseconds(1));
    }
}

struct RedisTime {
    pool: Pool,
    prefix: String,
}

impl RedisTime {
    /// The documented key layout of [`RedisLockManager`].
    fn redis_key(&self, target: Expiring<'_>) -> String {
        match target {
            Expiring::Lock(key) => format!("{}lock:{key}", self.prefix),
            Expiring::Claim(key) => format!("{}claim:{key}", self.prefix),
        }
    }
}

#[async_trait]
impl TimeControl for RedisTime {
    async fn approach_expiry(&self, target: Expiring<'_>, ttl: Duration) {
        let mut conn = self.pool.get().await.unwrap();
        let pttl: i64 = redis::cmd("PTTL")
            .arg(self.redis_key(target))
            .query_async(&mut conn)
            .await
            .unwrap();
        let ttl_ms = i64::try_from(ttl.as_millis()).unwrap();
        assert!(
            ttl_ms / 2 < pttl && pttl <= ttl_ms,
            "PTTL of {target:?} is {pttl} ms; expected it in ({}, {ttl_ms}]",
            ttl_ms / 2
        );
    }

    async fn cross_expiry(&self, target: Expiring<'_>) {
        let mut conn = self.pool.get().await.unwrap();
        let expired: i64 = redis::cmd("PEXPIREAT")
            .arg(self.redis_key(target))
            .arg(1)
            .query_async(&mut conn)
            .await
            .unwrap();
        assert_eq!(expired, 1, "{target:?} should exist until it expires");
    }
}

fn start() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .unwrap()
}

/// The in-memory manager on a manual clock.
pub fn memory() -> Harness {
    let clock = Arc::new(ManualClock::new(start()));
    Harness {
        locks: Arc::new(InMemoryLockManager::new(clock.clone())),
        time: Box::new(ManualTime(clock.clone())),
        holds: Arc::new(InMemoryRoomHolds::new(clock.clone())),
        clock,
        redis: None,
    }
}

/// The Redis manager and holds on a fresh key prefix, the holds on a manual clock. Panics with a clear message when Redis is unreachable.
pub async fn redis() -> Harness {
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    let pool = redis_pool(&url)
        .unwrap_or_else(|err| panic!("REDIS_URL `{url}` is not a usable Redis URL: {err}"));
    let prefix = format!("hotel-locks-test:{}:", uuid::Uuid::new_v4().simple());
    let locks = RedisLockManager::new(pool.clone(), prefix.clone());
    let reachable = tokio::time::timeout(Duration::from_secs(5), locks.ping()).await;
    if !matches!(reachable, Ok(Ok(()))) {
        panic!(
            "these tests need Redis at {url} (set REDIS_URL to use another server), but it is not \
             reachable: {reachable:?}"
        );
    }
    let clock = Arc::new(ManualClock::new(start()));
    Harness {
        locks: Arc::new(locks),
        time: Box::new(RedisTime {
            pool: pool.clone(),
            prefix: prefix.clone(),
        }),
        holds: Arc::new(RedisRoomHolds::new(
            pool.clone(),
            prefix.clone(),
            clock.clone(),
        )),
        clock,
        redis: Some((pool, prefix)),
    }
}

/// The room holds suite of `hotel_locks::testing` runs on the same harness.
#[async_trait]
impl HoldsHarness for Harness {
    fn holds(&self) -> &Arc<dyn RoomHolds> {
        &self.holds
    }

    fn clock(&self) -> &ManualClock {
        &self.clock
    }

    async fn leftovers(&self) -> Vec<String> {
        self.keys_without_ttl().await
    }

    async fn cleanup(&self) {
        Harness::cleanup(self).await;
    }
}

impl Harness {
    /// Removes every key the test wrote, fencing counters included (Redis only).
    pub async fn cleanup(&self) {
        let Some((pool, _)) = &self.redis else {
            return;
        };
        let keys = self.keys().await;
        if !keys.is_empty() {
            let mut conn = pool.get().await.unwrap();
            let _: i64 = redis::cmd("DEL")
                .arg(keys)
                .query_async(&mut conn)
                .await
                .unwrap();
        }
    }

    /// The Redis keys the test wrote that have no TTL, i.e. would live forever (none in memory).
    pub async fn keys_without_ttl(&self) -> Vec<String> {
        let Some((pool, _)) = &self.redis else {
            return Vec::new();
        };
        let mut conn = pool.get().await.unwrap();
        let mut forever = Vec::new();
        for key in self.keys().await {
            let pttl: i64 = redis::cmd("PTTL")
                .arg(&key)
                .query_async(&mut conn)
                .await
                .unwrap();
            if pttl == -1 {
                forever.push(key);
            }
        }
        forever
    }

    /// Every Redis key under the test's prefix (none in memory).
    async fn keys(&self) -> Vec<String> {
        let Some((pool, prefix)) = &self.redis else {
            return Vec::new();
        };
        let mut conn = pool.get().await.unwrap();
        let mut all = Vec::new();
        let mut cursor = 0_u64;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(format!("{prefix}*"))
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut conn)
                .await
                .unwrap();
            all.extend(keys);
            if next == 0 {
                break;
            }
            cursor = next;
        }
        all
    }
}
