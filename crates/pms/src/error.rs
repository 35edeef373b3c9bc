//! The crate's error type.

use std::time::Duration;

/// Errors of a PMS. Messages never carry credentials: the QloApps client builds them from status
/// codes and the PMS's own error texts, never from URLs or request headers.
#[derive(Debug, thiserror::Error)]
pub enum PmsError {
    /// The PMS could not be reached or answered with a server error (5xx). Transient.
    #[error("PMS unavailable: {0}")]
    Unavailable(String),
    /// The PMS did not answer in time. Transient; for a create, the outcome is unknown until the
    /// booking is looked up (the QloApps client does that itself).
    #[error("PMS timed out")]
    Timeout,
    /// The PMS asked us to slow down (HTTP 429). Transient.
    #[error("PMS rate limit reached")]
    RateLimited {
        /// How long the PMS asked us to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// The PMS refused our credentials or their permissions (HTTP 401, 403, 405).
    #[error("PMS refused the credentials: {0}")]
    Unauthorized(String),
    /// The PMS does not know the requested thing (booking, room type, hotel).
    #[error("not found in the PMS: {0}")]
    NotFound(String),
    /// No room of the requested type is free for the stay and occupancy.
    #[error("no availability: {0}")]
    NoAvailability(String),
    /// The request is invalid: ours (e.g. no adults, check-out before check-in) or as the PMS
    /// judged it (HTTP 400).
    #[error("invalid PMS request: {0}")]
    InvalidRequest(String),
    /// The PMS cannot do this operation (e.g. change only the guests of a QloApps booking).
    #[error("not supported by this PMS: {0}")]
    NotSupported(String),
    /// The PMS configuration or inventory is invalid.
    #[error("invalid PMS configuration: {0}")]
    InvalidConfig(String),
    /// The PMS answered with something that could not be understood.
    #[error("invalid PMS response: {0}")]
    InvalidResponse(String),
}

impl PmsError {
    /// Whether trying again later may succeed: timeouts, 5xx and 429. Everything else is
    /// permanent and retrying it only repeats the failure.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            PmsError::Unavailable(_) | PmsError::Timeout | PmsError::RateLimited { .. }
        )
    }
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, PmsError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transient_errors_are_transient() {
        assert!(PmsError::Unavailable("502".into()).is_transient());
        assert!(PmsError::Timeout.is_transient());
        assert!(PmsError::RateLimited { retry_after: None }.is_transient());
        for permanent in [
            PmsError::Unauthorized("401".into()),
            PmsError::NotFound("HTL-1".into()),
            PmsError::NoAvailability("double".into()),
            PmsError::InvalidRequest("x".into()),
            PmsError::NotSupported("x".into()),
            PmsError::InvalidConfig("x".into()),
            PmsError::InvalidResponse("x".into()),
        ] {
            assert!(!permanent.is_transient(), "{permanent}");
        }
    }
}
