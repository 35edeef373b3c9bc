//! Creating, reading, cancelling and changing bookings, and the reconciliation that stands in
//! for QloApps' missing idempotency.

use std::time::Duration;

use chrono::NaiveDate;
use hotel_domain::Language;
use hotel_pms::{
    BookingChange, BookingId, BookingRequest, BookingStatus, GuestContact, Money, Occupancy, Pms,
    PmsError, RoomTypeId, Stay,
};
use serde_json::{Value, json};
use wiremock::matchers::query_param;
use wiremock::{MockServer, ResponseTemplate};

use super::{
    AWAITING_PAYMENT, CANCELED, PAYMENT_ACCEPTED, api, booking_body, client, hotel_room_types_body,
    json_answer, mount_order, tenant,
};

fn stay(from: &str, to: &str) -> Stay {
    let date = |text: &str| text.parse::<NaiveDate>().unwrap();
    Stay::new(date(from), date(to)).unwrap()
}

fn request() -> BookingRequest {
    BookingRequest {
        reference: "HTL-7Q2K".into(),
        room_type: RoomTypeId::new("2"),
        stay: stay("2026-12-15", "2026-12-17"),
        occupancy: Occupancy::with_children(2, [7]),
        guest: GuestContact {
            first_name: "Ana".into(),
            last_name: "Gómez".into(),
            email: "ana@example.com".into(),
            phone: Some("+5491155550000".into()),
        },
        remark: Some("Late arrival".into()),
        language: Some(Language::Es),
    }
}

const OUR_REMARK: &str = "Late arrival. idem-key: HTL-7Q2K";

/// The customer lookup by e-mail: `answers` in turn, the last one for good.
async fn mount_customers(server: &MockServer, answers: &[Value]) {
    for (n, answer) in answers.iter().enumerate() {
        let mock = api("GET", "customers")
            .and(query_param("filter[email]", "[ana@example.com]"))
            .and(query_param("display", "[id]"))
            .respond_with(json_answer(answer.clone()));
        let mock = if n + 1 < answers.len() {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(server).await;
    }
}

async fn mount_recent_orders(server: &MockServer, ids: &[u64]) {
    let orders: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    api("GET", "orders")
        .and(query_param("filter[id_customer]", "[17]"))
        .and(query_param("sort", "[id_DESC]"))
        .and(query_param("limit", "10"))
        .respond_with(json_answer(json!({"orders": orders})))
        .mount(server)
        .await;
}

async fn mount_booking(server: &MockServer, id: u64, remark: &str) {
    api("GET", &format!("bookings/{id}"))
        .respond_with(json_answer(booking_body(id, remark)))
        .mount(server)
        .await;
}

async fn mount_catalog(server: &MockServer) {
    api("GET", "hotel_room_types")
        .respond_with(json_answer(hotel_room_types_body()))
        .mount(server)
        .await;
    api("GET", "room_types/2")
        .respond_with(json_answer(json!({"room_type":{"id":2,
            "name":[{"id":"1","value":"Double"}],"price":"110.000000",
            "id_tax_rules_group":"1","adults":"2","children":"0","id_hotel":"1"}})))
        .mount(server)
        .await;
}

async fn posted_bodies(server: &MockServer, verb: &str) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == "/api/bookings")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn creates_a_booking_with_the_workarounds() {
    let server = MockServer::start().await;
    // The guest has older orders: 41 is someone else's reference, 40 is gone.
    mount_customers(&server, &[json!({"customers":[{"id":17}]})]).await;
    mount_recent_orders(&server, &[41, 40]).await;
    mount_booking(&server, 41, "idem-key: HTL-7Q2").await;
    api("GET", "bookings/40")
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    mount_catalog(&server).await;
    api("POST", "bookings")
        .respond_with(json_answer(booking_body(42, OUR_REMARK)))
        .expect(1)
        .mount(&server)
        .await;
    mount_order(&server, 42, AWAITING_PAYMENT).await;

    let booking = client(&server)
        .create_booking(&tenant(), &request())
        .await
        .unwrap();
    assert_eq!(booking.id, BookingId::new("42"));
    assert_eq!(booking.reference.as_deref(), Some("HTL-7Q2K"));
    assert_eq!(booking.pms_reference.as_deref(), Some("XKBKNABJK"));
    assert_eq!(booking.status, BookingStatus::AwaitingPayment);
    assert_eq!(booking.room_type, RoomTypeId::new("2"));
    assert_eq!(booking.stay, stay("2026-12-15", "2026-12-17"));
    assert_eq!((booking.adults, booking.children), (2, 1));
    assert_eq!(booking.total, Some(Money::from_minor(24_200, "USD")));
    assert_eq!(booking.guest.email, "ana@example.com");

    let posted = posted_bodies(&server, "POST").await;
    let body = &posted[0]["booking"];
    assert_eq!(body["id_property"], 1);
    assert_eq!(body["currency"], "USD");
    assert_eq!(body["source"], "whatsapp");
    assert_eq!(body["remark"], OUR_REMARK);
    assert_eq!(body["id_language"], 2);
    let customer = &body["associations"]["customer_detail"];
    assert_eq!(customer["firstname"], "Ana");
    assert_eq!(customer["phone"], "+5491155550000");
    let line = &body["associations"]["room_types"][0];
    assert_eq!(line["id_room_type"], 2);
    assert_eq!(line["checkin_date"], "2026-12-15");
    assert_eq!(line["checkout_date"], "2026-12-17");
    assert_eq!(line["number_of_rooms"], 1);
    assert_eq!(
        line["rooms"],
        json!([{"adults":2,"adult":2,"child":1,"child_ages":[7],"id_tax_rules_group":1}])
    );
}

#[tokio::test]
async fn an_existing_booking_is_returned_instead_of_posting_again() {
    let server = MockServer::start().await;
    mount_customers(&server, &[json!({"customers":[{"id":17}]})]).await;
    mount_recent_orders(&server, &[42]).await;
    mount_booking(&server, 42, OUR_REMARK).await;
    mount_order(&server, 42, PAYMENT_ACCEPTED).await;
    api("POST", "bookings")
        .respond_with(json_answer(booking_body(43, OUR_REMARK)))
        .expect(0)
        .mount(&server)
        .await;
    let booking = client(&server)
        .create_booking(&tenant(), &request())
        .await
        .unwrap();
    assert_eq!(booking.id, BookingId::new("42"));
    assert_eq!(booking.status, BookingStatus::Paid);
}

#[tokio::test]
async fn a_500_that_hid_a_created_order_is_reconciled() {
    let server = MockServer::start().await;
    // Before the POST the guest is unknown; afterwards the order exists.
    mount_customers(&server, &[json!([]), json!({"customers":[{"id":17}]})]).await;
    mount_recent_orders(&server, &[42]).await;
    mount_booking(&server, 42, OUR_REMARK).await;
    mount_order(&server, 42, AWAITING_PAYMENT).await;
    mount_catalog(&server).await;
    api("POST", "bookings")
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"errors":[{"code":8,
            "message":"[PHP Notice #8] Undefined index: total_tax (/classes/webservice/WebserviceSpecificManagementBookings.php, line 1702)"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let booking = client(&server)
        .create_booking(&tenant(), &request())
        .await
        .unwrap();
    assert_eq!(booking.id, BookingId::new("42"));
    assert_eq!(booking.reference.as_deref(), Some("HTL-7Q2K"));
}

#[tokio::test]
async fn a_retry_after_a_timeout_looks_up_before_posting() {
    let server = MockServer::start().await;
    // Not found before the POST, nor right after its timeout; found on the retry.
    mount_customers(
        &server,
        &[json!([]), json!([]), json!({"customers":[{"id":17}]})],
    )
    .await;
    mount_recent_orders(&server, &[42]).await;
    mount_booking(&server, 42, OUR_REMARK).await;
    mount_order(&server, 42, AWAITING_PAYMENT).await;
    mount_catalog(&server).await;
    api("POST", "bookings")
        .respond_with(json_answer(booking_body(42, OUR_REMARK)).set_delay(Duration::from_secs(3)))
        .expect(1)
        .mount(&server)
        .await;
    let pms = client(&server);
    let first = pms.create_booking(&tenant(), &request()).await;
    let Err(error) = first else {
        panic!("the timed-out create succeeded")
    };
    assert!(matches!(error, PmsError::Timeout), "{error}");
    assert!(error.is_transient());
    let retried = pms.create_booking(&tenant(), &request()).await.unwrap();
    assert_eq!(retried.id, BookingId::new("42"));
}

#[tokio::test]
async fn a_full_room_type_is_no_availability_and_not_reconciled() {
    let server = MockServer::start().await;
    api("GET", "customers")
        .respond_with(json_answer(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    mount_catalog(&server).await;
    api("POST", "bookings")
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"errors":[{"code":404,"message":"Requested room(s) not available."}]}),
        ))
        .mount(&server)
        .await;
    let error = client(&server)
        .create_booking(&tenant(), &request())
        .await
        .unwrap_err();
    assert!(matches!(error, PmsError::NoAvailability(_)), "{error}");
    assert!(!error.is_transient());
}

#[tokio::test]
async fn refuses_a_booking_the_room_type_cannot_take() {
    let server = MockServer::start().await;
    api("GET", "customers")
        .respond_with(json_answer(json!([])))
        .mount(&server)
        .await;
    mount_catalog(&server).await;
    let pms = client(&server);
    let mut crowd = request();
    crowd.occupancy = Occupancy::adults(3);
    assert!(matches!(
        pms.create_booking(&tenant(), &crowd).await,
        Err(PmsError::InvalidRequest(_))
    ));
    let mut elsewhere = request();
    elsewhere.room_type = RoomTypeId::new("9");
    assert!(matches!(
        pms.create_booking(&tenant(), &elsewhere).await,
        Err(PmsError::NotFound(_))
    ));
    let mut odd_email = request();
    odd_email.guest.email = "ana|x@example.com".into();
    assert!(matches!(
        pms.create_booking(&tenant(), &odd_email).await,
        Err(PmsError::InvalidRequest(_))
    ));
    assert!(posted_bodies(&server, "POST").await.is_empty());
}

#[tokio::test]
async fn reads_a_booking_and_its_status() {
    let server = MockServer::start().await;
    mount_booking(&server, 42, OUR_REMARK).await;
    mount_order(&server, 42, CANCELED).await;
    api("GET", "bookings/7")
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let pms = client(&server);
    let booking = pms.booking(&tenant(), &BookingId::new("42")).await.unwrap();
    assert_eq!(booking.status, BookingStatus::Cancelled);
    assert_eq!(booking.guest.last_name, "Gómez");
    assert!(matches!(
        pms.booking(&tenant(), &BookingId::new("7")).await,
        Err(PmsError::NotFound(_))
    ));
    assert!(matches!(
        pms.booking(&tenant(), &BookingId::new("HTL-1")).await,
        Err(PmsError::NotFound(_))
    ));
}

#[tokio::test]
async fn cancels_by_putting_the_booking_back() {
    let server = MockServer::start().await;
    mount_booking(&server, 42, OUR_REMARK).await;
    api("GET", "orders/42")
        .respond_with(json_answer(super::order_body(42, AWAITING_PAYMENT)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_order(&server, 42, CANCELED).await;
    api("PUT", "bookings")
        .respond_with(json_answer(booking_body(42, OUR_REMARK)))
        .expect(1)
        .mount(&server)
        .await;
    let pms = client(&server);
    let cancelled = pms
        .cancel_booking(&tenant(), &BookingId::new("42"))
        .await
        .unwrap();
    assert_eq!(cancelled.status, BookingStatus::Cancelled);

    let put = posted_bodies(&server, "PUT").await;
    let body = &put[0]["booking"];
    assert_eq!(body["id"], 42);
    assert_eq!(body["id_property"], 1);
    assert_eq!(body["booking_status"], 3);
    assert_eq!(
        body["associations"]["customer_detail"]["email"],
        "ana@example.com"
    );
    assert!(
        body["associations"]["price_details"]
            .get("total_paid")
            .is_none()
    );
    let room = &body["associations"]["room_types"][0]["rooms"][0];
    assert!(room.get("unit_price_without_tax").is_none());
    assert_eq!(
        (room["adults"].clone(), room["adult"].clone()),
        (json!(2), json!(2))
    );

    // Already cancelled: nothing more is sent.
    let again = pms
        .cancel_booking(&tenant(), &BookingId::new("42"))
        .await
        .unwrap();
    assert_eq!(again.status, BookingStatus::Cancelled);
}

#[tokio::test]
async fn modifies_dates_by_replacing_the_room_line() {
    let server = MockServer::start().await;
    mount_booking(&server, 42, OUR_REMARK).await;
    mount_order(&server, 42, AWAITING_PAYMENT).await;
    mount_catalog(&server).await;
    api("PUT", "bookings")
        .respond_with(json_answer(booking_body(42, OUR_REMARK)))
        .expect(1)
        .mount(&server)
        .await;
    let pms = client(&server);
    let id = BookingId::new("42");
    let later = BookingChange {
        stay: Some(stay("2026-12-20", "2026-12-23")),
        occupancy: Some(Occupancy::with_children(2, [8])),
        ..BookingChange::default()
    };
    pms.modify_booking(&tenant(), &id, &later).await.unwrap();
    let put = posted_bodies(&server, "PUT").await;
    let lines = &put[0]["booking"]["associations"]["room_types"];
    assert_eq!(
        lines,
        &json!([{"id_room_type":2,"checkin_date":"2026-12-20","checkout_date":"2026-12-23",
            "number_of_rooms":1,"rooms":[{"adults":2,"adult":2,"child":1,"child_ages":[8],
            "id_tax_rules_group":1}]}])
    );
    assert!(put[0]["booking"].get("booking_status").is_none());

    // The booking has a child whose age QloApps does not return.
    let dates_only = BookingChange {
        stay: Some(stay("2026-12-20", "2026-12-23")),
        ..BookingChange::default()
    };
    assert!(matches!(
        pms.modify_booking(&tenant(), &id, &dates_only).await,
        Err(PmsError::InvalidRequest(_))
    ));
    let guests_only = BookingChange {
        occupancy: Some(Occupancy::adults(1)),
        ..BookingChange::default()
    };
    let error = pms
        .modify_booking(&tenant(), &id, &guests_only)
        .await
        .unwrap_err();
    assert!(matches!(error, PmsError::NotSupported(_)), "{error}");
    assert!(matches!(
        pms.modify_booking(&tenant(), &id, &BookingChange::default())
            .await,
        Err(PmsError::InvalidRequest(_))
    ));
}

#[tokio::test]
async fn a_cancelled_booking_cannot_be_modified() {
    let server = MockServer::start().await;
    mount_booking(&server, 42, OUR_REMARK).await;
    mount_order(&server, 42, CANCELED).await;
    let change = BookingChange {
        room_type: Some(RoomTypeId::new("3")),
        ..BookingChange::default()
    };
    assert!(matches!(
        client(&server)
            .modify_booking(&tenant(), &BookingId::new("42"), &change)
            .await,
        Err(PmsError::InvalidRequest(_))
    ));
}
