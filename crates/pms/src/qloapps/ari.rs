//! Availability and rates: `POST /api/hotel_ari` (reference §7), filtered by capacity here
//! because QloApps ignores the occupancy (caveat 1).

use std::collections::HashMap;

use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

use super::QloAppsPms;
use super::http::Body;
use super::wire::{lenient_f64, lenient_opt_u32, lenient_u32, parse};
use crate::{Money, Occupancy, PmsError, Quote, Result, RoomCapacity, RoomTypeId, StayRequest};

#[derive(Debug, Deserialize)]
struct AriEnvelope {
    hotel_ari: Ari,
}

#[derive(Debug, Deserialize)]
struct Ari {
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    room_types: Vec<AriRoomType>,
}

#[derive(Debug, Deserialize)]
struct AriRoomType {
    #[serde(deserialize_with = "lenient_u32")]
    id_room_type: u32,
    /// The average price of a night, taxes included.
    #[serde(deserialize_with = "lenient_f64")]
    base_price_with_tax: f64,
    /// The stay's total, taxes included.
    #[serde(deserialize_with = "lenient_f64")]
    total_price_with_tax: f64,
    #[serde(default)]
    rooms: AriRooms,
}

#[derive(Debug, Default, Deserialize)]
struct AriRooms {
    /// An object keyed by room id, or `[]` when nothing is free.
    #[serde(default)]
    available: Value,
}

#[derive(Debug, Deserialize)]
struct AriRoom {
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    max_adult: Option<u32>,
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    max_children: Option<u32>,
    #[serde(default, deserialize_with = "lenient_opt_u32")]
    max_occupancy: Option<u32>,
}

impl AriRoom {
    /// The room's own capacity, when it carries one.
    fn capacity(&self) -> Option<RoomCapacity> {
        Some(RoomCapacity {
            max_adults: self.max_adult?,
            max_children: self.max_children?,
            max_guests: self.max_occupancy.filter(|max| *max > 0),
        })
    }
}

/// The search for one room of `occupancy` (one occupancy, so `total_price` is for one room
/// whatever the shop's rounding mode: caveat 2).
pub(super) fn ari_request_xml(
    hotel_id: u32,
    request: &StayRequest,
    room_type: Option<u32>,
) -> String {
    let room_type = room_type
        .map(|id| format!("<id_room_type>{id}</id_room_type>"))
        .unwrap_or_default();
    format!(
        "<qloapps><hotel_ari><id_hotel>{hotel_id}</id_hotel>\
         <date_from>{from}</date_from><date_to>{to}</date_to>{room_type}\
         <associations><room_occupancies><room_occupancy>\
         <adults>{adults}</adults><children>{children}</children>\
         </room_occupancy></room_occupancies></associations></hotel_ari></qloapps>",
        from = request.stay.check_in().format("%Y-%m-%d"),
        to = request.stay.check_out().format("%Y-%m-%d"),
        adults = request.occupancy.adults,
        children = request.occupancy.children(),
    )
}

/// A QloApps room type id from ours.
pub(super) fn qlo_id(id: &RoomTypeId) -> Result<u32> {
    id.as_str()
        .parse()
        .map_err(|_| PmsError::NotFound(format!("room type `{id}`")))
}

impl QloAppsPms {
    pub(super) async fn search(&self, request: &StayRequest) -> Result<Vec<Quote>> {
        request.occupancy.validate()?;
        let only = request.room_type.as_ref().map(qlo_id).transpose()?;
        let xml = ari_request_xml(self.config.hotel_id, request, only);
        let body = self
            .call(
                Method::POST,
                "hotel_ari",
                &[],
                Body::Xml(xml),
                self.config.read_timeout,
            )
            .await?;
        let ari = parse::<AriEnvelope>(&body, "hotel_ari")?.hotel_ari;
        let currency = ari
            .currency
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| self.config.currency.clone());
        let mut type_capacities: Option<HashMap<u32, RoomCapacity>> = None;
        let mut quotes = Vec::new();
        for room_type in ari.room_types {
            if only.is_some_and(|id| id != room_type.id_room_type) {
                continue;
            }
            let rooms = available_rooms(&room_type.rooms.available)?;
            if rooms.is_empty() {
                continue;
            }
            if type_capacities.is_none() && rooms.iter().any(|room| room.capacity().is_none()) {
                type_capacities = Some(self.capacities().await?);
            }
            let fallback = type_capacities
                .as_ref()
                .and_then(|c| c.get(&room_type.id_room_type).copied());
            let available = count_fitting(&rooms, fallback, &request.occupancy);
            if available == 0 {
                continue;
            }
            let money = |amount: f64| {
                Money::from_decimal(amount, currency.as_str()).ok_or_else(|| {
                    PmsError::InvalidResponse(format!("price {amount} is not a number"))
                })
            };
            quotes.push(Quote {
                room_type: RoomTypeId::new(room_type.id_room_type.to_string()),
                available,
                nightly: Vec::new(),
                average_nightly: money(room_type.base_price_with_tax)?,
                total: money(room_type.total_price_with_tax)?,
                stale: false,
            });
        }
        Ok(quotes)
    }
}

/// The free rooms: an object keyed by room id, or a list (`[]` when none).
fn available_rooms(available: &Value) -> Result<Vec<AriRoom>> {
    let rooms: Vec<&Value> = match available {
        Value::Null => Vec::new(),
        Value::Array(rooms) => rooms.iter().collect(),
        Value::Object(rooms) => rooms.values().collect(),
        _ => {
            return Err(PmsError::InvalidResponse(
                "hotel_ari: `available` is neither a list nor an object".into(),
            ));
        }
    };
    rooms
        .into_iter()
        .map(|room| {
            AriRoom::deserialize(room)
                .map_err(|e| PmsError::InvalidResponse(format!("hotel_ari room: {e}")))
        })
        .collect()
}

/// How many rooms take `occupancy`: by their own capacity, else the room type's; a room with
/// neither is not offered.
fn count_fitting(rooms: &[AriRoom], fallback: Option<RoomCapacity>, occupancy: &Occupancy) -> u32 {
    let fitting = rooms
        .iter()
        .filter_map(|room| room.capacity().or(fallback))
        .filter(|capacity| capacity.fits(occupancy.adults, occupancy.children()))
        .count();
    u32::try_from(fitting).unwrap_or(u32::MAX)
}
