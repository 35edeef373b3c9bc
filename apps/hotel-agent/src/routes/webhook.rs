//! `GET/POST /webhooks/whatsapp`: Meta's subscription check and event deliveries.
//!
//! A POST is authenticated (HMAC-SHA256 of the raw bytes), bounded (3 MiB), parsed, split into
//! inbound messages and status updates, and stored — inbound messages in the durable inbox, where
//! Meta's retries are dropped by the unique key — before the 200 is sent. All other work happens in
//! the workers.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use futures::StreamExt;
use hotel_domain::TenantId;
use hotel_observability::names;
use hotel_whatsapp::{parse_webhook, verify_signature, verify_subscription};
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::json;

use crate::error::ApiError;
use crate::state::AppState;
use crate::tenants::TenantRuntime;

/// Meta's largest payload: 3 MiB.
pub const MAX_BODY_BYTES: usize = 3 * 1024 * 1024;
const SIGNATURE_HEADER: &str = "x-hub-signature-256";

#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// `GET /webhooks/whatsapp`: echoes `hub.challenge` when the mode and token match, else 403.
pub async fn verify(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let forbidden = || {
        HttpResponse::Forbidden()
            .content_type("text/plain")
            .body("forbidden")
    };
    let Ok(query) = web::Query::<VerifyQuery>::from_query(req.query_string()) else {
        return forbidden();
    };
    let challenge = verify_subscription(
        state.settings.whatsapp.verify_token.expose_secret(),
        query.mode.as_deref(),
        query.verify_token.as_deref(),
        query.challenge.as_deref(),
    );
    match challenge {
        Some(challenge) => HttpResponse::Ok()
            .content_type("text/plain")
            .body(challenge.to_owned()),
        None => forbidden(),
    }
}

fn count(result: &'static str) {
    metrics::counter!(names::WEBHOOKS_TOTAL, "result" => result).increment(1);
}

pub(crate) fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// The `Content-Length` the client declared, if any.
pub(crate) fn declared_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok())
}

/// Reads the body, refusing more than `limit` bytes however it arrives (chunked bodies too).
pub(crate) async fn read_body(
    declared: Option<usize>,
    mut payload: web::Payload,
    limit: usize,
) -> Result<web::BytesMut, ApiError> {
    if declared.is_some_and(|len| len > limit) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(4096).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::InvalidJson(format!("could not read the body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `POST /webhooks/whatsapp`.
pub async fn receive(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let outcome = receive_inner(&req, payload, &state).await;
    count(match &outcome {
        Ok(()) => "ok",
        Err(ApiError::MissingSignature | ApiError::InvalidSignature) => "unauthorized",
        Err(ApiError::UnsupportedMediaType) => "unsupported_media_type",
        Err(ApiError::PayloadTooLarge { .. }) => "payload_too_large",
        Err(ApiError::InvalidJson(_)) => "bad_request",
        Err(_) => "error",
    });
    outcome.map(|()| HttpResponse::Ok().json(json!({"status": "ok"})))
}

async fn receive_inner(
    req: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
) -> Result<(), ApiError> {
    let declared = declared_length(req);
    if declared.is_some_and(|len| len > MAX_BODY_BYTES) {
        return Err(ApiError::PayloadTooLarge {
            limit: MAX_BODY_BYTES,
        });
    }
    if !is_json(req) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let signature = req
        .headers()
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if signature.is_none() {
        return Err(ApiError::MissingSignature);
    }
    let body = read_body(declared, payload, MAX_BODY_BYTES).await?;
    let signed_by_default = verify_signature(
        state.settings.app_secret_bytes(),
        &body,
        signature.as_deref(),
    )
    .is_ok();
    let parsed = match parse_webhook(&body) {
        Ok(parsed) => parsed,
        // Unsigned garbage learns nothing about our parser.
        Err(_) if !signed_by_default => return Err(ApiError::InvalidSignature),
        Err(e) => return Err(ApiError::InvalidJson(e.to_string())),
    };

    // Which of our tenants own the numbers this payload is addressed to.
    let first_pass = parsed.normalise(&|_| None);
    let mut owners: HashMap<String, Arc<TenantRuntime>> = HashMap::new();
    for number in first_pass
        .unknown_numbers
        .iter()
        .chain(first_pass.statuses.iter().map(|s| &s.phone_number_id))
    {
        if owners.contains_key(number) {
            continue;
        }
        if let Some(tenant) = state
            .tenants
            .by_phone_number_id(number)
            .await
            .map_err(ApiError::internal)?
        {
            owners.insert(number.clone(), tenant);
        }
    }
    if !signed_by_default {
        let signed_by_owner = owners.values().any(|tenant| {
            verify_signature(
                tenant.app_secret.expose_secret().as_bytes(),
                &body,
                signature.as_deref(),
            )
            .is_ok()
        });
        if !signed_by_owner {
            return Err(ApiError::InvalidSignature);
        }
    }

    let resolve = |number: &str| -> Option<TenantId> {
        owners.get(number).map(|t| t.context.tenant_id.clone())
    };
    let mut normalised = parsed.normalise(&resolve);
    let now = state.clock.now();
    // A message whose timestamp Meta sent unreadable counts from its arrival: the send time
    // opens the customer-service window, and the Unix epoch would close it at once.
    for message in &mut normalised.messages {
        if message.sent_at == chrono::DateTime::UNIX_EPOCH {
            message.sent_at = now;
        }
    }
    for number in &normalised.unknown_numbers {
        tracing::warn!(phone_number_id = %number, "webhook for a number no tenant owns: acknowledged, not answered");
        metrics::counter!(names::INBOUND_MESSAGES_TOTAL, "kind" => "any", "result" => "unknown_number").increment(1);
    }
    for error in &normalised.errors {
        tracing::warn!(code = error.code, title = %error.title, "provider error in webhook");
    }

    if !normalised.messages.is_empty() {
        let stored = state
            .inbox_writer
            .insert(normalised.messages.clone())
            .await
            .map_err(ApiError::internal)?;
        let mut any_new = false;
        for (message, is_new) in normalised.messages.iter().zip(stored) {
            any_new |= is_new;
            let result = if is_new { "stored" } else { "duplicate" };
            metrics::counter!(names::INBOUND_MESSAGES_TOTAL, "kind" => message.kind.as_str(), "result" => result)
                .increment(1);
        }
        if any_new {
            state.inbox_ready.notify_one();
        }
    }
    for status in &normalised.statuses {
        if !owners.contains_key(&status.phone_number_id) {
            continue;
        }
        let outcome = state
            .store
            .apply_delivery_status(status, now)
            .await
            .map_err(ApiError::internal)?;
        let result = match (outcome.duplicate, outcome.outbound_id) {
            (true, _) => "duplicate",
            (false, Some(_)) => "matched",
            (false, None) => "unmatched",
        };
        metrics::counter!(names::DELIVERY_STATUSES_TOTAL, "status" => status.state.as_str(), "result" => result)
            .increment(1);
        if result == "matched" {
            metrics::counter!(names::OUTBOUND_MESSAGES_TOTAL, "status" => status.state.as_str())
                .increment(1);
        }
    }
    Ok(())
}
