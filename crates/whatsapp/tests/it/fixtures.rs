//! Compact payloads in the shape of Meta's reference examples.

use hotel_domain::TenantId;
use hotel_whatsapp::{Normalised, parse_webhook};

pub const PHONE_NUMBER_ID: &str = "106540352242922";
pub const GUEST: &str = "5491155550000";

/// One entry with one `messages` change holding `contacts` and `messages` (JSON array bodies).
pub fn envelope(phone_number_id: &str, contacts: &str, messages: &str) -> String {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"{phone_number_id}"}},"contacts":{contacts},"messages":{messages}}}}}]}}]}}"#
    )
}

/// One message from [`GUEST`] (profile "Ana") to [`PHONE_NUMBER_ID`].
pub fn single(message: &str) -> String {
    envelope(
        PHONE_NUMBER_ID,
        &format!(r#"[{{"profile":{{"name":"Ana"}},"wa_id":"{GUEST}"}}]"#),
        &format!("[{message}]"),
    )
}

/// The only known tenant: `hotel-1` owns [`PHONE_NUMBER_ID`].
pub fn resolve(phone_number_id: &str) -> Option<TenantId> {
    (phone_number_id == PHONE_NUMBER_ID).then(|| TenantId::new("hotel-1"))
}

pub fn normalise(json: &str) -> Normalised {
    parse_webhook(json.as_bytes())
        .expect("fixture parses")
        .normalise(&resolve)
}
