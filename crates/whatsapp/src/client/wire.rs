//! JSON bodies of `POST /{phone_number_id}/messages` (reference §5) and its answers (§8).

use hotel_domain::{OutboundBody, OutboundMessage};
use serde::{Deserialize, Serialize};

/// The request body.
#[derive(Debug, Serialize)]
pub(super) struct SendBody<'a> {
    messaging_product: &'static str,
    recipient_type: &'static str,
    to: &'a str,
    #[serde(flatten)]
    content: Content<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<ReplyContext<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    biz_opaque_callback_data: Option<&'a str>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Content<'a> {
    Text { text: Text<'a> },
}

#[derive(Debug, Serialize)]
struct Text<'a> {
    body: &'a str,
    preview_url: bool,
}

#[derive(Debug, Serialize)]
struct ReplyContext<'a> {
    message_id: &'a str,
}

impl<'a> SendBody<'a> {
    pub(super) fn new(message: &'a OutboundMessage, callback_data: Option<&'a str>) -> Option<Self> {
        let content = match &message.body {
            OutboundBody::Text { body, preview_url } => Content::Text {
                text: Text {
                    body,
                    preview_url: *preview_url,
                },
            },
            _ => return None,
        };
        Some(SendBody {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: message.to.as_str(),
            content,
            context: message
                .reply_to
                .as_deref()
                .filter(|id| !id.is_empty())
                .map(|message_id| ReplyContext { message_id }),
            biz_opaque_callback_data: callback_data,
        })
    }
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

/// An error answer: `{"error":{"message","type","code","error_data","fbtrace_id"}}`.
#[derive(Debug, Deserialize)]
pub(super) struct ErrorAnswer {
    pub(super) error: GraphError,
}

#[derive(Debug, Deserialize)]
pub(super) struct GraphError {
    pub(super) code: i64,
    #[serde(default)]
    pub(super) message: Option<String>,
    #[serde(default)]
    pub(super) fbtrace_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use hotel_domain::WaId;
    use serde_json::json;

    use super::*;

    #[test]
    fn text_body_has_the_documented_shape() {
        let mut message = OutboundMessage::text(WaId::new("5491155550000"), "hola");
        let plain = serde_json::to_value(SendBody::new(&message, None)).unwrap();
        assert_eq!(
            plain,
            json!({"messaging_product":"whatsapp","recipient_type":"individual","to":"5491155550000",
                   "type":"text","text":{"body":"hola","preview_url":false}})
        );
        message.reply_to = Some("wamid.in".into());
        let reply = serde_json::to_value(SendBody::new(&message, Some("outbox-7"))).unwrap();
        assert_eq!(reply["context"], json!({"message_id":"wamid.in"}));
        assert_eq!(reply["biz_opaque_callback_data"], json!("outbox-7"));
    }

    #[test]
    fn answers_parse() {
        let ok: SendAnswer = serde_json::from_str(r#"{"messages":[{"id":"wamid.X"}]}"#).unwrap();
        assert_eq!(ok.message_id().as_deref(), Some("wamid.X"));
        let empty: SendAnswer = serde_json::from_str(r#"{"messages":[]}"#).unwrap();
        assert_eq!(empty.message_id(), None);
        let err: ErrorAnswer =
            serde_json::from_str(r#"{"error":{"code":190,"message":"expired"}}"#).unwrap();
        assert_eq!((err.error.code, err.error.fbtrace_id), (190, None));
    }
}
