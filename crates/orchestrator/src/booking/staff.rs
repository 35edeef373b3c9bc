//! Staff's side of a paid booking: the guest's message when the payment is refused, the room
//! released, and the draft found, updated or removed in the guest's session (where it may be
//! the current draft or one of the earlier ones still awaiting confirmation).
//!
//! Confirming is [`BookingServices::complete_booking`].

use hotel_domain::OutboundBody;
use hotel_sessions::Session;

use super::{AWAITING_KEY, BOOKING_KEY, BookingDraft, BookingServices, BookingStage, paragraphs};
use crate::{Catalogue, MessageKey, Result, TenantContext};

impl BookingServices {
    /// The guest's message when staff refuse the payment of `draft`: polite, in the draft's
    /// language (the hotel's default when unknown), naming the request's reference, with staff's
    /// `reason` when given.
    ///
    /// # Errors
    /// [`OrchestratorError::Catalogue`](crate::OrchestratorError::Catalogue) for a broken
    /// catalogue.
    pub fn rejection(
        &self,
        tenant: &TenantContext,
        draft: &BookingDraft,
        reason: Option<&str>,
    ) -> Result<Vec<OutboundBody>> {
        let catalogue = Catalogue::builtin()?;
        let language = tenant.reply_language(draft.language);
        let reference = draft.reference.as_deref().unwrap_or_default();
        let reason = reason
            .map(str::trim)
            .filter(|reason| !reason.is_empty())
            .map(|reason| {
                catalogue.render(
                    language,
                    MessageKey::BookingRejectedReason,
                    &[("reason", reason)],
                )
            });
        let body = paragraphs([
            catalogue.render(
                language,
                MessageKey::BookingRejected,
                &[("reference", reference)],
            ),
            reason.unwrap_or_default(),
        ]);
        Ok(vec![OutboundBody::Text {
            body,
            preview_url: false,
        }])
    }

    /// Releases the room held for `draft`, if any (best effort: a hold lapses anyway).
    pub async fn release_hold(&self, tenant: &TenantContext, draft: &mut BookingDraft) {
        if let Some(hold) = draft.hold.take()
            && let Err(error) = self.holds.release(&hold).await
        {
            tracing::warn!(tenant = %tenant.tenant_id, %error, "could not release a room hold");
        }
    }
}

impl BookingDraft {
    /// The draft with `reference` in `session`: the current one, or one of the earlier ones
    /// still awaiting confirmation (under [`AWAITING_KEY`]).
    pub fn find_in(session: &Session, reference: &str) -> Option<BookingDraft> {
        if let Some(current) = Self::from_session(session)
            && current.reference.as_deref() == Some(reference)
        {
            return Some(current);
        }
        awaiting(session)
            .into_iter()
            .find(|draft| draft.reference.as_deref() == Some(reference))
    }

    /// Puts this draft back where the draft with its reference is in `session`: the current
    /// draft is replaced (and the session state follows its stage); an earlier one is replaced
    /// while it still awaits confirmation and dropped from the list once decided. Returns
    /// whether it was there.
    pub fn update_in(&self, session: &mut Session) -> bool {
        let Some(reference) = self.reference.as_deref() else {
            return false;
        };
        if is_current(session, reference) {
            self.store_in(session);
            return true;
        }
        let keep = (self.stage == BookingStage::AwaitingConfirmation).then_some(self);
        replace_awaiting(session, reference, keep)
    }

    /// Removes the draft with `reference` from `session` (staff refused it): the current draft
    /// is cleared (the session goes `idle`), or the earlier one dropped from the list. Returns
    /// whether it was there.
    pub fn remove_from(session: &mut Session, reference: &str) -> bool {
        if is_current(session, reference) {
            session.data.remove(BOOKING_KEY);
            "idle".clone_into(&mut session.state);
            return true;
        }
        replace_awaiting(session, reference, None)
    }
}

fn is_current(session: &Session, reference: &str) -> bool {
    BookingDraft::from_session(session)
        .is_some_and(|current| current.reference.as_deref() == Some(reference))
}

/// The earlier drafts awaiting confirmation (unreadable entries skipped).
fn awaiting(session: &Session) -> Vec<BookingDraft> {
    session
        .data
        .get(AWAITING_KEY)
        .and_then(serde_json::Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|value| serde_json::from_value(value.clone()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Replaces the earlier draft with `reference` by `with` (or drops it); the list goes when it
/// empties. Returns whether it was there.
fn replace_awaiting(session: &mut Session, reference: &str, with: Option<&BookingDraft>) -> bool {
    let Some(serde_json::Value::Array(list)) = session.data.get_mut(AWAITING_KEY) else {
        return false;
    };
    let matches = |value: &serde_json::Value| {
        value.get("reference").and_then(serde_json::Value::as_str) == Some(reference)
    };
    let Some(index) = list.iter().position(matches) else {
        return false;
    };
    match with.and_then(|draft| serde_json::to_value(draft).ok()) {
        Some(value) => list[index] = value,
        None => {
            list.remove(index);
        }
    }
    if list.is_empty() {
        session.data.remove(AWAITING_KEY);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(reference: &str, stage: BookingStage) -> BookingDraft {
        BookingDraft {
            stage,
            reference: Some(reference.into()),
            ..BookingDraft::default()
        }
    }

    /// A session whose current draft is `WA-2` (open) and which keeps `WA-1` awaiting staff.
    fn session() -> Session {
        let mut session = Session::default();
        draft("WA-1", BookingStage::AwaitingConfirmation).store_in(&mut session);
        draft("WA-2", BookingStage::Payment).store_in(&mut session);
        session
    }

    #[test]
    fn drafts_are_found_current_or_awaiting() {
        let session = session();
        assert_eq!(
            BookingDraft::find_in(&session, "WA-2").map(|d| d.stage),
            Some(BookingStage::Payment)
        );
        assert_eq!(
            BookingDraft::find_in(&session, "WA-1").map(|d| d.stage),
            Some(BookingStage::AwaitingConfirmation)
        );
        assert_eq!(BookingDraft::find_in(&session, "WA-3"), None);
    }

    #[test]
    fn a_decided_earlier_draft_leaves_the_list_and_the_current_one_is_untouched() {
        let mut session = session();
        let booked = draft("WA-1", BookingStage::Booked);
        assert!(booked.update_in(&mut session));
        assert!(!session.data.contains_key(AWAITING_KEY), "the list emptied");
        assert_eq!(
            session.state, "booking:payment",
            "the current draft is not touched"
        );
        assert_eq!(
            BookingDraft::from_session(&session).and_then(|d| d.reference),
            Some("WA-2".to_owned())
        );
        assert!(!draft("WA-9", BookingStage::Booked).update_in(&mut session));

        // Still waiting (a failed confirmation): replaced in place.
        let mut session = self::session();
        let mut waiting = draft("WA-1", BookingStage::AwaitingConfirmation);
        waiting.guest_name = Some("Ana Gómez".into());
        assert!(waiting.update_in(&mut session));
        assert_eq!(BookingDraft::find_in(&session, "WA-1"), Some(waiting));
    }

    #[test]
    fn the_current_draft_is_replaced_or_removed() {
        let mut session = Session::default();
        draft("WA-1", BookingStage::AwaitingConfirmation).store_in(&mut session);
        assert!(draft("WA-1", BookingStage::Booked).update_in(&mut session));
        assert_eq!(session.state, "idle");
        assert_eq!(
            BookingDraft::from_session(&session).map(|d| d.stage),
            Some(BookingStage::Booked)
        );

        let mut session = self::session();
        assert!(BookingDraft::remove_from(&mut session, "WA-2"));
        assert_eq!(session.state, "idle");
        assert_eq!(BookingDraft::from_session(&session), None);
        assert!(BookingDraft::remove_from(&mut session, "WA-1"));
        assert!(!session.data.contains_key(AWAITING_KEY));
        assert!(!BookingDraft::remove_from(&mut session, "WA-1"));
    }
}
