//! The [`LockManager`](hotel_locks::LockManager) cases, each a generic async function over a
//! [`Harness`] (an `Arc<dyn LockManager>` plus time control), so every backend is held to exactly
//! the same contract.

use std::sync::Arc;
use std::time::Duration;

use hotel_locks::Lease;
use tokio::sync::Barrier;

use crate::harness::{Expiring, Harness};

const TTL: Duration = Duration::from_secs(60);

/// A lease for `lease.key` with someone else's token.
fn forged(lease: &Lease) -> Lease {
    Lease {
        token: format!("not-{}", lease.token),
        ..lease.clone()
    }
}

pub async fn ping_succeeds(h: &Harness) {
    h.locks.ping().await.unwrap();
}

pub async fn acquire_contend_release_and_reacquire_with_a_higher_fence(h: &Harness) {
    let first = h.locks.try_acquire("room-101", TTL).await.unwrap().unwrap();
    assert_eq!(first.key, "room-101");
    assert!(first.fence >= 1);
    assert!(!first.token.is_empty());

    assert_eq!(
        h.locks.try_acquire("room-101", TTL).await.unwrap(),
        None,
        "it is held"
    );

    assert!(h.locks.release(&first).await.unwrap());
    assert!(
        !h.locks.release(&first).await.unwrap(),
        "a released lease is no longer ours"
    );
    assert!(
        !h.locks.extend(&first, TTL).await.unwrap(),
        "nor can it be extended"
    );

    let second = h.locks.try_acquire("room-101", TTL).await.unwrap().unwrap();
    assert!(
        second.fence > first.fence,
        "{second:?} must be fenced above {first:?}"
    );
    assert_ne!(second.token, first.token);
}

pub async fn only_the_owner_extends(h: &Harness) {
    let short = Duration::from_secs(30);
    let long = Duration::from_secs(300);
    let lease = h.locks.try_acquire("k", short).await.unwrap().unwrap();
    h.time.approach_expiry(Expiring::Lock("k"), short).await;

    assert!(
        !h.locks.extend(&forged(&lease), long).await.unwrap(),
        "a stranger cannot extend"
    );
    assert!(h.locks.extend(&lease, long).await.unwrap(), "the owner can");

    h.time.approach_expiry(Expiring::Lock("k"), long).await;
    assert_eq!(
        h.locks.try_acquire("k", TTL).await.unwrap(),
        None,
        "still held after extension"
    );
    assert!(h.locks.release(&lease).await.unwrap());
}

pub async fn a_non_owner_cannot_release(h: &Harness) {
    let lease = h.locks.try_acquire("k", TTL).await.unwrap().unwrap();

    assert!(!h.locks.release(&forged(&lease)).await.unwrap());
    assert_eq!(
        h.locks.try_acquire("k", TTL).await.unwrap(),
        None,
        "the lock is still held"
    );

    let other_key = Lease {
        key: "other".to_owned(),
        ..lease.clone()
    };
    assert!(
        !h.locks.release(&other_key).await.unwrap(),
        "a token does not open another key"
    );

    assert!(h.locks.release(&lease).await.unwrap());
}

pub async fn expiry_lets_another_take_it_with_a_higher_fence(h: &Harness) {
    let old = h.locks.try_acquire("k", TTL).await.unwrap().unwrap();

    h.time.approach_expiry(Expiring::Lock("k"), TTL).await;
    assert_eq!(
        h.locks.try_acquire("k", TTL).await.unwrap(),
        None,
        "held until it expires"
    );

    h.time.cross_expiry(Expiring::Lock("k")).await;
    let new = h.locks.try_acquire("k", TTL).await.unwrap().unwrap();
    assert!(
        new.fence > old.fence,
        "{new:?} must be fenced above {old:?}"
    );

    assert!(
        !h.locks.extend(&old, TTL).await.unwrap(),
        "the expired holder cannot extend"
    );
    assert!(
        !h.locks.release(&old).await.unwrap(),
        "nor release the new holder's lock"
    );
    assert_eq!(h.locks.try_acquire("k", TTL).await.unwrap(), None);
    assert!(h.locks.release(&new).await.unwrap());
}

pub async fn fences_are_counted_per_key(h: &Harness) {
    let a1 = h.locks.try_acquire("a", TTL).await.unwrap().unwrap();
    let b1 = h.locks.try_acquire("b", TTL).await.unwrap().unwrap();
    assert!(h.locks.release(&a1).await.unwrap());

    let mut fence = a1.fence;
    for _ in 0..3 {
        let a = h.locks.try_acquire("a", TTL).await.unwrap().unwrap();
        assert_eq!(
            a.fence,
            fence + 1,
            "each acquisition of `a` draws the next fence"
        );
        fence = a.fence;
        assert!(h.locks.release(&a).await.unwrap());
    }

    assert!(h.locks.release(&b1).await.unwrap());
    let b2 = h.locks.try_acquire("b", TTL).await.unwrap().unwrap();
    assert_eq!(
        b2.fence,
        b1.fence + 1,
        "`b` is not affected by acquisitions of `a`"
    );
}

pub async fn claim_once_is_true_then_false_until_it_expires(h: &Harness) {
    assert!(
        h.locks.claim_once("wamid.1", TTL).await.unwrap(),
        "the first claim wins"
    );
    assert!(
        !h.locks.claim_once("wamid.1", TTL).await.unwrap(),
        "a repeat is a duplicate"
    );
    assert!(
        h.locks.claim_once("wamid.2", TTL).await.unwrap(),
        "other keys are independent"
    );

    h.time
        .approach_expiry(Expiring::Claim("wamid.1"), TTL)
        .await;
    assert!(
        !h.locks.claim_once("wamid.1", TTL).await.unwrap(),
        "still a duplicate within ttl"
    );

    h.time.cross_expiry(Expiring::Claim("wamid.1")).await;
    assert!(
        h.locks.claim_once("wamid.1", TTL).await.unwrap(),
        "claimable again after ttl"
    );
}

/// Runs `attempt` in `tasks` concurrent tasks released together, and returns their results.
async fn race<T, F, Fut>(h: &Harness, tasks: usize, attempt: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(Arc<dyn hotel_locks::LockManager>) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
{
    let barrier = Arc::new(Barrier::new(tasks));
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let run = attempt(Arc::clone(&h.locks));
            tokio::spawn(async move {
                barrier.wait().await;
                run.await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(tasks);
    for handle in handles {
        results.push(handle.await.unwrap());
    }
    results
}

pub async fn of_many_concurrent_acquirers_exactly_one_wins(h: &Harness) {
    let results = race(
        h,
        16,
        |locks| async move { locks.try_acquire("hot", TTL).await },
    )
    .await;
    let leases: Vec<Lease> = results.into_iter().filter_map(|r| r.unwrap()).collect();
    assert_eq!(leases.len(), 1, "exactly one lease: {leases:?}");

    assert!(
        h.locks.release(&leases[0]).await.unwrap(),
        "the winner holds it"
    );
}

pub async fn of_many_concurrent_claimers_exactly_one_wins(h: &Harness) {
    let results = race(
        h,
        16,
        |locks| async move { locks.claim_once("msg", TTL).await },
    )
    .await;
    let wins = results.into_iter().filter(|r| *r.as_ref().unwrap()).count();
    assert_eq!(wins, 1);
}
