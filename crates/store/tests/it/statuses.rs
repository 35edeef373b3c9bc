//! Delivery status callbacks: monotonic, deduplicated, failures final, early callbacks kept.

use hotel_domain::DeliveryState;
use hotel_store::{Backend, OutboundStatus, StatusOutcome, Store};

use crate::support::{
    LEASE, at, failure, message, on_both_backends, reply, status, store_with_tenant,
};

/// Puts one reply through the outbox and has it accepted as `wamid`; returns its id.
async fn accepted_reply(store: &Store, wamid: &str) -> i64 {
    let id = sent_reply(store).await;
    store
        .mark_outbound_accepted(id, "out", wamid, at(15, 0, 1))
        .await
        .expect("accepted");
    id
}

/// Puts one reply through the outbox and leaves it `sending` (claimed by `out`); returns its id.
async fn sent_reply(store: &Store) -> i64 {
    let t0 = at(15, 0, 0);
    store
        .insert_inbound(&[message("g1", "m1", at(10, 0, 0))], t0)
        .await
        .expect("insert");
    let inbound = store
        .claim_inbound("in", 1, t0, LEASE)
        .await
        .expect("claim");
    assert!(
        store
            .complete_inbound(inbound[0].id, "in", &[reply(&inbound[0], "hola")], t0)
            .await
            .expect("complete")
    );
    let claimed = store
        .claim_outbound("out", 1, t0, LEASE)
        .await
        .expect("claim");
    claimed[0].id
}

async fn current(
    store: &Store,
    id: i64,
) -> (OutboundStatus, Option<chrono::DateTime<chrono::Utc>>) {
    let timeline = store
        .outbound_timeline(id)
        .await
        .expect("read")
        .expect("stored");
    (timeline.status, timeline.final_at)
}

async fn statuses_only_move_forward(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let id = accepted_reply(store, "wamid.f").await;
    let new = StatusOutcome {
        outbound_id: Some(id),
        duplicate: false,
    };

    assert_eq!(
        store
            .apply_delivery_status(
                &status("wamid.f", DeliveryState::Sent, at(15, 0, 2)),
                at(15, 0, 3)
            )
            .await
            .expect("sent"),
        new
    );
    assert_eq!(
        current(store, id).await,
        (OutboundStatus::Sent, Some(at(15, 0, 3))),
        "final_at on the first sent"
    );
    store
        .apply_delivery_status(
            &status("wamid.f", DeliveryState::Read, at(15, 0, 5)),
            at(15, 0, 6),
        )
        .await
        .expect("read");
    assert_eq!(
        current(store, id).await,
        (OutboundStatus::Read, Some(at(15, 0, 3))),
        "final_at is kept"
    );
    // Delivered arrives after read (Meta does not order callbacks): recorded, no step back.
    let late = store
        .apply_delivery_status(
            &status("wamid.f", DeliveryState::Delivered, at(15, 0, 4)),
            at(15, 0, 7),
        )
        .await;
    assert_eq!(late.expect("delivered"), new);
    assert_eq!(current(store, id).await.0, OutboundStatus::Read);
}

async fn a_repeated_status_is_a_duplicate(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let id = accepted_reply(store, "wamid.d").await;
    let sent = status("wamid.d", DeliveryState::Sent, at(15, 0, 2));
    let first = store
        .apply_delivery_status(&sent, at(15, 0, 3))
        .await
        .expect("first");
    assert_eq!(
        first,
        StatusOutcome {
            outbound_id: Some(id),
            duplicate: false
        }
    );
    let again = store
        .apply_delivery_status(&sent, at(15, 0, 9))
        .await
        .expect("again");
    assert_eq!(
        again,
        StatusOutcome {
            outbound_id: Some(id),
            duplicate: true
        }
    );
    assert_eq!(
        current(store, id).await,
        (OutboundStatus::Sent, Some(at(15, 0, 3)))
    );
}

async fn a_failure_is_final_and_records_the_error(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let id = accepted_reply(store, "wamid.x").await;
    store
        .apply_delivery_status(
            &status("wamid.x", DeliveryState::Sent, at(15, 0, 2)),
            at(15, 0, 3),
        )
        .await
        .expect("sent");
    store
        .apply_delivery_status(&failure("wamid.x", 131_026, at(15, 0, 4)), at(15, 0, 5))
        .await
        .expect("failed");
    let record = store
        .outbound_by_id(id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(record.status, "failed");
    assert_eq!(record.error_code, Some(131_026));
    assert_eq!(
        record.last_error.as_deref(),
        Some("Message undeliverable (131026): no WhatsApp")
    );
    store
        .apply_delivery_status(
            &status("wamid.x", DeliveryState::Read, at(15, 0, 6)),
            at(15, 0, 7),
        )
        .await
        .expect("read");
    assert_eq!(
        current(store, id).await,
        (OutboundStatus::Failed, Some(at(15, 0, 3))),
        "failed is terminal"
    );
}

async fn a_status_before_the_acceptance_is_applied_on_acceptance(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let id = sent_reply(store).await;
    // The callback beats the sender's own bookkeeping.
    let early = store
        .apply_delivery_status(
            &status("wamid.e", DeliveryState::Delivered, at(15, 0, 2)),
            at(15, 0, 2),
        )
        .await;
    assert_eq!(
        early.expect("early"),
        StatusOutcome {
            outbound_id: None,
            duplicate: false
        }
    );
    store
        .apply_delivery_status(
            &status("wamid.e", DeliveryState::Sent, at(15, 0, 1)),
            at(15, 0, 2),
        )
        .await
        .expect("sent");
    assert_eq!(current(store, id).await.0, OutboundStatus::Sending);

    store
        .mark_outbound_accepted(id, "out", "wamid.e", at(15, 0, 3))
        .await
        .expect("accepted");
    assert_eq!(
        current(store, id).await,
        (OutboundStatus::Delivered, Some(at(15, 0, 3)))
    );
    let record = store
        .outbound_by_id(id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(record.provider_message_id.as_deref(), Some("wamid.e"));
    let repeat = store
        .apply_delivery_status(
            &status("wamid.e", DeliveryState::Delivered, at(15, 0, 2)),
            at(15, 0, 4),
        )
        .await;
    assert_eq!(
        repeat.expect("repeat"),
        StatusOutcome {
            outbound_id: Some(id),
            duplicate: true
        }
    );
}

async fn an_early_failure_is_applied_on_acceptance(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let id = sent_reply(store).await;
    store
        .apply_delivery_status(&failure("wamid.ef", 131_047, at(15, 0, 2)), at(15, 0, 2))
        .await
        .expect("failed");
    store
        .apply_delivery_status(
            &status("wamid.ef", DeliveryState::Sent, at(15, 0, 1)),
            at(15, 0, 2),
        )
        .await
        .expect("sent");
    store
        .mark_outbound_accepted(id, "out", "wamid.ef", at(15, 0, 3))
        .await
        .expect("accepted");
    let record = store
        .outbound_by_id(id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (record.status.as_str(), record.error_code),
        ("failed", Some(131_047))
    );
}

async fn a_status_for_an_unknown_message_is_kept(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let unknown = status("wamid.unknown", DeliveryState::Read, at(15, 0, 2));
    let first = store
        .apply_delivery_status(&unknown, at(15, 0, 3))
        .await
        .expect("first");
    assert_eq!(
        first,
        StatusOutcome {
            outbound_id: None,
            duplicate: false
        }
    );
    let again = store
        .apply_delivery_status(&unknown, at(15, 0, 4))
        .await
        .expect("again");
    assert_eq!(
        again,
        StatusOutcome {
            outbound_id: None,
            duplicate: true
        }
    );
}

on_both_backends!(
    statuses_only_move_forward,
    a_repeated_status_is_a_duplicate,
    a_failure_is_final_and_records_the_error,
    a_status_before_the_acceptance_is_applied_on_acceptance,
    an_early_failure_is_applied_on_acceptance,
    a_status_for_an_unknown_message_is_kept,
);
