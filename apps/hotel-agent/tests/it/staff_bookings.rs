//! Staff confirmation through the real app: a Spanish conversation under `confirmation =
//! "staff"` ends awaiting confirmation; the admin API lists it, confirms it (the PMS booking made
//! once, the guest sent the reference and the QR pass uploaded to the Graph mock) or rejects it
//! (the guest told politely); tokens, tenants, bodies and a PMS outage are checked on the way.

use std::collections::BTreeMap;

use hotel_agent::auth::{Claims, issue};
use hotel_domain::{Language, TenantId};
use hotel_pms::{DemoInventory, RoomTypeCode};
use hotel_store::testing::execute_sql;
use hotel_store::{DemoBookOutcome, DemoBookingRecord, DemoGuest, NewDemoBooking};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::harness::*;
use crate::on_both_backends;

const JWT_SECRET: &str = "a-jwt-secret-for-staff-tests-0123456789";
const ANA: &str = "5491155550801";
const BRUNO: &str = "5491155550802";
const TENANT: &str = "default";
const MEDIA_ID: &str = "1234567890123456";

/// A token of `role` for `tenants`, valid for ten minutes.
fn token(role: &str, tenants: &[&str]) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = Claims {
        sub: "recepcion".into(),
        role: role.into(),
        tenants: tenants.iter().map(|t| (*t).to_owned()).collect(),
        iat: now,
        exp: now + 600,
    };
    issue(JWT_SECRET.as_bytes(), &claims).unwrap()
}

fn admin() -> String {
    token("admin", &[])
}

/// The text of a send: a text body, an interactive body or a media caption.
fn send_text(body: &Value) -> String {
    body["text"]["body"]
        .as_str()
        .or_else(|| body["interactive"]["body"]["text"].as_str())
        .or_else(|| body["image"]["caption"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// `guest` sends `message`; returns the `n`th send overall (1-based), which answers it.
async fn say(app: &TestApp, guest: &str, n: usize, message: Value) -> Value {
    let wamid = format!("wamid.staff.{guest}.{n}");
    let webhook = message_webhook(guest, &wamid, &now_timestamp(), message);
    assert_eq!(app.post_webhook(&webhook).await.status(), 200);
    let sends = app.wait_for_sends(n).await;
    assert_eq!(sends.len(), n, "one reply per message");
    let body = body_json(&sends[n - 1]);
    assert_eq!(body["to"], guest, "{body}");
    body
}

fn text(body: &str) -> Value {
    json!({"type": "text", "text": {"body": body}})
}

/// `guest` (named `name`) books a double and says they paid; `sent` sends so far. Returns the
/// request's reference. Five sends.
async fn book_and_pay(app: &TestApp, guest: &str, name: &str, sent: usize) -> String {
    let offer = say(
        app,
        guest,
        sent + 1,
        text("¿tienen doble del 15 al 17 para 2?"),
    )
    .await;
    assert_eq!(offer["type"], "interactive", "{offer}");
    let tap = json!({"type": "interactive", "interactive": {"type": "button_reply",
                     "button_reply": {"id": "room:double", "title": "Doble"}}});
    say(app, guest, sent + 2, tap).await;
    say(app, guest, sent + 3, text(name)).await;
    let email = format!("{}@example.com", guest);
    say(app, guest, sent + 4, text(&email)).await;
    let received = send_text(&say(app, guest, sent + 5, text("ya pagué")).await);
    let reference = received
        .split_once("Tu número de solicitud es ")
        .map(|(_, rest)| rest.trim_end_matches('.').to_owned())
        .expect("a request number");
    assert!(reference.starts_with("WA-"), "{received}");
    reference
}

async fn get(app: &TestApp, tenant: &str, query: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = app.http.get(format!(
        "{}/api/v1/admin/tenants/{tenant}/bookings{query}",
        app.address
    ));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// POSTs `body` (with `content_type`) to `…/bookings/{id}/{action}`.
async fn post(
    app: &TestApp,
    tenant: &str,
    id: &str,
    action: &str,
    body: Option<(&str, &str)>,
    token: Option<&str>,
) -> (u16, Value) {
    let mut request = app.http.post(format!(
        "{}/api/v1/admin/tenants/{tenant}/bookings/{id}/{action}",
        app.address
    ));
    if let Some((content_type, body)) = body {
        request = request
            .header("Content-Type", content_type)
            .body(body.to_owned());
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The media uploads the Graph mock received.
async fn uploads(app: &TestApp) -> Vec<wiremock::Request> {
    app.graph
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path().ends_with("/media"))
        .collect()
}

/// The QR code in an uploaded PNG (the multipart body's file part), read back.
fn qr_text(upload: &wiremock::Request) -> String {
    let body = &upload.body;
    let find = |needle: &[u8], from: usize| {
        body[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|at| at + from)
    };
    let start = find(b"\x89PNG\r\n\x1a\n", 0).expect("a PNG in the upload");
    let end = find(b"IEND", start).expect("the PNG's end") + 8;
    let mut decoder = png::Decoder::new(std::io::Cursor::new(&body[start..end]));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let (width, height) = (frame.width as usize, frame.height as usize);
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

/// Books every double still free for `like`'s stay, as other channels would.
async fn fill_doubles(app: &TestApp, like: &DemoBookingRecord) {
    let rooms = DemoInventory::default()
        .room_types
        .iter()
        .find(|room| room.code == RoomTypeCode::Double)
        .expect("doubles")
        .rooms;
    let mut full = false;
    for n in 0..=rooms {
        let other = NewDemoBooking {
            reference: format!("OTHER-{n}"),
            guest: DemoGuest {
                email: format!("other{n}@example.com"),
                ..like.guest.clone()
            },
            tenant_id: like.tenant_id.clone(),
            room_type: like.room_type.clone(),
            check_in: like.check_in,
            check_out: like.check_out,
            adults: 1,
            children_ages: Vec::new(),
            status: like.status.clone(),
            total_minor: like.total_minor,
            currency: like.currency.clone(),
        };
        let outcome = app
            .db
            .store
            .book_demo_room(&other, rooms, chrono::Utc::now())
            .await
            .unwrap();
        if outcome == DemoBookOutcome::Full {
            full = true;
            break;
        }
    }
    assert!(full, "every double taken");
}

async fn staff_confirm_and_reject(backend: hotel_store::Backend) {
    let app = TestApp::spawn_with(backend, |settings| {
        let booking = &mut settings.hotel.booking;
        booking.confirmation = hotel_agent::settings::BookingConfirmation::Staff;
        booking.payment_instructions = BTreeMap::from([(
            Language::Es,
            "Transferí la seña al alias HOTEL.DEMO.PAGOS.".to_owned(),
        )]);
        settings.auth.jwt_secret = JWT_SECRET.into();
    })
    .await;
    accept_all_sends(&app.graph).await;
    Mock::given(method("POST"))
        .and(path(format!("/{PHONE_NUMBER_ID}/media")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": MEDIA_ID})))
        .mount(&app.graph)
        .await;
    let reference = book_and_pay(&app, ANA, "Ana Gómez", 0).await;

    // Tokens and tenants.
    let (status, answer) = get(&app, TENANT, "", None).await;
    assert_eq!(status, 401, "{answer}");
    assert_eq!(answer["error"]["code"], "unauthorized");
    let elsewhere = token("staff", &["otro-hotel"]);
    let (status, answer) = get(&app, TENANT, "", Some(&elsewhere)).await;
    assert_eq!(status, 404, "another hotel's staff: {answer}");
    assert_eq!(answer["error"]["code"], "not_found");
    assert_eq!(get(&app, "no-such-hotel", "", Some(&admin())).await.0, 404);
    let (status, answer) = get(&app, TENANT, "?status=booked", Some(&admin())).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(get(&app, TENANT, "?limit=0", Some(&admin())).await.0, 422);

    let ours = token("staff", &[TENANT]);
    let query = "?status=awaiting_confirmation";
    let (status, listed) = get(&app, TENANT, query, Some(&ours)).await;
    assert_eq!(status, 200, "{listed}");
    let bookings = listed["bookings"].as_array().expect("a list");
    assert_eq!(bookings.len(), 1, "{listed}");
    let request = &bookings[0];
    assert_eq!(request["reference"], reference.as_str());
    assert_eq!(request["status"], "awaiting_confirmation");
    assert_eq!(request["wa_id"], ANA);
    assert_eq!(request["phone_number_id"], PHONE_NUMBER_ID);
    assert_eq!(request["room_type"], "double");
    assert_eq!(request["room_name"], "Doble");
    assert_eq!(
        (request["adults"].clone(), request["nights"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(request["guest_name"], "Ana Gómez");
    assert_eq!(request["email"], format!("{ANA}@example.com"));
    assert_eq!(request["language"], "es");
    assert_eq!(request["pms_booking_id"], Value::Null);
    let id = request["id"].as_i64().expect("an id").to_string();

    // Bodies and ids.
    let admin = admin();
    let confirm = |body, token| post(&app, TENANT, &id, "confirm", body, token);
    assert_eq!(confirm(None, None).await.0, 401);
    assert_eq!(confirm(None, Some(&elsewhere)).await.0, 404);
    assert_eq!(
        confirm(Some(("text/plain", "ok")), Some(&admin)).await.0,
        415
    );
    let (status, answer) = confirm(Some(("application/json", "{")), Some(&admin)).await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (400, json!("invalid_json"))
    );
    let (status, answer) = confirm(
        Some(("application/json", r#"{"force":true}"#)),
        Some(&admin),
    )
    .await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (422, json!("invalid_request"))
    );
    assert_eq!(
        confirm(Some(("application/json", "[]")), Some(&admin))
            .await
            .0,
        422
    );
    for unknown in ["999999", "abc", "0"] {
        let (status, _) = post(&app, TENANT, unknown, "confirm", None, Some(&admin)).await;
        assert_eq!(status, 404, "{unknown}");
    }

    // The PMS down (its bookings table gone for a moment): 503, the request still waits.
    execute_sql(
        &app.db.store,
        "ALTER TABLE demo_bookings RENAME TO demo_bookings_away",
    )
    .await
    .unwrap();
    let (status, answer) = confirm(None, Some(&admin)).await;
    execute_sql(
        &app.db.store,
        "ALTER TABLE demo_bookings_away RENAME TO demo_bookings",
    )
    .await
    .unwrap();
    assert_eq!(status, 503, "{answer}");
    assert_eq!(answer["error"]["code"], "pms_unavailable");
    let (_, listed) = get(&app, TENANT, query, Some(&admin)).await;
    assert_eq!(listed["bookings"].as_array().map(Vec::len), Some(1));

    // Confirmed: the booking in the PMS, the guest gets the reference and the QR pass.
    let (status, confirmed) = confirm(Some(("application/json", "{}")), Some(&ours)).await;
    assert_eq!(status, 200, "{confirmed}");
    let booking = &confirmed["booking"];
    assert_eq!(booking["status"], "confirmed");
    assert_eq!(booking["decided_by"], "recepcion");
    let pms_id = booking["pms_booking_id"]
        .as_str()
        .expect("a PMS id")
        .to_owned();
    let sends = app.wait_for_sends(7).await;
    let confirmation = send_text(&body_json(&sends[5]));
    assert!(
        confirmation.starts_with(&format!(
            "¡Reserva confirmada! 🎉 Tu número de reserva es {pms_id}."
        )),
        "{confirmation}"
    );
    assert!(
        confirmation.contains("Queda a nombre de Ana Gómez"),
        "{confirmation}"
    );
    let pass = body_json(&sends[6]);
    assert_eq!(pass["to"], ANA);
    assert_eq!(pass["type"], "image", "{pass}");
    assert_eq!(pass["image"]["id"], MEDIA_ID);
    assert!(send_text(&pass).contains(&pms_id), "{pass}");
    let uploaded = uploads(&app).await;
    assert_eq!(uploaded.len(), 1);
    assert_eq!(
        qr_text(&uploaded[0]),
        format!("HOTEL:{TENANT}:{reference}:{pms_id}")
    );
    let stored = app
        .db
        .store
        .demo_booking_by_reference(&TenantId::new(TENANT), &reference)
        .await
        .unwrap()
        .expect("booked in the demo PMS");
    assert!(stored.is_active());
    assert_eq!(stored.id.to_string(), pms_id);

    // Confirming again: the same booking, nothing booked, uploaded or sent again.
    let (status, again) = confirm(None, Some(&admin)).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["booking"]["pms_booking_id"], pms_id.as_str());
    assert_eq!(uploads(&app).await.len(), 1);
    let (status, answer) = post(&app, TENANT, &id, "reject", None, Some(&admin)).await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (409, json!("booking_confirmed"))
    );
    // The guest's next message is answered right after the confirmation: nothing else queued.
    let thanks = say(&app, ANA, 8, text("gracias!")).await;
    assert!(send_text(&thanks).contains("¡De nada!"), "{thanks}");
    let taken = app
        .db
        .store
        .demo_rooms_taken(
            &TenantId::new(TENANT),
            "double",
            stored.check_in,
            stored.check_out,
        )
        .await
        .unwrap();
    assert_eq!(taken, 1, "one PMS booking");

    // Bruno pays too, but meanwhile every double is sold by other channels: confirming fails
    // (409, the request is `failed`); staff then refuse it and Bruno is told, with the reason.
    let refused = book_and_pay(&app, BRUNO, "Bruno Díaz", 8).await;
    let (_, listed) = get(&app, TENANT, query, Some(&admin)).await;
    let bruno_id = listed["bookings"][0]["id"]
        .as_i64()
        .expect("an id")
        .to_string();
    assert_eq!(listed["bookings"][0]["reference"], refused.as_str());
    fill_doubles(&app, &stored).await;
    let (status, answer) = post(&app, TENANT, &bruno_id, "confirm", None, Some(&admin)).await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (409, json!("booking_failed")),
        "{answer}"
    );
    let (_, failed) = get(&app, TENANT, "?status=failed", Some(&admin)).await;
    assert_eq!(
        failed["bookings"][0]["reference"],
        refused.as_str(),
        "{failed}"
    );
    assert_eq!(failed["bookings"][0]["pms_booking_id"], Value::Null);
    let reason = r#"{"reason": "No recibimos la transferencia."}"#;
    let (status, rejected) = post(
        &app,
        TENANT,
        &bruno_id,
        "reject",
        Some(("application/json", reason)),
        Some(&admin),
    )
    .await;
    assert_eq!(status, 200, "{rejected}");
    assert_eq!(rejected["booking"]["status"], "rejected");
    assert_eq!(
        rejected["booking"]["note"],
        "No recibimos la transferencia."
    );
    let sends = app.wait_for_sends(14).await;
    let told = body_json(&sends[13]);
    assert_eq!(told["to"], BRUNO);
    let told = send_text(&told);
    assert!(
        told.contains(&format!(
            "no pudimos confirmar el pago de tu solicitud {refused}"
        )),
        "{told}"
    );
    assert!(
        told.ends_with("Motivo: No recibimos la transferencia."),
        "{told}"
    );
    let (status, answer) = post(&app, TENANT, &bruno_id, "confirm", None, Some(&admin)).await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (409, json!("booking_rejected"))
    );
    let (status, again) = post(&app, TENANT, &bruno_id, "reject", None, Some(&admin)).await;
    assert_eq!(
        (status, again["booking"]["status"].clone()),
        (200, json!("rejected"))
    );
    let bad = Some(("application/json", r#"{"reason": 7}"#));
    assert_eq!(
        post(&app, TENANT, &bruno_id, "reject", bad, Some(&admin))
            .await
            .0,
        422
    );
    assert!(
        app.db
            .store
            .demo_booking_by_reference(&TenantId::new(TENANT), &refused)
            .await
            .unwrap()
            .is_none(),
        "nothing booked for Bruno"
    );
    let (_, listed) = get(&app, TENANT, query, Some(&admin)).await;
    assert_eq!(listed["bookings"], json!([]), "nothing left to confirm");
    app.stop().await;
}
on_both_backends!(staff_bookings, staff_confirm_and_reject);
