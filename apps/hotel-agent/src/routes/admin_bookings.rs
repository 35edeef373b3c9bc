//! Payment confirmations (admin API, bearer token always):
//!
//! - `GET /api/v1/admin/tenants/{tenant_id}/bookings[?status=awaiting_confirmation][&limit=N]`
//!   → `{"bookings": [...]}`, oldest first (`limit` 1–500, default 100);
//! - `POST …/bookings/{id}/confirm` (no body or `{}`) → `{"booking": {...}}`;
//! - `POST …/bookings/{id}/reject` (no body, `{}` or `{"reason": "..."}`) → `{"booking": {...}}`.
//!
//! An `admin` token acts on every tenant, a `staff` token on the tenants of its `tenants` claim
//! (404 for others). See [`crate::bookings::staff`] for what confirming and rejecting do.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use hotel_domain::TenantId;
use hotel_store::{BookingRequestRecord, BookingRequestStatus};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::auth::Claims;
use crate::bookings::staff;
use crate::error::ApiError;
use crate::routes::webhook::{declared_length, is_json, read_body};
use crate::state::AppState;
use crate::tenants::TenantRuntime;

/// The largest request body.
const MAX_BODY_BYTES: usize = 16 * 1024;
/// The longest rejection reason (it is sent to the guest).
const MAX_REASON_CHARS: usize = 500;
/// The most requests one list returns, and the default.
const MAX_LIMIT: usize = 500;
const DEFAULT_LIMIT: usize = 100;

/// A booking request as the API shows it.
#[derive(Debug, Serialize)]
pub struct BookingView<'a> {
    pub id: i64,
    pub reference: &'a str,
    pub status: &'static str,
    pub wa_id: &'a str,
    pub phone_number_id: &'a str,
    pub room_type: &'a str,
    pub room_name: &'a str,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub nights: i64,
    pub adults: u32,
    pub children: u32,
    pub guest_name: &'a str,
    pub email: &'a str,
    /// Hundredths of `currency`.
    pub total_minor: i64,
    pub deposit_minor: Option<i64>,
    pub currency: &'a str,
    pub language: Option<&'static str>,
    pub pms_booking_id: Option<&'a str>,
    pub decided_by: Option<&'a str>,
    pub decided_at: Option<DateTime<Utc>>,
    /// A rejection's reason, a failed confirmation's explanation.
    pub note: Option<&'a str>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl<'a> From<&'a BookingRequestRecord> for BookingView<'a> {
    fn from(record: &'a BookingRequestRecord) -> Self {
        BookingView {
            id: record.id,
            reference: &record.reference,
            status: record.status.as_str(),
            wa_id: record.wa_id.as_str(),
            phone_number_id: &record.phone_number_id,
            room_type: &record.room_type,
            room_name: &record.room_name,
            check_in: record.check_in,
            check_out: record.check_out,
            nights: (record.check_out - record.check_in).num_days(),
            adults: record.adults,
            children: record.children,
            guest_name: &record.guest_name,
            email: &record.guest_email,
            total_minor: record.total_minor,
            deposit_minor: record.deposit_minor,
            currency: &record.currency,
            language: record.language.map(|language| language.code()),
            pms_booking_id: record.pms_booking_id.as_deref(),
            decided_by: record.decided_by.as_deref(),
            decided_at: record.decided_at,
            note: record.decision_note.as_deref(),
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::Validation {
        code: "invalid_request",
        message: message.into(),
    }
}

/// The token's claims and the tenant it may act on: 401 without a valid token, 404 for a
/// tenant it may not see or that does not exist, 403 for an unknown role.
async fn authorize(
    req: &HttpRequest,
    state: &AppState,
    tenant_id: &str,
) -> Result<(Claims, std::sync::Arc<TenantRuntime>), ApiError> {
    let claims = crate::auth::bearer(
        req,
        state.settings.auth.jwt_secret.expose_secret().as_bytes(),
        state.clock.now(),
    )?;
    claims.check_tenant(tenant_id)?;
    let tenant = state
        .tenants
        .by_id(&TenantId::new(tenant_id))
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)?;
    Ok((claims, tenant))
}

/// A path id: a request id is a positive integer; anything else names no request.
fn request_id(id: &str) -> Result<i64, ApiError> {
    id.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(ApiError::NotFound)
}

/// The JSON object in the body (empty when there is no body): 415 for a body that is not
/// `application/json`, 400 for invalid JSON, 422 for JSON that is not an object.
async fn object_body(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<Map<String, Value>, ApiError> {
    let body = read_body(declared_length(req), payload, MAX_BODY_BYTES).await?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    if !is_json(req) {
        return Err(ApiError::UnsupportedMediaType);
    }
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(invalid("the body must be a JSON object")),
        Err(error) => Err(ApiError::InvalidJson(format!(
            "expected a JSON object ({error})"
        ))),
    }
}

/// Refuses fields other than `allowed`.
fn only_fields(fields: &Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    match fields.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => Err(invalid(format!("unknown field `{key}`"))),
        None => Ok(()),
    }
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    status: Option<String>,
    limit: Option<String>,
}

/// `GET /api/v1/admin/tenants/{tenant_id}/bookings`.
pub async fn list(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let tenant_id = path.into_inner();
    let (_, tenant) = authorize(&req, &state, &tenant_id).await?;
    let query = web::Query::<ListQuery>::from_query(req.query_string())
        .map_err(|error| invalid(format!("invalid query: {error}")))?
        .into_inner();
    let status = query
        .status
        .as_deref()
        .map(|status| {
            status.parse::<BookingRequestStatus>().map_err(|_| {
                let known: Vec<&str> = BookingRequestStatus::ALL.map(|s| s.as_str()).to_vec();
                invalid(format!("`status` must be one of {}", known.join(", ")))
            })
        })
        .transpose()?;
    let limit = match query.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(limit) => limit
            .parse::<usize>()
            .ok()
            .filter(|limit| (1..=MAX_LIMIT).contains(limit))
            .ok_or_else(|| invalid(format!("`limit` must be 1 to {MAX_LIMIT}")))?,
    };
    let records = state
        .store
        .booking_requests(&tenant.context.tenant_id, status, limit)
        .await
        .map_err(ApiError::internal)?;
    let bookings: Vec<BookingView<'_>> = records.iter().map(BookingView::from).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "bookings": bookings })))
}

fn one(record: &BookingRequestRecord) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "booking": BookingView::from(record) }))
}

/// `POST /api/v1/admin/tenants/{tenant_id}/bookings/{id}/confirm`.
pub async fn confirm(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (tenant_id, id) = path.into_inner();
    let (claims, tenant) = authorize(&req, &state, &tenant_id).await?;
    let fields = object_body(&req, payload).await?;
    only_fields(&fields, &[])?;
    let id = request_id(&id)?;
    let record = staff::confirm(&state, &tenant, id, &claims.sub).await?;
    Ok(one(&record))
}

/// `POST /api/v1/admin/tenants/{tenant_id}/bookings/{id}/reject`.
pub async fn reject(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (tenant_id, id) = path.into_inner();
    let (claims, tenant) = authorize(&req, &state, &tenant_id).await?;
    let fields = object_body(&req, payload).await?;
    only_fields(&fields, &["reason"])?;
    let reason = match fields.get("reason") {
        None | Some(Value::Null) => None,
        Some(Value::String(reason)) => Some(reason.trim()),
        Some(_) => return Err(invalid("`reason` must be a string")),
    }
    .filter(|reason| !reason.is_empty());
    if reason.is_some_and(|reason| reason.chars().count() > MAX_REASON_CHARS) {
        return Err(invalid(format!(
            "`reason` is longer than {MAX_REASON_CHARS} characters"
        )));
    }
    let id = request_id(&id)?;
    let record = staff::reject(&state, &tenant, id, &claims.sub, reason).await?;
    Ok(one(&record))
}
