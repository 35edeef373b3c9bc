//! The intent classifier through the `Nlu` trait: clear requests in each language, mixed
//! messages labelled by the request, and low confidence for gibberish.

use hotel_nlp::{Intent, Nlu, NluResult};

use crate::{context, nlu};

async fn parse(text: &str) -> NluResult {
    nlu()
        .parse(text, &context())
        .await
        .expect("builtin never fails")
}

#[tokio::test]
async fn clear_requests_get_their_intent_with_high_confidence() {
    let cases = [
        (
            "¿tenés lugar para dos este finde?",
            Intent::CheckAvailability,
        ),
        (
            "do you have a room for 2 people from the 4th to the 6th?",
            Intent::CheckAvailability,
        ),
        ("quero cancelar minha reserva", Intent::CancelReservation),
        (
            "cómo hago para cancelar la reserva?",
            Intent::CancelReservation,
        ),
        ("what time is check out?", Intent::CheckInOutTimes),
        ("tem estacionamento?", Intent::Amenities),
        ("se cobra algo si cancelo?", Intent::CancellationPolicy),
        (
            "quanto custa o transfer do aeroporto?",
            Intent::AirportTransfer,
        ),
        ("I want to talk to a real person", Intent::HumanHandoff),
        ("no hay agua caliente en la ducha", Intent::Complaint),
        ("where is the hotel?", Intent::Location),
    ];
    for (text, intent) in cases {
        let result = parse(text).await;
        assert_eq!(result.intent, intent, "{text:?}");
        assert!(result.confidence >= 0.5, "{text:?}: {}", result.confidence);
    }
}

#[tokio::test]
async fn a_phatic_clause_does_not_decide_the_intent() {
    for (text, intent) in [
        (
            "hola buenas! cuánto sale la noche en la doble?",
            Intent::Pricing,
        ),
        ("thanks! and how do I pay the deposit?", Intent::Payment),
    ] {
        assert_eq!(parse(text).await.intent, intent, "{text:?}");
    }
}

#[tokio::test]
async fn gibberish_gets_low_confidence() {
    for text in ["zxqv", "qqqqqq wwwww", "🫠🫠"] {
        let result = parse(text).await;
        assert!(result.confidence < 0.45, "{text:?}: {result:?}");
    }
}
