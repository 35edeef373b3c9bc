//! The demo PMS's availability, prices and bookings through `Arc<dyn Pms>`.

use std::sync::Arc;

use chrono::NaiveDate;
use hotel_domain::TenantId;
use hotel_pms::{
    Booking, BookingChange, BookingId, BookingRequest, BookingStatus, DemoPms, GuestContact, Money,
    Occupancy, Pms, PmsError, RoomTypeCode, RoomTypeId, Stay, StayRequest,
};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn stay(from: &str, to: &str) -> Stay {
    Stay::new(date(from), date(to)).unwrap()
}

fn tenant() -> TenantId {
    TenantId::new("default")
}

fn pms() -> Arc<dyn Pms> {
    Arc::new(DemoPms::default())
}

fn request(
    reference: &str,
    code: RoomTypeCode,
    stay: Stay,
    occupancy: Occupancy,
) -> BookingRequest {
    BookingRequest {
        reference: reference.to_owned(),
        room_type: code.into(),
        stay,
        occupancy,
        guest: GuestContact {
            first_name: "Ana".into(),
            last_name: "Gómez".into(),
            email: "ana@example.com".into(),
            phone: Some("+5491155550000".into()),
        },
        remark: None,
        language: None,
    }
}

async fn available(pms: &dyn Pms, code: RoomTypeCode, stay: Stay) -> u32 {
    let request = StayRequest::new(stay, Occupancy::adults(1)).of_type(code.into());
    let quotes = pms.quote(&tenant(), &request).await.unwrap();
    quotes.first().map_or(0, |quote| quote.available)
}

#[tokio::test]
async fn quotes_only_room_types_that_fit_the_occupancy() {
    let pms = pms();
    let dec = stay("2026-12-15", "2026-12-17");
    let ids = |quotes: Vec<hotel_pms::Quote>| -> Vec<String> {
        quotes
            .into_iter()
            .map(|q| q.room_type.to_string())
            .collect()
    };
    let two_and_child = StayRequest::new(dec, Occupancy::with_children(2, [7]));
    assert_eq!(
        ids(pms.quote(&tenant(), &two_and_child).await.unwrap()),
        ["double", "twin", "suite"]
    );
    let one_and_two_children = StayRequest::new(dec, Occupancy::with_children(1, [4, 9]));
    assert_eq!(
        ids(pms.quote(&tenant(), &one_and_two_children).await.unwrap()),
        ["suite"]
    );
    let three = StayRequest::new(dec, Occupancy::adults(3));
    assert!(pms.quote(&tenant(), &three).await.unwrap().is_empty());
    let single = StayRequest::new(dec, Occupancy::adults(1)).of_type(RoomTypeCode::Single.into());
    let quotes = pms.quote(&tenant(), &single).await.unwrap();
    assert_eq!(quotes.len(), 1);
    assert_eq!(quotes[0].available, 4);

    let nobody = StayRequest::new(dec, Occupancy::adults(0));
    assert!(matches!(
        pms.quote(&tenant(), &nobody).await,
        Err(PmsError::InvalidRequest(_))
    ));
    let unknown = StayRequest::new(dec, Occupancy::adults(1)).of_type(RoomTypeId::new("family"));
    assert!(matches!(
        pms.quote(&tenant(), &unknown).await,
        Err(PmsError::NotFound(_))
    ));
}

#[tokio::test]
async fn prices_each_night_with_the_weekend_rule() {
    let pms = pms();
    // Thursday to Monday: Thursday and Sunday at the nightly rate, Friday and Saturday at the
    // weekend rate.
    let request = StayRequest::new(stay("2026-12-17", "2026-12-21"), Occupancy::adults(2))
        .of_type(RoomTypeCode::Double.into());
    let quote = pms.quote(&tenant(), &request).await.unwrap().remove(0);
    let nightly: Vec<(NaiveDate, i64)> = quote
        .nightly
        .iter()
        .map(|night| (night.date, night.price.minor_units / 100))
        .collect();
    assert_eq!(
        nightly,
        [
            (date("2026-12-17"), 65_000),
            (date("2026-12-18"), 75_000),
            (date("2026-12-19"), 75_000),
            (date("2026-12-20"), 65_000),
        ]
    );
    assert_eq!(quote.total, Money::from_units(280_000, "ARS"));
    assert_eq!(quote.average_nightly, Money::from_units(70_000, "ARS"));
    assert_eq!(quote.currency(), "ARS");
    assert_eq!(quote.available, 10);

    // Singles have no weekend rate.
    let single = StayRequest::new(stay("2026-12-18", "2026-12-20"), Occupancy::adults(1))
        .of_type(RoomTypeCode::Single.into());
    let quote = pms.quote(&tenant(), &single).await.unwrap().remove(0);
    assert_eq!(quote.total, Money::from_units(90_000, "ARS"));
}

#[tokio::test]
async fn creating_twice_with_one_reference_books_once() {
    let pms = pms();
    let dec = stay("2026-12-15", "2026-12-17");
    let booking_request = request("HTL-7Q2K", RoomTypeCode::Suite, dec, Occupancy::adults(2));
    let first = pms
        .create_booking(&tenant(), &booking_request)
        .await
        .unwrap();
    let again = pms
        .create_booking(&tenant(), &booking_request)
        .await
        .unwrap();
    assert_eq!(first, again);
    assert_eq!(first.reference.as_deref(), Some("HTL-7Q2K"));
    assert_eq!(first.status, BookingStatus::AwaitingPayment);
    assert_eq!(first.total, Some(Money::from_units(240_000, "ARS")));
    assert_eq!((first.adults, first.children), (2, 0));
    assert_eq!(available(pms.as_ref(), RoomTypeCode::Suite, dec).await, 1);
    assert_eq!(pms.booking(&tenant(), &first.id).await.unwrap(), first);

    let round_trip: Booking =
        serde_json::from_str(&serde_json::to_string(&first).unwrap()).unwrap();
    assert_eq!(round_trip, first);
}

#[tokio::test]
async fn capacity_is_enforced_and_cancelling_frees_it() {
    let pms = pms();
    let dec = stay("2026-12-15", "2026-12-17");
    let suite =
        |reference: &str| request(reference, RoomTypeCode::Suite, dec, Occupancy::adults(1));
    let first = pms
        .create_booking(&tenant(), &suite("HTL-1"))
        .await
        .unwrap();
    pms.create_booking(&tenant(), &suite("HTL-2"))
        .await
        .unwrap();
    assert_eq!(available(pms.as_ref(), RoomTypeCode::Suite, dec).await, 0);
    assert!(matches!(
        pms.create_booking(&tenant(), &suite("HTL-3")).await,
        Err(PmsError::NoAvailability(_))
    ));
    // The next stay starts on the check-out day: not taken.
    let after = stay("2026-12-17", "2026-12-18");
    assert_eq!(available(pms.as_ref(), RoomTypeCode::Suite, after).await, 2);
    // Another tenant has its own rooms.
    let other = TenantId::new("other");
    pms.create_booking(&other, &suite("HTL-1")).await.unwrap();

    let cancelled = pms.cancel_booking(&tenant(), &first.id).await.unwrap();
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert!(!cancelled.status.is_active());
    let twice = pms.cancel_booking(&tenant(), &first.id).await.unwrap();
    assert_eq!(twice, cancelled);
    assert_eq!(available(pms.as_ref(), RoomTypeCode::Suite, dec).await, 1);
    pms.create_booking(&tenant(), &suite("HTL-3"))
        .await
        .unwrap();

    let missing = BookingId::new("999");
    assert!(matches!(
        pms.booking(&tenant(), &missing).await,
        Err(PmsError::NotFound(_))
    ));
    assert!(matches!(
        pms.cancel_booking(&tenant(), &missing).await,
        Err(PmsError::NotFound(_))
    ));
}

#[tokio::test]
async fn refuses_invalid_bookings() {
    let pms = pms();
    let dec = stay("2026-12-15", "2026-12-17");
    let too_many = request("HTL-1", RoomTypeCode::Single, dec, Occupancy::adults(2));
    assert!(matches!(
        pms.create_booking(&tenant(), &too_many).await,
        Err(PmsError::InvalidRequest(_))
    ));
    let mut bad_reference = request("HTL 1", RoomTypeCode::Double, dec, Occupancy::adults(2));
    assert!(pms.create_booking(&tenant(), &bad_reference).await.is_err());
    bad_reference.reference = "HTL-1".into();
    bad_reference.guest.email = "none".into();
    assert!(pms.create_booking(&tenant(), &bad_reference).await.is_err());
    bad_reference.guest.email = "ana@example.com".into();
    bad_reference.guest.last_name = " ".into();
    assert!(pms.create_booking(&tenant(), &bad_reference).await.is_err());
    let family = request("HTL-2", RoomTypeCode::Family, dec, Occupancy::adults(2));
    assert!(matches!(
        pms.create_booking(&tenant(), &family).await,
        Err(PmsError::NotFound(_))
    ));
}

#[tokio::test]
async fn modifies_dates_room_type_and_guests() {
    let pms = pms();
    let dec = stay("2026-12-15", "2026-12-17");
    let booking = pms
        .create_booking(
            &tenant(),
            &request("HTL-1", RoomTypeCode::Suite, dec, Occupancy::adults(2)),
        )
        .await
        .unwrap();
    pms.create_booking(
        &tenant(),
        &request("HTL-2", RoomTypeCode::Suite, dec, Occupancy::adults(2)),
    )
    .await
    .unwrap();
    // Both suites are taken, but moving a booking within its own nights needs only its room.
    let shorter = BookingChange {
        stay: Some(stay("2026-12-15", "2026-12-16")),
        ..BookingChange::default()
    };
    let changed = pms
        .modify_booking(&tenant(), &booking.id, &shorter)
        .await
        .unwrap();
    assert_eq!(changed.stay.nights(), 1);
    assert_eq!(changed.total, Some(Money::from_units(120_000, "ARS")));

    let to_double = BookingChange {
        room_type: Some(RoomTypeCode::Double.into()),
        occupancy: Some(Occupancy::with_children(2, [5])),
        ..BookingChange::default()
    };
    let changed = pms
        .modify_booking(&tenant(), &booking.id, &to_double)
        .await
        .unwrap();
    assert_eq!(changed.room_type.as_str(), "double");
    assert_eq!((changed.adults, changed.children), (2, 1));
    assert_eq!(available(pms.as_ref(), RoomTypeCode::Suite, dec).await, 1);

    let to_single = BookingChange {
        room_type: Some(RoomTypeCode::Single.into()),
        ..BookingChange::default()
    };
    assert!(matches!(
        pms.modify_booking(&tenant(), &booking.id, &to_single).await,
        Err(PmsError::InvalidRequest(_))
    ));
    let crowd = BookingChange {
        occupancy: Some(Occupancy::adults(5)),
        ..BookingChange::default()
    };
    assert!(matches!(
        pms.modify_booking(&tenant(), &booking.id, &crowd).await,
        Err(PmsError::InvalidRequest(_))
    ));
    assert!(matches!(
        pms.modify_booking(&tenant(), &booking.id, &BookingChange::default())
            .await,
        Err(PmsError::InvalidRequest(_))
    ));
    assert!(matches!(
        pms.modify_booking(&tenant(), &BookingId::new("999"), &shorter)
            .await,
        Err(PmsError::NotFound(_))
    ));
    pms.cancel_booking(&tenant(), &booking.id).await.unwrap();
    assert!(matches!(
        pms.modify_booking(&tenant(), &booking.id, &shorter).await,
        Err(PmsError::InvalidRequest(_))
    ));
}

#[tokio::test]
async fn modifying_into_a_full_type_is_refused() {
    let pms = pms();
    let dec = stay("2026-12-15", "2026-12-17");
    for reference in ["HTL-1", "HTL-2"] {
        pms.create_booking(
            &tenant(),
            &request(reference, RoomTypeCode::Suite, dec, Occupancy::adults(2)),
        )
        .await
        .unwrap();
    }
    let double = pms
        .create_booking(
            &tenant(),
            &request("HTL-3", RoomTypeCode::Double, dec, Occupancy::adults(2)),
        )
        .await
        .unwrap();
    let to_suite = BookingChange {
        room_type: Some(RoomTypeCode::Suite.into()),
        ..BookingChange::default()
    };
    assert!(matches!(
        pms.modify_booking(&tenant(), &double.id, &to_suite).await,
        Err(PmsError::NoAvailability(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_guests_never_get_more_rooms_than_there_are() {
    let pms = pms();
    let dec = stay("2026-12-15", "2026-12-17");
    let attempts = (0..20).map(|n| {
        let pms = Arc::clone(&pms);
        let booking = request(
            &format!("HTL-{n}"),
            RoomTypeCode::Suite,
            dec,
            Occupancy::adults(1),
        );
        tokio::spawn(async move { pms.create_booking(&tenant(), &booking).await })
    });
    let mut booked = 0;
    for attempt in attempts.collect::<Vec<_>>() {
        match attempt.await.unwrap() {
            Ok(_) => booked += 1,
            Err(error) => assert!(matches!(error, PmsError::NoAvailability(_)), "{error}"),
        }
    }
    assert_eq!(booked, 2);
}
