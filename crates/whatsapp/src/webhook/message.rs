//! One element of `value.messages[]`.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use hotel_domain::InboundKind;
use serde::Deserialize;

use super::content::{
    ButtonBody, InteractiveBody, LocationBody, MediaBody, MessageContext, OrderBody, ReactionBody,
    Referral, SharedContact, SystemBody, TextBody, UnsupportedBody,
};
use super::lenient::{self, LenientVec};
use super::parse_unix_seconds;
use super::status::GraphErrorObject;

/// An inbound message as Meta sends it: the shared fields plus whichever type-specific body matches
/// `type` (the others stay `None`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct WebhookMessage<'a> {
    /// The sender's phone number without `+`; can be absent for users with a username (2026).
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub from: Option<Cow<'a, str>>,
    /// The sender's business-scoped user id, when Meta sends one on the message itself.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub from_user_id: Option<Cow<'a, str>>,
    /// The `wamid`.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub id: Option<Cow<'a, str>>,
    /// Unix seconds, as a string.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub timestamp: Option<Cow<'a, str>>,
    /// The raw `type`; see [`WebhookMessage::kind`].
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind_name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub context: Option<Box<MessageContext<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub referral: Option<Box<Referral<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub text: Option<Box<TextBody<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub image: Option<Box<MediaBody<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub audio: Option<Box<MediaBody<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub video: Option<Box<MediaBody<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub document: Option<Box<MediaBody<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub sticker: Option<Box<MediaBody<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub location: Option<Box<LocationBody<'a>>>,
    /// Shared contact cards (`type: contacts`), not the sender's profile.
    #[serde(borrow, default)]
    pub contacts: LenientVec<SharedContact<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub interactive: Option<Box<InteractiveBody<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub button: Option<Box<ButtonBody<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub reaction: Option<Box<ReactionBody<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub order: Option<Box<OrderBody<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub system: Option<Box<SystemBody<'a>>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub unsupported: Option<Box<UnsupportedBody<'a>>>,
    /// Present on `unsupported` messages (131051, 131060).
    #[serde(borrow, default)]
    pub errors: LenientVec<GraphErrorObject<'a>>,
}

impl WebhookMessage<'_> {
    /// The message kind; a missing or unknown `type` is [`InboundKind::Unsupported`].
    pub fn kind(&self) -> InboundKind {
        self.kind_name
            .as_deref()
            .and_then(|name| name.parse().ok())
            .unwrap_or(InboundKind::Unsupported)
    }

    /// When the user sent it, if the timestamp is readable.
    pub fn sent_at(&self) -> Option<DateTime<Utc>> {
        parse_unix_seconds(self.timestamp.as_deref())
    }

    /// The sender as the message itself names it (`from`, else `from_user_id`); the envelope's
    /// `contacts[]` may name it when both are absent.
    pub fn sender(&self) -> Option<&str> {
        non_empty(self.from.as_deref()).or(non_empty(self.from_user_id.as_deref()))
    }

    /// The media body of an image, audio, video, document or sticker message.
    pub fn media(&self) -> Option<&MediaBody<'_>> {
        match self.kind() {
            InboundKind::Image => self.image.as_deref(),
            InboundKind::Audio => self.audio.as_deref(),
            InboundKind::Video => self.video.as_deref(),
            InboundKind::Document => self.document.as_deref(),
            InboundKind::Sticker => self.sticker.as_deref(),
            _ => None,
        }
    }

    /// The human-readable text: text body, caption, button or row title, Flow body, place
    /// name and address, reaction emoji, order text or system notice.
    pub fn text_content(&self) -> Option<String> {
        let text = match self.kind() {
            InboundKind::Text => self.text.as_ref().and_then(|t| t.body.as_deref()),
            InboundKind::Image | InboundKind::Video | InboundKind::Document => {
                self.media().and_then(|m| m.caption.as_deref())
            }
            InboundKind::Interactive => self.interactive.as_deref().and_then(interactive_text),
            InboundKind::Button => self.button.as_ref().and_then(|b| b.text.as_deref()),
            InboundKind::Location => return self.location.as_deref().and_then(location_text),
            InboundKind::Reaction => self.reaction.as_ref().and_then(|r| r.emoji.as_deref()),
            InboundKind::Order => self.order.as_ref().and_then(|o| o.text.as_deref()),
            InboundKind::System => self.system.as_ref().and_then(|s| s.body.as_deref()),
            InboundKind::Audio
            | InboundKind::Sticker
            | InboundKind::Contacts
            | InboundKind::Unsupported => None,
        };
        non_empty(text).map(str::to_owned)
    }

    /// The machine-readable answer: reply-button or list-row id, template button payload, Flow
    /// `response_json`; for `system` messages, the user's new id.
    pub fn reply_id(&self) -> Option<&str> {
        let id = match self.kind() {
            InboundKind::Interactive => self.interactive.as_deref().and_then(interactive_reply_id),
            InboundKind::Button => self.button.as_ref().and_then(|b| b.payload.as_deref()),
            InboundKind::System => self.system.as_deref().and_then(SystemBody::new_id),
            _ => None,
        };
        non_empty(id)
    }

    /// The message this one refers to: the reacted-to message for reactions, else `context.id`.
    pub fn context_message_id(&self) -> Option<&str> {
        let reacted = match self.kind() {
            InboundKind::Reaction => self
                .reaction
                .as_ref()
                .and_then(|r| non_empty(r.message_id.as_deref())),
            _ => None,
        };
        reacted.or_else(|| non_empty(self.context.as_ref()?.id.as_deref()))
    }
}

fn interactive_text<'b>(body: &'b InteractiveBody<'_>) -> Option<&'b str> {
    match body.kind.as_deref() {
        Some("button_reply") => body.button_reply.as_ref()?.title.as_deref(),
        Some("list_reply") => body.list_reply.as_ref()?.title.as_deref(),
        Some("nfm_reply") => body.nfm_reply.as_ref()?.body.as_deref(),
        _ => None,
    }
}

fn interactive_reply_id<'b>(body: &'b InteractiveBody<'_>) -> Option<&'b str> {
    match body.kind.as_deref() {
        Some("button_reply") => body.button_reply.as_ref()?.id.as_deref(),
        Some("list_reply") => body.list_reply.as_ref()?.id.as_deref(),
        Some("nfm_reply") => body.nfm_reply.as_ref()?.response_json.as_deref(),
        _ => None,
    }
}

fn location_text(location: &LocationBody<'_>) -> Option<String> {
    let parts: Vec<&str> = [location.name.as_deref(), location.address.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(json: &str) -> WebhookMessage<'_> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn kind_falls_back_to_unsupported() {
        assert_eq!(message(r#"{"type":"text"}"#).kind(), InboundKind::Text);
        assert_eq!(
            message(r#"{"type":"poll"}"#).kind(),
            InboundKind::Unsupported
        );
        assert_eq!(message("{}").kind(), InboundKind::Unsupported);
    }

    #[test]
    fn a_body_of_the_wrong_shape_does_not_lose_the_message() {
        let m = message(r#"{"id":"wamid.1","type":"image","image":"oops"}"#);
        assert_eq!(m.kind(), InboundKind::Image);
        assert_eq!(m.media(), None);
        assert_eq!(m.text_content(), None);
    }

    #[test]
    fn the_text_follows_the_type_not_stray_bodies() {
        let m =
            message(r#"{"type":"audio","text":{"body":"stray"},"audio":{"id":"1","voice":true}}"#);
        assert_eq!(m.text_content(), None);
        assert_eq!(m.media().and_then(|m| m.voice), Some(true));
    }

    #[test]
    fn location_text_joins_name_and_address() {
        let m = message(
            r#"{"type":"location","location":{"latitude":1.5,"longitude":2,"name":"Hotel","address":" Av. 1 "}}"#,
        );
        assert_eq!(m.text_content().as_deref(), Some("Hotel, Av. 1"));
        let pin = message(r#"{"type":"location","location":{"latitude":1.5,"longitude":2}}"#);
        assert_eq!(pin.text_content(), None);
    }

    #[test]
    fn removed_reaction_has_no_text_but_keeps_its_target() {
        let m = message(
            r#"{"type":"reaction","context":{"id":"wamid.c"},"reaction":{"message_id":"wamid.r","emoji":""}}"#,
        );
        assert_eq!(m.text_content(), None);
        assert_eq!(m.context_message_id(), Some("wamid.r"));
    }

    #[test]
    fn system_reply_id_is_the_new_id_in_either_field() {
        let new =
            message(r#"{"type":"system","system":{"type":"user_changed_number","wa_id":"222"}}"#);
        assert_eq!(new.reply_id(), Some("222"));
        let old = message(
            r#"{"type":"system","system":{"type":"customer_changed_number","new_wa_id":"333"}}"#,
        );
        assert_eq!(old.reply_id(), Some("333"));
    }

    #[test]
    fn sender_prefers_from_then_user_id() {
        assert_eq!(
            message(r#"{"from":"54911","from_user_id":"AR.1"}"#).sender(),
            Some("54911")
        );
        assert_eq!(
            message(r#"{"from":"","from_user_id":"AR.1"}"#).sender(),
            Some("AR.1")
        );
        assert_eq!(message("{}").sender(), None);
    }
}
