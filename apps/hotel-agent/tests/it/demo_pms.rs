//! The demo PMS keeps its bookings in the database: the app's ledger behaves like the in-memory
//! one, never overbooks under a race, and a booking outlives a restart.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use hotel_agent::demo_ledger::StoreDemoLedger;
use hotel_domain::{ManualClock, TenantId};
use hotel_pms::{
    BookingChange, BookingId, BookingRequest, BookingStatus, DemoPms, GuestContact, Money,
    Occupancy, Pms, PmsError, RoomTypeCode, Stay, StayRequest,
};
use hotel_store::Backend;
use hotel_store::testing::{TestStore, test_store};

use crate::harness::TestApp;

fn stay(from: &str, to: &str) -> Stay {
    let date = |text: &str| text.parse::<NaiveDate>().unwrap();
    Stay::new(date(from), date(to)).unwrap()
}

fn tenant() -> TenantId {
    TenantId::new("default")
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

/// The default demo inventory (two suites, ten doubles…) over the store, on a fixed clock.
async fn store_pms(backend: Backend) -> (TestStore, Arc<dyn Pms>) {
    let db = test_store(backend).await;
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap(),
    ));
    let ledger = StoreDemoLedger::new(db.store.clone(), clock);
    let pms = DemoPms::default().with_ledger(Arc::new(ledger));
    (db, Arc::new(pms))
}

async fn books_cancels_and_modifies_in_the_database(backend: Backend) {
    let (_db, pms) = store_pms(backend).await;
    let dec = stay("2026-12-15", "2026-12-17");
    let family = request(
        "HTL-7Q2K",
        RoomTypeCode::Suite,
        dec,
        Occupancy::with_children(2, [4, 9]),
    );
    let first = pms.create_booking(&tenant(), &family).await.unwrap();
    assert_eq!(pms.create_booking(&tenant(), &family).await.unwrap(), first);
    assert_eq!(first.reference.as_deref(), Some("HTL-7Q2K"));
    assert_eq!(first.status, BookingStatus::AwaitingPayment);
    assert_eq!((first.adults, first.children), (2, 2));
    assert_eq!(first.total, Some(Money::from_units(240_000, "ARS")));
    assert_eq!(pms.booking(&tenant(), &first.id).await.unwrap(), first);
    assert_eq!(available(pms.as_ref(), RoomTypeCode::Suite, dec).await, 1);

    let second = pms
        .create_booking(
            &tenant(),
            &request("HTL-2", RoomTypeCode::Suite, dec, Occupancy::adults(1)),
        )
        .await
        .unwrap();
    let third = request("HTL-3", RoomTypeCode::Suite, dec, Occupancy::adults(1));
    let full = pms.create_booking(&tenant(), &third).await.unwrap_err();
    assert!(matches!(full, PmsError::NoAvailability(_)), "{full}");
    assert!(full.to_string().contains("suite"), "{full}");

    // Shorter within its own nights: allowed though the type is full; the guests are kept.
    let shorter = BookingChange {
        stay: Some(stay("2026-12-15", "2026-12-16")),
        ..BookingChange::default()
    };
    let changed = pms
        .modify_booking(&tenant(), &first.id, &shorter)
        .await
        .unwrap();
    assert_eq!(changed.stay.nights(), 1);
    assert_eq!((changed.adults, changed.children), (2, 2));
    assert_eq!(changed.total, Some(Money::from_units(120_000, "ARS")));
    // The double takes one child at most: the PMS refuses before anything is written.
    let to_double = BookingChange {
        room_type: Some(RoomTypeCode::Double.into()),
        ..BookingChange::default()
    };
    let refused = pms
        .modify_booking(&tenant(), &first.id, &to_double)
        .await
        .unwrap_err();
    assert!(matches!(refused, PmsError::InvalidRequest(_)), "{refused}");
    // Moving the other suite onto the night the first one still holds: full.
    let double = pms
        .create_booking(
            &tenant(),
            &request("HTL-4", RoomTypeCode::Double, dec, Occupancy::adults(2)),
        )
        .await
        .unwrap();
    let to_suite = BookingChange {
        room_type: Some(RoomTypeCode::Suite.into()),
        stay: Some(stay("2026-12-15", "2026-12-16")),
        ..BookingChange::default()
    };
    let full = pms
        .modify_booking(&tenant(), &double.id, &to_suite)
        .await
        .unwrap_err();
    assert!(matches!(full, PmsError::NoAvailability(_)), "{full}");
    assert_eq!(pms.booking(&tenant(), &double.id).await.unwrap(), double);

    let cancelled = pms.cancel_booking(&tenant(), &second.id).await.unwrap();
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert_eq!(
        pms.cancel_booking(&tenant(), &second.id).await.unwrap(),
        cancelled
    );
    let cancelled_change = pms
        .modify_booking(&tenant(), &second.id, &shorter)
        .await
        .unwrap_err();
    assert!(
        matches!(cancelled_change, PmsError::InvalidRequest(_)),
        "{cancelled_change}"
    );
    pms.create_booking(&tenant(), &third).await.unwrap();

    for missing in [BookingId::new("999"), BookingId::new("HTL-1")] {
        assert!(matches!(
            pms.booking(&tenant(), &missing).await,
            Err(PmsError::NotFound(_))
        ));
        assert!(matches!(
            pms.cancel_booking(&tenant(), &missing).await,
            Err(PmsError::NotFound(_))
        ));
        assert!(matches!(
            pms.modify_booking(&tenant(), &missing, &shorter).await,
            Err(PmsError::NotFound(_))
        ));
    }
    // Another tenant sees none of it.
    assert!(matches!(
        pms.booking(&TenantId::new("other"), &first.id).await,
        Err(PmsError::NotFound(_))
    ));
}

async fn racing_guests_never_get_more_rooms_than_there_are(backend: Backend) {
    let (_db, pms) = store_pms(backend).await;
    let dec = stay("2026-12-15", "2026-12-17");
    let attempts: Vec<_> = (0..30)
        .map(|n| {
            let pms = Arc::clone(&pms);
            let booking = request(
                &format!("HTL-{n}"),
                RoomTypeCode::Suite,
                dec,
                Occupancy::adults(1),
            );
            tokio::spawn(async move { pms.create_booking(&tenant(), &booking).await })
        })
        .collect();
    let mut booked = 0;
    for attempt in futures::future::join_all(attempts).await {
        match attempt.unwrap() {
            Ok(_) => booked += 1,
            Err(error) => assert!(matches!(error, PmsError::NoAvailability(_)), "{error}"),
        }
    }
    assert_eq!(booked, 2, "the default inventory has two suites");
    assert_eq!(available(pms.as_ref(), RoomTypeCode::Suite, dec).await, 0);
}

async fn a_booking_survives_a_restart(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let dec = stay("2026-12-15", "2026-12-17");
    let booking = request(
        "HTL-RESTART",
        RoomTypeCode::Suite,
        dec,
        Occupancy::adults(2),
    );
    let pms = Arc::clone(&app.app.as_ref().unwrap().state.pms);
    assert_eq!(pms.kind(), "demo");
    let made = pms.create_booking(&tenant(), &booking).await.unwrap();
    assert_eq!(available(pms.as_ref(), RoomTypeCode::Suite, dec).await, 1);
    drop(pms);

    app.restart_with(|_| {}).await;
    let pms = Arc::clone(&app.app.as_ref().unwrap().state.pms);
    assert_eq!(pms.booking(&tenant(), &made.id).await.unwrap(), made);
    assert_eq!(available(pms.as_ref(), RoomTypeCode::Suite, dec).await, 1);
    // The reference is still known: retrying the create after the restart books nothing new.
    assert_eq!(pms.create_booking(&tenant(), &booking).await.unwrap(), made);
    let cancelled = pms.cancel_booking(&tenant(), &made.id).await.unwrap();
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert_eq!(available(pms.as_ref(), RoomTypeCode::Suite, dec).await, 2);
    drop(pms);
    app.stop().await;
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(hotel_store::Backend::Postgres).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(hotel_store::Backend::Sqlite).await;
                }
            )*
        }
    };
}

on_both_backends!(
    books_cancels_and_modifies_in_the_database,
    racing_guests_never_get_more_rooms_than_there_are,
    a_booking_survives_a_restart,
);
