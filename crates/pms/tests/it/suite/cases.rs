//! The cases, each written once against a [`Subject`].

use std::collections::BTreeMap;

use hotel_domain::Language;
use hotel_pms::{
    BookingChange, BookingId, BookingStatus, Occupancy, PmsError, RoomTypeCode, Stay, StayRequest,
};

use super::{Subject, date, stay};

use RoomTypeCode::{Double, Single, Suite};

/// Thursday to Sunday: a weekday night and two weekend nights.
fn weekend() -> Stay {
    stay("2026-12-17", "2026-12-20")
}

fn january() -> Stay {
    stay("2027-01-10", "2027-01-12")
}

fn is_invalid<T: std::fmt::Debug>(result: hotel_pms::Result<T>) -> bool {
    matches!(result, Err(PmsError::InvalidRequest(_)))
}

pub async fn lists_room_types_with_capacity(s: &Subject) {
    let rooms = s.pms.room_types(&s.tenant).await.unwrap();
    assert_eq!(rooms.len(), s.hotel.room_types.len());
    for room in &rooms {
        let spec = s.hotel.room(s.code_of(&room.id));
        assert_eq!(
            (room.capacity.max_adults, room.capacity.max_children),
            (spec.max_adults, spec.max_children),
            "{}",
            room.id
        );
        assert!(room.capacity.fits(spec.max_adults, spec.max_children));
        assert!(!room.capacity.fits(spec.max_adults + 1, 0));
        assert_eq!(room.name, spec.names.en);
        assert_eq!(room.name_in(Language::Es), spec.names.es);
    }
}

pub async fn quotes_only_types_that_fit_with_totals(s: &Subject) {
    let stay = weekend();
    let quote = |occupancy: Occupancy| async move {
        let quotes = s
            .pms
            .quote(&s.tenant, &StayRequest::new(stay, occupancy))
            .await
            .unwrap();
        quotes
            .into_iter()
            .map(|quote| (s.code_of(&quote.room_type), quote))
            .collect::<BTreeMap<_, _>>()
    };

    let family = quote(Occupancy::with_children(2, [7])).await;
    assert_eq!(family.keys().copied().collect::<Vec<_>>(), [Double, Suite]);
    for (code, quote) in &family {
        let spec = s.hotel.room(*code);
        let total = s.hotel.total(*code, &stay);
        assert_eq!(quote.available, spec.rooms, "{code}");
        assert_eq!(quote.total, total, "{code}");
        let nights = i64::from(stay.nights());
        assert_eq!(
            quote.average_nightly.minor_units,
            (total.minor_units + nights / 2) / nights,
            "{code}"
        );
        assert_eq!(quote.currency(), s.hotel.currency);
        assert!(!quote.stale);
        if s.capabilities.nightly_prices {
            let nightly: Vec<_> = quote.nightly.iter().map(|n| n.date).collect();
            assert_eq!(nightly, stay.night_dates().collect::<Vec<_>>());
            let sum: i64 = quote.nightly.iter().map(|n| n.price.minor_units).sum();
            assert_eq!(sum, total.minor_units, "{code}: the nights add up");
        } else {
            assert!(quote.nightly.is_empty(), "{code}: nightly prices");
        }
    }
    // The weekend nights cost more.
    assert_eq!(family[&Double].total.minor_units, (110 + 130 + 130) * 100);

    let alone = quote(Occupancy::adults(1)).await;
    assert_eq!(
        alone.keys().copied().collect::<Vec<_>>(),
        [Single, Double, Suite]
    );
    let two_children = quote(Occupancy::with_children(1, [4, 9])).await;
    assert_eq!(two_children.keys().copied().collect::<Vec<_>>(), [Suite]);
    assert!(quote(Occupancy::adults(3)).await.is_empty());

    let only_single = StayRequest::new(stay, Occupancy::adults(2)).of_type(s.id(Single));
    assert!(
        s.pms
            .quote(&s.tenant, &only_single)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn a_booking_is_readable_and_takes_a_room(s: &Subject) {
    let stay = weekend();
    assert_eq!(s.available(Double, stay).await, 3);
    let request = s.request("HTL-1001", Double, stay, Occupancy::adults(2));
    let booking = s.pms.create_booking(&s.tenant, &request).await.unwrap();
    assert_eq!(booking.reference.as_deref(), Some("HTL-1001"));
    assert_eq!(booking.room_type, s.id(Double));
    assert_eq!(booking.stay, stay);
    assert_eq!((booking.adults, booking.children), (2, 0));
    assert!(booking.status.is_active(), "{:?}", booking.status);
    assert_eq!(booking.guest.email, "ana@example.com");
    assert_eq!(booking.guest.last_name, "Gómez");
    assert_eq!(booking.total, Some(s.hotel.total(Double, &stay)));

    let read = s.pms.booking(&s.tenant, &booking.id).await.unwrap();
    assert_eq!(read, booking);

    assert_eq!(s.available(Double, stay).await, 2);
    assert_eq!(s.available(Suite, stay).await, 1);
    assert_eq!(s.available(Double, january()).await, 3);
}

pub async fn the_same_reference_books_once(s: &Subject) {
    let stay = weekend();
    let request = s.request("HTL-2002", Double, stay, Occupancy::adults(2));
    let first = s.pms.create_booking(&s.tenant, &request).await.unwrap();
    let second = s.pms.create_booking(&s.tenant, &request).await.unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(s.available(Double, stay).await, 2);
}

pub async fn the_last_room_then_no_availability(s: &Subject) {
    let stay = weekend();
    let first = s.request("HTL-3003", Suite, stay, Occupancy::adults(2));
    s.pms.create_booking(&s.tenant, &first).await.unwrap();
    assert_eq!(s.available(Suite, stay).await, 0);
    let second = s.request("HTL-3004", Suite, stay, Occupancy::adults(1));
    let error = s.pms.create_booking(&s.tenant, &second).await.unwrap_err();
    assert!(matches!(error, PmsError::NoAvailability(_)), "{error}");
    // Only the stay's nights are taken.
    let after = Stay::new(stay.check_out(), date("2026-12-22")).unwrap();
    assert_eq!(s.available(Suite, after).await, 1);
}

pub async fn cancelling_frees_the_room_and_can_be_repeated(s: &Subject) {
    let stay = weekend();
    let request = s.request("HTL-4004", Suite, stay, Occupancy::adults(2));
    let booking = s.pms.create_booking(&s.tenant, &request).await.unwrap();
    assert_eq!(s.available(Suite, stay).await, 0);

    let cancelled = s.pms.cancel_booking(&s.tenant, &booking.id).await.unwrap();
    assert_eq!(cancelled.id, booking.id);
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert_eq!(s.available(Suite, stay).await, 1);
    let again = s.pms.cancel_booking(&s.tenant, &booking.id).await.unwrap();
    assert_eq!(again.status, BookingStatus::Cancelled);
    let read = s.pms.booking(&s.tenant, &booking.id).await.unwrap();
    assert_eq!(read.status, BookingStatus::Cancelled);

    // The freed room can be booked again.
    let other = s.request("HTL-4005", Suite, stay, Occupancy::adults(1));
    s.pms.create_booking(&s.tenant, &other).await.unwrap();
    assert_eq!(s.available(Suite, stay).await, 0);
}

pub async fn invalid_requests_are_refused(s: &Subject) {
    let stay = weekend();
    let nobody = StayRequest::new(stay, Occupancy::adults(0));
    assert!(is_invalid(s.pms.quote(&s.tenant, &nobody).await));
    let too_old = StayRequest::new(stay, Occupancy::with_children(1, [18]));
    assert!(is_invalid(s.pms.quote(&s.tenant, &too_old).await));
    // A stay cannot end before it starts: refused before any PMS sees it.
    assert!(matches!(
        Stay::new(date("2026-12-17"), date("2026-12-15")),
        Err(PmsError::InvalidRequest(_))
    ));
    assert!(matches!(
        Stay::new(date("2026-12-17"), date("2026-12-17")),
        Err(PmsError::InvalidRequest(_))
    ));

    let no_adults = s.request("HTL-5005", Double, stay, Occupancy::adults(0));
    assert!(is_invalid(
        s.pms.create_booking(&s.tenant, &no_adults).await
    ));
    let crowd = s.request("HTL-5006", Double, stay, Occupancy::adults(3));
    assert!(is_invalid(s.pms.create_booking(&s.tenant, &crowd).await));
    let spaced = s.request("HTL 5007", Double, stay, Occupancy::adults(2));
    assert!(is_invalid(s.pms.create_booking(&s.tenant, &spaced).await));
    let mut nameless = s.request("HTL-5008", Double, stay, Occupancy::adults(2));
    nameless.guest.first_name = " ".into();
    assert!(is_invalid(s.pms.create_booking(&s.tenant, &nameless).await));
    assert_eq!(s.available(Double, stay).await, 3, "nothing was booked");

    let booking = s
        .pms
        .create_booking(
            &s.tenant,
            &s.request("HTL-5009", Double, stay, Occupancy::adults(2)),
        )
        .await
        .unwrap();
    let nothing = BookingChange::default();
    assert!(is_invalid(
        s.pms.modify_booking(&s.tenant, &booking.id, &nothing).await
    ));
}

pub async fn modifying_the_dates_moves_the_room(s: &Subject) {
    let (before, after) = (weekend(), january());
    let request = s.request("HTL-6006", Double, before, Occupancy::adults(2));
    let booking = s.pms.create_booking(&s.tenant, &request).await.unwrap();
    let change = BookingChange {
        stay: Some(after),
        ..BookingChange::default()
    };
    let moved = s
        .pms
        .modify_booking(&s.tenant, &booking.id, &change)
        .await
        .unwrap();
    assert_eq!(moved.id, booking.id);
    assert_eq!(moved.stay, after);
    assert_eq!(moved.room_type, s.id(Double));
    assert_eq!(moved.adults, 2);
    assert_eq!(moved.total, Some(s.hotel.total(Double, &after)));
    let read = s.pms.booking(&s.tenant, &booking.id).await.unwrap();
    assert_eq!(read.stay, after);
    assert_eq!(s.available(Double, before).await, 3);
    assert_eq!(s.available(Double, after).await, 2);

    // Into the suite, on the new dates.
    let upgrade = BookingChange {
        room_type: Some(s.id(Suite)),
        ..BookingChange::default()
    };
    let upgraded = s
        .pms
        .modify_booking(&s.tenant, &booking.id, &upgrade)
        .await
        .unwrap();
    assert_eq!((upgraded.room_type, upgraded.stay), (s.id(Suite), after));
    assert_eq!(s.available(Double, after).await, 3);
    assert_eq!(s.available(Suite, after).await, 0);
}

pub async fn modifying_into_a_full_or_small_type_is_refused(s: &Subject) {
    let stay = weekend();
    let suite = s.request("HTL-7007", Suite, stay, Occupancy::adults(2));
    s.pms.create_booking(&s.tenant, &suite).await.unwrap();
    let double = s.request("HTL-7008", Double, stay, Occupancy::adults(2));
    let booking = s.pms.create_booking(&s.tenant, &double).await.unwrap();

    let into_suite = BookingChange {
        room_type: Some(s.id(Suite)),
        ..BookingChange::default()
    };
    let error = s
        .pms
        .modify_booking(&s.tenant, &booking.id, &into_suite)
        .await
        .unwrap_err();
    assert!(matches!(error, PmsError::NoAvailability(_)), "{error}");
    let into_single = BookingChange {
        room_type: Some(s.id(Single)),
        ..BookingChange::default()
    };
    assert!(is_invalid(
        s.pms
            .modify_booking(&s.tenant, &booking.id, &into_single)
            .await
    ));
    let unchanged = s.pms.booking(&s.tenant, &booking.id).await.unwrap();
    assert_eq!((unchanged.room_type, unchanged.stay), (s.id(Double), stay));
    assert_eq!(s.available(Double, stay).await, 2);
}

pub async fn modifying_only_the_guests_as_supported(s: &Subject) {
    let stay = weekend();
    let request = s.request("HTL-8008", Double, stay, Occupancy::adults(2));
    let booking = s.pms.create_booking(&s.tenant, &request).await.unwrap();
    let fewer = BookingChange {
        occupancy: Some(Occupancy::adults(1)),
        ..BookingChange::default()
    };
    let result = s.pms.modify_booking(&s.tenant, &booking.id, &fewer).await;
    if s.capabilities.modify_guests_only {
        let changed = result.unwrap();
        assert_eq!((changed.adults, changed.stay), (1, stay));
        assert_eq!(s.available(Double, stay).await, 2);
    } else {
        let error = result.unwrap_err();
        assert!(matches!(error, PmsError::NotSupported(_)), "{error}");
        let read = s.pms.booking(&s.tenant, &booking.id).await.unwrap();
        assert_eq!(read.adults, 2);
    }
}

pub async fn a_cancelled_booking_cannot_be_modified(s: &Subject) {
    let request = s.request("HTL-9009", Double, weekend(), Occupancy::adults(2));
    let booking = s.pms.create_booking(&s.tenant, &request).await.unwrap();
    s.pms.cancel_booking(&s.tenant, &booking.id).await.unwrap();
    let change = BookingChange {
        stay: Some(january()),
        ..BookingChange::default()
    };
    assert!(is_invalid(
        s.pms.modify_booking(&s.tenant, &booking.id, &change).await
    ));
    assert_eq!(s.available(Double, january()).await, 3);
}

pub async fn an_unknown_booking_is_not_found(s: &Subject) {
    let unknown = BookingId::new("999999");
    assert!(matches!(
        s.pms.booking(&s.tenant, &unknown).await,
        Err(PmsError::NotFound(_))
    ));
    assert!(matches!(
        s.pms.cancel_booking(&s.tenant, &unknown).await,
        Err(PmsError::NotFound(_))
    ));
    let change = BookingChange {
        stay: Some(january()),
        ..BookingChange::default()
    };
    assert!(matches!(
        s.pms.modify_booking(&s.tenant, &unknown, &change).await,
        Err(PmsError::NotFound(_))
    ));
}
