//! The inbox: duplicates, per-conversation order, leases, retries and failures.

use chrono::Duration;
use hotel_store::{Backend, InboundStatus};

use crate::support::{LEASE, at, ids, message, on_both_backends, reply, store_with_tenant, tenant};

async fn a_duplicate_message_is_dropped(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let m1 = message("g1", "wamid.1", at(10, 0, 0));
    let m2 = message("g1", "wamid.2", at(10, 0, 1));
    let stored = store
        .insert_inbound(&[m1.clone(), m2, m1.clone()], at(10, 0, 5))
        .await
        .expect("insert");
    assert_eq!(
        stored,
        vec![true, true, false],
        "a repeat inside one batch is dropped too"
    );
    assert_eq!(
        store
            .insert_inbound(std::slice::from_ref(&m1), at(10, 0, 6))
            .await
            .expect("insert"),
        vec![false]
    );
    assert_eq!(
        store
            .insert_inbound(&[], at(10, 0, 6))
            .await
            .expect("insert"),
        Vec::<bool>::new()
    );

    let record = store
        .inbound_by_provider_id(&tenant(), "wamid.1")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(record.message, m1);
    assert_eq!(record.status, InboundStatus::Pending);
    assert_eq!(record.attempts, 0);
    assert_eq!(record.received_at, at(10, 0, 5), "the first copy is kept");
    assert!(
        store
            .inbound_by_provider_id(&tenant(), "wamid.none")
            .await
            .expect("read")
            .is_none()
    );
}

async fn one_guest_is_processed_in_order_and_guests_in_parallel(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let messages = [
        message("guest-a", "a2", at(10, 0, 2)),
        message("guest-a", "a1", at(10, 0, 1)),
        message("guest-b", "b1", at(10, 0, 3)),
    ];
    store
        .insert_inbound(&messages, at(10, 0, 5))
        .await
        .expect("insert");
    let now = at(10, 1, 0);

    let first = store
        .claim_inbound("w1", 10, now, LEASE)
        .await
        .expect("claim");
    assert_eq!(
        ids(&first),
        ["a1", "b1"],
        "the oldest of each guest, oldest first"
    );
    assert!(first.iter().all(|c| c.attempts == 1));
    assert!(
        store
            .claim_inbound("w2", 10, now, LEASE)
            .await
            .expect("claim")
            .is_empty(),
        "a2 waits for a1"
    );

    let a1 = &first[0];
    assert!(
        store
            .complete_inbound(a1.id, "w1", &[reply(a1, "hola")], now)
            .await
            .expect("complete")
    );
    let second = store
        .claim_inbound("w2", 10, now, LEASE)
        .await
        .expect("claim");
    assert_eq!(
        ids(&second),
        ["a2"],
        "a2 once a1 is done; b1 is still in hand"
    );

    let record = store
        .inbound_by_provider_id(&tenant(), "a1")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(record.status, InboundStatus::Done);
    assert_eq!(record.processed_at, Some(now));
    assert_eq!(record.locked_by, None);
    let record = store
        .inbound_by_provider_id(&tenant(), "a2")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (record.status, record.locked_by.as_deref()),
        (InboundStatus::Processing, Some("w2"))
    );
    assert_eq!(record.locked_until, Some(now + Duration::seconds(30)));
}

async fn same_sent_at_is_ordered_by_id_and_limit_is_respected(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let same = at(10, 0, 0);
    let batch = [
        message("g1", "x1", same),
        message("g1", "x2", same),
        message("g2", "y1", same),
        message("g3", "z1", same),
    ];
    store
        .insert_inbound(&batch, at(10, 0, 1))
        .await
        .expect("insert");
    let claimed = store
        .claim_inbound("w", 2, at(10, 1, 0), LEASE)
        .await
        .expect("claim");
    assert_eq!(ids(&claimed), ["x1", "y1"], "two rows, x1 before x2 by id");
    assert_eq!(
        store
            .claim_inbound("w", 0, at(10, 1, 0), LEASE)
            .await
            .expect("claim")
            .len(),
        0
    );
    let rest = store
        .claim_inbound("w", 10, at(10, 1, 0), LEASE)
        .await
        .expect("claim");
    assert_eq!(ids(&rest), ["z1"]);
}

async fn a_message_arriving_late_waits_for_the_live_lease(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    // The newer message arrives (and is claimed) first; the older one shows up afterwards.
    store
        .insert_inbound(&[message("g1", "late-2", at(10, 0, 2))], at(10, 0, 3))
        .await
        .expect("insert");
    let first = store
        .claim_inbound("w1", 10, at(10, 0, 4), LEASE)
        .await
        .expect("claim");
    assert_eq!(ids(&first), ["late-2"]);
    store
        .insert_inbound(&[message("g1", "late-1", at(10, 0, 1))], at(10, 0, 5))
        .await
        .expect("insert");
    assert!(
        store
            .claim_inbound("w2", 10, at(10, 0, 6), LEASE)
            .await
            .expect("claim")
            .is_empty(),
        "nothing of a conversation while one of its messages is under a live lease"
    );
    assert!(
        store
            .complete_inbound(first[0].id, "w1", &[], at(10, 0, 7))
            .await
            .expect("complete")
    );
    let next = store
        .claim_inbound("w2", 10, at(10, 0, 8), LEASE)
        .await
        .expect("claim");
    assert_eq!(ids(&next), ["late-1"]);
}

async fn an_expired_lease_is_reclaimed_and_the_old_worker_writes_nothing(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    store
        .insert_inbound(&[message("g1", "m1", at(10, 0, 0))], at(10, 0, 0))
        .await
        .expect("insert");
    let t0 = at(10, 1, 0);
    let claimed = store
        .claim_inbound("w1", 10, t0, LEASE)
        .await
        .expect("claim");
    let id = claimed[0].id;
    assert!(
        store
            .claim_inbound("w2", 10, t0 + Duration::seconds(29), LEASE)
            .await
            .expect("claim")
            .is_empty()
    );

    let reclaimed = store
        .claim_inbound("w2", 10, t0 + Duration::seconds(31), LEASE)
        .await
        .expect("claim");
    assert_eq!(
        ids(&reclaimed),
        ["m1"],
        "a crashed worker's message is picked up"
    );
    assert_eq!((reclaimed[0].id, reclaimed[0].attempts), (id, 2));

    let late = t0 + Duration::seconds(40);
    let lost = store
        .complete_inbound(id, "w1", &[reply(&claimed[0], "late")], late)
        .await
        .expect("complete");
    assert!(!lost, "the old worker lost its lease");
    assert_eq!(
        store.outbox_depth().await.expect("depth"),
        0,
        "and wrote nothing"
    );
    assert!(
        store
            .list_outbound(&tenant(), 10)
            .await
            .expect("list")
            .is_empty()
    );
    store
        .retry_inbound(id, "w1", "late retry", late)
        .await
        .expect("retry is a no-op");
    store
        .fail_inbound(id, "w1", "late failure", late)
        .await
        .expect("fail is a no-op");
    let record = store
        .inbound_by_provider_id(&tenant(), "m1")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (
            record.status,
            record.locked_by.as_deref(),
            record.last_error
        ),
        (InboundStatus::Processing, Some("w2"), None)
    );

    assert!(
        store
            .complete_inbound(id, "w2", &[reply(&reclaimed[0], "hola")], late)
            .await
            .expect("complete")
    );
    assert_eq!(store.outbox_depth().await.expect("depth"), 1);
}

async fn a_retry_waits_for_its_time_and_blocks_the_conversation(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    store
        .insert_inbound(
            &[
                message("g1", "r1", at(10, 0, 0)),
                message("g1", "r2", at(10, 0, 1)),
            ],
            at(10, 0, 2),
        )
        .await
        .expect("insert");
    let t0 = at(10, 1, 0);
    let claimed = store
        .claim_inbound("w1", 10, t0, LEASE)
        .await
        .expect("claim");
    assert_eq!(ids(&claimed), ["r1"]);
    let retry_at = t0 + Duration::seconds(60);
    store
        .retry_inbound(claimed[0].id, "w1", "pms timeout", retry_at)
        .await
        .expect("retry");

    let record = store
        .inbound_by_provider_id(&tenant(), "r1")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(record.status, InboundStatus::Pending);
    assert_eq!(record.last_error.as_deref(), Some("pms timeout"));
    assert_eq!((record.next_attempt_at, record.locked_by), (retry_at, None));
    assert!(
        store
            .claim_inbound("w1", 10, t0 + Duration::seconds(59), LEASE)
            .await
            .expect("claim")
            .is_empty(),
        "neither r1 (not due) nor r2 (behind r1)"
    );
    let again = store
        .claim_inbound("w1", 10, retry_at, LEASE)
        .await
        .expect("claim");
    assert_eq!(ids(&again), ["r1"]);
    assert_eq!(again[0].attempts, 2);
}

async fn a_failed_message_is_a_dead_letter_and_unblocks_the_conversation(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    store
        .insert_inbound(
            &[
                message("g1", "f1", at(10, 0, 0)),
                message("g1", "f2", at(10, 0, 1)),
            ],
            at(10, 0, 2),
        )
        .await
        .expect("insert");
    let t0 = at(10, 1, 0);
    let claimed = store
        .claim_inbound("w1", 10, t0, LEASE)
        .await
        .expect("claim");
    store
        .fail_inbound(claimed[0].id, "w1", "orchestrator crashed", t0)
        .await
        .expect("fail");
    let record = store
        .inbound_by_provider_id(&tenant(), "f1")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(record.status, InboundStatus::Failed);
    assert_eq!(record.status, "failed");
    assert_eq!(record.last_error.as_deref(), Some("orchestrator crashed"));
    assert_eq!(record.processed_at, Some(t0));
    let next = store
        .claim_inbound("w1", 10, t0, LEASE)
        .await
        .expect("claim");
    assert_eq!(ids(&next), ["f2"]);
    assert!(
        !store
            .complete_inbound(claimed[0].id, "w1", &[], t0)
            .await
            .expect("complete"),
        "failed is final"
    );
}

on_both_backends!(
    a_duplicate_message_is_dropped,
    one_guest_is_processed_in_order_and_guests_in_parallel,
    same_sent_at_is_ordered_by_id_and_limit_is_respected,
    a_message_arriving_late_waits_for_the_live_lease,
    an_expired_lease_is_reclaimed_and_the_old_worker_writes_nothing,
    a_retry_waits_for_its_time_and_blocks_the_conversation,
    a_failed_message_is_a_dead_letter_and_unblocks_the_conversation,
);
