//! Bookings: create and read through `/api/bookings` (reference §8), with the lookup by our
//! reference that stands in for the idempotency QloApps lacks (§8.4.4).

use chrono::NaiveDate;
use reqwest::Method;
use serde_json::{Value, json};

use super::QloAppsPms;
use super::ari::qlo_id;
use super::http::Body;
use super::wire::{BookingEnvelope, IdRow, OrderEnvelope, OrderStateRow, parse, parse_list};
use crate::{
    Booking, BookingId, BookingRequest, BookingStatus, GuestContact, Money, Occupancy, PmsError,
    Result, RoomTypeId, Stay,
};

/// What precedes our reference in the order's remark, as in the reference's example.
const MARKER: &str = "idem-key: ";

/// The remark we send: the guest's note, then our reference.
fn remark_with_reference(remark: Option<&str>, reference: &str) -> String {
    match remark.map(str::trim).filter(|r| !r.is_empty()) {
        Some(remark) => format!("{remark}. {MARKER}{reference}"),
        None => format!("{MARKER}{reference}"),
    }
}

/// The references carried by a booking's remarks (strings, or one string).
fn references_in(remarks: &Value) -> Vec<String> {
    let texts: Vec<&str> = match remarks {
        Value::String(text) => vec![text.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    texts
        .into_iter()
        .flat_map(|text| {
            text.match_indices(MARKER)
                .map(move |(at, _)| &text[at + MARKER.len()..])
        })
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect::<String>()
        })
        .filter(|reference| !reference.is_empty())
        .collect()
}

/// A QloApps booking status name as ours.
fn status_from_name(name: &str) -> BookingStatus {
    let lower = name.to_lowercase();
    if lower.contains("overbook") {
        BookingStatus::Other(name.to_owned())
    } else if lower.contains("cancel") {
        BookingStatus::Cancelled
    } else if lower.contains("refund") {
        BookingStatus::Refunded
    } else if lower.contains("partial") {
        BookingStatus::PartiallyPaid
    } else if lower.contains("awaiting") {
        BookingStatus::AwaitingPayment
    } else if lower.contains("accepted") || lower.contains("received") {
        BookingStatus::Paid
    } else {
        BookingStatus::Other(name.to_owned())
    }
}

/// A `YYYY-MM-DD` or `YYYY-MM-DD hh:mm:ss` date.
fn date(text: &str) -> Result<NaiveDate> {
    text.get(..10)
        .and_then(|day| day.parse().ok())
        .ok_or_else(|| PmsError::InvalidResponse(format!("`{text}` is not a date")))
}

/// One `room_types[]` line of one room (§8.1), with the §8.4 workarounds: both `adult` and
/// `adults`, `child_ages` always, and the room type's tax group.
pub(super) fn room_line(
    room_type: u32,
    stay: &Stay,
    occupancy: &Occupancy,
    tax_group: u32,
) -> Value {
    json!({
        "id_room_type": room_type,
        "checkin_date": stay.check_in().format("%Y-%m-%d").to_string(),
        "checkout_date": stay.check_out().format("%Y-%m-%d").to_string(),
        "number_of_rooms": 1,
        "rooms": [{
            "adults": occupancy.adults,
            "adult": occupancy.adults,
            "child": occupancy.children(),
            "child_ages": occupancy.children_ages,
            "id_tax_rules_group": tax_group,
        }],
    })
}

impl QloAppsPms {
    pub(super) async fn create(&self, request: &BookingRequest) -> Result<Booking> {
        request.validate()?;
        if request.guest.email.contains(['[', ']', '|', '%']) {
            return Err(PmsError::InvalidRequest(
                "the guest's e-mail has characters QloApps filters cannot search".into(),
            ));
        }
        let room_type = qlo_id(&request.room_type)?;
        if let Some(existing) = self
            .lookup(&request.reference, &request.guest.email)
            .await?
        {
            tracing::debug!(reference = %request.reference, id = %existing.id, "qloapps: booking already exists");
            return Ok(existing);
        }
        self.check_capacity(room_type, &request.occupancy).await?;
        let tax_group = self.tax_group(room_type).await?;
        let body = self.create_body(request, room_type, tax_group);
        let posted = self
            .call(
                Method::POST,
                "bookings",
                &[],
                Body::Json(body),
                self.config.write_timeout,
            )
            .await
            .and_then(|bytes| parse::<Value>(&bytes, "booking"));
        let error = match posted {
            Ok(raw) => match self.assemble(&raw).await {
                Ok(booking) => return Ok(booking),
                Err(error) => error,
            },
            Err(error) => error,
        };
        if !(error.is_transient() || matches!(error, PmsError::InvalidResponse(_))) {
            return Err(error);
        }
        // A timeout, a 5xx (a PHP notice may hide a created order, §2) or an unreadable answer:
        // the order may exist. Never POST again blindly; look for it.
        tracing::warn!(reference = %request.reference, %error, "qloapps: create outcome unknown, reconciling");
        match self.lookup(&request.reference, &request.guest.email).await {
            Ok(Some(booking)) => {
                tracing::info!(reference = %request.reference, id = %booking.id, "qloapps: the create had succeeded");
                Ok(booking)
            }
            Ok(None) => Err(error),
            Err(lookup_error) => {
                tracing::warn!(reference = %request.reference, %lookup_error, "qloapps: reconciliation failed");
                Err(error)
            }
        }
    }

    fn create_body(&self, request: &BookingRequest, room_type: u32, tax_group: u32) -> Value {
        let guest = &request.guest;
        let mut customer = json!({
            "firstname": guest.first_name.trim(),
            "lastname": guest.last_name.trim(),
            "email": guest.email.trim(),
        });
        if let Some(phone) = guest.phone.as_deref().filter(|p| !p.trim().is_empty()) {
            customer["phone"] = json!(phone.trim());
        }
        let mut booking = json!({
            "id_property": self.config.hotel_id,
            "currency": self.config.currency,
            "booking_status": 1,
            "payment_status": 3,
            "source": self.config.source,
            "remark": remark_with_reference(request.remark.as_deref(), &request.reference),
            "associations": {
                "customer_detail": customer,
                "room_types": [room_line(room_type, &request.stay, &request.occupancy, tax_group)],
            },
        });
        if let Some(id_lang) = request
            .language
            .and_then(|language| self.config.languages.get(&language))
        {
            booking["id_language"] = json!(id_lang);
        }
        json!({ "booking": booking })
    }

    /// Refuses an occupancy the room type cannot take (QloApps would not check it).
    pub(super) async fn check_capacity(&self, room_type: u32, occupancy: &Occupancy) -> Result<()> {
        occupancy.validate()?;
        match self.capacities().await?.get(&room_type) {
            Some(capacity) if !capacity.fits(occupancy.adults, occupancy.children()) => {
                Err(PmsError::InvalidRequest(format!(
                    "room type {room_type} takes at most {} adults and {} children",
                    capacity.max_adults, capacity.max_children
                )))
            }
            Some(_) => Ok(()),
            None => Err(PmsError::NotFound(format!(
                "room type {room_type} in this hotel"
            ))),
        }
    }

    /// The booking carrying `reference` among the recent orders of the customer with `email`.
    async fn lookup(&self, reference: &str, email: &str) -> Result<Option<Booking>> {
        let body = self
            .get(
                "customers",
                &[
                    ("filter[email]", format!("[{}]", email.trim())),
                    ("display", "[id]".to_owned()),
                ],
            )
            .await?;
        let customers: Vec<IdRow> = parse_list(&body, "customers")?;
        for customer in customers {
            let body = self
                .get(
                    "orders",
                    &[
                        ("filter[id_customer]", format!("[{}]", customer.id)),
                        ("display", "[id]".to_owned()),
                        ("sort", "[id_DESC]".to_owned()),
                        ("limit", self.config.lookup_depth.to_string()),
                    ],
                )
                .await?;
            let orders: Vec<IdRow> = parse_list(&body, "orders")?;
            for order in orders {
                let raw = match self
                    .fetch_raw_booking(&BookingId::new(order.id.to_string()))
                    .await
                {
                    Ok(raw) => raw,
                    Err(PmsError::NotFound(_)) => continue,
                    Err(error) => return Err(error),
                };
                let remarks = raw
                    .pointer("/booking/associations/remarks")
                    .unwrap_or(&Value::Null);
                if references_in(remarks).iter().any(|r| r == reference) {
                    return self.assemble(&raw).await.map(Some);
                }
            }
        }
        Ok(None)
    }

    /// `GET /api/bookings/{id}` as JSON.
    pub(super) async fn fetch_raw_booking(&self, id: &BookingId) -> Result<Value> {
        let order: u64 = id
            .as_str()
            .parse()
            .map_err(|_| PmsError::NotFound(format!("booking {id}")))?;
        let body = match self.get(&format!("bookings/{order}"), &[]).await {
            Err(PmsError::NotFound(_)) => return Err(PmsError::NotFound(format!("booking {id}"))),
            other => other?,
        };
        parse(&body, "booking")
    }

    /// Our booking from QloApps' (§8.2), with the status and reference of its order.
    pub(super) async fn assemble(&self, raw: &Value) -> Result<Booking> {
        let wire = BookingEnvelope::deserialize_value(raw)?.booking;
        let lines = &wire.associations.room_types;
        let first = lines.first().ok_or_else(|| {
            PmsError::InvalidResponse(format!("booking {} has no rooms", wire.id))
        })?;
        let stay = Stay::new(date(&first.checkin_date)?, date(&first.checkout_date)?)
            .map_err(|e| PmsError::InvalidResponse(format!("booking {}: {e}", wire.id)))?;
        let rooms = lines.iter().flat_map(|line| &line.rooms);
        let (adults, children) = rooms.fold((0u32, 0u32), |(a, c), room| {
            (
                a.saturating_add(room.adults.or(room.adult).unwrap_or(0)),
                c.saturating_add(room.child.unwrap_or(0)),
            )
        });
        let currency = wire
            .currency
            .clone()
            .unwrap_or_else(|| self.config.currency.clone());
        let total = wire.associations.price_details.as_ref().and_then(|prices| {
            let total = prices.total_price_without_tax? + prices.total_tax.unwrap_or(0.0);
            Money::from_decimal(total, currency.as_str())
        });
        let order_body = self.get(&format!("orders/{}", wire.id), &[]).await?;
        let order = parse::<OrderEnvelope>(&order_body, "order")?.order;
        let status = self.status_of(order.current_state).await?;
        let customer = &wire.associations.customer_detail;
        Ok(Booking {
            id: BookingId::new(wire.id.to_string()),
            reference: references_in(&wire.associations.remarks).into_iter().next(),
            pms_reference: order.reference.filter(|r| !r.is_empty()),
            status,
            room_type: RoomTypeId::new(first.id_room_type.to_string()),
            stay,
            adults,
            children,
            guest: GuestContact {
                first_name: customer.firstname.clone(),
                last_name: customer.lastname.clone(),
                email: customer.email.clone(),
                phone: customer.phone.clone().filter(|p| !p.is_empty()),
            },
            total,
        })
    }

    /// The status of order state `id`, its name read once from `order_states` (ids are assigned
    /// at install time, §8.2).
    async fn status_of(&self, id: u32) -> Result<BookingStatus> {
        let known = self
            .cache()
            .order_states
            .as_ref()
            .and_then(|states| states.get(&id).cloned());
        let name = match known {
            Some(name) => Some(name),
            None => {
                let body = self
                    .get("order_states", &[("display", "[id,name]".to_owned())])
                    .await?;
                let rows: Vec<OrderStateRow> = parse_list(&body, "order_states")?;
                let states: std::collections::HashMap<u32, String> = rows
                    .iter()
                    .map(|row| (row.id, self.localize(&row.name).0))
                    .collect();
                let name = states.get(&id).cloned();
                self.cache().order_states = Some(states);
                name
            }
        };
        Ok(name.map_or_else(
            || BookingStatus::Other(format!("order state {id}")),
            |name| status_from_name(&name),
        ))
    }
}

impl BookingEnvelope {
    fn deserialize_value(raw: &Value) -> Result<Self> {
        serde::Deserialize::deserialize(raw)
            .map_err(|e| PmsError::InvalidResponse(format!("booking: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_round_trip_through_remarks() {
        let remark = remark_with_reference(Some("Llegada tarde (~23h)"), "HTL-7Q2K");
        assert_eq!(remark, "Llegada tarde (~23h). idem-key: HTL-7Q2K");
        assert_eq!(references_in(&json!([remark])), ["HTL-7Q2K"]);
        assert_eq!(references_in(&json!("idem-key: HTL-1")), ["HTL-1"]);
        assert_eq!(
            remark_with_reference(Some("  "), "HTL-1"),
            "idem-key: HTL-1"
        );
        // HTL-12 is not HTL-123.
        assert_eq!(references_in(&json!(["idem-key: HTL-123"])), ["HTL-123"]);
        assert!(references_in(&json!([])).is_empty());
        assert!(references_in(&json!({"x": 1})).is_empty());
    }

    #[test]
    fn status_names_map_to_statuses() {
        for (name, status) in [
            ("Awaiting payment", BookingStatus::AwaitingPayment),
            ("Awaiting remote payment", BookingStatus::AwaitingPayment),
            ("Complete payment received", BookingStatus::Paid),
            ("Remote payment accepted", BookingStatus::Paid),
            ("Partial payment received", BookingStatus::PartiallyPaid),
            ("Canceled", BookingStatus::Cancelled),
            ("Refunded", BookingStatus::Refunded),
        ] {
            assert_eq!(status_from_name(name), status, "{name}");
        }
        assert_eq!(
            status_from_name("Overbooking (partial paid)"),
            BookingStatus::Other("Overbooking (partial paid)".into())
        );
        assert_eq!(
            status_from_name("Payment error"),
            BookingStatus::Other("Payment error".into())
        );
    }

    #[test]
    fn dates_accept_both_forms() {
        assert!(date("2026-12-15").is_ok());
        assert!(date("2026-12-15 00:00:00").is_ok());
        assert!(date("15/12/2026").is_err());
        assert!(date("").is_err());
    }
}
