//! The booking conversation through the real app: the webhook, the inbox worker, the built-in
//! NLU, the demo PMS, room holds and the Graph API mock, from the first question to the booking
//! reference.

use std::collections::BTreeMap;

use chrono::{FixedOffset, Utc};
use hotel_domain::Language;
use hotel_orchestrator::format_money;
use hotel_pms::{DemoInventory, Money, RoomTypeCode, Stay};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::harness::*;
use crate::on_both_backends;

const GUEST: &str = "5491155550700";

/// The text a send carries: a text body, or the body of an interactive message.
fn send_text(body: &Value) -> String {
    body["text"]["body"]
        .as_str()
        .or_else(|| body["interactive"]["body"]["text"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// Posts `message` from the guest and returns the send that answers it (the `n`th, 1-based).
async fn exchange(app: &TestApp, n: usize, wamid: &str, message: Value) -> Value {
    let webhook = message_webhook(GUEST, wamid, &now_timestamp(), message);
    assert_eq!(app.post_webhook(&webhook).await.status(), 200);
    let sends = app.wait_for_sends(n).await;
    assert_eq!(sends.len(), n, "one reply per message");
    let body = body_json(&sends[n - 1]);
    assert_eq!(body["to"], GUEST, "{body}");
    body
}

fn text(body: &str) -> Value {
    json!({"type": "text", "text": {"body": body}})
}

/// The stay "del 15 al 17" means for a message written now in Buenos Aires (UTC-3), as the NLU
/// reads it, and what a double costs for it in the default demo inventory.
fn expected_stay() -> (Stay, Money) {
    let buenos_aires = FixedOffset::west_opt(3 * 3600).expect("an offset");
    let today = Utc::now().with_timezone(&buenos_aires).date_naive();
    let entities = hotel_nlp::extract_entities("del 15 al 17", Language::Es, today);
    let stay = Stay::new(
        entities.check_in.expect("a check-in"),
        entities.check_out.expect("a check-out"),
    )
    .expect("a stay");
    let inventory = DemoInventory::default();
    let double = inventory
        .room_types
        .iter()
        .find(|room| room.code == RoomTypeCode::Double)
        .expect("a double");
    let total: i64 = stay.night_dates().map(|night| double.rate_for(night)).sum();
    (stay, Money::from_units(total, inventory.currency.as_str()))
}

async fn a_spanish_conversation_ends_with_the_booking_reference(backend: hotel_store::Backend) {
    let app = TestApp::spawn_with(backend, |settings| {
        let booking = &mut settings.hotel.booking;
        booking.confirmation = hotel_agent::settings::BookingConfirmation::Auto;
        booking.deposit_percent = 30;
        booking.hold_minutes = 15;
        booking.payment_instructions = BTreeMap::from([(
            Language::Es,
            "Transferí la seña al alias HOTEL.DEMO.PAGOS.".to_owned(),
        )]);
    })
    .await;
    accept_all_sends(&app.graph).await;
    Mock::given(method("POST"))
        .and(path(format!("/{PHONE_NUMBER_ID}/media")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "555000111"})))
        .mount(&app.graph)
        .await;
    let (_, total) = expected_stay();
    let total_text = format_money(&total, Language::Es);
    let deposit = hotel_orchestrator::booking::deposit_of(&total, 30);

    // The question: the double, offered as one reply button.
    let offer = exchange(
        &app,
        1,
        "wamid.book.1",
        text("¿tienen doble del 15 al 17 para 2?"),
    )
    .await;
    assert_eq!(offer["type"], "interactive", "{offer}");
    assert_eq!(offer["interactive"]["type"], "button", "{offer}");
    let buttons = offer["interactive"]["action"]["buttons"]
        .as_array()
        .expect("buttons");
    assert_eq!(buttons.len(), 1, "{offer}");
    assert_eq!(buttons[0]["reply"]["id"], "room:double");
    assert_eq!(buttons[0]["reply"]["title"], "Doble");
    let offer_text = send_text(&offer);
    assert!(
        offer_text.contains("para 2 adultos, tenemos:"),
        "{offer_text}"
    );
    assert!(
        offer_text.contains(&format!("{total_text} en total")),
        "{total_text} in {offer_text}"
    );

    // The guest taps the button: the room is held and the name asked for.
    let tap = json!({"type": "interactive", "context": {"from": "15550783881", "id": "wamid.out.offer"},
                     "interactive": {"type": "button_reply", "button_reply": {"id": "room:double", "title": "Doble"}}});
    let held = send_text(&exchange(&app, 2, "wamid.book.2", tap).await);
    assert!(
        held.contains("Te guardo la habitación Doble por 15 minutos"),
        "{held}"
    );
    assert!(held.contains("nombre y apellido"), "{held}");

    let named = send_text(&exchange(&app, 3, "wamid.book.3", text("Ana Gómez")).await);
    assert!(named.contains("¡Gracias, Ana!"), "{named}");

    let payment = send_text(&exchange(&app, 4, "wamid.book.4", text("ana@example.com")).await);
    for part in [
        format!("Total: {total_text}."),
        format!("seña del 30%: {}.", format_money(&deposit, Language::Es)),
        "Transferí la seña al alias HOTEL.DEMO.PAGOS.".to_owned(),
        "Te guardamos la habitación hasta las".to_owned(),
    ] {
        assert!(payment.contains(&part), "{part:?} not in {payment}");
    }

    // The confirmation and the QR pass: two sends.
    let paid = message_webhook(GUEST, "wamid.book.5", &now_timestamp(), text("ya pagué"));
    assert_eq!(app.post_webhook(&paid).await.status(), 200);
    let sends = app.wait_for_sends(6).await;
    assert_eq!(sends.len(), 6, "the confirmation and the pass");
    let confirmed = send_text(&body_json(&sends[4]));
    let prefix = "¡Reserva confirmada! 🎉 Tu número de reserva es ";
    let reference = confirmed
        .strip_prefix(prefix)
        .and_then(|rest| rest.split_once(".\n"))
        .map(|(id, _)| id.to_owned())
        .expect("the confirmation names the booking");
    assert!(!reference.trim().is_empty(), "{confirmed}");
    assert!(
        confirmed
            .contains("Queda a nombre de Ana Gómez; te enviamos los detalles a ana@example.com."),
        "{confirmed}"
    );

    // The QR pass follows the confirmation (uploaded, sent by media id).
    let pass = body_json(&sends[5]);
    assert_eq!(pass["type"], "image", "{pass}");
    assert_eq!(pass["image"]["id"], "555000111");
    assert!(
        pass["image"]["caption"]
            .as_str()
            .is_some_and(|caption| caption.contains(&reference)),
        "{pass}"
    );

    // A retried delivery of the same "paid" message is not answered (nor booked) twice.
    let again = message_webhook(GUEST, "wamid.book.5", &now_timestamp(), text("ya pagué"));
    assert_eq!(app.post_webhook(&again).await.status(), 200);
    let after = exchange(&app, 7, "wamid.book.6", text("gracias!")).await;
    assert!(send_text(&after).contains("¡De nada!"), "{after}");
    app.stop().await;
}
on_both_backends!(
    spanish_booking,
    a_spanish_conversation_ends_with_the_booking_reference
);

/// One guest's lines and what the replies must say, in one language.
struct Script {
    language: Language,
    instructions: &'static str,
    question: &'static str,
    room_title: &'static str,
    held: &'static str,
    name: &'static str,
    thanks: &'static str,
    email: &'static str,
    paid: &'static str,
    confirmed_prefix: &'static str,
}

/// The whole conversation of `script` through the app, with automatic confirmation: the offer
/// as a button, the hold, the name and e-mail, the payment instructions, then the booking
/// reference and the QR pass; the demo PMS holds exactly one booking for the guest's reference.
async fn conversation_ends_with_the_booking_reference(
    backend: hotel_store::Backend,
    script: &Script,
) {
    let app = TestApp::spawn_with(backend, |settings| {
        let booking = &mut settings.hotel.booking;
        booking.confirmation = hotel_agent::settings::BookingConfirmation::Auto;
        booking.payment_instructions =
            BTreeMap::from([(script.language, script.instructions.to_owned())]);
    })
    .await;
    accept_all_sends(&app.graph).await;
    Mock::given(method("POST"))
        .and(path(format!("/{PHONE_NUMBER_ID}/media")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "555000222"})))
        .mount(&app.graph)
        .await;
    let (_, total) = expected_stay();
    let total_text = format_money(&total, script.language);

    let offer = exchange(&app, 1, "wamid.script.1", text(script.question)).await;
    assert_eq!(offer["interactive"]["type"], "button", "{offer}");
    let button = &offer["interactive"]["action"]["buttons"][0]["reply"];
    assert_eq!(button["id"], "room:double", "{offer}");
    assert_eq!(button["title"], script.room_title, "{offer}");
    assert!(
        send_text(&offer).contains(&total_text),
        "{total_text} in {offer}"
    );

    let tap = json!({"type": "interactive", "context": {"from": "15550783881", "id": "wamid.out.offer"},
                     "interactive": {"type": "button_reply", "button_reply": {"id": "room:double", "title": script.room_title}}});
    let held = send_text(&exchange(&app, 2, "wamid.script.2", tap).await);
    assert!(held.contains(script.held), "{held}");
    let named = send_text(&exchange(&app, 3, "wamid.script.3", text(script.name)).await);
    assert!(named.contains(script.thanks), "{named}");
    let payment = send_text(&exchange(&app, 4, "wamid.script.4", text(script.email)).await);
    assert!(payment.contains(script.instructions), "{payment}");
    assert!(payment.contains(&total_text), "{payment}");

    let paid = message_webhook(GUEST, "wamid.script.5", &now_timestamp(), text(script.paid));
    assert_eq!(app.post_webhook(&paid).await.status(), 200);
    let sends = app.wait_for_sends(6).await;
    assert_eq!(sends.len(), 6, "the confirmation and the pass");
    let confirmed = send_text(&body_json(&sends[4]));
    let reference = confirmed
        .strip_prefix(script.confirmed_prefix)
        .and_then(|rest| rest.split_once(".\n"))
        .map(|(id, _)| id.to_owned())
        .expect("the confirmation names the booking");
    assert!(confirmed.contains(script.email), "{confirmed}");
    let pass = body_json(&sends[5]);
    assert_eq!(pass["type"], "image", "{pass}");
    assert_eq!(pass["image"]["id"], "555000222");
    assert!(
        pass["image"]["caption"]
            .as_str()
            .is_some_and(|caption| caption.contains(&reference)),
        "{pass}"
    );
    app.stop().await;
}

async fn an_english_conversation_ends_with_the_booking_reference(backend: hotel_store::Backend) {
    let script = Script {
        language: Language::En,
        instructions: "Please wire the deposit to alias HOTEL.DEMO.PAY.",
        question: "do you have a double from the 15th to the 17th for 2?",
        room_title: "Double",
        held: "I'm holding a Double room for you for 15 minutes",
        name: "John Smith",
        thanks: "Thanks, John!",
        email: "john@example.com",
        paid: "paid",
        confirmed_prefix: "Booking confirmed! 🎉 Your booking number is ",
    };
    conversation_ends_with_the_booking_reference(backend, &script).await;
}
on_both_backends!(
    english_booking,
    an_english_conversation_ends_with_the_booking_reference
);

async fn a_portuguese_conversation_ends_with_the_booking_reference(backend: hotel_store::Backend) {
    let script = Script {
        language: Language::Pt,
        instructions: "Transfira o sinal para a chave HOTEL.DEMO.PIX.",
        question: "quero reservar um quarto de casal do dia 15 ao 17 para 2 pessoas",
        room_title: "Casal",
        held: "Vou segurar o quarto Casal para você por 15 minutos",
        name: "Maria Souza",
        thanks: "Obrigado, Maria!",
        email: "maria@example.com",
        paid: "já paguei",
        confirmed_prefix: "Reserva confirmada! 🎉 O número da sua reserva é ",
    };
    conversation_ends_with_the_booking_reference(backend, &script).await;
}
on_both_backends!(
    portuguese_booking,
    a_portuguese_conversation_ends_with_the_booking_reference
);
