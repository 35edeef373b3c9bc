//! The booking conversation's second half: the room held, the guest's name and e-mail, the
//! payment instructions, a cancellation.

use hotel_locks::{ExtendOutcome, HoldRequest};
use hotel_nlp::Entities;
use hotel_pms::{PmsError, Quote, RoomTypeId, StayRequest};

use super::format::{deposit_of, format_time};
use super::words::{bare_count, mentions};
use super::{
    BookingDraft, BookingReply, BookingStage, ChosenRoom, Confirmation, Ctx, DraftChange, Incoming,
    Question, confirm, paragraphs,
};
use crate::{MessageKey, Result};

/// The offered room a text names: its type ("la doble"), its name ("Casal") or its position in
/// the list ("2").
pub(crate) fn room_named(
    draft: &BookingDraft,
    text: &str,
    entities: &Entities,
) -> Option<RoomTypeId> {
    let offered = &draft.offered;
    if let Some(code) = entities.room_type
        && let Some(room) = offered
            .iter()
            .find(|room| room.code == Some(code) || room.room_type.as_str() == code.as_str())
    {
        return Some(room.room_type.clone());
    }
    // The longest name mentioned wins ("Doble twin" over "Doble").
    let mut named: Vec<_> = offered
        .iter()
        .filter(|room| mentions(text, &room.name))
        .collect();
    named.sort_by_key(|room| std::cmp::Reverse(room.name.chars().count()));
    if let Some(room) = named.first() {
        return Some(room.room_type.clone());
    }
    let position = usize::try_from(bare_count(text)?).ok()?;
    offered
        .get(position.checked_sub(1)?)
        .map(|room| room.room_type.clone())
}

/// The guest picked `room_type`: quote it afresh, hold one room for the stay and ask for the
/// guest's details. Someone else took the last one: say so and offer the rest.
pub(crate) async fn pick(
    ctx: &Ctx<'_>,
    input: &Incoming<'_>,
    mut draft: BookingDraft,
    room_type: &RoomTypeId,
) -> Result<BookingReply> {
    if draft.stay().is_none() || draft.occupancy().is_none() {
        return super::flow::advance(ctx, input, draft).await;
    }
    let offered = draft
        .offered
        .iter()
        .find(|room| &room.room_type == room_type)
        .map(|room| room.name.clone());
    let name = match offered {
        Some(name) => name,
        None => room_name(ctx, room_type).await,
    };
    if draft
        .hold
        .as_ref()
        .is_some_and(|hold| hold.room_type != room_type.as_str())
    {
        release(ctx, &mut draft).await;
    }
    match hold_room(ctx, &mut draft, room_type, &name).await? {
        HoldCheck::Held => {
            draft.stage = BookingStage::Contact;
            let minutes = ctx.tenant.booking.hold_minutes.max(1).to_string();
            let intro = ctx.text(
                MessageKey::RoomHeld,
                &[("room", &name), ("minutes", &minutes)],
            );
            contact(ctx, input, draft, Some(intro)).await
        }
        HoldCheck::SoldOut | HoldCheck::HeldByOthers => gone(ctx, draft, room_type, &name).await,
    }
}

/// "Someone just took the last one", then the rooms still free.
async fn gone(
    ctx: &Ctx<'_>,
    mut draft: BookingDraft,
    room_type: &RoomTypeId,
    name: &str,
) -> Result<BookingReply> {
    release(ctx, &mut draft).await;
    let intro = ctx.text(MessageKey::RoomGone, &[("room", name)]);
    super::flow::offer(ctx, draft, Some(intro), Some(room_type)).await
}

/// The name of `room_type` in the guest's language (its id when the PMS cannot say): for a
/// choice from an earlier offer.
async fn room_name(ctx: &Ctx<'_>, room_type: &RoomTypeId) -> String {
    match ctx.services.pms.room_types(&ctx.tenant.tenant_id).await {
        Ok(types) => super::flow::room_type_of(&types, room_type)
            .map(|room| room.name_in(ctx.language).to_owned()),
        Err(error) => {
            tracing::warn!(tenant = %ctx.tenant.tenant_id, %error, "room type names unavailable");
            None
        }
    }
    .unwrap_or_else(|| room_type.as_str().to_owned())
}

/// Whether a room could be held for the guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HoldCheck {
    /// Held (the draft carries the hold).
    Held,
    /// The PMS reports none free any more.
    SoldOut,
    /// The PMS has rooms, but other guests hold them all.
    HeldByOthers,
}

/// Quotes `room_type` for the draft's stay and holds one room of it for the guest, counted
/// against the rooms the PMS reports free. Holding again for the same stay returns the same hold.
async fn hold_room(
    ctx: &Ctx<'_>,
    draft: &mut BookingDraft,
    room_type: &RoomTypeId,
    name: &str,
) -> Result<HoldCheck> {
    let (Some(stay), Some(occupancy)) = (draft.stay(), draft.occupancy()) else {
        return Ok(HoldCheck::SoldOut);
    };
    let request = StayRequest::new(stay, occupancy).of_type(room_type.clone());
    let quotes = match ctx
        .services
        .pms
        .quote(&ctx.tenant.tenant_id, &request)
        .await
    {
        Ok(quotes) => quotes,
        Err(PmsError::InvalidRequest(_) | PmsError::NotFound(_)) => Vec::new(),
        Err(error) => return Err(error.into()),
    };
    let Some(quote) = quotes.into_iter().find(|q| &q.room_type == room_type) else {
        return Ok(HoldCheck::SoldOut);
    };
    let request = hold_request(ctx, &quote, &stay);
    let Some(hold) = ctx.services.holds.hold(&request).await? else {
        return Ok(HoldCheck::HeldByOthers);
    };
    draft.hold = Some(hold);
    draft.chosen = Some(ChosenRoom {
        room_type: room_type.clone(),
        name: name.to_owned(),
        total: quote.total,
    });
    Ok(HoldCheck::Held)
}

fn hold_request(ctx: &Ctx<'_>, quote: &Quote, stay: &hotel_pms::Stay) -> HoldRequest {
    HoldRequest::new(
        ctx.tenant.tenant_id.as_str(),
        quote.room_type.as_str(),
        ctx.guest.as_str(),
        ctx.tenant.booking.hold_ttl(),
    )
    .nights(stay.night_dates(), quote.available)
}

/// Checks the draft's hold still stands; when it lapsed, holds the room again if it is still
/// free.
pub(crate) async fn ensure_hold(ctx: &Ctx<'_>, draft: &mut BookingDraft) -> Result<HoldCheck> {
    if let Some(hold) = &draft.hold
        && let Some(live) = ctx.services.holds.get(hold).await?
    {
        draft.hold = Some(live);
        return Ok(HoldCheck::Held);
    }
    draft.hold = None;
    let Some(chosen) = draft.chosen.clone() else {
        return Ok(HoldCheck::SoldOut);
    };
    tracing::info!(tenant = %ctx.tenant.tenant_id, "the room hold lapsed; holding again");
    hold_room(ctx, draft, &chosen.room_type, &chosen.name).await
}

/// Best effort: keeps the held room a while longer (staff checking a payment, a PMS retry).
pub(crate) async fn extend_hold(ctx: &Ctx<'_>, draft: &mut BookingDraft) {
    let Some(hold) = &draft.hold else {
        return;
    };
    match ctx
        .services
        .holds
        .extend(hold, ctx.tenant.booking.hold_ttl())
        .await
    {
        Ok(ExtendOutcome::Extended(extended)) => draft.hold = Some(extended),
        Ok(ExtendOutcome::LimitReached(_) | ExtendOutcome::NotHeld) => {}
        Err(error) => {
            tracing::warn!(tenant = %ctx.tenant.tenant_id, %error, "could not extend a room hold");
        }
    }
}

/// Releases the draft's hold (best effort: it lapses anyway) and forgets the room picked.
pub(crate) async fn release(ctx: &Ctx<'_>, draft: &mut BookingDraft) {
    if let Some(hold) = draft.hold.take()
        && let Err(error) = ctx.services.holds.release(&hold).await
    {
        tracing::warn!(tenant = %ctx.tenant.tenant_id, %error, "could not release a room hold");
    }
    draft.reset_choice();
}

/// Asks for the guest's full name, then the e-mail; with both, the payment.
pub(crate) async fn contact(
    ctx: &Ctx<'_>,
    input: &Incoming<'_>,
    mut draft: BookingDraft,
    intro: Option<String>,
) -> Result<BookingReply> {
    draft.stage = BookingStage::Contact;
    let intro = intro.unwrap_or_default();
    match (&draft.guest_name, &draft.email) {
        (None, _) => {
            let key = if input.question == Some(Question::Name) {
                MessageKey::AskNameFull
            } else {
                MessageKey::AskName
            };
            let body = paragraphs([intro, ctx.text(key, &[])]);
            Ok(BookingReply::storing(
                key,
                body,
                draft,
                Some(Question::Name),
            ))
        }
        (Some(name), None) => {
            let first = name.split_whitespace().next().unwrap_or(name).to_owned();
            let body = paragraphs([intro, ctx.text(MessageKey::AskEmail, &[("name", &first)])]);
            Ok(BookingReply::storing(
                MessageKey::AskEmail,
                body,
                draft,
                Some(Question::Email),
            ))
        }
        (Some(_), Some(_)) => payment(ctx, draft, Some(intro)).await,
    }
}

/// The summary, the deposit and how to pay. The room must still be held (it is held again when
/// the hold lapsed and the room is still free); the booking's idempotency key is fixed here.
pub(crate) async fn payment(
    ctx: &Ctx<'_>,
    mut draft: BookingDraft,
    intro: Option<String>,
) -> Result<BookingReply> {
    let (Some(stay), Some(chosen)) = (draft.stay(), draft.chosen.clone()) else {
        return super::flow::offer(ctx, draft, intro, None).await;
    };
    if ensure_hold(ctx, &mut draft).await? != HoldCheck::Held {
        return gone(ctx, draft, &chosen.room_type, &chosen.name).await;
    }
    let chosen = draft.chosen.clone().unwrap_or(chosen);
    draft.reference.get_or_insert_with(new_reference);
    let policy = &ctx.tenant.booking;
    let deposit = deposit_of(&chosen.total, policy.deposit_percent());
    let summary = ctx.text(
        MessageKey::PaymentSummary,
        &[
            ("room", &chosen.name),
            ("check_in", &ctx.date(stay.check_in())),
            ("check_out", &ctx.date(stay.check_out())),
            ("nights", &ctx.nights(stay.nights())),
            ("guests", &ctx.guests(&draft)),
            ("total", &ctx.money(&chosen.total)),
            ("percent", &policy.deposit_percent().to_string()),
            ("deposit", &ctx.money(&deposit)),
        ],
    );
    let instructions = policy
        .payment_instructions_in(ctx.language, ctx.tenant.default_language)
        .map_or_else(
            || ctx.text(MessageKey::PaymentInstructionsMissing, &[]),
            str::to_owned,
        );
    let until = draft.hold.as_ref().map_or_else(String::new, |hold| {
        format_time(hold.expires_at, ctx.tenant.time_zone().ok())
    });
    let receipt = ctx.text(MessageKey::PaymentSendReceipt, &[("until", &until)]);
    draft.deposit = Some(deposit);
    draft.language = Some(ctx.language);
    draft.stage = BookingStage::Payment;
    let body = paragraphs([intro.unwrap_or_default(), summary, instructions, receipt]);
    Ok(BookingReply::storing(
        MessageKey::PaymentSummary,
        body,
        draft,
        Some(Question::Payment),
    ))
}

/// The guest sent a receipt or said they paid: staff check it, or (automatic confirmation) the
/// booking is made in the PMS now.
pub(crate) async fn paid(ctx: &Ctx<'_>, mut draft: BookingDraft) -> Result<BookingReply> {
    draft.language = Some(ctx.language);
    if let Some(number) = ctx.phone_number_id {
        draft.phone_number_id = Some(number.to_owned());
    }
    match ctx.tenant.booking.confirmation {
        Confirmation::Staff => {
            let reference = draft.reference.get_or_insert_with(new_reference).clone();
            draft.stage = BookingStage::AwaitingConfirmation;
            // Recorded for staff before the guest hears so; a failure leaves the draft as it was.
            confirm::submit(ctx, &draft).await?;
            extend_hold(ctx, &mut draft).await;
            let body = ctx.text(
                MessageKey::PaymentReceivedStaff,
                &[("reference", &reference)],
            );
            Ok(BookingReply::storing(
                MessageKey::PaymentReceivedStaff,
                body,
                draft,
                None,
            ))
        }
        Confirmation::Auto => confirm::confirm(ctx, draft).await,
    }
}

/// The guest cancelled: the hold is released and the draft forgotten.
pub(crate) async fn cancel(ctx: &Ctx<'_>, mut draft: BookingDraft) -> Result<BookingReply> {
    release(ctx, &mut draft).await;
    Ok(BookingReply::text(
        MessageKey::BookingCancelled,
        ctx.text(MessageKey::BookingCancelled, &[]),
        DraftChange::Clear,
        None,
    ))
}

/// A fresh booking reference (the PMS idempotency key): `WA-` and 12 random hex digits.
pub(crate) fn new_reference() -> String {
    let random = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    format!("WA-{}", random.get(..12).unwrap_or(&random))
}

#[cfg(test)]
mod tests {
    use hotel_domain::RoomTypeCode;

    use super::*;
    use crate::booking::OfferedRoom;

    #[test]
    fn references_are_valid_idempotency_keys() {
        let reference = new_reference();
        assert!(hotel_pms::is_valid_reference(&reference), "{reference}");
        assert_eq!(reference.len(), 15);
        assert_ne!(reference, new_reference());
    }

    #[test]
    fn offered_rooms_are_named_by_type_name_or_position() {
        let room = |id: &str, code, name: &str| OfferedRoom {
            room_type: RoomTypeId::new(id),
            code,
            name: name.into(),
        };
        let draft = BookingDraft {
            offered: vec![
                room("double", Some(RoomTypeCode::Double), "Doble"),
                room("twin", Some(RoomTypeCode::Twin), "Doble twin"),
                room("7", None, "Suite Río"),
            ],
            ..BookingDraft::default()
        };
        let none = Entities::default();
        let double = Entities {
            room_type: Some(RoomTypeCode::Double),
            ..Entities::default()
        };
        let id = |text: &str, entities: &Entities| {
            room_named(&draft, text, entities).map(|id| id.as_str().to_owned())
        };
        assert_eq!(id("la doble", &double).as_deref(), Some("double"));
        assert_eq!(id("la doble twin", &none).as_deref(), Some("twin"));
        assert_eq!(id("suite rio", &none).as_deref(), Some("7"));
        assert_eq!(id("3", &none).as_deref(), Some("7"));
        assert_eq!(id("4", &none), None);
        assert_eq!(id("ninguna", &none), None);
    }
}
