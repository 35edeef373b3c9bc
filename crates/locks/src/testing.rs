//! Test support (feature `testing`): the [`RoomHolds`] contract as one suite of
//! async cases, written once and run against every implementation — the in-memory and Redis holds
//! in this crate's tests, and any other implementation elsewhere (the app's database holds).
//!
//! A backend provides a [`HoldsHarness`]: the holds under test, on a [`ManualClock`] they take
//! "now" from. [`room_holds_suite!`](crate::room_holds_suite) then generates one
//! `#[tokio::test]` per case (the calling crate needs `tokio` with its `macros` feature):
//!
//! ```ignore
//! mod holds {
//!     // An async factory returning some `HoldsHarness + 'static`.
//!     hotel_locks::room_holds_suite!(|| crate::my_harness());
//! }
//! ```
//!
//! Each case runs in a task of its own, so [`HoldsHarness::cleanup`] runs even when it fails.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test support: every case is a list of assertions and must fail loudly"
)]

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use hotel_domain::{Clock, ManualClock};
use tokio::sync::Barrier;

use crate::{ExtendOutcome, Hold, HoldRequest, LockError, RoomHolds};

/// Room holds under test and the clock they take "now" from.
#[async_trait]
pub trait HoldsHarness: Send + Sync {
    /// The implementation under test.
    fn holds(&self) -> &Arc<dyn RoomHolds>;

    /// The clock of [`HoldsHarness::holds`]: the cases advance it to cross expiries.
    fn clock(&self) -> &ManualClock;

    /// Whatever the holds wrote that would never expire (e.g. Redis keys without a TTL); the
    /// cases assert it is empty. None by default.
    async fn leftovers(&self) -> Vec<String> {
        Vec::new()
    }

    /// Runs after each case, passed or failed (e.g. deletes the keys it wrote). Nothing by default.
    async fn cleanup(&self) {}
}

/// Runs `case` against `harness` in a task of its own, then [`HoldsHarness::cleanup`], then
/// fails if the case failed. [`room_holds_suite!`](crate::room_holds_suite) calls it.
pub async fn run_case<H, F, Fut>(harness: H, case: F)
where
    H: HoldsHarness + 'static,
    F: FnOnce(Arc<dyn HoldsHarness>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let harness: Arc<dyn HoldsHarness> = Arc::new(harness);
    let outcome = tokio::spawn(case(Arc::clone(&harness))).await;
    harness.cleanup().await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

/// Generates one `#[tokio::test]` per case of the [`RoomHolds`] suite
/// ([`crate::testing`]), each running it against a fresh harness: `$factory` is called with no
/// arguments and awaited, e.g. `room_holds_suite!(|| harness(Backend::Sqlite))`.
#[macro_export]
macro_rules! room_holds_suite {
    ($factory:expr) => {
        $crate::room_holds_suite!(@cases $factory; [
            hold_extend_twice_then_refused_then_release,
            expiry_frees_the_room,
            a_stay_fails_when_any_single_night_is_full,
            the_same_holder_gets_the_same_hold_and_one_slot,
            a_released_hold_cannot_be_extended_or_released_again,
            a_stale_or_forged_hold_cannot_touch_the_current_one,
            holds_are_counted_per_scope_room_type_and_night,
            no_free_rooms_means_no_hold,
            invalid_requests_are_errors,
            of_50_racing_for_the_last_3_rooms_exactly_3_hold,
        ]);
    };
    (@cases $factory:expr; [$($case:ident),+ $(,)?]) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let harness = ($factory)().await;
                $crate::testing::run_case(harness, $crate::testing::$case).await;
            }
        )+
    };
}

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

async fn hold(h: &dyn HoldsHarness, request: &HoldRequest) -> Option<Hold> {
    h.holds().hold(request).await.unwrap()
}

async fn counts(h: &dyn HoldsHarness, days: &[u32]) -> Vec<u32> {
    let mut counts = Vec::new();
    for day in days {
        counts.push(h.holds().count(HOTEL, DOUBLE, night(*day)).await.unwrap());
    }
    counts
}

async fn extend(h: &dyn HoldsHarness, hold: &Hold) -> ExtendOutcome {
    h.holds().extend(hold, TTL).await.unwrap()
}

/// Fails when the implementation left something that would live forever ([`HoldsHarness::leftovers`]).
async fn assert_every_key_expires(h: &dyn HoldsHarness) {
    assert_eq!(h.leftovers().await, Vec::<String>::new());
}

/// Hold, extend twice, a third extension refused, release: the room is free again.
pub async fn hold_extend_twice_then_refused_then_release(h: Arc<dyn HoldsHarness>) {
    let h = h.as_ref();
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
    assert_eq!(held.expires_at, h.clock().now() + minutes(15));
    assert_eq!(counts(h, &[1, 2]).await, vec![1, 1]);
    assert_eq!(h.holds().get(&held).await.unwrap(), Some(held.clone()));

    h.clock().advance(minutes(10));
    let ExtendOutcome::Extended(once) = extend(h, &held).await else {
        panic!("the first extension is allowed");
    };
    assert_eq!(once.id, held.id);
    assert_eq!(once.extensions, 1);
    assert_eq!(once.expires_at, h.clock().now() + minutes(15));

    h.clock().advance(minutes(10));
    assert!(
        h.holds().is_live(&held).await.unwrap(),
        "past the first expiry, the extended hold still stands"
    );
    let ExtendOutcome::Extended(twice) = extend(h, &held).await else {
        panic!("the second extension is allowed");
    };
    assert_eq!(twice.extensions, 2);
    assert_eq!(twice.expires_at, h.clock().now() + minutes(15));

    h.clock().advance(minutes(1));
    assert_eq!(
        extend(h, &held).await,
        ExtendOutcome::LimitReached(twice.clone()),
        "a third extension is refused"
    );
    assert_eq!(
        h.holds().get(&held).await.unwrap(),
        Some(twice.clone()),
        "the refusal changed nothing"
    );
    assert_eq!(
        hold(h, &request("conv-2", &[1, 2], 1)).await,
        None,
        "the room is still held"
    );
    assert_every_key_expires(h).await;

    assert!(h.holds().release(&held).await.unwrap());
    assert!(!h.holds().is_live(&held).await.unwrap());
    assert_eq!(h.holds().get(&twice).await.unwrap(), None);
    assert_eq!(counts(h, &[1, 2]).await, vec![0, 0]);
    assert!(hold(h, &request("conv-2", &[1, 2], 1)).await.is_some());
}

/// A hold counts until the instant it expires and never after; the lapsed value cannot release its successor.
pub async fn expiry_frees_the_room(h: Arc<dyn HoldsHarness>) {
    let h = h.as_ref();
    let first = hold(h, &request("conv-1", &[1], 1)).await.unwrap();
    assert_eq!(hold(h, &request("conv-2", &[1], 1)).await, None);

    h.clock()
        .advance(minutes(15) - chrono::Duration::milliseconds(1));
    assert_eq!(
        hold(h, &request("conv-2", &[1], 1)).await,
        None,
        "held until it expires"
    );
    assert!(h.holds().is_live(&first).await.unwrap());
    assert_eq!(counts(h, &[1]).await, vec![1]);

    h.clock().advance(chrono::Duration::milliseconds(1));
    assert!(!h.holds().is_live(&first).await.unwrap());
    assert_eq!(
        counts(h, &[1]).await,
        vec![0],
        "an expired hold never counts"
    );
    assert_eq!(extend(h, &first).await, ExtendOutcome::NotHeld);

    let second = hold(h, &request("conv-2", &[1], 1)).await.unwrap();
    assert!(
        !h.holds().release(&first).await.unwrap(),
        "the lapsed hold is not released again"
    );
    assert!(h.holds().is_live(&second).await.unwrap());
    assert_eq!(counts(h, &[1]).await, vec![1]);
    assert_eq!(hold(h, &request("conv-1", &[1], 1)).await, None);
    assert_every_key_expires(h).await;
}

/// A stay is refused when any one night is full, and then takes nothing on the others.
pub async fn a_stay_fails_when_any_single_night_is_full(h: Arc<dyn HoldsHarness>) {
    let h = h.as_ref();
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

/// Holding the same stay again returns the existing hold (one slot); another stay is another hold.
pub async fn the_same_holder_gets_the_same_hold_and_one_slot(h: Arc<dyn HoldsHarness>) {
    let h = h.as_ref();
    let stay = request("conv-1", &[1, 2, 3], 2);
    let first = hold(h, &stay).await.unwrap();
    assert_eq!(hold(h, &stay).await, Some(first.clone()));
    assert_eq!(counts(h, &[1, 2, 3]).await, vec![1, 1, 1]);

    h.clock().advance(minutes(5));
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

/// A released hold can be neither extended nor released, nor touch the hold taken after it.
pub async fn a_released_hold_cannot_be_extended_or_released_again(h: Arc<dyn HoldsHarness>) {
    let h = h.as_ref();
    let stay = request("conv-1", &[1, 2], 1);
    let old = hold(h, &stay).await.unwrap();
    assert!(h.holds().release(&old).await.unwrap());
    assert_eq!(extend(h, &old).await, ExtendOutcome::NotHeld);
    assert!(!h.holds().release(&old).await.unwrap());
    assert_eq!(h.holds().get(&old).await.unwrap(), None);
    assert_eq!(counts(h, &[1, 2]).await, vec![0, 0]);

    let new = hold(h, &stay).await.unwrap();
    assert_ne!(new.id, old.id, "holding again after release is a new hold");
    assert_eq!(new.extensions, 0);
    assert_eq!(
        extend(h, &old).await,
        ExtendOutcome::NotHeld,
        "the released hold does not extend its successor"
    );
    assert!(!h.holds().release(&old).await.unwrap(), "nor release it");
    assert!(h.holds().is_live(&new).await.unwrap());
    assert_eq!(counts(h, &[1, 2]).await, vec![1, 1]);
}

/// A lapsed hold, a forged id or other nights cannot extend, release or read the current hold.
pub async fn a_stale_or_forged_hold_cannot_touch_the_current_one(h: Arc<dyn HoldsHarness>) {
    let h = h.as_ref();
    let stay = request("conv-1", &[1], 1);
    let lapsed = hold(h, &stay).await.unwrap();
    h.clock().advance(minutes(15));
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
        assert!(!h.holds().release(stranger).await.unwrap());
        assert_eq!(h.holds().get(stranger).await.unwrap(), None);
    }
    assert_eq!(h.holds().get(&current).await.unwrap(), Some(current));
    assert_eq!(counts(h, &[1]).await, vec![1]);
}

/// Counts are per scope, room type and night; separators in names cannot merge two counts.
pub async fn holds_are_counted_per_scope_room_type_and_night(h: Arc<dyn HoldsHarness>) {
    let h = h.as_ref();
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
            .holds()
            .count(&request.scope, &request.room_type, request.stay()[0])
            .await
            .unwrap();
        assert_eq!(count, 1, "{request:?}");
    }
    assert_eq!(counts(h, &[1, 2, 3]).await, vec![1, 1, 0]);
}

/// A night with no free rooms refuses the stay.
pub async fn no_free_rooms_means_no_hold(h: Arc<dyn HoldsHarness>) {
    let h = h.as_ref();
    let stay = HoldRequest::new(HOTEL, DOUBLE, "conv-1", TTL)
        .night(night(1), 3)
        .night(night(2), 0);
    assert_eq!(hold(h, &stay).await, None);
    assert_eq!(counts(h, &[1, 2]).await, vec![0, 0]);
}

/// A request without nights or a holder is an error.
pub async fn invalid_requests_are_errors(h: Arc<dyn HoldsHarness>) {
    let h = h.as_ref();
    let no_nights = HoldRequest::new(HOTEL, DOUBLE, "conv-1", TTL);
    let no_holder = request("", &[1], 1);
    for invalid in [no_nights, no_holder] {
        assert!(
            matches!(
                h.holds().hold(&invalid).await,
                Err(LockError::InvalidHoldRequest(_))
            ),
            "{invalid:?}"
        );
    }
}

/// 50 tasks racing for the last 3 rooms: exactly 3 holds.
pub async fn of_50_racing_for_the_last_3_rooms_exactly_3_hold(h: Arc<dyn HoldsHarness>) {
    let h = h.as_ref();
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
            let holds = Arc::clone(h.holds());
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

    assert!(h.holds().release(&winners[0]).await.unwrap());
    assert!(hold(h, &request("late", &days, FREE)).await.is_some());
    assert_eq!(hold(h, &request("later", &days, FREE)).await, None);
}
