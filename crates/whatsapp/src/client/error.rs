//! Send failures and their retry classification by Meta's `error.code` (reference §8).

use std::time::Duration;

use super::graph_error::{ErrorClass, GraphError};

/// Why a send failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The Graph API answered with an error body.
    #[error("Graph API error (HTTP {http_status}) {error}")]
    Api { http_status: u16, error: GraphError },
    /// A non-2xx answer without a readable Graph error body.
    #[error("Graph API answered HTTP {http_status}")]
    Http { http_status: u16 },
    /// No answer within the client's timeout.
    #[error("Graph API request timed out")]
    Timeout,
    /// Connection, TLS or protocol failure.
    #[error("Graph API transport error: {0}")]
    Transport(String),
    /// A 2xx answer without `messages[0].id`. The message may have been sent: not retried.
    #[error("unexpected Graph API response: {0}")]
    InvalidResponse(String),
    /// Refused before sending (a body that breaks Meta's limits or needs several messages, a bad
    /// phone number id, over-long callback data).
    #[error("message not sent: {0}")]
    InvalidRequest(String),
}

/// Result of a send.
pub type SendResult<T> = Result<T, SendError>;

impl SendError {
    /// Whether sending the same message again later may succeed.
    ///
    /// Decided by Meta's `error.code` when there is one ([`is_retryable_code`]), since throttling
    /// is often answered with HTTP 400; otherwise 429 and 5xx, timeouts and transport errors are
    /// retryable, and everything else is not.
    pub fn is_retryable(&self) -> bool {
        match self {
            SendError::Api { http_status, error } => {
                is_retryable_code(error.code).unwrap_or_else(|| retryable_status(*http_status))
            }
            SendError::Http { http_status } => retryable_status(*http_status),
            SendError::Timeout | SendError::Transport(_) => true,
            SendError::InvalidResponse(_) | SendError::InvalidRequest(_) => false,
        }
    }

    /// Meta's `error.code`, when the API gave one.
    pub fn code(&self) -> Option<i64> {
        self.graph_error().map(|error| error.code)
    }

    /// Meta's error object, when the API gave one.
    pub fn graph_error(&self) -> Option<&GraphError> {
        match self {
            SendError::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The class of Meta's `error.code`, when the API gave one.
    pub fn class(&self) -> Option<ErrorClass> {
        self.graph_error().map(GraphError::class)
    }

    /// The least a retry should wait after `attempt` failures, when Meta documents one
    /// ([`ErrorClass::min_retry_delay`]: 4^n s for the pair rate limit 131056).
    pub fn min_retry_delay(&self, attempt: u32) -> Option<Duration> {
        self.class()?.min_retry_delay(attempt)
    }

    /// The HTTP status, when the API answered.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            SendError::Api { http_status, .. } | SendError::Http { http_status } => {
                Some(*http_status)
            }
            _ => None,
        }
    }
}

fn retryable_status(http_status: u16) -> bool {
    http_status == 429 || (500..600).contains(&http_status)
}

/// Meta's error codes as a retry table: `Some(true)` retry (with backoff), `Some(false)` never
/// retry the same message, `None` not in the table (decide on the HTTP status).
///
/// 131048 (spam rate limit) and 131056 (pair rate limit) are retryable but want long delays;
/// 131047 (24-hour window closed) needs a template instead.
pub fn is_retryable_code(code: i64) -> Option<bool> {
    match ErrorClass::from_code(code) {
        ErrorClass::Unknown => None,
        class => Some(class.is_retryable()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(http_status: u16, code: i64) -> SendError {
        SendError::Api {
            http_status,
            error: GraphError {
                code,
                subcode: None,
                kind: None,
                message: String::new(),
                details: None,
                fbtrace_id: None,
            },
        }
    }

    #[test]
    fn the_code_decides_over_the_status() {
        assert!(api(400, 131_056).is_retryable());
        assert!(api(400, 130_429).is_retryable());
        assert!(!api(400, 131_047).is_retryable());
        assert!(!api(500, 100).is_retryable());
        assert!(!api(401, 190).is_retryable());
        assert!(!api(403, 250).is_retryable());
        assert!(!api(400, 132_012).is_retryable());
    }

    #[test]
    fn unknown_codes_fall_back_to_the_status() {
        assert!(api(503, 999_999).is_retryable());
        assert!(api(429, 999_999).is_retryable());
        assert!(!api(400, 999_999).is_retryable());
        assert!(SendError::Http { http_status: 502 }.is_retryable());
        assert!(!SendError::Http { http_status: 404 }.is_retryable());
    }

    #[test]
    fn transport_kinds() {
        assert!(SendError::Timeout.is_retryable());
        assert!(SendError::Transport("reset".into()).is_retryable());
        assert!(!SendError::InvalidResponse("no id".into()).is_retryable());
        assert!(!SendError::InvalidRequest("empty".into()).is_retryable());
        assert_eq!(SendError::Timeout.code(), None);
        assert_eq!(api(400, 4).code(), Some(4));
        assert_eq!(api(400, 4).http_status(), Some(400));
        assert_eq!(SendError::Timeout.class(), None);
        assert_eq!(SendError::Timeout.min_retry_delay(1), None);
        assert_eq!(api(400, 131_047).class(), Some(ErrorClass::WindowClosed));
        assert_eq!(
            api(400, 131_056).min_retry_delay(2),
            Some(Duration::from_secs(16))
        );
        assert_eq!(api(400, 100).min_retry_delay(2), None);
    }

    #[test]
    fn table() {
        for code in [
            130_429, 131_056, 131_000, 1, 2, 131_016, 4, 80_007, 131_057, 131_052, 131_053, 131_048,
        ] {
            assert_eq!(is_retryable_code(code), Some(true), "{code}");
        }
        for code in [
            131_047, 131_026, 131_030, 100, 190, 10, 200, 299, 368, 131_031, 131_049, 132_000,
            132_016, 133_010,
        ] {
            assert_eq!(is_retryable_code(code), Some(false), "{code}");
        }
        for code in [0, 3, 300, 131_051, 132_017, 42] {
            assert_eq!(is_retryable_code(code), None, "{code}");
        }
    }
}
