//! Hotels and room types (reference §5, §6), and the capacities and tax groups the other calls
//! need, cached after the first read.

use std::collections::{BTreeMap, HashMap};

use hotel_domain::Language;

use super::QloAppsPms;
use super::wire::{
    HotelRoomTypeRow, HotelRow, Multilingual, RoomTypeEnvelope, RoomTypeRow, parse, parse_list,
};
use crate::{Hotel, HotelId, Money, PmsError, Result, RoomCapacity, RoomType, RoomTypeId};

impl QloAppsPms {
    /// A multilingual field as a default name and the names per guest language.
    pub(super) fn localize(&self, field: &Multilingual) -> (String, BTreeMap<Language, String>) {
        match field {
            Multilingual::Plain(text) => (text.clone(), BTreeMap::new()),
            Multilingual::Translations(values) => {
                let names: BTreeMap<Language, String> = values
                    .iter()
                    .filter(|t| !t.value.trim().is_empty())
                    .filter_map(|t| Some((self.config.language_of(t.id)?, t.value.clone())))
                    .collect();
                let default = names
                    .get(&Language::En)
                    .cloned()
                    .or_else(|| values.first().map(|t| t.value.clone()))
                    .unwrap_or_default();
                (default, names)
            }
        }
    }

    pub(super) async fn fetch_hotels(&self) -> Result<Vec<Hotel>> {
        let body = self
            .get("hotels", &[("display", "full".to_owned())])
            .await?;
        let rows: Vec<HotelRow> = parse_list(&body, "hotels")?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let (name, names) = self.localize(&row.hotel_name);
                Hotel {
                    id: HotelId::new(row.id.to_string()),
                    name,
                    names,
                    check_in_time: row.check_in,
                    check_out_time: row.check_out,
                    city: row.city,
                    phone: row.phone,
                    email: row.email,
                }
            })
            .collect())
    }

    /// The hotel's `hotel_room_types` rows.
    async fn fetch_capacity_rows(&self) -> Result<Vec<HotelRoomTypeRow>> {
        let body = self
            .get(
                "hotel_room_types",
                &[
                    ("filter[id_hotel]", format!("[{}]", self.config.hotel_id)),
                    ("display", "full".to_owned()),
                ],
            )
            .await?;
        let rows: Vec<HotelRoomTypeRow> = parse_list(&body, "hotel_room_types")?;
        let capacities = rows
            .iter()
            .map(|row| (row.id_product, capacity_of(row)))
            .collect();
        self.cache().capacities = Some(capacities);
        Ok(rows)
    }

    /// Room type id → capacity, read once.
    pub(super) async fn capacities(&self) -> Result<HashMap<u32, RoomCapacity>> {
        if let Some(capacities) = self.cache().capacities.clone() {
            return Ok(capacities);
        }
        let rows = self.fetch_capacity_rows().await?;
        Ok(rows
            .iter()
            .map(|row| (row.id_product, capacity_of(row)))
            .collect())
    }

    pub(super) async fn fetch_room_types(&self) -> Result<Vec<RoomType>> {
        let capacities = self.fetch_capacity_rows().await?;
        if capacities.is_empty() {
            return Ok(Vec::new());
        }
        let ids = capacities
            .iter()
            .map(|row| row.id_product.to_string())
            .collect::<Vec<_>>()
            .join("|");
        let body = self
            .get(
                "room_types",
                &[
                    ("filter[id]", format!("[{ids}]")),
                    ("display", "[id,name,price,id_tax_rules_group]".to_owned()),
                ],
            )
            .await?;
        let rows: Vec<RoomTypeRow> = parse_list(&body, "room_types")?;
        self.remember_tax_groups(&rows);
        let hotel = HotelId::new(self.config.hotel_id.to_string());
        Ok(capacities
            .iter()
            .map(|capacity_row| {
                let row = rows.iter().find(|row| row.id == capacity_row.id_product);
                let (name, names) = row
                    .map(|row| self.localize(&row.name))
                    .unwrap_or_else(|| (capacity_row.id_product.to_string(), BTreeMap::new()));
                RoomType {
                    id: RoomTypeId::new(capacity_row.id_product.to_string()),
                    hotel: hotel.clone(),
                    code: None,
                    name,
                    names,
                    capacity: capacity_of(capacity_row),
                    rooms: None,
                    amenities: Vec::new(),
                    photos: Vec::new(),
                    base_rate: row.and_then(|row| row.price).and_then(|price| {
                        Money::from_decimal(price, self.config.currency.as_str())
                    }),
                }
            })
            .collect())
    }

    fn remember_tax_groups(&self, rows: &[RoomTypeRow]) {
        let mut cache = self.cache();
        for row in rows {
            if let Some(group) = row.id_tax_rules_group {
                cache.tax_groups.insert(row.id, group);
            }
        }
    }

    /// The room type's `id_tax_rules_group`, sent with every booked room (reference §8.4.3).
    pub(super) async fn tax_group(&self, room_type: u32) -> Result<u32> {
        if let Some(group) = self.cache().tax_groups.get(&room_type) {
            return Ok(*group);
        }
        let body = self.get(&format!("room_types/{room_type}"), &[]).await?;
        let envelope: RoomTypeEnvelope = parse(&body, "room_type")?;
        self.remember_tax_groups(std::slice::from_ref(&envelope.room_type));
        envelope.room_type.id_tax_rules_group.ok_or_else(|| {
            PmsError::InvalidResponse(format!("room type {room_type} has no id_tax_rules_group"))
        })
    }
}

/// A room type's maximum capacity; the base occupancy when the maxima are missing.
fn capacity_of(row: &HotelRoomTypeRow) -> RoomCapacity {
    RoomCapacity {
        max_adults: row.max_adults.or(row.adults).unwrap_or(0),
        max_children: row.max_children.or(row.children).unwrap_or(0),
        max_guests: row.max_guests.filter(|max| *max > 0),
    }
}
