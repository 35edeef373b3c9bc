//! The built-in demo PMS: a fixed inventory from the `[pms.demo]` configuration section.

use std::collections::HashSet;

use async_trait::async_trait;
use hotel_domain::TenantId;
use serde::{Deserialize, Serialize};

use crate::{LocalizedText, Pms, PmsError, Result, RoomType, RoomTypeCode};

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
    pub room_types: Vec<RoomType>,
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
            RoomType {
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

/// The demo PMS: answers from its [`DemoInventory`], the same for every tenant.
#[derive(Debug, Clone)]
pub struct DemoPms {
    inventory: DemoInventory,
}

impl DemoPms {
    /// A demo PMS over a validated inventory.
    ///
    /// # Errors
    /// [`PmsError::InvalidConfig`] when [`DemoInventory::validate`] fails.
    pub fn new(inventory: DemoInventory) -> Result<Self> {
        inventory.validate()?;
        Ok(Self { inventory })
    }

    /// The inventory it serves.
    pub fn inventory(&self) -> &DemoInventory {
        &self.inventory
    }

    /// The currency of its rates.
    pub fn currency(&self) -> &str {
        &self.inventory.currency
    }
}

impl Default for DemoPms {
    /// The demo PMS over [`DemoInventory::default`].
    fn default() -> Self {
        Self {
            inventory: DemoInventory::default(),
        }
    }
}

#[async_trait]
impl Pms for DemoPms {
    fn kind(&self) -> &'static str {
        "demo"
    }

    async fn health(&self) -> Result<()> {
        Ok(())
    }

    async fn room_types(&self, _tenant: &TenantId) -> Result<Vec<RoomType>> {
        Ok(self.inventory.room_types.clone())
    }
}
