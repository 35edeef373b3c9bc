//! The layer's metrics, under the names of `hotel_observability::names`, seen by a recorder
//! local to the test's thread.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hotel_observability::names::{
    ALL, PMS_BREAKER_STATE, PMS_BREAKER_TRANSITIONS_TOTAL, PMS_CACHE_LOOKUPS_TOTAL,
    PMS_CALL_DURATION_SECONDS, PMS_RATE_LIMIT_WAIT_SECONDS, PMS_RATE_LIMIT_WAITS_TOTAL,
    PMS_RETRIES_TOTAL,
};
use hotel_pms::{Pms, ResilienceConfig};
use metrics::{
    Counter, CounterFn, Gauge, GaugeFn, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder,
    SharedString, Unit,
};

use super::{Harness, december, secs, tenant, unavailable};

type Values = Arc<Mutex<HashMap<String, f64>>>;

/// Counters add, gauges keep the last value, histograms count their records.
#[derive(Debug, Default)]
struct TestRecorder {
    values: Values,
}

#[derive(Debug)]
struct Handle {
    key: String,
    values: Values,
}

impl Handle {
    fn update(&self, f: impl FnOnce(f64) -> f64) {
        let mut values = self.values.lock().unwrap();
        let value = values.entry(self.key.clone()).or_insert(0.0);
        *value = f(*value);
    }
}

impl CounterFn for Handle {
    fn increment(&self, value: u64) {
        self.update(|v| v + value as f64);
    }
    fn absolute(&self, value: u64) {
        self.update(|_| value as f64);
    }
}

impl GaugeFn for Handle {
    fn increment(&self, value: f64) {
        self.update(|v| v + value);
    }
    fn decrement(&self, value: f64) {
        self.update(|v| v - value);
    }
    fn set(&self, value: f64) {
        self.update(|_| value);
    }
}

impl HistogramFn for Handle {
    fn record(&self, _value: f64) {
        self.update(|v| v + 1.0);
    }
}

impl TestRecorder {
    fn handle(&self, key: &Key) -> Arc<Handle> {
        let mut labels: Vec<String> = key
            .labels()
            .map(|label| format!("{}={}", label.key(), label.value()))
            .collect();
        labels.sort();
        Arc::new(Handle {
            key: format!("{}{{{}}}", key.name(), labels.join(",")),
            values: self.values.clone(),
        })
    }

    fn value(&self, key: &str) -> f64 {
        let values = self.values.lock().unwrap();
        values.get(key).copied().unwrap_or(0.0)
    }

    fn names(&self) -> Vec<String> {
        let values = self.values.lock().unwrap();
        values
            .keys()
            .map(|key| key.split('{').next().unwrap_or_default().to_owned())
            .collect()
    }
}

impl Recorder for TestRecorder {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(self.handle(key))
    }
    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::from_arc(self.handle(key))
    }
    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(self.handle(key))
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_layer_reports_breaker_retries_cache_rate_limit_and_latency() {
    let recorder = TestRecorder::default();
    let _guard = metrics::set_default_local_recorder(&recorder);
    let h = Harness::new(ResilienceConfig {
        breaker_failures: 3,
        max_retries: 2,
        requests_per_minute: 60,
        burst: 2,
        ..ResilienceConfig::default()
    });
    let state = format!("{PMS_BREAKER_STATE}{{pms=scripted}}");
    assert_eq!(recorder.value(&state), 0.0);

    let request = december(2);
    h.pms.quote(&tenant(), &request).await.unwrap();
    h.pms.quote(&tenant(), &request).await.unwrap();
    h.advance(secs(60));
    h.inner
        .fail("quote", [unavailable(), unavailable(), unavailable()]);
    assert!(h.pms.quote(&tenant(), &request).await.unwrap()[0].stale);

    let value = |name: &str, labels: &str| recorder.value(&format!("{name}{{{labels}}}"));
    let quote = "operation=quote,pms=scripted";
    assert_eq!(
        value(PMS_CACHE_LOOKUPS_TOTAL, &format!("{quote},result=hit")),
        1.0
    );
    assert_eq!(
        value(PMS_CACHE_LOOKUPS_TOTAL, &format!("{quote},result=miss")),
        1.0
    );
    assert_eq!(
        value(PMS_CACHE_LOOKUPS_TOTAL, &format!("{quote},result=stale")),
        1.0
    );
    assert_eq!(value(PMS_RETRIES_TOTAL, quote), 2.0);
    assert_eq!(
        value(PMS_CALL_DURATION_SECONDS, &format!("{quote},result=ok")),
        1.0
    );
    assert_eq!(
        value(
            PMS_CALL_DURATION_SECONDS,
            &format!("{quote},result=unavailable")
        ),
        3.0
    );
    assert_eq!(
        value(PMS_BREAKER_TRANSITIONS_TOTAL, "pms=scripted,to=open"),
        1.0
    );
    assert_eq!(recorder.value(&state), 2.0);
    // Two back to back, then the third of the failing call waited for its slot.
    assert!(value(PMS_RATE_LIMIT_WAITS_TOTAL, "pms=scripted,result=waited") >= 1.0);
    assert!(value(PMS_RATE_LIMIT_WAIT_SECONDS, "pms=scripted") >= 1.0);

    h.advance(secs(30));
    h.pms.health().await.unwrap();
    assert_eq!(
        value(PMS_BREAKER_TRANSITIONS_TOTAL, "pms=scripted,to=half_open"),
        1.0
    );
    assert_eq!(
        value(PMS_BREAKER_TRANSITIONS_TOTAL, "pms=scripted,to=closed"),
        1.0
    );
    assert_eq!(recorder.value(&state), 0.0);

    for name in recorder.names() {
        assert!(ALL.contains(&name.as_str()), "{name} is not in names::ALL");
    }
}
