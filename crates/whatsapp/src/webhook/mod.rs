//! Meta's webhook payload: tolerant serde models, [`parse_webhook`] and normalisation.
//!
//! The models follow the reference (`docs/whatsapp-cloud-api.md` §2–§4): `entry[] → changes[] →
//! value.{metadata, contacts[], messages[], statuses[], errors[]}`. Unknown fields are ignored, an
//! unknown message `type` is [`InboundKind::Unsupported`](hotel_domain::InboundKind::Unsupported),
//! and list elements that cannot be read are dropped and counted ([`LenientVec`]).

use std::borrow::Cow;

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
pub fn parse_webhook(raw: &[u8]) -> WebhookResult<WebhookPayload<'_>> {
    // One UTF-8 check of the whole body is cheaper than serde_json's check of every string and key.
    let text = std::str::from_utf8(raw).map_err(|error| {
        let before = raw.get(..error.valid_up_to()).unwrap_or_default();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        WebhookError::InvalidJson {
            line: before.iter().filter(|&&b| b == b'\n').count() + 1,
            column: before.len() - line_start + 1,
        }
    })?;
    match serde_json::from_str(text) {
        Ok(payload) => Ok(payload),
        Err(error) if error.is_data() => {
            let value: serde_json::Value = serde_json::from_str(text).map_err(refusal)?;
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
pub struct WebhookPayload<'a> {
    /// `whatsapp_business_account` for WhatsApp.
    pub object: String,
    #[serde(borrow, default)]
    pub entry: LenientVec<Entry<'a>>,
}

/// One WhatsApp Business Account's part of the payload.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Entry<'a> {
    /// The WABA id.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub changes: LenientVec<Change<'a>>,
}

/// One change notification; only `field == "messages"` is of interest.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Change<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub field: Option<Cow<'a, str>>,
    /// `None` when absent or shaped unlike a messages value (other fields carry other shapes).
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub value: Option<ChangeValue<'a>>,
}

/// The `value` of a `messages` change.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ChangeValue<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub messaging_product: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub metadata: Option<Metadata<'a>>,
    /// The senders' profiles.
    #[serde(borrow, default)]
    pub contacts: LenientVec<Contact<'a>>,
    #[serde(borrow, default)]
    pub messages: LenientVec<WebhookMessage<'a>>,
    #[serde(borrow, default)]
    pub statuses: LenientVec<StatusUpdate<'a>>,
    /// Out-of-band errors, with no message attached.
    #[serde(borrow, default)]
    pub errors: LenientVec<GraphErrorObject<'a>>,
}

/// The business number that received the messages.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Metadata<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub display_phone_number: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub phone_number_id: Option<Cow<'a, str>>,
}

/// A sender's profile (`value.contacts[]`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Contact<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub profile: Option<Profile<'a>>,
    /// The phone number without `+`; absent for some users with a username (2026).
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub wa_id: Option<Cow<'a, str>>,
    /// The business-scoped user id (BSUID), e.g. `US.13491208655302741918`.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub user_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub parent_user_id: Option<Cow<'a, str>>,
}

impl Contact<'_> {
    /// Whether this profile belongs to `sender` (by phone or by BSUID).
    pub fn is(&self, sender: &str) -> bool {
        self.wa_id.as_deref() == Some(sender) || self.user_id.as_deref() == Some(sender)
    }
}

/// The user-controlled WhatsApp profile.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Profile<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub username: Option<Cow<'a, str>>,
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
        assert_eq!(
            parse_webhook(b"{\"object\":\n  \"\xff\"}"),
            Err(WebhookError::InvalidJson { line: 2, column: 4 })
        );
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
