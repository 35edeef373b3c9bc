//! The JSON API's error type: a stable snake_case `code` and a human message; causes are logged,
//! never returned.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("missing signature")]
    MissingSignature,
    #[error("invalid signature")]
    InvalidSignature,
    #[error("a valid bearer token is required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("unsupported media type: expected application/json")]
    UnsupportedMediaType,
    #[error("payload too large: the limit is {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    #[error("{message}")]
    Validation { code: &'static str, message: String },
    #[error("service unavailable")]
    Unavailable,
    /// The resource is in a state that forbids the action (e.g. confirming a rejected booking).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// A service this request depends on (the PMS) did not answer; retrying later may work.
    #[error("{message}")]
    Upstream { code: &'static str, message: String },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: String,
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MissingSignature => "missing_signature",
            ApiError::InvalidSignature => "invalid_signature",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::InvalidJson(_) => "invalid_json",
            ApiError::Validation { code, .. } => code,
            ApiError::Unavailable => "service_unavailable",
            ApiError::Conflict { code, .. } | ApiError::Upstream { code, .. } => code,
            ApiError::Internal(_) => "internal_error",
        }
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(error.into())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::MissingSignature | ApiError::InvalidSignature | ApiError::Unauthorized => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::InvalidJson(_) => StatusCode::BAD_REQUEST,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable | ApiError::Upstream { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        HttpResponse::build(self.status_code()).json(ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
            },
        })
    }
}

/// The JSON error for routes that do not exist.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    #[actix_web::test]
    async fn errors_have_the_stable_shape_and_hide_causes() {
        let error = ApiError::internal(anyhow::anyhow!("db password=hunter2 failed"));
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = to_bytes(response.into_body()).await.unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"]["code"], "internal_error");
        assert!(!String::from_utf8_lossy(&body).contains("hunter2"));
    }

    #[test]
    fn statuses_match_codes() {
        assert_eq!(
            ApiError::MissingSignature.status_code(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            ApiError::PayloadTooLarge { limit: 1 }.status_code(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            ApiError::UnsupportedMediaType.code(),
            "unsupported_media_type"
        );
        assert_eq!(
            ApiError::InvalidJson("x".into()).status_code(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            ApiError::Unavailable.status_code(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        let conflict = ApiError::Conflict {
            code: "booking_rejected",
            message: "rejected".into(),
        };
        assert_eq!(
            (conflict.status_code(), conflict.code()),
            (StatusCode::CONFLICT, "booking_rejected")
        );
        let upstream = ApiError::Upstream {
            code: "pms_unavailable",
            message: "down".into(),
        };
        assert_eq!(
            (upstream.status_code(), upstream.code()),
            (StatusCode::SERVICE_UNAVAILABLE, "pms_unavailable")
        );
    }
}
