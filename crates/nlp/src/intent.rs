//! What a guest wants: the [`Intent`] of a message.

use serde::{Deserialize, Serialize};

/// The intents of `nlu-schema.md`; serialised in snake_case exactly as listed there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// Says hello, nothing else yet.
    Greeting,
    /// Ends the conversation.
    Goodbye,
    /// Thanks.
    Thanks,
    /// Says yes / confirms the last question.
    Affirm,
    /// Says no / rejects the last proposal.
    Deny,
    /// Asks whether rooms are free for dates or guests.
    CheckAvailability,
    /// Wants to book.
    MakeReservation,
    /// Wants to change dates, guests or room of a booking.
    ModifyReservation,
    /// Wants to cancel a booking.
    CancelReservation,
    /// Looks up an existing booking.
    ReservationStatus,
    /// Asks about rates.
    Pricing,
    /// Asks what rooms exist.
    RoomTypes,
    /// Asks about services: breakfast, wifi, pool, parking, gym, spa, pets.
    Amenities,
    /// Asks for check-in / check-out hours.
    CheckInOutTimes,
    /// Wants to leave later than the normal check-out.
    LateCheckout,
    /// Asks for the address or directions.
    Location,
    /// Asks about the rules and fees for cancelling.
    CancellationPolicy,
    /// Asks how to pay, about the deposit, or sends a receipt.
    Payment,
    /// Wants a ride from or to the airport.
    AirportTransfer,
    /// Wants to talk to a person.
    HumanHandoff,
    /// Reports a problem or an emergency.
    Complaint,
    /// Anything unrelated to the stay.
    OutOfScope,
}

/// A name that is not one of the intents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown intent `{0}`")]
pub struct UnknownIntent(pub String);

impl Intent {
    /// Every intent, in the order of `nlu-schema.md`.
    pub const ALL: [Intent; 22] = [
        Intent::Greeting,
        Intent::Goodbye,
        Intent::Thanks,
        Intent::Affirm,
        Intent::Deny,
        Intent::CheckAvailability,
        Intent::MakeReservation,
        Intent::ModifyReservation,
        Intent::CancelReservation,
        Intent::ReservationStatus,
        Intent::Pricing,
        Intent::RoomTypes,
        Intent::Amenities,
        Intent::CheckInOutTimes,
        Intent::LateCheckout,
        Intent::Location,
        Intent::CancellationPolicy,
        Intent::Payment,
        Intent::AirportTransfer,
        Intent::HumanHandoff,
        Intent::Complaint,
        Intent::OutOfScope,
    ];

    /// The snake_case name used in JSON and labelled files.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Greeting => "greeting",
            Intent::Goodbye => "goodbye",
            Intent::Thanks => "thanks",
            Intent::Affirm => "affirm",
            Intent::Deny => "deny",
            Intent::CheckAvailability => "check_availability",
            Intent::MakeReservation => "make_reservation",
            Intent::ModifyReservation => "modify_reservation",
            Intent::CancelReservation => "cancel_reservation",
            Intent::ReservationStatus => "reservation_status",
            Intent::Pricing => "pricing",
            Intent::RoomTypes => "room_types",
            Intent::Amenities => "amenities",
            Intent::CheckInOutTimes => "check_in_out_times",
            Intent::LateCheckout => "late_checkout",
            Intent::Location => "location",
            Intent::CancellationPolicy => "cancellation_policy",
            Intent::Payment => "payment",
            Intent::AirportTransfer => "airport_transfer",
            Intent::HumanHandoff => "human_handoff",
            Intent::Complaint => "complaint",
            Intent::OutOfScope => "out_of_scope",
        }
    }
}

impl std::str::FromStr for Intent {
    type Err = UnknownIntent;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Intent::ALL
            .into_iter()
            .find(|intent| intent.as_str() == s)
            .ok_or_else(|| UnknownIntent(s.to_owned()))
    }
}

impl std::fmt::Display for Intent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde_and_from_str() {
        for intent in Intent::ALL {
            let json = serde_json::to_string(&intent).unwrap();
            assert_eq!(json, format!("\"{}\"", intent.as_str()));
            assert_eq!(intent.as_str().parse::<Intent>(), Ok(intent));
            assert_eq!(serde_json::from_str::<Intent>(&json).unwrap(), intent);
        }
        assert!("booking".parse::<Intent>().is_err());
    }

    #[test]
    fn all_lists_each_intent_once() {
        let mut names: Vec<&str> = Intent::ALL.iter().map(|i| i.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 22);
    }
}
