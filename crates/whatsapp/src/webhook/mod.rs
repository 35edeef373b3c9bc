//! Meta's webhook payload: tolerant serde models, [`parse_webhook`] and normalisation.
//!
//! The models follow the reference (`docs/whatsapp-cloud-api.md` §2–§4): `entry[] → changes[] →
//! value.{metadata, contacts[], messages[], statuses[], errors[]}`. Unknown fields are ignored, an
//! unknown message `type` is [`InboundKind::Unsupported`](hotel_domain::InboundKind::Unsupported),
//! and list elements that cannot be read are dropped and counted ([`LenientVec`]).

mod attachment;
mod content;
mod lenient;
mod message;
mod normalise;
mod status;

use chrono::{DateTime, Utc};
use serde::Deserialize;

pub use content::{
    ButtonBody, ContactAddress, ContactEmail, ContactName, ContactOrg, ContactPhone, ContactUrl,
    FlowReply, InteractiveBody, InteractiveChoice, LocationBody, MediaBody, MessageContext,
    OrderBody, OrderItem, ReactionBody, Referral, SharedContact, SystemBody, TextBody,
    UnsupportedBody,
};
pub use lenient::LenientVec;
pub use message::WebhookMessage;
pub use normalise::Normalised;
pub use status::{ErrorData, GraphErrorObject, Pricing, StatusConversation, StatusUpdate};

/// The `object` of every WhatsApp Business Account webhook.
pub const WHATSAPP_OBJECT: &str = "whatsapp_business_account";
/// The `changes[].field` that carries messages and statuses; others are ignored.
pub const MESSAGES_FIELD: &str = "messages";

/// Why a webhook body was refused. Neither variant carries any of the body's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// Not JSON (or nested too deeply).
    #[error("webhook body is not valid JSON (line {line}, column {column})")]
    InvalidJson { line: usize, column: usize },
    /// Valid JSON, but not an object with a string `object` field.
    #[error("webhook body is JSON but not a webhook envelope")]
    NotAnEnvelope,
}

/// Result of parsing a webhook body.
pub type WebhookResult<T> = Result<T, WebhookError>;

/// Parses the raw body of a webhook POST (after its signature was checked).
///
/// One streaming pass into the models; every field takes any JSON value (see the `lenient` helpers),
/// so the only well-formed body that pass refuses is one with a repeated key, which is read again
/// through a `serde_json::Value` (the last of the repeated keys wins).
pub fn parse_webhook(raw: &[u8]) -> WebhookResult<WebhookPayload> {
    match serde_json::from_slice(raw) {
        Ok(payload) => Ok(payload),
        Err(error) if error.is_data() => {
            let value: serde_json::Value = serde_json::from_slice(raw).map_err(refusal)?;
            WebhookPayload::deserialize(value).map_err(refusal)
        }
        Err(error) => Err(refusal(error)),
    }
}

fn refusal(error: serde_json::Error) -> WebhookError {
    if error.is_data() {
        WebhookError::NotAnEnvelope
    } else {
        WebhookError::InvalidJson {
            line: error.line(),
            column: error.column(),
        }
    }
}

/// The whole POST body.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WebhookPayload {
    /// `whatsapp_business_account` for WhatsApp.
    pub object: String,
    #[serde(default)]
    pub entry: LenientVec<Entry>,
}

/// One WhatsApp Business Account's part of the payload.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Entry {
    /// The WABA id.
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(default)]
    pub changes: LenientVec<Change>,
}

/// One change notification; only `field == "messages"` is of interest.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Change {
    #[serde(default, deserialize_with = "lenient::string")]
    pub field: Option<String>,
    /// `None` when absent or shaped unlike a messages value (other fields carry other shapes).
    #[serde(default, deserialize_with = "lenient::object")]
    pub value: Option<ChangeValue>,
}

/// The `value` of a `messages` change.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ChangeValue {
    #[serde(default, deserialize_with = "lenient::string")]
    pub messaging_product: Option<String>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub metadata: Option<Metadata>,
    /// The senders' profiles.
    #[serde(default)]
    pub contacts: LenientVec<Contact>,
    #[serde(default)]
    pub messages: LenientVec<WebhookMessage>,
    #[serde(default)]
    pub statuses: LenientVec<StatusUpdate>,
    /// Out-of-band errors, with no message attached.
    #[serde(default)]
    pub errors: LenientVec<GraphErrorObject>,
}

/// The business number that received the messages.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Metadata {
    #[serde(default, deserialize_with = "lenient::string")]
    pub display_phone_number: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub phone_number_id: Option<String>,
}

/// A sender's profile (`value.contacts[]`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Contact {
    #[serde(default, deserialize_with = "lenient::object")]
    pub profile: Option<Profile>,
    /// The phone number without `+`; absent for some users with a username (2026).
    #[serde(default, deserialize_with = "lenient::string")]
    pub wa_id: Option<String>,
    /// The business-scoped user id (BSUID), e.g. `US.13491208655302741918`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub user_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub parent_user_id: Option<String>,
}

impl Contact {
    /// Whether this profile belongs to `sender` (by phone or by BSUID).
    pub fn is(&self, sender: &str) -> bool {
        self.wa_id.as_deref() == Some(sender) || self.user_id.as_deref() == Some(sender)
    }
}

/// The user-controlled WhatsApp profile.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Profile {
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub username: Option<String>,
}

/// Unix seconds (as Meta sends them, a decimal string) to a UTC time.
pub(crate) fn parse_unix_seconds(raw: Option<&str>) -> Option<DateTime<Utc>> {
    let seconds: i64 = raw?.trim().parse().ok()?;
    DateTime::from_timestamp(seconds, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_errors_carry_no_content() {
        assert!(matches!(
            parse_webhook(b"{\"object\":"),
            Err(WebhookError::InvalidJson { .. })
        ));
        assert!(matches!(
            parse_webhook(b"not json"),
            Err(WebhookError::InvalidJson { .. })
        ));
        assert_eq!(
            parse_webhook(br#""hola secreto""#),
            Err(WebhookError::NotAnEnvelope)
        );
        assert_eq!(parse_webhook(b"[]"), Err(WebhookError::NotAnEnvelope));
        assert_eq!(parse_webhook(b"{}"), Err(WebhookError::NotAnEnvelope));
        assert_eq!(
            parse_webhook(br#"{"object":1}"#),
            Err(WebhookError::NotAnEnvelope)
        );
        let message = WebhookError::NotAnEnvelope.to_string();
        assert!(!message.contains("hola"));
    }

    #[test]
    fn a_minimal_envelope_parses() {
        let payload = parse_webhook(br#"{"object":"whatsapp_business_account"}"#).unwrap();
        assert_eq!(payload.object, WHATSAPP_OBJECT);
        assert!(payload.entry.is_empty());
    }

    #[test]
    fn unix_seconds_parse() {
        let at = parse_unix_seconds(Some("1764064000")).unwrap();
        assert_eq!(at.timestamp(), 1_764_064_000);
        assert_eq!(
            parse_unix_seconds(Some(" 0 ")).map(|t| t.timestamp()),
            Some(0)
        );
        assert_eq!(parse_unix_seconds(Some("soon")), None);
        assert_eq!(parse_unix_seconds(Some("99999999999999999")), None);
        assert_eq!(parse_unix_seconds(None), None);
    }
}
