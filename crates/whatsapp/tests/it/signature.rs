use hotel_whatsapp::{SignatureError, sign, verify_signature};

const SECRET: &[u8] = b"9f1c0e7d-app-secret";
const BODY: &[u8] =
    br#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[]}]}"#;

#[test]
fn valid_signature_is_accepted() {
    let header = sign(SECRET, BODY);
    assert_eq!(verify_signature(SECRET, BODY, Some(&header)), Ok(()));
}

#[test]
fn uppercase_hex_is_accepted() {
    let header = sign(SECRET, BODY);
    let upper = format!(
        "sha256={}",
        header.trim_start_matches("sha256=").to_uppercase()
    );
    assert_ne!(upper, header);
    assert_eq!(verify_signature(SECRET, BODY, Some(&upper)), Ok(()));
}

#[test]
fn missing_header_is_refused() {
    assert_eq!(
        verify_signature(SECRET, BODY, None),
        Err(SignatureError::Missing)
    );
}

#[test]
fn the_old_test_bypass_value_is_just_malformed() {
    assert_eq!(
        verify_signature(SECRET, BODY, Some("dummy-signature")),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        verify_signature(SECRET, BODY, Some("")),
        Err(SignatureError::Malformed)
    );
    let sha1_style = format!("sha1={}", &sign(SECRET, BODY)[7..47]);
    assert_eq!(
        verify_signature(SECRET, BODY, Some(&sha1_style)),
        Err(SignatureError::Malformed)
    );
}

#[test]
fn signature_of_another_body_is_a_mismatch() {
    let other = sign(
        SECRET,
        br#"{"object":"whatsapp_business_account","entry":[]}"#,
    );
    assert_eq!(
        verify_signature(SECRET, BODY, Some(&other)),
        Err(SignatureError::Mismatch)
    );
    let other_secret = sign(b"another-secret", BODY);
    assert_eq!(
        verify_signature(SECRET, BODY, Some(&other_secret)),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn reserialised_json_does_not_verify() {
    // The HMAC covers the raw bytes; the same JSON with other whitespace is another body.
    let header = sign(SECRET, BODY);
    let spaced = String::from_utf8_lossy(BODY).replace(',', ", ");
    assert_eq!(
        verify_signature(SECRET, spaced.as_bytes(), Some(&header)),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn empty_secret_never_verifies() {
    let header = sign(b"", BODY);
    assert_eq!(
        verify_signature(b"", BODY, Some(&header)),
        Err(SignatureError::NoSecret)
    );
    assert_eq!(
        verify_signature(b"", b"", Some(&sign(b"", b""))),
        Err(SignatureError::NoSecret)
    );
}
