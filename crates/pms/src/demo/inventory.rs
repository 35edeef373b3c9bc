//! The demo PMS's inventory: the `[pms.demo]` configuration section.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::{LocalizedText, PmsError, Result, RoomTypeCode};

/// The `[pms.demo]` section of the configuration: a currency and the room types.
///
/// ```toml
/// [pms.demo]
/// currency = "ARS"
/// [[pms.demo.room_types]]
/// code = "double"
/// names = { es = "Doble", en = "Double", pt = "Duplo" }
/// rooms = 10
/// max_adults = 2
/// max_children = 1
/// nightly_rate = 12000
/// weekend_rate = 14000
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoInventory {
    /// ISO 4217 code of the rates' currency, e.g. `ARS`.
    pub currency: String,
    /// The hotel's room types, each code at most once.
    pub room_types: Vec<DemoRoomType>,
}

impl DemoInventory {
    /// Checks the inventory: a three-letter currency code, at least one room type, unique codes,
    /// non-empty names, `rooms > 0`, `max_adults >= 1` and positive rates.
    ///
    /// # Errors
    /// [`PmsError::InvalidConfig`] naming every problem found.
    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        if self.currency.len() != 3 || !self.currency.chars().all(|c| c.is_ascii_uppercase()) {
            problems.push(format!(
                "currency `{}` is not a three-letter code such as ARS",
                self.currency
            ));
        }
        if self.room_types.is_empty() {
            problems.push("room_types is empty".to_owned());
        }
        let mut seen = HashSet::new();
        for room in &self.room_types {
            let code = room.code;
            if !seen.insert(code) {
                problems.push(format!("room type `{code}` appears more than once"));
            }
            if room.rooms == 0 {
                problems.push(format!("room type `{code}`: rooms must be greater than 0"));
            }
            if room.max_adults == 0 {
                problems.push(format!("room type `{code}`: max_adults must be at least 1"));
            }
            if room.nightly_rate <= 0 {
                problems.push(format!(
                    "room type `{code}`: nightly_rate must be greater than 0"
                ));
            }
            if room.weekend_rate.is_some_and(|rate| rate <= 0) {
                problems.push(format!(
                    "room type `{code}`: weekend_rate must be greater than 0"
                ));
            }
            let names = &room.names;
            if [&names.es, &names.en, &names.pt]
                .iter()
                .any(|name| name.trim().is_empty())
            {
                problems.push(format!("room type `{code}`: names need es, en and pt"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(PmsError::InvalidConfig(format!(
                "[pms.demo]: {}",
                problems.join("; ")
            )))
        }
    }
}

impl Default for DemoInventory {
    /// A small hotel in Buenos Aires: singles, doubles, twins and suites, rates in ARS.
    fn default() -> Self {
        let room = |code,
                    [es, en, pt]: [&str; 3],
                    rooms,
                    max_adults,
                    max_children,
                    nightly_rate,
                    weekend_rate| {
            DemoRoomType {
                code,
                names: LocalizedText {
                    es: es.to_owned(),
                    en: en.to_owned(),
                    pt: pt.to_owned(),
                },
                rooms,
                max_adults,
                max_children,
                nightly_rate,
                weekend_rate,
            }
        };
        Self {
            currency: "ARS".to_owned(),
            room_types: vec![
                room(
                    RoomTypeCode::Single,
                    ["Individual", "Single", "Solteiro"],
                    4,
                    1,
                    0,
                    45_000,
                    None,
                ),
                room(
                    RoomTypeCode::Double,
                    ["Doble", "Double", "Casal"],
                    10,
                    2,
                    1,
                    65_000,
                    Some(75_000),
                ),
                room(
                    RoomTypeCode::Twin,
                    ["Doble twin", "Twin", "Duplo twin"],
                    6,
                    2,
                    1,
                    65_000,
                    Some(75_000),
                ),
                room(
                    RoomTypeCode::Suite,
                    ["Suite", "Suite", "Suíte"],
                    2,
                    2,
                    2,
                    120_000,
                    Some(140_000),
                ),
            ],
        }
    }
}

/// One type of room in the `[pms.demo]` inventory and what it costs, in whole units of the
/// inventory's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoRoomType {
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

impl DemoRoomType {
    /// The rate of the night of `date`: `weekend_rate` on Friday and Saturday nights when set.
    pub fn rate_for(&self, date: chrono::NaiveDate) -> i64 {
        match self.weekend_rate {
            Some(rate) if crate::is_weekend_night(date) => rate,
            _ => self.nightly_rate,
        }
    }
}
