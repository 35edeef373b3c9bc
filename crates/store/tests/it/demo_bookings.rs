//! The demo PMS's bookings: capacity per night checked with every write, idempotent references,
//! cancellations freeing rooms, changes re-checked (races: `demo_booking_races`).

use chrono::NaiveDate;
use hotel_domain::TenantId;
use hotel_store::testing::test_store;
use hotel_store::{
    Backend, DEMO_CANCELLED, DemoBookOutcome, DemoBookingRecord, DemoBookingRevision, DemoGuest,
    DemoModifyOutcome, NewDemoBooking, Store,
};

use crate::support::{at, on_both_backends, tenant};

/// 2026-12-`d`.
pub(crate) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).expect("a December day")
}

pub(crate) fn booking(reference: &str, room_type: &str, from: u32, to: u32) -> NewDemoBooking {
    NewDemoBooking {
        tenant_id: tenant(),
        reference: reference.into(),
        room_type: room_type.into(),
        check_in: day(from),
        check_out: day(to),
        adults: 2,
        children_ages: vec![7],
        guest: DemoGuest {
            first_name: "Ana".into(),
            last_name: "Gómez".into(),
            email: "ana@example.com".into(),
            phone: Some("+5491155550000".into()),
        },
        status: hotel_store::DEMO_AWAITING_PAYMENT.into(),
        total_minor: 24_000_000,
        currency: "ARS".into(),
    }
}

pub(crate) async fn book(store: &Store, new: &NewDemoBooking, rooms: u32) -> DemoBookOutcome {
    store
        .book_demo_room(new, rooms, at(10, 0, 0))
        .await
        .expect("book")
}

pub(crate) fn booked(outcome: DemoBookOutcome) -> DemoBookingRecord {
    match outcome {
        DemoBookOutcome::Booked(record) => record,
        other => panic!("expected a new booking, got {other:?}"),
    }
}

pub(crate) async fn taken(store: &Store, room_type: &str, from: u32, to: u32) -> u32 {
    store
        .demo_rooms_taken(&tenant(), room_type, day(from), day(to))
        .await
        .expect("taken")
}

/// A revision of `current` into `room_type` for the nights `from`..`to` of a type of `rooms`.
pub(crate) fn revision(
    current: &DemoBookingRecord,
    room_type: &str,
    from: u32,
    to: u32,
    rooms: u32,
) -> DemoBookingRevision {
    DemoBookingRevision {
        room_type: room_type.into(),
        check_in: day(from),
        check_out: day(to),
        adults: current.adults,
        children_ages: current.children_ages.clone(),
        total_minor: current.total_minor,
        currency: current.currency.clone(),
        rooms,
    }
}

async fn a_booking_is_stored_and_read_back(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    let new = booking("HTL-1", "suite", 15, 17);
    let record = booked(book(store, &new, 2).await);
    assert_eq!(record.tenant_id, tenant());
    assert_eq!(record.reference, "HTL-1");
    assert_eq!((record.check_in, record.check_out), (day(15), day(17)));
    assert_eq!((record.adults, record.children_ages.clone()), (2, vec![7]));
    assert_eq!(record.guest, new.guest);
    assert_eq!(record.status, "awaiting_payment");
    assert!(record.is_active());
    assert_eq!(
        (record.total_minor, record.currency.as_str()),
        (24_000_000, "ARS")
    );
    assert_eq!(
        (record.created_at, record.updated_at),
        (at(10, 0, 0), at(10, 0, 0))
    );

    let read = store
        .demo_booking(&tenant(), record.id)
        .await
        .expect("read");
    assert_eq!(read.as_ref(), Some(&record));
    let by_reference = store
        .demo_booking_by_reference(&tenant(), "HTL-1")
        .await
        .expect("read");
    assert_eq!(by_reference.as_ref(), Some(&record));
    let other = TenantId::new("other");
    assert_eq!(
        store.demo_booking(&other, record.id).await.expect("read"),
        None
    );
    assert_eq!(
        store
            .demo_booking(&tenant(), record.id + 1)
            .await
            .expect("read"),
        None
    );

    let mut backwards = booking("HTL-2", "suite", 17, 15);
    assert!(
        store
            .book_demo_room(&backwards, 2, at(10, 0, 0))
            .await
            .is_err()
    );
    backwards.check_out = day(17);
    backwards.check_in = day(17);
    assert!(
        store
            .book_demo_room(&backwards, 2, at(10, 0, 0))
            .await
            .is_err()
    );
}

async fn a_repeated_reference_returns_the_stored_booking(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    let first = booked(book(store, &booking("HTL-7Q2K", "suite", 15, 17), 1).await);
    // Same reference, whatever else the request says, even with the type now full.
    for again in [
        booking("HTL-7Q2K", "suite", 15, 17),
        booking("HTL-7Q2K", "double", 1, 3),
    ] {
        assert_eq!(
            book(store, &again, 1).await,
            DemoBookOutcome::Existing(first.clone())
        );
    }
    assert_eq!(taken(store, "suite", 15, 17).await, 1);
    assert_eq!(taken(store, "double", 1, 3).await, 0);
    // References are per tenant.
    let mut elsewhere = booking("HTL-7Q2K", "suite", 15, 17);
    elsewhere.tenant_id = TenantId::new("other");
    let theirs = booked(book(store, &elsewhere, 1).await);
    assert_ne!(theirs.id, first.id);
}

async fn a_full_room_type_books_nothing(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    booked(book(store, &booking("HTL-1", "suite", 15, 17), 2).await);
    booked(book(store, &booking("HTL-2", "suite", 16, 18), 2).await);
    assert_eq!(
        book(store, &booking("HTL-3", "suite", 16, 17), 2).await,
        DemoBookOutcome::Full
    );
    assert_eq!(
        store
            .demo_booking_by_reference(&tenant(), "HTL-3")
            .await
            .expect("read"),
        None,
        "nothing written"
    );
    // Other types, other tenants and other nights are not affected.
    booked(book(store, &booking("HTL-3", "double", 16, 17), 2).await);
    let mut elsewhere = booking("HTL-3", "suite", 16, 17);
    elsewhere.tenant_id = TenantId::new("other");
    booked(book(store, &elsewhere, 2).await);
    booked(book(store, &booking("HTL-4", "suite", 18, 20), 2).await);
    // A type with fewer rooms than bookings (the inventory shrank) is simply full.
    assert_eq!(
        book(store, &booking("HTL-5", "suite", 16, 17), 1).await,
        DemoBookOutcome::Full
    );
}

async fn cancelling_frees_the_room(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    let first = booked(book(store, &booking("HTL-1", "suite", 15, 17), 1).await);
    assert_eq!(
        book(store, &booking("HTL-2", "suite", 15, 17), 1).await,
        DemoBookOutcome::Full
    );

    let cancelled = store
        .cancel_demo_booking(&tenant(), first.id, at(11, 0, 0))
        .await
        .expect("cancel")
        .expect("found");
    assert_eq!(cancelled.status, DEMO_CANCELLED);
    assert!(!cancelled.is_active());
    assert_eq!(cancelled.updated_at, at(11, 0, 0));
    let twice = store
        .cancel_demo_booking(&tenant(), first.id, at(12, 0, 0))
        .await
        .expect("cancel");
    assert_eq!(
        twice.as_ref(),
        Some(&cancelled),
        "unchanged the second time"
    );
    assert_eq!(taken(store, "suite", 15, 17).await, 0);
    booked(book(store, &booking("HTL-2", "suite", 15, 17), 1).await);
    // A cancelled booking's reference still answers with it.
    assert_eq!(
        book(store, &booking("HTL-1", "suite", 15, 17), 1).await,
        DemoBookOutcome::Existing(cancelled)
    );

    let missing = store
        .cancel_demo_booking(&tenant(), 999, at(12, 0, 0))
        .await;
    assert_eq!(missing.expect("cancel"), None);
    let other = store
        .cancel_demo_booking(&TenantId::new("other"), first.id, at(12, 0, 0))
        .await;
    assert_eq!(other.expect("cancel"), None);
}

async fn changes_are_rechecked_without_the_booking_itself(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    let mine = booked(book(store, &booking("HTL-1", "suite", 15, 18), 2).await);
    booked(book(store, &booking("HTL-2", "suite", 15, 18), 2).await);
    let full_double = booked(book(store, &booking("HTL-3", "double", 15, 18), 1).await);

    // Both suites are taken, but moving within its own nights needs only its own room.
    let shorter = store
        .modify_demo_booking(&tenant(), mine.id, at(11, 0, 0), |current| {
            let mut next = revision(current, "suite", 16, 17, 2);
            next.adults = 1;
            next.children_ages = vec![3, 9];
            next.total_minor = 12_000_000;
            Ok::<_, String>(next)
        })
        .await
        .expect("modify");
    let DemoModifyOutcome::Modified(shorter) = shorter else {
        panic!("expected a change, got {shorter:?}");
    };
    assert_eq!((shorter.check_in, shorter.check_out), (day(16), day(17)));
    assert_eq!(
        (shorter.adults, shorter.children_ages.clone()),
        (1, vec![3, 9])
    );
    assert_eq!(shorter.total_minor, 12_000_000);
    assert_eq!(
        (shorter.reference.as_str(), shorter.status.as_str()),
        ("HTL-1", "awaiting_payment")
    );
    assert_eq!(
        (shorter.created_at, shorter.updated_at),
        (at(10, 0, 0), at(11, 0, 0))
    );
    // Its old nights are free again.
    assert_eq!(taken(store, "suite", 15, 16).await, 1);
    assert_eq!(taken(store, "suite", 15, 18).await, 2);

    // Into a full type: refused, nothing written.
    let into_double = store
        .modify_demo_booking(&tenant(), mine.id, at(12, 0, 0), |current| {
            Ok::<_, String>(revision(current, "double", 16, 17, 1))
        })
        .await
        .expect("modify");
    assert_eq!(into_double, DemoModifyOutcome::Full);
    let unchanged = store.demo_booking(&tenant(), mine.id).await.expect("read");
    assert_eq!(unchanged.as_ref(), Some(&shorter));
    // The double's own booking can move within the full type.
    let later = store
        .modify_demo_booking(&tenant(), full_double.id, at(12, 0, 0), |current| {
            Ok::<_, String>(revision(current, "double", 16, 19, 1))
        })
        .await
        .expect("modify");
    assert!(matches!(later, DemoModifyOutcome::Modified(_)), "{later:?}");

    // The caller's refusal is returned as is, and sees the booking as stored.
    let refused = store
        .modify_demo_booking(&tenant(), mine.id, at(13, 0, 0), |current| {
            Err::<DemoBookingRevision, _>(format!("no, {}", current.reference))
        })
        .await
        .expect("modify");
    assert_eq!(refused, DemoModifyOutcome::Refused("no, HTL-1".to_owned()));
    let missing = store
        .modify_demo_booking(&tenant(), 999, at(13, 0, 0), |current| {
            Ok::<_, String>(revision(current, "suite", 1, 2, 2))
        })
        .await
        .expect("modify");
    assert_eq!(missing, DemoModifyOutcome::NotFound);
}

async fn nights_are_counted_one_by_one(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    // Two rooms: the 10th–12th and the 11th–13th share only the 11th.
    booked(book(store, &booking("A", "twin", 10, 12), 2).await);
    booked(book(store, &booking("B", "twin", 11, 13), 2).await);
    assert_eq!(taken(store, "twin", 10, 11).await, 1);
    assert_eq!(taken(store, "twin", 11, 12).await, 2);
    assert_eq!(taken(store, "twin", 12, 13).await, 1);
    assert_eq!(
        taken(store, "twin", 13, 14).await,
        0,
        "check-out day is free"
    );
    assert_eq!(
        taken(store, "twin", 9, 10).await,
        0,
        "the day before check-in is free"
    );
    assert_eq!(taken(store, "twin", 1, 31).await, 2);
    // A stay across the full night does not fit; stays around it do.
    assert_eq!(
        book(store, &booking("C", "twin", 9, 14), 2).await,
        DemoBookOutcome::Full
    );
    booked(book(store, &booking("C", "twin", 12, 15), 2).await);
    booked(book(store, &booking("D", "twin", 8, 11), 2).await);
    // Now the 10th, 11th and 12th are full; the 13th and 14th hold one.
    assert_eq!(taken(store, "twin", 10, 13).await, 2);
    assert_eq!(taken(store, "twin", 13, 15).await, 1);
    booked(book(store, &booking("E", "twin", 13, 20), 2).await);
    assert_eq!(
        book(store, &booking("F", "twin", 14, 16), 2).await,
        DemoBookOutcome::Full
    );
    booked(book(store, &booking("F", "twin", 15, 16), 2).await);
    // Cancelled bookings are not counted.
    let a = store
        .demo_booking_by_reference(&tenant(), "A")
        .await
        .expect("read")
        .expect("A");
    store
        .cancel_demo_booking(&tenant(), a.id, at(11, 0, 0))
        .await
        .expect("cancel");
    assert_eq!(taken(store, "twin", 10, 11).await, 1);
}

on_both_backends!(
    a_booking_is_stored_and_read_back,
    a_repeated_reference_returns_the_stored_booking,
    a_full_room_type_books_nothing,
    cancelling_frees_the_room,
    changes_are_rechecked_without_the_booking_itself,
    nights_are_counted_one_by_one,
);
