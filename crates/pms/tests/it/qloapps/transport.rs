//! Authentication, transport failures and unreadable answers: typed errors, never a panic,
//! never the key.

use std::time::Duration;

use hotel_pms::{
    BookingId, KeyPlacement, Occupancy, Pms, PmsError, QloAppsConfig, QloAppsPms, Stay, StayRequest,
};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{KEY, api, client, config, json_answer, tenant};

fn december() -> StayRequest {
    let stay = Stay::new("2026-12-15".parse().unwrap(), "2026-12-17".parse().unwrap()).unwrap();
    StayRequest::new(stay, Occupancy::adults(2))
}

fn assert_no_key(error: &PmsError) {
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(KEY), "key leaked: {shown}");
}

#[tokio::test]
async fn a_refused_key_is_unauthorized_and_permanent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/hotels/1"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header(
                    "WWW-Authenticate",
                    "Basic realm=\"Welcome to PrestaShop Webservice\"",
                )
                .set_body_json(json!({"errors":[{"code":18,
                    "message":format!("Invalid authentication key format {KEY}")}]})),
        )
        .mount(&server)
        .await;
    let error = client(&server).health().await.unwrap_err();
    assert!(matches!(error, PmsError::Unauthorized(_)), "{error}");
    assert!(error.to_string().contains("code 18"), "{error}");
    assert!(!error.is_transient());
    assert_no_key(&error);
}

#[tokio::test]
async fn server_errors_and_rate_limits_are_transient() {
    let server = MockServer::start().await;
    api("POST", "hotel_ari")
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    api("POST", "hotel_ari")
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "7"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    api("POST", "hotel_ari")
        .respond_with(ResponseTemplate::new(503).set_body_json(
            json!({"errors":[{"code":22,"message":"The PrestaShop webservice is disabled."}]}),
        ))
        .mount(&server)
        .await;
    let pms = client(&server);
    let error = pms.quote(&tenant(), &december()).await.unwrap_err();
    assert!(
        matches!(error, PmsError::Unavailable(_)) && error.is_transient(),
        "{error}"
    );
    let error = pms.quote(&tenant(), &december()).await.unwrap_err();
    assert!(
        matches!(error, PmsError::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(7)),
        "{error}"
    );
    assert!(error.is_transient());
    // A switched-off webservice needs an administrator, not a retry.
    let error = pms.quote(&tenant(), &december()).await.unwrap_err();
    assert!(matches!(error, PmsError::InvalidConfig(_)), "{error}");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let server = MockServer::start().await;
    api("GET", "hotels/1")
        .respond_with(json_answer(json!({"hotel":{"id":1}})).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let error = client(&server).health().await.unwrap_err();
    assert!(matches!(error, PmsError::Timeout), "{error}");
    assert!(error.is_transient());
}

#[tokio::test]
async fn an_unreachable_shop_is_unavailable_without_the_key() {
    // A port nothing listens on any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = QloAppsConfig::new(format!("http://127.0.0.1:{port}"), KEY, 1, "USD");
    config.key_placement = KeyPlacement::QueryParameter;
    let pms = QloAppsPms::new(config).unwrap();
    let error = pms.health().await.unwrap_err();
    assert!(matches!(error, PmsError::Unavailable(_)), "{error}");
    assert_no_key(&error);
}

#[tokio::test]
async fn the_key_may_travel_as_ws_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/hotels/1"))
        .and(query_param("ws_key", KEY))
        .and(query_param("output_format", "JSON"))
        .respond_with(json_answer(json!({"hotel":{"id":1}})))
        .expect(1)
        .mount(&server)
        .await;
    let mut config = config(&server);
    config.key_placement = KeyPlacement::QueryParameter;
    QloAppsPms::new(config).unwrap().health().await.unwrap();
}

#[tokio::test]
async fn malformed_answers_are_typed_errors() {
    let server = MockServer::start().await;
    api("POST", "hotel_ari")
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>Fatal error</html>"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    api("POST", "hotel_ari")
        .respond_with(json_answer(
            json!({"hotel_ari":{"currency":"USD","room_types":[
            {"id_room_type":"2","base_price_with_tax":"n/a","total_price_with_tax":1,
             "rooms":{"available":[]}}]}}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    api("POST", "hotel_ari")
        .respond_with(json_answer(
            json!({"hotel_ari":{"currency":"USD","room_types":[
            {"id_room_type":"2","base_price_with_tax":1,"total_price_with_tax":1,
             "rooms":{"available":"none"}}]}}),
        ))
        .mount(&server)
        .await;
    api("GET", "bookings/42")
        .respond_with(json_answer(json!({"booking":{"id":42,"associations":{}}})))
        .mount(&server)
        .await;
    api("GET", "bookings/43")
        .respond_with(json_answer(json!({"booking":{"id":43,"associations":{
            "customer_detail":{"email":"a@example.com"},"room_types":[]}}})))
        .mount(&server)
        .await;
    api("GET", "bookings/44")
        .respond_with(json_answer(json!({"booking":{"id":44,"associations":{
            "customer_detail":{"email":"a@example.com"},"room_types":[{"id_room_type":2,
            "checkin_date":"soon","checkout_date":"later"}]}}})))
        .mount(&server)
        .await;
    let pms = client(&server);
    for _ in 0..3 {
        let error = pms.quote(&tenant(), &december()).await.unwrap_err();
        assert!(matches!(error, PmsError::InvalidResponse(_)), "{error}");
        assert!(!error.is_transient());
    }
    for id in ["42", "43", "44"] {
        let error = pms
            .booking(&tenant(), &BookingId::new(id))
            .await
            .unwrap_err();
        assert!(
            matches!(error, PmsError::InvalidResponse(_)),
            "{id}: {error}"
        );
    }
}

#[tokio::test]
async fn other_client_errors_are_invalid_requests() {
    let server = MockServer::start().await;
    api("GET", "bookings/42")
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"errors":[{"code":404,"message":"Please provide a valid id_property."}]}),
        ))
        .mount(&server)
        .await;
    let error = client(&server)
        .booking(&tenant(), &BookingId::new("42"))
        .await
        .unwrap_err();
    let PmsError::InvalidRequest(message) = &error else {
        panic!("{error}")
    };
    assert!(message.contains("valid id_property"), "{message}");
}

#[test]
fn the_configuration_is_checked_without_showing_the_key() {
    let short = QloAppsConfig::new("https://hotel.example.com", "0123456789", 1, "USD");
    let error = QloAppsPms::new(short).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("api_key must be 32 characters"),
        "{message}"
    );
    assert!(!message.contains("0123456789"));

    let mut broken = QloAppsConfig::new("ftp://hotel.example.com", KEY, 0, "usd");
    broken.read_timeout = Duration::ZERO;
    let message = QloAppsPms::new(broken).unwrap_err().to_string();
    for expected in ["base_url", "hotel_id", "currency", "timeouts"] {
        assert!(
            message.contains(expected),
            "{expected} missing from {message}"
        );
    }
    let query = QloAppsConfig::new("https://hotel.example.com/?x=1", KEY, 1, "USD");
    assert!(QloAppsPms::new(query).is_err());

    let good = QloAppsConfig::new("https://hotel.example.com/", KEY, 1, "USD");
    let pms = QloAppsPms::new(good).unwrap();
    assert_eq!(pms.config().base_url, "https://hotel.example.com");
    let debug = format!("{pms:?}");
    assert!(!debug.contains(KEY), "{debug}");
}
