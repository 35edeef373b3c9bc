//! The crate's error type.

use hotel_locks::LockError;
use hotel_nlp::NlpError;
use hotel_pms::PmsError;
use hotel_sessions::SessionError;

/// Errors of the orchestrator.
#[derive(Debug, thiserror::Error)]
pub enum OrchestratorError {
    /// The NLU failed.
    #[error("NLU failed: {0}")]
    Nlu(#[from] NlpError),
    /// The session store failed.
    #[error("session store failed: {0}")]
    Session(#[from] SessionError),
    /// The session kept changing under us: every compare-and-set attempt lost the race.
    #[error("session update conflicted {attempts} times in a row")]
    SessionConflict {
        /// How many saves were tried.
        attempts: u32,
    },
    /// A tenant's time zone is not an IANA name.
    #[error("unknown time zone `{0}`")]
    InvalidTimezone(String),
    /// The reply catalogue is inconsistent.
    #[error("reply catalogue: {0}")]
    Catalogue(String),
    /// The PMS failed (the booking conversation answers the guest honestly instead).
    #[error("PMS failed: {0}")]
    Pms(#[from] PmsError),
    /// The room holds failed.
    #[error("room holds failed: {0}")]
    Holds(#[from] LockError),
    /// Recording a paid booking for staff failed (inside the booking conversation this becomes
    /// an honest reply, not an error).
    #[error("booking requests failed: {0}")]
    Requests(#[from] crate::booking::BookingRecordError),
    /// A booking draft lacks what a booking needs (named).
    #[error("the booking draft has no {0}")]
    IncompleteDraft(String),
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, OrchestratorError>;
