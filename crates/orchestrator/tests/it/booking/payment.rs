//! Paying: lapsed holds, duplicates and retries never book twice, a PMS outage while booking.

use std::sync::Arc;

use chrono::Duration;
use hotel_domain::{InboundKind, RoomTypeCode};
use hotel_orchestrator::{BookingStage, Confirmation, MAX_SAVE_ATTEMPTS, OrchestratorError};

use super::conversations::spanish_up_to_payment;
use super::{ANA, BRUNO, Desk, assert_contains, body, inventory};
use crate::fakes::FakeSessionStore;

#[tokio::test]
async fn a_lapsed_hold_is_taken_again_when_the_room_is_still_free() {
    let desk = Desk::new(Confirmation::Auto);
    spanish_up_to_payment(&desk).await;
    desk.clock.advance(Duration::minutes(20));
    assert_eq!(desk.held(RoomTypeCode::Double).await, 0, "lapsed");

    let confirmed = body(&desk.say(ANA, "ya pagué").await);
    assert_contains(&confirmed, &["¡Reserva confirmada!"]);
    assert_eq!(desk.pms.creates(), 1);
    assert_eq!(desk.free(RoomTypeCode::Double).await, 4);
    assert_eq!(desk.held(RoomTypeCode::Double).await, 0);
}

#[tokio::test]
async fn a_lapsed_hold_on_a_room_someone_else_took_goes_to_staff() {
    let desk = Desk::new(Confirmation::Auto);
    desk.say(ANA, "¿tienen suite del 15 al 17 para 2?").await;
    desk.tap(ANA, "room:suite", "Suite").await;
    desk.say(ANA, "Ana Gómez").await;
    desk.say(ANA, "ana@example.com").await;
    assert_eq!(
        desk.draft(ANA).await.map(|d| d.stage),
        Some(BookingStage::Payment)
    );
    desk.clock.advance(Duration::minutes(20));
    // Meanwhile Bruno holds the only suite.
    desk.say(BRUNO, "¿tienen suite del 15 al 17 para 2?").await;
    assert_contains(
        &body(&desk.tap(BRUNO, "room:suite", "Suite").await),
        &["Te guardo la habitación Suite"],
    );

    let reply = body(&desk.say(ANA, "ya pagué").await);
    assert_contains(
        &reply,
        &[
            "no pude completar la reserva automáticamente",
            "Alguien del equipo revisa tu pago",
        ],
    );
    assert_eq!(
        desk.draft(ANA).await.map(|d| d.stage),
        Some(BookingStage::AwaitingConfirmation)
    );
    assert_eq!(desk.pms.creates(), 0, "Bruno's hold is respected");
}

#[tokio::test]
async fn a_lapsed_hold_is_taken_again_before_asking_for_payment() {
    let desk = Desk::new(Confirmation::Staff);
    desk.say(ANA, "¿tienen doble del 15 al 17 para 2?").await;
    desk.tap(ANA, "room:double", "Doble").await;
    desk.say(ANA, "Ana Gómez").await;
    desk.clock.advance(Duration::minutes(30));
    let payment = body(&desk.say(ANA, "ana@example.com").await);
    // Held again at 15:32 UTC for 15 minutes.
    assert_contains(&payment, &["seña del 30%", "hasta las 12:47."]);
    assert_eq!(desk.held(RoomTypeCode::Double).await, 1);
}

#[tokio::test]
async fn the_same_paid_message_processed_twice_books_once() {
    let desk = Desk::new(Confirmation::Auto);
    spanish_up_to_payment(&desk).await;
    let paid = desk.message(ANA, InboundKind::Text, Some("ya pagué"));
    let first = body(&desk.handle(&paid).await.expect("handled"));
    let second = body(&desk.handle(&paid).await.expect("handled again"));
    assert_eq!(first, second, "the confirmation again");
    assert_eq!(desk.pms.creates(), 1);
    assert_eq!(desk.free(RoomTypeCode::Double).await, 4);
}

#[tokio::test]
async fn a_booking_whose_session_save_was_lost_is_not_made_twice() {
    let store = Arc::new(FakeSessionStore::default());
    let desk = Desk::build(
        Confirmation::Auto,
        inventory("ARS", 65_000),
        Some(store.clone()),
    );
    spanish_up_to_payment(&desk).await;
    let paid = desk.message(ANA, InboundKind::Text, Some("ya pagué"));
    store.lose_next_saves(MAX_SAVE_ATTEMPTS);
    let lost = desk.handle(&paid).await;
    assert!(
        matches!(lost, Err(OrchestratorError::SessionConflict { .. })),
        "{lost:?}"
    );
    assert_eq!(
        desk.pms.creates(),
        1,
        "booked, but the session did not record it"
    );
    assert_eq!(desk.free(RoomTypeCode::Double).await, 4);

    // The worker retries the message: the same reference finds the same booking.
    let confirmed = body(&desk.handle(&paid).await.expect("retried"));
    let draft = desk.draft(ANA).await.expect("a draft");
    let id = draft.booking_id.expect("booked");
    assert_contains(&confirmed, &[&format!("Tu número de reserva es {id}.")]);
    assert_eq!(
        desk.free(RoomTypeCode::Double).await,
        4,
        "still one booking"
    );
    assert_eq!(desk.held(RoomTypeCode::Double).await, 0);
}

#[tokio::test]
async fn the_last_room_booked_but_not_recorded_is_found_by_its_reference() {
    let store = Arc::new(FakeSessionStore::default());
    let desk = Desk::build(
        Confirmation::Auto,
        inventory("ARS", 65_000),
        Some(store.clone()),
    );
    desk.say(ANA, "¿tienen suite del 15 al 17 para 2?").await;
    desk.tap(ANA, "room:suite", "Suite").await;
    desk.say(ANA, "Ana Gómez").await;
    desk.say(ANA, "ana@example.com").await;
    let paid = desk.message(ANA, InboundKind::Text, Some("ya pagué"));
    store.lose_next_saves(MAX_SAVE_ATTEMPTS);
    assert!(desk.handle(&paid).await.is_err());
    assert_eq!(
        desk.free(RoomTypeCode::Suite).await,
        0,
        "the suite is booked"
    );
    // No suite left and no hold: the PMS is asked again with the same reference.
    let confirmed = body(&desk.handle(&paid).await.expect("retried"));
    assert_contains(&confirmed, &["¡Reserva confirmada!"]);
    assert_eq!(desk.pms.creates(), 2);
}

#[tokio::test]
async fn a_pms_outage_while_booking_is_retried_with_the_next_message() {
    let desk = Desk::new(Confirmation::Auto);
    spanish_up_to_payment(&desk).await;
    desk.pms.fail_next_creates(1);
    let pending = body(&desk.say(ANA, "ya pagué").await);
    assert_contains(
        &pending,
        &["estamos confirmando la reserva con el sistema del hotel"],
    );
    let draft = desk.draft(ANA).await.expect("a draft");
    assert_eq!(draft.stage, BookingStage::Confirming);
    assert_eq!(
        draft.hold.as_ref().map(|h| h.extensions),
        Some(1),
        "the room is kept meanwhile"
    );
    assert_eq!(desk.free(RoomTypeCode::Double).await, 5);

    // Still down: an honest "still confirming".
    desk.pms.fail_next_creates(1);
    let still = body(&desk.say(ANA, "¿y? ¿está?").await);
    assert_contains(&still, &["Todavía estoy confirmando tu reserva"]);

    let confirmed = body(&desk.say(ANA, "hola?").await);
    let id = desk
        .draft(ANA)
        .await
        .and_then(|d| d.booking_id)
        .expect("booked");
    assert_contains(&confirmed, &[&format!("Tu número de reserva es {id}.")]);
    assert_eq!(desk.pms.creates(), 3);
    assert_eq!(desk.free(RoomTypeCode::Double).await, 4);
}

#[tokio::test]
async fn a_pms_outage_while_quoting_gets_an_honest_answer() {
    let desk = Desk::new(Confirmation::Auto);
    desk.pms.fail_next_quotes(1);
    let down = body(&desk.say(ANA, "¿tienen doble del 15 al 17 para 2?").await);
    assert_contains(
        &down,
        &["ahora mismo no puedo consultar el sistema de reservas"],
    );
    let offer = body(&desk.say(ANA, "¿tienen doble del 15 al 17 para 2?").await);
    assert_contains(&offer, &["• Doble: $ 65.000 por noche"]);
}

#[tokio::test]
async fn asking_how_to_pay_repeats_the_instructions() {
    let desk = Desk::new(Confirmation::Staff);
    let instructions = spanish_up_to_payment(&desk).await;
    let again = body(&desk.say(ANA, "¿cómo pago?").await);
    assert_eq!(again, instructions);
    assert_eq!(
        desk.draft(ANA).await.map(|d| d.stage),
        Some(BookingStage::Payment)
    );
}

#[tokio::test]
async fn a_no_at_the_payment_stage_releases_the_room() {
    let desk = Desk::new(Confirmation::Staff);
    spanish_up_to_payment(&desk).await;
    assert_eq!(desk.held(RoomTypeCode::Double).await, 1);
    let cancelled = body(&desk.say(ANA, "no, gracias").await);
    assert_contains(&cancelled, &["cancelé la solicitud de reserva"]);
    assert_eq!(desk.held(RoomTypeCode::Double).await, 0);
    assert_eq!(desk.draft(ANA).await, None);
    assert_eq!(desk.session(ANA).await.expect("a session").state, "idle");
    assert_eq!(desk.pms.creates(), 0);
}

#[tokio::test]
async fn a_booking_the_pms_refuses_goes_to_staff() {
    let desk = Desk::new(Confirmation::Auto);
    spanish_up_to_payment(&desk).await;
    desk.pms.refuse_next_creates(1);
    let reply = body(&desk.say(ANA, "ya pagué").await);
    assert_contains(&reply, &["no pude completar la reserva automáticamente"]);
    assert_eq!(
        desk.draft(ANA).await.map(|d| d.stage),
        Some(BookingStage::AwaitingConfirmation)
    );
    assert_eq!(desk.free(RoomTypeCode::Double).await, 5);
}

#[tokio::test]
async fn an_incomplete_draft_cannot_be_completed() {
    let desk = Desk::new(Confirmation::Auto);
    let mut draft = hotel_orchestrator::BookingDraft::default();
    let result = desk
        .services
        .complete_booking(&desk.hotel, &hotel_domain::WaId::new(ANA), &mut draft)
        .await;
    assert!(
        matches!(result, Err(OrchestratorError::IncompleteDraft(ref what)) if what == "room"),
        "{result:?}"
    );
    assert_eq!(desk.pms.creates(), 0);
}
