//! Staff confirmation: paid bookings recorded for staff (once per reference, before the guest is
//! told), the booking pass sent with a confirmation, the guest's message on a rejection.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use hotel_domain::{Language, MediaKind, MediaSource, OutboundBody, TenantId, WaId};
use hotel_orchestrator::{
    BookingDraft, BookingPasses, BookingRecordError, BookingRequests, BookingStage, Completion,
    Confirmation, PaidBooking,
};
use hotel_pms::{BookingId, Money};

use super::conversations::spanish_up_to_payment;
use super::{ANA, Desk, assert_contains, body, dec};

/// Records what is submitted; fails while `failing` is set.
#[derive(Debug, Default)]
struct RecordingRequests {
    submitted: Mutex<Vec<PaidBooking>>,
    failing: Mutex<bool>,
}

impl RecordingRequests {
    fn submitted(&self) -> Vec<PaidBooking> {
        self.submitted.lock().expect("lock").clone()
    }

    fn fail(&self, failing: bool) {
        *self.failing.lock().expect("lock") = failing;
    }
}

#[async_trait]
impl BookingRequests for RecordingRequests {
    async fn submit(&self, booking: &PaidBooking) -> Result<(), BookingRecordError> {
        if *self.failing.lock().expect("lock") {
            return Err(BookingRecordError("the database is down".into()));
        }
        self.submitted.lock().expect("lock").push(booking.clone());
        Ok(())
    }
}

/// Passes as media ids `pass-<reference>`; fails while `failing` is set.
#[derive(Debug, Default)]
struct FakePasses {
    failing: Mutex<bool>,
    made: Mutex<Vec<(String, String)>>,
}

#[async_trait]
impl BookingPasses for FakePasses {
    async fn pass(
        &self,
        _tenant: &TenantId,
        phone_number_id: &str,
        reference: &str,
        _booking_id: &BookingId,
    ) -> Result<MediaSource, BookingRecordError> {
        if *self.failing.lock().expect("lock") {
            return Err(BookingRecordError("upload refused".into()));
        }
        self.made
            .lock()
            .expect("lock")
            .push((phone_number_id.to_owned(), reference.to_owned()));
        Ok(MediaSource::Id(format!("pass-{reference}")))
    }
}

fn staffed(confirmation: Confirmation) -> (Desk, Arc<RecordingRequests>, Arc<FakePasses>) {
    let requests = Arc::new(RecordingRequests::default());
    let passes = Arc::new(FakePasses::default());
    let desk = Desk::new(confirmation).with_extras(requests.clone(), passes.clone());
    (desk, requests, passes)
}

fn texts(messages: &[OutboundBody]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|body| match body {
            OutboundBody::Text { body, .. } => Some(body.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_receipt_records_the_booking_for_staff_once() {
    let (desk, requests, _) = staffed(Confirmation::Staff);
    spanish_up_to_payment(&desk).await;
    let received = body(&desk.send_image(ANA).await);
    assert_contains(&received, &["Recibimos tu aviso de pago"]);
    let draft = desk.draft(ANA).await.expect("a draft");
    assert_eq!(draft.stage, BookingStage::AwaitingConfirmation);
    assert_eq!(draft.phone_number_id.as_deref(), Some("100200300"));

    let submitted = requests.submitted();
    assert_eq!(submitted.len(), 1);
    let paid = &submitted[0];
    assert_eq!(paid.tenant_id, desk.hotel.tenant_id);
    assert_eq!(paid.guest, WaId::new(ANA));
    assert_eq!(paid.phone_number_id, "100200300");
    assert_eq!(Some(&paid.reference), draft.reference.as_ref());
    assert_eq!(paid.room_type.as_str(), "double");
    assert_eq!(paid.room_name, "Doble");
    assert_eq!((paid.check_in, paid.check_out), (dec(15), dec(17)));
    assert_eq!((paid.adults, paid.children), (2, 0));
    assert_eq!(paid.guest_name, "Ana Gómez");
    assert_eq!(paid.email, "ana@example.com");
    assert_eq!(paid.total, Money::from_units(130_000, "ARS"));
    assert_eq!(paid.deposit, Some(Money::from_units(39_000, "ARS")));
    assert_eq!(paid.language, Some(Language::Es));

    // "Ya pagué" again is answered from the session; nothing new for staff.
    assert_contains(
        &body(&desk.say(ANA, "ya pagué").await),
        &["Tu pago ya está en revisión"],
    );
    assert_eq!(requests.submitted().len(), 1);
}

#[tokio::test]
async fn a_request_that_cannot_be_recorded_is_asked_again() {
    let (desk, requests, _) = staffed(Confirmation::Staff);
    spanish_up_to_payment(&desk).await;
    requests.fail(true);
    let reply = body(&desk.say(ANA, "ya pagué").await);
    assert_contains(&reply, &["en unos minutos"]);
    let draft = desk.draft(ANA).await.expect("a draft");
    assert_eq!(draft.stage, BookingStage::Payment, "left as it was");
    assert!(requests.submitted().is_empty());

    requests.fail(false);
    assert_contains(
        &body(&desk.say(ANA, "ya pagué").await),
        &["Recibimos tu aviso de pago"],
    );
    let submitted = requests.submitted();
    assert_eq!(submitted.len(), 1);
    assert_eq!(Some(&submitted[0].reference), draft.reference.as_ref());
}

#[tokio::test]
async fn a_staff_confirmation_sends_the_pass_with_the_reference() {
    let (desk, _, passes) = staffed(Confirmation::Staff);
    spanish_up_to_payment(&desk).await;
    desk.send_image(ANA).await;
    let mut draft = desk.draft(ANA).await.expect("a draft");
    let reference = draft.reference.clone().expect("a reference");

    let completion = desk
        .services
        .complete_booking(&desk.hotel, &WaId::new(ANA), &mut draft)
        .await
        .expect("completed");
    let Completion::Booked {
        booking_id,
        messages,
    } = completion
    else {
        panic!("booked: {completion:?}")
    };
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert_contains(
        &texts(&messages)[0],
        &[&format!("Tu número de reserva es {booking_id}.")],
    );
    let OutboundBody::Media {
        kind,
        source,
        caption,
        ..
    } = &messages[1]
    else {
        panic!("the pass: {:?}", messages[1])
    };
    assert_eq!(*kind, MediaKind::Image);
    assert_eq!(*source, MediaSource::Id(format!("pass-{reference}")));
    assert_eq!(
        caption.as_deref(),
        Some(format!("Tu código de reserva {booking_id}: muéstralo al llegar al hotel.").as_str())
    );
    assert_eq!(
        passes.made.lock().expect("lock").clone(),
        [("100200300".to_owned(), reference)]
    );

    // The pass is best effort: without it, the confirmation alone.
    *passes.failing.lock().expect("lock") = true;
    let again = desk
        .services
        .complete_booking(&desk.hotel, &WaId::new(ANA), &mut draft)
        .await
        .expect("completed");
    assert_eq!(again.messages().len(), 1);
    assert_eq!(desk.pms.creates(), 1);
}

#[tokio::test]
async fn the_automatic_confirmation_sends_the_pass_too() {
    let (desk, requests, _) = staffed(Confirmation::Auto);
    spanish_up_to_payment(&desk).await;
    let replies = desk.say(ANA, "ya pagué").await;
    assert_eq!(replies.len(), 2, "{replies:#?}");
    assert!(matches!(
        replies[1].body,
        OutboundBody::Media {
            kind: MediaKind::Image,
            ..
        }
    ));
    assert!(requests.submitted().is_empty(), "nothing for staff");
}

#[tokio::test]
async fn a_booking_the_pms_refuses_is_recorded_for_staff() {
    let (desk, requests, _) = staffed(Confirmation::Auto);
    spanish_up_to_payment(&desk).await;
    desk.pms.refuse_next_creates(1);
    let reply = body(&desk.say(ANA, "ya pagué").await);
    assert_contains(&reply, &["no pude completar la reserva automáticamente"]);
    let submitted = requests.submitted();
    assert_eq!(submitted.len(), 1);
    assert_eq!(
        Some(&submitted[0].reference),
        desk.draft(ANA).await.expect("a draft").reference.as_ref()
    );
}

#[tokio::test]
async fn a_rejection_is_polite_in_the_guests_language_and_releases_the_room() {
    let (desk, _, _) = staffed(Confirmation::Staff);
    spanish_up_to_payment(&desk).await;
    desk.send_image(ANA).await;
    let mut draft = desk.draft(ANA).await.expect("a draft");
    let reference = draft.reference.clone().expect("a reference");
    assert_eq!(desk.held(hotel_domain::RoomTypeCode::Double).await, 1);

    let spanish = desk
        .services
        .rejection(
            &desk.hotel,
            &draft,
            Some("  no recibimos la transferencia "),
        )
        .expect("rendered");
    let text = texts(&spanish).join("\n");
    assert_contains(
        &text,
        &[
            &format!("no pudimos confirmar el pago de tu solicitud {reference}"),
            "liberamos la habitación",
            "\n\nMotivo: no recibimos la transferencia",
        ],
    );
    desk.services.release_hold(&desk.hotel, &mut draft).await;
    assert_eq!(draft.hold, None);
    assert_eq!(desk.held(hotel_domain::RoomTypeCode::Double).await, 0);

    let english = BookingDraft {
        language: Some(Language::En),
        ..draft
    };
    let text = texts(
        &desk
            .services
            .rejection(&desk.hotel, &english, Some(" "))
            .expect("rendered"),
    )
    .join("\n");
    assert_contains(&text, &["We're sorry: we couldn't confirm the payment"]);
    assert!(!text.contains("Reason:"), "a blank reason is left out");
}
