//! Hotels, room types and `hotel_ari` availability.

use chrono::NaiveDate;
use hotel_domain::Language;
use hotel_pms::{Money, Occupancy, Pms, PmsError, RoomTypeId, Stay, StayRequest};
use serde_json::json;
use wiremock::MockServer;
use wiremock::matchers::{body_string_contains, header, query_param};

use super::{api, client, hotel_room_types_body, json_answer, tenant};

fn december() -> Stay {
    let date = |text: &str| text.parse::<NaiveDate>().unwrap();
    Stay::new(date("2026-12-15"), date("2026-12-17")).unwrap()
}

/// §7's answer shape: every room type listed, free rooms keyed by id, `[]` when none.
fn ari_body() -> serde_json::Value {
    json!({"hotel_ari":{"id_hotel":"1","date_from":"2026-12-15","date_to":"2026-12-17",
      "currency":"USD","total_rooms":12,"total_available_rooms":3,
      "room_types":[
        {"id_room_type":"2","name":"Double","base_price":110,"base_price_with_tax":121,
         "total_price":220,"total_price_with_tax":242,
         "rooms":{"available":{
           "5":{"id_room":"5","id_product":"2","id_hotel":"1","room_num":"D-105",
             "room_comment":"","max_adult":"2","max_children":"1","max_occupancy":"3"},
           "6":{"id_room":"6","id_product":"2","id_hotel":"1","room_num":"D-106",
             "room_comment":"","max_adult":"2","max_children":"0","max_occupancy":"2"}}}},
        {"id_room_type":"3","name":"Suite","base_price":300,"base_price_with_tax":330,
         "total_price":600,"total_price_with_tax":660,"rooms":{"available":[]}},
        {"id_room_type":"4","name":"Single","base_price":"80.000000",
         "base_price_with_tax":"88.500000","total_price":"160.000000",
         "total_price_with_tax":"177.000000",
         "rooms":{"available":{"9":{"id_room":"9","id_product":"4","id_hotel":"1",
           "room_num":"S-9","room_comment":"","max_adult":"1","max_children":"0",
           "max_occupancy":"1"}}}}]}})
}

#[tokio::test]
async fn filters_free_rooms_by_capacity() {
    let server = MockServer::start().await;
    api("POST", "hotel_ari")
        .and(header("Content-Type", "application/xml"))
        .and(body_string_contains("<id_hotel>1</id_hotel>"))
        .and(body_string_contains(
            "<date_from>2026-12-15</date_from><date_to>2026-12-17</date_to>",
        ))
        .and(body_string_contains(
            "<room_occupancy><adults>2</adults><children>1</children></room_occupancy>",
        ))
        .respond_with(json_answer(ari_body()))
        .expect(1)
        .mount(&server)
        .await;
    let pms = client(&server);
    let request = StayRequest::new(december(), Occupancy::with_children(2, [7]));
    let quotes = pms.quote(&tenant(), &request).await.unwrap();
    // QloApps offered two doubles, a single and no suite; only room 5 takes a child.
    assert_eq!(quotes.len(), 1);
    let double = &quotes[0];
    assert_eq!(double.room_type, RoomTypeId::new("2"));
    assert_eq!(double.available, 1);
    assert_eq!(double.total, Money::from_minor(24_200, "USD"));
    assert_eq!(double.average_nightly, Money::from_minor(12_100, "USD"));
    assert!(double.nightly.is_empty());
}

#[tokio::test]
async fn counts_every_fitting_room_and_reads_string_prices() {
    let server = MockServer::start().await;
    api("POST", "hotel_ari")
        .respond_with(json_answer(ari_body()))
        .mount(&server)
        .await;
    let pms = client(&server);
    let one_adult = StayRequest::new(december(), Occupancy::adults(1));
    let quotes = pms.quote(&tenant(), &one_adult).await.unwrap();
    let summary: Vec<(String, u32, i64)> = quotes
        .iter()
        .map(|q| (q.room_type.to_string(), q.available, q.total.minor_units))
        .collect();
    assert_eq!(
        summary,
        [("2".to_owned(), 2, 24_200), ("4".to_owned(), 1, 17_700)]
    );
    let only_single = one_adult.clone().of_type(RoomTypeId::new("4"));
    let quotes = pms.quote(&tenant(), &only_single).await.unwrap();
    assert_eq!(quotes.len(), 1);
    assert_eq!(quotes[0].average_nightly, Money::from_minor(8_850, "USD"));

    let not_ours = one_adult.clone().of_type(RoomTypeId::new("double"));
    assert!(matches!(
        pms.quote(&tenant(), &not_ours).await,
        Err(PmsError::NotFound(_))
    ));
    let nobody = StayRequest::new(december(), Occupancy::adults(0));
    assert!(matches!(
        pms.quote(&tenant(), &nobody).await,
        Err(PmsError::InvalidRequest(_))
    ));
}

#[tokio::test]
async fn rooms_without_capacity_use_the_room_type_capacity() {
    let server = MockServer::start().await;
    api("POST", "hotel_ari")
        .and(body_string_contains("<id_room_type>3</id_room_type>"))
        .respond_with(json_answer(json!({"hotel_ari":{"id_hotel":"1",
          "date_from":"2026-12-15","date_to":"2026-12-17","currency":"USD",
          "room_types":[{"id_room_type":"3","name":"Suite","base_price":300,
            "base_price_with_tax":330,"total_price":600,"total_price_with_tax":660,
            "rooms":{"available":{"7":{"id_room":"7","id_product":"3","id_hotel":"1",
              "room_num":"S-7"}}}}]}})))
        .mount(&server)
        .await;
    api("GET", "hotel_room_types")
        .and(query_param("filter[id_hotel]", "[1]"))
        .and(query_param("display", "full"))
        .respond_with(json_answer(hotel_room_types_body()))
        .expect(1)
        .mount(&server)
        .await;
    let pms = client(&server);
    let family = StayRequest::new(december(), Occupancy::with_children(2, [3, 5]))
        .of_type(RoomTypeId::new("3"));
    let quotes = pms.quote(&tenant(), &family).await.unwrap();
    assert_eq!(quotes.len(), 1);
    assert_eq!(quotes[0].total, Money::from_minor(66_000, "USD"));
    // The capacities are cached: a second search reads them no more.
    let crowd = StayRequest::new(december(), Occupancy::with_children(2, [3, 5, 9]))
        .of_type(RoomTypeId::new("3"));
    assert!(pms.quote(&tenant(), &crowd).await.unwrap().is_empty());
}

#[tokio::test]
async fn lists_room_types_with_capacity_and_names() {
    let server = MockServer::start().await;
    api("GET", "hotel_room_types")
        .respond_with(json_answer(hotel_room_types_body()))
        .mount(&server)
        .await;
    api("GET", "room_types")
        .and(query_param("filter[id]", "[2|3]"))
        .and(query_param("display", "[id,name,price,id_tax_rules_group]"))
        .respond_with(json_answer(json!({"room_types":[
            {"id":2,"name":[{"id":"1","value":"Double"},{"id":"2","value":"Doble"}],
             "price":"110.000000","id_tax_rules_group":"1"},
            {"id":3,"name":"Suite","price":"300.000000","id_tax_rules_group":"2"}]})))
        .mount(&server)
        .await;
    let pms = client(&server);
    let rooms = pms.room_types(&tenant()).await.unwrap();
    assert_eq!(rooms.len(), 2);
    let double = &rooms[0];
    assert_eq!(double.id, RoomTypeId::new("2"));
    assert_eq!(double.hotel.as_str(), "1");
    assert_eq!(double.name, "Double");
    assert_eq!(double.name_in(Language::Es), "Doble");
    assert_eq!(double.name_in(Language::Pt), "Double");
    assert_eq!(
        (
            double.capacity.max_adults,
            double.capacity.max_children,
            double.capacity.max_guests
        ),
        (2, 1, Some(3))
    );
    assert_eq!(double.base_rate, Some(Money::from_minor(11_000, "USD")));
    assert_eq!(rooms[1].name, "Suite");
    assert!(rooms[1].names.is_empty());
}

#[tokio::test]
async fn an_empty_hotel_has_no_room_types() {
    let server = MockServer::start().await;
    api("GET", "hotel_room_types")
        .respond_with(json_answer(json!([])))
        .mount(&server)
        .await;
    api("GET", "hotels")
        .respond_with(json_answer(json!([])))
        .mount(&server)
        .await;
    let pms = client(&server);
    assert!(pms.room_types(&tenant()).await.unwrap().is_empty());
    assert!(pms.hotels(&tenant()).await.unwrap().is_empty());
}

#[tokio::test]
async fn lists_hotels() {
    let server = MockServer::start().await;
    api("GET", "hotels")
        .and(query_param("display", "full"))
        .respond_with(json_answer(json!({"hotels":[{"id":1,
            "hotel_name":[{"id":"1","value":"Hotel Prime"},{"id":"2","value":"Hotel Prime BA"}],
            "check_in":"12:00","check_out":"11:00","phone":"0987654321","city":"Buenos Aires",
            "email":"desk@example.com","active":"1","active_refund":"1",
            "associations":{"room_types":[{"id":"1"},{"id":"2"}],
              "hotel_refund_rules":[{"id":"1"}]}}]})))
        .mount(&server)
        .await;
    api("GET", "hotels/1")
        .respond_with(json_answer(
            json!({"hotel":{"id":1,"hotel_name":"Hotel Prime",
            "check_in":"12:00","check_out":"11:00","active":"1"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let pms = client(&server);
    let hotels = pms.hotels(&tenant()).await.unwrap();
    assert_eq!(hotels.len(), 1);
    assert_eq!(hotels[0].id.as_str(), "1");
    assert_eq!(hotels[0].name, "Hotel Prime");
    assert_eq!(
        hotels[0].names.get(&Language::Es).map(String::as_str),
        Some("Hotel Prime BA")
    );
    assert_eq!(hotels[0].check_in_time.as_deref(), Some("12:00"));
    assert_eq!(hotels[0].city.as_deref(), Some("Buenos Aires"));
    pms.health().await.unwrap();
    assert_eq!(pms.kind(), "qloapps");
}
