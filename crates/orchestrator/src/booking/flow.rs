//! The booking conversation's dispatcher and its first half: collecting dates and guests, and
//! offering the rooms that fit.

use hotel_domain::{Choice, OutboundBody};
use hotel_nlp::Intent;
use hotel_pms::{MAX_NIGHTS, PmsError, Quote, RoomType, RoomTypeId, StayRequest};

use super::words::{bare_count, claims_payment, is_cancel_request, is_question};
use super::{
    BookingDraft, BookingReply, BookingStage, Ctx, DraftChange, Incoming, OfferedRoom, Question,
    ROOM_REPLY_PREFIX, confirm, paragraphs, reserve,
};
use crate::reply::{ACT_CONFIDENCE, CONFIRM_CONFIDENCE, Decision};
use crate::{MessageKey, Result};

/// The booking conversation's answer to `input` given the guest's current (not stale) draft, or
/// `None` when the message is not part of it (the general replies answer it; the draft is kept).
/// A failing PMS or hold store gets an honest "try again in a few minutes", draft unchanged.
pub(crate) async fn step(
    ctx: &Ctx<'_>,
    input: &Incoming<'_>,
    draft: Option<BookingDraft>,
) -> Option<BookingReply> {
    match dispatch(ctx, input, draft).await {
        Ok(reply) => reply,
        Err(error) => {
            tracing::warn!(tenant = %ctx.tenant.tenant_id, %error, "booking step failed");
            Some(BookingReply::text(
                MessageKey::ServiceUnavailable,
                ctx.text(MessageKey::ServiceUnavailable, &[]),
                DraftChange::Keep,
                input.question,
            ))
        }
    }
}

async fn dispatch(
    ctx: &Ctx<'_>,
    input: &Incoming<'_>,
    draft: Option<BookingDraft>,
) -> Result<Option<BookingReply>> {
    let Some(draft) = draft else {
        return start_if_wanted(ctx, input).await;
    };
    match draft.stage {
        BookingStage::Confirming => confirm::retry(ctx, draft).await.map(Some),
        BookingStage::Booked if input.text.is_some() && payment_claimed(input) => {
            Ok(Some(confirm::repeat(ctx, draft)))
        }
        BookingStage::AwaitingConfirmation if input.is_receipt_kind() || payment_claimed(input) => {
            Ok(Some(BookingReply::text(
                MessageKey::PaymentPendingStaff,
                ctx.text(MessageKey::PaymentPendingStaff, &[]),
                DraftChange::Keep,
                None,
            )))
        }
        BookingStage::Booked | BookingStage::AwaitingConfirmation => {
            start_if_wanted(ctx, input).await
        }
        _ => open(ctx, input, draft).await,
    }
}

/// Starts a new draft when the message asks about availability or to book.
async fn start_if_wanted(ctx: &Ctx<'_>, input: &Incoming<'_>) -> Result<Option<BookingReply>> {
    if input.text.is_none() || !wants_booking(input) {
        return Ok(None);
    }
    let mut draft = BookingDraft::default();
    draft.merge(&input.entities(), None, None);
    advance(ctx, input, draft).await.map(Some)
}

/// A draft still being put together: the answer to its open question, a change of dates or
/// guests, a cancellation, or the payment.
async fn open(
    ctx: &Ctx<'_>,
    input: &Incoming<'_>,
    mut draft: BookingDraft,
) -> Result<Option<BookingReply>> {
    if input.is_receipt_kind() {
        return if draft.stage == BookingStage::Payment {
            reserve::paid(ctx, draft).await.map(Some)
        } else {
            Ok(None)
        };
    }
    if let Some(id) = input.room_pick {
        return reserve::pick(ctx, input, draft, &RoomTypeId::new(id))
            .await
            .map(Some);
    }
    let Some(text) = input.text else {
        return Ok(None);
    };
    let (intent, confidence) = input.intent();
    if is_cancel_request(text)
        || (matches!(intent, Intent::Deny | Intent::CancelReservation)
            && confidence >= CONFIRM_CONFIDENCE)
    {
        return reserve::cancel(ctx, draft).await.map(Some);
    }
    let entities = input.entities();
    if draft.stage == BookingStage::Payment {
        if payment_claimed(input) {
            return reserve::paid(ctx, draft).await.map(Some);
        }
        if intent == Intent::Payment && confidence >= CONFIRM_CONFIDENCE {
            return reserve::payment(ctx, draft, None).await.map(Some);
        }
    }
    match input.question {
        Some(Question::Name) => {
            if let Some(email) = &entities.email {
                draft.email = Some(email.clone());
            }
            let readable = confidence < ACT_CONFIDENCE || is_small_talk(intent);
            if let Some(name) = super::words::person_name(text).filter(|_| readable) {
                draft.guest_name = Some(name);
                return reserve::contact(ctx, input, draft, None).await.map(Some);
            }
        }
        Some(Question::Email) => {
            if let Some(email) = &entities.email {
                draft.email = Some(email.clone());
                return reserve::contact(ctx, input, draft, None).await.map(Some);
            }
            if text.contains('@') {
                return Ok(Some(BookingReply::text(
                    MessageKey::EmailInvalid,
                    ctx.text(MessageKey::EmailInvalid, &[]),
                    DraftChange::Keep,
                    Some(Question::Email),
                )));
            }
        }
        Some(Question::Room) => {
            if let Some(id) = reserve::room_named(&draft, text, &entities) {
                return reserve::pick(ctx, input, draft, &id).await.map(Some);
            }
        }
        _ => {}
    }
    let count = (input.question == Some(Question::Guests))
        .then(|| bare_count(text))
        .flatten();
    let mut changed = draft.clone();
    if changed.merge(&entities, count, input.question) && !other_topic(intent, confidence) {
        reserve::release(ctx, &mut changed).await;
        return advance(ctx, input, changed).await.map(Some);
    }
    if wants_booking(input)
        || (input.question.is_some() && confidence < ACT_CONFIDENCE && !is_small_talk(intent))
    {
        // Asked again, or not understood while a question is open: repeat where we are.
        return advance(ctx, input, draft).await.map(Some);
    }
    Ok(None)
}

/// Whether the message asks about availability or to book: acted on by the confidence policy,
/// or plausible and stating dates or guests (a price question with dates counts too).
fn wants_booking(input: &Incoming<'_>) -> bool {
    if let Some(Decision::Act(intent)) = input.decision
        && is_booking_intent(intent)
    {
        return true;
    }
    let (intent, confidence) = input.intent();
    let entities = input.entities();
    let dates = entities.check_in.is_some() || entities.check_out.is_some();
    let guests = entities.adults.is_some() || entities.room_type.is_some();
    confidence >= CONFIRM_CONFIDENCE
        && ((is_booking_intent(intent) && (dates || guests))
            || (intent == Intent::Pricing && dates))
}

fn is_booking_intent(intent: Intent) -> bool {
    matches!(intent, Intent::CheckAvailability | Intent::MakeReservation)
}

fn is_small_talk(intent: Intent) -> bool {
    matches!(
        intent,
        Intent::Greeting | Intent::Goodbye | Intent::Thanks | Intent::Affirm | Intent::Deny
    )
}

/// A confident question about another subject: its dates or numbers are not the booking's.
fn other_topic(intent: Intent, confidence: f32) -> bool {
    confidence >= ACT_CONFIDENCE
        && matches!(
            intent,
            Intent::Amenities
                | Intent::CheckInOutTimes
                | Intent::LateCheckout
                | Intent::Location
                | Intent::CancellationPolicy
                | Intent::AirportTransfer
                | Intent::HumanHandoff
                | Intent::ReservationStatus
        )
}

/// A text message saying the guest has paid ("ya pagué", "paid", "listo"), not asking how to.
fn payment_claimed(input: &Incoming<'_>) -> bool {
    let Some(text) = input.text else {
        return false;
    };
    let (intent, confidence) = input.intent();
    !is_question(text)
        && (claims_payment(text)
            || (input.question == Some(Question::Payment)
                && intent == Intent::Affirm
                && confidence >= CONFIRM_CONFIDENCE))
}

/// Moves an open draft on: asks what is missing, offers rooms, or repeats the stage's question.
pub(crate) async fn advance(
    ctx: &Ctx<'_>,
    input: &Incoming<'_>,
    draft: BookingDraft,
) -> Result<BookingReply> {
    match draft.stage {
        BookingStage::Contact => reserve::contact(ctx, input, draft, None).await,
        BookingStage::Payment => reserve::payment(ctx, draft, None).await,
        _ => match draft.missing() {
            Some(question) => Ok(ask(ctx, draft, question)),
            None => offer(ctx, draft, None, None).await,
        },
    }
}

/// Asks for the dates, the check-out or the guests.
fn ask(ctx: &Ctx<'_>, mut draft: BookingDraft, question: Question) -> BookingReply {
    draft.stage = BookingStage::Collecting;
    let (key, body) = match (question, draft.check_in) {
        (Question::CheckOut, Some(check_in)) => (
            MessageKey::AskCheckOut,
            ctx.text(
                MessageKey::AskCheckOut,
                &[("check_in", &ctx.date(check_in))],
            ),
        ),
        (Question::Guests, _) => (MessageKey::AskGuests, ctx.text(MessageKey::AskGuests, &[])),
        _ => (MessageKey::AskDates, ctx.text(MessageKey::AskDates, &[])),
    };
    BookingReply::storing(key, body, draft, Some(question))
}

/// Quotes the stay and offers the room types that fit (those of the requested type when any
/// fits), cheapest first, as choices `room:<id>`; `intro` goes first; `exclude` leaves out a
/// type that turned out to be gone.
pub(crate) async fn offer(
    ctx: &Ctx<'_>,
    mut draft: BookingDraft,
    intro: Option<String>,
    exclude: Option<&RoomTypeId>,
) -> Result<BookingReply> {
    draft.reset_choice();
    let (Some(stay), Some(occupancy)) = (draft.stay(), draft.occupancy()) else {
        if draft.check_in.is_some() && draft.check_out.is_some() {
            draft.check_in = None;
            draft.check_out = None;
            draft.nights = None;
            let body = ctx.text(
                MessageKey::DatesInvalid,
                &[("max_nights", &MAX_NIGHTS.to_string())],
            );
            return Ok(BookingReply::storing(
                MessageKey::DatesInvalid,
                paragraphs([intro.unwrap_or_default(), body]),
                draft,
                Some(Question::Dates),
            ));
        }
        let question = draft.missing().unwrap_or(Question::Dates);
        return Ok(ask(ctx, draft, question));
    };
    let tenant = &ctx.tenant.tenant_id;
    let mut quotes = match ctx
        .services
        .pms
        .quote(tenant, &StayRequest::new(stay, occupancy))
        .await
    {
        Ok(quotes) => quotes,
        Err(PmsError::InvalidRequest(reason)) => {
            tracing::info!(%tenant, %reason, "the PMS refused the stay; nothing to offer");
            Vec::new()
        }
        Err(error) => return Err(error.into()),
    };
    let types = ctx
        .services
        .pms
        .room_types(tenant)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%tenant, %error, "room type names unavailable; using ids");
            Vec::new()
        });
    quotes.retain(|quote| Some(&quote.room_type) != exclude);
    quotes.sort_by_key(|quote| quote.total.minor_units);
    let matching: Vec<Quote> = match draft.room_type {
        Some(code) => quotes
            .iter()
            .filter(|quote| {
                quote.room_type.as_str() == code.as_str()
                    || room_type_of(&types, &quote.room_type).and_then(|t| t.code) == Some(code)
            })
            .cloned()
            .collect(),
        None => quotes.clone(),
    };
    let (shown, note) = if matching.is_empty() && !quotes.is_empty() {
        (
            quotes,
            Some(ctx.text(MessageKey::RoomsRequestedUnavailable, &[])),
        )
    } else {
        (matching, None)
    };
    let dates = [
        ("check_in", ctx.date(stay.check_in())),
        ("check_out", ctx.date(stay.check_out())),
        ("guests", ctx.guests(&draft)),
    ];
    let values: Vec<(&str, &str)> = dates.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if shown.is_empty() {
        let body = ctx.text(MessageKey::NoAvailability, &values);
        return Ok(BookingReply::storing(
            MessageKey::NoAvailability,
            paragraphs([intro.unwrap_or_default(), body]),
            draft,
            None,
        ));
    }
    let nights = ctx.nights(stay.nights());
    let mut header_values = values.clone();
    header_values.push(("nights", &nights));
    let mut lines = vec![ctx.text(MessageKey::RoomsIntro, &header_values)];
    let mut choices = Vec::new();
    for quote in &shown {
        let room = room_type_of(&types, &quote.room_type);
        let name = room.map_or_else(
            || quote.room_type.as_str().to_owned(),
            |room| room.name_in(ctx.language).to_owned(),
        );
        let uneven = quote
            .nightly
            .windows(2)
            .any(|pair| pair[0].price != pair[1].price);
        let key = if uneven {
            MessageKey::RoomLineAverage
        } else {
            MessageKey::RoomLine
        };
        lines.push(ctx.text(
            key,
            &[
                ("room", &name),
                ("nightly", &ctx.money(&quote.average_nightly)),
                ("total", &ctx.money(&quote.total)),
            ],
        ));
        choices.push(Choice::new(
            format!("{ROOM_REPLY_PREFIX}{}", quote.room_type),
            name.clone(),
        ));
        draft.offered.push(OfferedRoom {
            room_type: quote.room_type.clone(),
            code: room.and_then(|r| r.code),
            name,
        });
    }
    let stale = shown
        .iter()
        .any(|quote| quote.stale)
        .then(|| ctx.text(MessageKey::RoomsStale, &[]));
    let body = paragraphs([
        intro.unwrap_or_default(),
        note.unwrap_or_default(),
        lines.join("\n"),
        stale.unwrap_or_default(),
        ctx.text(MessageKey::RoomsQuestion, &[]),
    ]);
    draft.stage = BookingStage::Choosing;
    Ok(BookingReply {
        bodies: vec![OutboundBody::Choices {
            header: None,
            body,
            footer: None,
            button: Some(ctx.text(MessageKey::RoomsButton, &[])),
            choices,
        }],
        key: MessageKey::RoomsIntro,
        draft: DraftChange::Set(Box::new(draft)),
        question: Some(Question::Room),
    })
}

/// The PMS's description of room type `id`.
pub(crate) fn room_type_of<'a>(types: &'a [RoomType], id: &RoomTypeId) -> Option<&'a RoomType> {
    types.iter().find(|room| &room.id == id)
}
