//! QloApps' JSON as it arrives: numbers as strings, `[]` for empty lists and objects,
//! multilingual fields as `[{"id":"1","value":"…"}]` (reference §2).

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::{PmsError, Result};

/// Parses a whole body.
pub(super) fn parse<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| PmsError::InvalidResponse(format!("{what}: {e}")))
}

/// A list answer: `{"<key>":[…]}`, or `[]` when there is nothing (reference §2).
pub(super) fn parse_list<T: DeserializeOwned>(body: &[u8], key: &str) -> Result<Vec<T>> {
    match parse::<Value>(body, key)? {
        Value::Array(items) if items.is_empty() => Ok(Vec::new()),
        Value::Object(mut fields) => match fields.remove(key) {
            Some(Value::Array(items)) if items.is_empty() => Ok(Vec::new()),
            Some(list) => serde_json::from_value(list)
                .map_err(|e| PmsError::InvalidResponse(format!("{key}: {e}"))),
            None => Err(PmsError::InvalidResponse(format!(
                "no `{key}` in the answer"
            ))),
        },
        _ => Err(PmsError::InvalidResponse(format!(
            "`{key}`: neither a list nor an object"
        ))),
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn whole(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A whole number sent as a number or a string.
pub(super) fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u64, D::Error> {
    let value = Value::deserialize(d)?;
    whole(&value).ok_or_else(|| D::Error::custom(format!("expected a whole number, got {value}")))
}

/// A whole number sent as a number or a string, fitting 32 bits.
pub(super) fn lenient_u32<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    let value = lenient_u64(d)?;
    u32::try_from(value).map_err(|_| D::Error::custom(format!("{value} is too large")))
}

/// Like [`lenient_u32`], with `null`, `""` or a missing field as `None`.
pub(super) fn lenient_opt_u32<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<u32>, D::Error> {
    let value = Value::deserialize(d)?;
    match &value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        other => whole(other)
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("expected a whole number, got {value}"))),
    }
}

/// A decimal sent as a number or a string, e.g. `"120.000000"` or `132.5`.
pub(super) fn lenient_f64<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<f64, D::Error> {
    let value = Value::deserialize(d)?;
    number(&value).ok_or_else(|| D::Error::custom(format!("expected a number, got {value}")))
}

/// Like [`lenient_f64`], with `null` or a missing field as `None`.
pub(super) fn lenient_opt_f64<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<f64>, D::Error> {
    let value = Value::deserialize(d)?;
    match &value {
        Value::Null => Ok(None),
        other => number(other)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("expected a number, got {value}"))),
    }
}

/// A multilingual field: a plain string (with `language=N`) or one value per language id.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum Multilingual {
    Plain(String),
    Translations(Vec<Translation>),
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct Translation {
    #[serde(deserialize_with = "lenient_u32")]
    pub id: u32,
    pub value: String,
}

impl Default for Multilingual {
    fn default() -> Self {
        Multilingual::Plain(String::new())
    }
}

/// `{"id": 17}` rows of an id-only list.
#[derive(Debug, Deserialize)]
pub(super) struct IdRow {
    #[serde(deserialize_with = "lenient_u64")]
    pub id: u64,
}

/// A row of `GET /api/hotels?display=full` (reference §5).
#[derive(Debug, Deserialize)]
pub(super) struct HotelRow {
    #[serde(deserialize_with = "lenient_u64")]
    pub id: u64,
    #[serde(default)]
    pub hotel_name: Multilingual,
    #[serde(default)]
    pub check_in: Option<String>,
    #[serde(default)]
    pub check_out: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// A row of `GET /api/hotel_room_types?display=full` (reference §6).
#[derive(Debug, Clone, Deserialize)]
pub(super) struct HotelRoomTypeRow {
    #[serde(deserialize_with = "lenient_u32")]
    pub id_product: u32,
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    pub max_adults: Option<u32>,
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    pub max_children: Option<u32>,
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    pub max_guests: Option<u32>,
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    pub adults: Option<u32>,
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    pub children: Option<u32>,
}

/// A row of `GET /api/room_types?display=[id,name,price,id_tax_rules_group]` (reference §6).
#[derive(Debug, Deserialize)]
pub(super) struct RoomTypeRow {
    #[serde(deserialize_with = "lenient_u32")]
    pub id: u32,
    #[serde(default)]
    pub name: Multilingual,
    #[serde(default, deserialize_with = "lenient_opt_f64")]
    pub price: Option<f64>,
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    pub id_tax_rules_group: Option<u32>,
}

/// `GET /api/room_types/{id}`.
#[derive(Debug, Deserialize)]
pub(super) struct RoomTypeEnvelope {
    pub room_type: RoomTypeRow,
}

/// `GET /api/orders/{id}` (reference §8.2), only what we read.
#[derive(Debug, Deserialize)]
pub(super) struct OrderEnvelope {
    pub order: OrderRow,
}

#[derive(Debug, Deserialize)]
pub(super) struct OrderRow {
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(deserialize_with = "lenient_u32")]
    pub current_state: u32,
}

/// A row of `GET /api/order_states?display=[id,name]`.
#[derive(Debug, Deserialize)]
pub(super) struct OrderStateRow {
    #[serde(deserialize_with = "lenient_u32")]
    pub id: u32,
    #[serde(default)]
    pub name: Multilingual,
}

/// `GET /api/bookings/{id}`, and the answers of POST and PUT (reference §8.2).
#[derive(Debug, Deserialize)]
pub(super) struct BookingEnvelope {
    pub booking: WireBooking,
}

#[derive(Debug, Deserialize)]
pub(super) struct WireBooking {
    #[serde(deserialize_with = "lenient_u64")]
    pub id: u64,
    #[serde(default)]
    pub currency: Option<String>,
    pub associations: WireBookingAssociations,
}

#[derive(Debug, Deserialize)]
pub(super) struct WireBookingAssociations {
    pub customer_detail: WireCustomer,
    #[serde(default)]
    pub price_details: Option<WirePriceDetails>,
    /// Strings, one per remark; tolerated as a single string too.
    #[serde(default)]
    pub remarks: Value,
    pub room_types: Vec<WireBookedRoomType>,
}

#[derive(Debug, Deserialize)]
pub(super) struct WireCustomer {
    #[serde(default)]
    pub firstname: String,
    #[serde(default)]
    pub lastname: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct WirePriceDetails {
    #[serde(default, deserialize_with = "lenient_opt_f64")]
    pub total_price_without_tax: Option<f64>,
    #[serde(default, deserialize_with = "lenient_opt_f64")]
    pub total_tax: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub(super) struct WireBookedRoomType {
    #[serde(deserialize_with = "lenient_u32")]
    pub id_room_type: u32,
    pub checkin_date: String,
    pub checkout_date: String,
    #[serde(default)]
    pub rooms: Vec<WireBookedRoom>,
}

#[derive(Debug, Deserialize)]
pub(super) struct WireBookedRoom {
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    pub adults: Option<u32>,
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    pub adult: Option<u32>,
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    pub child: Option<u32>,
}

/// The error body: `{"errors":[{"code":27,"message":"…"}]}` (reference §2).
#[derive(Debug, Default, Deserialize)]
pub(super) struct ErrorBody {
    #[serde(default)]
    pub errors: Vec<WireError>,
}

#[derive(Debug, Deserialize)]
pub(super) struct WireError {
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    pub code: Option<u32>,
    #[serde(default)]
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Row {
        #[serde(deserialize_with = "lenient_u32")]
        n: u32,
        #[serde(default, deserialize_with = "lenient_opt_u32")]
        o: Option<u32>,
        #[serde(deserialize_with = "lenient_f64")]
        f: f64,
    }

    #[test]
    fn numbers_arrive_as_numbers_or_strings() {
        let row: Row = serde_json::from_str(r#"{"n":"3","o":"","f":"120.000000"}"#).unwrap();
        assert_eq!((row.n, row.o, row.f), (3, None, 120.0));
        let row: Row = serde_json::from_str(r#"{"n":3,"o":4,"f":132.5}"#).unwrap();
        assert_eq!((row.n, row.o, row.f), (3, Some(4), 132.5));
        assert!(serde_json::from_str::<Row>(r#"{"n":"x","f":1}"#).is_err());
        assert!(serde_json::from_str::<Row>(r#"{"n":1,"o":"y","f":1}"#).is_err());
        assert!(serde_json::from_str::<Row>(r#"{"n":1,"f":true}"#).is_err());
        assert!(serde_json::from_str::<Row>(r#"{"n":99999999999,"f":1}"#).is_err());
    }

    #[test]
    fn lists_may_be_bare_empty_arrays() {
        let empty: Vec<IdRow> = parse_list(b"[]", "customers").unwrap();
        assert!(empty.is_empty());
        let rows: Vec<IdRow> =
            parse_list(br#"{"customers":[{"id":3},{"id":"7"}]}"#, "customers").unwrap();
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), [3, 7]);
        assert!(parse_list::<IdRow>(br#"{"orders":[]}"#, "customers").is_err());
        assert!(parse_list::<IdRow>(b"42", "customers").is_err());
        assert!(parse_list::<IdRow>(b"{not json", "customers").is_err());
    }
}
