//! From the domain's [`OutboundMessage`] to the 1..n Cloud API messages that carry it, within
//! Meta's limits (reference §5), so that Meta never answers 400 for a length or a count.
//!
//! The outbox calls [`prepare`] once per row and sends the [`PreparedMessage`]s in order with
//! [`MessageSender::send_prepared`]. Lengths are counted in Unicode code points, as Meta does.
//!
//! What does not fit:
//!
//! - **Text** over 4096: split on paragraph, line, sentence, then word boundaries ([`split_text`]).
//! - **Choices**: reply buttons when there are at most 3, every title fits 20 and is unique, and no
//!   choice has a description (buttons cannot show one); otherwise a list. A list shows the first
//!   10 choices and drops the rest ([`Adjustment::ChoicesDropped`]): a second list would need its
//!   own question, and the guest can still type an answer. Titles, descriptions, header, footer
//!   and list button label are cut to their limit with `…`. Choice ids are never changed (they
//!   come back in the reply): an empty, padded, duplicate or over-long id is a [`BuildError`].
//! - **Bodies** of interactive messages over their limit (1024 for buttons and link buttons, 4096
//!   for lists): the beginning goes first as text, the interactive message carries the end.
//! - **Captions** over 1024, or on audio and stickers (which take none): the media goes without
//!   caption, followed by the caption as text.
//! - **Template text parameters**: line breaks and tabs become spaces and runs of more than four
//!   spaces shrink to one, which Meta otherwise refuses.
//!
//! Every change is reported in [`Prepared::adjustments`]; the quoted reply (`context`) goes on the
//! first message only.
//!
//! [`split_text`]: crate::split_text

mod choices;
mod media;
mod template;

use hotel_domain::{OutboundBody, OutboundMessage};

use crate::client::wire::{self, Content};
use crate::client::{
    Credentials, MAX_TEXT_CODE_POINTS, MessageSender, SendError, SendReceipt, SendResult,
};
use crate::split::{split_ranges, split_text, truncate};
use media::{check_link, document_filename, media_source};

/// Meta's limits, in Unicode code points unless said otherwise.
pub mod limits {
    /// Text body.
    pub const TEXT: usize = crate::client::MAX_TEXT_CODE_POINTS;
    /// Caption of an image, video or document.
    pub const CAPTION: usize = 1024;
    /// Reply buttons in one message.
    pub const BUTTONS: usize = 3;
    /// Title of a reply button.
    pub const BUTTON_TITLE: usize = 20;
    /// Id of a reply button.
    pub const BUTTON_ID: usize = 256;
    /// Body of a reply-buttons or link-button message.
    pub const BUTTONS_BODY: usize = 1024;
    /// Rows of a list, over all sections.
    pub const LIST_ROWS: usize = 10;
    /// Title of a list row.
    pub const ROW_TITLE: usize = 24;
    /// Description of a list row.
    pub const ROW_DESCRIPTION: usize = 72;
    /// Id of a list row.
    pub const ROW_ID: usize = 200;
    /// Label of the button that opens a list.
    pub const LIST_BUTTON: usize = 20;
    /// Body of a list message.
    pub const LIST_BODY: usize = 4096;
    /// Text header of an interactive message.
    pub const HEADER: usize = 60;
    /// Footer of an interactive message.
    pub const FOOTER: usize = 60;
    /// Label of a link (CTA URL) button.
    pub const LINK_BUTTON_TEXT: usize = 20;
}

/// The label of the button that opens a list when the message has none: short and understood
/// in Spanish, Portuguese, English, French, Italian and German alike.
pub const DEFAULT_LIST_BUTTON: &str = "Menu";

/// One Cloud API message, ready to send: valid and within Meta's limits.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedMessage {
    to: String,
    reply_to: Option<String>,
    content: Content,
}

/// What [`prepare`] made of one [`OutboundMessage`].
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The messages to send, in order (at least one).
    pub messages: Vec<PreparedMessage>,
    /// What had to change to fit Meta's limits; empty when nothing did.
    pub adjustments: Vec<Adjustment>,
}

/// A change [`prepare`] made to fit Meta's limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adjustment {
    /// `field` was too long for one message and went out in `messages` messages.
    Split {
        field: &'static str,
        messages: usize,
    },
    /// `field` was cut to `max` code points, ending with `…`.
    Truncated { field: &'static str, max: usize },
    /// A list shows at most 10 choices: the first `kept` went, `dropped` did not.
    ChoicesDropped { kept: usize, dropped: usize },
    /// The caption did not fit, or the media takes none: it followed the media as text.
    CaptionAsText,
    /// Line breaks, tabs or long runs of spaces were taken out of a template text parameter.
    ParameterCleaned,
}

/// Options of [`prepare_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepareOptions {
    /// The list button label when a [`OutboundBody::Choices`] without `button` becomes a list.
    pub list_button: String,
}

impl Default for PrepareOptions {
    fn default() -> Self {
        Self {
            list_button: DEFAULT_LIST_BUTTON.to_owned(),
        }
    }
}

/// Why a message cannot be sent at all (a bug in whatever produced it: retrying cannot help).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// No `to`.
    #[error("no recipient")]
    NoRecipient,
    /// A field that Meta requires is empty or blank.
    #[error("the {0} is empty")]
    Empty(&'static str),
    /// A choice id is padded, too long or repeated (ids come back in replies, so they are never
    /// changed).
    #[error("choice id {id:?} {reason}")]
    InvalidChoiceId { id: String, reason: &'static str },
    /// A link is not an absolute http(s) URL.
    #[error("the {0} is not an http(s) URL")]
    InvalidUrl(&'static str),
    /// Latitude outside -90..=90 or longitude outside -180..=180, or not a number.
    #[error("coordinates out of range")]
    InvalidCoordinates,
    /// [`PreparedMessage::single`] on a message that needs several.
    #[error("the message needs {0} WhatsApp messages; prepare it and send each")]
    NeedsSeveralMessages(usize),
}

impl From<BuildError> for SendError {
    fn from(error: BuildError) -> Self {
        SendError::InvalidRequest(error.to_string())
    }
}

/// [`prepare_with`] with the default options.
pub fn prepare(message: &OutboundMessage) -> Result<Prepared, BuildError> {
    prepare_with(message, &PrepareOptions::default())
}

/// The messages that carry `message`, in sending order, and what had to change to fit.
pub fn prepare_with(
    message: &OutboundMessage,
    options: &PrepareOptions,
) -> Result<Prepared, BuildError> {
    let to = message.to.as_str().trim();
    if to.is_empty() {
        return Err(BuildError::NoRecipient);
    }
    let mut adjustments = Vec::new();
    let contents = match &message.body {
        OutboundBody::Text { body, preview_url } => text(body, *preview_url, &mut adjustments)?,
        OutboundBody::Media {
            kind,
            source,
            caption,
            filename,
        } => media::prepare(
            *kind,
            source,
            caption.as_deref(),
            filename.as_deref(),
            &mut adjustments,
        )?,
        OutboundBody::Location(point) => {
            let valid = point.latitude.is_finite()
                && point.longitude.is_finite()
                && (-90.0..=90.0).contains(&point.latitude)
                && (-180.0..=180.0).contains(&point.longitude);
            if !valid {
                return Err(BuildError::InvalidCoordinates);
            }
            vec![Content::Location {
                location: wire::Location {
                    latitude: point.latitude,
                    longitude: point.longitude,
                    name: non_blank(point.name.as_deref()),
                    address: non_blank(point.address.as_deref()),
                },
            }]
        }
        OutboundBody::Choices {
            header,
            body,
            footer,
            button,
            choices,
        } => choices::prepare(
            choices::Question {
                header: header.as_deref(),
                body,
                footer: footer.as_deref(),
                button: button.as_deref(),
                choices,
            },
            options,
            &mut adjustments,
        )?,
        OutboundBody::LinkButton {
            body,
            display_text,
            url,
        } => link_button(body, display_text, url, &mut adjustments)?,
        OutboundBody::Reaction { message_id, emoji } => {
            let message_id = message_id.trim();
            if message_id.is_empty() {
                return Err(BuildError::Empty("reacted message id"));
            }
            vec![Content::Reaction {
                reaction: wire::Reaction {
                    message_id: message_id.to_owned(),
                    emoji: emoji.clone(),
                },
            }]
        }
        OutboundBody::Template {
            name,
            language,
            components,
        } => vec![template::prepare(
            name,
            language,
            components,
            &mut adjustments,
        )?],
    };
    // A reaction points at its message itself; everything else quotes on the first message.
    let reply_to = message
        .reply_to
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty() && !matches!(message.body, OutboundBody::Reaction { .. }));
    let messages = contents
        .into_iter()
        .enumerate()
        .map(|(index, content)| PreparedMessage {
            to: to.to_owned(),
            reply_to: reply_to.filter(|_| index == 0).map(str::to_owned),
            content,
        })
        .collect();
    Ok(Prepared {
        messages,
        adjustments,
    })
}

impl PreparedMessage {
    /// `message` as exactly one Cloud API message, or [`BuildError::NeedsSeveralMessages`].
    pub fn single(message: &OutboundMessage) -> Result<PreparedMessage, BuildError> {
        let Prepared { mut messages, .. } = prepare(message)?;
        match messages.len() {
            1 => messages.pop().ok_or(BuildError::NeedsSeveralMessages(0)),
            n => Err(BuildError::NeedsSeveralMessages(n)),
        }
    }

    /// The recipient (`to`).
    pub fn to(&self) -> &str {
        &self.to
    }

    /// The same message to another number, e.g. [`alternate_recipient`](crate::alternate_recipient).
    #[must_use]
    pub fn with_recipient(mut self, to: impl Into<String>) -> Self {
        self.to = to.into();
        self
    }

    /// The quoted message (`context.message_id`).
    pub fn reply_to(&self) -> Option<&str> {
        self.reply_to.as_deref()
    }

    /// What it shows: `text`, `image`, …, `reply_buttons`, `list`, `cta_url`, `reaction`,
    /// `template`.
    pub fn kind(&self) -> &'static str {
        self.content.kind_name()
    }

    /// The body of a text message.
    pub fn text(&self) -> Option<&str> {
        match &self.content {
            Content::Text { text } => Some(&text.body),
            _ => None,
        }
    }

    /// The JSON body of the request, as [`CloudApiClient`](crate::CloudApiClient) posts it.
    pub fn to_json(&self, callback_data: Option<&str>) -> serde_json::Value {
        serde_json::to_value(self.request_body(callback_data)).unwrap_or_default()
    }

    pub(crate) fn request_body<'a>(&'a self, callback_data: Option<&'a str>) -> wire::SendBody<'a> {
        wire::SendBody::new(
            &self.to,
            &self.content,
            self.reply_to.as_deref(),
            callback_data,
        )
    }
}

/// Sends `message`; when Meta answers 131030 (recipient not allowed) and the number has another
/// form ([`alternate_recipient`](crate::alternate_recipient)), sends it once more to that form.
/// Returns the receipt and, when it was used, the alternate number (worth remembering for the
/// conversation).
pub async fn send_with_number_fallback(
    sender: &(impl MessageSender + ?Sized),
    credentials: &Credentials,
    message: &PreparedMessage,
    callback_data: Option<&str>,
) -> SendResult<(SendReceipt, Option<String>)> {
    match sender
        .send_prepared(credentials, message, callback_data)
        .await
    {
        Err(error) if error.code() == Some(131_030) => {
            let Some(alternate) = crate::alternate_recipient(message.to()) else {
                return Err(error);
            };
            let retry = message.clone().with_recipient(alternate.clone());
            let receipt = sender
                .send_prepared(credentials, &retry, callback_data)
                .await?;
            Ok((receipt, Some(alternate)))
        }
        other => other.map(|receipt| (receipt, None)),
    }
}

/// `Some(text)` unless blank.
fn non_blank(text: Option<&str>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty()).map(str::to_owned)
}

/// Text messages for `body`, split at 4096.
fn texts(body: &str, preview_url: bool) -> Vec<Content> {
    split_text(body, MAX_TEXT_CODE_POINTS)
        .into_iter()
        .map(|body| Content::Text {
            text: wire::Text { body, preview_url },
        })
        .collect()
}

fn text(
    body: &str,
    preview_url: bool,
    adjustments: &mut Vec<Adjustment>,
) -> Result<Vec<Content>, BuildError> {
    let contents = texts(body, preview_url);
    match contents.len() {
        0 => return Err(BuildError::Empty("text body")),
        1 => {}
        messages => adjustments.push(Adjustment::Split {
            field: "text",
            messages,
        }),
    }
    Ok(contents)
}

/// `body` for an interactive message whose body holds `limit` code points: the texts to send
/// before it, and the part it carries.
fn interactive_body(
    body: &str,
    limit: usize,
    field: &'static str,
    adjustments: &mut Vec<Adjustment>,
) -> Result<(Vec<Content>, String), BuildError> {
    let ranges = split_ranges(body, limit);
    let Some(last) = ranges.last() else {
        return Err(BuildError::Empty(field));
    };
    let lead = texts(&body[..last.start], false);
    if !lead.is_empty() {
        adjustments.push(Adjustment::Split {
            field,
            messages: lead.len() + 1,
        });
    }
    Ok((lead, body[last.clone()].to_owned()))
}

/// `text` cut to `max`, noting it.
fn fit(text: &str, max: usize, field: &'static str, adjustments: &mut Vec<Adjustment>) -> String {
    let (text, cut) = truncate(text, max);
    if cut {
        adjustments.push(Adjustment::Truncated { field, max });
    }
    text
}

fn link_button(
    body: &str,
    display_text: &str,
    url: &str,
    adjustments: &mut Vec<Adjustment>,
) -> Result<Vec<Content>, BuildError> {
    let display_text = display_text.trim();
    if display_text.is_empty() {
        return Err(BuildError::Empty("link button text"));
    }
    let url = url.trim();
    check_link(url, "link button URL")?;
    let display_text = fit(
        display_text,
        limits::LINK_BUTTON_TEXT,
        "link button text",
        adjustments,
    );
    let (mut contents, body) =
        interactive_body(body, limits::BUTTONS_BODY, "link button body", adjustments)?;
    contents.push(Content::Interactive {
        interactive: wire::Interactive::CtaUrl {
            body: wire::BodyText { text: body },
            action: wire::CtaAction {
                name: "cta_url",
                parameters: wire::CtaParameters {
                    display_text,
                    url: url.to_owned(),
                },
            },
        },
    });
    Ok(contents)
}

#[cfg(test)]
mod tests;
