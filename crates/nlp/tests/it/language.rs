//! Language identification on short, informal messages.

use hotel_domain::Language;
use hotel_nlp::Nlu;

use crate::{context, nlu};

const SPANISH: &[&str] = &[
    "hola buenas",
    "tenés lugar?",
    "tenes lugar?",
    "cuánto sale?",
    "buen día",
    "quiero reservar",
    "tienen cochera?",
    "dale, gracias",
    "me confirmás la reserva?",
    "chau, nos vemos",
    "mil gracias!!",
    "necesito cancelar",
    "hay desayuno?",
    "a qué hora es el check out?",
    "cuanto sale la noche",
    "tienen pileta?",
    "somos dos adultos",
    "no funciona el aire",
    "quiero hablar con alguien",
    "dónde queda el hotel?",
    "me pasás el precio?",
    "holaa buenas tardes",
    "una habitación doble",
    "hola como estas",
    "vos sabés si hay lugar?",
    "buenísimo, gracias",
];

const ENGLISH: &[&str] = &[
    "hi there",
    "hello",
    "good morning",
    "how much?",
    "any rooms tonight?",
    "thanks a lot",
    "see you",
    "I want to book",
    "where are you?",
    "is breakfast included?",
    "can I cancel?",
    "do you have parking?",
    "what time is checkout?",
    "talk to a human",
    "room for two",
    "the shower is broken",
    "do you allow pets?",
    "airport pickup?",
    "need a room",
    "hey whats up",
    "thank you!",
    "hiya 👋",
    "sounds good",
];

const PORTUGUESE: &[&str] = &[
    "oi tudo",
    "vocês têm vaga",
    "voces tem vaga",
    "bom dia",
    "olá, boa tarde",
    "quanto custa?",
    "quero reservar um quarto",
    "tem estacionamento?",
    "obrigado!",
    "valeu",
    "até logo",
    "vcs tem vaga?",
    "preciso cancelar",
    "que horas é o check out?",
    "tem café da manhã?",
    "o ar não funciona",
    "quero falar com alguém",
    "onde fica o hotel?",
    "quarto para dois",
    "aceita pix?",
    "tudo bem?",
    "voces tem quarto",
    "oi 😊",
];

async fn misidentified(cases: &[&str], expected: Language) -> Vec<String> {
    let nlu = nlu();
    let mut wrong = Vec::new();
    for text in cases {
        let result = nlu
            .parse(text, &context())
            .await
            .expect("builtin never fails");
        if result.language != expected {
            wrong.push(format!("{text:?} -> {}", result.language));
        }
    }
    wrong
}

#[tokio::test]
async fn identifies_short_spanish() {
    assert!(SPANISH.len() >= 20);
    assert_eq!(
        misidentified(SPANISH, Language::Es).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn identifies_short_english() {
    assert!(ENGLISH.len() >= 20);
    assert_eq!(
        misidentified(ENGLISH, Language::En).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn identifies_short_portuguese() {
    assert!(PORTUGUESE.len() >= 20);
    assert_eq!(
        misidentified(PORTUGUESE, Language::Pt).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn conversation_language_decides_ambiguous_text_only() {
    let nlu = nlu();
    for language in Language::ALL {
        let ctx = context().with_conversation_language(Some(language));
        for ambiguous in ["ok", "👍", "hotel", "123"] {
            let result = nlu.parse(ambiguous, &ctx).await.expect("parse");
            assert_eq!(
                result.language, language,
                "{ambiguous:?} with prior {language}"
            );
        }
    }
    let ctx = context().with_conversation_language(Some(Language::Es));
    let result = nlu
        .parse("do you have a room for tonight?", &ctx)
        .await
        .expect("parse");
    assert_eq!(result.language, Language::En);
    let result = nlu
        .parse("vocês têm quarto para hoje?", &ctx)
        .await
        .expect("parse");
    assert_eq!(result.language, Language::Pt);
}

#[tokio::test]
async fn forced_language_overrides_identification() {
    let ctx = context().with_forced_language(Some(Language::Pt));
    let result = nlu().parse("hello there", &ctx).await.expect("parse");
    assert_eq!(result.language, Language::Pt);
}
