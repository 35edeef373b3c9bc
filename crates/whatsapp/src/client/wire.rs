//! JSON bodies of `POST /{phone_number_id}/messages` (reference §5) and its answers.
//!
//! These types only mirror Meta's shapes; [`crate::outbound`] builds them within Meta's limits.

use serde::{Deserialize, Serialize};

/// The request body of a send, borrowing a prepared message.
#[derive(Debug, Serialize)]
pub struct SendBody<'a> {
    messaging_product: &'static str,
    recipient_type: &'static str,
    to: &'a str,
    #[serde(flatten)]
    content: &'a Content,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<ReplyContext<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    biz_opaque_callback_data: Option<&'a str>,
}

impl<'a> SendBody<'a> {
    pub(crate) fn new(
        to: &'a str,
        content: &'a Content,
        reply_to: Option<&'a str>,
        callback_data: Option<&'a str>,
    ) -> Self {
        SendBody {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to,
            content,
            context: reply_to.map(|message_id| ReplyContext { message_id }),
            biz_opaque_callback_data: callback_data,
        }
    }
}

#[derive(Debug, Serialize)]
struct ReplyContext<'a> {
    message_id: &'a str,
}

/// The body of a mark-as-read call, with the optional typing indicator.
#[derive(Debug, Serialize)]
pub(crate) struct ReadBody<'a> {
    messaging_product: &'static str,
    status: &'static str,
    message_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    typing_indicator: Option<TypingIndicator>,
}

#[derive(Debug, Serialize)]
struct TypingIndicator {
    #[serde(rename = "type")]
    kind: &'static str,
}

impl<'a> ReadBody<'a> {
    pub(crate) fn new(message_id: &'a str, typing: bool) -> Self {
        ReadBody {
            messaging_product: "whatsapp",
            status: "read",
            message_id,
            typing_indicator: typing.then_some(TypingIndicator { kind: "text" }),
        }
    }
}

/// `"type"` and its payload.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Content {
    Text { text: Text },
    Image { image: Media },
    Audio { audio: Media },
    Video { video: Media },
    Document { document: Media },
    Sticker { sticker: Media },
    Location { location: Location },
    Interactive { interactive: Interactive },
    Reaction { reaction: Reaction },
    Template { template: Template },
}

impl Content {
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Content::Text { .. } => "text",
            Content::Image { .. } => "image",
            Content::Audio { .. } => "audio",
            Content::Video { .. } => "video",
            Content::Document { .. } => "document",
            Content::Sticker { .. } => "sticker",
            Content::Location { .. } => "location",
            Content::Interactive {
                interactive: Interactive::Button { .. },
            } => "reply_buttons",
            Content::Interactive {
                interactive: Interactive::List { .. },
            } => "list",
            Content::Interactive {
                interactive: Interactive::CtaUrl { .. },
            } => "cta_url",
            Content::Reaction { .. } => "reaction",
            Content::Template { .. } => "template",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Text {
    pub(crate) body: String,
    pub(crate) preview_url: bool,
}

/// A file by uploaded `id` or public `link`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Media {
    #[serde(flatten)]
    pub(crate) source: MediaSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) caption: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) filename: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum MediaSource {
    Id(String),
    Link(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Location {
    pub(crate) latitude: f64,
    pub(crate) longitude: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Interactive {
    Button {
        #[serde(skip_serializing_if = "Option::is_none")]
        header: Option<Header>,
        body: BodyText,
        #[serde(skip_serializing_if = "Option::is_none")]
        footer: Option<BodyText>,
        action: ButtonAction,
    },
    List {
        #[serde(skip_serializing_if = "Option::is_none")]
        header: Option<Header>,
        body: BodyText,
        #[serde(skip_serializing_if = "Option::is_none")]
        footer: Option<BodyText>,
        action: ListAction,
    },
    CtaUrl {
        body: BodyText,
        action: CtaAction,
    },
}

/// A text header: `{"type":"text","text":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Header {
    Text { text: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct BodyText {
    pub(crate) text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ButtonAction {
    pub(crate) buttons: Vec<ReplyButton>,
}

/// `{"type":"reply","reply":{"id","title"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ReplyButton {
    Reply { reply: Reply },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Reply {
    pub(crate) id: String,
    pub(crate) title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ListAction {
    pub(crate) button: String,
    pub(crate) sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Section {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<String>,
    pub(crate) rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CtaAction {
    pub(crate) name: &'static str,
    pub(crate) parameters: CtaParameters,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CtaParameters {
    pub(crate) display_text: String,
    pub(crate) url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Reaction {
    pub(crate) message_id: String,
    pub(crate) emoji: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Template {
    pub(crate) name: String,
    pub(crate) language: TemplateLanguage,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) components: Vec<Component>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TemplateLanguage {
    pub(crate) code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Component {
    Header {
        parameters: Vec<Parameter>,
    },
    Body {
        parameters: Vec<Parameter>,
    },
    Button {
        sub_type: String,
        /// Meta wants the index as a string: `"0"`.
        index: String,
        parameters: Vec<Parameter>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Parameter {
    Text {
        text: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        parameter_name: Option<String>,
    },
    Payload {
        payload: String,
    },
    Image {
        image: Media,
    },
    Video {
        video: Media,
    },
    Document {
        document: Media,
    },
}

/// A success answer: `{"messages":[{"id":"wamid…"}], …}`.
#[derive(Debug, Deserialize)]
pub(super) struct SendAnswer {
    #[serde(default)]
    messages: Vec<SentId>,
}

#[derive(Debug, Deserialize)]
struct SentId {
    #[serde(default)]
    id: Option<String>,
}

impl SendAnswer {
    pub(super) fn message_id(self) -> Option<String> {
        self.messages
            .into_iter()
            .next()?
            .id
            .filter(|id| !id.is_empty())
    }
}

/// The answer to a mark-as-read call: `{"success":true}`.
#[derive(Debug, Deserialize)]
pub(super) struct SuccessAnswer {
    #[serde(default)]
    pub(super) success: bool,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn text_body_has_the_documented_shape() {
        let content = Content::Text {
            text: Text {
                body: "hola".into(),
                preview_url: false,
            },
        };
        let plain =
            serde_json::to_value(SendBody::new("5491155550000", &content, None, None)).unwrap();
        assert_eq!(
            plain,
            json!({"messaging_product":"whatsapp","recipient_type":"individual","to":"5491155550000",
                   "type":"text","text":{"body":"hola","preview_url":false}})
        );
        let reply = serde_json::to_value(SendBody::new(
            "5491155550000",
            &content,
            Some("wamid.in"),
            Some("outbox-7"),
        ))
        .unwrap();
        assert_eq!(reply["context"], json!({"message_id":"wamid.in"}));
        assert_eq!(reply["biz_opaque_callback_data"], json!("outbox-7"));
    }

    #[test]
    fn read_bodies() {
        assert_eq!(
            serde_json::to_value(ReadBody::new("wamid.in", false)).unwrap(),
            json!({"messaging_product":"whatsapp","status":"read","message_id":"wamid.in"})
        );
        assert_eq!(
            serde_json::to_value(ReadBody::new("wamid.in", true)).unwrap(),
            json!({"messaging_product":"whatsapp","status":"read","message_id":"wamid.in",
                   "typing_indicator":{"type":"text"}})
        );
    }

    #[test]
    fn answers_parse() {
        let ok: SendAnswer = serde_json::from_str(r#"{"messages":[{"id":"wamid.X"}]}"#).unwrap();
        assert_eq!(ok.message_id().as_deref(), Some("wamid.X"));
        let empty: SendAnswer = serde_json::from_str(r#"{"messages":[]}"#).unwrap();
        assert_eq!(empty.message_id(), None);
        let read: SuccessAnswer = serde_json::from_str(r#"{"success":true}"#).unwrap();
        assert!(read.success);
        let odd: SuccessAnswer = serde_json::from_str("{}").unwrap();
        assert!(!odd.success);
    }
}
