//! Several workers claiming at once never share a row, and each guest's messages and replies
//! still go through in order.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hotel_store::{Backend, Store};

use crate::support::{LEASE, at, message, on_both_backends, reply, store_with_tenant};

const GUESTS: u32 = 8;
const PER_GUEST: u32 = 5;
const WORKERS: usize = 4;

/// Runs `WORKERS` inbox workers until every message is done; returns the processing log.
async fn drain_inbox(store: &Store) -> Vec<String> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let total = (GUESTS * PER_GUEST) as usize;
    let deadline = Instant::now() + Duration::from_secs(60);
    let workers = (0..WORKERS).map(|w| {
        let store = store.clone();
        let log = Arc::clone(&log);
        tokio::spawn(async move {
            let worker = format!("in-{w}");
            let now = at(10, 5, 0);
            while log.lock().expect("log").len() < total {
                assert!(Instant::now() < deadline, "the inbox did not drain in time");
                let claimed = store
                    .claim_inbound(&worker, 3, now, LEASE)
                    .await
                    .expect("claim");
                if claimed.is_empty() {
                    tokio::task::yield_now().await;
                    continue;
                }
                for row in claimed {
                    log.lock()
                        .expect("log")
                        .push(row.message.provider_message_id.clone());
                    let replies = [reply(&row, &row.message.provider_message_id)];
                    assert!(
                        store
                            .complete_inbound(row.id, &worker, &replies, now)
                            .await
                            .expect("complete")
                    );
                }
            }
        })
    });
    for finished in futures::future::join_all(workers).await {
        finished.expect("worker");
    }
    Arc::try_unwrap(log)
        .expect("workers finished")
        .into_inner()
        .expect("log")
}

/// Runs `WORKERS` senders until the outbox is empty; returns the accepted outbox ids in order.
async fn drain_outbox(store: &Store) -> Vec<(String, i64)> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let total = (GUESTS * PER_GUEST) as usize;
    let deadline = Instant::now() + Duration::from_secs(60);
    let workers = (0..WORKERS).map(|w| {
        let store = store.clone();
        let log = Arc::clone(&log);
        tokio::spawn(async move {
            let worker = format!("out-{w}");
            let now = at(10, 6, 0);
            while log.lock().expect("log").len() < total {
                assert!(
                    Instant::now() < deadline,
                    "the outbox did not drain in time"
                );
                let claimed = store
                    .claim_outbound(&worker, 3, now, LEASE)
                    .await
                    .expect("claim");
                if claimed.is_empty() {
                    tokio::task::yield_now().await;
                    continue;
                }
                for row in claimed {
                    log.lock()
                        .expect("log")
                        .push((row.to.as_str().to_owned(), row.id));
                    store
                        .mark_outbound_accepted(row.id, &worker, &format!("wamid.{}", row.id), now)
                        .await
                        .expect("accept");
                }
            }
        })
    });
    for finished in futures::future::join_all(workers).await {
        finished.expect("worker");
    }
    Arc::try_unwrap(log)
        .expect("workers finished")
        .into_inner()
        .expect("log")
}

async fn concurrent_workers_never_share_a_row_and_keep_each_guest_in_order(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let batch: Vec<_> = (0..GUESTS)
        .flat_map(|g| {
            (0..PER_GUEST)
                .map(move |n| message(&format!("g{g}"), &format!("g{g}-{n}"), at(10, 0, n)))
        })
        .collect();
    assert!(
        store
            .insert_inbound(&batch, at(10, 0, 30))
            .await
            .expect("insert")
            .iter()
            .all(|new| *new)
    );

    let processed = drain_inbox(store).await;
    let unique: HashSet<&String> = processed.iter().collect();
    assert_eq!(
        (processed.len(), unique.len()),
        (batch.len(), batch.len()),
        "each message exactly once"
    );
    let mut next_of_guest: HashMap<String, u32> = HashMap::new();
    for id in &processed {
        let (guest, n) = id.split_once('-').expect("g<guest>-<n>");
        let expected = next_of_guest.entry(guest.to_owned()).or_insert(0);
        assert_eq!(
            n.parse::<u32>().expect("n"),
            *expected,
            "{guest} out of order: {processed:?}"
        );
        *expected += 1;
    }
    assert_eq!(
        store.outbox_depth().await.expect("depth"),
        i64::from(GUESTS * PER_GUEST)
    );

    let sent = drain_outbox(store).await;
    let unique: HashSet<i64> = sent.iter().map(|(_, id)| *id).collect();
    assert_eq!(
        (sent.len(), unique.len()),
        (batch.len(), batch.len()),
        "each reply sent exactly once"
    );
    let mut last_of_guest: HashMap<&str, i64> = HashMap::new();
    for (guest, id) in &sent {
        let last = last_of_guest.entry(guest.as_str()).or_insert(0);
        assert!(*id > *last, "{guest}'s replies out of order: {sent:?}");
        *last = *id;
    }
    assert_eq!(store.outbox_depth().await.expect("depth"), 0);
}

on_both_backends!(concurrent_workers_never_share_a_row_and_keep_each_guest_in_order);
