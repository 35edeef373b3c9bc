//! Which reply a message gets, by its kind and, for text, by its intent.

use hotel_domain::{Choice, InboundKind, InboundMessage, Language, OutboundBody};
use hotel_nlp::Intent;

use crate::catalogue::is_topic;
use crate::{Catalogue, MessageKey};

/// How the orchestrator treats one inbound message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Treatment<'a> {
    /// Text to understand and answer by intent (text, interactive replies, template buttons).
    Conversation { text: &'a str },
    /// Media and shares: acknowledged; a caption, if any, tells the guest's language.
    Acknowledge {
        reply: MessageKey,
        caption: Option<&'a str>,
    },
    /// Something the assistant cannot read: ask for text.
    Unreadable,
    /// Reactions and system notices: no answer, no change to the session.
    Ignore,
}

impl<'a> Treatment<'a> {
    /// How to treat `message`.
    pub(crate) fn of(message: &'a InboundMessage) -> Self {
        let caption = message
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let acknowledge = |reply| Treatment::Acknowledge { reply, caption };
        match message.kind {
            InboundKind::Text | InboundKind::Interactive | InboundKind::Button => {
                let text = caption
                    .or_else(|| message.reply_id.as_deref().map(str::trim))
                    .unwrap_or_default();
                Treatment::Conversation { text }
            }
            InboundKind::Image => acknowledge(MessageKey::AckImage),
            InboundKind::Audio => acknowledge(MessageKey::AckAudio),
            InboundKind::Video => acknowledge(MessageKey::AckVideo),
            InboundKind::Document => acknowledge(MessageKey::AckDocument),
            InboundKind::Sticker => acknowledge(MessageKey::AckSticker),
            InboundKind::Location => acknowledge(MessageKey::AckLocation),
            InboundKind::Contacts => acknowledge(MessageKey::AckContacts),
            InboundKind::Order | InboundKind::Unsupported => Treatment::Unreadable,
            InboundKind::Reaction | InboundKind::System => Treatment::Ignore,
        }
    }

    /// The text whose language (and, for conversation, intent) the NLU should find.
    pub(crate) fn text_to_understand(&self) -> Option<&'a str> {
        match *self {
            Treatment::Conversation { text } => Some(text).filter(|t| !t.is_empty()),
            Treatment::Acknowledge { caption, .. } => caption,
            Treatment::Unreadable | Treatment::Ignore => None,
        }
    }
}

/// The prefix of interactive reply ids (button, list row, template payload) that name an intent
/// directly, e.g. `intent:check_availability`: such a choice is routed by its id, whatever its
/// title says.
pub const INTENT_REPLY_PREFIX: &str = "intent:";

/// The intent an interactive choice names by its id, if it names one.
pub(crate) fn routed_intent(message: &InboundMessage) -> Option<Intent> {
    if !matches!(message.kind, InboundKind::Interactive | InboundKind::Button) {
        return None;
    }
    message
        .reply_id
        .as_deref()?
        .trim()
        .strip_prefix(INTENT_REPLY_PREFIX)?
        .parse()
        .ok()
}

/// The help menu: what the assistant does, as options that come back routed by their intent id.
const MENU: [(MessageKey, Intent); 6] = [
    (MessageKey::MenuAvailability, Intent::CheckAvailability),
    (MessageKey::MenuPrices, Intent::Pricing),
    (MessageKey::MenuRooms, Intent::RoomTypes),
    (MessageKey::MenuAmenities, Intent::Amenities),
    (MessageKey::MenuLocation, Intent::Location),
    (MessageKey::MenuStaff, Intent::HumanHandoff),
];

/// Options whose titles come from the catalogue and whose ids route back to their intent.
fn routed_choices(
    catalogue: &Catalogue,
    language: Language,
    options: &[(MessageKey, Intent)],
) -> Vec<Choice> {
    options
        .iter()
        .map(|(title, intent)| {
            Choice::new(
                format!("{INTENT_REPLY_PREFIX}{}", intent.as_str()),
                catalogue.render(language, *title, &[]),
            )
        })
        .collect()
}

/// The reply body for `key`: the help text with its menu of options, or plain text.
pub(crate) fn reply_body(
    catalogue: &Catalogue,
    language: Language,
    key: MessageKey,
    text: String,
) -> OutboundBody {
    if key != MessageKey::Help {
        return OutboundBody::Text {
            body: text,
            preview_url: false,
        };
    }
    OutboundBody::Choices {
        header: None,
        body: text,
        footer: None,
        button: Some(catalogue.render(language, MessageKey::MenuButton, &[])),
        choices: routed_choices(catalogue, language, &MENU),
    }
}

/// At or above this confidence the assistant acts on the intent.
pub const ACT_CONFIDENCE: f32 = 0.75;
/// From here up to [`ACT_CONFIDENCE`] it asks the guest to confirm the topic; below, it asks them
/// to choose one.
pub const CONFIRM_CONFIDENCE: f32 = 0.45;
/// The session's `last_question` while a topic awaits the guest's yes or no.
const CONFIRM_PREFIX: &str = "confirm:";

/// What the assistant does with an understood message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Answer the intent.
    Act(Intent),
    /// Ask "is it about …?" with yes/no buttons.
    Confirm(Intent),
    /// Say it was not understood and offer the main topics as buttons.
    Clarify,
}

/// The confidence policy: a choice routed by its id is acted on; a yes or no answers a pending
/// confirmation; small talk is answered when it is at least plausible; otherwise act at
/// [`ACT_CONFIDENCE`], confirm from [`CONFIRM_CONFIDENCE`], else clarify. Out-of-scope messages
/// are clarified.
pub(crate) fn decide(
    routed: Option<Intent>,
    understood: Option<(Intent, f32)>,
    pending: Option<Intent>,
) -> Decision {
    if let Some(intent) = routed {
        return Decision::Act(intent);
    }
    let Some((intent, confidence)) = understood else {
        return Decision::Clarify;
    };
    match (pending, intent) {
        (Some(topic), Intent::Affirm) if confidence >= CONFIRM_CONFIDENCE => {
            return Decision::Act(topic);
        }
        (Some(_), Intent::Deny) if confidence >= CONFIRM_CONFIDENCE => return Decision::Clarify,
        _ => {}
    }
    let small_talk = matches!(
        intent,
        Intent::Greeting | Intent::Goodbye | Intent::Thanks | Intent::Affirm | Intent::Deny
    );
    if intent == Intent::OutOfScope || confidence < CONFIRM_CONFIDENCE {
        Decision::Clarify
    } else if small_talk || confidence >= ACT_CONFIDENCE || !is_topic(intent) {
        Decision::Act(intent)
    } else {
        Decision::Confirm(intent)
    }
}

/// The session's `last_question` for a pending confirmation of `intent`.
pub(crate) fn confirmation_question(intent: Intent) -> String {
    format!("{CONFIRM_PREFIX}{}", intent.as_str())
}

/// The intent a `last_question` asks to confirm, if it is a confirmation.
pub(crate) fn pending_confirmation(last_question: Option<&str>) -> Option<Intent> {
    last_question?.strip_prefix(CONFIRM_PREFIX)?.parse().ok()
}

/// The topics offered when a message was not understood (three, so they show as buttons).
const CLARIFY_TOPICS: [(MessageKey, Intent); 3] = [
    (MessageKey::MenuAvailability, Intent::CheckAvailability),
    (MessageKey::MenuPrices, Intent::Pricing),
    (MessageKey::MenuStaff, Intent::HumanHandoff),
];

/// "Is it about {topic}?" with yes and no buttons, each routed by its id.
pub(crate) fn confirm_body(
    catalogue: &Catalogue,
    language: Language,
    intent: Intent,
) -> OutboundBody {
    let topic = catalogue.topic(language, intent).unwrap_or(intent.as_str());
    OutboundBody::Choices {
        header: None,
        body: catalogue.render(language, MessageKey::ConfirmTopic, &[("topic", topic)]),
        footer: None,
        button: None,
        choices: routed_choices(
            catalogue,
            language,
            &[
                (MessageKey::ButtonYes, intent),
                (MessageKey::ButtonNo, Intent::Deny),
            ],
        ),
    }
}

/// "I did not understand" with the main topics as buttons.
pub(crate) fn clarify_body(catalogue: &Catalogue, language: Language) -> OutboundBody {
    OutboundBody::Choices {
        header: None,
        body: catalogue.render(language, MessageKey::Clarify, &[]),
        footer: None,
        button: None,
        choices: routed_choices(catalogue, language, &CLARIFY_TOPICS),
    }
}

/// The reply to understood text. Only small talk has its own answer in this release; everything
/// else gets the "how can I help" reply that lists what the assistant does.
pub(crate) fn reply_for_intent(intent: Intent) -> MessageKey {
    match intent {
        Intent::Greeting => MessageKey::Greeting,
        Intent::Goodbye => MessageKey::Goodbye,
        Intent::Thanks => MessageKey::Thanks,
        _ => MessageKey::Help,
    }
}

/// How a guest message is written into the history: its text, or `[kind]` plus any caption.
pub(crate) fn history_text(message: &InboundMessage, treatment: &Treatment<'_>) -> String {
    match *treatment {
        Treatment::Conversation { text } => text.to_owned(),
        Treatment::Acknowledge {
            caption: Some(caption),
            ..
        } => format!("[{}] {caption}", message.kind.as_str()),
        _ => format!("[{}]", message.kind.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use hotel_domain::{TenantId, WaId};

    use super::*;

    fn message(kind: InboundKind, text: Option<&str>, reply_id: Option<&str>) -> InboundMessage {
        InboundMessage {
            tenant_id: TenantId::new("h1"),
            phone_number_id: "100".into(),
            provider_message_id: "wamid.1".into(),
            from: WaId::new("5491100000000"),
            profile_name: None,
            kind,
            text: text.map(str::to_owned),
            reply_id: reply_id.map(str::to_owned),
            context_message_id: None,
            attachment: None,
            sent_at: Utc::now(),
        }
    }

    #[test]
    fn interactive_replies_use_the_title_then_the_id() {
        let titled = message(
            InboundKind::Interactive,
            Some("Ver precios"),
            Some("prices"),
        );
        assert_eq!(
            Treatment::of(&titled),
            Treatment::Conversation {
                text: "Ver precios"
            }
        );
        let bare = message(InboundKind::Button, None, Some("book_now"));
        assert_eq!(
            Treatment::of(&bare),
            Treatment::Conversation { text: "book_now" }
        );
        let empty = message(InboundKind::Text, Some("  "), None);
        assert_eq!(Treatment::of(&empty).text_to_understand(), None);
    }

    #[test]
    fn media_is_acknowledged_with_its_caption() {
        let photo = message(InboundKind::Image, Some("el comprobante"), None);
        let treatment = Treatment::of(&photo);
        assert_eq!(
            treatment,
            Treatment::Acknowledge {
                reply: MessageKey::AckImage,
                caption: Some("el comprobante")
            }
        );
        assert_eq!(history_text(&photo, &treatment), "[image] el comprobante");
        let sticker = message(InboundKind::Sticker, None, None);
        assert_eq!(
            history_text(&sticker, &Treatment::of(&sticker)),
            "[sticker]"
        );
    }

    #[test]
    fn reactions_and_system_notices_are_ignored() {
        assert_eq!(
            Treatment::of(&message(InboundKind::Reaction, Some("👍"), None)),
            Treatment::Ignore
        );
        assert_eq!(
            Treatment::of(&message(InboundKind::System, None, None)),
            Treatment::Ignore
        );
        assert_eq!(
            Treatment::of(&message(InboundKind::Order, None, None)),
            Treatment::Unreadable
        );
    }

    #[test]
    fn choices_naming_an_intent_are_routed_by_id() {
        let choice = message(
            InboundKind::Interactive,
            Some("Tarifas"),
            Some("intent:pricing"),
        );
        assert_eq!(routed_intent(&choice), Some(Intent::Pricing));
        let template = message(InboundKind::Button, None, Some(" intent:greeting "));
        assert_eq!(routed_intent(&template), Some(Intent::Greeting));
        let unknown = message(InboundKind::Interactive, None, Some("intent:fly_to_mars"));
        assert_eq!(routed_intent(&unknown), None);
        let other = message(InboundKind::Interactive, None, Some("room_2"));
        assert_eq!(routed_intent(&other), None);
        let typed = message(
            InboundKind::Text,
            Some("intent:pricing"),
            Some("intent:pricing"),
        );
        assert_eq!(
            routed_intent(&typed),
            None,
            "typed text is never routed by id"
        );
    }

    #[test]
    fn help_comes_with_a_menu_routed_by_intent() {
        let catalogue = Catalogue::builtin().unwrap();
        let OutboundBody::Choices {
            body,
            button,
            choices,
            ..
        } = reply_body(catalogue, Language::En, MessageKey::Help, "help".into())
        else {
            panic!("a menu")
        };
        assert_eq!(body, "help");
        assert_eq!(button.as_deref(), Some("See options"));
        assert_eq!(choices.len(), MENU.len());
        assert_eq!(choices[0].id, "intent:check_availability");
        for language in Language::ALL {
            let OutboundBody::Choices {
                button, choices, ..
            } = reply_body(catalogue, language, MessageKey::Help, "x".into())
            else {
                panic!("a menu")
            };
            assert!(button.unwrap().chars().count() <= 20);
            for choice in choices {
                assert!(choice.title.chars().count() <= 24, "{}", choice.title);
                let routed = message(InboundKind::Interactive, None, Some(&choice.id));
                assert!(routed_intent(&routed).is_some(), "{}", choice.id);
            }
        }
        assert_eq!(
            reply_body(
                catalogue,
                Language::Es,
                MessageKey::Thanks,
                "gracias".into()
            ),
            OutboundBody::Text {
                body: "gracias".into(),
                preview_url: false
            }
        );
    }

    #[test]
    fn the_confidence_policy_acts_confirms_or_clarifies() {
        use Decision::*;
        let pricing = Intent::Pricing;
        assert_eq!(decide(Some(pricing), None, None), Act(pricing));
        assert_eq!(decide(None, None, None), Clarify);
        assert_eq!(decide(None, Some((pricing, 0.9)), None), Act(pricing));
        assert_eq!(
            decide(None, Some((pricing, ACT_CONFIDENCE)), None),
            Act(pricing)
        );
        assert_eq!(decide(None, Some((pricing, 0.6)), None), Confirm(pricing));
        assert_eq!(
            decide(None, Some((pricing, CONFIRM_CONFIDENCE)), None),
            Confirm(pricing)
        );
        assert_eq!(decide(None, Some((pricing, 0.44)), None), Clarify);
        assert_eq!(
            decide(None, Some((Intent::OutOfScope, 0.99)), None),
            Clarify
        );
        assert_eq!(
            decide(None, Some((Intent::Greeting, 0.5)), None),
            Act(Intent::Greeting)
        );
        // A pending confirmation: yes acts on it, no offers the topics.
        let pending = Some(Intent::Amenities);
        assert_eq!(
            decide(None, Some((Intent::Affirm, 0.8)), pending),
            Act(Intent::Amenities)
        );
        assert_eq!(decide(None, Some((Intent::Deny, 0.8)), pending), Clarify);
        assert_eq!(
            decide(None, Some((Intent::Location, 0.9)), pending),
            Act(Intent::Location)
        );
        assert_eq!(
            pending_confirmation(Some(&confirmation_question(Intent::Amenities))),
            Some(Intent::Amenities)
        );
        assert_eq!(pending_confirmation(Some("confirm:nonsense")), None);
        assert_eq!(pending_confirmation(Some("booking_dates")), None);
        assert_eq!(pending_confirmation(None), None);
    }

    #[test]
    fn confirmations_and_clarifications_are_buttons_routed_by_id() {
        let catalogue = Catalogue::builtin().unwrap();
        for language in Language::ALL {
            let OutboundBody::Choices { body, choices, .. } =
                confirm_body(catalogue, language, Intent::LateCheckout)
            else {
                panic!("choices")
            };
            assert!(!body.contains('{'), "{body}");
            assert_eq!(choices.len(), 2);
            assert_eq!(choices[0].id, "intent:late_checkout");
            assert_eq!(choices[1].id, "intent:deny");
            let OutboundBody::Choices { choices, .. } = clarify_body(catalogue, language) else {
                panic!("choices")
            };
            assert_eq!(choices.len(), 3);
            assert!(
                choices.iter().all(|c| c.title.chars().count() <= 20),
                "{choices:?}"
            );
            for intent in crate::catalogue::topic_intents() {
                assert!(catalogue.topic(language, intent).is_some(), "{intent:?}");
            }
        }
    }

    #[test]
    fn small_talk_has_its_own_replies() {
        assert_eq!(reply_for_intent(Intent::Greeting), MessageKey::Greeting);
        assert_eq!(reply_for_intent(Intent::Thanks), MessageKey::Thanks);
        assert_eq!(reply_for_intent(Intent::Goodbye), MessageKey::Goodbye);
        assert_eq!(reply_for_intent(Intent::Pricing), MessageKey::Help);
        assert_eq!(reply_for_intent(Intent::OutOfScope), MessageKey::Help);
    }
}
