//! The type-specific parts of inbound messages (reference §3). Every field is optional: Meta adds
//! and omits fields by version and rollout.

use serde::Deserialize;

use super::lenient::{self, LenientVec};

/// `context`: the business message this one replies to, and forwarding flags.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct MessageContext {
    #[serde(default, deserialize_with = "lenient::string")]
    pub from: Option<String>,
    /// The `wamid` replied to.
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub forwarded: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub frequently_forwarded: Option<bool>,
}

/// `referral`: the first message after a click-to-WhatsApp ad.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Referral {
    #[serde(default, deserialize_with = "lenient::string")]
    pub source_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub source_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub source_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub headline: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub body: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub media_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub image_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub video_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub thumbnail_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub ctwa_clid: Option<String>,
}

/// `text`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct TextBody {
    #[serde(default, deserialize_with = "lenient::string")]
    pub body: Option<String>,
}

/// `image`, `audio`, `video`, `document` and `sticker`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct MediaBody {
    /// The media id for the two-step download (reference §6).
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    /// A ready-to-download URL (rolled out from November 2025); needs the bearer token too.
    #[serde(default, deserialize_with = "lenient::string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub mime_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub sha256: Option<String>,
    /// Image, video and document captions.
    #[serde(default, deserialize_with = "lenient::string")]
    pub caption: Option<String>,
    /// Documents only.
    #[serde(default, deserialize_with = "lenient::string")]
    pub filename: Option<String>,
    /// Audio: a recorded voice note.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub voice: Option<bool>,
    /// Stickers.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub animated: Option<bool>,
}

/// `location`; `name`, `address` and `url` only for a shared place.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct LocationBody {
    #[serde(default, deserialize_with = "lenient::float")]
    pub latitude: Option<f64>,
    #[serde(default, deserialize_with = "lenient::float")]
    pub longitude: Option<f64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub address: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub url: Option<String>,
}

/// One card of a `contacts` message.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct SharedContact {
    #[serde(default, deserialize_with = "lenient::object")]
    pub name: Option<ContactName>,
    #[serde(default)]
    pub phones: LenientVec<ContactPhone>,
    #[serde(default)]
    pub emails: LenientVec<ContactEmail>,
    #[serde(default)]
    pub addresses: LenientVec<ContactAddress>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub org: Option<ContactOrg>,
    #[serde(default)]
    pub urls: LenientVec<ContactUrl>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub birthday: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub vcard: Option<String>,
}

/// A shared contact's name.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactName {
    #[serde(default, deserialize_with = "lenient::string")]
    pub formatted_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub middle_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub prefix: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub suffix: Option<String>,
}

/// A shared contact's phone.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactPhone {
    #[serde(default, deserialize_with = "lenient::string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub wa_id: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<String>,
}

/// A shared contact's e-mail.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactEmail {
    #[serde(default, deserialize_with = "lenient::string")]
    pub email: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<String>,
}

/// A shared contact's postal address.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactAddress {
    #[serde(default, deserialize_with = "lenient::string")]
    pub street: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub city: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub zip: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub country: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub country_code: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<String>,
}

/// A shared contact's organisation.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactOrg {
    #[serde(default, deserialize_with = "lenient::string")]
    pub company: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub department: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub title: Option<String>,
}

/// A shared contact's web address.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactUrl {
    #[serde(default, deserialize_with = "lenient::string")]
    pub url: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<String>,
}

/// `interactive`: a reply-button, list or Flow answer.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct InteractiveBody {
    /// `button_reply`, `list_reply` or `nfm_reply`.
    #[serde(default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub button_reply: Option<InteractiveChoice>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub list_reply: Option<InteractiveChoice>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub nfm_reply: Option<FlowReply>,
}

/// The chosen reply button or list row.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct InteractiveChoice {
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub title: Option<String>,
    /// List rows only.
    #[serde(default, deserialize_with = "lenient::string")]
    pub description: Option<String>,
}

/// A WhatsApp Flow (or address message) answer.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct FlowReply {
    /// `flow`, or `address_message` for address requests.
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub body: Option<String>,
    /// A string holding JSON.
    #[serde(default, deserialize_with = "lenient::string")]
    pub response_json: Option<String>,
}

/// `button`: a quick-reply button tapped on a template.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ButtonBody {
    #[serde(default, deserialize_with = "lenient::string")]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub payload: Option<String>,
}

/// `reaction`; an absent or empty emoji means the reaction was removed.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ReactionBody {
    /// The `wamid` reacted to.
    #[serde(default, deserialize_with = "lenient::string")]
    pub message_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub emoji: Option<String>,
}

/// `order`: a catalog order.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct OrderBody {
    #[serde(default, deserialize_with = "lenient::string")]
    pub catalog_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub text: Option<String>,
    #[serde(default)]
    pub product_items: LenientVec<OrderItem>,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct OrderItem {
    #[serde(default, deserialize_with = "lenient::string")]
    pub product_retailer_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::integer")]
    pub quantity: Option<i64>,
    #[serde(default, deserialize_with = "lenient::float")]
    pub item_price: Option<f64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub currency: Option<String>,
}

/// `system`: the user changed number or identity; re-key the conversation.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct SystemBody {
    #[serde(default, deserialize_with = "lenient::string")]
    pub body: Option<String>,
    /// `user_changed_number`, `customer_changed_number`, `customer_identity_changed`, …
    #[serde(default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<String>,
    /// The new id (current versions).
    #[serde(default, deserialize_with = "lenient::string")]
    pub wa_id: Option<String>,
    /// The new id (older versions).
    #[serde(default, deserialize_with = "lenient::string")]
    pub new_wa_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub customer: Option<String>,
}

impl SystemBody {
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
pub struct UnsupportedBody {
    #[serde(default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<String>,
}
