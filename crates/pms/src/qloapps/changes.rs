//! Changing bookings: cancel and modify by PUTting the booking back (reference §8.3).

use reqwest::Method;
use serde_json::{Value, json};

use super::QloAppsPms;
use super::ari::qlo_id;
use super::bookings::room_line;
use super::http::Body;
use crate::{Booking, BookingChange, BookingId, Occupancy, PmsError, Result};

/// `booking_status` of a cancelled booking (§8.1).
const STATUS_CANCELLED: u32 = 3;

/// A booking as read, made fit to PUT back (§8.3): no `total_paid` (it would record a payment),
/// no `unit_price_without_tax` (it would re-price the room), `adult` beside `adults`, and dates
/// as `YYYY-MM-DD` like a create.
fn prepare_for_put(booking: &mut Value) {
    if let Some(prices) = booking
        .get_mut("price_details")
        .and_then(Value::as_object_mut)
    {
        prices.remove("total_paid");
    }
    if let Some(prices) = booking
        .pointer_mut("/associations/price_details")
        .and_then(Value::as_object_mut)
    {
        prices.remove("total_paid");
    }
    let lines = booking
        .get_mut("associations")
        .and_then(|a| a.get_mut("room_types"))
        .and_then(Value::as_array_mut);
    for line in lines.into_iter().flatten() {
        for field in ["checkin_date", "checkout_date"] {
            if let Some(Value::String(text)) = line.get_mut(field) {
                text.truncate(10);
            }
        }
        let rooms = line.get_mut("rooms").and_then(Value::as_array_mut);
        for room in rooms.into_iter().flatten().filter_map(Value::as_object_mut) {
            room.remove("unit_price_without_tax");
            if let Some(adults) = room.get("adults").cloned() {
                room.entry("adult").or_insert(adults);
            }
        }
    }
}

impl QloAppsPms {
    /// PUTs `booking` (as read, changed) and reads the booking back.
    async fn put_back(&self, id: &BookingId, mut booking: Value) -> Result<Booking> {
        prepare_for_put(&mut booking);
        self.call(
            Method::PUT,
            "bookings",
            &[],
            Body::Json(json!({ "booking": booking })),
            self.config.write_timeout,
        )
        .await?;
        let raw = self.fetch_raw_booking(id).await?;
        self.assemble(&raw).await
    }

    /// Cancels by PUTting the booking back with `booking_status = 3` (§8.3).
    pub(super) async fn cancel(&self, id: &BookingId) -> Result<Booking> {
        let raw = self.fetch_raw_booking(id).await?;
        let current = self.assemble(&raw).await?;
        if !current.status.is_active() {
            return Ok(current);
        }
        let mut booking = raw.get("booking").cloned().unwrap_or(Value::Null);
        booking["booking_status"] = json!(STATUS_CANCELLED);
        self.put_back(id, booking).await
    }

    /// Replaces the booking's one room line with a line for the new dates or room type (§8.3:
    /// the missing line is removed, the new one added after an availability check).
    pub(super) async fn modify(&self, id: &BookingId, change: &BookingChange) -> Result<Booking> {
        if change.is_empty() {
            return Err(PmsError::InvalidRequest(
                "the change changes nothing".into(),
            ));
        }
        if change.stay.is_none() && change.room_type.is_none() {
            return Err(PmsError::NotSupported(
                "QloApps cannot change only the guests of a booked room; cancel and book again"
                    .into(),
            ));
        }
        let raw = self.fetch_raw_booking(id).await?;
        let current = self.assemble(&raw).await?;
        if !current.status.is_active() {
            return Err(PmsError::InvalidRequest(format!(
                "booking {id} is cancelled"
            )));
        }
        let lines = raw
            .pointer("/booking/associations/room_types")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let rooms = raw
            .pointer("/booking/associations/room_types/0/rooms")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if lines != 1 || rooms > 1 {
            return Err(PmsError::NotSupported(
                "changing a QloApps booking of several rooms".into(),
            ));
        }
        let occupancy = match &change.occupancy {
            Some(occupancy) => occupancy.clone(),
            None if current.children == 0 => Occupancy::adults(current.adults),
            None => {
                return Err(PmsError::InvalidRequest(
                    "give the occupancy with the children's ages (QloApps drops children without ages)"
                        .into(),
                ));
            }
        };
        let room_type = qlo_id(change.room_type.as_ref().unwrap_or(&current.room_type))?;
        let stay = change.stay.unwrap_or(current.stay);
        self.check_capacity(room_type, &occupancy).await?;
        let tax_group = self.tax_group(room_type).await?;
        let mut booking = raw.get("booking").cloned().unwrap_or(Value::Null);
        booking["associations"]["room_types"] =
            json!([room_line(room_type, &stay, &occupancy, tax_group)]);
        if let Some(top) = booking.as_object_mut() {
            top.remove("room_types");
        }
        self.put_back(id, booking).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepared_puts_drop_payments_and_prices() {
        let mut booking = json!({
            "id": 42,
            "price_details": {"total_paid": 0},
            "associations": {
                "price_details": {"total_paid": 0, "total_tax": 24},
                "room_types": [{"checkin_date": "2026-12-15 00:00:00", "checkout_date": "2026-12-17 00:00:00",
                    "rooms": [{"id_room": 5, "adults": 2, "child": 1, "unit_price_without_tax": 240}]}]
            }
        });
        prepare_for_put(&mut booking);
        assert_eq!(booking["price_details"], json!({}));
        assert_eq!(
            booking["associations"]["price_details"],
            json!({"total_tax": 24})
        );
        let line = &booking["associations"]["room_types"][0];
        assert_eq!(line["checkin_date"], "2026-12-15");
        assert_eq!(line["checkout_date"], "2026-12-17");
        assert_eq!(
            line["rooms"][0],
            json!({"id_room": 5, "adults": 2, "adult": 2, "child": 1})
        );
    }
}
