//! What a message states: dates, guests, room type, booking reference, contact details.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use hotel_domain::RoomTypeCode;

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
