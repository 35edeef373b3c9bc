//! What a message states: dates, guests, room type, booking reference, contact details.
//!
//! [`extract_entities`] is a small rule engine: contact details and references are read from
//! the raw text first (and blanked), then an accent-folding tokeniser feeds three grammars —
//! dates and nights ([`dates`]), adults and children ([`guests`]), room types ([`room`]) —
//! that share one number reader ([`numbers`]) and one set of word lists ([`lexicon`]).

mod contact;
mod dates;
mod guests;
mod lexicon;
mod numbers;
mod room;
mod tokens;

use chrono::NaiveDate;
use hotel_domain::Language;
use serde::{Deserialize, Serialize};

pub use hotel_domain::RoomTypeCode;

/// The entities `text` states or implies, per the labelling conventions of `nlu-schema.md`.
///
/// `language` settles words that are numbers in one language only (Spanish "dos" is 2,
/// Portuguese "dos" is "of the"); everything else is read in all three languages, so a
/// misidentified language costs little. Relative dates resolve against `reference_date`, the
/// message's date in the hotel's time zone. Never fails and never panics: `check_in` is never
/// before `reference_date` and `check_out` is always after `check_in`.
pub fn extract_entities(text: &str, language: Language, reference_date: NaiveDate) -> Entities {
    let mut chars: Vec<char> = text.chars().collect();
    let email = contact::take_email(&mut chars);
    let phone = contact::take_phone(&mut chars);
    let booking_id = contact::take_booking_id(&mut chars);
    let tokens = tokens::tokenise_chars(&chars);
    let (adults, children) = guests::guests(&tokens, language);
    let room_type = room::room_type(&tokens, language);
    let other_stay_signal = adults.is_some() || children.is_some() || room_type.is_some();
    let stay = dates::stay(&tokens, language, reference_date, other_stay_signal);
    Entities {
        check_in: stay.check_in,
        check_out: stay.check_out,
        nights: stay.nights,
        adults,
        children,
        room_type,
        booking_id,
        email,
        phone,
    }
}

/// The entities of one message. Only keys the message states or implies are present;
/// absent ones are left out of the JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Entities {
    /// First night of the stay (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_in: Option<NaiveDate>,
    /// Departure day (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_out: Option<NaiveDate>,
    /// Number of nights, when written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nights: Option<u32>,
    /// Number of adults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adults: Option<u32>,
    /// Number of children (only when counted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<u32>,
    /// The room type asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomTypeCode>,
    /// The hotel's booking reference as written (e.g. `HTL-4821`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub booking_id: Option<String>,
    /// An e-mail address as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A phone number, in E.164 when it could be normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl Entities {
    /// Whether no entity is present.
    pub fn is_empty(&self) -> bool {
        *self == Entities::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_entities_serialise_as_an_empty_object() {
        assert_eq!(serde_json::to_string(&Entities::default()).unwrap(), "{}");
        assert!(Entities::default().is_empty());
    }

    #[test]
    fn present_keys_use_schema_names_and_formats() {
        let entities = Entities {
            check_in: NaiveDate::from_ymd_opt(2026, 12, 15),
            check_out: NaiveDate::from_ymd_opt(2026, 12, 17),
            adults: Some(2),
            room_type: Some(RoomTypeCode::Double),
            ..Entities::default()
        };
        let json = serde_json::to_string(&entities).unwrap();
        assert_eq!(
            json,
            r#"{"check_in":"2026-12-15","check_out":"2026-12-17","adults":2,"room_type":"double"}"#
        );
        assert_eq!(serde_json::from_str::<Entities>(&json).unwrap(), entities);
        assert!(!entities.is_empty());
    }

    #[test]
    fn room_type_codes_are_lowercase() {
        for code in RoomTypeCode::ALL {
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{code}\""));
        }
    }
}
