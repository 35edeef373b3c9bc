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
    #[serde(default)]
    pub forwarded: Option<bool>,
    #[serde(default)]
    pub frequently_forwarded: Option<bool>,
}

/// `referral`: the first message after a click-to-WhatsApp ad.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Referral {
    #[serde(default)]
    pub source_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub source_id: Option<String>,
    #[serde(default)]
    pub source_type: Option<String>,
    #[serde(default)]
    pub headline: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub image_url: Option<String>,
    #[serde(default)]
    pub video_url: Option<String>,
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    #[serde(default)]
    pub ctwa_clid: Option<String>,
}

/// `text`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct TextBody {
    #[serde(default)]
    pub body: Option<String>,
}

/// `image`, `audio`, `video`, `document` and `sticker`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct MediaBody {
    /// The media id for the two-step download (reference §6).
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    /// A ready-to-download URL (rolled out from November 2025); needs the bearer token too.
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub mime_type: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
    /// Image, video and document captions.
    #[serde(default)]
    pub caption: Option<String>,
    /// Documents only.
    #[serde(default)]
    pub filename: Option<String>,
    /// Audio: a recorded voice note.
    #[serde(default)]
    pub voice: Option<bool>,
    /// Stickers.
    #[serde(default)]
    pub animated: Option<bool>,
}

/// `location`; `name`, `address` and `url` only for a shared place.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct LocationBody {
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// One card of a `contacts` message.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct SharedContact {
    #[serde(default, deserialize_with = "lenient::option")]
    pub name: Option<ContactName>,
    #[serde(default)]
    pub phones: LenientVec<ContactPhone>,
    #[serde(default)]
    pub emails: LenientVec<ContactEmail>,
    #[serde(default)]
    pub addresses: LenientVec<ContactAddress>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub org: Option<ContactOrg>,
    #[serde(default)]
    pub urls: LenientVec<ContactUrl>,
    #[serde(default)]
    pub birthday: Option<String>,
    #[serde(default)]
    pub vcard: Option<String>,
}

/// A shared contact's name.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactName {
    #[serde(default)]
    pub formatted_name: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub middle_name: Option<String>,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub suffix: Option<String>,
}

/// A shared contact's phone.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactPhone {
    #[serde(default, deserialize_with = "lenient::string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub wa_id: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// A shared contact's e-mail.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactEmail {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// A shared contact's postal address.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactAddress {
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub zip: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub country_code: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// A shared contact's organisation.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactOrg {
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

/// A shared contact's web address.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ContactUrl {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// `interactive`: a reply-button, list or Flow answer.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct InteractiveBody {
    /// `button_reply`, `list_reply` or `nfm_reply`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub button_reply: Option<InteractiveChoice>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub list_reply: Option<InteractiveChoice>,
    #[serde(default, deserialize_with = "lenient::option")]
    pub nfm_reply: Option<FlowReply>,
}

/// The chosen reply button or list row.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct InteractiveChoice {
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// List rows only.
    #[serde(default)]
    pub description: Option<String>,
}

/// A WhatsApp Flow (or address message) answer.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct FlowReply {
    /// `flow`, or `address_message` for address requests.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    /// A string holding JSON.
    #[serde(default)]
    pub response_json: Option<String>,
}

/// `button`: a quick-reply button tapped on a template.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ButtonBody {
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub payload: Option<String>,
}

/// `reaction`; an absent or empty emoji means the reaction was removed.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ReactionBody {
    /// The `wamid` reacted to.
    #[serde(default, deserialize_with = "lenient::string")]
    pub message_id: Option<String>,
    #[serde(default)]
    pub emoji: Option<String>,
}

/// `order`: a catalog order.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct OrderBody {
    #[serde(default, deserialize_with = "lenient::string")]
    pub catalog_id: Option<String>,
    #[serde(default)]
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
    #[serde(default)]
    pub item_price: Option<f64>,
    #[serde(default)]
    pub currency: Option<String>,
}

/// `system`: the user changed number or identity; re-key the conversation.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct SystemBody {
    #[serde(default)]
    pub body: Option<String>,
    /// `user_changed_number`, `customer_changed_number`, `customer_identity_changed`, …
    #[serde(default, rename = "type")]
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
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}
