//! Room holds in the database (`StoreRoomHolds`, the embedded default): the shared `RoomHolds`
//! suite of `hotel_locks::testing` — the one the in-memory and Redis holds pass — on SQLite and
//! PostgreSQL, then restarts: a hold outlives a reopened store and a restarted app.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use hotel_agent::room_holds::StoreRoomHolds;
use hotel_domain::{Clock, ManualClock};
use hotel_locks::testing::HoldsHarness;
use hotel_locks::{ExtendOutcome, HoldRequest, RoomHolds};
use hotel_store::testing::{TestStore, test_store};
use hotel_store::{Backend, Store};

use crate::harness::TestApp;

/// The database holds on a manual clock, and the database they live in (dropped with them).
struct StoreHarness {
    holds: Arc<dyn RoomHolds>,
    clock: Arc<ManualClock>,
    _db: TestStore,
}

#[async_trait]
impl HoldsHarness for StoreHarness {
    fn holds(&self) -> &Arc<dyn RoomHolds> {
        &self.holds
    }

    fn clock(&self) -> &ManualClock {
        &self.clock
    }
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

async fn harness(backend: Backend) -> StoreHarness {
    let db = test_store(backend).await;
    // Many connections, so that on PostgreSQL the racing cases really run at once.
    let store = Store::connect(&db.url, 16).await.unwrap();
    let clock = Arc::new(ManualClock::new(start()));
    StoreHarness {
        holds: Arc::new(StoreRoomHolds::new(store, clock.clone())),
        clock,
        _db: db,
    }
}

/// `memory::holds::<case>` and `redis::holds::<case>` in hotel-locks, here on each database.
mod suite {
    mod postgres {
        hotel_locks::room_holds_suite!(|| super::super::harness(hotel_store::Backend::Postgres));
    }

    mod sqlite {
        hotel_locks::room_holds_suite!(|| super::super::harness(hotel_store::Backend::Sqlite));
    }
}

fn night(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
}

const TTL: Duration = Duration::from_secs(15 * 60);

async fn a_hold_outlives_a_reopened_store(backend: Backend) {
    let db = test_store(backend).await;
    let clock = Arc::new(ManualClock::new(start()));
    let stay = |holder: &str| {
        HoldRequest::new("default", "double", holder, TTL).nights([night(1), night(2)], 1)
    };
    let held = StoreRoomHolds::new(db.store.clone(), clock.clone())
        .hold(&stay("conv-1"))
        .await
        .unwrap()
        .unwrap();

    // A new process: a new connection to the same database, nothing carried over in memory.
    let reopened = Store::connect(&db.url, 2).await.unwrap();
    assert_eq!(reopened.migrate().await.unwrap(), 0);
    let holds = StoreRoomHolds::new(reopened.clone(), clock.clone());
    assert_eq!(holds.count("default", "double", night(1)).await.unwrap(), 1);
    assert_eq!(holds.get(&held).await.unwrap(), Some(held.clone()));
    assert_eq!(
        holds.hold(&stay("conv-1")).await.unwrap(),
        Some(held.clone()),
        "the holder's hold is found again, not taken twice"
    );
    assert_eq!(
        holds.hold(&stay("conv-2")).await.unwrap(),
        None,
        "the room is still held"
    );

    clock.advance(chrono::Duration::minutes(10));
    let extended = holds.extend(&held, TTL).await.unwrap();
    assert!(
        matches!(&extended, ExtendOutcome::Extended(hold) if hold.extensions == 1),
        "the hold can be extended after the restart: {extended:?}"
    );
    assert!(holds.release(&held).await.unwrap());
    assert_eq!(holds.count("default", "double", night(1)).await.unwrap(), 0);
    assert!(holds.hold(&stay("conv-2")).await.unwrap().is_some());
}

async fn expired_holds_are_purged(backend: Backend) {
    let db = test_store(backend).await;
    let clock = Arc::new(ManualClock::new(start()));
    let holds = StoreRoomHolds::new(db.store.clone(), clock.clone());
    let request = |holder: &str, ttl| {
        HoldRequest::new("default", "double", holder, ttl).nights([night(1), night(2), night(3)], 5)
    };
    let short = holds.hold(&request("short", TTL)).await.unwrap().unwrap();
    let long = holds
        .hold(&request("long", Duration::from_secs(3600)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        db.store
            .purge_expired_room_holds(clock.now())
            .await
            .unwrap(),
        0
    );

    clock.advance(chrono::Duration::minutes(15));
    assert_eq!(
        db.store
            .purge_expired_room_holds(clock.now())
            .await
            .unwrap(),
        3,
        "the lapsed hold's three nights"
    );
    assert!(!holds.release(&short).await.unwrap());
    assert_eq!(holds.get(&long).await.unwrap(), Some(long.clone()));
    assert_eq!(holds.count("default", "double", night(2)).await.unwrap(), 1);
}

/// The embedded app (no Redis) keeps the booking conversation's holds in its database.
async fn the_embedded_app_keeps_holds_across_a_restart(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    // The app runs on the system clock: a day-long hold cannot lapse during the test.
    let request = HoldRequest::new(
        "default",
        "double",
        "5491155550000",
        Duration::from_secs(86_400),
    )
    .nights([night(20), night(21)], 1);
    let holds = Arc::clone(&app.app.as_ref().unwrap().state.booking.holds);
    let held = holds.hold(&request).await.unwrap().unwrap();
    drop(holds);

    app.restart_with(|_| {}).await;
    let holds = Arc::clone(&app.app.as_ref().unwrap().state.booking.holds);
    assert_eq!(holds.get(&held).await.unwrap(), Some(held.clone()));
    assert_eq!(
        holds.count("default", "double", night(20)).await.unwrap(),
        1
    );
    assert!(holds.release(&held).await.unwrap());
    drop(holds);
    app.stop().await;
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(hotel_store::Backend::Postgres).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(hotel_store::Backend::Sqlite).await;
                }
            )*
        }
    };
}

on_both_backends!(
    a_hold_outlives_a_reopened_store,
    expired_holds_are_purged,
    the_embedded_app_keeps_holds_across_a_restart,
);
