//! Meta's error object (reference §8) and its classification by `error.code`.

use std::time::Duration;

use serde::Deserialize;

/// The `error` object of a Graph API error answer:
/// `{"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}`.
///
/// The same object arrives asynchronously in `statuses[].errors[]`; decide on [`code`](Self::code)
/// (through [`class`](Self::class)), never on the HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    /// Meta's `error.code`, e.g. `131056`.
    pub code: i64,
    /// `error.error_subcode` (deprecated since v16, still sent for some errors).
    pub subcode: Option<i64>,
    /// `error.type`, e.g. `OAuthException`.
    pub kind: Option<String>,
    /// `error.message`, e.g. `(#131056) (Business Account, Consumer Account) pair rate limit hit`.
    pub message: String,
    /// `error.error_data.details`, the most useful text for operators.
    pub details: Option<String>,
    /// `error.fbtrace_id`, to quote to Meta support.
    pub fbtrace_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    error: RawError,
}

#[derive(Deserialize)]
struct RawError {
    code: i64,
    #[serde(default)]
    error_subcode: Option<i64>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    error_data: Option<ErrorData>,
    #[serde(default)]
    fbtrace_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorData {
    #[serde(default)]
    details: Option<String>,
}

impl GraphError {
    /// Parses a Graph API error answer body. `None` when the body is not JSON of the shape
    /// `{"error":{"code":<integer>, …}}` (an HTML page from a proxy, an empty body, …).
    pub fn from_body(body: &[u8]) -> Option<GraphError> {
        let ErrorAnswer { error } = serde_json::from_slice(body).ok()?;
        Some(GraphError {
            code: error.code,
            subcode: error.error_subcode,
            kind: error.kind.filter(|kind| !kind.is_empty()),
            message: error.message.unwrap_or_default(),
            details: error
                .error_data
                .and_then(|data| data.details)
                .filter(|details| !details.is_empty()),
            fbtrace_id: error.fbtrace_id.filter(|id| !id.is_empty()),
        })
    }

    /// What kind of failure the code means.
    pub fn class(&self) -> ErrorClass {
        ErrorClass::from_code(self.code)
    }
}

impl std::fmt::Display for GraphError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "code {}", self.code)?;
        if let Some(subcode) = self.subcode {
            write!(f, "/{subcode}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(details) = &self.details {
            write!(f, " ({details})")?;
        }
        Ok(())
    }
}

/// Which rate limit a throttling code means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateLimit {
    /// 130429: throughput of the business number (about 80 msg/s).
    Number,
    /// 131056: too many messages to this user (about 1 per 6 s); back off 4^n seconds.
    Pair,
    /// 4 and 80007: app call rate or WABA rate limit.
    App,
    /// 131048: spam rate limit from the number's quality; retry later, slowly.
    Spam,
}

/// Meta's error codes grouped by what the sender should do (reference §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Throttled: retry with backoff.
    RateLimited(RateLimit),
    /// 131047: more than 24 h since the guest's last message; send a template instead.
    WindowClosed,
    /// 131026: not on WhatsApp, old app, terms not accepted, or the business is blocked.
    Undeliverable,
    /// 131030: the recipient is not in the test number's allowed list (see
    /// [`alternate_recipient`](crate::alternate_recipient) for Argentina and Mexico).
    RecipientNotAllowed,
    /// 100: a bad field or a limit exceeded: a bug, dead-letter it with the details.
    InvalidParameter,
    /// 190: the access token expired or is invalid.
    Auth,
    /// 10 and 200–299: a permission is missing.
    Permission,
    /// 132000–132016: template missing in the language, wrong parameters, paused or disabled.
    Template,
    /// 368, 131031: blocked for policy violations, or the account is locked.
    Policy,
    /// 131049: held back to keep "healthy ecosystem engagement" (marketing limit).
    MarketingLimit,
    /// 133010: the number is not registered on the Cloud API.
    NotRegistered,
    /// 131052, 131053: media download or upload failed; retry a few times.
    Media,
    /// 131057: the account is in maintenance (throughput upgrade); retry after about a minute.
    Maintenance,
    /// 1, 2, 131000, 131016: generic error or service unavailable.
    Temporary,
    /// A code outside the table: decide on the HTTP status.
    Unknown,
}

impl ErrorClass {
    /// The class of Meta's `error.code`.
    pub fn from_code(code: i64) -> ErrorClass {
        match code {
            130_429 => ErrorClass::RateLimited(RateLimit::Number),
            131_056 => ErrorClass::RateLimited(RateLimit::Pair),
            4 | 80_007 => ErrorClass::RateLimited(RateLimit::App),
            131_048 => ErrorClass::RateLimited(RateLimit::Spam),
            131_047 => ErrorClass::WindowClosed,
            131_026 => ErrorClass::Undeliverable,
            131_030 => ErrorClass::RecipientNotAllowed,
            100 => ErrorClass::InvalidParameter,
            190 => ErrorClass::Auth,
            10 | 200..=299 => ErrorClass::Permission,
            132_000..=132_016 => ErrorClass::Template,
            368 | 131_031 => ErrorClass::Policy,
            131_049 => ErrorClass::MarketingLimit,
            133_010 => ErrorClass::NotRegistered,
            131_052 | 131_053 => ErrorClass::Media,
            131_057 => ErrorClass::Maintenance,
            1 | 2 | 131_000 | 131_016 => ErrorClass::Temporary,
            _ => ErrorClass::Unknown,
        }
    }

    /// Whether the same message may succeed later. [`Unknown`](Self::Unknown) answers `false`;
    /// [`SendError::is_retryable`](crate::SendError::is_retryable) then decides on the HTTP status.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorClass::RateLimited(_)
                | ErrorClass::Media
                | ErrorClass::Temporary
                | ErrorClass::Maintenance
        )
    }

    /// The least a retry should wait after `attempt` failures (1 after the first), when Meta
    /// documents one: the pair rate limit backs off 4^n seconds (capped at 4^5 s, about 17 min),
    /// maintenance (131057) about a minute. `None`: use the caller's own backoff.
    pub fn min_retry_delay(self, attempt: u32) -> Option<Duration> {
        match self {
            ErrorClass::RateLimited(RateLimit::Pair) => {
                Some(Duration::from_secs(4u64.pow(attempt.clamp(1, 5))))
            }
            ErrorClass::Maintenance => Some(Duration::from_secs(60)),
            _ => None,
        }
    }

    /// A stable snake_case name for metrics and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::RateLimited(RateLimit::Number) => "rate_limited_number",
            ErrorClass::RateLimited(RateLimit::Pair) => "rate_limited_pair",
            ErrorClass::RateLimited(RateLimit::App) => "rate_limited_app",
            ErrorClass::RateLimited(RateLimit::Spam) => "rate_limited_spam",
            ErrorClass::WindowClosed => "window_closed",
            ErrorClass::Undeliverable => "undeliverable",
            ErrorClass::RecipientNotAllowed => "recipient_not_allowed",
            ErrorClass::InvalidParameter => "invalid_parameter",
            ErrorClass::Auth => "auth",
            ErrorClass::Permission => "permission",
            ErrorClass::Template => "template",
            ErrorClass::Policy => "policy",
            ErrorClass::MarketingLimit => "marketing_limit",
            ErrorClass::NotRegistered => "not_registered",
            ErrorClass::Media => "media",
            ErrorClass::Maintenance => "maintenance",
            ErrorClass::Temporary => "temporary",
            ErrorClass::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_body() {
        let body = br#"{"error":{"message":"(#131056) (Business Account, Consumer Account) pair rate limit hit","type":"OAuthException",
            "code":131056,"error_data":{"messaging_product":"whatsapp","details":"Too many messages."},
            "fbtrace_id":"AbC","is_transient":true}}"#;
        let error = GraphError::from_body(body).unwrap();
        assert_eq!(
            error,
            GraphError {
                code: 131_056,
                subcode: None,
                kind: Some("OAuthException".into()),
                message: "(#131056) (Business Account, Consumer Account) pair rate limit hit"
                    .into(),
                details: Some("Too many messages.".into()),
                fbtrace_id: Some("AbC".into()),
            }
        );
        assert_eq!(error.class(), ErrorClass::RateLimited(RateLimit::Pair));
        assert_eq!(
            error.to_string(),
            "code 131056: (#131056) (Business Account, Consumer Account) pair rate limit hit (Too many messages.)"
        );
    }

    #[test]
    fn tolerates_sparse_bodies_and_refuses_others() {
        let error =
            GraphError::from_body(br#"{"error":{"code":190,"error_subcode":463,"type":""}}"#)
                .unwrap();
        assert_eq!(
            (error.code, error.subcode, error.kind.as_deref()),
            (190, Some(463), None)
        );
        assert_eq!(error.message, "");
        assert_eq!(error.to_string(), "code 190/463");
        for body in [
            &b""[..],
            b"<html>502</html>",
            b"{}",
            br#"{"error":"x"}"#,
            br#"{"error":{"message":"no code"}}"#,
            br#"{"error":{"code":"100"}}"#,
        ] {
            assert_eq!(GraphError::from_body(body), None);
        }
    }

    #[test]
    fn the_table_of_codes() {
        let cases = [
            (131_047, ErrorClass::WindowClosed, false),
            (130_429, ErrorClass::RateLimited(RateLimit::Number), true),
            (131_056, ErrorClass::RateLimited(RateLimit::Pair), true),
            (131_048, ErrorClass::RateLimited(RateLimit::Spam), true),
            (4, ErrorClass::RateLimited(RateLimit::App), true),
            (80_007, ErrorClass::RateLimited(RateLimit::App), true),
            (131_026, ErrorClass::Undeliverable, false),
            (131_049, ErrorClass::MarketingLimit, false),
            (131_030, ErrorClass::RecipientNotAllowed, false),
            (131_052, ErrorClass::Media, true),
            (131_053, ErrorClass::Media, true),
            (131_000, ErrorClass::Temporary, true),
            (1, ErrorClass::Temporary, true),
            (2, ErrorClass::Temporary, true),
            (131_016, ErrorClass::Temporary, true),
            (131_057, ErrorClass::Maintenance, true),
            (132_000, ErrorClass::Template, false),
            (132_001, ErrorClass::Template, false),
            (132_012, ErrorClass::Template, false),
            (132_016, ErrorClass::Template, false),
            (190, ErrorClass::Auth, false),
            (100, ErrorClass::InvalidParameter, false),
            (10, ErrorClass::Permission, false),
            (200, ErrorClass::Permission, false),
            (299, ErrorClass::Permission, false),
            (368, ErrorClass::Policy, false),
            (131_031, ErrorClass::Policy, false),
            (133_010, ErrorClass::NotRegistered, false),
            (131_051, ErrorClass::Unknown, false),
            (132_017, ErrorClass::Unknown, false),
        ];
        let mut names = std::collections::HashSet::new();
        for (code, class, retryable) in cases {
            assert_eq!(ErrorClass::from_code(code), class, "{code}");
            assert_eq!(class.is_retryable(), retryable, "{code}");
            names.insert(class.as_str());
        }
        assert_eq!(names.len(), 18, "every class has its own name");
    }

    #[test]
    fn documented_minimum_delays() {
        let pair = ErrorClass::from_code(131_056);
        assert_eq!(pair.min_retry_delay(1), Some(Duration::from_secs(4)));
        assert_eq!(pair.min_retry_delay(0), Some(Duration::from_secs(4)));
        assert_eq!(pair.min_retry_delay(3), Some(Duration::from_secs(64)));
        assert_eq!(pair.min_retry_delay(40), Some(Duration::from_secs(1024)));
        let maintenance = ErrorClass::from_code(131_057);
        assert_eq!(
            maintenance.min_retry_delay(1),
            Some(Duration::from_secs(60))
        );
        assert_eq!(ErrorClass::Temporary.min_retry_delay(1), None);
        assert_eq!(
            ErrorClass::RateLimited(RateLimit::Number).min_retry_delay(2),
            None
        );
    }
}
