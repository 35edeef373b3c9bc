//! Bookings: what the assistant asks a PMS to create, and what it gets back.

use hotel_domain::Language;
use serde::{Deserialize, Serialize};

use crate::{Money, Occupancy, PmsError, Result, RoomTypeId, Stay};

/// A booking's id in its PMS (QloApps: the order id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BookingId(String);

impl BookingId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for BookingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who the booking is for. The name is the one the guest confirmed (QloApps overwrites the
/// customer's profile with it), not a WhatsApp nickname.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestContact {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// E.164, e.g. `+5491155550000`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A booking to create. `reference` is our idempotency key (e.g. `HTL-7Q2K`): creating twice
/// with the same reference gives the same booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRequest {
    pub reference: String,
    pub room_type: RoomTypeId,
    pub stay: Stay,
    pub occupancy: Occupancy,
    pub guest: GuestContact,
    /// A note for the hotel, e.g. "late arrival".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The guest's language, for the PMS's e-mails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

/// The longest idempotency key accepted.
pub const MAX_REFERENCE_LEN: usize = 64;

impl BookingRequest {
    /// Checks the reference (1 to 64 ASCII letters, digits, `-` or `_`), the occupancy and the
    /// guest's name and e-mail.
    ///
    /// # Errors
    /// [`PmsError::InvalidRequest`] naming the problem.
    pub fn validate(&self) -> Result<()> {
        if !is_valid_reference(&self.reference) {
            return Err(PmsError::InvalidRequest(
                "the reference must be 1 to 64 ASCII letters, digits, `-` or `_`".into(),
            ));
        }
        self.occupancy.validate()?;
        if self.guest.first_name.trim().is_empty() || self.guest.last_name.trim().is_empty() {
            return Err(PmsError::InvalidRequest(
                "the guest's first and last name are needed".into(),
            ));
        }
        if !self.guest.email.contains('@') {
            return Err(PmsError::InvalidRequest(
                "the guest's e-mail is needed".into(),
            ));
        }
        Ok(())
    }
}

/// Whether `reference` can be an idempotency key.
pub fn is_valid_reference(reference: &str) -> bool {
    !reference.is_empty()
        && reference.len() <= MAX_REFERENCE_LEN
        && reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Where a booking stands in the PMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// Booked; no payment recorded in the PMS.
    AwaitingPayment,
    /// Booked; part of the price paid.
    PartiallyPaid,
    /// Booked and paid.
    Paid,
    Cancelled,
    Refunded,
    /// A state this crate does not map (e.g. QloApps' "Payment error"), by its PMS name.
    Other(String),
}

impl BookingStatus {
    /// Whether the booking still holds its room.
    pub fn is_active(&self) -> bool {
        !matches!(self, BookingStatus::Cancelled | BookingStatus::Refunded)
    }
}

/// A booking as the PMS holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub id: BookingId,
    /// Our idempotency key, when the PMS kept it (always for bookings this crate created).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The PMS's own reference, e.g. QloApps' 9-letter order reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pms_reference: Option<String>,
    pub status: BookingStatus,
    pub room_type: RoomTypeId,
    pub stay: Stay,
    pub adults: u32,
    pub children: u32,
    pub guest: GuestContact,
    /// The total with taxes, when the PMS says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Money>,
}

/// Changes to a booking; `None` keeps what it has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stay: Option<Stay>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomTypeId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupancy: Option<Occupancy>,
}

impl BookingChange {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.stay.is_none() && self.room_type.is_none() && self.occupancy.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_short_plain_tokens() {
        assert!(is_valid_reference("HTL-7Q2K"));
        assert!(is_valid_reference("wa_7f3c9e"));
        assert!(!is_valid_reference(""));
        assert!(!is_valid_reference("HTL 7Q2K"));
        assert!(!is_valid_reference(&"A".repeat(65)));
    }

    #[test]
    fn statuses_serialise_snake_case() {
        assert_eq!(
            serde_json::to_string(&BookingStatus::AwaitingPayment).unwrap(),
            "\"awaiting_payment\""
        );
        assert!(BookingStatus::Paid.is_active());
        assert!(BookingStatus::Other("Payment error".into()).is_active());
        assert!(!BookingStatus::Refunded.is_active());
        assert!(BookingChange::default().is_empty());
        assert_eq!(BookingId::new("42").to_string(), "42");
    }
}
