//! The operations of the [`Pms`](crate::Pms) trait as the layer tells them apart: their metric
//! labels and which errors each may be retried after.

use super::ResilienceConfig;
use crate::{PmsError, Result};

/// The operations of the [`Pms`] trait, for metrics and retry rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operation {
    Health,
    Hotels,
    RoomTypes,
    Quote,
    CreateBooking,
    Booking,
    CancelBooking,
    ModifyBooking,
}

impl Operation {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Operation::Health => "health",
            Operation::Hotels => "hotels",
            Operation::RoomTypes => "room_types",
            Operation::Quote => "quote",
            Operation::CreateBooking => "create_booking",
            Operation::Booking => "booking",
            Operation::CancelBooking => "cancel_booking",
            Operation::ModifyBooking => "modify_booking",
        }
    }

    pub(super) fn max_retries(self, config: &ResilienceConfig) -> u32 {
        match self {
            Operation::Health => 0,
            _ => config.max_retries,
        }
    }

    /// Whether a transient `error` may be retried (see the module's documentation).
    pub(super) fn retries_after(self, error: &PmsError) -> bool {
        !(self == Operation::CreateBooking && matches!(error, PmsError::Timeout))
    }
}

/// The `result` label of a call: `ok` or the error's kind.
pub(super) fn result_label<T>(result: &Result<T>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(PmsError::Unavailable(_)) => "unavailable",
        Err(PmsError::Timeout) => "timeout",
        Err(PmsError::RateLimited { .. }) => "rate_limited",
        Err(PmsError::Unauthorized(_)) => "unauthorized",
        Err(PmsError::NotFound(_)) => "not_found",
        Err(PmsError::NoAvailability(_)) => "no_availability",
        Err(PmsError::InvalidRequest(_)) => "invalid_request",
        Err(PmsError::NotSupported(_)) => "not_supported",
        Err(PmsError::InvalidConfig(_)) => "invalid_config",
        Err(PmsError::InvalidResponse(_)) => "invalid_response",
    }
}
