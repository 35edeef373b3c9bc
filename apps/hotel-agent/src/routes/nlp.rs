//! `POST /api/v1/nlp/parse`: the built-in NLU over HTTP, for other hotel services and for testing
//! phrasings. Open in development; a bearer token in production.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use hotel_domain::Language;
use hotel_nlp::NluContext;
use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::error::ApiError;
use crate::routes::webhook::{declared_length, is_json, read_body};
use crate::state::AppState;

/// The largest request body.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// The longest text parsed: WhatsApp's own limit for a message.
const MAX_TEXT_CHARS: usize = 4096;

#[derive(Debug, Deserialize)]
struct ParseRequest {
    text: Option<String>,
    lang: Option<String>,
    reference_date: Option<String>,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::Validation {
        code: "invalid_request",
        message: message.into(),
    }
}

/// `POST /api/v1/nlp/parse` with `{"text", "lang"?, "reference_date"?}` → the NLU result.
pub async fn parse(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if state.settings.is_production() {
        crate::auth::bearer(
            &req,
            state.settings.auth.jwt_secret.expose_secret().as_bytes(),
            state.clock.now(),
        )?;
    }
    if !is_json(&req) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let body = read_body(declared_length(&req), payload, MAX_BODY_BYTES).await?;
    let request: ParseRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::InvalidJson(format!(
            "expected {{\"text\": ..., \"lang\"?: ..., \"reference_date\"?: \"YYYY-MM-DD\"}} ({e})"
        ))
    })?;
    let text = request
        .text
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| invalid("`text` is required and must not be empty"))?;
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(invalid(format!(
            "`text` is longer than {MAX_TEXT_CHARS} characters"
        )));
    }
    let forced_language = request
        .lang
        .as_deref()
        .map(|lang| {
            lang.parse::<Language>()
                .map_err(|_| invalid(format!("`lang` must be es, en or pt, not `{lang}`")))
        })
        .transpose()?;
    let reference_date = match request.reference_date.as_deref() {
        Some(date) => NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| invalid(format!("`reference_date` must be YYYY-MM-DD, not `{date}`")))?,
        None => {
            let zone: chrono_tz::Tz = state
                .settings
                .hotel
                .timezone
                .parse()
                .unwrap_or(chrono_tz::UTC);
            state.clock.now().with_timezone(&zone).date_naive()
        }
    };
    let context = NluContext {
        reference_date,
        conversation_language: None,
        forced_language,
        last_question: None,
    };
    let result = state
        .nlu
        .parse(&text, &context)
        .await
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok().json(result))
}
