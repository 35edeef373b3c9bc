//! Retries: only transient errors, at most `max_retries`, after the exponential backoff the
//! test sleeper records.

use std::sync::Arc;
use std::time::Duration;

use hotel_pms::resilience::SeededJitter;
use hotel_pms::{BookingChange, BookingId, Pms, PmsError, ResilienceConfig};

use super::{Harness, booking_request, ms, tenant, unavailable, unlimited};

#[tokio::test]
async fn transient_errors_are_retried_with_exponential_backoff() {
    let h = Harness::new(unlimited());
    assert_eq!(h.pms.config().max_retries, 2);
    h.inner.fail("booking", [PmsError::Timeout, unavailable()]);
    let booking = h.read_booking().await.unwrap();
    assert_eq!(booking.id.as_str(), "1");
    assert_eq!(h.inner.calls("booking"), 3);
    assert_eq!(h.slept(), [ms(200), ms(400)]);
}

#[tokio::test]
async fn retries_stop_at_the_maximum_and_delays_at_their_cap() {
    let config = ResilienceConfig {
        max_retries: 4,
        backoff_base_ms: 200,
        backoff_max_ms: 500,
        breaker_failures: 100,
        ..unlimited()
    };
    let h = Harness::new(config);
    h.inner.fail("booking", (0..4).map(|_| unavailable()));
    h.inner.fail("booking", [PmsError::Timeout]);
    let error = h.read_booking().await.unwrap_err();
    assert!(
        matches!(error, PmsError::Timeout),
        "the last error: {error}"
    );
    assert_eq!(h.inner.calls("booking"), 5);
    assert_eq!(h.slept(), [ms(200), ms(400), ms(500), ms(500)]);
}

#[tokio::test]
async fn permanent_errors_are_not_retried() {
    let h = Harness::new(unlimited());
    for error in [
        PmsError::NotFound("booking 1".into()),
        PmsError::InvalidRequest("x".into()),
        PmsError::NoAvailability("double".into()),
        PmsError::Unauthorized("HTTP 401".into()),
        PmsError::InvalidResponse("x".into()),
    ] {
        h.inner.fail("booking", [error]);
        assert!(h.read_booking().await.is_err());
    }
    assert_eq!(h.inner.calls("booking"), 5);
    assert!(h.slept().is_empty());
}

#[tokio::test]
async fn a_retry_after_is_honoured_when_short_enough() {
    let h = Harness::new(unlimited());
    h.inner.fail(
        "booking",
        [PmsError::RateLimited {
            retry_after: Some(ms(1500)),
        }],
    );
    h.read_booking().await.unwrap();
    assert_eq!(h.slept(), [ms(1500)]);

    // Longer than backoff_max_ms (2 s): returned at once, and later calls wait it out.
    h.sleeper.clear();
    h.inner.fail(
        "booking",
        [PmsError::RateLimited {
            retry_after: Some(Duration::from_secs(4)),
        }],
    );
    let error = h.read_booking().await.unwrap_err();
    assert!(
        matches!(error, PmsError::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(4)),
        "{error}"
    );
    assert_eq!(h.inner.calls("booking"), 3);
    assert!(h.slept().is_empty());
    h.read_booking().await.unwrap();
    assert_eq!(
        h.slept(),
        [Duration::from_secs(4)],
        "held by the PMS's Retry-After"
    );
}

#[tokio::test]
async fn a_create_is_retried_after_a_server_error_but_not_after_a_timeout() {
    let h = Harness::new(unlimited());
    h.inner.fail("create_booking", [unavailable()]);
    h.pms
        .create_booking(&tenant(), &booking_request())
        .await
        .unwrap();
    assert_eq!(h.inner.calls("create_booking"), 2);

    // The PMS may still be creating the order: the caller retries later, same reference.
    h.inner.fail("create_booking", [PmsError::Timeout]);
    let error = h
        .pms
        .create_booking(&tenant(), &booking_request())
        .await
        .unwrap_err();
    assert!(matches!(error, PmsError::Timeout), "{error}");
    assert_eq!(h.inner.calls("create_booking"), 3);
    assert_eq!(h.slept(), [ms(200)]);
}

#[tokio::test]
async fn cancel_and_modify_are_retried() {
    let h = Harness::new(unlimited());
    let id = BookingId::new("1");
    h.inner.fail("cancel_booking", [PmsError::Timeout]);
    h.pms.cancel_booking(&tenant(), &id).await.unwrap();
    h.inner
        .fail("modify_booking", [PmsError::Timeout, unavailable()]);
    let change = BookingChange {
        stay: Some(booking_request().stay),
        ..BookingChange::default()
    };
    h.pms.modify_booking(&tenant(), &id, &change).await.unwrap();
    assert_eq!(h.inner.calls("cancel_booking"), 2);
    assert_eq!(h.inner.calls("modify_booking"), 3);
    assert_eq!(h.slept(), [ms(200), ms(200), ms(400)]);
}

#[tokio::test]
async fn health_checks_are_not_retried() {
    let h = Harness::new(unlimited());
    h.inner.fail("health", [unavailable()]);
    assert!(h.pms.health().await.is_err());
    assert_eq!(h.inner.calls("health"), 1);
    assert!(h.slept().is_empty());
}

#[tokio::test]
async fn jitter_shortens_delays_within_bounds_and_repeats_with_its_seed() {
    let config = ResilienceConfig {
        max_retries: 3,
        backoff_jitter: 0.5,
        ..unlimited()
    };
    let run = || async {
        let h = Harness::with_jitter(config.clone(), Arc::new(SeededJitter::new(42)));
        h.inner.fail("booking", (0..3).map(|_| unavailable()));
        h.read_booking().await.unwrap();
        h.slept()
    };
    let delays = run().await;
    for (delay, nominal) in delays.iter().zip([200, 400, 800]) {
        assert!(
            *delay >= ms(nominal / 2) && *delay <= ms(nominal),
            "{delay:?} outside [{}, {nominal}] ms",
            nominal / 2
        );
    }
    assert_ne!(delays, [ms(200), ms(400), ms(800)], "no jitter drawn");
    assert_eq!(run().await, delays);
}

#[tokio::test]
async fn an_absurd_retry_after_holds_calls_no_longer_than_the_breaker_would() {
    let h = Harness::new(unlimited());
    h.inner.fail(
        "booking",
        [PmsError::RateLimited {
            retry_after: Some(Duration::from_secs(3600)),
        }],
    );
    assert!(h.read_booking().await.is_err());
    // Held for breaker_open_secs (30 s), longer than a call waits (5 s): refused at once.
    let error = h.read_booking().await.unwrap_err();
    assert!(
        matches!(error, PmsError::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(30)),
        "{error}"
    );
    assert_eq!(h.inner.calls("booking"), 1);
    h.advance(super::secs(30));
    h.read_booking().await.unwrap();
    assert!(h.slept().is_empty());
}
