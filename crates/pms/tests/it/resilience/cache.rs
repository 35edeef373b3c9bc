//! The answer cache: fresh within the TTL, stale (and marked so) while the PMS is down, never
//! older than `stale_max_secs`, forgotten when a booking changes availability.

use hotel_domain::TenantId;
use hotel_pms::resilience::BreakerState;
use hotel_pms::{BookingChange, BookingId, Pms, PmsError, ResilienceConfig};

use super::{Harness, booking_request, december, nth_quote, secs, tenant, unavailable, unlimited};

fn config() -> ResilienceConfig {
    ResilienceConfig {
        quote_ttl_secs: 60,
        stale_max_secs: 1_800,
        max_retries: 0,
        ..unlimited()
    }
}

#[tokio::test]
async fn a_quote_is_reused_within_its_ttl_only() {
    let h = Harness::new(config());
    let request = december(2);
    let first = h.pms.quote(&tenant(), &request).await.unwrap();
    assert_eq!(first, [nth_quote(1)]);
    h.advance(secs(59));
    assert_eq!(h.pms.quote(&tenant(), &request).await.unwrap(), first);
    assert_eq!(h.inner.calls("quote"), 1);
    h.advance(secs(1));
    assert_eq!(
        h.pms.quote(&tenant(), &request).await.unwrap(),
        [nth_quote(2)]
    );
    assert_eq!(h.inner.calls("quote"), 2);
}

#[tokio::test]
async fn the_whole_question_and_the_tenant_are_the_key() {
    let h = Harness::new(config());
    h.pms.quote(&tenant(), &december(2)).await.unwrap();
    h.pms.quote(&tenant(), &december(1)).await.unwrap();
    let double_only = december(2).of_type(hotel_pms::RoomTypeId::new("double"));
    h.pms.quote(&tenant(), &double_only).await.unwrap();
    h.pms
        .quote(&TenantId::new("other"), &december(2))
        .await
        .unwrap();
    assert_eq!(h.inner.calls("quote"), 4);
    h.pms.quote(&tenant(), &december(1)).await.unwrap();
    assert_eq!(h.inner.calls("quote"), 4);
}

#[tokio::test]
async fn a_stale_quote_is_served_and_marked_while_the_pms_is_down() {
    let h = Harness::new(ResilienceConfig {
        breaker_failures: 2,
        ..config()
    });
    let request = december(2);
    h.pms.quote(&tenant(), &request).await.unwrap();
    h.advance(secs(600));
    h.inner.fail("quote", [unavailable(), PmsError::Timeout]);
    for _ in 0..2 {
        let quotes = h.pms.quote(&tenant(), &request).await.unwrap();
        assert_eq!(quotes.len(), 1);
        assert!(quotes[0].stale);
        assert_eq!(quotes[0].available, 1, "the answer of the first call");
    }
    // The circuit is open now: still served, without asking the PMS.
    assert_eq!(h.pms.breaker_state(), BreakerState::Open);
    let quotes = h.pms.quote(&tenant(), &request).await.unwrap();
    assert!(quotes[0].stale);
    assert_eq!(h.inner.calls("quote"), 3);
    // Nothing cached for another question: the error.
    let error = h.pms.quote(&tenant(), &december(1)).await.unwrap_err();
    assert!(error.is_transient(), "{error}");

    // Back up: a fresh answer, not marked.
    h.advance(secs(30));
    let quotes = h.pms.quote(&tenant(), &request).await.unwrap();
    assert_eq!(quotes, [nth_quote(4)]);
    assert!(!quotes[0].stale);
}

#[tokio::test]
async fn an_answer_older_than_stale_max_is_not_served() {
    let h = Harness::new(config());
    let request = december(2);
    h.pms.quote(&tenant(), &request).await.unwrap();
    h.advance(secs(1_799));
    h.inner.fail("quote", [unavailable()]);
    assert!(h.pms.quote(&tenant(), &request).await.unwrap()[0].stale);
    h.advance(secs(1));
    h.inner.fail("quote", [unavailable()]);
    let error = h.pms.quote(&tenant(), &request).await.unwrap_err();
    assert!(matches!(error, PmsError::Unavailable(_)), "{error}");
}

#[tokio::test]
async fn permanent_errors_are_answers_not_outages() {
    let h = Harness::new(config());
    let request = december(2);
    h.pms.quote(&tenant(), &request).await.unwrap();
    h.advance(secs(60));
    h.inner
        .fail("quote", [PmsError::InvalidRequest("no adults".into())]);
    assert!(matches!(
        h.pms.quote(&tenant(), &request).await,
        Err(PmsError::InvalidRequest(_))
    ));
}

#[tokio::test]
async fn booking_changes_forget_the_tenants_quotes() {
    let h = Harness::new(config());
    let request = december(2);
    let other = TenantId::new("other");
    let id = BookingId::new("1");
    let change = BookingChange {
        stay: Some(request.stay),
        ..BookingChange::default()
    };
    h.pms.quote(&tenant(), &request).await.unwrap();
    h.pms.quote(&other, &request).await.unwrap();

    h.pms
        .create_booking(&tenant(), &booking_request())
        .await
        .unwrap();
    h.pms.quote(&tenant(), &request).await.unwrap();
    assert_eq!(h.inner.calls("quote"), 3, "a miss after the create");

    h.pms.cancel_booking(&tenant(), &id).await.unwrap();
    h.pms.quote(&tenant(), &request).await.unwrap();
    assert_eq!(h.inner.calls("quote"), 4, "a miss after the cancel");

    h.pms.modify_booking(&tenant(), &id, &change).await.unwrap();
    h.pms.quote(&tenant(), &request).await.unwrap();
    assert_eq!(h.inner.calls("quote"), 5, "a miss after the modify");

    // A failed create may still have booked: forgotten too.
    h.inner.fail("create_booking", [PmsError::Timeout]);
    assert!(
        h.pms
            .create_booking(&tenant(), &booking_request())
            .await
            .is_err()
    );
    h.pms.quote(&tenant(), &request).await.unwrap();
    assert_eq!(h.inner.calls("quote"), 6, "a miss after the failed create");

    // The other tenant's answer was kept all along.
    h.pms.quote(&other, &request).await.unwrap();
    assert_eq!(h.inner.calls("quote"), 6);
}

#[tokio::test]
async fn hotels_and_room_types_are_kept_longer_and_served_while_down() {
    let h = Harness::new(config());
    assert_eq!(h.pms.config().catalog_ttl_secs, 900);
    let hotels = h.pms.hotels(&tenant()).await.unwrap();
    h.pms.room_types(&tenant()).await.unwrap();
    h.advance(secs(899));
    assert_eq!(h.pms.hotels(&tenant()).await.unwrap(), hotels);
    h.pms.room_types(&tenant()).await.unwrap();
    assert_eq!(
        (h.inner.calls("hotels"), h.inner.calls("room_types")),
        (1, 1)
    );
    // Bookings do not change the catalog.
    h.pms
        .create_booking(&tenant(), &booking_request())
        .await
        .unwrap();
    h.pms.hotels(&tenant()).await.unwrap();
    assert_eq!(h.inner.calls("hotels"), 1);

    h.advance(secs(1));
    h.inner.fail("hotels", [unavailable()]);
    assert_eq!(h.pms.hotels(&tenant()).await.unwrap(), hotels);
    assert_eq!(h.inner.calls("hotels"), 2);
    let fresh = h.pms.hotels(&tenant()).await.unwrap();
    assert_eq!(fresh[0].name, "Hotel 3");
}
