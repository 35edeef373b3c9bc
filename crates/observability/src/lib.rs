//! Observability: log setup ([`init_tracing`]), the Prometheus recorder ([`install_recorder`]),
//! the metric names the code emits ([`names`]), request ids and PII redaction ([`redact`]).

pub mod names;
pub mod redact;

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

/// Errors of the observability setup.
#[derive(Debug, thiserror::Error)]
pub enum ObservabilityError {
    #[error("could not configure the metrics recorder: {0}")]
    Metrics(String),
    #[error("could not install the log subscriber: {0}")]
    Tracing(String),
}

pub type Result<T> = std::result::Result<T, ObservabilityError>;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line (production).
    Json,
    /// Human-readable, compact (development).
    Compact,
}

/// Installs the global log subscriber. The filter comes from `RUST_LOG`, else `default_filter`.
pub fn init_tracing(format: LogFormat, default_filter: &str) -> Result<()> {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let outcome = match format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .flatten_event(true)
            .try_init(),
        LogFormat::Compact => builder.compact().try_init(),
    };
    outcome.map_err(|e| ObservabilityError::Tracing(e.to_string()))
}

/// Latency buckets (seconds) for every `*_seconds` histogram: fine below 10 ms, where the webhook lives.
pub const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the Prometheus recorder as the process-wide `metrics` recorder (once) and returns a
/// handle to render it. Later calls (tests building several apps in one process) return the same
/// handle. When another recorder was installed first, a handle to a fresh recorder is returned.
pub fn install_recorder() -> Result<PrometheusHandle> {
    if let Some(handle) = RECORDER.get() {
        return Ok(handle.clone());
    }
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), LATENCY_BUCKETS)
        .map_err(|e| ObservabilityError::Metrics(e.to_string()))?
        .build_recorder();
    let handle = recorder.handle();
    if metrics::set_global_recorder(recorder).is_ok() {
        names::describe_all();
    }
    Ok(RECORDER.get_or_init(|| handle).clone())
}

/// A new request id (UUID v7: sortable by time).
pub fn new_request_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Whether an incoming `X-Request-ID` is acceptable to reuse: 1–128 visible ASCII characters.
pub fn is_valid_request_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_unique_and_valid() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        assert!(is_valid_request_id(&a));
    }

    #[test]
    fn rejects_bad_request_ids() {
        assert!(!is_valid_request_id(""));
        assert!(!is_valid_request_id("with space"));
        assert!(!is_valid_request_id(&"x".repeat(129)));
        assert!(!is_valid_request_id("new\nline"));
        assert!(is_valid_request_id("abc-123_DEF"));
    }

    #[test]
    fn recorder_renders_emitted_metrics() {
        let handle = install_recorder().unwrap();
        metrics::counter!(names::WEBHOOKS_TOTAL, "result" => "ok").increment(1);
        assert!(handle.render().contains("webhooks_total"));
        let second = install_recorder().unwrap();
        assert!(second.render().contains("webhooks_total"));
    }
}
