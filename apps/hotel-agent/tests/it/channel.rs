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
