//! Media transfer failures and their retry classification.

use hotel_domain::MediaKind;

use crate::client::{ErrorClass, GraphError};

/// Which HTTP exchange of a media operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaStep {
    /// `GET /{media_id}`: the download URL and what Meta knows of the file.
    Metadata,
    /// `GET <url>`: the file itself, from Meta's CDN.
    Download,
    /// `POST /{phone_number_id}/media`.
    Upload,
    /// `DELETE /{media_id}`.
    Delete,
}

impl MediaStep {
    /// A stable snake_case name for logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaStep::Metadata => "metadata",
            MediaStep::Download => "download",
            MediaStep::Upload => "upload",
            MediaStep::Delete => "delete",
        }
    }
}

impl std::fmt::Display for MediaStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a media download, upload or delete failed. Never carries the access token, the CDN URL or
/// any of the file's bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// The Graph API (or the CDN) answered with a Graph error body.
    #[error("media {step}: Graph API error (HTTP {http_status}) {error}")]
    Api {
        step: MediaStep,
        http_status: u16,
        error: GraphError,
    },
    /// A non-2xx answer without a readable Graph error body.
    #[error("media {step}: HTTP {http_status}")]
    Http { step: MediaStep, http_status: u16 },
    /// Larger than [`MediaLimits`](super::MediaLimits) allows for the kind: from Meta's
    /// `file_size`, the `Content-Length`, the streamed body (`size` is then what was read before
    /// giving up) or the bytes to upload.
    #[error("{} media of {size}+ bytes exceeds its {limit}-byte limit", kind.as_str())]
    TooLarge {
        kind: MediaKind,
        size: u64,
        limit: u64,
    },
    /// The `Content-Type` is not one WhatsApp carries as this kind; an HTML page means the CDN
    /// refused the request (missing bearer token, expired URL).
    #[error("{} media: content type `{content_type}` refused", kind.as_str())]
    ContentType {
        kind: MediaKind,
        content_type: String,
    },
    /// The body's SHA-256 differs from the one Meta gave (hex digests).
    #[error("media sha256 mismatch: expected {expected}, got {actual}")]
    ChecksumMismatch { expected: String, actual: String },
    /// No complete answer within [`MediaLimits::timeout`](super::MediaLimits::timeout).
    #[error("media {step} timed out")]
    Timeout { step: MediaStep },
    /// Connection, TLS or protocol failure, or a body cut short.
    #[error("media {step}: transport error: {message}")]
    Transport { step: MediaStep, message: String },
    /// A 2xx answer of an unexpected shape.
    #[error("media {step}: unexpected response: {message}")]
    InvalidResponse { step: MediaStep, message: String },
    /// Refused before any request (bad media id, unusable URL, empty file, …).
    #[error("media request refused: {0}")]
    InvalidRequest(String),
}

/// Result of a media operation.
pub type MediaResult<T> = Result<T, MediaError>;

impl MediaError {
    /// Whether the same operation may succeed later.
    ///
    /// Meta's `error.code` decides when there is one (131052/131053 media errors, throttling and
    /// unavailability retry); otherwise 429 and 5xx, timeouts, transport errors and checksum
    /// mismatches (a corrupted transfer) are retryable; size, type and request errors never are.
    pub fn is_retryable(&self) -> bool {
        match self {
            MediaError::Api {
                http_status, error, ..
            } => match error.class() {
                ErrorClass::Unknown => retryable_status(*http_status),
                class => class.is_retryable(),
            },
            MediaError::Http { http_status, .. } => retryable_status(*http_status),
            MediaError::Timeout { .. }
            | MediaError::Transport { .. }
            | MediaError::ChecksumMismatch { .. } => true,
            MediaError::TooLarge { .. }
            | MediaError::ContentType { .. }
            | MediaError::InvalidResponse { .. }
            | MediaError::InvalidRequest(_) => false,
        }
    }

    /// Meta's `error.code`, when the API gave one.
    pub fn code(&self) -> Option<i64> {
        match self {
            MediaError::Api { error, .. } => Some(error.code),
            _ => None,
        }
    }

    /// The HTTP status of an error answer.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            MediaError::Api { http_status, .. } | MediaError::Http { http_status, .. } => {
                Some(*http_status)
            }
            _ => None,
        }
    }

    /// A download URL that no longer works (expired, or refused without a fresh one): asking
    /// `GET /{media_id}` for a new URL may help.
    pub(super) fn is_stale_url(&self) -> bool {
        match self {
            MediaError::Api {
                step: MediaStep::Download,
                http_status,
                ..
            }
            | MediaError::Http {
                step: MediaStep::Download,
                http_status,
            } => matches!(http_status, 401 | 403 | 404 | 410),
            MediaError::ContentType { content_type, .. } => {
                super::is_html(&super::mime_essence(content_type))
            }
            _ => false,
        }
    }

    /// The error for a non-2xx answer with `body`.
    pub(super) fn from_answer(step: MediaStep, http_status: u16, body: &[u8]) -> MediaError {
        match GraphError::from_body(body) {
            Some(error) => MediaError::Api {
                step,
                http_status,
                error,
            },
            None => MediaError::Http { step, http_status },
        }
    }

    /// A reqwest failure, without the URL (it may be a signed CDN address).
    pub(super) fn transport(step: MediaStep, error: reqwest::Error) -> MediaError {
        if error.is_timeout() {
            return MediaError::Timeout { step };
        }
        let error = error.without_url();
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        MediaError::Transport { step, message }
    }
}

fn retryable_status(http_status: u16) -> bool {
    http_status == 429 || (500..600).contains(&http_status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(step: MediaStep, http_status: u16, code: i64) -> MediaError {
        MediaError::from_answer(
            step,
            http_status,
            format!(r#"{{"error":{{"code":{code},"message":"m","fbtrace_id":"T"}}}}"#).as_bytes(),
        )
    }

    #[test]
    fn classification() {
        assert!(api(MediaStep::Metadata, 400, 131_052).is_retryable());
        assert!(api(MediaStep::Upload, 400, 131_053).is_retryable());
        assert!(!api(MediaStep::Metadata, 400, 100).is_retryable());
        assert!(!api(MediaStep::Metadata, 500, 190).is_retryable());
        assert!(api(MediaStep::Metadata, 503, 999_999).is_retryable());
        assert!(!api(MediaStep::Metadata, 400, 999_999).is_retryable());
        let http = MediaError::from_answer(MediaStep::Download, 502, b"<html>bad gateway</html>");
        assert_eq!(
            http,
            MediaError::Http {
                step: MediaStep::Download,
                http_status: 502
            }
        );
        assert!(http.is_retryable());
        assert!(
            !MediaError::Http {
                step: MediaStep::Download,
                http_status: 404
            }
            .is_retryable()
        );
        assert!(
            MediaError::Timeout {
                step: MediaStep::Download
            }
            .is_retryable()
        );
        assert!(
            MediaError::ChecksumMismatch {
                expected: "a".into(),
                actual: "b".into()
            }
            .is_retryable()
        );
        assert!(!MediaError::InvalidRequest("x".into()).is_retryable());
        assert_eq!(api(MediaStep::Delete, 400, 100).code(), Some(100));
        assert_eq!(api(MediaStep::Delete, 400, 100).http_status(), Some(400));
        assert_eq!(http.code(), None);
        assert_eq!(
            MediaError::Timeout {
                step: MediaStep::Upload
            }
            .http_status(),
            None
        );
    }

    #[test]
    fn stale_urls() {
        for status in [401, 403, 404, 410] {
            assert!(
                api(MediaStep::Download, status, 190).is_stale_url(),
                "{status}"
            );
            assert!(
                MediaError::Http {
                    step: MediaStep::Download,
                    http_status: status
                }
                .is_stale_url()
            );
        }
        assert!(!api(MediaStep::Metadata, 404, 100).is_stale_url());
        assert!(!api(MediaStep::Download, 500, 1).is_stale_url());
        let html = MediaError::ContentType {
            kind: MediaKind::Image,
            content_type: "text/html; charset=utf-8".into(),
        };
        assert!(html.is_stale_url());
        let pdf = MediaError::ContentType {
            kind: MediaKind::Image,
            content_type: "application/pdf".into(),
        };
        assert!(!pdf.is_stale_url());
    }

    #[test]
    fn messages_name_the_step() {
        assert_eq!(
            MediaError::Http {
                step: MediaStep::Metadata,
                http_status: 404
            }
            .to_string(),
            "media metadata: HTTP 404"
        );
        assert_eq!(MediaStep::Delete.to_string(), "delete");
        assert_eq!(MediaStep::Upload.as_str(), "upload");
    }
}
