//! Channel-neutral message content: what a guest attached, and what we send back.

use serde::{Deserialize, Serialize};

/// The media kinds WhatsApp carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Image,
    Audio,
    Video,
    Document,
    Sticker,
}

impl MediaKind {
    pub const ALL: [MediaKind; 5] = [
        MediaKind::Image,
        MediaKind::Audio,
        MediaKind::Video,
        MediaKind::Document,
        MediaKind::Sticker,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Audio => "audio",
            MediaKind::Video => "video",
            MediaKind::Document => "document",
            MediaKind::Sticker => "sticker",
        }
    }
}

/// A file a guest sent: the provider's media id and what the webhook said about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRef {
    pub kind: MediaKind,
    /// The provider's media id, for the two-step download.
    pub id: String,
    /// A ready-to-download URL, when the provider sent one (it still needs the bearer token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Hex or base64 SHA-256 as the provider sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Documents only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Audio: a recorded voice note rather than a shared file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub voice: bool,
    /// Stickers: animated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub animated: bool,
}

/// A point on the map, with the place's name and address when one was shared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A contact card a guest shared.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContactCard {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
}

/// What came with a guest's message besides its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Attachment {
    Media(MediaRef),
    Location(GeoPoint),
    Contacts { contacts: Vec<ContactCard> },
}

/// Where the provider fetches a file we send: an uploaded media id or a public HTTPS link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaSource {
    Id(String),
    Link(String),
}

/// One option of a choice: its machine id, a short title and an optional description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Choice {
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            description: None,
        }
    }

    pub fn described(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// A parameter of a template component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TemplateParameter {
    /// A `{{n}}` value; `parameter_name` for templates with named variables.
    Text {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parameter_name: Option<String>,
    },
    /// A quick-reply button's payload (comes back as a `button` message).
    Payload {
        payload: String,
    },
    Image {
        source: MediaSource,
    },
    Video {
        source: MediaSource,
    },
    Document {
        source: MediaSource,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filename: Option<String>,
    },
}

/// Which part of a template a component fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TemplateComponent {
    Header {
        parameters: Vec<TemplateParameter>,
    },
    Body {
        parameters: Vec<TemplateParameter>,
    },
    /// A button at `index`; `sub_type` is `quick_reply` or `url`.
    Button {
        sub_type: String,
        index: u8,
        parameters: Vec<TemplateParameter>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OutboundBody;

    #[test]
    fn attachments_round_trip_as_tagged_json() {
        let media = Attachment::Media(MediaRef {
            kind: MediaKind::Audio,
            id: "123".into(),
            url: None,
            mime_type: Some("audio/ogg; codecs=opus".into()),
            sha256: None,
            filename: None,
            voice: true,
            animated: false,
        });
        let json = serde_json::to_string(&media).unwrap();
        assert_eq!(
            json,
            r#"{"type":"media","kind":"audio","id":"123","mime_type":"audio/ogg; codecs=opus","voice":true}"#
        );
        assert_eq!(serde_json::from_str::<Attachment>(&json).unwrap(), media);
        let pin = Attachment::Location(GeoPoint {
            latitude: -34.6,
            longitude: -58.38,
            name: None,
            address: None,
        });
        let json = serde_json::to_string(&pin).unwrap();
        assert_eq!(serde_json::from_str::<Attachment>(&json).unwrap(), pin);
    }

    #[test]
    fn outbound_bodies_round_trip_and_name_themselves() {
        let bodies = [
            OutboundBody::Text {
                body: "hola".into(),
                preview_url: false,
            },
            OutboundBody::Media {
                kind: MediaKind::Image,
                source: MediaSource::Link("https://example.com/a.jpg".into()),
                caption: Some("Piscina".into()),
                filename: None,
            },
            OutboundBody::Choices {
                header: None,
                body: "¿Cuál?".into(),
                footer: None,
                button: Some("Ver".into()),
                choices: vec![Choice::new("a", "A").described("la primera")],
            },
            OutboundBody::Template {
                name: "followup".into(),
                language: "es_AR".into(),
                components: vec![TemplateComponent::Body {
                    parameters: vec![TemplateParameter::Text {
                        text: "Ana".into(),
                        parameter_name: None,
                    }],
                }],
            },
        ];
        for body in bodies {
            let json = serde_json::to_string(&body).unwrap();
            assert_eq!(serde_json::from_str::<OutboundBody>(&json).unwrap(), body);
        }
        assert!(
            OutboundBody::Template {
                name: "t".into(),
                language: "es".into(),
                components: vec![]
            }
            .allowed_outside_window()
        );
        assert!(
            !OutboundBody::Reaction {
                message_id: "w".into(),
                emoji: "👍".into()
            }
            .allowed_outside_window()
        );
        assert_eq!(MediaKind::ALL.map(MediaKind::as_str).len(), 5);
    }
}
