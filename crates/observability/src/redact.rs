//! PII redaction for logs: guests' numbers are hashed, never written as they are.

use sha2::{Digest, Sha256};

/// A short, stable, non-reversible tag for a WhatsApp id or phone number, for log lines.
pub fn hash_wa_id(wa_id: &str) -> String {
    let digest = Sha256::digest(wa_id.as_bytes());
    format!("wa_{}", hex::encode(&digest[..6]))
}

/// Replaces everything but the scheme and host of a URL-like string's credentials: `user:pass@`
/// becomes `***@`, so database URLs can be logged.
pub fn redact_url_credentials(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_short_and_hide_the_number() {
        let a = hash_wa_id("5491155550000");
        assert_eq!(a, hash_wa_id("5491155550000"));
        assert_ne!(a, hash_wa_id("5491155550001"));
        assert!(!a.contains("5491155550000"));
        assert_eq!(a.len(), 3 + 12);
    }

    #[test]
    fn url_credentials_are_hidden() {
        assert_eq!(
            redact_url_credentials("postgres://u:secret@db:5432/x"),
            "postgres://***@db:5432/x"
        );
        assert_eq!(
            redact_url_credentials("sqlite://data/hotel.db"),
            "sqlite://data/hotel.db"
        );
    }
}
