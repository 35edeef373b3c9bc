//! Room types as a PMS describes them.

use hotel_domain::Language;
use serde::{Deserialize, Serialize};

/// The room type codes shared with the NLU (`nlu-schema.md`), lowercase in TOML and JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoomTypeCode {
    Single,
    Double,
    Twin,
    Triple,
    Suite,
    Family,
}

/// A code that is not a room type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown room type `{0}`: expected single, double, twin, triple, suite or family")]
pub struct UnknownRoomType(pub String);

impl RoomTypeCode {
    /// Every room type code.
    pub const ALL: [RoomTypeCode; 6] = [
        RoomTypeCode::Single,
        RoomTypeCode::Double,
        RoomTypeCode::Twin,
        RoomTypeCode::Triple,
        RoomTypeCode::Suite,
        RoomTypeCode::Family,
    ];

    /// The lowercase code.
    pub fn as_str(self) -> &'static str {
        match self {
            RoomTypeCode::Single => "single",
            RoomTypeCode::Double => "double",
            RoomTypeCode::Twin => "twin",
            RoomTypeCode::Triple => "triple",
            RoomTypeCode::Suite => "suite",
            RoomTypeCode::Family => "family",
        }
    }
}

impl std::str::FromStr for RoomTypeCode {
    type Err = UnknownRoomType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RoomTypeCode::ALL
            .into_iter()
            .find(|code| code.as_str() == s)
            .ok_or_else(|| UnknownRoomType(s.to_owned()))
    }
}

impl std::fmt::Display for RoomTypeCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
