//! The outbox: claims in order per conversation, acceptance, retries, dead letters, listing.

use chrono::Duration;
use hotel_domain::{OutboundBody, WaId};
use hotel_store::{Backend, OutboundStatus};

use crate::support::{
    LEASE, at, message, on_both_backends, reply, reply_to_guest, store_with_tenant, tenant,
};

async fn replies_are_claimed_in_order_per_conversation(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    store
        .insert_inbound(
            &[
                message("guest-a", "a1", at(10, 0, 0)),
                message("guest-b", "b1", at(10, 0, 1)),
            ],
            at(10, 0, 2),
        )
        .await
        .expect("insert");
    let t0 = at(10, 1, 0);
    let claimed = store
        .claim_inbound("in", 10, t0, LEASE)
        .await
        .expect("claim");
    let (a1, b1) = (&claimed[0], &claimed[1]);
    assert!(
        store
            .complete_inbound(a1.id, "in", &[reply(a1, "uno"), reply(a1, "dos")], t0)
            .await
            .expect("complete")
    );
    assert!(
        store
            .complete_inbound(b1.id, "in", &[reply(b1, "hi")], t0)
            .await
            .expect("complete")
    );
    assert_eq!(store.outbox_depth().await.expect("depth"), 3);

    let sending = store
        .claim_outbound("out", 10, t0, LEASE)
        .await
        .expect("claim");
    let texts: Vec<_> = sending.iter().map(|r| r.body.clone()).collect();
    assert_eq!(
        texts,
        [
            OutboundBody::Text {
                body: "uno".into(),
                preview_url: false
            },
            OutboundBody::Text {
                body: "hi".into(),
                preview_url: false
            }
        ],
        "the first reply of each guest; `dos` waits"
    );
    let uno = &sending[0];
    assert_eq!(uno.tenant_id, tenant());
    assert_eq!(uno.to, WaId::new("guest-a"));
    assert_eq!(uno.reply_to.as_deref(), Some("a1"));
    assert_eq!(uno.inbound_id, Some(a1.id));
    assert_eq!((uno.status.as_str(), uno.attempts), ("sending", 1));
    assert!(
        store
            .claim_outbound("out", 10, t0, LEASE)
            .await
            .expect("claim")
            .is_empty()
    );

    store
        .mark_outbound_accepted(uno.id, "out", "wamid.out.1", t0)
        .await
        .expect("accepted");
    let accepted = store
        .outbound_by_id(uno.id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(accepted.status, OutboundStatus::Accepted.as_str());
    assert_eq!(accepted.provider_message_id.as_deref(), Some("wamid.out.1"));
    let timeline = store
        .outbound_timeline(uno.id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!((timeline.locked_by, timeline.final_at), (None, None));

    let next = store
        .claim_outbound("out", 10, t0, LEASE)
        .await
        .expect("claim");
    assert_eq!(next.len(), 1);
    assert_eq!(
        next[0].body,
        OutboundBody::Text {
            body: "dos".into(),
            preview_url: false
        }
    );
    assert_eq!(
        store.outbox_depth().await.expect("depth"),
        2,
        "dos and hi are still sending"
    );
}

async fn a_retry_waits_and_keeps_the_error(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let t0 = at(11, 0, 0);
    store
        .insert_inbound(&[message("g1", "m1", at(10, 0, 0))], t0)
        .await
        .expect("insert");
    let inbound = store
        .claim_inbound("in", 1, t0, LEASE)
        .await
        .expect("claim");
    let replies = [reply(&inbound[0], "one"), reply(&inbound[0], "two")];
    assert!(
        store
            .complete_inbound(inbound[0].id, "in", &replies, t0)
            .await
            .expect("complete")
    );

    let first = store
        .claim_outbound("out", 10, t0, LEASE)
        .await
        .expect("claim");
    let retry_at = t0 + Duration::seconds(120);
    store
        .mark_outbound_retry(
            first[0].id,
            "out",
            "429 too many requests",
            Some(130_429),
            retry_at,
        )
        .await
        .expect("retry");
    let record = store
        .outbound_by_id(first[0].id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(record.status, "pending");
    assert_eq!(record.last_error.as_deref(), Some("429 too many requests"));
    assert_eq!(record.error_code, Some(130_429));
    let timeline = store
        .outbound_timeline(first[0].id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (
            timeline.next_attempt_at,
            timeline.locked_by,
            timeline.locked_until
        ),
        (retry_at, None, None)
    );

    assert!(
        store
            .claim_outbound("out", 10, retry_at - Duration::seconds(1), LEASE)
            .await
            .expect("claim")
            .is_empty(),
        "not due yet, and `two` stays behind `one`"
    );
    let again = store
        .claim_outbound("out", 10, retry_at, LEASE)
        .await
        .expect("claim");
    assert_eq!(
        (again.len(), again[0].id, again[0].attempts),
        (1, first[0].id, 2)
    );
}

async fn a_dead_letter_is_final_and_unblocks_the_conversation(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let t0 = at(12, 0, 0);
    store
        .insert_inbound(&[message("g1", "m1", at(10, 0, 0))], t0)
        .await
        .expect("insert");
    let inbound = store
        .claim_inbound("in", 1, t0, LEASE)
        .await
        .expect("claim");
    let replies = [reply(&inbound[0], "one"), reply(&inbound[0], "two")];
    assert!(
        store
            .complete_inbound(inbound[0].id, "in", &replies, t0)
            .await
            .expect("complete")
    );

    let first = store
        .claim_outbound("out", 10, t0, LEASE)
        .await
        .expect("claim");
    store
        .mark_outbound_dead(first[0].id, "out", "invalid recipient", Some(131_026), t0)
        .await
        .expect("dead");
    let record = store
        .outbound_by_id(first[0].id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (record.status.as_str(), record.error_code),
        ("dead", Some(131_026))
    );
    assert_eq!(record.last_error.as_deref(), Some("invalid recipient"));
    let timeline = store
        .outbound_timeline(first[0].id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (timeline.status, timeline.final_at),
        (OutboundStatus::Dead, Some(t0))
    );
    assert_eq!(store.outbox_depth().await.expect("depth"), 1);

    let next = store
        .claim_outbound("out", 10, t0, LEASE)
        .await
        .expect("claim");
    assert_eq!(
        next[0].body,
        OutboundBody::Text {
            body: "two".into(),
            preview_url: false
        }
    );
    // A dead letter stays dead: the lease holder's later calls do nothing.
    store
        .mark_outbound_accepted(first[0].id, "out", "wamid.dead", t0)
        .await
        .expect("no-op");
    assert_eq!(
        store
            .outbound_by_id(first[0].id)
            .await
            .expect("read")
            .expect("stored")
            .status,
        "dead"
    );
}

async fn an_expired_send_lease_is_reclaimed(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let t0 = at(13, 0, 0);
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
            .complete_inbound(inbound[0].id, "in", &[reply(&inbound[0], "one")], t0)
            .await
            .expect("complete")
    );

    let first = store
        .claim_outbound("out-1", 10, t0, LEASE)
        .await
        .expect("claim");
    assert!(
        store
            .claim_outbound("out-2", 10, t0 + Duration::seconds(30), LEASE)
            .await
            .expect("claim")
            .is_empty()
    );
    let reclaimed = store
        .claim_outbound("out-2", 10, t0 + Duration::seconds(31), LEASE)
        .await
        .expect("claim");
    assert_eq!((reclaimed[0].id, reclaimed[0].attempts), (first[0].id, 2));

    // The first sender comes back late: its acceptance is ignored, the holder's counts.
    store
        .mark_outbound_accepted(first[0].id, "out-1", "wamid.stale", t0)
        .await
        .expect("no-op");
    store
        .mark_outbound_retry(first[0].id, "out-1", "stale", None, t0)
        .await
        .expect("no-op");
    store
        .mark_outbound_dead(first[0].id, "out-1", "stale", None, t0)
        .await
        .expect("no-op");
    let record = store
        .outbound_by_id(first[0].id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (record.status.as_str(), record.provider_message_id),
        ("sending", None)
    );
    store
        .mark_outbound_accepted(first[0].id, "out-2", "wamid.fresh", t0)
        .await
        .expect("accepted");
    let record = store
        .outbound_by_id(first[0].id)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(record.provider_message_id.as_deref(), Some("wamid.fresh"));
}

async fn the_outbox_lists_a_tenants_messages_newest_first(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let t0 = at(14, 0, 0);
    store
        .insert_inbound(&[message("g1", "m1", at(10, 0, 0))], t0)
        .await
        .expect("insert");
    let inbound = store
        .claim_inbound("in", 1, t0, LEASE)
        .await
        .expect("claim");
    let replies = [
        reply_to_guest("g1", "one"),
        reply_to_guest("g2", "two"),
        reply_to_guest("g3", "three"),
    ];
    assert!(
        store
            .complete_inbound(inbound[0].id, "in", &replies, t0)
            .await
            .expect("complete")
    );
    let listed = store.list_outbound(&tenant(), 2).await.expect("list");
    let bodies: Vec<_> = listed.iter().map(|r| r.body.clone()).collect();
    assert_eq!(
        bodies,
        [
            OutboundBody::Text {
                body: "three".into(),
                preview_url: false
            },
            OutboundBody::Text {
                body: "two".into(),
                preview_url: false
            }
        ]
    );
    assert!(
        listed
            .iter()
            .all(|r| r.inbound_id.is_none() && r.status == "pending" && r.attempts == 0)
    );
    assert!(
        store
            .list_outbound(&hotel_domain::TenantId::new("other"), 10)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(store.outbound_by_id(999_999).await.expect("read").is_none());
    assert_eq!(store.outbox_depth().await.expect("depth"), 3);
}

async fn messages_can_be_queued_without_a_guest_message(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let t0 = at(11, 0, 0);
    assert!(
        store
            .enqueue_outbound(&[], t0)
            .await
            .expect("nothing")
            .is_empty()
    );
    let ids = store
        .enqueue_outbound(
            &[
                reply_to_guest("g9", "first"),
                reply_to_guest("g9", "second"),
            ],
            t0,
        )
        .await
        .expect("enqueue");
    assert_eq!(ids.len(), 2);
    assert!(ids[0] < ids[1]);
    let claimed = store
        .claim_outbound("out", 10, t0, LEASE)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1, "in order: the second waits for the first");
    assert_eq!(claimed[0].id, ids[0]);
    assert_eq!(claimed[0].inbound_id, None);
}

on_both_backends!(
    messages_can_be_queued_without_a_guest_message,
    replies_are_claimed_in_order_per_conversation,
    a_retry_waits_and_keeps_the_error,
    a_dead_letter_is_final_and_unblocks_the_conversation,
    an_expired_send_lease_is_reclaimed,
    the_outbox_lists_a_tenants_messages_newest_first,
);
