//! The type-specific parts of inbound messages (reference §3). Every field is optional: Meta adds
//! and omits fields by version and rollout.

use std::borrow::Cow;

use serde::Deserialize;

use super::lenient::{self, LenientVec};

/// `context`: the business message this one replies to, and forwarding flags.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct MessageContext<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub from: Option<Cow<'a, str>>,
    /// The `wamid` replied to.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub id: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub forwarded: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub frequently_forwarded: Option<bool>,
}

/// `referral`: the first message after a click-to-WhatsApp ad.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Referral<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub source_url: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub source_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub source_type: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub headline: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub body: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub media_type: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub image_url: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub video_url: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub thumbnail_url: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub ctwa_clid: Option<Cow<'a, str>>,
}

/// `text`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct TextBody<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub body: Option<Cow<'a, str>>,
}

/// `image`, `audio`, `video`, `document` and `sticker`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct MediaBody<'a> {
    /// The media id for the two-step download (reference §6).
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub id: Option<Cow<'a, str>>,
    /// A ready-to-download URL (rolled out from November 2025); needs the bearer token too.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub url: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub mime_type: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub sha256: Option<Cow<'a, str>>,
    /// Image, video and document captions.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub caption: Option<Cow<'a, str>>,
    /// Documents only.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub filename: Option<Cow<'a, str>>,
    /// Audio: a recorded voice note.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub voice: Option<bool>,
    /// Stickers.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub animated: Option<bool>,
}

/// `location`; `name`, `address` and `url` only for a shared place.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct LocationBody<'a> {
    #[serde(default, deserialize_with = "lenient::float")]
    pub latitude: Option<f64>,
    #[serde(default, deserialize_with = "lenient::float")]
    pub longitude: Option<f64>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub address: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub url: Option<Cow<'a, str>>,
}

/// One card of a `contacts` message.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct SharedContact<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub name: Option<ContactName<'a>>,
    #[serde(borrow, default)]
    pub phones: LenientVec<ContactPhone<'a>>,
    #[serde(borrow, default)]
    pub emails: LenientVec<ContactEmail<'a>>,
    #[serde(borrow, default)]
    pub addresses: LenientVec<ContactAddress<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub org: Option<ContactOrg<'a>>,
    #[serde(borrow, default)]
    pub urls: LenientVec<ContactUrl<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub birthday: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub vcard: Option<Cow<'a, str>>,
}

/// A shared contact's name.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactName<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub formatted_name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub first_name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub last_name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub middle_name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub prefix: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub suffix: Option<Cow<'a, str>>,
}

/// A shared contact's phone.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactPhone<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub phone: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub wa_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<Cow<'a, str>>,
}

/// A shared contact's e-mail.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactEmail<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub email: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<Cow<'a, str>>,
}

/// A shared contact's postal address.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactAddress<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub street: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub city: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub state: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub zip: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub country: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub country_code: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<Cow<'a, str>>,
}

/// A shared contact's organisation.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactOrg<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub company: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub department: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub title: Option<Cow<'a, str>>,
}

/// A shared contact's web address.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactUrl<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub url: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<Cow<'a, str>>,
}

/// `interactive`: a reply-button, list or Flow answer.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct InteractiveBody<'a> {
    /// `button_reply`, `list_reply` or `nfm_reply`.
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub button_reply: Option<InteractiveChoice<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub list_reply: Option<InteractiveChoice<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub nfm_reply: Option<FlowReply<'a>>,
}

/// The chosen reply button or list row.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct InteractiveChoice<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub title: Option<Cow<'a, str>>,
    /// List rows only.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub description: Option<Cow<'a, str>>,
}

/// A WhatsApp Flow (or address message) answer.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct FlowReply<'a> {
    /// `flow`, or `address_message` for address requests.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub body: Option<Cow<'a, str>>,
    /// A string holding JSON.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub response_json: Option<Cow<'a, str>>,
}

/// `button`: a quick-reply button tapped on a template.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ButtonBody<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub text: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub payload: Option<Cow<'a, str>>,
}

/// `reaction`; an absent or empty emoji means the reaction was removed.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ReactionBody<'a> {
    /// The `wamid` reacted to.
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub message_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub emoji: Option<Cow<'a, str>>,
}

/// `order`: a catalog order.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct OrderBody<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub catalog_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub text: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub product_items: LenientVec<OrderItem<'a>>,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct OrderItem<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub product_retailer_id: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "lenient::integer")]
    pub quantity: Option<i64>,
    #[serde(default, deserialize_with = "lenient::float")]
    pub item_price: Option<f64>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub currency: Option<Cow<'a, str>>,
}

/// `system`: the user changed number or identity; re-key the conversation.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct SystemBody<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub body: Option<Cow<'a, str>>,
    /// `user_changed_number`, `customer_changed_number`, `customer_identity_changed`, …
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<Cow<'a, str>>,
    /// The new id (current versions).
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub wa_id: Option<Cow<'a, str>>,
    /// The new id (older versions).
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub new_wa_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub customer: Option<Cow<'a, str>>,
}

impl SystemBody<'_> {
    /// The user's new id, whichever version's field carries it.
    pub fn new_id(&self) -> Option<&str> {
        self.wa_id
            .as_deref()
            .or(self.new_wa_id.as_deref())
            .filter(|id| !id.is_empty())
    }
}

/// `unsupported`: what kind of message WhatsApp could not pass on (`poll_creation`, `gif`, …).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct UnsupportedBody<'a> {
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<Cow<'a, str>>,
}
