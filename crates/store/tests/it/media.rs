//! Attachments on inbound rows, the customer-service window's start, deferred sends, media rows.

use chrono::Duration;
use hotel_domain::{Attachment, GeoPoint, InboundKind, MediaKind, MediaRef, TenantId};
use hotel_store::{Backend, NewMediaFile};

use crate::support::{LEASE, at, message, on_both_backends, reply, store_with_tenant, tenant};

async fn attachments_are_stored_with_the_message(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let mut photo = message("g1", "m1", at(10, 0, 0));
    photo.kind = InboundKind::Image;
    photo.attachment = Some(Attachment::Media(MediaRef {
        kind: MediaKind::Image,
        id: "1234567890".into(),
        url: None,
        mime_type: Some("image/jpeg".into()),
        sha256: Some("abc".into()),
        filename: None,
        voice: false,
        animated: false,
    }));
    let mut pin = message("g2", "m2", at(10, 0, 1));
    pin.kind = InboundKind::Location;
    pin.attachment = Some(Attachment::Location(GeoPoint {
        latitude: -34.6037,
        longitude: -58.3816,
        name: Some("Obelisco".into()),
        address: None,
    }));
    store
        .insert_inbound(&[photo.clone(), pin.clone()], at(10, 0, 2))
        .await
        .expect("insert");
    for sent in [photo, pin] {
        let stored = store
            .inbound_by_provider_id(&tenant(), &sent.provider_message_id)
            .await
            .expect("read")
            .expect("stored");
        assert_eq!(stored.message, sent);
    }
    let claimed = store
        .claim_inbound("w", 10, at(10, 0, 3), LEASE)
        .await
        .expect("claim");
    assert!(claimed.iter().all(|c| c.message.attachment.is_some()));
}

async fn the_window_starts_at_the_guests_latest_message(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    assert_eq!(
        store.last_inbound(&tenant(), "g1").await.expect("read"),
        None
    );
    store
        .insert_inbound(
            &[
                message("g1", "m1", at(10, 0, 0)),
                message("g1", "m2", at(12, 30, 0)),
                message("g1", "m0", at(9, 0, 0)),
                message("g2", "m3", at(13, 0, 0)),
            ],
            at(13, 0, 0),
        )
        .await
        .expect("insert");
    let last = store
        .last_inbound(&tenant(), "g1")
        .await
        .expect("read")
        .expect("g1 wrote");
    assert_eq!(last.sent_at, at(12, 30, 0));
    assert_eq!(last.profile_name.as_deref(), Some("Ana"));
    assert_eq!(
        store
            .last_inbound(&TenantId::new("other"), "g1")
            .await
            .expect("read"),
        None
    );
}

async fn a_deferred_send_keeps_its_attempts_and_waits(backend: Backend) {
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
    store
        .complete_inbound(inbound[0].id, "in", &[reply(&inbound[0], "hola")], t0)
        .await
        .expect("complete");
    let sending = store
        .claim_outbound("out", 1, t0, LEASE)
        .await
        .expect("claim");
    assert_eq!(sending[0].attempts, 1);
    let later = t0 + Duration::seconds(6);
    store
        .defer_outbound(sending[0].id, "someone-else", later)
        .await
        .expect("defer ignored without the lease");
    store
        .defer_outbound(sending[0].id, "out", later)
        .await
        .expect("defer");
    assert!(
        store
            .claim_outbound("out", 1, later - Duration::seconds(1), LEASE)
            .await
            .expect("claim")
            .is_empty()
    );
    let again = store
        .claim_outbound("out", 1, later, LEASE)
        .await
        .expect("claim");
    assert_eq!((again[0].id, again[0].attempts), (sending[0].id, 1));
}

async fn media_records_are_kept_once_and_purged_after_retention(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    store
        .insert_inbound(
            &[
                message("g1", "m1", at(10, 0, 0)),
                message("g1", "m2", at(10, 0, 1)),
            ],
            at(10, 0, 2),
        )
        .await
        .expect("insert");
    let ids: Vec<i64> = {
        let mut ids = Vec::new();
        for wamid in ["m1", "m2"] {
            ids.push(
                store
                    .inbound_by_provider_id(&tenant(), wamid)
                    .await
                    .expect("read")
                    .expect("stored")
                    .id,
            );
        }
        ids
    };
    let file = |inbound_id| NewMediaFile {
        tenant_id: tenant(),
        inbound_id,
        provider_media_id: format!("media-{inbound_id}"),
        sha256: "ab".repeat(32),
        mime_type: "image/jpeg".into(),
        size_bytes: 2048,
    };
    assert!(
        store
            .record_media(&file(ids[0]), at(10, 1, 0))
            .await
            .expect("record")
    );
    assert!(
        !store
            .record_media(&file(ids[0]), at(10, 1, 5))
            .await
            .expect("again")
    );
    assert!(
        store
            .record_media(&file(ids[1]), at(12, 0, 0))
            .await
            .expect("record")
    );
    let first = store
        .media_for_inbound(ids[0])
        .await
        .expect("read")
        .expect("recorded");
    assert_eq!(
        (first.stored_at, first.size_bytes, first.mime_type.as_str()),
        (at(10, 1, 0), 2048, "image/jpeg")
    );

    let purged = store
        .purge_media_before(at(11, 0, 0), 100)
        .await
        .expect("purge");
    assert_eq!(purged.len(), 1);
    assert_eq!(purged[0].inbound_id, ids[0]);
    assert!(
        store
            .media_for_inbound(ids[0])
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        store
            .media_hash_in_use(&tenant(), &"ab".repeat(32))
            .await
            .expect("read"),
        "the second message still refers to the same content"
    );
    let purged = store
        .purge_media_before(at(13, 0, 0), 100)
        .await
        .expect("purge");
    assert_eq!(purged.len(), 1);
    assert!(
        !store
            .media_hash_in_use(&tenant(), &"ab".repeat(32))
            .await
            .expect("read")
    );
    assert!(
        store
            .purge_media_before(at(13, 0, 0), 100)
            .await
            .expect("purge")
            .is_empty()
    );
}

on_both_backends!(
    attachments_are_stored_with_the_message,
    the_window_starts_at_the_guests_latest_message,
    a_deferred_send_keeps_its_attempts_and_waits,
    media_records_are_kept_once_and_purged_after_retention,
);
