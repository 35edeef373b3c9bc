//! Making the booking in the PMS once the payment is in, and the guest's confirmation.
//!
//! [`BookingServices::complete_booking`] is the seam for every path that turns a paid draft into a
//! booking: the guest's "paid" under automatic confirmation, the next message after a PMS outage
//! (stage `confirming`), and a staff member confirming the payment from the admin API.

use hotel_domain::{MediaKind, OutboundBody, WaId};
use hotel_pms::{BookingId, BookingRequest, GuestContact};

use super::reserve::{HoldCheck, ensure_hold, extend_hold};
use super::{
    BookingDraft, BookingReply, BookingServices, BookingStage, Ctx, DraftChange, PaidBooking,
};
use crate::{Catalogue, MessageKey, OrchestratorError, Result, TenantContext};

/// What [`BookingServices::complete_booking`] did with a paid draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Completion {
    /// Booked (or found already booked under the draft's reference).
    Booked {
        booking_id: BookingId,
        /// The guest's confirmation, with the booking id and a summary.
        messages: Vec<OutboundBody>,
    },
    /// The PMS did not answer (a transient error): the draft is `confirming` and the same
    /// reference is tried again later, so it never books twice.
    Pending { messages: Vec<OutboundBody> },
    /// It cannot be booked automatically (the room is gone, the PMS refused): the draft is
    /// `awaiting_confirmation` for staff to sort out with the guest.
    NeedsStaff { messages: Vec<OutboundBody> },
}

impl Completion {
    /// The messages for the guest.
    pub fn messages(&self) -> &[OutboundBody] {
        match self {
            Completion::Booked { messages, .. }
            | Completion::Pending { messages }
            | Completion::NeedsStaff { messages } => messages,
        }
    }
}

impl BookingServices {
    /// Books a paid `draft` for `guest` in the PMS and builds the guest's messages, in the
    /// draft's language (the hotel's default when unknown). The draft is updated in place (its
    /// stage, booking id, hold); the caller stores it back in the session and sends the messages.
    ///
    /// The draft's reference is the PMS idempotency key: calling this again (a retry, a
    /// duplicate message) never books twice. The room hold is checked first and taken again
    /// when it lapsed; it is released once booked.
    ///
    /// # Errors
    /// [`OrchestratorError::IncompleteDraft`] when the draft lacks the room, dates, guests, name,
    /// e-mail or reference; [`OrchestratorError::Catalogue`] for a broken catalogue;
    /// [`OrchestratorError::Requests`] when a draft handed to staff cannot be recorded. PMS and
    /// hold failures are not errors: they give [`Completion::Pending`] or
    /// [`Completion::NeedsStaff`]. With booking passes, `Booked` carries the pass image after
    /// the confirmation text (text alone when the pass cannot be made).
    pub async fn complete_booking(
        &self,
        tenant: &TenantContext,
        guest: &WaId,
        draft: &mut BookingDraft,
    ) -> Result<Completion> {
        let phone_number_id = draft.phone_number_id.clone();
        let ctx = Ctx {
            services: self,
            tenant,
            guest,
            phone_number_id: phone_number_id.as_deref(),
            language: tenant.reply_language(draft.language),
            catalogue: Catalogue::builtin()?,
        };
        complete(&ctx, draft).await
    }
}

async fn complete(ctx: &Ctx<'_>, draft: &mut BookingDraft) -> Result<Completion> {
    if draft.stage == BookingStage::Booked
        && let Some(booking_id) = draft.booking_id.clone()
    {
        let mut messages = confirmation(ctx, draft, &booking_id);
        messages.extend(pass(ctx, draft, &booking_id).await);
        return Ok(Completion::Booked {
            booking_id,
            messages,
        });
    }
    let request = booking_request(draft, ctx.guest)?;
    let tenant = &ctx.tenant.tenant_id;
    match ensure_hold(ctx, draft).await {
        Ok(HoldCheck::Held) => {}
        // None free by the PMS's count: perhaps because this very booking was made by an
        // earlier attempt whose outcome was lost. The PMS answers that by the reference.
        Ok(HoldCheck::SoldOut) => {}
        Ok(HoldCheck::HeldByOthers) => return needs_staff(ctx, draft).await,
        Err(error) => {
            tracing::warn!(%tenant, %error, "could not check the room hold; asking the PMS");
        }
    }
    match ctx.services.pms.create_booking(tenant, &request).await {
        Ok(booking) => {
            if let Some(hold) = draft.hold.take()
                && let Err(error) = ctx.services.holds.release(&hold).await
            {
                tracing::warn!(%tenant, %error, "could not release the hold of a booked room");
            }
            draft.stage = BookingStage::Booked;
            draft.booking_id = Some(booking.id.clone());
            tracing::info!(%tenant, booking = %booking.id, "booking made");
            let mut messages = confirmation(ctx, draft, &booking.id);
            messages.extend(pass(ctx, draft, &booking.id).await);
            Ok(Completion::Booked {
                booking_id: booking.id,
                messages,
            })
        }
        Err(error) if error.is_transient() => {
            tracing::warn!(%tenant, %error, "the PMS did not take the booking; will retry");
            extend_hold(ctx, draft).await;
            draft.stage = BookingStage::Confirming;
            Ok(Completion::Pending {
                messages: vec![text(ctx.text(MessageKey::BookingConfirming, &[]))],
            })
        }
        Err(error) => {
            tracing::warn!(%tenant, %error, "the PMS refused the booking; staff will follow up");
            needs_staff(ctx, draft).await
        }
    }
}

/// Staff take over: the draft waits as `awaiting_confirmation` (recorded for staff), its hold
/// left to lapse.
async fn needs_staff(ctx: &Ctx<'_>, draft: &mut BookingDraft) -> Result<Completion> {
    draft.stage = BookingStage::AwaitingConfirmation;
    submit(ctx, draft).await?;
    Ok(Completion::NeedsStaff {
        messages: vec![text(ctx.text(MessageKey::BookingNeedsStaff, &[]))],
    })
}

/// Records a paid draft for staff, when the service keeps such records (idempotent on the
/// reference). A draft without a known business number cannot be answered later: it is left
/// to the session, with a warning.
pub(crate) async fn submit(ctx: &Ctx<'_>, draft: &BookingDraft) -> Result<()> {
    let Some(requests) = &ctx.services.requests else {
        return Ok(());
    };
    let Some(number) = draft.phone_number_id.as_deref().or(ctx.phone_number_id) else {
        tracing::warn!(tenant = %ctx.tenant.tenant_id, "a paid booking without a business number is not recorded for staff");
        return Ok(());
    };
    let paid = PaidBooking::of(&ctx.tenant.tenant_id, ctx.guest, number, draft)?;
    requests.submit(&paid).await?;
    Ok(())
}

/// The booking pass (a QR code image) with its caption, when the service makes passes and the
/// business number is known. Best effort: without it the confirmation goes out as text.
async fn pass(ctx: &Ctx<'_>, draft: &BookingDraft, booking_id: &BookingId) -> Option<OutboundBody> {
    let passes = ctx.services.passes.as_ref()?;
    let number = draft.phone_number_id.as_deref().or(ctx.phone_number_id)?;
    let reference = draft.reference.as_deref()?;
    let tenant = &ctx.tenant.tenant_id;
    match passes.pass(tenant, number, reference, booking_id).await {
        Ok(source) => Some(OutboundBody::Media {
            kind: MediaKind::Image,
            source,
            caption: Some(ctx.text(
                MessageKey::BookingPassCaption,
                &[("booking_id", booking_id.as_str())],
            )),
            filename: None,
        }),
        Err(error) => {
            tracing::warn!(%tenant, %error, "no booking pass; the confirmation goes out as text");
            None
        }
    }
}

/// What the PMS is asked to book.
fn booking_request(draft: &BookingDraft, guest: &WaId) -> Result<BookingRequest> {
    let missing = |what: &str| OrchestratorError::IncompleteDraft(what.to_owned());
    let chosen = draft.chosen.as_ref().ok_or_else(|| missing("room"))?;
    let stay = draft.stay().ok_or_else(|| missing("dates"))?;
    let occupancy = draft.occupancy().ok_or_else(|| missing("guests"))?;
    let name = draft.guest_name.as_deref().ok_or_else(|| missing("name"))?;
    let email = draft.email.clone().ok_or_else(|| missing("e-mail"))?;
    let reference = draft
        .reference
        .clone()
        .ok_or_else(|| missing("reference"))?;
    let (first_name, last_name) = name.trim().split_once(' ').unwrap_or((name, name));
    let digits = guest.as_str();
    let phone = (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("+{digits}"));
    Ok(BookingRequest {
        reference,
        room_type: chosen.room_type.clone(),
        stay,
        occupancy,
        guest: GuestContact {
            first_name: first_name.trim().to_owned(),
            last_name: last_name.trim().to_owned(),
            email,
            phone,
        },
        remark: None,
        language: draft.language,
    })
}

/// The guest's confirmation: the booking id and a summary.
fn confirmation(ctx: &Ctx<'_>, draft: &BookingDraft, booking_id: &BookingId) -> Vec<OutboundBody> {
    let (Some(stay), Some(chosen)) = (draft.stay(), draft.chosen.as_ref()) else {
        return Vec::new();
    };
    let body = ctx.text(
        MessageKey::BookingConfirmed,
        &[
            ("booking_id", booking_id.as_str()),
            ("room", &chosen.name),
            ("check_in", &ctx.date(stay.check_in())),
            ("check_out", &ctx.date(stay.check_out())),
            ("nights", &ctx.nights(stay.nights())),
            ("guests", &ctx.guests(draft)),
            ("total", &ctx.money(&chosen.total)),
            ("name", draft.guest_name.as_deref().unwrap_or_default()),
            ("email", draft.email.as_deref().unwrap_or_default()),
        ],
    );
    vec![text(body)]
}

fn text(body: String) -> OutboundBody {
    OutboundBody::Text {
        body,
        preview_url: false,
    }
}

/// Automatic confirmation of a paid draft, in the conversation.
pub(crate) async fn confirm(ctx: &Ctx<'_>, mut draft: BookingDraft) -> Result<BookingReply> {
    let completion = complete(ctx, &mut draft).await?;
    Ok(reply(completion, draft, MessageKey::BookingConfirming))
}

/// A message arrived while the booking waits for the PMS: try it again.
pub(crate) async fn retry(ctx: &Ctx<'_>, mut draft: BookingDraft) -> Result<BookingReply> {
    let completion = match complete(ctx, &mut draft).await? {
        Completion::Pending { .. } => Completion::Pending {
            messages: vec![text(ctx.text(MessageKey::BookingStillConfirming, &[]))],
        },
        other => other,
    };
    Ok(reply(completion, draft, MessageKey::BookingStillConfirming))
}

/// The guest says again that they paid, and the booking is made: the confirmation again.
pub(crate) fn repeat(ctx: &Ctx<'_>, draft: BookingDraft) -> BookingReply {
    let bodies = draft
        .booking_id
        .as_ref()
        .map(|id| confirmation(ctx, &draft, id))
        .unwrap_or_default();
    BookingReply {
        bodies,
        key: MessageKey::BookingConfirmed,
        draft: DraftChange::Keep,
        question: None,
    }
}

fn reply(completion: Completion, draft: BookingDraft, pending_key: MessageKey) -> BookingReply {
    let key = match &completion {
        Completion::Booked { .. } => MessageKey::BookingConfirmed,
        Completion::Pending { .. } => pending_key,
        Completion::NeedsStaff { .. } => MessageKey::BookingNeedsStaff,
    };
    BookingReply {
        bodies: completion.messages().to_vec(),
        key,
        draft: DraftChange::Set(Box::new(draft)),
        question: None,
    }
}
