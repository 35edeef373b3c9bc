//! Every metric the service emits. Alert rules and dashboards may only use these names.

use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};

/// HTTP requests by `method`, `route` (the matched pattern) and `status`.
pub const HTTP_REQUESTS_TOTAL: &str = "http_requests_total";
/// HTTP request duration by `method`, `route` and `status`.
pub const HTTP_REQUEST_DURATION_SECONDS: &str = "http_request_duration_seconds";
/// WhatsApp webhook POSTs by `result`: ok, unauthorized, unsupported_media_type, payload_too_large,
/// bad_request, error.
pub const WEBHOOKS_TOTAL: &str = "webhooks_total";
/// Inbound guest messages by `kind` and `result` (stored, duplicate, unknown_number).
pub const INBOUND_MESSAGES_TOTAL: &str = "inbound_messages_total";
/// Delivery status callbacks by `status` and `result` (matched, unmatched, duplicate).
pub const DELIVERY_STATUSES_TOTAL: &str = "delivery_statuses_total";
/// Outbound messages by final `status`: sent, delivered, read, failed, dead.
pub const OUTBOUND_MESSAGES_TOTAL: &str = "outbound_messages_total";
/// Graph API send attempts by `result` (accepted, retry, dead) and `code` (Meta's error code or none).
pub const WHATSAPP_SEND_ATTEMPTS_TOTAL: &str = "whatsapp_send_attempts_total";
/// Graph API send latency.
pub const WHATSAPP_SEND_DURATION_SECONDS: &str = "whatsapp_send_duration_seconds";
/// Outbox rows not yet accepted by the provider.
pub const OUTBOX_DEPTH: &str = "outbox_depth";
/// Time from claiming an inbound message to its replies being in the outbox, by `result`.
pub const MESSAGE_PROCESSING_DURATION_SECONDS: &str = "message_processing_duration_seconds";
/// Inbound messages whose processing failed, by `result` (retry, dead).
pub const INBOUND_PROCESSING_FAILURES_TOTAL: &str = "inbound_processing_failures_total";

/// Replies whose 24-hour window had closed at send time, by outcome (`template`, `dead`).
pub const WHATSAPP_WINDOW_CLOSED_TOTAL: &str = "whatsapp_window_closed_total";
/// Sends held back by the per-number or per-guest rate limit, by `scope` (`number`, `pair`).
pub const WHATSAPP_SEND_DEFERRED_TOTAL: &str = "whatsapp_send_deferred_total";
/// Guest media downloads by `kind` and `result` (`stored`, `failed`, `too_large`, …).
pub const MEDIA_DOWNLOADS_TOTAL: &str = "media_downloads_total";

/// Calls to the property management system through the resilience layer, by `pms` (demo,
/// qloapps), `operation` (quote, create_booking, …) and `result` (ok, or the error kind:
/// unavailable, timeout, rate_limited, not_found, no_availability, …). One per attempt.
pub const PMS_CALL_DURATION_SECONDS: &str = "pms_call_duration_seconds";
/// Retries of PMS calls after a transient error, by `pms` and `operation`.
pub const PMS_RETRIES_TOTAL: &str = "pms_retries_total";
/// The PMS circuit breaker's state by `pms`: 0 closed, 1 half-open, 2 open.
pub const PMS_BREAKER_STATE: &str = "pms_breaker_state";
/// PMS circuit breaker transitions by `pms` and `to` (closed, half_open, open).
pub const PMS_BREAKER_TRANSITIONS_TOTAL: &str = "pms_breaker_transitions_total";
/// PMS answer cache lookups by `pms`, `operation` (quote, room_types, hotels) and `result`:
/// hit (fresh), miss (asked the PMS), stale (the PMS failed; an older answer was served).
pub const PMS_CACHE_LOOKUPS_TOTAL: &str = "pms_cache_lookups_total";
/// PMS calls held by the outbound rate limit, by `pms` and `result` (waited, rejected).
pub const PMS_RATE_LIMIT_WAITS_TOTAL: &str = "pms_rate_limit_waits_total";
/// How long PMS calls waited for the outbound rate limit, by `pms`.
pub const PMS_RATE_LIMIT_WAIT_SECONDS: &str = "pms_rate_limit_wait_seconds";

/// Every metric name, for the check that alert rules only use emitted metrics.
pub const ALL: &[&str] = &[
    HTTP_REQUESTS_TOTAL,
    HTTP_REQUEST_DURATION_SECONDS,
    WEBHOOKS_TOTAL,
    INBOUND_MESSAGES_TOTAL,
    DELIVERY_STATUSES_TOTAL,
    OUTBOUND_MESSAGES_TOTAL,
    WHATSAPP_SEND_ATTEMPTS_TOTAL,
    WHATSAPP_SEND_DURATION_SECONDS,
    OUTBOX_DEPTH,
    MESSAGE_PROCESSING_DURATION_SECONDS,
    INBOUND_PROCESSING_FAILURES_TOTAL,
    WHATSAPP_WINDOW_CLOSED_TOTAL,
    WHATSAPP_SEND_DEFERRED_TOTAL,
    MEDIA_DOWNLOADS_TOTAL,
    PMS_CALL_DURATION_SECONDS,
    PMS_RETRIES_TOTAL,
    PMS_BREAKER_STATE,
    PMS_BREAKER_TRANSITIONS_TOTAL,
    PMS_CACHE_LOOKUPS_TOTAL,
    PMS_RATE_LIMIT_WAITS_TOTAL,
    PMS_RATE_LIMIT_WAIT_SECONDS,
];

/// Registers help texts and units with the installed recorder.
pub fn describe_all() {
    describe_counter!(
        HTTP_REQUESTS_TOTAL,
        "HTTP requests by method, route and status"
    );
    describe_histogram!(
        HTTP_REQUEST_DURATION_SECONDS,
        Unit::Seconds,
        "HTTP request duration"
    );
    describe_counter!(WEBHOOKS_TOTAL, "WhatsApp webhook deliveries by result");
    describe_counter!(
        WHATSAPP_WINDOW_CLOSED_TOTAL,
        "Replies whose 24-hour window had closed at send time, by outcome"
    );
    describe_counter!(
        WHATSAPP_SEND_DEFERRED_TOTAL,
        "Sends held back by the per-number or per-guest rate limit, by scope"
    );
    describe_counter!(
        MEDIA_DOWNLOADS_TOTAL,
        "Guest media downloads by kind and result"
    );
    describe_counter!(
        INBOUND_MESSAGES_TOTAL,
        "Inbound guest messages by kind and result"
    );
    describe_counter!(
        DELIVERY_STATUSES_TOTAL,
        "Delivery status callbacks by status and result"
    );
    describe_counter!(OUTBOUND_MESSAGES_TOTAL, "Outbound messages by final status");
    describe_counter!(
        WHATSAPP_SEND_ATTEMPTS_TOTAL,
        "Graph API send attempts by result and code"
    );
    describe_histogram!(
        WHATSAPP_SEND_DURATION_SECONDS,
        Unit::Seconds,
        "Graph API send latency"
    );
    describe_gauge!(OUTBOX_DEPTH, "Outbox rows not yet accepted by the provider");
    describe_histogram!(
        MESSAGE_PROCESSING_DURATION_SECONDS,
        Unit::Seconds,
        "Inbound message processing time"
    );
    describe_counter!(
        INBOUND_PROCESSING_FAILURES_TOTAL,
        "Inbound processing failures by result"
    );
    describe_histogram!(
        PMS_CALL_DURATION_SECONDS,
        Unit::Seconds,
        "PMS call latency by pms, operation and result"
    );
    describe_counter!(
        PMS_RETRIES_TOTAL,
        "PMS call retries after transient errors, by pms and operation"
    );
    describe_gauge!(
        PMS_BREAKER_STATE,
        "PMS circuit breaker state by pms: 0 closed, 1 half-open, 2 open"
    );
    describe_counter!(
        PMS_BREAKER_TRANSITIONS_TOTAL,
        "PMS circuit breaker transitions by pms and new state"
    );
    describe_counter!(
        PMS_CACHE_LOOKUPS_TOTAL,
        "PMS answer cache lookups by pms, operation and result (hit, miss, stale)"
    );
    describe_counter!(
        PMS_RATE_LIMIT_WAITS_TOTAL,
        "PMS calls held by the outbound rate limit, by pms and result (waited, rejected)"
    );
    describe_histogram!(
        PMS_RATE_LIMIT_WAIT_SECONDS,
        Unit::Seconds,
        "Time PMS calls waited for the outbound rate limit"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gauges name what they measure, without a unit suffix.
    const GAUGES: &[&str] = &[OUTBOX_DEPTH, PMS_BREAKER_STATE];

    #[test]
    fn names_follow_prometheus_conventions() {
        for name in ALL {
            assert!(
                name.ends_with("_total") || name.ends_with("_seconds") || GAUGES.contains(name),
                "{name}"
            );
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}"
            );
        }
        let unique: std::collections::HashSet<&&str> = ALL.iter().collect();
        assert_eq!(unique.len(), ALL.len(), "a name is listed twice");
    }
}
