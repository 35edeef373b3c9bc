//! The booking conversation: availability across turns, a room held while the guest pays, the
//! payment and the booking in the PMS.
//!
//! The draft ([`BookingDraft`]) lives in the session; each message moves it along its
//! [`BookingStage`]s. [`step`] decides whether a message belongs to the booking conversation
//! and answers it; messages that do not fall through to the general replies.

mod confirm;
mod draft;
mod flow;
mod format;
mod policy;
mod question;
mod requests;
mod reserve;
mod staff;
mod words;

use std::sync::Arc;

use chrono::NaiveDate;
use hotel_domain::{InboundKind, InboundMessage, Language, OutboundBody, WaId};
use hotel_locks::RoomHolds;
use hotel_nlp::{Entities, Intent, NluResult};
use hotel_pms::{Money, Pms};

pub use confirm::Completion;
pub use draft::{
    ASSUMED_CHILD_AGE, AWAITING_KEY, BOOKING_KEY, BookingDraft, BookingStage, ChosenRoom,
    OfferedRoom,
};
pub use format::{deposit_of, format_money};
pub use policy::{BookingPolicy, Confirmation};
pub use requests::{BookingPasses, BookingRecordError, BookingRequests, PaidBooking};

pub(crate) use draft::DraftChange;
pub(crate) use flow::step;
pub(crate) use question::Question;

use crate::reply::Decision;
use crate::{Catalogue, MessageKey, TenantContext};

/// The prefix of the ids of offered rooms (`room:<PMS room type id>`): a reply with such an id
/// picks that room.
pub const ROOM_REPLY_PREFIX: &str = "room:";

/// What the booking conversation needs: the PMS to quote and book, and room holds to keep a
/// room while the guest pays; optionally where paid bookings wait for staff and who makes the
/// booking pass. The per-hotel rules come with each [`TenantContext`].
#[derive(Debug, Clone)]
pub struct BookingServices {
    pub pms: Arc<dyn Pms>,
    pub holds: Arc<dyn RoomHolds>,
    /// Where paid bookings wait for staff (without it, only in the guest's session).
    pub requests: Option<Arc<dyn BookingRequests>>,
    /// Makes the pass (a QR code image) sent with a confirmation (without it, text alone).
    pub passes: Option<Arc<dyn BookingPasses>>,
}

impl BookingServices {
    pub fn new(pms: Arc<dyn Pms>, holds: Arc<dyn RoomHolds>) -> Self {
        Self {
            pms,
            holds,
            requests: None,
            passes: None,
        }
    }

    /// The same services recording paid bookings that wait for staff in `requests`.
    #[must_use]
    pub fn with_requests(mut self, requests: Arc<dyn BookingRequests>) -> Self {
        self.requests = Some(requests);
        self
    }

    /// The same services sending the pass `passes` makes with every confirmation.
    #[must_use]
    pub fn with_passes(mut self, passes: Arc<dyn BookingPasses>) -> Self {
        self.passes = Some(passes);
        self
    }
}

/// The room a choice picks, for interactive replies with a `room:<id>` id.
pub(crate) fn room_pick(message: &InboundMessage) -> Option<&str> {
    if !matches!(message.kind, InboundKind::Interactive | InboundKind::Button) {
        return None;
    }
    message
        .reply_id
        .as_deref()?
        .trim()
        .strip_prefix(ROOM_REPLY_PREFIX)
        .filter(|id| !id.is_empty())
}

/// What one step of the booking conversation works with.
pub(crate) struct Ctx<'a> {
    pub(crate) services: &'a BookingServices,
    pub(crate) tenant: &'a TenantContext,
    pub(crate) guest: &'a WaId,
    /// The business number the guest wrote to (unknown outside a conversation).
    pub(crate) phone_number_id: Option<&'a str>,
    pub(crate) language: Language,
    pub(crate) catalogue: &'a Catalogue,
}

impl Ctx<'_> {
    pub(crate) fn text(&self, key: MessageKey, values: &[(&str, &str)]) -> String {
        self.catalogue.render(self.language, key, values)
    }

    pub(crate) fn date(&self, date: NaiveDate) -> String {
        format::format_date(self.catalogue, self.language, date)
    }

    pub(crate) fn money(&self, money: &Money) -> String {
        format_money(money, self.language)
    }

    pub(crate) fn nights(&self, nights: u32) -> String {
        format::nights_text(self.catalogue, self.language, nights)
    }

    pub(crate) fn guests(&self, draft: &BookingDraft) -> String {
        format::guests_text(
            self.catalogue,
            self.language,
            draft.adults.unwrap_or(1),
            draft.children.unwrap_or(0),
        )
    }
}

/// The message being answered, as the booking conversation sees it.
pub(crate) struct Incoming<'a> {
    pub(crate) kind: InboundKind,
    /// The text of a text or interactive message (not a caption).
    pub(crate) text: Option<&'a str>,
    /// The room an interactive reply picked.
    pub(crate) room_pick: Option<&'a str>,
    pub(crate) understanding: Option<&'a NluResult>,
    /// An intent named by a choice's id.
    pub(crate) routed: Option<Intent>,
    /// What the general confidence policy would do.
    pub(crate) decision: Option<Decision>,
    /// The booking question this message may answer.
    pub(crate) question: Option<Question>,
}

impl Incoming<'_> {
    /// The intent and its confidence: a routed choice is certain.
    pub(crate) fn intent(&self) -> (Intent, f32) {
        match (self.routed, self.understanding) {
            (Some(intent), _) => (intent, 1.0),
            (None, Some(understood)) => (understood.intent, understood.confidence),
            (None, None) => (Intent::OutOfScope, 0.0),
        }
    }

    pub(crate) fn entities(&self) -> Entities {
        self.understanding
            .map(|u| u.entities.clone())
            .unwrap_or_default()
    }

    /// Whether this is a picture or a document (a payment receipt at the payment stage).
    pub(crate) fn is_receipt_kind(&self) -> bool {
        matches!(self.kind, InboundKind::Image | InboundKind::Document)
    }
}

/// The answer of the booking conversation to one message.
#[derive(Debug)]
pub(crate) struct BookingReply {
    pub(crate) bodies: Vec<OutboundBody>,
    /// The main catalogue key, for logs.
    pub(crate) key: MessageKey,
    pub(crate) draft: DraftChange,
    /// The question the reply leaves open.
    pub(crate) question: Option<Question>,
}

impl BookingReply {
    /// A text reply.
    pub(crate) fn text(
        key: MessageKey,
        body: String,
        draft: DraftChange,
        question: Option<Question>,
    ) -> Self {
        Self {
            bodies: vec![OutboundBody::Text {
                body,
                preview_url: false,
            }],
            key,
            draft,
            question,
        }
    }

    /// A reply that stores `draft`.
    pub(crate) fn storing(
        key: MessageKey,
        body: String,
        draft: BookingDraft,
        question: Option<Question>,
    ) -> Self {
        Self::text(key, body, DraftChange::Set(Box::new(draft)), question)
    }
}

/// Paragraphs joined by a blank line, empty ones left out.
pub(crate) fn paragraphs<I, S>(parts: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    parts
        .into_iter()
        .filter(|p| !p.as_ref().trim().is_empty())
        .map(|p| p.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use hotel_domain::TenantId;

    use super::*;

    #[test]
    fn room_picks_come_from_choice_ids_only() {
        let mut message = InboundMessage {
            tenant_id: TenantId::new("h1"),
            phone_number_id: "1".into(),
            provider_message_id: "wamid.1".into(),
            from: WaId::new("5491100000000"),
            profile_name: None,
            kind: InboundKind::Interactive,
            text: Some("Doble".into()),
            reply_id: Some("room:double".into()),
            context_message_id: None,
            attachment: None,
            sent_at: Utc::now(),
        };
        assert_eq!(room_pick(&message), Some("double"));
        message.reply_id = Some("room:".into());
        assert_eq!(room_pick(&message), None);
        message.reply_id = Some("intent:pricing".into());
        assert_eq!(room_pick(&message), None);
        message.kind = InboundKind::Text;
        message.reply_id = Some("room:double".into());
        assert_eq!(room_pick(&message), None, "typed text never picks by id");
    }

    #[test]
    fn the_rooms_list_button_fits_whatsapp() {
        let catalogue = Catalogue::builtin().unwrap();
        for language in Language::ALL {
            let label = catalogue.render(language, MessageKey::RoomsButton, &[]);
            assert!(label.chars().count() <= 20, "{language}: {label}");
        }
    }

    #[test]
    fn paragraphs_skip_empty_parts() {
        assert_eq!(paragraphs(["a", " ", "b"]), "a\n\nb");
        assert_eq!(paragraphs(Vec::<String>::new()), "");
    }
}
