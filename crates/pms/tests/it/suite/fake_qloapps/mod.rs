//! A stateful fake of a QloApps webservice on wiremock: hotels, room types, `hotel_ari`
//! availability, customers, orders and bookings, answered in the shapes of `qloapps-api.md`
//! (§2, §5–§8) and of the hand-written mocks in `qloapps/`. The [`Respond`] implementations
//! share one state behind a mutex, so a booking POSTed is read back, takes its room out of
//! `hotel_ari`, and a cancelling PUT frees it.
//!
//! Faithful to v1.6.1 where the client depends on it: occupancy is not filtered by
//! `hotel_ari` (§7.1); a room's adults are read from `adult` and its children only with
//! `child_ages` (§8.4.1–2); a room with neither `id_tax_rules_group` nor `total_tax` creates the
//! order and then answers 500 with a PHP notice (§8.4.3); validation errors are HTTP 400 with
//! code 404; an unknown booking or order is a 404 with an empty body; POST is not idempotent.

mod orders;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::NaiveDate;
use hotel_pms::is_weekend_night;
use serde_json::{Value, json};
use wiremock::matchers::{basic_auth, header, method, path, path_regex, query_param};
use wiremock::{Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate};

use super::SuiteHotel;
use crate::qloapps::{AWAITING_PAYMENT, CANCELED, KEY, order_states_body};
use orders::{booking, create_booking, customers, order, orders, update_booking};

/// The hotel's id in the fake.
pub const HOTEL_ID: u32 = 1;

#[derive(Debug)]
struct RoomTypeRow {
    id: u32,
    names: [String; 2],
    rooms: Vec<u32>,
    max_adults: u32,
    max_children: u32,
    /// Tax-inclusive rates in whole units.
    rate: i64,
    weekend_rate: Option<i64>,
    tax_group: u32,
}

impl RoomTypeRow {
    /// The tax-inclusive price of the nights from `from` to `to`, in cents.
    fn price(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        from.iter_days()
            .take_while(|night| *night < to)
            .map(|night| match self.weekend_rate {
                Some(rate) if is_weekend_night(night) => rate * 100,
                _ => self.rate * 100,
            })
            .sum()
    }
}

#[derive(Debug, Clone)]
struct Customer {
    id: u64,
    firstname: String,
    lastname: String,
    email: String,
    phone: Option<String>,
}

/// One booked room.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    room_type: u32,
    from: NaiveDate,
    to: NaiveDate,
    room: u32,
    adults: u32,
    children: u32,
    /// Tax-inclusive, in cents.
    total: i64,
}

#[derive(Debug)]
struct Order {
    customer: u64,
    state: u32,
    reference: String,
    remark: String,
    lines: Vec<Line>,
}

#[derive(Debug)]
struct State {
    currency: String,
    room_types: Vec<RoomTypeRow>,
    customers: Vec<Customer>,
    orders: BTreeMap<u64, Order>,
    next_order: u64,
}

/// A request answered from the shared state.
type Handler = fn(&mut State, &Request) -> ResponseTemplate;

struct Route {
    state: Arc<Mutex<State>>,
    handler: Handler,
}

impl Respond for Route {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = lock(&self.state);
        (self.handler)(&mut state, request)
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The fake, mounted on a wiremock server.
pub struct FakeQloApps {
    state: Arc<Mutex<State>>,
}

impl FakeQloApps {
    /// A QloApps hotel with `hotel`'s room types (rooms numbered from 5), no customers and no
    /// orders.
    pub fn new(hotel: &SuiteHotel) -> Self {
        let mut next_room = 5;
        let room_types = hotel
            .room_types
            .iter()
            .map(|spec| {
                let rooms = (next_room..next_room + spec.rooms).collect();
                next_room += spec.rooms;
                RoomTypeRow {
                    id: spec.qlo_id,
                    names: [spec.names.en.clone(), spec.names.es.clone()],
                    rooms,
                    max_adults: spec.max_adults,
                    max_children: spec.max_children,
                    rate: spec.rate,
                    weekend_rate: spec.weekend_rate,
                    tax_group: 1,
                }
            })
            .collect();
        Self {
            state: Arc::new(Mutex::new(State {
                currency: hotel.currency.clone(),
                room_types,
                customers: Vec::new(),
                orders: BTreeMap::new(),
                next_order: 40,
            })),
        }
    }

    /// Answers every resource the client uses on `server`.
    pub async fn mount(&self, server: &MockServer) {
        let routes: [(MockBuilder, Handler); 12] = [
            (api("GET", path("/api/hotels")), hotels),
            (api("GET", path(format!("/api/hotels/{HOTEL_ID}"))), hotel),
            (api("GET", path("/api/hotel_room_types")), hotel_room_types),
            (api("GET", path("/api/room_types")), room_types),
            (api("GET", path_regex(r"^/api/room_types/\d+$")), room_type),
            (api("POST", path("/api/hotel_ari")), hotel_ari),
            (api("GET", path("/api/customers")), customers),
            (api("GET", path("/api/orders")), orders),
            (api("GET", path_regex(r"^/api/orders/\d+$")), order),
            (api("GET", path("/api/order_states")), |_, _| {
                ok(order_states_body())
            }),
            (api("GET", path_regex(r"^/api/bookings/\d+$")), booking),
            (api("POST", path("/api/bookings")), create_booking),
        ];
        for (mock, handler) in routes {
            mock.respond_with(self.route(handler)).mount(server).await;
        }
        api("PUT", path("/api/bookings"))
            .respond_with(self.route(update_booking))
            .mount(server)
            .await;
    }

    fn route(&self, handler: Handler) -> Route {
        Route {
            state: self.state.clone(),
            handler,
        }
    }

    /// How many orders exist, cancelled ones included.
    pub fn orders(&self) -> usize {
        lock(&self.state).orders.len()
    }
}

/// `verb` on `matcher`, with the key as Basic user and JSON output asked for.
fn api(verb: &str, matcher: impl wiremock::Match + 'static) -> MockBuilder {
    Mock::given(method(verb))
        .and(matcher)
        .and(basic_auth(KEY, ""))
        .and(header("Output-Format", "JSON"))
        .and(query_param("output_format", "JSON"))
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// HTTP 400 with QloApps' code 404, as its booking validation answers (§8.1).
fn refused(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"errors":[{"code":404,"message":message}]}))
}

/// A decimal from cents, as QloApps prints amounts.
fn decimal(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// The price without the 10 % tax, in cents.
fn without_tax(cents: i64) -> i64 {
    (cents * 10 + 5) / 11
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// `[value]` of a filter as its value.
fn filter(request: &Request, field: &str) -> Option<String> {
    let value = query(request, &format!("filter[{field}]"))?;
    Some(
        value
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned(),
    )
}

fn last_segment(request: &Request) -> u64 {
    request
        .url
        .path()
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or(0)
}

fn multilingual([en, es]: &[String; 2]) -> Value {
    json!([{"id":"1","value":en},{"id":"2","value":es}])
}

fn hotel_row() -> Value {
    json!({"id":HOTEL_ID,"hotel_name":[{"id":"1","value":"Hotel Prime"},{"id":"2","value":"Hotel Prime"}],
        "check_in":"12:00","check_out":"11:00","phone":"0987654321","city":"Buenos Aires",
        "active":"1","active_refund":"1"})
}

fn hotels(_: &mut State, _: &Request) -> ResponseTemplate {
    ok(json!({ "hotels": [hotel_row()] }))
}

fn hotel(_: &mut State, _: &Request) -> ResponseTemplate {
    ok(json!({ "hotel": hotel_row() }))
}

fn hotel_room_types(state: &mut State, request: &Request) -> ResponseTemplate {
    if filter(request, "id_hotel") != Some(HOTEL_ID.to_string()) {
        return ok(json!([]));
    }
    let rows: Vec<Value> = state
        .room_types
        .iter()
        .enumerate()
        .map(|(n, row)| {
            json!({"id":n + 1,"id_product":row.id.to_string(),"id_hotel":HOTEL_ID.to_string(),
                "adults":row.max_adults.to_string(),"children":"0",
                "max_adults":row.max_adults.to_string(),"max_children":row.max_children.to_string(),
                "max_guests":(row.max_adults + row.max_children).to_string(),
                "min_los":"1","max_los":"0"})
        })
        .collect();
    ok(json!({ "hotel_room_types": rows }))
}

fn room_type_row(row: &RoomTypeRow) -> Value {
    json!({"id":row.id,"name":multilingual(&row.names),
        "price":format!("{:.6}", decimal(without_tax(row.rate * 100))),
        "id_tax_rules_group":row.tax_group.to_string(),"adults":row.max_adults.to_string(),
        "children":"0","id_hotel":HOTEL_ID.to_string()})
}

fn room_types(state: &mut State, request: &Request) -> ResponseTemplate {
    let wanted = filter(request, "id").unwrap_or_default();
    let wanted: Vec<&str> = wanted.split('|').collect();
    let rows: Vec<Value> = state
        .room_types
        .iter()
        .filter(|row| wanted.contains(&row.id.to_string().as_str()))
        .map(room_type_row)
        .collect();
    if rows.is_empty() {
        ok(json!([]))
    } else {
        ok(json!({ "room_types": rows }))
    }
}

fn room_type(state: &mut State, request: &Request) -> ResponseTemplate {
    let id = last_segment(request);
    match state.room_types.iter().find(|row| u64::from(row.id) == id) {
        Some(row) => ok(json!({ "room_type": room_type_row(row) })),
        None => ResponseTemplate::new(404),
    }
}

/// The text between `<tag>` and `</tag>`.
fn xml_value<'a>(body: &'a str, tag: &str) -> Option<&'a str> {
    let start = body.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = body[start..].find(&format!("</{tag}>"))? + start;
    Some(body[start..end].trim())
}

impl State {
    fn room_type(&self, id: u32) -> Option<&RoomTypeRow> {
        self.room_types.iter().find(|row| row.id == id)
    }

    /// The rooms of `room_type` that no active order holds on a night from `from` to `to`,
    /// not counting `ignore`'s lines.
    fn free_rooms(&self, room_type: u32, from: NaiveDate, to: NaiveDate, ignore: u64) -> Vec<u32> {
        let Some(row) = self.room_type(room_type) else {
            return Vec::new();
        };
        let taken: Vec<u32> = self
            .orders
            .iter()
            .filter(|(id, order)| **id != ignore && order.state != CANCELED)
            .flat_map(|(_, order)| &order.lines)
            .filter(|line| line.from < to && from < line.to)
            .map(|line| line.room)
            .collect();
        row.rooms
            .iter()
            .copied()
            .filter(|room| !taken.contains(room))
            .collect()
    }
}

fn hotel_ari(state: &mut State, request: &Request) -> ResponseTemplate {
    let body = String::from_utf8_lossy(&request.body).into_owned();
    let date = |tag| xml_value(&body, tag).and_then(|text| text.parse::<NaiveDate>().ok());
    let (Some(from), Some(to)) = (date("date_from"), date("date_to")) else {
        return ResponseTemplate::new(400)
            .set_body_json(json!({"errors":[{"code":85,"message":"Invalid dates"}]}));
    };
    if xml_value(&body, "id_hotel") != Some(&HOTEL_ID.to_string()) || to <= from {
        return ResponseTemplate::new(400)
            .set_body_json(json!({"errors":[{"code":85,"message":"Invalid request"}]}));
    }
    let only: Option<u32> = xml_value(&body, "id_room_type").and_then(|id| id.parse().ok());
    let nights = (to - from).num_days();
    let mut total_available = 0;
    let types: Vec<Value> = state
        .room_types
        .iter()
        .filter(|row| only.is_none_or(|id| id == row.id))
        .map(|row| {
            // Every room type is listed; occupancy filters nothing (caveat 1).
            let free = state.free_rooms(row.id, from, to, 0);
            total_available += free.len();
            let available = if free.is_empty() {
                json!([])
            } else {
                free.iter()
                    .map(|room| {
                        (
                            room.to_string(),
                            json!({"id_room":room.to_string(),
                            "id_product":row.id.to_string(),"id_hotel":HOTEL_ID.to_string(),
                            "room_num":format!("R-{room}"),"room_comment":"",
                            "max_adult":row.max_adults.to_string(),
                            "max_children":row.max_children.to_string(),
                            "max_occupancy":(row.max_adults + row.max_children).to_string()}),
                        )
                    })
                    .collect::<serde_json::Map<String, Value>>()
                    .into()
            };
            let total = row.price(from, to);
            let average = (total + nights / 2) / nights;
            json!({"id_room_type":row.id.to_string(),"name":row.names[0],
                "base_price":decimal(without_tax(average)),"base_price_with_tax":decimal(average),
                "total_price":decimal(without_tax(total)),"total_price_with_tax":decimal(total),
                "rooms":{"available":available}})
        })
        .collect();
    ok(json!({"hotel_ari":{"id_hotel":HOTEL_ID.to_string(),
        "date_from":from.to_string(),"date_to":to.to_string(),"currency":state.currency,
        "total_rooms":state.room_types.iter().map(|row| row.rooms.len()).sum::<usize>(),
        "total_available_rooms":total_available,"room_types":types}}))
}
