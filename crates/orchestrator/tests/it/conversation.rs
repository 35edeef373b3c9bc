//! Replies, language, history and compare-and-set retries.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use hotel_domain::{
    Clock, InboundKind, Language, ManualClock, OutboundBody, OutboundMessage, TenantId, WaId,
};
use hotel_orchestrator::{
    Catalogue, MAX_HISTORY_TURNS, MAX_SAVE_ATTEMPTS, MessageKey, Orchestrator, OrchestratorError,
};
use hotel_sessions::{InMemorySessionStore, SessionKey, SessionStore, TurnRole};

use crate::{
    GUEST, SESSION_TTL, guest_key, harness, message, orchestrator_over, start, tenant, text,
};

/// The catalogue text of `key` in `language` for the test hotel.
fn expected(language: Language, key: MessageKey) -> String {
    Catalogue::builtin()
        .expect("the embedded catalogue is consistent")
        .render(language, key, &[("hotel", "Hotel Sur")])
}

/// Asserts that `body` is one of the catalogue's replies in `language` (whichever the policy
/// picked: an answer, a confirmation question or a clarification).
fn assert_in_language(body: &str, language: Language) {
    let catalogue = Catalogue::builtin().expect("the embedded catalogue is consistent");
    let known = MessageKey::ALL
        .iter()
        .any(|key| catalogue.render(language, *key, &[("hotel", "Hotel Sur")]) == body);
    let confirm = catalogue.render(language, MessageKey::ConfirmTopic, &[]);
    let question_start = confirm.split("{topic}").next().unwrap_or_default();
    assert!(
        known || body.starts_with(question_start),
        "not a {language} reply: {body}"
    );
}

/// The body of the only reply.
fn only_body(replies: &[OutboundMessage]) -> &str {
    assert_eq!(replies.len(), 1, "{replies:?}");
    match &replies[0].body {
        OutboundBody::Text { body, .. } | OutboundBody::Choices { body, .. } => body,
        other => panic!("expected a text or a menu, got {other:?}"),
    }
}

#[tokio::test]
async fn greets_in_the_guest_language_with_the_hotel_name() {
    let hotel = tenant(&Language::ALL);
    for (greeting, language) in [
        ("hola buenas", Language::Es),
        ("hi there!", Language::En),
        ("oi, tudo bem?", Language::Pt),
    ] {
        let h = harness();
        let replies = h
            .orchestrator
            .handle(&hotel, &text(greeting, start()))
            .await
            .unwrap();
        let body = only_body(&replies);
        assert_eq!(
            body,
            expected(language, MessageKey::Greeting),
            "{greeting:?}"
        );
        assert!(body.contains("Hotel Sur"));
        assert_eq!(replies[0].to, WaId::new(GUEST));
        assert_eq!(replies[0].reply_to, None);
        let stored = h.store.stored(&guest_key()).unwrap();
        assert_eq!(stored.value.language, Some(language));
        assert_eq!(h.store.last_ttl(), Some(SESSION_TTL));
    }
}

#[tokio::test]
async fn other_text_gets_the_help_reply_and_small_talk_its_own() {
    let h = harness();
    let hotel = tenant(&Language::ALL);
    let cases = [
        (
            "do you have a room for friday?",
            Language::En,
            MessageKey::Help,
        ),
        ("muchas gracias!", Language::Es, MessageKey::Thanks),
        ("tchau, até logo", Language::Pt, MessageKey::Goodbye),
    ];
    for (body, language, key) in cases {
        let replies = h
            .orchestrator
            .handle(&hotel, &text(body, start()))
            .await
            .unwrap();
        assert_eq!(only_body(&replies), expected(language, key), "{body:?}");
    }
}

#[tokio::test]
async fn reactions_and_system_notices_get_nothing_and_touch_nothing() {
    let h = harness();
    let hotel = tenant(&Language::ALL);
    for kind in [InboundKind::Reaction, InboundKind::System] {
        let replies = h
            .orchestrator
            .handle(&hotel, &message(kind, Some("👍"), start()))
            .await
            .unwrap();
        assert!(replies.is_empty());
    }
    assert_eq!(h.store.saves(), 0);
    assert!(h.nlu.contexts().is_empty());
}

#[tokio::test]
async fn media_is_acknowledged_and_unreadable_messages_ask_for_text() {
    let h = harness();
    let hotel = tenant(&Language::ALL);
    let cases = [
        (InboundKind::Image, MessageKey::AckImage),
        (InboundKind::Audio, MessageKey::AckAudio),
        (InboundKind::Video, MessageKey::AckVideo),
        (InboundKind::Document, MessageKey::AckDocument),
        (InboundKind::Sticker, MessageKey::AckSticker),
        (InboundKind::Location, MessageKey::AckLocation),
        (InboundKind::Contacts, MessageKey::AckContacts),
        (InboundKind::Unsupported, MessageKey::Unsupported),
        (InboundKind::Order, MessageKey::Unsupported),
    ];
    for (kind, key) in cases {
        let replies = h
            .orchestrator
            .handle(&hotel, &message(kind, None, start()))
            .await
            .unwrap();
        // No language known yet: the hotel's default.
        assert_eq!(only_body(&replies), expected(Language::Es, key), "{kind:?}");
    }
    let history = h.store.stored(&guest_key()).unwrap().value.history;
    assert_eq!(history[0].text, "[image]");
    assert_eq!(history[0].role, TurnRole::Guest);
    assert_eq!(history[1].role, TurnRole::Assistant);
}

#[tokio::test]
async fn interactive_replies_are_understood_like_text() {
    let h = harness();
    let hotel = tenant(&Language::ALL);
    let mut button = message(InboundKind::Button, None, start());
    button.reply_id = Some("hello".into());
    let replies = h.orchestrator.handle(&hotel, &button).await.unwrap();
    assert_eq!(
        only_body(&replies),
        expected(Language::En, MessageKey::Greeting)
    );
    let list_reply = message(InboundKind::Interactive, Some("Olá"), start());
    let replies = h.orchestrator.handle(&hotel, &list_reply).await.unwrap();
    assert_eq!(
        only_body(&replies),
        expected(Language::Pt, MessageKey::Greeting)
    );
}

#[tokio::test]
async fn a_choice_naming_an_intent_is_routed_by_its_id() {
    let h = harness();
    let hotel = tenant(&Language::ALL);
    // The title reads like a goodbye; the id says "thanks": the id wins, the title gives the
    // language.
    let mut choice = message(InboundKind::Interactive, Some("Tchau, obrigado"), start());
    choice.reply_id = Some("intent:thanks".into());
    let replies = h.orchestrator.handle(&hotel, &choice).await.unwrap();
    assert_eq!(
        only_body(&replies),
        expected(Language::Pt, MessageKey::Thanks)
    );
}

#[tokio::test]
async fn a_changed_number_moves_the_conversation() {
    let h = harness();
    let hotel = tenant(&Language::ALL);
    h.orchestrator
        .handle(&hotel, &text("Hello there", start()))
        .await
        .unwrap();
    let mut notice = message(InboundKind::System, Some("User changed number"), start());
    notice.reply_id = Some("5491166660000".into());
    let replies = h.orchestrator.handle(&hotel, &notice).await.unwrap();
    assert!(replies.is_empty());
    assert!(
        h.store.stored(&guest_key()).is_none(),
        "the old key is gone"
    );
    let moved = h
        .store
        .stored(&SessionKey::new(
            TenantId::new("sur"),
            WaId::new("5491166660000"),
        ))
        .expect("moved");
    assert_eq!(moved.value.language, Some(Language::En));
    assert_eq!(moved.value.history.len(), 2);

    // A notice without a new id, or naming the same id, changes nothing.
    let mut same = message(InboundKind::System, None, start());
    same.reply_id = Some(GUEST.into());
    assert!(
        h.orchestrator
            .handle(&hotel, &same)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn language_is_remembered_across_turns() {
    let h = harness();
    let hotel = tenant(&Language::ALL);
    h.orchestrator
        .handle(&hotel, &text("olá, bom dia", start()))
        .await
        .unwrap();
    // A photo without caption and an ambiguous "ok" are answered in the remembered language.
    let replies = h
        .orchestrator
        .handle(&hotel, &message(InboundKind::Image, None, start()))
        .await
        .unwrap();
    assert_eq!(
        only_body(&replies),
        expected(Language::Pt, MessageKey::AckImage)
    );
    let replies = h
        .orchestrator
        .handle(&hotel, &text("ok 👍", start()))
        .await
        .unwrap();
    assert_in_language(only_body(&replies), Language::Pt);
    let contexts = h.nlu.contexts();
    assert_eq!(contexts.len(), 2);
    assert_eq!(contexts[0].conversation_language, None);
    assert_eq!(contexts[1].conversation_language, Some(Language::Pt));
    // A clear switch of language is followed.
    let replies = h
        .orchestrator
        .handle(&hotel, &text("sorry, do you speak english?", start()))
        .await
        .unwrap();
    assert_in_language(only_body(&replies), Language::En);
    assert_eq!(
        h.store.stored(&guest_key()).unwrap().value.language,
        Some(Language::En)
    );
}

#[tokio::test]
async fn a_language_the_hotel_does_not_offer_gets_the_default() {
    let h = harness();
    let hotel = tenant(&[Language::Es, Language::En]);
    let replies = h
        .orchestrator
        .handle(&hotel, &text("oi, tudo bem?", start()))
        .await
        .unwrap();
    assert_eq!(
        only_body(&replies),
        expected(Language::Es, MessageKey::Greeting)
    );
}

#[tokio::test]
async fn reference_date_is_the_message_date_in_the_hotel_time_zone() {
    let h = harness();
    let hotel = tenant(&Language::ALL);
    // 01:30 UTC on the 26th is 22:30 on the 25th in Buenos Aires.
    let late = start() + Duration::minutes(630);
    h.orchestrator
        .handle(&hotel, &text("hola", late))
        .await
        .unwrap();
    assert_eq!(
        h.nlu.contexts()[0].reference_date,
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    );
    assert_eq!(
        late.date_naive(),
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    );
}

#[tokio::test]
async fn a_lost_compare_and_set_is_retried_on_the_fresh_session() {
    let h = harness();
    let hotel = tenant(&Language::ALL);
    h.orchestrator
        .handle(&hotel, &text("hola", start()))
        .await
        .unwrap();
    h.store.lose_next_saves(MAX_SAVE_ATTEMPTS - 1);
    h.clock.advance(Duration::minutes(1));
    let replies = h
        .orchestrator
        .handle(&hotel, &text("gracias", h.clock.now()))
        .await
        .unwrap();
    assert_eq!(
        only_body(&replies),
        expected(Language::Es, MessageKey::Thanks)
    );
    assert_eq!(h.store.saves(), 1 + MAX_SAVE_ATTEMPTS);
    let history = h.store.stored(&guest_key()).unwrap().value.history;
    let roles: Vec<TurnRole> = history.iter().map(|t| t.role).collect();
    // The concurrent writers' turns are kept; ours is applied once, on top.
    let staff = roles.iter().filter(|r| **r == TurnRole::Staff).count();
    assert_eq!(staff as u32, MAX_SAVE_ATTEMPTS - 1);
    assert_eq!(history.iter().filter(|t| t.text == "gracias").count(), 1);
    assert_eq!(roles.last(), Some(&TurnRole::Assistant));
    assert_eq!(history.last().unwrap().at, h.clock.now());
}

#[tokio::test]
async fn a_session_that_keeps_changing_is_an_error() {
    let h = harness();
    let hotel = tenant(&Language::ALL);
    h.store.lose_next_saves(MAX_SAVE_ATTEMPTS);
    let result = h.orchestrator.handle(&hotel, &text("hola", start())).await;
    assert!(
        matches!(result, Err(OrchestratorError::SessionConflict { attempts }) if attempts == MAX_SAVE_ATTEMPTS)
    );
}

#[tokio::test]
async fn history_keeps_the_last_turns_only() {
    let h = harness();
    let hotel = tenant(&Language::ALL);
    for i in 0..15 {
        h.clock.advance(Duration::seconds(30));
        h.orchestrator
            .handle(&hotel, &text(&format!("mensaje {i}"), h.clock.now()))
            .await
            .unwrap();
    }
    let session = h.store.stored(&guest_key()).unwrap().value;
    assert_eq!(session.history.len(), MAX_HISTORY_TURNS);
    assert_eq!(session.history[0].text, "mensaje 5");
    assert_eq!(session.history[MAX_HISTORY_TURNS - 2].text, "mensaje 14");
    assert_eq!(session.state, "idle");
    assert_eq!(session.updated_at, Some(h.clock.now()));
}

#[tokio::test]
async fn works_with_the_in_memory_store() {
    let clock = Arc::new(ManualClock::new(start()));
    let store: Arc<dyn SessionStore> = Arc::new(InMemorySessionStore::new(clock.clone()));
    let (orchestrator, _) = orchestrator_over(store.clone(), clock.clone());
    let hotel = tenant(&Language::ALL);
    orchestrator
        .handle(&hotel, &text("good morning", start()))
        .await
        .unwrap();
    let replies = orchestrator
        .handle(&hotel, &message(InboundKind::Sticker, None, start()))
        .await
        .unwrap();
    assert_eq!(
        only_body(&replies),
        expected(Language::En, MessageKey::AckSticker)
    );
    let stored = store.load(&guest_key()).await.unwrap().unwrap();
    assert_eq!(stored.version, 2);
    assert_eq!(stored.value.history.len(), 4);
    // After the TTL the conversation starts afresh.
    clock.advance(Duration::from_std(SESSION_TTL).unwrap() + Duration::seconds(1));
    assert!(store.load(&guest_key()).await.unwrap().is_none());
}

#[tokio::test]
async fn middling_confidence_asks_to_confirm_and_a_yes_acts() {
    use hotel_nlp::Intent;

    let nlu = Arc::new(crate::fakes::ScriptedNlu::default());
    nlu.answer("y la pile?", Language::Es, Intent::Amenities, 0.6);
    nlu.answer("dale", Language::Es, Intent::Affirm, 0.9);
    nlu.answer("ni idea", Language::Es, Intent::Pricing, 0.3);
    nlu.answer("no", Language::Es, Intent::Deny, 0.95);
    let store = Arc::new(InMemorySessionStore::new(Arc::new(ManualClock::new(
        start(),
    ))));
    let orchestrator = hotel_orchestrator::ConversationOrchestrator::new(
        nlu,
        store.clone(),
        Arc::new(ManualClock::new(start())),
        SESSION_TTL,
    );
    let hotel = tenant(&Language::ALL);

    let replies = orchestrator
        .handle(&hotel, &text("y la pile?", start()))
        .await
        .unwrap();
    let OutboundBody::Choices { body, choices, .. } = &replies[0].body else {
        panic!("a confirmation: {replies:?}")
    };
    assert!(body.contains("servicios del hotel"), "{body}");
    assert_eq!(choices[0].id, "intent:amenities");
    let session = store.load(&guest_key()).await.unwrap().unwrap().value;
    assert_eq!(session.data["last_question"], "confirm:amenities");

    // A typed yes acts on the pending topic and closes the question.
    let replies = orchestrator
        .handle(&hotel, &text("dale", start()))
        .await
        .unwrap();
    assert_eq!(
        only_body(&replies),
        expected(Language::Es, MessageKey::Help)
    );
    let session = store.load(&guest_key()).await.unwrap().unwrap().value;
    assert!(!session.data.contains_key("last_question"));

    // Low confidence: the main topics as buttons.
    let replies = orchestrator
        .handle(&hotel, &text("ni idea", start()))
        .await
        .unwrap();
    assert_eq!(
        only_body(&replies),
        expected(Language::Es, MessageKey::Clarify)
    );
    let OutboundBody::Choices { choices, .. } = &replies[0].body else {
        panic!("choices")
    };
    assert_eq!(choices.len(), 3);

    // A no to a pending confirmation offers the topics too.
    orchestrator
        .handle(&hotel, &text("y la pile?", start()))
        .await
        .unwrap();
    let replies = orchestrator
        .handle(&hotel, &text("no", start()))
        .await
        .unwrap();
    assert_eq!(
        only_body(&replies),
        expected(Language::Es, MessageKey::Clarify)
    );
}
