//! Hotels (properties) as a PMS lists them.

use std::collections::BTreeMap;

use hotel_domain::Language;
use serde::{Deserialize, Serialize};

/// A hotel's id in its PMS, e.g. QloApps' `id_hotel`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HotelId(String);

impl HotelId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for HotelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A hotel: what the assistant may tell guests about the property itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hotel {
    pub id: HotelId,
    /// Its name in the PMS's default language.
    pub name: String,
    /// Its name per guest language, where the PMS has them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<Language, String>,
    /// Check-in time as the PMS writes it, e.g. `12:00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in_time: Option<String>,
    /// Check-out time as the PMS writes it, e.g. `11:00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_out_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Hotel {
    /// A hotel with only an id and a name.
    pub fn named(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: HotelId::new(id),
            name: name.into(),
            names: BTreeMap::new(),
            check_in_time: None,
            check_out_time: None,
            city: None,
            phone: None,
            email: None,
        }
    }
}
