//! Room types as a PMS describes them.

use std::collections::BTreeMap;

use hotel_domain::Language;
use serde::{Deserialize, Serialize};

pub use hotel_domain::{RoomTypeCode, UnknownRoomType};

use crate::{HotelId, Money};

/// A text in each guest language, e.g. `{ es = "Doble", en = "Double", pt = "Duplo" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    pub es: String,
    pub en: String,
    pub pt: String,
}

impl LocalizedText {
    /// The text in `language`.
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Es => &self.es,
            Language::En => &self.en,
            Language::Pt => &self.pt,
        }
    }
}

/// A room type's id in its PMS: the code for the demo PMS (`double`), the product id for
/// QloApps (`2`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoomTypeId(String);

impl RoomTypeId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RoomTypeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<RoomTypeCode> for RoomTypeId {
    fn from(code: RoomTypeCode) -> Self {
        Self(code.as_str().to_owned())
    }
}

/// How many guests one room takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomCapacity {
    /// Most adults.
    pub max_adults: u32,
    /// Most children besides the adults.
    pub max_children: u32,
    /// Most guests in all, when the PMS caps the sum below `max_adults + max_children`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_guests: Option<u32>,
}

impl RoomCapacity {
    /// Whether `adults` adults and `children` children fit in one room.
    pub fn fits(&self, adults: u32, children: u32) -> bool {
        adults <= self.max_adults
            && children <= self.max_children
            && self
                .max_guests
                .is_none_or(|max| adults.saturating_add(children) <= max)
    }
}

/// One type of room as the PMS describes it to guests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomType {
    /// Its id in the PMS.
    pub id: RoomTypeId,
    /// The hotel it belongs to.
    pub hotel: HotelId,
    /// The shared room type code, when the PMS uses them (the demo PMS does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<RoomTypeCode>,
    /// Its name in the PMS's default language.
    pub name: String,
    /// Its name per guest language, where the PMS has them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<Language, String>,
    /// Guests per room.
    pub capacity: RoomCapacity,
    /// How many rooms of this type the hotel has, when the PMS says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rooms: Option<u32>,
    /// Amenities, in the PMS's words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amenities: Vec<String>,
    /// Photo URLs guests can open.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    /// The base price of a night, before any date rule, when the PMS says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_rate: Option<Money>,
}

impl RoomType {
    /// Its name in `language`, or the default name.
    pub fn name_in(&self, language: Language) -> &str {
        self.names.get(&language).map_or(&self.name, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in RoomTypeCode::ALL {
            assert_eq!(code.as_str().parse::<RoomTypeCode>(), Ok(code));
            assert_eq!(
                serde_json::to_string(&code).unwrap_or_default(),
                format!("\"{code}\"")
            );
            assert_eq!(RoomTypeId::from(code).as_str(), code.as_str());
        }
        assert!("penthouse".parse::<RoomTypeCode>().is_err());
    }

    #[test]
    fn localized_text_picks_the_language() {
        let names = LocalizedText {
            es: "Doble".into(),
            en: "Double".into(),
            pt: "Duplo".into(),
        };
        assert_eq!(names.get(Language::Es), "Doble");
        assert_eq!(names.get(Language::En), "Double");
        assert_eq!(names.get(Language::Pt), "Duplo");
    }

    #[test]
    fn capacity_checks_each_limit() {
        let capacity = RoomCapacity {
            max_adults: 2,
            max_children: 2,
            max_guests: Some(3),
        };
        assert!(capacity.fits(2, 1));
        assert!(!capacity.fits(3, 0));
        assert!(!capacity.fits(1, 3));
        assert!(!capacity.fits(2, 2));
        let uncapped = RoomCapacity {
            max_guests: None,
            ..capacity
        };
        assert!(uncapped.fits(2, 2));
    }

    #[test]
    fn name_in_falls_back_to_the_default() {
        let room = RoomType {
            id: RoomTypeId::new("2"),
            hotel: HotelId::new("1"),
            code: None,
            name: "Double".into(),
            names: BTreeMap::from([(Language::Es, "Doble".to_owned())]),
            capacity: RoomCapacity {
                max_adults: 2,
                max_children: 0,
                max_guests: None,
            },
            rooms: None,
            amenities: Vec::new(),
            photos: Vec::new(),
            base_rate: None,
        };
        assert_eq!(room.name_in(Language::Es), "Doble");
        assert_eq!(room.name_in(Language::Pt), "Double");
        assert_eq!(room.id.to_string(), "2");
    }
}
