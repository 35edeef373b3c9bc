//! Conversions between domain values and column values.

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::error::{Result, StoreError};

/// A UTC instant as stored (`TIMESTAMP` without time zone, always UTC).
pub(crate) fn to_db(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc()
}

/// A stored timestamp as a UTC instant.
pub(crate) fn from_db(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// `now + lease`, as stored.
pub(crate) fn lease_until(now: DateTime<Utc>, lease: std::time::Duration) -> Result<NaiveDateTime> {
    chrono::Duration::from_std(lease)
        .ok()
        .and_then(|lease| now.checked_add_signed(lease))
        .map(to_db)
        .ok_or_else(|| StoreError::InvalidArgument(format!("lease of {lease:?} is too long")))
}

/// A row limit as SQL wants it.
pub(crate) fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// Parses a stored enum name, reporting `what` when it is unknown.
pub(crate) fn parse_stored<T: std::str::FromStr>(value: &str, what: &str) -> Result<T> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown {what} `{value}`")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_round_trip_and_leases_add_up() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(from_db(to_db(now)), now);
        let until = lease_until(now, std::time::Duration::from_secs(30))
            .ok()
            .map(from_db);
        assert_eq!(until, Some(now + chrono::Duration::seconds(30)));
        assert!(lease_until(now, std::time::Duration::MAX).is_err());
        assert_eq!(sql_limit(usize::MAX), i64::MAX);
        assert!(parse_stored::<hotel_domain::Language>("xx", "language").is_err());
    }
}
