//! Room type codes: the vocabulary the NLU, the PMS and the conversation share.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in RoomTypeCode::ALL {
            assert_eq!(code.as_str().parse::<RoomTypeCode>(), Ok(code));
            assert_eq!(code.to_string(), code.as_str());
        }
        assert!("penthouse".parse::<RoomTypeCode>().is_err());
        assert_eq!(
            serde_json::to_string(&RoomTypeCode::Twin).unwrap_or_default(),
            "\"twin\""
        );
    }
}
