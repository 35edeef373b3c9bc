use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    Attachment, Choice, GeoPoint, MediaKind, MediaSource, TemplateComponent, TenantId, WaId,
};

/// What kind of message a guest sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboundKind {
    Text,
    Image,
    Audio,
    Video,
    Document,
    Sticker,
    Location,
    Contacts,
    Interactive,
    Button,
    Reaction,
    Order,
    System,
    Unsupported,
}

impl InboundKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InboundKind::Text => "text",
            InboundKind::Image => "image",
            InboundKind::Audio => "audio",
            InboundKind::Video => "video",
            InboundKind::Document => "document",
            InboundKind::Sticker => "sticker",
            InboundKind::Location => "location",
            InboundKind::Contacts => "contacts",
            InboundKind::Interactive => "interactive",
            InboundKind::Button => "button",
            InboundKind::Reaction => "reaction",
            InboundKind::Order => "order",
            InboundKind::System => "system",
            InboundKind::Unsupported => "unsupported",
        }
    }

    /// Whether a message of this kind ever deserves an answer.
    pub fn expects_reply(self) -> bool {
        !matches!(self, InboundKind::Reaction | InboundKind::System)
    }
}

impl std::str::FromStr for InboundKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "text" => InboundKind::Text,
            "image" => InboundKind::Image,
            "audio" => InboundKind::Audio,
            "video" => InboundKind::Video,
            "document" => InboundKind::Document,
            "sticker" => InboundKind::Sticker,
            "location" => InboundKind::Location,
            "contacts" => InboundKind::Contacts,
            "interactive" => InboundKind::Interactive,
            "button" => InboundKind::Button,
            "reaction" => InboundKind::Reaction,
            "order" => InboundKind::Order,
            "system" => InboundKind::System,
            "unsupported" => InboundKind::Unsupported,
            other => return Err(format!("unknown inbound kind `{other}`")),
        })
    }
}

/// One message from a guest, normalised from the channel's format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboundMessage {
    pub tenant_id: TenantId,
    /// The business number that received it (`metadata.phone_number_id`).
    pub phone_number_id: String,
    /// The provider's message id (`wamid.…`), unique per tenant.
    pub provider_message_id: String,
    pub from: WaId,
    /// The WhatsApp profile name, user-controlled.
    pub profile_name: Option<String>,
    pub kind: InboundKind,
    /// The text, caption or interactive title, when there is one.
    pub text: Option<String>,
    /// The id of an interactive reply or template button payload.
    pub reply_id: Option<String>,
    /// The quoted message (`context.id`), or the reacted-to message of a reaction.
    pub context_message_id: Option<String>,
    /// The media, location or contact cards that came with the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    pub sent_at: DateTime<Utc>,
}

/// The body of a message to a guest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OutboundBody {
    /// Plain text; `preview_url` renders the first link.
    Text { body: String, preview_url: bool },
    /// A file by uploaded id or public link; audio and stickers take no caption.
    Media {
        kind: MediaKind,
        source: MediaSource,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caption: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filename: Option<String>,
    },
    /// A map pin.
    Location(GeoPoint),
    /// A question with options; the channel shows it as reply buttons or as a list.
    Choices {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        header: Option<String>,
        body: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        footer: Option<String>,
        /// The label of the button that opens a list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        button: Option<String>,
        choices: Vec<Choice>,
    },
    /// A link button (for example a payment link).
    LinkButton {
        body: String,
        display_text: String,
        url: String,
    },
    /// A reaction to a guest's message; an empty emoji removes it.
    Reaction { message_id: String, emoji: String },
    /// An approved template: the only kind allowed outside the customer-service window.
    Template {
        name: String,
        /// The approved language code, e.g. `es_AR`.
        language: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        components: Vec<TemplateComponent>,
    },
}

impl OutboundBody {
    /// The body's type name, for logs and metrics.
    pub fn kind_name(&self) -> &'static str {
        match self {
            OutboundBody::Text { .. } => "text",
            OutboundBody::Media { kind, .. } => kind.as_str(),
            OutboundBody::Location(_) => "location",
            OutboundBody::Choices { .. } => "choices",
            OutboundBody::LinkButton { .. } => "link_button",
            OutboundBody::Reaction { .. } => "reaction",
            OutboundBody::Template { .. } => "template",
        }
    }

    /// Whether it may be sent outside the 24-hour customer-service window.
    pub fn allowed_outside_window(&self) -> bool {
        matches!(self, OutboundBody::Template { .. })
    }
}

/// One message to a guest, as the orchestrator produces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboundMessage {
    pub to: WaId,
    pub body: OutboundBody,
    /// The guest's message this one answers (shown as a quoted reply when set).
    pub reply_to: Option<String>,
}

impl OutboundMessage {
    pub fn text(to: WaId, body: impl Into<String>) -> Self {
        Self {
            to,
            body: OutboundBody::Text {
                body: body.into(),
                preview_url: false,
            },
            reply_to: None,
        }
    }
}

/// The delivery state of a message we sent, as the provider reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Sent,
    Delivered,
    Read,
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Sent => "sent",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Read => "read",
            DeliveryState::Failed => "failed",
        }
    }
}

impl std::str::FromStr for DeliveryState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "sent" => DeliveryState::Sent,
            "delivered" => DeliveryState::Delivered,
            "read" => DeliveryState::Read,
            "failed" => DeliveryState::Failed,
            other => return Err(format!("unknown delivery state `{other}`")),
        })
    }
}

/// An error object from the provider (code, title, details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderError {
    pub code: i64,
    pub title: String,
    pub details: Option<String>,
}

/// A status callback about a message we sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryStatus {
    pub phone_number_id: String,
    /// The provider's id of our message (`wamid.…`).
    pub provider_message_id: String,
    pub state: DeliveryState,
    pub recipient: Option<String>,
    pub at: DateTime<Utc>,
    pub errors: Vec<ProviderError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in [
            InboundKind::Text,
            InboundKind::Image,
            InboundKind::Audio,
            InboundKind::Video,
            InboundKind::Document,
            InboundKind::Sticker,
            InboundKind::Location,
            InboundKind::Contacts,
            InboundKind::Interactive,
            InboundKind::Button,
            InboundKind::Reaction,
            InboundKind::Order,
            InboundKind::System,
            InboundKind::Unsupported,
        ] {
            assert_eq!(kind.as_str().parse::<InboundKind>(), Ok(kind));
        }
        assert!("poll".parse::<InboundKind>().is_err());
        assert!(!InboundKind::Reaction.expects_reply());
        assert!(InboundKind::Text.expects_reply());
    }

    #[test]
    fn delivery_states_are_ordered_and_named() {
        assert!(DeliveryState::Sent < DeliveryState::Delivered);
        assert!(DeliveryState::Delivered < DeliveryState::Read);
        for s in [
            DeliveryState::Sent,
            DeliveryState::Delivered,
            DeliveryState::Read,
            DeliveryState::Failed,
        ] {
            assert_eq!(s.as_str().parse::<DeliveryState>(), Ok(s));
        }
        assert!("queued".parse::<DeliveryState>().is_err());
    }

    #[test]
    fn text_builder_sets_body() {
        let m = OutboundMessage::text(WaId::new("1"), "hola");
        assert_eq!(
            m.body,
            OutboundBody::Text {
                body: "hola".into(),
                preview_url: false
            }
        );
    }
}
