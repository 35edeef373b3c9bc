//! Customers, orders and bookings of the fake: read, created by POST, changed by PUT (§8).

use chrono::NaiveDate;
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::{
    AWAITING_PAYMENT, CANCELED, Customer, HOTEL_ID, Line, Order, State, decimal, filter,
    last_segment, ok, query, refused, without_tax,
};

pub(super) fn customers(state: &mut State, request: &Request) -> ResponseTemplate {
    let email = filter(request, "email").unwrap_or_default();
    let rows: Vec<Value> = state
        .customers
        .iter()
        .filter(|customer| customer.email == email)
        .map(|customer| json!({ "id": customer.id }))
        .collect();
    if rows.is_empty() {
        ok(json!([]))
    } else {
        ok(json!({ "customers": rows }))
    }
}

pub(super) fn orders(state: &mut State, request: &Request) -> ResponseTemplate {
    let customer: u64 = filter(request, "id_customer")
        .and_then(|id| id.parse().ok())
        .unwrap_or(0);
    let limit: usize = query(request, "limit")
        .and_then(|limit| limit.parse().ok())
        .unwrap_or(usize::MAX);
    let descending = query(request, "sort").as_deref() == Some("[id_DESC]");
    let mut ids: Vec<u64> = state
        .orders
        .iter()
        .filter(|(_, order)| order.customer == customer)
        .map(|(id, _)| *id)
        .collect();
    if descending {
        ids.reverse();
    }
    ids.truncate(limit);
    if ids.is_empty() {
        ok(json!([]))
    } else {
        ok(json!({ "orders": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>() }))
    }
}

pub(super) fn order(state: &mut State, request: &Request) -> ResponseTemplate {
    let id = last_segment(request);
    let Some(order) = state.orders.get(&id) else {
        return ResponseTemplate::new(404);
    };
    let total: i64 = order.lines.iter().map(|line| line.total).sum();
    ok(
        json!({"order":{"id":id,"id_customer":order.customer.to_string(),
        "reference":order.reference,"current_state":order.state.to_string(),
        "total_paid_tax_incl":format!("{:.6}", decimal(total)),
        "date_add":"2026-11-25 10:02:11"}}),
    )
}

/// §8.2: the booking as `GET /api/bookings/{id}` (and POST, PUT) answer it.
fn booking_body(state: &State, id: u64) -> Option<Value> {
    let order = state.orders.get(&id)?;
    let customer = state.customers.iter().find(|c| c.id == order.customer)?;
    let total: i64 = order.lines.iter().map(|line| line.total).sum();
    let lines: Vec<Value> = order
        .lines
        .iter()
        .enumerate()
        .map(|(n, line)| {
            let tax = line.total - without_tax(line.total);
            json!({"id_room_type":line.room_type,
                "checkin_date":format!("{} 00:00:00", line.from),
                "checkout_date":format!("{} 00:00:00", line.to),
                "total_tax":decimal(tax),"number_of_rooms":1,
                "name":state.room_type(line.room_type).map(|row| row.names[0].clone()),
                "rooms":[{"id_room":line.room,"id_hotel_booking":id * 10 + n as u64,
                    "adults":line.adults,"child":line.children,
                    "unit_price_without_tax":decimal(without_tax(line.total)),
                    "total_tax":decimal(tax)}]})
        })
        .collect();
    Some(
        json!({"booking":{"id":id,"id_property":HOTEL_ID,"currency":state.currency,
        "source":"whatsapp","booking_date":"2026-11-25 10:02:11","id_language":1,
        "associations":{
            "customer_detail":{"id_customer":customer.id,"firstname":customer.firstname,
                "lastname":customer.lastname,"email":customer.email,"phone":customer.phone},
            "price_details":{"total_paid":0,"total_price_without_tax":decimal(without_tax(total)),
                "total_tax":decimal(total - without_tax(total))},
            "cart_rules":[],"remarks":[order.remark],"room_types":lines}}}),
    )
}

pub(super) fn booking(state: &mut State, request: &Request) -> ResponseTemplate {
    match booking_body(state, last_segment(request)) {
        Some(body) => ok(body),
        None => ResponseTemplate::new(404),
    }
}

/// A field of the booking, at the top level or under `associations` (the server merges them).
fn field<'a>(booking: &'a Value, name: &str) -> Option<&'a Value> {
    booking
        .get(name)
        .or_else(|| booking.pointer(&format!("/associations/{name}")))
}

fn number(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The rooms asked for: `(room type, from, to, adults, children, has a tax)` per room.
type Wanted = (u32, NaiveDate, NaiveDate, u32, u32, bool);

/// The rooms asked for, or the message refusing them.
fn wanted_rooms(state: &State, booking: &Value) -> Result<Vec<Wanted>, &'static str> {
    let lines = field(booking, "room_types")
        .and_then(Value::as_array)
        .filter(|lines| !lines.is_empty())
        .ok_or("Invalid room type in the request")?;
    let mut wanted = Vec::new();
    for line in lines {
        let room_type = number(line.get("id_room_type"))
            .and_then(|id| u32::try_from(id).ok())
            .filter(|id| state.room_type(*id).is_some())
            .ok_or("Invalid room type in the request")?;
        let date = |name: &str| {
            line.get(name)
                .and_then(Value::as_str)
                .and_then(|text| text.get(..10))
                .and_then(|text| text.parse::<NaiveDate>().ok())
        };
        let (Some(from), Some(to)) = (date("checkin_date"), date("checkout_date")) else {
            return Err("Invalid check in date in the request");
        };
        if to <= from {
            return Err("Invalid check in date in the request");
        }
        let count = number(line.get("number_of_rooms")).unwrap_or(1);
        let rooms = line.get("rooms").and_then(Value::as_array);
        if rooms.is_some_and(|rooms| rooms.len() as u64 != count) {
            return Err("Room count does not matches with the number of rooms");
        }
        for n in 0..count {
            let room = rooms.and_then(|rooms| rooms.get(n as usize));
            // v1.6.1 reads `adult`; children count only with their ages (§8.4.1–2).
            let adults = room.and_then(|room| number(room.get("adult"))).unwrap_or(1);
            let children = room
                .filter(|room| room.get("child_ages").is_some())
                .and_then(|room| number(room.get("child")))
                .unwrap_or(0);
            let taxed = room.is_none_or(|room| {
                room.get("id_tax_rules_group").is_some() || room.get("total_tax").is_some()
            });
            wanted.push((
                room_type,
                from,
                to,
                u32::try_from(adults).unwrap_or(0),
                u32::try_from(children).unwrap_or(0),
                taxed,
            ));
        }
    }
    Ok(wanted)
}

/// Adds a free room for each wanted one to `lines` (the order's rooms kept), not counting the
/// rooms `order` held before.
fn place(
    state: &State,
    wanted: &[Wanted],
    order: u64,
    mut lines: Vec<Line>,
) -> Result<Vec<Line>, &'static str> {
    for (room_type, from, to, adults, children, _) in wanted {
        let room = state
            .free_rooms(*room_type, *from, *to, order)
            .into_iter()
            .find(|room| {
                !lines
                    .iter()
                    .any(|line| line.room == *room && line.from < *to && *from < line.to)
            })
            .ok_or("Requested room(s) not available.")?;
        let total = state
            .room_type(*room_type)
            .map_or(0, |row| row.price(*from, *to));
        lines.push(Line {
            room_type: *room_type,
            from: *from,
            to: *to,
            room,
            adults: *adults,
            children: *children,
            total,
        });
    }
    Ok(lines)
}

/// §8.1: `POST /api/bookings`.
pub(super) fn create_booking(state: &mut State, request: &Request) -> ResponseTemplate {
    let Ok(body) = request.body_json::<Value>() else {
        return refused("Invalid request body");
    };
    let Some(booking) = body.get("booking") else {
        return refused("Invalid request body");
    };
    if number(field(booking, "id_property")) != Some(u64::from(HOTEL_ID)) {
        return refused("Please provide a valid id_property.");
    }
    if field(booking, "currency").and_then(Value::as_str) != Some(state.currency.as_str()) {
        return refused("Please provide valid currency.");
    }
    let detail = field(booking, "customer_detail");
    let text = |name: &str| {
        detail
            .and_then(|d| d.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .filter(|text| !text.is_empty())
    };
    let (Some(firstname), Some(lastname), Some(email)) =
        (text("firstname"), text("lastname"), text("email"))
    else {
        return refused("Customer details not found.");
    };
    let wanted = match wanted_rooms(state, booking) {
        Ok(wanted) => wanted,
        Err(message) => return refused(message),
    };
    let lines = match place(state, &wanted, 0, Vec::new()) {
        Ok(lines) => lines,
        Err(message) => return refused(message),
    };
    // Found by e-mail, or created; an existing customer's name and phone are overwritten.
    let customer = match state.customers.iter_mut().find(|c| c.email == email) {
        Some(customer) => {
            customer.firstname = firstname;
            customer.lastname = lastname;
            customer.phone = text("phone");
            customer.id
        }
        None => {
            let id = 17 + state.customers.len() as u64;
            state.customers.push(Customer {
                id,
                firstname,
                lastname,
                email,
                phone: text("phone"),
            });
            id
        }
    };
    let id = state.next_order;
    state.next_order += 1;
    state.orders.insert(
        id,
        Order {
            customer,
            state: AWAITING_PAYMENT,
            reference: format!("XKBKN{:04}", id),
            remark: field(booking, "remark")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            lines,
        },
    );
    if wanted.iter().any(|(.., taxed)| !taxed) {
        // The order exists; the notice turns the answer into a 500 (§2, §8.4.3).
        return ResponseTemplate::new(500).set_body_json(json!({"errors":[{"code":8,
            "message":"[PHP Notice #8] Undefined index: total_tax"}]}));
    }
    booking_body(state, id).map_or_else(|| ResponseTemplate::new(500), ok)
}

/// §8.3: `PUT /api/bookings`: `booking_status = 3` cancels; otherwise the room lines sent
/// replace the order's (lines kept as they were keep their room).
pub(super) fn update_booking(state: &mut State, request: &Request) -> ResponseTemplate {
    let Some(booking) = request
        .body_json::<Value>()
        .ok()
        .and_then(|body| body.get("booking").cloned())
    else {
        return refused("Invalid request body");
    };
    let Some(id) = number(booking.get("id")) else {
        return refused("id is required with PUT requests.");
    };
    if !state.orders.contains_key(&id) {
        return refused("Booking not found.");
    }
    if number(field(&booking, "id_property")) != Some(u64::from(HOTEL_ID)) {
        return refused("Please provide a valid id_property.");
    }
    let email = field(&booking, "customer_detail")
        .and_then(|detail| detail.get("email"))
        .and_then(Value::as_str);
    if !state
        .customers
        .iter()
        .any(|c| Some(c.email.as_str()) == email)
    {
        return refused("Customer not found.");
    }
    let wanted = match wanted_rooms(state, &booking) {
        Ok(wanted) => wanted,
        Err(message) => return refused(message),
    };
    if number(booking.get("booking_status")) == Some(3) {
        if let Some(order) = state.orders.get_mut(&id) {
            order.state = CANCELED;
        }
    } else {
        let current = state
            .orders
            .get(&id)
            .map(|order| order.lines.clone())
            .unwrap_or_default();
        let unchanged = |w: &Wanted| {
            current
                .iter()
                .find(|line| (line.room_type, line.from, line.to) == (w.0, w.1, w.2))
                .cloned()
        };
        let kept: Vec<Line> = wanted.iter().filter_map(unchanged).collect();
        let added: Vec<Wanted> = wanted
            .iter()
            .filter(|w| unchanged(w).is_none())
            .copied()
            .collect();
        let lines = match place(state, &added, id, kept) {
            Ok(lines) => lines,
            Err(message) => return refused(message),
        };
        if let Some(order) = state.orders.get_mut(&id) {
            order.lines = lines;
        }
    }
    booking_body(state, id).map_or_else(|| ResponseTemplate::new(500), ok)
}
