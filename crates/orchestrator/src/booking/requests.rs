//! What the booking conversation hands to the rest of the service: paid bookings that wait for
//! staff ([`BookingRequests`]) and the booking pass sent with a confirmation ([`BookingPasses`]).
//! The app implements both (over its database and the Cloud API); without them the conversation
//! keeps the request in the guest's session only and confirms with text alone.

use async_trait::async_trait;
use chrono::NaiveDate;
use hotel_domain::{Language, MediaSource, TenantId, WaId};
use hotel_pms::{BookingId, Money, RoomTypeId};

use super::BookingDraft;
use crate::{OrchestratorError, Result};

/// A paid booking waiting for a person to check the payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidBooking {
    pub tenant_id: TenantId,
    pub guest: WaId,
    /// The business number the guest wrote to; the answer goes out from it.
    pub phone_number_id: String,
    /// The booking reference the guest was given (the PMS idempotency key).
    pub reference: String,
    pub room_type: RoomTypeId,
    /// The room type's name in the guest's language.
    pub room_name: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub adults: u32,
    pub children: u32,
    pub guest_name: String,
    pub email: String,
    /// The whole stay.
    pub total: Money,
    pub deposit: Option<Money>,
    pub language: Option<Language>,
}

impl PaidBooking {
    /// The paid `draft` of `guest`, written to `phone_number_id`.
    ///
    /// # Errors
    /// [`OrchestratorError::IncompleteDraft`] when the draft lacks the room, dates, guests, name,
    /// e-mail or reference.
    pub fn of(
        tenant: &TenantId,
        guest: &WaId,
        phone_number_id: &str,
        draft: &BookingDraft,
    ) -> Result<PaidBooking> {
        let missing = |what: &str| OrchestratorError::IncompleteDraft(what.to_owned());
        let chosen = draft.chosen.as_ref().ok_or_else(|| missing("room"))?;
        let stay = draft.stay().ok_or_else(|| missing("dates"))?;
        Ok(PaidBooking {
            tenant_id: tenant.clone(),
            guest: guest.clone(),
            phone_number_id: phone_number_id.to_owned(),
            reference: draft
                .reference
                .clone()
                .ok_or_else(|| missing("reference"))?,
            room_type: chosen.room_type.clone(),
            room_name: chosen.name.clone(),
            check_in: stay.check_in(),
            check_out: stay.check_out(),
            adults: draft.adults.ok_or_else(|| missing("guests"))?,
            children: draft.children.unwrap_or(0),
            guest_name: draft.guest_name.clone().ok_or_else(|| missing("name"))?,
            email: draft.email.clone().ok_or_else(|| missing("e-mail"))?,
            total: chosen.total.clone(),
            deposit: draft.deposit.clone(),
            language: draft.language,
        })
    }
}

/// A failure of a [`BookingRequests`] or [`BookingPasses`] implementation (its message names
/// the cause; it never carries a secret).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BookingRecordError(pub String);

/// Where paid bookings wait for staff: the admin API lists them and confirms or rejects them.
#[async_trait]
pub trait BookingRequests: Send + Sync + std::fmt::Debug {
    /// Records `booking` as awaiting confirmation. Idempotent on the tenant and reference:
    /// submitting a known reference again changes nothing.
    ///
    /// # Errors
    /// [`BookingRecordError`] when it could not be recorded; the guest is asked to try again
    /// and the draft stays where it was.
    async fn submit(&self, booking: &PaidBooking) -> std::result::Result<(), BookingRecordError>;
}

/// The booking pass sent after the confirmation: what the guest shows at check-in.
#[async_trait]
pub trait BookingPasses: Send + Sync + std::fmt::Debug {
    /// An image of the pass of booking `booking_id` (reference `reference`), ready to send from
    /// `phone_number_id` (e.g. an uploaded file's media id).
    ///
    /// # Errors
    /// [`BookingRecordError`] when it cannot be made or uploaded; the confirmation then goes
    /// out as text alone.
    async fn pass(
        &self,
        tenant: &TenantId,
        phone_number_id: &str,
        reference: &str,
        booking_id: &BookingId,
    ) -> std::result::Result<MediaSource, BookingRecordError>;
}
