//! Every inbound message type through the real app, the 24-hour window, and media.

use hotel_domain::{Language, TenantId};
use hotel_orchestrator::{Catalogue, MessageKey};
use serde_json::{Value, json};

use crate::delivery::wait_for_status;
use crate::harness::*;
use crate::on_both_backends;

fn expected(key: MessageKey) -> String {
    Catalogue::builtin()
        .unwrap()
        .render(Language::Es, key, &[("hotel", "Demo Hotel")])
}

/// One message of each type Meta sends, with the reply key it should get (`None`: no reply).
fn every_type() -> Vec<(&'static str, Value, Option<MessageKey>)> {
    vec![
        (
            "image",
            json!({"type": "image", "image": {"id": "1001", "mime_type": "image/jpeg", "sha256": "aGFzaA=="}}),
            Some(MessageKey::AckImage),
        ),
        (
            "voice",
            json!({"type": "audio", "audio": {"id": "1002", "mime_type": "audio/ogg; codecs=opus", "voice": true}}),
            Some(MessageKey::AckAudio),
        ),
        (
            "video",
            json!({"type": "video", "video": {"id": "1003", "mime_type": "video/mp4"}}),
            Some(MessageKey::AckVideo),
        ),
        (
            "document",
            json!({"type": "document", "document": {"id": "1004", "mime_type": "application/pdf", "filename": "comprobante.pdf"}}),
            Some(MessageKey::AckDocument),
        ),
        (
            "sticker",
            json!({"type": "sticker", "sticker": {"id": "1005", "mime_type": "image/webp", "animated": false}}),
            Some(MessageKey::AckSticker),
        ),
        (
            "location",
            json!({"type": "location", "location": {"latitude": -34.6037, "longitude": -58.3816}}),
            Some(MessageKey::AckLocation),
        ),
        (
            "contacts",
            json!({"type": "contacts", "contacts": [{"name": {"formatted_name": "Marta Gómez"}, "phones": [{"phone": "+54 9 11 5555-1234", "type": "CELL"}]}]}),
            Some(MessageKey::AckContacts),
        ),
        (
            "unsupported",
            json!({"type": "unsupported", "unsupported": {"type": "poll_creation"}, "errors": [{"code": 131051, "title": "Message type unknown"}]}),
            Some(MessageKey::Unsupported),
        ),
        (
            "brand_new_type",
            json!({"type": "hologram", "hologram": {"id": "x"}}),
            Some(MessageKey::Unsupported),
        ),
        (
            "reaction",
            json!({"type": "reaction", "reaction": {"message_id": "wamid.ours", "emoji": "👍"}}),
            None,
        ),
        (
            "system",
            json!({"type": "system", "system": {"body": "changed number", "wa_id": "5491199990000", "type": "user_changed_number"}}),
            None,
        ),
    ]
}

async fn every_message_type_is_acknowledged_or_ignored(backend: hotel_store::Backend) {
    let app = TestApp::spawn(backend).await;
    accept_all_sends(&app.graph).await;
    let cases = every_type();
    for (i, (name, message, _)) in cases.iter().enumerate() {
        // One guest per type, so the replies can be told apart.
        let from = format!("54911000{i:05}");
        let body = message_webhook(
            &from,
            &format!("wamid.{name}"),
            &now_timestamp(),
            message.clone(),
        );
        assert_eq!(app.post_webhook(&body).await.status(), 200, "{name}");
    }
    // Then a text from every guest: its reply comes after the first message was handled.
    for i in 0..cases.len() {
        let from = format!("54911000{i:05}");
        let body = text_webhook(&[(&from, &format!("wamid.after.{i}"), "hola")]);
        assert_eq!(app.post_webhook(&body).await.status(), 200);
    }
    let expected_sends = cases.iter().filter(|(_, _, reply)| reply.is_some()).count() + cases.len();
    let sends = app.wait_for_sends(expected_sends).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let sends = if app.sends().await.len() == sends.len() {
        sends
    } else {
        app.sends().await
    };
    assert_eq!(sends.len(), expected_sends, "no extra replies");
    for (i, (name, _, reply)) in cases.iter().enumerate() {
        let from = format!("54911000{i:05}");
        let to_guest: Vec<String> = sends
            .iter()
            .map(body_json)
            .filter(|b| b["to"] == from.as_str())
            .map(|b| b["text"]["body"].as_str().unwrap_or_default().to_owned())
            .collect();
        match reply {
            Some(key) => {
                assert_eq!(
                    to_guest.len(),
                    2,
                    "{name}: an acknowledgement and a greeting"
                );
                assert_eq!(to_guest[0], expected(*key), "{name}");
            }
            None => assert_eq!(to_guest.len(), 1, "{name}: only the greeting"),
        }
    }
    app.stop().await;
}
on_both_backends!(
    every_message_type,
    every_message_type_is_acknowledged_or_ignored
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_are_kept_with_the_message() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    accept_all_sends(&app.graph).await;
    let body = message_webhook(
        "5491155550100",
        "wamid.pin",
        &now_timestamp(),
        json!({"type": "location", "location": {"latitude": "-34.6", "longitude": -58.38, "name": "Obelisco"}}),
    );
    app.post_webhook(&body).await;
    app.wait_for_sends(1).await;
    let store = &app.app.as_ref().unwrap().state.store;
    let stored = store
        .inbound_by_provider_id(&TenantId::new("default"), "wamid.pin")
        .await
        .unwrap()
        .unwrap();
    let Some(hotel_domain::Attachment::Location(point)) = stored.message.attachment else {
        panic!("a location: {:?}", stored.message.attachment)
    };
    assert_eq!(point.name.as_deref(), Some("Obelisco"));
    assert!((point.longitude + 58.38).abs() < 1e-9);
    app.stop().await;
}

async fn outside_the_window_a_template_is_sent(backend: hotel_store::Backend) {
    let app = TestApp::spawn(backend).await;
    accept_all_sends(&app.graph).await;
    // Meta delivers, late, a message the guest sent 25 hours ago: a free-form reply would fail
    // with 131047, so the configured template goes instead.
    let long_ago = (chrono::Utc::now() - chrono::Duration::hours(25))
        .timestamp()
        .to_string();
    let body = message_webhook(
        "5491155550200",
        "wamid.late",
        &long_ago,
        json!({"type": "text", "text": {"body": "hola"}}),
    );
    app.post_webhook(&body).await;
    let sends = app.wait_for_sends(1).await;
    let sent = body_json(&sends[0]);
    assert_eq!(sent["type"], "template", "{sent}");
    assert_eq!(sent["template"]["name"], "guest_followup");
    assert_eq!(sent["template"]["language"]["code"], "es");
    assert_eq!(
        sent["template"]["components"][0]["parameters"],
        json!([{"type": "text", "text": "Guest"}, {"type": "text", "text": "Demo Hotel"}])
    );
    app.stop().await;
}
on_both_backends!(
    template_outside_window,
    outside_the_window_a_template_is_sent
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outside_the_window_without_a_template_the_reply_is_a_dead_letter() {
    let app = TestApp::spawn_with(hotel_store::Backend::Sqlite, |s| {
        s.whatsapp.window_template = String::new();
    })
    .await;
    accept_all_sends(&app.graph).await;
    let long_ago = (chrono::Utc::now() - chrono::Duration::hours(30))
        .timestamp()
        .to_string();
    let body = message_webhook(
        "5491155550201",
        "wamid.late2",
        &long_ago,
        json!({"type": "text", "text": {"body": "hola"}}),
    );
    app.post_webhook(&body).await;
    let store = &app.app.as_ref().unwrap().state.store;
    let row = wait_for_status(store, &TenantId::new("default"), "dead").await;
    assert_eq!(row.error_code, Some(131_047));
    assert!(
        row.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("24-hour"),
        "{:?}",
        row.last_error
    );
    assert!(app.sends().await.is_empty());
    app.stop().await;
}

async fn guest_media_is_downloaded_and_kept_by_hash(backend: hotel_store::Backend) {
    use sha2::Digest;
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, ResponseTemplate};

    let app = TestApp::spawn(backend).await;
    accept_all_sends(&app.graph).await;
    let photo = b"\xff\xd8\xff\xe0 a small jpeg of a transfer receipt".to_vec();
    let sha = hex::encode(sha2::Sha256::digest(&photo));
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    Mock::given(method("GET"))
        .and(path("/778899"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "url": format!("{}/cdn/778899", app.graph.uri()),
            "mime_type": "image/jpeg",
            "sha256": sha,
            "file_size": photo.len(),
            "id": "778899"
        })))
        .mount(&app.graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/cdn/778899"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_raw(photo.clone(), "image/jpeg"))
        .mount(&app.graph)
        .await;
    let body = message_webhook(
        "5491155550300",
        "wamid.photo",
        &now_timestamp(),
        json!({"type": "image", "image": {"id": "778899", "mime_type": "image/jpeg", "caption": "el comprobante"}}),
    );
    app.post_webhook(&body).await;
    app.wait_for_sends(1).await;

    let store = &app.app.as_ref().unwrap().state.store;
    let inbound = store
        .inbound_by_provider_id(&TenantId::new("default"), "wamid.photo")
        .await
        .unwrap()
        .unwrap();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let record = loop {
        if let Some(record) = store.media_for_inbound(inbound.id).await.unwrap() {
            break record;
        }
        assert!(tokio::time::Instant::now() < deadline, "media not recorded");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(record.sha256, sha);
    assert_eq!(record.mime_type, "image/jpeg");
    let file = app
        .media_dir
        .path()
        .join("default")
        .join(&sha[..2])
        .join(&sha);
    assert_eq!(std::fs::read(file).unwrap(), photo);
    app.stop().await;
}
on_both_backends!(media_kept, guest_media_is_downloaded_and_kept_by_hash);

async fn a_long_message_arrives_as_two_in_order(backend: hotel_store::Backend) {
    let app = TestApp::spawn(backend).await;
    accept_all_sends(&app.graph).await;
    let guest = "5491155550400";
    app.post_webhook(&text_webhook(&[(guest, "wamid.long.q", "hola")]))
        .await;
    app.wait_for_sends(1).await;
    // A staff answer of 6,000 characters (accented, with an emoji per sentence).
    let sentence = "La habitación doble tiene vista al río y desayuno incluido 🌅. ";
    let long: String = sentence.repeat(6_000 / sentence.chars().count() + 1);
    let long: String = long.chars().take(6_000).collect();
    let state = app.app.as_ref().unwrap().state.clone();
    hotel_agent::workers::enqueue_messages(
        &state,
        &TenantId::new("default"),
        PHONE_NUMBER_ID,
        vec![hotel_domain::OutboundMessage::text(
            hotel_domain::WaId::new(guest),
            long.clone(),
        )],
    )
    .await
    .unwrap();
    let sends = app.wait_for_sends(3).await;
    let parts: Vec<String> = sends[1..]
        .iter()
        .map(|s| body_json(s)["text"]["body"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(parts.len(), 2);
    assert!(parts.iter().all(|p| p.chars().count() <= 4096));
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        squeeze(&parts.join(" ")),
        squeeze(&long),
        "in order, nothing lost"
    );
    app.stop().await;
}
on_both_backends!(long_message_split, a_long_message_arrives_as_two_in_order);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_than_three_choices_become_a_list_and_three_become_buttons() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    accept_all_sends(&app.graph).await;
    // A tapped option is routed by its id: "prices" is answered (in this release) with the help
    // text and its menu of six options, which WhatsApp shows as a list.
    let tap = message_webhook(
        "5491155550500",
        "wamid.tap",
        &now_timestamp(),
        json!({"type": "interactive", "context": {"from": "15550783881", "id": "wamid.out.menu"},
               "interactive": {"type": "list_reply", "list_reply": {"id": "intent:pricing", "title": "Tarifas"}}}),
    );
    app.post_webhook(&tap).await;
    let sends = app.wait_for_sends(1).await;
    let body = body_json(&sends[0]);
    assert_eq!(body["type"], "interactive", "{body}");
    let interactive = &body["interactive"];
    assert_eq!(interactive["type"], "list");
    assert_eq!(interactive["action"]["button"], "Ver opciones");
    let rows = interactive["action"]["sections"][0]["rows"]
        .as_array()
        .unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0]["id"], "intent:check_availability");
    assert!(
        interactive["body"]["text"]
            .as_str()
            .unwrap()
            .contains("disponibilidad")
    );

    // A message the assistant cannot place gets three topics: reply buttons.
    app.post_webhook(&text_webhook(&[(
        "5491155550501",
        "wamid.unclear",
        "zxqv blorp",
    )]))
    .await;
    let sends = app.wait_for_sends(2).await;
    let body = body_json(&sends[1]);
    assert_eq!(body["interactive"]["type"], "button", "{body}");
    let buttons = body["interactive"]["action"]["buttons"].as_array().unwrap();
    assert_eq!(buttons.len(), 3);
    assert_eq!(buttons[0]["reply"]["id"], "intent:check_availability");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_are_marked_read_with_typing_when_configured() {
    let app = TestApp::spawn_with(hotel_store::Backend::Sqlite, |s| {
        s.whatsapp.mark_read = true
    })
    .await;
    accept_all_sends(&app.graph).await;
    app.post_webhook(&text_webhook(&[("5491155550600", "wamid.read.me", "hola")]))
        .await;
    let sends = app.wait_for_sends(2).await;
    let read = body_json(&sends[0]);
    assert_eq!(
        read,
        json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.read.me",
               "typing_indicator": {"type": "text"}})
    );
    assert_eq!(body_json(&sends[1])["type"], "text");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_argentine_number_meta_refuses_is_answered_in_its_other_form() {
    use wiremock::matchers::{body_partial_json, method, path};
    use wiremock::{Mock, ResponseTemplate};

    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    Mock::given(method("POST"))
        .and(path(format!("/{PHONE_NUMBER_ID}/messages")))
        .and(body_partial_json(json!({"to": "5491155550700"})))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "(#131030) Recipient phone number not in allowed list",
            "type": "OAuthException", "code": 131030, "fbtrace_id": "Ax"}})))
        .mount(&app.graph)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/{PHONE_NUMBER_ID}/messages")))
        .and(body_partial_json(json!({"to": "541155550700"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp", "messages": [{"id": "wamid.out.ar"}]})))
        .mount(&app.graph)
        .await;
    app.post_webhook(&text_webhook(&[("5491155550700", "wamid.ar", "hola")]))
        .await;
    let store = &app.app.as_ref().unwrap().state.store;
    let row = wait_for_status(store, &TenantId::new("default"), "accepted").await;
    assert_eq!(row.provider_message_id.as_deref(), Some("wamid.out.ar"));
    let sends = app.sends().await;
    assert_eq!(sends.len(), 2);
    assert_eq!(body_json(&sends[1])["to"], "541155550700");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_timestamp_counts_from_arrival() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    accept_all_sends(&app.graph).await;
    let body = message_webhook(
        "5491155550800",
        "wamid.no.time",
        "yesterday-ish",
        json!({"type": "text", "text": {"body": "hola"}}),
    );
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    let sends = app.wait_for_sends(1).await;
    assert_eq!(body_json(&sends[0])["type"], "text", "the window is open");
    app.stop().await;
}
