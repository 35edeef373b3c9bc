//! Booking requests waiting for staff: records, rows, statuses and decisions.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use hotel_domain::{Language, TenantId, WaId};

use crate::convert::{from_db, parse_stored};
use crate::error::{Result, StoreError};
use crate::schema::booking_requests;

/// Where a booking request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookingRequestStatus {
    /// Paid by the guest's word or receipt; a person has to check the payment.
    AwaitingConfirmation,
    /// Staff confirmed it and the PMS booking exists.
    Confirmed,
    /// Staff refused it; the guest was told.
    Rejected,
    /// Staff confirmed it but the PMS would not book it (the room is gone, the PMS refused):
    /// staff may confirm again or reject it.
    Failed,
}

impl BookingRequestStatus {
    /// Every status.
    pub const ALL: [BookingRequestStatus; 4] = [
        BookingRequestStatus::AwaitingConfirmation,
        BookingRequestStatus::Confirmed,
        BookingRequestStatus::Rejected,
        BookingRequestStatus::Failed,
    ];

    /// Its stored (and API) name.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingRequestStatus::AwaitingConfirmation => "awaiting_confirmation",
            BookingRequestStatus::Confirmed => "confirmed",
            BookingRequestStatus::Rejected => "rejected",
            BookingRequestStatus::Failed => "failed",
        }
    }

    /// Whether staff can still confirm or reject it.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            BookingRequestStatus::AwaitingConfirmation | BookingRequestStatus::Failed
        )
    }
}

impl std::fmt::Display for BookingRequestStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for BookingRequestStatus {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        BookingRequestStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("unknown booking request status `{s}`"))
    }
}

/// A paid booking to record for staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBookingRequest {
    pub tenant_id: TenantId,
    /// The guest.
    pub wa_id: WaId,
    /// The business number the guest wrote to (the guest's messages go out from it).
    pub phone_number_id: String,
    /// The booking reference the guest was given (the PMS idempotency key), unique per tenant.
    pub reference: String,
    /// The PMS room type id and its name in the guest's language.
    pub room_type: String,
    pub room_name: String,
    pub check_in: NaiveDate,
    /// After `check_in`.
    pub check_out: NaiveDate,
    pub adults: u32,
    pub children: u32,
    pub guest_name: String,
    pub guest_email: String,
    /// The price of the stay in hundredths of `currency`.
    pub total_minor: i64,
    pub currency: String,
    /// The deposit asked for, in hundredths of `currency`.
    pub deposit_minor: Option<i64>,
    /// The guest's language, for the messages sent on staff's decision.
    pub language: Option<Language>,
}

/// A stored booking request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingRequestRecord {
    pub id: i64,
    pub tenant_id: TenantId,
    pub wa_id: WaId,
    pub phone_number_id: String,
    pub reference: String,
    pub room_type: String,
    pub room_name: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub adults: u32,
    pub children: u32,
    pub guest_name: String,
    pub guest_email: String,
    pub total_minor: i64,
    pub currency: String,
    pub deposit_minor: Option<i64>,
    pub language: Option<Language>,
    pub status: BookingRequestStatus,
    /// The PMS booking, once made.
    pub pms_booking_id: Option<String>,
    /// Who decided (the staff member's user name) and when.
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The reason given with a rejection, or what went wrong with a failed confirmation.
    pub decision_note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What [`Store::submit_booking_request`](crate::Store::submit_booking_request) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Recorded, awaiting confirmation.
    Created(BookingRequestRecord),
    /// The tenant already had a request with this reference: that one, unchanged.
    Existing(BookingRequestRecord),
}

impl SubmitOutcome {
    /// The stored request.
    pub fn record(&self) -> &BookingRequestRecord {
        match self {
            SubmitOutcome::Created(record) | SubmitOutcome::Existing(record) => record,
        }
    }
}

/// Staff's decision on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingDecision {
    /// What the request becomes.
    pub status: BookingRequestStatus,
    /// The PMS booking (for [`BookingRequestStatus::Confirmed`]).
    pub pms_booking_id: Option<String>,
    /// The staff member.
    pub decided_by: String,
    /// A rejection's reason, a failure's explanation.
    pub note: Option<String>,
}

/// What [`Store::decide_booking_request`](crate::Store::decide_booking_request) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionOutcome {
    /// Decided (and the messages queued): the request as it now is.
    Decided(BookingRequestRecord),
    /// The request was not in one of the expected statuses (another decision came first):
    /// it as it is, unchanged; nothing was queued.
    Unchanged(BookingRequestRecord),
    /// The tenant has no request with this id.
    NotFound,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = booking_requests, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct BookingRequestRow {
    id: i64,
    tenant_id: String,
    wa_id: String,
    phone_number_id: String,
    reference: String,
    room_type: String,
    room_name: String,
    check_in: NaiveDate,
    check_out: NaiveDate,
    adults: i32,
    children: i32,
    guest_name: String,
    guest_email: String,
    total_minor: i64,
    currency: String,
    deposit_minor: Option<i64>,
    language: Option<String>,
    status: String,
    pms_booking_id: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<NaiveDateTime>,
    decision_note: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl BookingRequestRow {
    pub(crate) fn into_record(self) -> Result<BookingRequestRecord> {
        let count = |value: i32, what: &str| {
            u32::try_from(value).map_err(|_| {
                StoreError::Corrupt(format!("booking request {}: {what} {value}", self.id))
            })
        };
        let adults = count(self.adults, "adults")?;
        let children = count(self.children, "children")?;
        Ok(BookingRequestRecord {
            id: self.id,
            tenant_id: TenantId::new(self.tenant_id),
            wa_id: WaId::new(self.wa_id),
            phone_number_id: self.phone_number_id,
            reference: self.reference,
            room_type: self.room_type,
            room_name: self.room_name,
            check_in: self.check_in,
            check_out: self.check_out,
            adults,
            children,
            guest_name: self.guest_name,
            guest_email: self.guest_email,
            total_minor: self.total_minor,
            currency: self.currency,
            deposit_minor: self.deposit_minor,
            language: self
                .language
                .as_deref()
                .map(|code| parse_stored(code, "language"))
                .transpose()?,
            status: parse_stored(&self.status, "booking request status")?,
            pms_booking_id: self.pms_booking_id,
            decided_by: self.decided_by,
            decided_at: self.decided_at.map(from_db),
            decision_note: self.decision_note,
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        })
    }
}

/// A guest count as stored.
pub(crate) fn stored_count(count: u32, what: &str) -> Result<i32> {
    i32::try_from(count)
        .map_err(|_| StoreError::InvalidArgument(format!("{count} {what} cannot be stored")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_only_undecided_ones_are_open() {
        for status in BookingRequestStatus::ALL {
            assert_eq!(status.as_str().parse::<BookingRequestStatus>(), Ok(status));
            assert_eq!(status.to_string(), status.as_str());
        }
        assert!("booked".parse::<BookingRequestStatus>().is_err());
        assert!(BookingRequestStatus::AwaitingConfirmation.is_open());
        assert!(BookingRequestStatus::Failed.is_open());
        assert!(!BookingRequestStatus::Confirmed.is_open());
        assert!(!BookingRequestStatus::Rejected.is_open());
        assert!(stored_count(u32::MAX, "adults").is_err());
    }
}
