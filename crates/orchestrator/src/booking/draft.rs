//! [`BookingDraft`]: the booking a guest is putting together, kept in the session between
//! messages (`session.data["booking"]`, JSON), and the questions the conversation asks.

use chrono::{Days, NaiveDate};
use hotel_domain::{Language, RoomTypeCode};
use hotel_locks::Hold;
use hotel_nlp::Entities;
use hotel_pms::{BookingId, MAX_NIGHTS, Money, Occupancy, RoomTypeId, Stay};
use hotel_sessions::Session;
use serde::{Deserialize, Serialize};

use super::Question;

/// The session data key of the booking draft.
pub const BOOKING_KEY: &str = "booking";
/// The session data key of earlier bookings still awaiting staff confirmation when the guest
/// started another one (a JSON array of drafts, oldest first).
pub const AWAITING_KEY: &str = "bookings_awaiting_confirmation";
/// The age assumed for each child until the conversation asks for ages (PMSs want one per child).
pub const ASSUMED_CHILD_AGE: u8 = 8;

/// Where a booking stands. `collecting` → `choosing` → `contact` → `payment` are open (the
/// guest is still putting it together); then `awaiting_confirmation` (staff check the
/// payment), `confirming` (the PMS did not answer; retried) or `booked`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStage {
    /// Asking for dates and guests.
    #[default]
    Collecting,
    /// Rooms offered; waiting for the guest's pick.
    Choosing,
    /// A room is held; asking for name and e-mail.
    Contact,
    /// Payment instructions given; waiting for the receipt or "paid".
    Payment,
    /// Paid, in the hands of staff (or the automatic booking failed for good).
    AwaitingConfirmation,
    /// Paid; the PMS did not answer the booking yet. The next message retries it.
    Confirming,
    /// Booked in the PMS.
    Booked,
}

impl BookingStage {
    /// Its snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStage::Collecting => "collecting",
            BookingStage::Choosing => "choosing",
            BookingStage::Contact => "contact",
            BookingStage::Payment => "payment",
            BookingStage::AwaitingConfirmation => "awaiting_confirmation",
            BookingStage::Confirming => "confirming",
            BookingStage::Booked => "booked",
        }
    }

    /// Whether the guest is still putting the booking together (nothing paid yet).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            BookingStage::Collecting
                | BookingStage::Choosing
                | BookingStage::Contact
                | BookingStage::Payment
        )
    }
}

/// A room type offered to the guest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedRoom {
    /// Its id in the PMS (the choice id is `room:<id>`).
    pub room_type: RoomTypeId,
    /// The shared code, when the PMS has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<RoomTypeCode>,
    /// Its name in the guest's language when offered.
    pub name: String,
}

/// The room type the guest picked, as quoted when it was held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenRoom {
    pub room_type: RoomTypeId,
    pub name: String,
    /// The whole stay, one room.
    pub total: Money,
}

/// The booking being put together with one guest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BookingDraft {
    pub stage: BookingStage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_in: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_out: Option<NaiveDate>,
    /// Nights asked for before the check-in was known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nights: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adults: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<u32>,
    /// The room type the guest asked for: it filters the offer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomTypeCode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offered: Vec<OfferedRoom>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen: Option<ChosenRoom>,
    /// The room held while the guest pays.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold: Option<Hold>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guest_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The PMS idempotency key, generated once when the payment is asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deposit: Option<Money>,
    /// The PMS booking, once made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub booking_id: Option<BookingId>,
    /// The language the guest was answered in (for messages sent later, e.g. by staff action).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// The business number the guest wrote to when paying (messages sent later go out from it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_id: Option<String>,
}

impl BookingDraft {
    /// The draft stored in `session`, if any (an unreadable one is ignored with a warning).
    pub fn from_session(session: &Session) -> Option<Self> {
        let value = session.data.get(BOOKING_KEY)?;
        match serde_json::from_value(value.clone()) {
            Ok(draft) => Some(draft),
            Err(error) => {
                tracing::warn!(%error, "ignoring an unreadable booking draft");
                None
            }
        }
    }

    /// Stores the draft in `session` (replacing the one there). A replaced draft still awaiting
    /// staff confirmation is kept under [`AWAITING_KEY`]. The session state becomes
    /// `booking:<stage>` (or `idle` once booked).
    pub fn store_in(&self, session: &mut Session) {
        if let Some(previous) = Self::from_session(session)
            && previous.stage == BookingStage::AwaitingConfirmation
            && previous.reference != self.reference
            && let Ok(value) = serde_json::to_value(&previous)
        {
            let awaiting = session
                .data
                .entry(AWAITING_KEY.to_owned())
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            if let serde_json::Value::Array(list) = awaiting {
                list.push(value);
            }
        }
        match serde_json::to_value(self) {
            Ok(value) => {
                session.data.insert(BOOKING_KEY.to_owned(), value);
            }
            Err(error) => tracing::error!(%error, "could not store the booking draft"),
        }
        session.state = match self.stage {
            BookingStage::Booked => "idle".to_owned(),
            stage => format!("booking:{}", stage.as_str()),
        };
    }

    /// The stay, when both dates make one.
    pub fn stay(&self) -> Option<Stay> {
        Stay::new(self.check_in?, self.check_out?).ok()
    }

    /// The guests, when the adults are known (children at [`ASSUMED_CHILD_AGE`]).
    pub fn occupancy(&self) -> Option<Occupancy> {
        let children = usize::try_from(self.children.unwrap_or(0)).unwrap_or(0);
        Some(Occupancy::with_children(
            self.adults?,
            vec![ASSUMED_CHILD_AGE; children],
        ))
    }

    /// An open draft whose check-in has passed: forgotten, not continued.
    pub(crate) fn is_stale(&self, today: NaiveDate) -> bool {
        self.stage.is_open() && self.check_in.is_some_and(|check_in| check_in < today)
    }

    /// Merges what one message states: new dates replace the old ones, guests and room type
    /// replace theirs, anything unstated is kept. `count` is a bare number answering the
    /// guests question; `question` the question the message answers. Returns whether the
    /// search (dates, guests or room type) changed.
    pub(crate) fn merge(
        &mut self,
        entities: &Entities,
        count: Option<u32>,
        question: Option<Question>,
    ) -> bool {
        let before = (
            self.check_in,
            self.check_out,
            self.nights,
            self.adults,
            self.children,
            self.room_type,
        );
        match (entities.check_in, entities.check_out) {
            (Some(check_in), Some(check_out)) => {
                self.check_in = Some(check_in);
                self.check_out = Some(check_out);
                self.nights = None;
            }
            // "hasta el 17" or "el 17" answering "until when?".
            (Some(day), None) | (None, Some(day))
                if question == Some(Question::CheckOut)
                    && self.check_in.is_some_and(|check_in| day > check_in) =>
            {
                self.check_out = Some(day);
            }
            (Some(check_in), None) => {
                self.check_in = Some(check_in);
                self.nights = entities.nights.or(self.nights);
                self.check_out = self.nights.and_then(|n| add_nights(check_in, n));
            }
            (None, Some(check_out)) => {
                self.check_out = Some(check_out);
                if self.check_in.is_some_and(|check_in| check_in >= check_out) {
                    self.check_in = None;
                }
            }
            (None, None) => {
                if let Some(nights) = entities.nights {
                    self.nights = Some(nights);
                    if let Some(check_in) = self.check_in {
                        self.check_out = add_nights(check_in, nights);
                    }
                }
            }
        }
        if let Some(adults) = entities.adults.or(count).filter(|n| *n > 0) {
            self.adults = Some(adults);
        }
        if let Some(children) = entities.children {
            self.children = Some(children);
        }
        if let Some(code) = entities.room_type {
            self.room_type = Some(code);
        }
        if let Some(email) = &entities.email {
            self.email = Some(email.clone());
        }
        before
            != (
                self.check_in,
                self.check_out,
                self.nights,
                self.adults,
                self.children,
                self.room_type,
            )
    }

    /// The next thing to ask before rooms can be offered.
    pub(crate) fn missing(&self) -> Option<Question> {
        match (self.check_in, self.check_out) {
            (None, _) => Some(Question::Dates),
            (Some(_), None) => Some(Question::CheckOut),
            (Some(_), Some(_)) if self.adults.is_none() => Some(Question::Guests),
            _ => None,
        }
    }

    /// Forgets the room picked and everything after it (the hold must be released first).
    pub(crate) fn reset_choice(&mut self) {
        self.stage = BookingStage::Collecting;
        self.offered.clear();
        self.chosen = None;
        self.hold = None;
        self.reference = None;
        self.deposit = None;
    }
}

/// `check_in` plus `nights` (at most [`MAX_NIGHTS`]).
fn add_nights(check_in: NaiveDate, nights: u32) -> Option<NaiveDate> {
    let nights = u64::from(nights.min(u32::try_from(MAX_NIGHTS).unwrap_or(u32::MAX) + 1));
    check_in.checked_add_days(Days::new(nights))
}

/// What a message does to the stored draft.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum DraftChange {
    /// Leaves it as it is.
    #[default]
    Keep,
    /// Stores this draft.
    Set(Box<BookingDraft>),
    /// Removes the draft (cancelled); the session state becomes `idle`.
    Clear,
}

impl DraftChange {
    /// Applies the change to `session` (again, after a reload on conflict).
    pub(crate) fn apply_to(&self, session: &mut Session) {
        match self {
            DraftChange::Keep => {}
            DraftChange::Set(draft) => draft.store_in(session),
            DraftChange::Clear => {
                session.data.remove(BOOKING_KEY);
                "idle".clone_into(&mut session.state);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    fn entities() -> Entities {
        Entities::default()
    }

    #[test]
    fn merging_replaces_what_is_stated_and_keeps_the_rest() {
        let mut draft = BookingDraft::default();
        let first = Entities {
            check_in: Some(date(15)),
            check_out: Some(date(17)),
            adults: Some(2),
            room_type: Some(RoomTypeCode::Double),
            ..entities()
        };
        assert!(draft.merge(&first, None, None));
        assert_eq!(draft.missing(), None);
        // "y para 3?": only the guests change.
        let more = Entities {
            adults: Some(3),
            ..entities()
        };
        assert!(draft.merge(&more, None, None));
        assert_eq!(
            (draft.check_in, draft.check_out, draft.adults),
            (Some(date(15)), Some(date(17)), Some(3))
        );
        assert_eq!(draft.room_type, Some(RoomTypeCode::Double));
        // New dates replace the old ones.
        let later = Entities {
            check_in: Some(date(20)),
            check_out: Some(date(22)),
            ..entities()
        };
        assert!(draft.merge(&later, None, None));
        assert_eq!(draft.stay().map(|s| s.nights()), Some(2));
        assert!(!draft.merge(&later, None, None), "nothing new");
    }

    #[test]
    fn partial_dates_are_completed_by_later_answers() {
        let mut draft = BookingDraft::default();
        assert_eq!(draft.missing(), Some(Question::Dates));
        let arrival = Entities {
            check_in: Some(date(15)),
            ..entities()
        };
        draft.merge(&arrival, None, None);
        assert_eq!(draft.missing(), Some(Question::CheckOut));
        // "el 17" is read as a check-in by the NLU; answering "until when?" it is the check-out.
        let day = Entities {
            check_in: Some(date(17)),
            ..entities()
        };
        draft.merge(&day, None, Some(Question::CheckOut));
        assert_eq!(draft.check_out, Some(date(17)));
        assert_eq!(draft.missing(), Some(Question::Guests));
        draft.merge(&entities(), Some(2), Some(Question::Guests));
        assert_eq!(draft.adults, Some(2));
        assert_eq!(draft.missing(), None);

        // Nights before the arrival: kept until the arrival is known.
        let mut draft = BookingDraft::default();
        let nights = Entities {
            nights: Some(3),
            ..entities()
        };
        draft.merge(&nights, None, None);
        assert_eq!(draft.missing(), Some(Question::Dates));
        draft.merge(&arrival, None, Some(Question::Dates));
        assert_eq!(draft.check_out, Some(date(18)));
    }

    #[test]
    fn drafts_round_trip_and_replaced_awaiting_ones_are_kept() {
        let mut session = Session::default();
        let awaiting = BookingDraft {
            stage: BookingStage::AwaitingConfirmation,
            reference: Some("WA-1".into()),
            ..BookingDraft::default()
        };
        awaiting.store_in(&mut session);
        assert_eq!(session.state, "booking:awaiting_confirmation");
        assert_eq!(BookingDraft::from_session(&session), Some(awaiting.clone()));
        let next = BookingDraft::default();
        DraftChange::Set(Box::new(next.clone())).apply_to(&mut session);
        assert_eq!(BookingDraft::from_session(&session), Some(next));
        assert_eq!(session.data[AWAITING_KEY][0]["reference"], "WA-1");
        DraftChange::Clear.apply_to(&mut session);
        assert_eq!(BookingDraft::from_session(&session), None);
        assert_eq!(session.state, "idle");
    }

    #[test]
    fn stale_drafts_are_not_continued() {
        let draft = BookingDraft {
            check_in: Some(date(15)),
            ..BookingDraft::default()
        };
        assert!(draft.is_stale(date(16)));
        assert!(!draft.is_stale(date(15)));
        assert_eq!(
            draft.occupancy(),
            None,
            "no adults yet, no occupancy to quote"
        );
    }
}
