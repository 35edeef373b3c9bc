//! The crate's error type.

/// Errors of a PMS.
#[derive(Debug, thiserror::Error)]
pub enum PmsError {
    /// The PMS could not be reached or answered with a server error.
    #[error("PMS unavailable: {0}")]
    Unavailable(String),
    /// The PMS did not answer in time.
    #[error("PMS timed out")]
    Timeout,
    /// The PMS does not know the requested thing (booking, room type, hotel).
    #[error("not found in the PMS: {0}")]
    NotFound(String),
    /// The PMS configuration or inventory is invalid.
    #[error("invalid PMS configuration: {0}")]
    InvalidConfig(String),
    /// The PMS answered with something that could not be understood.
    #[error("invalid PMS response: {0}")]
    InvalidResponse(String),
}

impl PmsError {
    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, PmsError::Unavailable(_) | PmsError::Timeout)
    }
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, PmsError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transient_errors_are_retryable() {
        assert!(PmsError::Unavailable("502".into()).is_retryable());
        assert!(PmsError::Timeout.is_retryable());
        assert!(!PmsError::NotFound("HTL-1".into()).is_retryable());
        assert!(!PmsError::InvalidConfig("x".into()).is_retryable());
        assert!(!PmsError::InvalidResponse("x".into()).is_retryable());
    }
}
