//! The [`RoomHolds`](hotel_locks::RoomHolds) cases, each a generic async function over a
//! [`Harness`]: both backends take "now" from the harness's manual clock, so expiry is driven the
//! same way for each.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use hotel_domain::Clock;
use hotel_locks::{ExtendOutcome, Hold, HoldRequest, LockError};
use tokio::sync::Barrier;

use crate::harness::Harness;

/// The booking conversation's hold: 15 minutes.
const TTL: Duration = Duration::from_secs(15 * 60);
const HOTEL: &str = "hotel-1";
const DOUBLE: &str = "DBL";

fn night(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
}

/// `holder`'s request for a double on `days` of December, each with `free` rooms free.
fn request(holder: &str, days: &[u32], free: u32) -> HoldRequest {
    HoldRequest::new(HOTEL, DOUBLE, holder, TTL).nights(days.iter().map(|day| night(*day)), free)
}

fn minutes(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

async fn hold(h: &Harness, request: &HoldRequest) -> Option<Hold> {
    h.holds.hold(request).await.unwrap()
}

async fn counts(h: &Harness, days: &[u32]) -> Vec<u32> {
    let mut counts = Vec::new();
    for day in days {
        counts.push(h.holds.count(HOTEL, DOUBLE, night(*day)).await.unwrap());
    }
    counts
}

async fn extend(h: &Harness, hold: &Hold) -> ExtendOutcome {
    h.holds.extend(hold, TTL).await.unwrap()
}

/// Fails when a Redis key the test wrote would live forever.
async fn assert_every_key_expires(h: &Harness) {
    assert_eq!(h.keys_without_ttl().await, Vec::<String>::new());
}

pub async fn hold_extend_twice_then_refused_then_release(h: &Harness) {
    let held = hold(h, &request("conv-1", &[1, 2], 1)).await.unwrap();
    assert!(!held.id.is_empty());
    assert_eq!(
        (
            held.scope.as_str(),
            held.room_type.as_str(),
            held.holder.as_str()
        ),
        (HOTEL, DOUBLE, "conv-1")
    );
    assert_eq!(held.nights, vec![night(1), night(2)]);
    assert_eq!(held.extensions, 0);
    assert_eq!(held.expires_at, h.clock.now() + minutes(15));
    assert_eq!(counts(h, &[1, 2]).await, vec![1, 1]);
    assert_eq!(h.holds.get(&held).await.unwrap(), Some(held.clone()));

    h.clock.advance(minutes(10));
    let ExtendOutcome::Extended(once) = extend(h, &held).await else {
        panic!("the first extension is allowed");
    };
    assert_eq!(once.id, held.id);
    assert_eq!(once.extensions, 1);
    assert_eq!(once.expires_at, h.clock.now() + minutes(15));

    h.clock.advance(minutes(10));
    assert!(
        h.holds.is_live(&held).await.unwrap(),
        "past the first expiry, the extended hold still stands"
    );
    let ExtendOutcome::Extended(twice) = extend(h, &held).await else {
        panic!("the second extension is allowed");
    };
    assert_eq!(twice.extensions, 2);
    assert_eq!(twice.expires_at, h.clock.now() + minutes(15));

    h.clock.advance(minutes(1));
    assert_eq!(
        extend(h, &held).await,
        ExtendOutcome::LimitReached(twice.clone()),
        "a third extension is refused"
    );
    assert_eq!(
        h.holds.get(&held).await.unwrap(),
        Some(twice.clone()),
        "the refusal changed nothing"
    );
    assert_eq!(
        hold(h, &request("conv-2", &[1, 2], 1)).await,
        None,
        "the room is still held"
    );
    assert_every_key_expires(h).await;

    assert!(h.holds.release(&held).await.unwrap());
    assert!(!h.holds.is_live(&held).await.unwrap());
    assert_eq!(h.holds.get(&twice).await.unwrap(), None);
    assert_eq!(counts(h, &[1, 2]).await, vec![0, 0]);
    assert!(hold(h, &request("conv-2", &[1, 2], 1)).await.is_some());
}

pub async fn expiry_frees_the_room(h: &Harness) {
    let first = hold(h, &request("conv-1", &[1], 1)).await.unwrap();
    assert_eq!(hold(h, &request("conv-2", &[1], 1)).await, None);

    h.clock
        .advance(minutes(15) - chrono::Duration::milliseconds(1));
    assert_eq!(
        hold(h, &request("conv-2", &[1], 1)).await,
        None,
        "held until it expires"
    );
    assert!(h.holds.is_live(&first).await.unwrap());
    assert_eq!(counts(h, &[1]).await, vec![1]);

    h.clock.advance(chrono::Duration::milliseconds(1));
    assert!(!h.holds.is_live(&first).await.unwrap());
    assert_eq!(
        counts(h, &[1]).await,
        vec![0],
        "an expired hold never counts"
    );
    assert_eq!(extend(h, &first).await, ExtendOutcome::NotHeld);

    let second = hold(h, &request("conv-2", &[1], 1)).await.unwrap();
    assert!(
        !h.holds.release(&first).await.unwrap(),
        "the lapsed hold is not released again"
    );
    assert!(h.holds.is_live(&second).await.unwrap());
    assert_eq!(counts(h, &[1]).await, vec![1]);
    assert_eq!(hold(h, &request("conv-1", &[1], 1)).await, None);
    assert_every_key_expires(h).await;
}

pub async fn a_stay_fails_when_any_single_night_is_full(h: &Harness) {
    hold(h, &request("conv-1", &[2], 1)).await.unwrap();

    let stay = |free_on_the_2nd| {
        HoldRequest::new(HOTEL, DOUBLE, "conv-2", TTL)
            .night(night(1), 5)
            .night(night(2), free_on_the_2nd)
            .night(night(3), 5)
    };
    assert_eq!(hold(h, &stay(1)).await, None, "the 2nd is full");
    assert_eq!(
        counts(h, &[1, 2, 3]).await,
        vec![0, 1, 0],
        "nothing was taken on the other nights"
    );

    let held = hold(h, &stay(2)).await.unwrap();
    assert_eq!(held.nights, vec![night(1), night(2), night(3)]);
    assert_eq!(counts(h, &[1, 2, 3]).await, vec![1, 2, 1]);
}

pub async fn the_same_holder_gets_the_same_hold_and_one_slot(h: &Harness) {
    let stay = request("conv-1", &[1, 2, 3], 2);
    let first = hold(h, &stay).await.unwrap();
    assert_eq!(hold(h, &stay).await, Some(first.clone()));
    assert_eq!(counts(h, &[1, 2, 3]).await, vec![1, 1, 1]);

    h.clock.advance(minutes(5));
    let ExtendOutcome::Extended(extended) = extend(h, &first).await else {
        panic!("extensions are left");
    };
    assert_eq!(
        hold(h, &stay).await,
        Some(extended),
        "holding again returns the hold as it stands, neither renewed nor reset"
    );

    let other = hold(h, &request("conv-2", &[1, 2, 3], 2)).await.unwrap();
    assert_ne!(other.id, first.id);
    assert_eq!(counts(h, &[1, 2, 3]).await, vec![2, 2, 2]);
    assert_eq!(hold(h, &request("conv-3", &[1, 2, 3], 2)).await, None);

    let shorter = hold(h, &request("conv-1", &[1, 2], 3)).await.unwrap();
    assert_ne!(
        shorter.id, first.id,
        "another stay is another hold, even for the same holder"
    );
    assert_eq!(counts(h, &[1, 2, 3]).await, vec![3, 3, 2]);
}

pub async fn a_released_hold_cannot_be_extended_or_released_again(h: &Harness) {
    let stay = request("conv-1", &[1, 2], 1);
    let old = hold(h, &stay).await.unwrap();
    assert!(h.holds.release(&old).await.unwrap());
    assert_eq!(extend(h, &old).await, ExtendOutcome::NotHeld);
    assert!(!h.holds.release(&old).await.unwrap());
    assert_eq!(h.holds.get(&old).await.unwrap(), None);
    assert_eq!(counts(h, &[1, 2]).await, vec![0, 0]);

    let new = hold(h, &stay).await.unwrap();
    assert_ne!(new.id, old.id, "holding again after release is a new hold");
    assert_eq!(new.extensions, 0);
    assert_eq!(
        extend(h, &old).await,
        ExtendOutcome::NotHeld,
        "the released hold does not extend its successor"
    );
    assert!(!h.holds.release(&old).await.unwrap(), "nor release it");
    assert!(h.holds.is_live(&new).await.unwrap());
    assert_eq!(counts(h, &[1, 2]).await, vec![1, 1]);
}

pub async fn a_stale_or_forged_hold_cannot_touch_the_current_one(h: &Harness) {
    let stay = request("conv-1", &[1], 1);
    let lapsed = hold(h, &stay).await.unwrap();
    h.clock.advance(minutes(15));
    let current = hold(h, &stay).await.unwrap();
    assert_ne!(current.id, lapsed.id, "a lapsed hold is not revived");

    let forged = Hold {
        id: format!("not-{}", current.id),
        ..current.clone()
    };
    let other_nights = Hold {
        nights: vec![night(1), night(2)],
        ..current.clone()
    };
    for stranger in [&lapsed, &forged, &other_nights] {
        assert_eq!(extend(h, stranger).await, ExtendOutcome::NotHeld);
        assert!(!h.holds.release(stranger).await.unwrap());
        assert_eq!(h.holds.get(stranger).await.unwrap(), None);
    }
    assert_eq!(h.holds.get(&current).await.unwrap(), Some(current));
    assert_eq!(counts(h, &[1]).await, vec![1]);
}

pub async fn holds_are_counted_per_scope_room_type_and_night(h: &Harness) {
    hold(h, &request("conv-1", &[1], 1)).await.unwrap();
    let elsewhere = [
        HoldRequest::new(HOTEL, "SGL", "conv-2", TTL).night(night(1), 1),
        HoldRequest::new("hotel-2", DOUBLE, "conv-2", TTL).night(night(1), 1),
        request("conv-2", &[2], 1),
        // Separators in names cannot make two scopes or room types share a count.
        HoldRequest::new("a:b", "c", "conv-2", TTL).night(night(1), 1),
        HoldRequest::new("a", "b:c", "conv-2", TTL).night(night(1), 1),
    ];
    for request in &elsewhere {
        assert!(hold(h, request).await.is_some(), "{request:?} is free");
    }
    for request in &elsewhere {
        let count = h
            .holds
            .count(&request.scope, &request.room_type, request.stay()[0])
            .await
            .unwrap();
        assert_eq!(count, 1, "{request:?}");
    }
    assert_eq!(counts(h, &[1, 2, 3]).await, vec![1, 1, 0]);
}

pub async fn no_free_rooms_means_no_hold(h: &Harness) {
    let stay = HoldRequest::new(HOTEL, DOUBLE, "conv-1", TTL)
        .night(night(1), 3)
        .night(night(2), 0);
    assert_eq!(hold(h, &stay).await, None);
    assert_eq!(counts(h, &[1, 2]).await, vec![0, 0]);
}

pub async fn invalid_requests_are_errors(h: &Harness) {
    let no_nights = HoldRequest::new(HOTEL, DOUBLE, "conv-1", TTL);
    let no_holder = request("", &[1], 1);
    for invalid in [no_nights, no_holder] {
        assert!(
            matches!(
                h.holds.hold(&invalid).await,
                Err(LockError::InvalidHoldRequest(_))
            ),
            "{invalid:?}"
        );
    }
}

pub async fn of_50_racing_for_the_last_3_rooms_exactly_3_hold(h: &Harness) {
    const FREE: u32 = 5;
    let days = [24, 25, 26];
    for holder in ["early-1", "early-2"] {
        hold(h, &request(holder, &days, FREE)).await.unwrap();
    }

    let tasks = 50;
    let barrier = Arc::new(Barrier::new(tasks));
    let handles: Vec<_> = (0..tasks)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            let holds = Arc::clone(&h.holds);
            let request = request(&format!("racer-{i}"), &days, FREE);
            tokio::spawn(async move {
                barrier.wait().await;
                holds.hold(&request).await
            })
        })
        .collect();
    let mut winners = Vec::new();
    for handle in handles {
        winners.extend(handle.await.unwrap().unwrap());
    }

    assert_eq!(winners.len(), 3, "exactly the last 3 rooms: {winners:?}");
    let mut ids: Vec<&str> = winners.iter().map(|hold| hold.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3, "three different holds");
    assert_eq!(counts(h, &days).await, vec![FREE; 3]);
    assert_every_key_expires(h).await;

    assert!(h.holds.release(&winners[0]).await.unwrap());
    assert!(hold(h, &request("late", &days, FREE)).await.is_some());
    assert_eq!(hold(h, &request("later", &days, FREE)).await, None);
}
