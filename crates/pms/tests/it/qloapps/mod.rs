//! The QloApps client against wiremock, with answers shaped like the reference's examples
//! (`qloapps-api.md` §2, §5–§8), values our own.

mod availability;
mod bookings;
mod transport;

use std::collections::BTreeMap;
use std::time::Duration;

use hotel_domain::{Language, TenantId};
use hotel_pms::{QloAppsConfig, QloAppsPms};
use serde_json::{Value, json};
use wiremock::matchers::{basic_auth, header, method, path, query_param};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// A 32-character webservice key.
pub const KEY: &str = "QLO7KEY9SECRET2WEBSERVICE4TEST88";

pub fn tenant() -> TenantId {
    TenantId::new("default")
}

pub fn config(server: &MockServer) -> QloAppsConfig {
    let mut config = QloAppsConfig::new(server.uri(), KEY, 1, "USD");
    config.languages = BTreeMap::from([(Language::En, 1), (Language::Es, 2)]);
    config.read_timeout = Duration::from_millis(500);
    config.write_timeout = Duration::from_millis(500);
    config
}

pub fn client(server: &MockServer) -> QloAppsPms {
    QloAppsPms::new(config(server)).unwrap()
}

/// `method /api/{resource}` with the key as Basic user and JSON output asked for.
pub fn api(verb: &str, resource: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(format!("/api/{resource}")))
        .and(basic_auth(KEY, ""))
        .and(header("Output-Format", "JSON"))
        .and(query_param("output_format", "JSON"))
}

pub fn json_answer(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// §8.2: `GET /api/bookings/{id}`, as also answered by POST.
pub fn booking_body(id: u64, remark: &str) -> Value {
    json!({"booking":{"id":id,"id_property":1,"currency":"USD","source":"whatsapp",
     "booking_date":"2026-11-25 10:02:11","id_language":1,
     "associations":{
      "customer_detail":{"id_customer":17,"firstname":"Ana","lastname":"Gómez",
        "email":"ana@example.com","phone":"+5491155550000"},
      "price_details":{"total_paid":0,"total_price_without_tax":220,"total_tax":22},
      "cart_rules":[],"remarks":[remark],
      "room_types":[{"id_room_type":2,"checkin_date":"2026-12-15 00:00:00",
         "checkout_date":"2026-12-17 00:00:00","total_tax":22,"number_of_rooms":1,"name":"Double",
         "rooms":[{"id_room":5,"id_hotel_booking":88,"adults":2,"child":1,
           "unit_price_without_tax":220,"total_tax":22}]}]}}})
}

/// `GET /api/orders/{id}`: the order behind a booking, in state `state`.
pub fn order_body(id: u64, state: u32) -> Value {
    json!({"order":{"id":id,"id_customer":"17","reference":"XKBKNABJK",
        "current_state":state.to_string(),"total_paid_tax_incl":"242.000000",
        "date_add":"2026-11-25 10:02:11"}})
}

/// Order state ids as an install might assign them.
pub const AWAITING_PAYMENT: u32 = 10;
pub const PAYMENT_ACCEPTED: u32 = 2;
pub const CANCELED: u32 = 6;

/// `GET /api/order_states?display=[id,name]`, names in English (1) and Spanish (2).
pub fn order_states_body() -> Value {
    let state = |id: u32, en: &str, es: &str| json!({"id":id,"name":[{"id":"1","value":en},{"id":"2","value":es}]});
    json!({"order_states":[
        state(PAYMENT_ACCEPTED, "Complete payment received", "Pago completo recibido"),
        state(CANCELED, "Canceled", "Cancelado"),
        state(AWAITING_PAYMENT, "Awaiting payment", "En espera de pago"),
    ]})
}

/// §6: `GET /api/hotel_room_types?filter[id_hotel]=[1]&display=full`.
pub fn hotel_room_types_body() -> Value {
    json!({"hotel_room_types":[
        {"id":1,"id_product":"2","id_hotel":"1","adults":"2","children":"0","max_adults":"2",
         "max_children":"1","max_guests":"3","min_los":"1","max_los":"0"},
        {"id":2,"id_product":"3","id_hotel":"1","adults":"2","children":"0","max_adults":"2",
         "max_children":"2","max_guests":"4","min_los":"1","max_los":"0"}]})
}

/// Mounts the order and its states for booking `id` in `state`.
pub async fn mount_order(server: &MockServer, id: u64, state: u32) {
    api("GET", &format!("orders/{id}"))
        .respond_with(json_answer(order_body(id, state)))
        .mount(server)
        .await;
    api("GET", "order_states")
        .and(query_param("display", "[id,name]"))
        .respond_with(json_answer(order_states_body()))
        .mount(server)
        .await;
}
