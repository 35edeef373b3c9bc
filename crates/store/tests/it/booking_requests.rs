//! Booking requests waiting for staff: recorded once per reference, listed by status, decided
//! once (with the guest's messages queued in the same transaction), never decided twice.

use chrono::NaiveDate;
use hotel_domain::{Language, TenantId, WaId};
use hotel_store::{
    Backend, BookingDecision, BookingRequestRecord, BookingRequestStatus, DecisionOutcome,
    NewBookingRequest, NewTenant, Store, SubmitOutcome,
};

use crate::support::{
    LEASE, NUMBER, at, on_both_backends, reply_to_guest, store_with_tenant, tenant,
};

const GUEST: &str = "5491155550700";

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).expect("a December day")
}

fn request(reference: &str) -> NewBookingRequest {
    NewBookingRequest {
        tenant_id: tenant(),
        wa_id: WaId::new(GUEST),
        phone_number_id: NUMBER.into(),
        reference: reference.into(),
        room_type: "double".into(),
        room_name: "Doble".into(),
        check_in: day(15),
        check_out: day(17),
        adults: 2,
        children: 1,
        guest_name: "Ana Gómez".into(),
        guest_email: "ana@example.com".into(),
        total_minor: 13_000_000,
        currency: "ARS".into(),
        deposit_minor: Some(3_900_000),
        language: Some(Language::Es),
    }
}

async fn submit(store: &Store, new: &NewBookingRequest, minute: u32) -> SubmitOutcome {
    store
        .submit_booking_request(new, at(10, minute, 0))
        .await
        .expect("submitted")
}

fn created(outcome: SubmitOutcome) -> BookingRequestRecord {
    match outcome {
        SubmitOutcome::Created(record) => record,
        other => panic!("expected a new request, got {other:?}"),
    }
}

fn confirmation(by: &str) -> BookingDecision {
    BookingDecision {
        status: BookingRequestStatus::Confirmed,
        pms_booking_id: Some("DEMO-7".into()),
        decided_by: by.into(),
        note: None,
    }
}

const OPEN: [BookingRequestStatus; 2] = [
    BookingRequestStatus::AwaitingConfirmation,
    BookingRequestStatus::Failed,
];

async fn a_request_is_recorded_once_per_reference(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let new = request("WA-0000000000A1");
    let record = created(submit(store, &new, 0).await);
    assert_eq!(record.tenant_id, tenant());
    assert_eq!(record.wa_id.as_str(), GUEST);
    assert_eq!(record.phone_number_id, NUMBER);
    assert_eq!(record.reference, "WA-0000000000A1");
    assert_eq!(
        (record.room_type.as_str(), record.room_name.as_str()),
        ("double", "Doble")
    );
    assert_eq!((record.check_in, record.check_out), (day(15), day(17)));
    assert_eq!((record.adults, record.children), (2, 1));
    assert_eq!(record.guest_name, "Ana Gómez");
    assert_eq!(record.guest_email, "ana@example.com");
    assert_eq!(
        (
            record.total_minor,
            record.currency.as_str(),
            record.deposit_minor
        ),
        (13_000_000, "ARS", Some(3_900_000))
    );
    assert_eq!(record.language, Some(Language::Es));
    assert_eq!(record.status, BookingRequestStatus::AwaitingConfirmation);
    assert_eq!(record.pms_booking_id, None);
    assert_eq!((record.decided_by.clone(), record.decided_at), (None, None));
    assert_eq!(
        (record.created_at, record.updated_at),
        (at(10, 0, 0), at(10, 0, 0))
    );

    // The same reference again (a retried "paid"): the stored request, unchanged.
    let mut again = request("WA-0000000000A1");
    again.guest_name = "Someone Else".into();
    let existing = submit(store, &again, 5).await;
    assert_eq!(existing, SubmitOutcome::Existing(record.clone()));
    assert_eq!(existing.record(), &record);

    let read = store
        .booking_request(&tenant(), record.id)
        .await
        .expect("read");
    assert_eq!(read.as_ref(), Some(&record));
    let by_reference = store
        .booking_request_by_reference(&tenant(), "WA-0000000000A1")
        .await
        .expect("read");
    assert_eq!(by_reference.as_ref(), Some(&record));
    assert_eq!(
        store
            .booking_request(&tenant(), record.id + 1)
            .await
            .expect("read"),
        None
    );

    // Another hotel sees nothing of it, and may use the same reference for its own guest.
    let other = TenantId::new("h2");
    let hotel = NewTenant {
        id: other.clone(),
        name: "Hotel Dos".into(),
        phone_number_id: None,
        timezone: "UTC".into(),
        default_language: Language::En,
    };
    store
        .upsert_tenant(&hotel, at(9, 0, 0))
        .await
        .expect("tenant");
    assert_eq!(
        store
            .booking_request(&other, record.id)
            .await
            .expect("read"),
        None
    );
    let mut theirs = request("WA-0000000000A1");
    theirs.tenant_id = other.clone();
    let theirs = created(submit(store, &theirs, 6).await);
    assert_ne!(theirs.id, record.id);
    assert_eq!(
        store
            .booking_requests(&tenant(), None, 10)
            .await
            .expect("list"),
        vec![record]
    );

    // A stay that is no stay is refused.
    let mut backwards = request("WA-0000000000A2");
    backwards.check_out = day(15);
    assert!(
        store
            .submit_booking_request(&backwards, at(10, 7, 0))
            .await
            .is_err()
    );
}

async fn requests_are_listed_by_status_oldest_first(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let second = created(submit(store, &request("WA-00000000000B"), 2).await);
    let first = created(submit(store, &request("WA-00000000000A"), 1).await);
    let third = created(submit(store, &request("WA-00000000000C"), 3).await);
    let awaiting = Some(BookingRequestStatus::AwaitingConfirmation);
    let listed = store
        .booking_requests(&tenant(), awaiting, 10)
        .await
        .expect("list");
    assert_eq!(listed, vec![first.clone(), second.clone(), third.clone()]);
    let limited = store
        .booking_requests(&tenant(), awaiting, 2)
        .await
        .expect("list");
    assert_eq!(limited, vec![first.clone(), second.clone()]);

    let decided = store
        .decide_booking_request(
            &tenant(),
            second.id,
            &OPEN,
            &confirmation("ana"),
            &[],
            at(11, 0, 0),
        )
        .await
        .expect("decided");
    assert!(
        matches!(decided, DecisionOutcome::Decided(_)),
        "{decided:?}"
    );
    let listed = store
        .booking_requests(&tenant(), awaiting, 10)
        .await
        .expect("list");
    assert_eq!(listed, vec![first.clone(), third.clone()]);
    let confirmed = store
        .booking_requests(&tenant(), Some(BookingRequestStatus::Confirmed), 10)
        .await
        .expect("list");
    assert_eq!(
        confirmed.iter().map(|r| r.id).collect::<Vec<_>>(),
        [second.id]
    );
    assert_eq!(
        store
            .booking_requests(&tenant(), None, 10)
            .await
            .expect("list")
            .len(),
        3
    );
    let rejected = Some(BookingRequestStatus::Rejected);
    assert!(
        store
            .booking_requests(&tenant(), rejected, 10)
            .await
            .expect("list")
            .is_empty()
    );
}

async fn a_decision_is_recorded_once_with_its_messages(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let record = created(submit(store, &request("WA-00000000000D"), 0).await);
    let messages = [
        reply_to_guest(GUEST, "¡Reserva confirmada!"),
        reply_to_guest(GUEST, "(the QR code)"),
    ];
    let decided = store
        .decide_booking_request(
            &tenant(),
            record.id,
            &OPEN,
            &confirmation("ana"),
            &messages,
            at(11, 0, 0),
        )
        .await
        .expect("decided");
    let DecisionOutcome::Decided(decided) = decided else {
        panic!("decided: {decided:?}")
    };
    assert_eq!(decided.status, BookingRequestStatus::Confirmed);
    assert_eq!(decided.pms_booking_id.as_deref(), Some("DEMO-7"));
    assert_eq!(decided.decided_by.as_deref(), Some("ana"));
    assert_eq!(decided.decided_at, Some(at(11, 0, 0)));
    assert_eq!(
        (decided.created_at, decided.updated_at),
        (at(10, 0, 0), at(11, 0, 0))
    );
    assert_eq!(
        store
            .booking_request(&tenant(), record.id)
            .await
            .expect("read"),
        Some(decided.clone())
    );

    // A second decision (another staff member, a retried request) changes nothing and queues
    // nothing.
    let rejection = BookingDecision {
        status: BookingRequestStatus::Rejected,
        pms_booking_id: None,
        decided_by: "bruno".into(),
        note: Some("no payment arrived".into()),
    };
    let again = store
        .decide_booking_request(
            &tenant(),
            record.id,
            &OPEN,
            &rejection,
            &messages,
            at(11, 5, 0),
        )
        .await
        .expect("decided");
    assert_eq!(again, DecisionOutcome::Unchanged(decided));
    assert_eq!(store.outbox_depth().await.expect("depth"), 2, "queued once");
    // One guest's messages go out in order: the confirmation first.
    let queued = store
        .claim_outbound("w", 10, at(12, 0, 0), LEASE)
        .await
        .expect("claimed");
    assert_eq!(queued.len(), 1);
    assert_eq!(
        queued[0].body,
        hotel_domain::OutboundBody::Text {
            body: "¡Reserva confirmada!".into(),
            preview_url: false
        }
    );
    assert_eq!(queued[0].to.as_str(), GUEST);
    assert_eq!(queued[0].phone_number_id, NUMBER);
    assert_eq!(queued[0].inbound_id, None);

    let unknown = store
        .decide_booking_request(
            &tenant(),
            record.id + 100,
            &OPEN,
            &rejection,
            &[],
            at(11, 6, 0),
        )
        .await
        .expect("decided");
    assert_eq!(unknown, DecisionOutcome::NotFound);
    let elsewhere = store
        .decide_booking_request(
            &TenantId::new("h2"),
            record.id,
            &OPEN,
            &rejection,
            &[],
            at(11, 6, 0),
        )
        .await
        .expect("decided");
    assert_eq!(
        elsewhere,
        DecisionOutcome::NotFound,
        "another hotel's request"
    );

    // A failed confirmation stays open: it can be rejected later, with its reason kept.
    let other = created(submit(store, &request("WA-00000000000E"), 1).await);
    let failure = BookingDecision {
        status: BookingRequestStatus::Failed,
        pms_booking_id: None,
        decided_by: "ana".into(),
        note: Some("the PMS refused the booking".into()),
    };
    let failed = store
        .decide_booking_request(&tenant(), other.id, &OPEN, &failure, &[], at(11, 10, 0))
        .await
        .expect("decided");
    assert!(
        matches!(&failed, DecisionOutcome::Decided(r) if r.status == BookingRequestStatus::Failed)
    );
    let rejected = store
        .decide_booking_request(&tenant(), other.id, &OPEN, &rejection, &[], at(11, 20, 0))
        .await
        .expect("decided");
    let DecisionOutcome::Decided(rejected) = rejected else {
        panic!("rejected: {rejected:?}")
    };
    assert_eq!(rejected.status, BookingRequestStatus::Rejected);
    assert_eq!(
        rejected.decision_note.as_deref(),
        Some("no payment arrived")
    );
    assert_eq!(rejected.decided_by.as_deref(), Some("bruno"));
    assert_eq!(rejected.pms_booking_id, None);
}

/// Two staff members confirm the same request at once: one decision, one set of messages.
async fn concurrent_decisions_decide_once(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let record = created(submit(store, &request("WA-00000000000F"), 0).await);
    let messages = [reply_to_guest(GUEST, "confirmada")];
    let decide = |by: &'static str| {
        let store = store.clone();
        let messages = messages.clone();
        tokio::spawn(async move {
            store
                .decide_booking_request(
                    &tenant(),
                    record.id,
                    &OPEN,
                    &confirmation(by),
                    &messages,
                    at(11, 0, 0),
                )
                .await
                .expect("decided")
        })
    };
    let racers: Vec<_> = ["ana", "bruno", "carla", "diego"]
        .map(decide)
        .into_iter()
        .collect();
    let mut decided = 0;
    for racer in racers {
        if matches!(racer.await.expect("joined"), DecisionOutcome::Decided(_)) {
            decided += 1;
        }
    }
    assert_eq!(decided, 1);
    assert_eq!(
        store.outbox_depth().await.expect("depth"),
        1,
        "the guest is told once"
    );
}

on_both_backends!(
    a_request_is_recorded_once_per_reference,
    requests_are_listed_by_status_oldest_first,
    a_decision_is_recorded_once_with_its_messages,
    concurrent_decisions_decide_once,
);
