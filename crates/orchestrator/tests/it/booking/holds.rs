//! Availability across turns and rooms held: follow-up questions, missing dates, the last room,
//! cancelling.

use chrono::NaiveDate;
use hotel_domain::{Language, RoomTypeCode};
use hotel_nlp::{Entities, Intent};
use hotel_orchestrator::{BookingStage, Confirmation};

use super::{ANA, BRUNO, Desk, assert_contains, body, choice_ids, dec};

#[tokio::test]
async fn a_follow_up_changes_only_the_guests() {
    let desk = Desk::new(Confirmation::Auto);
    desk.say(ANA, "¿tienen doble del 15 al 17 para 2?").await;
    let three = desk.say(ANA, "y para 3?").await;
    assert_contains(
        &body(&three),
        &[
            "El tipo de habitación que pediste no está disponible para esas fechas",
            "Del 15 de diciembre al 17 de diciembre (2 noches), para 3 adultos, tenemos:",
            "• Familiar: $ 130.000 por noche, $ 260.000 en total",
        ],
    );
    assert_eq!(choice_ids(&three), ["room:family"]);
    let draft = desk.draft(ANA).await.expect("a draft");
    assert_eq!(
        (draft.check_in, draft.check_out),
        (Some(dec(15)), Some(dec(17)))
    );
    assert_eq!(draft.adults, Some(3));
    assert_eq!(
        draft.room_type,
        Some(RoomTypeCode::Double),
        "still what she asked for"
    );

    // New dates replace the old ones and keep the guests.
    let later = desk.say(ANA, "y del 20 al 22?").await;
    assert_contains(
        &body(&later),
        &["Del 20 de diciembre al 22 de diciembre (2 noches), para 3 adultos"],
    );
}

#[tokio::test]
async fn missing_dates_and_guests_are_asked_one_at_a_time() {
    let desk = Desk::new(Confirmation::Auto);
    let dates = body(&desk.say(ANA, "quiero reservar").await);
    assert_contains(&dates, &["¿Para qué fechas sería?"]);
    let session = desk.session(ANA).await.expect("a session");
    assert_eq!(session.data["last_question"], "booking:dates");
    assert_eq!(session.state, "booking:collecting");

    let guests = body(&desk.say(ANA, "15 al 17").await);
    assert_contains(&guests, &["¿Para cuántas personas sería?"]);
    // A bare number answers the open question.
    let offer = desk.say(ANA, "2").await;
    assert_contains(
        &body(&offer),
        &[
            "Del 15 de diciembre al 17 de diciembre (2 noches), para 2 adultos, tenemos:",
            "• Doble",
            "• Suite",
        ],
    );
    // Cheapest first; the single does not take two adults.
    assert_eq!(
        choice_ids(&offer),
        ["room:double", "room:family", "room:suite"]
    );
    // Interactive choices: the WhatsApp layer shows three as buttons.
    let hotel_domain::OutboundBody::Choices { button, .. } = &offer[0].body else {
        panic!("choices")
    };
    assert_eq!(button.as_deref(), Some("Ver habitaciones"));
}

#[tokio::test]
async fn an_arrival_alone_asks_for_the_departure() {
    let desk = Desk::new(Confirmation::Auto);
    let until = body(&desk.say(ANA, "quiero reservar desde el 15").await);
    assert_contains(&until, &["llegada el 15 de diciembre", "¿Hasta qué día"]);
    let guests = body(&desk.say(ANA, "hasta el 17").await);
    assert_contains(&guests, &["¿Para cuántas personas"]);
    let draft = desk.draft(ANA).await.expect("a draft");
    assert_eq!(
        (draft.check_in, draft.check_out),
        (Some(dec(15)), Some(dec(17)))
    );
}

#[tokio::test]
async fn the_last_room_held_by_one_guest_is_gone_for_the_next() {
    let desk = Desk::new(Confirmation::Auto);
    let ask = "¿tienen suite del 15 al 17 para 2?";
    assert_eq!(choice_ids(&desk.say(ANA, ask).await), ["room:suite"]);
    desk.tap(ANA, "room:suite", "Suite").await;
    assert_eq!(desk.held(RoomTypeCode::Suite).await, 1);

    // The PMS still has the suite free (a hold is not a booking), so Bruno is offered it…
    assert_eq!(choice_ids(&desk.say(BRUNO, ask).await), ["room:suite"]);
    // …but when he picks it, it is Ana's for now.
    let gone = desk.tap(BRUNO, "room:suite", "Suite").await;
    assert_contains(
        &body(&gone),
        &[
            "¡Uy! Justo se ocupó la última habitación Suite para esas fechas.",
            "• Doble",
        ],
    );
    assert!(!choice_ids(&gone).contains(&"room:suite".to_owned()));
    assert_eq!(
        desk.draft(BRUNO).await.map(|d| d.stage),
        Some(BookingStage::Choosing)
    );
    assert_eq!(desk.held(RoomTypeCode::Suite).await, 1);

    // Ana cancels: the hold is released and Bruno can have the suite.
    let cancelled = body(&desk.say(ANA, "cancelar").await);
    assert_contains(&cancelled, &["cancelé la solicitud"]);
    assert_eq!(desk.draft(ANA).await, None);
    assert_eq!(desk.held(RoomTypeCode::Suite).await, 0);
    let held = body(&desk.tap(BRUNO, "room:suite", "Suite").await);
    assert_contains(&held, &["Te guardo la habitación Suite"]);
}

#[tokio::test]
async fn changing_the_dates_after_picking_releases_the_room() {
    let desk = Desk::new(Confirmation::Auto);
    desk.say(ANA, "¿tienen suite del 15 al 17 para 2?").await;
    desk.tap(ANA, "room:suite", "Suite").await;
    assert_eq!(desk.held(RoomTypeCode::Suite).await, 1);
    let offer = desk.say(ANA, "mejor del 20 al 22").await;
    assert_contains(&body(&offer), &["Del 20 de diciembre al 22 de diciembre"]);
    assert_eq!(desk.held(RoomTypeCode::Suite).await, 0);
    let draft = desk.draft(ANA).await.expect("a draft");
    assert_eq!(draft.stage, BookingStage::Choosing);
    assert!(draft.hold.is_none() && draft.chosen.is_none());
}

#[tokio::test]
async fn an_aside_keeps_the_booking_question_open() {
    let desk = Desk::new(Confirmation::Auto);
    desk.say(ANA, "¿tienen doble del 15 al 17 para 2?").await;
    desk.tap(ANA, "room:double", "Doble").await;
    let thanks = body(&desk.say(ANA, "gracias!").await);
    assert_contains(&thanks, &["¡De nada!"]);
    let named = body(&desk.say(ANA, "Ana Gómez").await);
    assert_contains(&named, &["¡Gracias, Ana!"]);
}

#[tokio::test]
async fn a_draft_whose_check_in_passed_is_forgotten() {
    let desk = Desk::new(Confirmation::Auto);
    desk.say(ANA, "quiero reservar").await;
    desk.say(ANA, "15 al 17").await;
    // She comes back on the 18th: the old question is not hers any more.
    desk.clock.advance(chrono::Duration::days(23));
    let hello = body(&desk.say(ANA, "2").await);
    assert!(!hello.contains("tenemos:"), "{hello}");
    let dates = body(&desk.say(ANA, "quiero reservar").await);
    assert_contains(&dates, &["¿Para qué fechas sería?"]);
    let draft = desk.draft(ANA).await.expect("a new draft");
    assert_eq!((draft.check_in, draft.adults), (None, None));
}

#[tokio::test]
async fn the_availability_option_of_the_menu_starts_the_booking() {
    let desk = Desk::new(Confirmation::Auto);
    let dates = body(
        &desk
            .tap(ANA, "intent:check_availability", "Disponibilidad")
            .await,
    );
    assert_contains(&dates, &["¿Para qué fechas sería?"]);
    assert_eq!(
        desk.draft(ANA).await.map(|d| d.stage),
        Some(BookingStage::Collecting)
    );
}

#[tokio::test]
async fn uneven_nightly_prices_show_the_average() {
    let desk = Desk::new(Confirmation::Auto);
    // Thursday at 65.000 and Friday at the weekend rate, 78.000.
    let offer = body(&desk.say(ANA, "¿tienen doble del 17 al 19 para 2?").await);
    assert_contains(
        &offer,
        &["• Doble: $ 71.500 por noche en promedio, $ 143.000 en total"],
    );
}

#[tokio::test]
async fn stale_availability_is_flagged() {
    let desk = Desk::new(Confirmation::Auto);
    desk.pms.serve_stale_quotes();
    let offer = body(&desk.say(ANA, "¿tienen doble del 15 al 17 para 2?").await);
    assert_contains(&offer, &["pueden haber cambiado", "• Doble"]);
}

#[tokio::test]
async fn a_stay_too_long_asks_for_the_dates_again() {
    // The built-in NLU never reads a stay over 90 nights; another backend might.
    let nlu = std::sync::Arc::new(crate::fakes::ScriptedNlu::default());
    let text = "quiero reservar para 2 del 15 de diciembre al 30 de marzo";
    nlu.answer(text, Language::Es, Intent::MakeReservation, 0.95);
    nlu.entities(
        text,
        Entities {
            check_in: Some(dec(15)),
            check_out: NaiveDate::from_ymd_opt(2027, 3, 30),
            adults: Some(2),
            ..Entities::default()
        },
    );
    let desk = Desk::with_nlu(Confirmation::Auto, nlu);
    let reply = body(&desk.say(ANA, text).await);
    assert_contains(&reply, &["puedo reservar hasta 90 noches"]);
    let draft = desk.draft(ANA).await.expect("a draft");
    assert_eq!((draft.check_in, draft.adults), (None, Some(2)));
    assert_eq!(
        desk.session(ANA).await.expect("a session").data["last_question"],
        "booking:dates"
    );
}

#[tokio::test]
async fn names_and_emails_are_asked_again_until_usable() {
    let desk = Desk::new(Confirmation::Auto);
    desk.say(ANA, "¿tienen doble del 15 al 17 para 2?").await;
    // A typed position picks from the list.
    assert_contains(
        &body(&desk.say(ANA, "1").await),
        &["Te guardo la habitación Doble"],
    );
    assert_contains(
        &body(&desk.say(ANA, "Ana").await),
        &["necesito nombre y apellido"],
    );
    desk.say(ANA, "Ana Gómez").await;
    assert_contains(
        &body(&desk.say(ANA, "ana@").await),
        &["Ese e-mail no parece completo"],
    );
    assert_contains(
        &body(&desk.say(ANA, "ana@example.com").await),
        &["seña del 30%"],
    );
}
