//! The circuit breaker: opens after N consecutive transient failures, fails fast, half-opens
//! after the configured time, closes on a successful trial.

use hotel_pms::resilience::{BreakerState, CIRCUIT_OPEN};
use hotel_pms::{Pms, PmsError, ResilienceConfig};

use super::{Harness, secs, unavailable, unlimited};

fn no_retries() -> ResilienceConfig {
    ResilienceConfig {
        max_retries: 0,
        ..unlimited()
    }
}

fn is_circuit_open(error: &PmsError) -> bool {
    matches!(error, PmsError::Unavailable(message) if message == CIRCUIT_OPEN)
}

#[tokio::test]
async fn opens_after_the_configured_failures_and_fails_fast() {
    let h = Harness::new(no_retries());
    assert_eq!(h.pms.config().breaker_failures, 5);
    h.inner.fail("booking", (0..5).map(|_| unavailable()));
    for n in 1..=5 {
        assert_eq!(
            h.pms.breaker_state(),
            BreakerState::Closed,
            "before failure {n}"
        );
        let error = h.read_booking().await.unwrap_err();
        assert!(
            matches!(&error, PmsError::Unavailable(m) if m == "HTTP 502"),
            "{error}"
        );
    }
    assert_eq!(h.pms.breaker_state(), BreakerState::Open);
    // Open: no call reaches the PMS, whatever the operation.
    let error = h.read_booking().await.unwrap_err();
    assert!(is_circuit_open(&error), "{error}");
    assert!(error.is_transient());
    assert!(is_circuit_open(&h.pms.health().await.unwrap_err()));
    assert_eq!(h.inner.calls("booking"), 5);
    assert_eq!(h.inner.calls("health"), 0);
    assert!(h.slept().is_empty());
}

#[tokio::test]
async fn permanent_errors_are_answers_and_reset_the_count() {
    let h = Harness::new(no_retries());
    h.inner.fail("booking", (0..4).map(|_| unavailable()));
    h.inner
        .fail("booking", [PmsError::NotFound("booking 1".into())]);
    h.inner.fail("booking", (0..4).map(|_| PmsError::Timeout));
    for _ in 0..9 {
        assert!(h.read_booking().await.is_err());
    }
    assert_eq!(h.pms.breaker_state(), BreakerState::Closed);
    h.inner
        .fail("booking", [PmsError::RateLimited { retry_after: None }]);
    assert!(h.read_booking().await.is_err());
    assert_eq!(h.pms.breaker_state(), BreakerState::Open);
}

#[tokio::test]
async fn half_opens_after_the_open_time_and_closes_on_success() {
    let config = ResilienceConfig {
        breaker_failures: 2,
        breaker_open_secs: 30,
        ..no_retries()
    };
    let h = Harness::new(config);
    h.inner.fail("booking", [unavailable(), unavailable()]);
    assert!(h.read_booking().await.is_err());
    assert!(h.read_booking().await.is_err());
    assert_eq!(h.pms.breaker_state(), BreakerState::Open);

    h.advance(secs(29));
    assert!(is_circuit_open(&h.read_booking().await.unwrap_err()));
    assert_eq!(h.inner.calls("booking"), 2);

    h.advance(secs(1));
    assert_eq!(h.pms.breaker_state(), BreakerState::HalfOpen);
    let booking = h.read_booking().await.unwrap();
    assert_eq!(booking.id.as_str(), "1");
    assert_eq!(h.inner.calls("booking"), 3);
    assert_eq!(h.pms.breaker_state(), BreakerState::Closed);
    h.read_booking().await.unwrap();
}

#[tokio::test]
async fn a_failed_trial_opens_the_circuit_again() {
    let config = ResilienceConfig {
        breaker_failures: 1,
        breaker_open_secs: 30,
        ..no_retries()
    };
    let h = Harness::new(config);
    h.inner.fail("booking", [unavailable(), PmsError::Timeout]);
    assert!(h.read_booking().await.is_err());
    h.advance(secs(30));
    let error = h.read_booking().await.unwrap_err();
    assert!(matches!(error, PmsError::Timeout), "{error}");
    assert_eq!(h.pms.breaker_state(), BreakerState::Open);
    // A full open time again, counted from the failed trial.
    h.advance(secs(29));
    assert!(is_circuit_open(&h.read_booking().await.unwrap_err()));
    h.advance(secs(1));
    h.read_booking().await.unwrap();
    assert_eq!(h.pms.breaker_state(), BreakerState::Closed);
    assert_eq!(h.inner.calls("booking"), 3);
}

#[tokio::test]
async fn a_permanent_error_in_the_trial_closes_the_circuit() {
    let config = ResilienceConfig {
        breaker_failures: 1,
        ..no_retries()
    };
    let h = Harness::new(config);
    h.inner.fail(
        "booking",
        [unavailable(), PmsError::NotFound("booking 1".into())],
    );
    assert!(h.read_booking().await.is_err());
    h.advance(secs(30));
    assert!(matches!(h.read_booking().await, Err(PmsError::NotFound(_))));
    assert_eq!(h.pms.breaker_state(), BreakerState::Closed);
}

#[tokio::test]
async fn retries_stop_once_the_circuit_opens() {
    let config = ResilienceConfig {
        breaker_failures: 2,
        max_retries: 5,
        ..unlimited()
    };
    let h = Harness::new(config);
    h.inner.fail("booking", (0..6).map(|_| unavailable()));
    let error = h.read_booking().await.unwrap_err();
    // The PMS's own error, not the breaker's.
    assert!(
        matches!(&error, PmsError::Unavailable(m) if m == "HTTP 502"),
        "{error}"
    );
    assert_eq!(h.inner.calls("booking"), 2);
    assert_eq!(
        h.slept().len(),
        1,
        "no backoff before a call that cannot be made"
    );
    assert_eq!(h.pms.breaker_state(), BreakerState::Open);
}
