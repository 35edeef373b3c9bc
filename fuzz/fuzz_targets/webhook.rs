//! The webhook path of one POST: signature check over the raw bytes, `parse_webhook`, `normalise`.
//!
//! The whole input is the body. It must verify under its own signature and must not verify under a
//! header made of its first bytes (unless those happen to be that very signature); parsing and
//! normalising must never panic, and what normalises must be well formed.
#![no_main]

use hotel_domain::TenantId;
use hotel_whatsapp::{parse_webhook, sign, verify_signature};
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"fuzz-app-secret";

fuzz_target!(|body: &[u8]| {
    let header = sign(SECRET, body);
    assert_eq!(verify_signature(SECRET, body, Some(&header)), Ok(()));
    let prefix = String::from_utf8_lossy(&body[..body.len().min(80)]);
    if verify_signature(SECRET, body, Some(&prefix)).is_ok() {
        assert!(prefix.trim().eq_ignore_ascii_case(&header));
    }

    let Ok(payload) = parse_webhook(body) else {
        return;
    };
    // Every number with an even length is a known hotel; the others are not.
    let resolve = |id: &str| (id.len() % 2 == 0).then(|| TenantId::new(format!("hotel-{id}")));
    let out = payload.normalise(&resolve);
    for message in &out.messages {
        assert!(!message.provider_message_id.is_empty());
        assert!(!message.phone_number_id.is_empty());
        assert!(!message.from.as_str().is_empty());
    }
    for status in &out.statuses {
        assert!(!status.provider_message_id.is_empty());
    }
});
