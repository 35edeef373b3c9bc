//! What a guest asks about: a stay, an occupancy, and the quotes a PMS answers with.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::{Money, PmsError, Result, RoomTypeId};

/// The oldest age that still counts as a child.
pub const MAX_CHILD_AGE: u8 = 17;
/// The longest stay accepted, in nights.
pub const MAX_NIGHTS: i64 = 90;

/// The nights from `check_in` to `check_out` (the check-out day is not a night).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "StayFields")]
pub struct Stay {
    check_in: NaiveDate,
    check_out: NaiveDate,
}

#[derive(Deserialize)]
struct StayFields {
    check_in: NaiveDate,
    check_out: NaiveDate,
}

impl TryFrom<StayFields> for Stay {
    type Error = PmsError;
    fn try_from(fields: StayFields) -> Result<Self> {
        Stay::new(fields.check_in, fields.check_out)
    }
}

impl Stay {
    /// A stay of at least one and at most [`MAX_NIGHTS`] nights.
    ///
    /// # Errors
    /// [`PmsError::InvalidRequest`] when check-out is not after check-in or the stay is too long.
    pub fn new(check_in: NaiveDate, check_out: NaiveDate) -> Result<Self> {
        let nights = (check_out - check_in).num_days();
        if nights < 1 {
            return Err(PmsError::InvalidRequest(format!(
                "check-out {check_out} is not after check-in {check_in}"
            )));
        }
        if nights > MAX_NIGHTS {
            return Err(PmsError::InvalidRequest(format!(
                "a stay of {nights} nights is longer than {MAX_NIGHTS}"
            )));
        }
        Ok(Self {
            check_in,
            check_out,
        })
    }

    pub fn check_in(&self) -> NaiveDate {
        self.check_in
    }

    pub fn check_out(&self) -> NaiveDate {
        self.check_out
    }

    /// How many nights (at least 1).
    pub fn nights(&self) -> u32 {
        u32::try_from((self.check_out - self.check_in).num_days()).unwrap_or(0)
    }

    /// Each night's date, from check-in to the day before check-out.
    pub fn night_dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.check_in
            .iter_days()
            .take_while(move |date| *date < self.check_out)
    }

    /// Whether the two stays share a night.
    pub fn overlaps(&self, other: &Stay) -> bool {
        self.check_in < other.check_out && other.check_in < self.check_out
    }
}

/// Whether the night of `date` is a weekend night (Friday or Saturday).
pub fn is_weekend_night(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Fri | Weekday::Sat)
}

/// Who sleeps in one room: adults and each child's age (PMSs price and place children by age).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Occupancy {
    pub adults: u32,
    /// One age per child, each at most [`MAX_CHILD_AGE`].
    #[serde(default)]
    pub children_ages: Vec<u8>,
}

impl Occupancy {
    /// `adults` adults and no children.
    pub fn adults(adults: u32) -> Self {
        Self {
            adults,
            children_ages: Vec::new(),
        }
    }

    /// `adults` adults and children of these ages.
    pub fn with_children(adults: u32, children_ages: impl Into<Vec<u8>>) -> Self {
        Self {
            adults,
            children_ages: children_ages.into(),
        }
    }

    /// How many children.
    pub fn children(&self) -> u32 {
        u32::try_from(self.children_ages.len()).unwrap_or(u32::MAX)
    }

    /// Checks at least one adult and plausible children's ages.
    ///
    /// # Errors
    /// [`PmsError::InvalidRequest`] naming the problem.
    pub fn validate(&self) -> Result<()> {
        if self.adults == 0 {
            return Err(PmsError::InvalidRequest(
                "at least one adult is needed".into(),
            ));
        }
        if let Some(age) = self.children_ages.iter().find(|age| **age > MAX_CHILD_AGE) {
            return Err(PmsError::InvalidRequest(format!(
                "a child aged {age} counts as an adult (children are {MAX_CHILD_AGE} or younger)"
            )));
        }
        Ok(())
    }
}

/// An availability and price question: one room for this stay and occupancy, of any type or of
/// one type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StayRequest {
    pub stay: Stay,
    pub occupancy: Occupancy,
    /// Only this room type; `None` for every type that fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomTypeId>,
}

impl StayRequest {
    /// Any room type for `stay` and `occupancy`.
    pub fn new(stay: Stay, occupancy: Occupancy) -> Self {
        Self {
            stay,
            occupancy,
            room_type: None,
        }
    }

    /// Only `room_type`.
    #[must_use]
    pub fn of_type(mut self, room_type: RoomTypeId) -> Self {
        self.room_type = Some(room_type);
        self
    }
}

/// The price of one night.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NightlyPrice {
    /// The night's date (the guest sleeps from this day to the next).
    pub date: NaiveDate,
    pub price: Money,
}

/// One room type that is free for the stay and fits the occupancy, and what it costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub room_type: RoomTypeId,
    /// How many rooms of this type are free for every night of the stay and fit the occupancy
    /// (at least 1; types with none are left out).
    pub available: u32,
    /// Each night's price, when the PMS gives them (the demo PMS does; QloApps' `hotel_ari`
    /// gives only the average, so this is empty there).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nightly: Vec<NightlyPrice>,
    /// The average price of a night.
    pub average_nightly: Money,
    /// The whole stay for one room, taxes included.
    pub total: Money,
    /// Whether this is an older answer served because the PMS could not be asked (it failed, or
    /// the resilience layer's circuit is open): availability and prices may have changed since,
    /// so say so and confirm before booking. Always `false` straight from a PMS.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
}

impl Quote {
    /// The currency of its prices.
    pub fn currency(&self) -> &str {
        &self.total.currency
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn stays_count_nights_and_overlap() {
        let stay = Stay::new(date("2026-12-15"), date("2026-12-17")).ok();
        let Some(stay) = stay else {
            unreachable!("a valid stay")
        };
        assert_eq!(stay.nights(), 2);
        assert_eq!(
            stay.night_dates().collect::<Vec<_>>(),
            [date("2026-12-15"), date("2026-12-16")]
        );
        let next = Stay::new(date("2026-12-17"), date("2026-12-18")).ok();
        assert_eq!(next.map(|n| n.overlaps(&stay)), Some(false));
        let inside = Stay::new(date("2026-12-16"), date("2026-12-20")).ok();
        assert_eq!(inside.map(|n| n.overlaps(&stay)), Some(true));
        assert!(Stay::new(date("2026-12-15"), date("2026-12-15")).is_err());
        assert!(Stay::new(date("2026-01-01"), date("2026-12-15")).is_err());
    }

    #[test]
    fn stays_deserialise_only_when_valid() {
        let ok: std::result::Result<Stay, _> =
            serde_json::from_str(r#"{"check_in":"2026-12-15","check_out":"2026-12-17"}"#);
        assert_eq!(ok.map(|s| s.nights()).ok(), Some(2));
        let backwards: std::result::Result<Stay, _> =
            serde_json::from_str(r#"{"check_in":"2026-12-17","check_out":"2026-12-15"}"#);
        assert!(backwards.is_err());
    }

    #[test]
    fn weekend_nights_are_friday_and_saturday() {
        assert!(is_weekend_night(date("2026-12-18"))); // Friday
        assert!(is_weekend_night(date("2026-12-19"))); // Saturday
        assert!(!is_weekend_night(date("2026-12-20"))); // Sunday
    }

    #[test]
    fn occupancy_needs_an_adult_and_child_ages() {
        assert!(Occupancy::adults(2).validate().is_ok());
        assert!(Occupancy::adults(0).validate().is_err());
        let family = Occupancy::with_children(2, [7, 17]);
        assert!(family.validate().is_ok());
        assert_eq!(family.children(), 2);
        assert!(Occupancy::with_children(1, [18]).validate().is_err());
    }
}
