//! Small talk, JSON shape and determinism.

use hotel_domain::Language;
use hotel_nlp::{BuiltinNlu, Intent, Nlu, NluResult};

use crate::{context, nlu};

async fn parse(text: &str) -> NluResult {
    nlu()
        .parse(text, &context())
        .await
        .expect("builtin never fails")
}

#[tokio::test]
async fn greetings_in_each_language_with_typos_and_emoji() {
    let greetings = [
        "hola",
        "Hola buenas!",
        "holaaa 👋",
        "hloa",
        "buen día",
        "buenos dias",
        "buenas tardes",
        "hola, ¿cómo estás?",
        "buenass",
        "que tal",
        "hi",
        "Hello!",
        "hey there",
        "good morning",
        "goood morning 🙂",
        "helo",
        "hi, how are you?",
        "oi",
        "olá",
        "oii tudo bem?",
        "bom dia",
        "boa tarde!",
        "e aí",
        "👋",
        "hola buenas, una consulta",
    ];
    for text in greetings {
        let result = parse(text).await;
        assert_eq!(result.intent, Intent::Greeting, "{text:?}");
        assert!(result.confidence >= 0.6, "{text:?}: {}", result.confidence);
    }
}

#[tokio::test]
async fn requests_and_chit_chat_are_not_greetings() {
    let others = [
        (
            "hola, tienen lugar para el finde?",
            Intent::CheckAvailability,
        ),
        ("hi, I need to book a double room", Intent::MakeReservation),
        ("oi, quanto custa a diária?", Intent::Pricing),
        ("quiero reservar", Intent::MakeReservation),
        ("who won the game?", Intent::OutOfScope),
    ];
    for (text, intent) in others {
        assert_eq!(parse(text).await.intent, intent, "{text:?}");
    }
    for text in ["", "🏨"] {
        let result = parse(text).await;
        assert!(result.confidence < 0.45, "{text:?}: {}", result.confidence);
    }
}

#[tokio::test]
async fn farewells_and_thanks() {
    for text in [
        "chau",
        "chau, nos vemos!",
        "bye",
        "see you later",
        "tchau",
        "até logo",
    ] {
        assert_eq!(parse(text).await.intent, Intent::Goodbye, "{text:?}");
    }
    for text in [
        "gracias",
        "mil gracias!!",
        "muchas grasias",
        "thanks",
        "thank you so much",
        "obrigada",
        "valeu 🙏",
    ] {
        assert_eq!(parse(text).await.intent, Intent::Thanks, "{text:?}");
    }
}

#[tokio::test]
async fn yes_and_no_are_surer_after_a_question() {
    let nlu = nlu();
    let plain = nlu.parse("dale, sí", &context()).await.expect("parse");
    let asked = nlu
        .parse(
            "dale, sí",
            &context().with_last_question(Some("confirm_booking".into())),
        )
        .await
        .expect("parse");
    assert_eq!(plain.intent, Intent::Affirm);
    assert_eq!(asked.intent, Intent::Affirm);
    assert!(asked.confidence > plain.confidence);
    assert_eq!(parse("no, gracias").await.intent, Intent::Deny);
}

#[tokio::test]
async fn json_has_the_interface_shape() {
    let result = parse("hola buenas").await;
    let json = serde_json::to_value(&result).expect("serialise");
    let object = json.as_object().expect("an object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["confidence", "entities", "intent", "language"]);
    assert_eq!(json["language"], "es");
    assert_eq!(json["intent"], "greeting");
    assert_eq!(json["entities"], serde_json::json!({}));
    let confidence = json["confidence"].as_f64().expect("a number");
    assert!((0.0..=1.0).contains(&confidence));
    let text = serde_json::to_string(&result).expect("serialise");
    assert!(
        text.starts_with(r#"{"language":"es","intent":"greeting","confidence":0."#),
        "{text}"
    );
}

#[tokio::test]
async fn parsing_is_deterministic() {
    let texts = [
        "hola buenas",
        "oi tudo",
        "hi there",
        "tenés lugar?",
        "??",
        "thanks!",
    ];
    let first = nlu();
    let second = BuiltinNlu::new().expect("embedded NLU data loads");
    for text in texts {
        let a = first.parse(text, &context()).await.expect("parse");
        let b = second.parse(text, &context()).await.expect("parse");
        let c = first.parse(text, &context()).await.expect("parse");
        assert_eq!(a, b, "{text:?}");
        assert_eq!(a, c, "{text:?}");
    }
    assert_eq!(parse("bom dia").await.language, Language::Pt);
}
