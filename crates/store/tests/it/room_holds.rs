//! Room holds: capacity per night checked in the placing transaction, the holder's existing hold,
//! extensions up to a limit, release, counts, purging, and 50 racers for the last 3 rooms. (The
//! whole `RoomHolds` contract runs against the app's `StoreRoomHolds` in the app's tests.)

use chrono::{DateTime, Duration, NaiveDate, Utc};
use hotel_domain::TenantId;
use hotel_store::testing::test_store;
use hotel_store::{
    Backend, NewRoomHold, RoomHoldExtension, RoomHoldKey, RoomHoldOutcome, RoomHoldRecord, Store,
    StoreError,
};

use crate::support::{at, on_both_backends, tenant};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).expect("a December day")
}

fn now() -> DateTime<Utc> {
    at(12, 0, 0)
}

/// `holder`'s hold `id` of a double on `days`, each with `free` rooms free, for 15 minutes.
fn new_hold(id: &str, holder: &str, days: &[u32], free: u32) -> NewRoomHold {
    NewRoomHold {
        id: id.into(),
        tenant_id: tenant(),
        room_type: "DBL".into(),
        holder: holder.into(),
        free_rooms: days.iter().map(|d| (day(*d), free)).collect(),
        expires_at: now() + Duration::minutes(15),
    }
}

fn key(record: &RoomHoldRecord) -> RoomHoldKey {
    RoomHoldKey {
        id: record.id.clone(),
        tenant_id: record.tenant_id.clone(),
        room_type: record.room_type.clone(),
        holder: record.holder.clone(),
        nights: record.nights.clone(),
    }
}

async fn place(store: &Store, hold: &NewRoomHold, now: DateTime<Utc>) -> RoomHoldOutcome {
    store.place_room_hold(hold, now).await.expect("place")
}

fn placed(outcome: RoomHoldOutcome) -> RoomHoldRecord {
    match outcome {
        RoomHoldOutcome::Placed(record) => record,
        other => panic!("expected a new hold, got {other:?}"),
    }
}

async fn counts(store: &Store, days: &[u32], now: DateTime<Utc>) -> Vec<u32> {
    let mut counts = Vec::new();
    for d in days {
        counts.push(
            store
                .count_room_holds(&tenant(), "DBL", day(*d), now)
                .await
                .expect("count"),
        );
    }
    counts
}

async fn holds_are_placed_counted_and_refused_per_night(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    let first = placed(place(store, &new_hold("a", "conv-1", &[2, 1], 2), now()).await);
    assert_eq!(first.nights, vec![day(1), day(2)], "nights ascending");
    assert_eq!(
        (first.tenant_id.as_str(), first.extensions, first.created_at),
        ("h1", 0, now())
    );
    assert_eq!(first.expires_at, now() + Duration::minutes(15));
    assert_eq!(counts(store, &[1, 2, 3], now()).await, vec![1, 1, 0]);

    // The same holder and stay: the existing hold, whatever the new id.
    assert_eq!(
        place(store, &new_hold("b", "conv-1", &[1, 2], 2), now()).await,
        RoomHoldOutcome::Existing(first.clone())
    );
    placed(place(store, &new_hold("c", "conv-2", &[2], 2), now()).await);
    assert_eq!(
        place(store, &new_hold("d", "conv-3", &[1, 2, 3], 2), now()).await,
        RoomHoldOutcome::Full,
        "the 2nd is full"
    );
    assert_eq!(
        counts(store, &[1, 2, 3], now()).await,
        vec![1, 2, 0],
        "nothing taken"
    );
    let elsewhere = NewRoomHold {
        tenant_id: TenantId::new("h2"),
        ..new_hold("e", "conv-3", &[2], 1)
    };
    placed(place(store, &elsewhere, now()).await);
    assert_eq!(counts(store, &[2], now()).await, vec![2], "per tenant");

    assert_eq!(
        store.room_hold(&key(&first), now()).await.expect("get"),
        Some(first.clone())
    );
    let expiry = first.expires_at;
    assert_eq!(
        store.room_hold(&key(&first), expiry).await.expect("get"),
        None,
        "gone at its expiry"
    );
    assert_eq!(counts(store, &[1, 2], expiry).await, vec![0, 0]);
    let again = placed(place(store, &new_hold("f", "conv-1", &[1, 2], 1), expiry).await);
    assert_eq!(again.id, "f", "a lapsed hold is replaced, not returned");

    let empty = new_hold("g", "conv-4", &[], 1);
    assert!(matches!(
        store.place_room_hold(&empty, now()).await,
        Err(StoreError::InvalidArgument(_))
    ));
}

async fn extensions_stop_at_the_limit_and_releases_report_liveness(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    let hold = placed(place(store, &new_hold("a", "conv-1", &[1, 2], 1), now()).await);
    let later = now() + Duration::minutes(10);
    let until = later + Duration::minutes(15);
    let extended = match store
        .extend_room_hold(&key(&hold), later, until, 1)
        .await
        .expect("extend")
    {
        RoomHoldExtension::Extended(record) => record,
        other => panic!("{other:?}"),
    };
    assert_eq!((extended.expires_at, extended.extensions), (until, 1));
    assert_eq!(
        store
            .extend_room_hold(&key(&hold), later, until + Duration::minutes(1), 1)
            .await
            .expect("extend"),
        RoomHoldExtension::LimitReached(extended.clone())
    );
    let forged = RoomHoldKey {
        id: "forged".into(),
        ..key(&hold)
    };
    let other_nights = RoomHoldKey {
        nights: vec![day(1)],
        ..key(&hold)
    };
    for stranger in [&forged, &other_nights] {
        assert_eq!(
            store
                .extend_room_hold(stranger, later, until, 5)
                .await
                .expect("extend"),
            RoomHoldExtension::NotHeld
        );
        assert!(
            !store
                .release_room_hold(stranger, later)
                .await
                .expect("release")
        );
    }
    assert_eq!(
        counts(store, &[1, 2], until - Duration::milliseconds(1)).await,
        vec![1, 1]
    );

    assert!(
        store
            .release_room_hold(&key(&hold), later)
            .await
            .expect("release")
    );
    assert!(
        !store
            .release_room_hold(&key(&hold), later)
            .await
            .expect("again")
    );
    assert_eq!(counts(store, &[1, 2], later).await, vec![0, 0]);

    let lapsing = placed(place(store, &new_hold("b", "conv-2", &[1], 1), now()).await);
    assert!(
        !store
            .release_room_hold(&key(&lapsing), lapsing.expires_at)
            .await
            .expect("release"),
        "a lapsed hold is removed but was not live"
    );
    assert_eq!(
        store
            .extend_room_hold(&key(&lapsing), now(), until, 5)
            .await
            .expect("extend"),
        RoomHoldExtension::NotHeld,
        "and is gone"
    );
}

async fn expired_holds_are_purged(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    let short = placed(place(store, &new_hold("a", "conv-1", &[1, 2], 5), now()).await);
    let long = NewRoomHold {
        expires_at: now() + Duration::hours(1),
        ..new_hold("b", "conv-2", &[1, 2, 3], 5)
    };
    let long = placed(place(store, &long, now()).await);
    assert_eq!(
        store.purge_expired_room_holds(now()).await.expect("purge"),
        0
    );
    assert_eq!(
        store
            .purge_expired_room_holds(short.expires_at)
            .await
            .expect("purge"),
        2,
        "one row per night of the lapsed hold"
    );
    assert_eq!(
        store
            .room_hold(&key(&long), short.expires_at)
            .await
            .expect("get"),
        Some(long)
    );
}

async fn fifty_racing_for_the_last_three_rooms_hold_three(backend: Backend) {
    let test = test_store(backend).await;
    // Many connections, so that on PostgreSQL many placements really run at once.
    let store = &Store::connect(&test.url, 16).await.expect("connect");
    for holder in ["early-1", "early-2"] {
        placed(place(store, &new_hold(holder, holder, &[24, 25, 26], 5), now()).await);
    }
    let tasks: Vec<_> = (0..50)
        .map(|n| {
            let store = store.clone();
            let hold = new_hold(
                &format!("racer-{n}"),
                &format!("racer-{n}"),
                &[24, 25, 26],
                5,
            );
            tokio::spawn(async move { store.place_room_hold(&hold, now()).await })
        })
        .collect();
    let mut won = 0;
    for task in futures::future::join_all(tasks).await {
        match task.expect("task").expect("place") {
            RoomHoldOutcome::Placed(_) => won += 1,
            RoomHoldOutcome::Full => {}
            RoomHoldOutcome::Existing(record) => panic!("no racer held before: {record:?}"),
        }
    }
    assert_eq!(won, 3);
    assert_eq!(counts(store, &[24, 25, 26], now()).await, vec![5, 5, 5]);
}

on_both_backends!(
    holds_are_placed_counted_and_refused_per_night,
    extensions_stop_at_the_limit_and_releases_report_liveness,
    expired_holds_are_purged,
    fifty_racing_for_the_last_three_rooms_hold_three,
);
