//! `value.statuses[]` (reference §4) and Graph error objects (§8).

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use hotel_domain::{DeliveryState, ProviderError};
use serde::Deserialize;

use super::lenient::{self, LenientVec};
use super::parse_unix_seconds;

/// A status callback about a message we sent.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct StatusUpdate<'a> {
    /// The `wamid` of our message.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub id: Option<Cow<'a, str>>,
    /// `sent`, `delivered`, `read` or `failed`; see [`StatusUpdate::state`].
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub status: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub recipient_id: Option<Cow<'a, str>>,
    /// The recipient's business-scoped user id (2026).
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub recipient_user_id: Option<Cow<'a, str>>,
    /// The string attached on send, echoed back.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub biz_opaque_callback_data: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub pricing: Option<Pricing<'a>>,
    /// Left-over of conversation-based pricing; mostly omitted from v24.0.
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub conversation: Option<StatusConversation<'a>>,
    #[serde(borrow, default)]
    pub errors: LenientVec<GraphErrorObject<'a>>,
}

impl StatusUpdate<'_> {
    /// The delivery state; `None` for a status this crate does not know.
    pub fn state(&self) -> Option<DeliveryState> {
        self.status.as_deref()?.parse().ok()
    }

    /// When the status changed, if the timestamp is readable.
    pub fn at(&self) -> Option<DateTime<Utc>> {
        parse_unix_seconds(self.timestamp.as_deref())
    }

    /// The recipient: phone number when Meta gives one, else the BSUID.
    pub fn recipient(&self) -> Option<&str> {
        let phone = self.recipient_id.as_deref().filter(|r| !r.is_empty());
        phone.or(self.recipient_user_id.as_deref().filter(|r| !r.is_empty()))
    }
}

/// Per-message pricing information.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Pricing<'a> {
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub billable: Option<bool>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub pricing_model: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub category: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<Cow<'a, str>>,
}

/// `conversation` of a status.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct StatusConversation<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub expiration_timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub origin: Option<ConversationOrigin<'a>>,
}

/// `conversation.origin`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ConversationOrigin<'a> {
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<Cow<'a, str>>,
}

/// An error object as it appears in `statuses[].errors[]`, `messages[].errors[]` and `value.errors[]`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct GraphErrorObject<'a> {
    #[serde(default, deserialize_with = "lenient::integer")]
    pub code: Option<i64>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub title: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub message: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub error_data: Option<ErrorData<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub href: Option<Cow<'a, str>>,
}

/// `error_data`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ErrorData<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub details: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub messaging_product: Option<Cow<'a, str>>,
}

impl GraphErrorObject<'_> {
    /// The domain form: a missing code is 0; the title falls back to the message; details come from
    /// `error_data.details`, else the message.
    pub fn to_provider_error(&self) -> ProviderError {
        let message = self.message.as_deref().filter(|m| !m.is_empty());
        let title = self
            .title
            .as_deref()
            .filter(|t| !t.is_empty())
            .or(message)
            .unwrap_or_default();
        let details = self
            .error_data
            .as_ref()
            .and_then(|data| data.details.as_deref())
            .filter(|d| !d.is_empty())
            .or(message);
        ProviderError {
            code: self.code.unwrap_or(0),
            title: title.to_owned(),
            details: details.map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_objects_map_to_provider_errors() {
        let full: GraphErrorObject<'_> = serde_json::from_str(
            r#"{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"24 hours"}}"#,
        )
        .unwrap();
        let mapped = full.to_provider_error();
        assert_eq!(mapped.code, 131_047);
        assert_eq!(mapped.title, "Re-engagement message");
        assert_eq!(mapped.details.as_deref(), Some("24 hours"));

        let bare: GraphErrorObject<'_> = serde_json::from_str(r#"{"message":"boom"}"#).unwrap();
        let mapped = bare.to_provider_error();
        assert_eq!(
            (
                mapped.code,
                mapped.title.as_str(),
                mapped.details.as_deref()
            ),
            (0, "boom", Some("boom"))
        );
    }

    #[test]
    fn unknown_status_has_no_state() {
        let status: StatusUpdate<'_> =
            serde_json::from_str(r#"{"id":"wamid.1","status":"deleted"}"#).unwrap();
        assert_eq!(status.state(), None);
        let status: StatusUpdate<'_> =
            serde_json::from_str(r#"{"id":"wamid.1","status":"read","recipient_user_id":"US.1"}"#)
                .unwrap();
        assert_eq!(status.state(), Some(DeliveryState::Read));
        assert_eq!(status.recipient(), Some("US.1"));
    }
}
