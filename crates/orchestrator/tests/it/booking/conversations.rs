//! Whole conversations, from the first question to the booking reference (automatic
//! confirmation) or to staff confirmation, in Spanish, English and Portuguese.

use hotel_domain::{RoomTypeCode, WaId};
use hotel_orchestrator::{BookingStage, Completion, Confirmation};
use hotel_pms::{BookingId, Pms};

use super::{ANA, Desk, assert_contains, body, choice_ids, dec, inventory};

/// Ana asks for a double from the 15th to the 17th, picks it, gives her name and e-mail: the
/// payment instructions. Returns the last reply's text.
pub async fn spanish_up_to_payment(desk: &Desk) -> String {
    let offer = desk.say(ANA, "¿tienen doble del 15 al 17 para 2?").await;
    assert_contains(
        &body(&offer),
        &[
            "Del 15 de diciembre al 17 de diciembre (2 noches), para 2 adultos, tenemos:",
            "• Doble: $ 65.000 por noche, $ 130.000 en total",
            "¿Cuál te reservo?",
        ],
    );
    assert_eq!(
        choice_ids(&offer),
        ["room:double"],
        "the type asked for only"
    );

    let held = desk.tap(ANA, "room:double", "Doble").await;
    assert_contains(
        &body(&held),
        &[
            "Te guardo la habitación Doble por 15 minutos",
            "¿A nombre de quién hago la reserva?",
        ],
    );
    assert_eq!(desk.held(RoomTypeCode::Double).await, 1);

    let named = desk.say(ANA, "ana gómez").await;
    assert_contains(&body(&named), &["¡Gracias, Ana!", "e-mail"]);

    let payment = body(&desk.say(ANA, "ana@example.com").await);
    assert_contains(
        &payment,
        &[
            "Tu reserva: habitación Doble, del 15 de diciembre al 17 de diciembre (2 noches), para 2 adultos. Total: $ 130.000.",
            "seña del 30%: $ 39.000.",
            "Transferí la seña al alias HOTEL.SUR.PAGOS",
            // Held at 15:01 UTC for 15 minutes: 12:16 in Buenos Aires.
            "Te guardamos la habitación hasta las 12:16.",
        ],
    );
    let draft = desk.draft(ANA).await.expect("a draft");
    assert_eq!(draft.stage, BookingStage::Payment);
    assert_eq!(draft.guest_name.as_deref(), Some("Ana Gómez"));
    assert!(draft.reference.is_some(), "the idempotency key is fixed");
    payment
}

#[tokio::test]
async fn spanish_from_the_first_question_to_the_booking_reference() {
    let desk = Desk::new(Confirmation::Auto);
    spanish_up_to_payment(&desk).await;

    let confirmed = body(&desk.say(ANA, "ya pagué").await);
    let draft = desk.draft(ANA).await.expect("a draft");
    assert_eq!(draft.stage, BookingStage::Booked);
    let id = draft.booking_id.clone().expect("booked");
    assert_contains(
        &confirmed,
        &[
            &format!("¡Reserva confirmada! 🎉 Tu número de reserva es {id}."),
            "Habitación Doble, del 15 de diciembre al 17 de diciembre (2 noches), para 2 adultos. Total: $ 130.000.",
            "Queda a nombre de Ana Gómez; te enviamos los detalles a ana@example.com.",
        ],
    );
    let booking = desk
        .pms
        .booking(&desk.hotel.tenant_id, &id)
        .await
        .expect("in the PMS");
    assert_eq!(booking.reference, draft.reference);
    assert_eq!(
        (
            booking.guest.first_name.as_str(),
            booking.guest.last_name.as_str()
        ),
        ("Ana", "Gómez")
    );
    assert_eq!(booking.guest.phone.as_deref(), Some("+5491155550000"));
    assert_eq!(
        (booking.stay.check_in(), booking.stay.check_out()),
        (dec(15), dec(17))
    );
    assert_eq!(booking.adults, 2);
    assert_eq!(desk.pms.creates(), 1);
    assert_eq!(desk.free(RoomTypeCode::Double).await, 4);
    assert_eq!(desk.held(RoomTypeCode::Double).await, 0, "hold released");
    let session = desk.session(ANA).await.expect("a session");
    assert_eq!(session.state, "idle");
    assert!(!session.data.contains_key("last_question"));
}

#[tokio::test]
async fn spanish_with_staff_confirmation_waits_for_the_team() {
    let desk = Desk::new(Confirmation::Staff);
    spanish_up_to_payment(&desk).await;

    let received = body(&desk.send_image(ANA).await);
    let mut draft = desk.draft(ANA).await.expect("a draft");
    let reference = draft.reference.clone().expect("a reference");
    assert_contains(
        &received,
        &[
            "Recibimos tu aviso de pago",
            &format!("Tu número de solicitud es {reference}."),
        ],
    );
    assert_eq!(draft.stage, BookingStage::AwaitingConfirmation);
    assert_eq!(
        desk.session(ANA).await.expect("a session").state,
        "booking:awaiting_confirmation"
    );
    assert_eq!(desk.pms.creates(), 0, "staff confirm the payment first");
    assert_eq!(
        draft.hold.as_ref().map(|hold| hold.extensions),
        Some(1),
        "the room is kept a while longer for staff"
    );
    let again = body(&desk.say(ANA, "ya pagué").await);
    assert_contains(&again, &["Tu pago ya está en revisión"]);

    // The seam the admin confirm route will use: book the draft, get the guest's messages.
    let completion = desk
        .services
        .complete_booking(&desk.hotel, &WaId::new(ANA), &mut draft)
        .await
        .expect("completed");
    let Completion::Booked {
        booking_id,
        messages,
    } = completion.clone()
    else {
        panic!("booked: {completion:?}")
    };
    assert_eq!(draft.stage, BookingStage::Booked);
    let hotel_domain::OutboundBody::Text { body, .. } = &messages[0] else {
        panic!("a text")
    };
    assert!(
        body.contains(&format!("Tu número de reserva es {booking_id}.")),
        "{body}"
    );
    // Completing again finds the booking made.
    let again = desk
        .services
        .complete_booking(&desk.hotel, &WaId::new(ANA), &mut draft)
        .await
        .expect("completed");
    assert!(matches!(again, Completion::Booked { booking_id: ref id, .. } if *id == booking_id));
    assert_eq!(desk.pms.creates(), 1);
    assert_eq!(desk.free(RoomTypeCode::Double).await, 4);
    let _: &BookingId = &booking_id;
}

#[tokio::test]
async fn english_from_the_first_question_to_the_booking_reference() {
    let desk = Desk::build(Confirmation::Auto, inventory("USD", 120), None);
    let offer = desk
        .say(ANA, "do you have a double from the 15th to the 17th for 2?")
        .await;
    assert_contains(
        &body(&offer),
        &[
            "From December 15 to December 17 (2 nights), for 2 adults, we have:",
            "• Double: US$120 per night, US$240 in total",
        ],
    );
    let held = body(&desk.tap(ANA, "room:double", "Double").await);
    assert_contains(
        &held,
        &[
            "I'm holding a Double room for you for 15 minutes",
            "first and last name",
        ],
    );
    assert_contains(
        &body(&desk.say(ANA, "John Smith").await),
        &["Thanks, John!"],
    );
    let payment = body(&desk.say(ANA, "john@example.com").await);
    assert_contains(
        &payment,
        &[
            "Total: US$240.",
            "a 30% deposit: US$72.",
            "Please wire the deposit to alias HOTEL.SUR.PAGOS",
            "We'll hold the room until 12:16.",
        ],
    );
    let confirmed = body(&desk.say(ANA, "paid").await);
    let id = desk
        .draft(ANA)
        .await
        .and_then(|d| d.booking_id)
        .expect("booked");
    assert_contains(
        &confirmed,
        &[
            &format!("Booking confirmed! 🎉 Your booking number is {id}."),
            "It's under John Smith; we'll send the details to john@example.com.",
        ],
    );
    assert_eq!(desk.pms.creates(), 1);
}

#[tokio::test]
async fn portuguese_from_the_first_question_to_the_booking_reference() {
    let desk = Desk::build(Confirmation::Auto, inventory("BRL", 1_234), None);
    let offer = desk
        .say(
            ANA,
            "quero reservar um quarto de casal do dia 15 ao 17 para 2 pessoas",
        )
        .await;
    assert_contains(
        &body(&offer),
        &[
            "De 15 de dezembro a 17 de dezembro (2 noites), para 2 adultos, temos:",
            "• Casal: R$ 1.234 por noite, R$ 2.468 no total",
            "Qual eu reservo para você?",
        ],
    );
    // A typed pick, by the room's name.
    let held = body(&desk.say(ANA, "o casal").await);
    assert_contains(
        &held,
        &[
            "Vou segurar o quarto Casal para você por 15 minutos",
            "nome e sobrenome",
        ],
    );
    assert_contains(
        &body(&desk.say(ANA, "Maria Souza").await),
        &["Obrigado, Maria!"],
    );
    let payment = body(&desk.say(ANA, "maria@example.com").await);
    assert_contains(
        &payment,
        &[
            "Total: R$ 2.468.",
            "sinal de 30%: R$ 740,40.",
            // No Portuguese instructions configured: the hotel's default language.
            "Transferí la seña al alias HOTEL.SUR.PAGOS",
            "Seguramos o quarto até as 12:16.",
        ],
    );
    let confirmed = body(&desk.say(ANA, "já paguei").await);
    let id = desk
        .draft(ANA)
        .await
        .and_then(|d| d.booking_id)
        .expect("booked");
    assert_contains(
        &confirmed,
        &[&format!(
            "Reserva confirmada! 🎉 O número da sua reserva é {id}."
        )],
    );
    assert_eq!(desk.pms.creates(), 1);
}
