//! Authenticity checks for Meta's webhook calls.
//!
//! Every event POST carries `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the **raw** body
//! keyed with the App Secret. There is deliberately no bypass value: a test signs its body with
//! [`sign`] like Meta would.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// The header prefix Meta puts before the hex digest.
const PREFIX: &str = "sha256=";
/// Length in bytes of an HMAC-SHA256 digest.
const DIGEST_LEN: usize = 32;

/// Why a webhook signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No app secret is configured: nothing can be verified, so nothing is accepted.
    #[error("no app secret configured; webhook signatures cannot be verified")]
    NoSecret,
    /// The `X-Hub-Signature-256` header is absent.
    #[error("missing X-Hub-Signature-256 header")]
    Missing,
    /// The header is not `sha256=` followed by 64 hex digits.
    #[error("malformed X-Hub-Signature-256 header")]
    Malformed,
    /// Well-formed, but not the HMAC of this body under this secret.
    #[error("webhook signature does not match the body")]
    Mismatch,
}

/// Result of a signature check.
pub type SignatureResult<T = ()> = Result<T, SignatureError>;

/// Checks `header` (the `X-Hub-Signature-256` value) against the HMAC-SHA256 of `raw_body` keyed with
/// `app_secret`.
///
/// The hex digest is accepted in either case; the comparison of the decoded digest is constant-time.
/// An empty `app_secret` never verifies anything ([`SignatureError::NoSecret`]).
pub fn verify_signature(
    app_secret: &[u8],
    raw_body: &[u8],
    header: Option<&str>,
) -> SignatureResult {
    if app_secret.is_empty() {
        return Err(SignatureError::NoSecret);
    }
    let header = header.ok_or(SignatureError::Missing)?.trim();
    let hex_digest = strip_prefix_ignore_case(header, PREFIX).ok_or(SignatureError::Malformed)?;
    if hex_digest.len() != DIGEST_LEN * 2 {
        return Err(SignatureError::Malformed);
    }
    let expected = hex::decode(hex_digest).map_err(|_| SignatureError::Malformed)?;
    let mut mac = HmacSha256::new_from_slice(app_secret).map_err(|_| SignatureError::NoSecret)?;
    mac.update(raw_body);
    mac.verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// The `X-Hub-Signature-256` value Meta would send for `body`: `sha256=<lowercase hex>`.
///
/// Used by tests and load drivers to sign their own requests. (An empty secret yields a signature
/// that [`verify_signature`] still refuses.)
pub fn sign(app_secret: &[u8], body: &[u8]) -> String {
    // HMAC takes keys of any length, so this cannot fail; keep the branch instead of a panic.
    let Ok(mut mac) = HmacSha256::new_from_slice(app_secret) else {
        return String::new();
    };
    mac.update(body);
    format!("{PREFIX}{}", hex::encode(mac.finalize().into_bytes()))
}

/// Meta's GET subscription handshake (`hub.mode`, `hub.verify_token`, `hub.challenge`).
///
/// Returns the challenge to echo (200, `text/plain`) when the mode is `subscribe` and the token equals
/// `expected_token` (compared in constant time); `None` means 403. An empty `expected_token` never
/// matches, and neither does a missing or empty challenge.
pub fn verify_subscription<'a>(
    expected_token: &str,
    mode: Option<&str>,
    token: Option<&str>,
    challenge: Option<&'a str>,
) -> Option<&'a str> {
    if expected_token.is_empty() || mode != Some("subscribe") {
        return None;
    }
    let token = token?;
    let matches: bool = token.as_bytes().ct_eq(expected_token.as_bytes()).into();
    if !matches {
        return None;
    }
    challenge.filter(|c| !c.is_empty())
}

fn strip_prefix_ignore_case<'a>(value: &'a str, prefix: &str) -> Option<&'a str> {
    let head = value.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        value.get(prefix.len()..)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"app-secret";
    const BODY: &[u8] = br#"{"object":"whatsapp_business_account","entry":[]}"#;

    #[test]
    fn a_signature_made_by_sign_verifies() {
        let header = sign(SECRET, BODY);
        assert!(header.starts_with("sha256="));
        assert_eq!(header.len(), 7 + 64);
        assert_eq!(verify_signature(SECRET, BODY, Some(&header)), Ok(()));
    }

    #[test]
    fn known_vector_matches() {
        // RFC 4231 test case 2.
        let header = sign(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            header,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn prefix_and_hex_case_do_not_matter_but_length_does() {
        let header = sign(SECRET, BODY).to_uppercase();
        assert_eq!(verify_signature(SECRET, BODY, Some(&header)), Ok(()));
        let short = &sign(SECRET, BODY)[..70];
        assert_eq!(
            verify_signature(SECRET, BODY, Some(short)),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify_signature(SECRET, BODY, Some("sha256=")),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify_signature(SECRET, BODY, Some("é")),
            Err(SignatureError::Malformed)
        );
        let not_hex = format!("sha256={}", "zz".repeat(32));
        assert_eq!(
            verify_signature(SECRET, BODY, Some(&not_hex)),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn empty_secret_refuses_even_its_own_signature() {
        let header = sign(b"", BODY);
        assert_eq!(
            verify_signature(b"", BODY, Some(&header)),
            Err(SignatureError::NoSecret)
        );
        assert_eq!(
            verify_signature(b"", BODY, None),
            Err(SignatureError::NoSecret)
        );
    }

    #[test]
    fn subscription_needs_mode_token_and_challenge() {
        let ok = verify_subscription("tok", Some("subscribe"), Some("tok"), Some("42"));
        assert_eq!(ok, Some("42"));
        assert_eq!(
            verify_subscription("tok", Some("subscribe"), Some("tok2"), Some("42")),
            None
        );
        assert_eq!(
            verify_subscription("tok", Some("unsubscribe"), Some("tok"), Some("42")),
            None
        );
        assert_eq!(
            verify_subscription("tok", None, Some("tok"), Some("42")),
            None
        );
        assert_eq!(
            verify_subscription("tok", Some("subscribe"), None, Some("42")),
            None
        );
        assert_eq!(
            verify_subscription("tok", Some("subscribe"), Some("tok"), None),
            None
        );
        assert_eq!(
            verify_subscription("tok", Some("subscribe"), Some("tok"), Some("")),
            None
        );
        assert_eq!(
            verify_subscription("", Some("subscribe"), Some(""), Some("42")),
            None
        );
    }
}
