//! The crate's one error type.

/// Everything that can go wrong in the store.
///
/// Messages carry the underlying cause (so `%error` in a log line is useful) but never a
/// database password: URLs are redacted before they reach an error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL has an unknown scheme or no path; `url` is redacted.
    #[error("invalid database url `{url}`: {reason}")]
    InvalidUrl {
        /// The URL with its password replaced by `***`.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A connection could not be opened or taken from the pool.
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(diesel::result::Error),
    /// Applying or reverting migrations failed.
    #[error("database migration failed: {0}")]
    Migration(String),
    /// A stored value could not be read back (unknown enum name, malformed JSON).
    #[error("invalid value in the database: {0}")]
    Corrupt(String),
    /// An argument cannot be stored (for example a lease too long to represent).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A value could not be serialised to JSON.
    #[error("cannot serialise a value: {0}")]
    Serialize(serde_json::Error),
    /// A blocking database task panicked or was cancelled.
    #[error("a blocking database task failed: {0}")]
    Task(String),
}

/// The crate's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<diesel::result::Error> for StoreError {
    fn from(error: diesel::result::Error) -> Self {
        StoreError::Query(error)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        StoreError::Serialize(error)
    }
}

impl From<tokio::task::JoinError> for StoreError {
    fn from(error: tokio::task::JoinError) -> Self {
        StoreError::Task(error.to_string())
    }
}

impl StoreError {
    /// Whether the error is a unique-key violation (for example a second tenant claiming a
    /// `phone_number_id` that another tenant already has).
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            StoreError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violations_are_recognised() {
        let unique = StoreError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            Box::new("duplicate".to_owned()),
        ));
        assert!(unique.is_unique_violation());
        assert!(!StoreError::Query(diesel::result::Error::NotFound).is_unique_violation());
        assert!(unique.to_string().starts_with("database query failed: "));
    }
}
