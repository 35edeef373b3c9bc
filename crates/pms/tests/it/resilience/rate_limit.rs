//! The outbound rate limit: the 71st call in a minute waits, and the PMS never sees more than
//! the limit in any 60 seconds.

use std::time::Duration;

use hotel_pms::{PmsError, ResilienceConfig};

use super::{Harness, ms, secs};

#[tokio::test]
async fn the_71st_call_in_a_minute_waits() {
    let config = ResilienceConfig {
        requests_per_minute: 70,
        burst: 70,
        rate_limit_max_wait_ms: 60_000,
        ..ResilienceConfig::default()
    };
    let h = Harness::new(config);
    for _ in 0..70 {
        h.read_booking().await.unwrap();
    }
    assert!(h.slept().is_empty(), "the burst went through at once");
    h.read_booking().await.unwrap();
    assert_eq!(h.slept(), [Duration::from_secs(60)]);
    let times = h.inner.call_times("booking");
    assert_eq!(times[69], times[0]);
    assert_eq!(times[70], times[0] + secs(60));
}

#[tokio::test]
async fn the_pms_never_sees_more_than_the_limit_in_any_minute() {
    let h = Harness::new(ResilienceConfig::default());
    let config = h.pms.config();
    assert_eq!((config.requests_per_minute, config.burst), (70, 10));
    for _ in 0..300 {
        h.read_booking().await.unwrap();
    }
    let times = h.inner.call_times("booking");
    assert_eq!(times.len(), 300);
    // The burst at once, then one call every 60/61 s: 10 + 60 in the first minute.
    assert_eq!(times[9], times[0]);
    let spacing = h.slept()[0];
    assert!(
        spacing > ms(983) && spacing < ms(984),
        "{spacing:?} between calls after the burst"
    );
    for (first, last) in times.iter().zip(times.iter().skip(70)) {
        assert!(
            *last - *first >= secs(60),
            "71 calls within {}",
            *last - *first
        );
    }
    // And no slower than that: 300 calls take (300 - 10) × 60/61 s.
    let elapsed = times[299] - times[0];
    assert!(elapsed < secs(286), "{elapsed}");
}

#[tokio::test]
async fn a_call_that_would_wait_too_long_fails_without_reaching_the_pms() {
    let config = ResilienceConfig {
        requests_per_minute: 1,
        burst: 1,
        rate_limit_max_wait_ms: 1_000,
        ..ResilienceConfig::default()
    };
    let h = Harness::new(config);
    h.read_booking().await.unwrap();
    let error = h.read_booking().await.unwrap_err();
    assert!(
        matches!(error, PmsError::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(60)),
        "{error}"
    );
    assert!(error.is_transient());
    assert_eq!(h.inner.calls("booking"), 1);
    assert!(h.slept().is_empty());
    // Our own limit is not the PMS failing: the circuit stays closed.
    assert_eq!(
        h.pms.breaker_state(),
        hotel_pms::resilience::BreakerState::Closed
    );
    h.advance(secs(60));
    h.read_booking().await.unwrap();
}
