//! Room types as a PMS describes them.

use hotel_domain::Language;
use serde::{Deserialize, Serialize};

pub use hotel_domain::{RoomTypeCode, UnknownRoomType};

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

/// One type of room and what it costs, in the inventory's currency units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomType {
    /// Which type this is.
    pub code: RoomTypeCode,
    /// Its name for guests, per language.
    pub names: LocalizedText,
    /// How many rooms of this type the hotel has.
    pub rooms: u32,
    /// Most adults per room.
    pub max_adults: u32,
    /// Most children per room, besides the adults.
    pub max_children: u32,
    /// Price of a night.
    pub nightly_rate: i64,
    /// Price of a Friday or Saturday night, when different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekend_rate: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in RoomTypeCode::ALL {
            assert_eq!(code.as_str().parse::<RoomTypeCode>(), Ok(code));
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{code}\""));
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
}
