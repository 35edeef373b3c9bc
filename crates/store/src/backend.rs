//! Which database a URL points at, and URL redaction.

use std::path::PathBuf;

use crate::error::{Result, StoreError};

/// The database behind a [`Store`](crate::Store).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL through diesel-async and a deadpool pool.
    Postgres,
    /// An SQLite file (or in-memory database) through diesel-async's `SyncConnectionWrapper`.
    Sqlite,
}

impl Backend {
    /// `postgres` or `sqlite`.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        }
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DatabaseTarget {
    /// A `postgres://` or `postgresql://` URL, passed to tokio-postgres as is.
    Postgres(String),
    /// An SQLite database file (relative to the working directory, or absolute).
    SqliteFile(PathBuf),
    /// A private in-memory SQLite database.
    SqliteMemory,
}

impl DatabaseTarget {
    /// Parses `postgres://…`, `postgresql://…`, `sqlite://relative/path.db`,
    /// `sqlite:///absolute/path.db`, `sqlite:relative.db` and `sqlite::memory:`.
    pub(crate) fn parse(url: &str) -> Result<DatabaseTarget> {
        let url = url.trim();
        let invalid = |reason: &str| StoreError::InvalidUrl {
            url: redact_url(url),
            reason: reason.to_owned(),
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseTarget::Postgres(url.to_owned()));
        }
        let Some(rest) = url.strip_prefix("sqlite:") else {
            return Err(invalid(
                "expected a postgres://, postgresql:// or sqlite: URL",
            ));
        };
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        // Connection parameters in the sqlx style (`?mode=rwc`) are accepted and ignored.
        let path = rest.split_once('?').map_or(rest, |(path, _)| path);
        match path {
            ":memory:" => Ok(DatabaseTarget::SqliteMemory),
            "" => Err(invalid("the SQLite URL has no file path")),
            path => Ok(DatabaseTarget::SqliteFile(PathBuf::from(path))),
        }
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            DatabaseTarget::Postgres(_) => Backend::Postgres,
            DatabaseTarget::SqliteFile(_) | DatabaseTarget::SqliteMemory => Backend::Sqlite,
        }
    }
}

/// The URL with the password of its user-info part replaced by `***`; safe to log.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    match user_info.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
        None => url.to_owned(),
    }
}

/// The password of a URL's user-info part, if any (to scrub it from driver messages).
pub(crate) fn url_password(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (user_info, _) = rest[..authority_end].rsplit_once('@')?;
    let (_, password) = user_info.split_once(':')?;
    (!password.is_empty()).then_some(password)
}

/// Removes `password` from a driver message, in case a driver ever echoes its connection string.
pub(crate) fn scrub(message: &str, password: Option<&str>) -> String {
    match password {
        Some(password) => message.replace(password, "***"),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_supported_form() {
        assert_eq!(
            DatabaseTarget::parse("sqlite://data/hotel.db").ok(),
            Some(DatabaseTarget::SqliteFile(PathBuf::from("data/hotel.db")))
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite:///var/lib/hotel/hotel.db").ok(),
            Some(DatabaseTarget::SqliteFile(PathBuf::from(
                "/var/lib/hotel/hotel.db"
            )))
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite:hotel.db?mode=rwc").ok(),
            Some(DatabaseTarget::SqliteFile(PathBuf::from("hotel.db")))
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite::memory:").ok(),
            Some(DatabaseTarget::SqliteMemory)
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite://:memory:").ok(),
            Some(DatabaseTarget::SqliteMemory)
        );
        let pg = DatabaseTarget::parse("postgresql://u:p@db:5432/hotel").ok();
        assert_eq!(
            pg.as_ref().map(DatabaseTarget::backend),
            Some(Backend::Postgres)
        );
        assert_eq!(
            DatabaseTarget::parse("postgres://db/hotel")
                .ok()
                .map(|t| t.backend()),
            Some(Backend::Postgres)
        );
    }

    #[test]
    fn unknown_schemes_are_rejected_without_leaking_the_password() {
        let error = DatabaseTarget::parse("mysql://root:s3cret@db/hotel").err();
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("invalid database url"), "{message}");
        assert!(message.contains("mysql://root:***@db/hotel"), "{message}");
        assert!(!message.contains("s3cret"), "{message}");
        assert!(DatabaseTarget::parse("sqlite://").is_err());
    }

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            redact_url("postgres://app:pw@db:5432/hotel?sslmode=disable"),
            "postgres://app:***@db:5432/hotel?sslmode=disable"
        );
        assert_eq!(
            redact_url("postgres://app@db/hotel"),
            "postgres://app@db/hotel"
        );
        assert_eq!(redact_url("postgres://db/hotel"), "postgres://db/hotel");
        assert_eq!(
            redact_url("sqlite://data/hotel.db"),
            "sqlite://data/hotel.db"
        );
        assert_eq!(redact_url("postgres://a:b@c@db/x"), "postgres://a:***@db/x");
        assert_eq!(url_password("postgres://a:b%40c@db/x"), Some("b%40c"));
        assert_eq!(url_password("postgres://a@db/x"), None);
        assert_eq!(
            scrub("bad url postgres://a:pw@x", Some("pw")),
            "bad url postgres://a:***@x"
        );
    }
}
