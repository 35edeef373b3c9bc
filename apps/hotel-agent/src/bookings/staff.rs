//! Staff confirm or reject a paid booking (`booking_requests`).
//!
//! Confirming books it in the PMS through the orchestrator's `complete_booking` (the request's
//! reference is the PMS idempotency key, so a retried or concurrent confirmation never books
//! twice), records the decision and queues the guest's confirmation (the booking reference, a
//! summary and the QR pass) in one transaction, then updates the draft in the guest's session.
//! Rejecting queues a polite message in the guest's language, records the decision, releases
//! the room and removes the draft. The draft is the session's when it is still there, else
//! rebuilt from the request (sessions expire; the request does not).

use hotel_domain::{OutboundBody, OutboundMessage};
use hotel_orchestrator::booking::ChosenRoom;
use hotel_orchestrator::{BookingDraft, BookingStage, Completion};
use hotel_pms::{BookingId, Money, RoomTypeId};
use hotel_sessions::{Session, SessionError, SessionKey};
use hotel_store::{BookingDecision, BookingRequestRecord, BookingRequestStatus, DecisionOutcome};

use crate::error::ApiError;
use crate::state::{AppState, SESSION_TTL};
use crate::tenants::TenantRuntime;
use crate::workers::outbound_rows;

/// The statuses staff can still decide on.
const OPEN: [BookingRequestStatus; 2] = [
    BookingRequestStatus::AwaitingConfirmation,
    BookingRequestStatus::Failed,
];
/// Compare-and-set attempts when updating the guest's session.
const SESSION_ATTEMPTS: u32 = 4;

/// Confirms request `id` of `tenant` as `staff`. A confirmed request is returned as it is
/// (confirming twice is harmless).
///
/// # Errors
/// 404 for an unknown request, 409 for a rejected one (`booking_rejected`) and when the PMS
/// will not book it (`booking_failed`, the request is then `failed`), 503 `pms_unavailable`
/// when the PMS does not answer (the request stays as it was; confirm again later).
pub async fn confirm(
    state: &AppState,
    tenant: &TenantRuntime,
    id: i64,
    staff: &str,
) -> Result<BookingRequestRecord, ApiError> {
    let record = request(state, tenant, id).await?;
    match record.status {
        BookingRequestStatus::Confirmed => return Ok(record),
        BookingRequestStatus::Rejected => return Err(rejected_already()),
        BookingRequestStatus::AwaitingConfirmation | BookingRequestStatus::Failed => {}
    }
    let key = SessionKey::new(tenant.context.tenant_id.clone(), record.wa_id.clone());
    let mut draft = draft_for(state, &key, &record).await;
    let completion = state
        .booking
        .complete_booking(&tenant.context, &record.wa_id, &mut draft)
        .await
        .map_err(ApiError::internal)?;
    match completion {
        Completion::Booked {
            booking_id,
            messages,
        } => {
            let decision = BookingDecision {
                status: BookingRequestStatus::Confirmed,
                pms_booking_id: Some(booking_id.as_str().to_owned()),
                decided_by: staff.to_owned(),
                note: None,
            };
            let outcome = decide(state, &record, &decision, messages).await?;
            match outcome {
                DecisionOutcome::Decided(decided) => {
                    tracing::info!(tenant = %record.tenant_id, id, "booking request confirmed");
                    update_session(state, &key, |session| draft.update_in(session)).await;
                    Ok(decided)
                }
                DecisionOutcome::Unchanged(current)
                    if current.status == BookingRequestStatus::Confirmed =>
                {
                    Ok(current)
                }
                DecisionOutcome::Unchanged(_) => {
                    // Rejected while the PMS booked it: the booking must not stand.
                    cancel_orphan(state, tenant, &booking_id).await;
                    Err(rejected_already())
                }
                DecisionOutcome::NotFound => Err(ApiError::NotFound),
            }
        }
        Completion::Pending { .. } => Err(ApiError::Upstream {
            code: "pms_unavailable",
            message: "the PMS did not answer; the booking request still awaits confirmation: \
                      confirm it again in a few minutes"
                .into(),
        }),
        Completion::NeedsStaff { .. } => {
            let decision = BookingDecision {
                status: BookingRequestStatus::Failed,
                pms_booking_id: None,
                decided_by: staff.to_owned(),
                note: Some("the PMS would not book it (the room may no longer be free)".to_owned()),
            };
            match decide(state, &record, &decision, Vec::new()).await? {
                DecisionOutcome::Decided(_) => {
                    tracing::info!(tenant = %record.tenant_id, id, "booking request failed in the PMS");
                    update_session(state, &key, |session| draft.update_in(session)).await;
                    Err(ApiError::Conflict {
                        code: "booking_failed",
                        message: "the PMS would not book this request (the room may no longer \
                                  be free); it is marked failed: confirm it again later or \
                                  reject it"
                            .into(),
                    })
                }
                // Another staff member's decision came first.
                DecisionOutcome::Unchanged(current)
                    if current.status == BookingRequestStatus::Confirmed =>
                {
                    Ok(current)
                }
                DecisionOutcome::Unchanged(_) => Err(rejected_already()),
                DecisionOutcome::NotFound => Err(ApiError::NotFound),
            }
        }
    }
}

/// Rejects request `id` of `tenant` as `staff`, telling the guest (with `reason` when given). A
/// rejected request is returned as it is.
///
/// # Errors
/// 404 for an unknown request, 409 `booking_confirmed` for a confirmed one.
pub async fn reject(
    state: &AppState,
    tenant: &TenantRuntime,
    id: i64,
    staff: &str,
    reason: Option<&str>,
) -> Result<BookingRequestRecord, ApiError> {
    let record = request(state, tenant, id).await?;
    match record.status {
        BookingRequestStatus::Rejected => return Ok(record),
        BookingRequestStatus::Confirmed => return Err(confirmed_already()),
        BookingRequestStatus::AwaitingConfirmation | BookingRequestStatus::Failed => {}
    }
    let key = SessionKey::new(tenant.context.tenant_id.clone(), record.wa_id.clone());
    let mut draft = draft_for(state, &key, &record).await;
    let messages = state
        .booking
        .rejection(&tenant.context, &draft, reason)
        .map_err(ApiError::internal)?;
    let decision = BookingDecision {
        status: BookingRequestStatus::Rejected,
        pms_booking_id: None,
        decided_by: staff.to_owned(),
        note: reason.map(str::to_owned),
    };
    match decide(state, &record, &decision, messages).await? {
        DecisionOutcome::Decided(decided) => {
            tracing::info!(tenant = %record.tenant_id, id, "booking request rejected");
            state
                .booking
                .release_hold(&tenant.context, &mut draft)
                .await;
            let reference = record.reference.clone();
            update_session(state, &key, |session| {
                BookingDraft::remove_from(session, &reference)
            })
            .await;
            Ok(decided)
        }
        DecisionOutcome::Unchanged(current) if current.status == BookingRequestStatus::Rejected => {
            Ok(current)
        }
        DecisionOutcome::Unchanged(_) => Err(confirmed_already()),
        DecisionOutcome::NotFound => Err(ApiError::NotFound),
    }
}

fn rejected_already() -> ApiError {
    ApiError::Conflict {
        code: "booking_rejected",
        message: "this booking request was rejected; it cannot be confirmed".into(),
    }
}

fn confirmed_already() -> ApiError {
    ApiError::Conflict {
        code: "booking_confirmed",
        message: "this booking request is confirmed; cancel the booking in the PMS instead".into(),
    }
}

/// The tenant's request `id`; 404 when there is none.
async fn request(
    state: &AppState,
    tenant: &TenantRuntime,
    id: i64,
) -> Result<BookingRequestRecord, ApiError> {
    state
        .store
        .booking_request(&tenant.context.tenant_id, id)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound)
}

/// Records `decision` and queues `messages` to the guest in the same transaction; wakes the
/// sender when it did.
async fn decide(
    state: &AppState,
    record: &BookingRequestRecord,
    decision: &BookingDecision,
    messages: Vec<OutboundBody>,
) -> Result<DecisionOutcome, ApiError> {
    let messages = messages
        .into_iter()
        .map(|body| OutboundMessage {
            to: record.wa_id.clone(),
            body,
            reply_to: None,
        })
        .collect();
    let rows = outbound_rows(&record.tenant_id, &record.phone_number_id, messages);
    let outcome = state
        .store
        .decide_booking_request(
            &record.tenant_id,
            record.id,
            &OPEN,
            decision,
            &rows,
            state.clock.now(),
        )
        .await
        .map_err(ApiError::internal)?;
    if matches!(outcome, DecisionOutcome::Decided(_)) && !rows.is_empty() {
        state.outbox_ready.notify_one();
    }
    Ok(outcome)
}

/// The request's draft: the one in the guest's session (it carries the room hold), else one
/// rebuilt from the request.
async fn draft_for(
    state: &AppState,
    key: &SessionKey,
    record: &BookingRequestRecord,
) -> BookingDraft {
    let stored = match state.sessions.load(key).await {
        Ok(session) => session.and_then(|s| BookingDraft::find_in(&s.value, &record.reference)),
        Err(error) => {
            tracing::warn!(tenant = %record.tenant_id, %error, "the guest's session is unavailable; using the booking request");
            None
        }
    };
    let mut draft = stored.unwrap_or_else(|| draft_of(record));
    if draft.phone_number_id.is_none() {
        draft.phone_number_id = Some(record.phone_number_id.clone());
    }
    draft
}

/// A draft with everything `complete_booking` needs, from the request alone.
pub fn draft_of(record: &BookingRequestRecord) -> BookingDraft {
    BookingDraft {
        stage: BookingStage::AwaitingConfirmation,
        check_in: Some(record.check_in),
        check_out: Some(record.check_out),
        adults: Some(record.adults),
        children: Some(record.children),
        chosen: Some(ChosenRoom {
            room_type: RoomTypeId::new(record.room_type.clone()),
            name: record.room_name.clone(),
            total: Money::from_minor(record.total_minor, record.currency.clone()),
        }),
        guest_name: Some(record.guest_name.clone()),
        email: Some(record.guest_email.clone()),
        reference: Some(record.reference.clone()),
        deposit: record
            .deposit_minor
            .map(|minor| Money::from_minor(minor, record.currency.clone())),
        language: record.language,
        phone_number_id: Some(record.phone_number_id.clone()),
        ..BookingDraft::default()
    }
}

/// Applies `change` to the guest's session (when it returns true) with compare-and-set,
/// reloading on a conflict. Best effort: the decision is recorded already, and the session only
/// mirrors it for the conversation.
async fn update_session<F>(state: &AppState, key: &SessionKey, change: F)
where
    F: Fn(&mut Session) -> bool,
{
    for _ in 0..SESSION_ATTEMPTS {
        let loaded = match state.sessions.load(key).await {
            Ok(Some(loaded)) => loaded,
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(tenant = %key.tenant, %error, "could not load the guest's session");
                return;
            }
        };
        let mut session = loaded.value;
        if !change(&mut session) {
            return;
        }
        match state
            .sessions
            .save(key, &session, Some(loaded.version), SESSION_TTL)
            .await
        {
            Ok(_) => return,
            Err(SessionError::Conflict { .. }) => continue,
            Err(error) => {
                tracing::warn!(tenant = %key.tenant, %error, "could not update the guest's session");
                return;
            }
        }
    }
    tracing::warn!(tenant = %key.tenant, "the guest's session kept changing; not updated");
}

/// Cancels a PMS booking made for a request that was rejected meanwhile (best effort; logged).
async fn cancel_orphan(state: &AppState, tenant: &TenantRuntime, booking_id: &BookingId) {
    let tenant_id = &tenant.context.tenant_id;
    match state
        .booking
        .pms
        .cancel_booking(tenant_id, booking_id)
        .await
    {
        Ok(_) => {
            tracing::warn!(%tenant_id, booking = %booking_id, "booked while rejected; PMS booking cancelled");
        }
        Err(error) => {
            tracing::error!(%tenant_id, booking = %booking_id, %error, "booked while rejected; cancel the PMS booking by hand");
        }
    }
}
