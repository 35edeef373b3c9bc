//! The durable path: one text → exactly one reply, whatever Meta and the process do.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::harness::*;
use crate::on_both_backends;

async fn one_text_gets_one_reply(backend: hotel_store::Backend) {
    let app = TestApp::spawn(backend).await;
    accept_all_sends(&app.graph).await;
    let response = app
        .post_webhook(&text_webhook(&[(
            "5491155550000",
            "wamid.in.1",
            "hola, buenas!",
        )]))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap(),
        json!({"status": "ok"})
    );
    let sends = app.wait_for_sends(1).await;
    let send = &sends[0];
    assert_eq!(send.url.path(), format!("/{PHONE_NUMBER_ID}/messages"));
    assert_eq!(
        send.headers.get("authorization").unwrap().to_str().unwrap(),
        format!("Bearer {ACCESS_TOKEN}")
    );
    let body = body_json(send);
    assert_eq!(body["messaging_product"], "whatsapp");
    assert_eq!(body["to"], "5491155550000");
    assert_eq!(body["type"], "text");
    let text = body["text"]["body"].as_str().unwrap();
    assert!(
        text.contains("Demo Hotel"),
        "greeting names the hotel: {text}"
    );
    app.stop().await;
}
on_both_backends!(one_text_one_reply, one_text_gets_one_reply);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_in_the_guests_language() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    accept_all_sends(&app.graph).await;
    let guests = [
        ("111", "hola, buen día"),
        ("222", "hello there, good morning"),
        ("333", "oi, bom dia! tudo bem?"),
    ];
    for (i, (from, text)) in guests.iter().enumerate() {
        let id = format!("wamid.lang.{i}");
        assert_eq!(
            app.post_webhook(&text_webhook(&[(from, &id, text)]))
                .await
                .status(),
            200
        );
    }
    let sends = app.wait_for_sends(3).await;
    let reply_to = |guest: &str| {
        sends
            .iter()
            .map(body_json)
            .find(|b| b["to"] == guest)
            .map(|b| b["text"]["body"].as_str().unwrap_or_default().to_owned())
            .unwrap()
    };
    let (es, en, pt) = (reply_to("111"), reply_to("222"), reply_to("333"));
    assert_ne!(es, en);
    assert_ne!(en, pt);
    assert_ne!(es, pt);
    assert!(en.to_lowercase().contains("help"), "{en}");
    app.stop().await;
}

async fn retried_deliveries_are_answered_once(backend: hotel_store::Backend) {
    let app = TestApp::spawn(backend).await;
    accept_all_sends(&app.graph).await;
    let payload = text_webhook(&[("5491155550001", "wamid.dup.1", "hola")]);
    for _ in 0..3 {
        assert_eq!(app.post_webhook(&payload).await.status(), 200);
    }
    // A later message of the same guest is answered after the first: once it is, every earlier
    // reply has been sent.
    app.post_webhook(&text_webhook(&[("5491155550001", "wamid.dup.2", "hello")]))
        .await;
    app.wait_for_sends(2).await;
    let sends = app.sends().await;
    assert_eq!(
        sends.len(),
        2,
        "three copies of one message and one other message: two replies"
    );
    app.stop().await;
}
on_both_backends!(duplicates_dropped, retried_deliveries_are_answered_once);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_messages_in_one_payload_get_three_replies() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    accept_all_sends(&app.graph).await;
    let payload = text_webhook(&[
        ("5491100000001", "wamid.multi.1", "hola"),
        ("5491100000002", "wamid.multi.2", "hi"),
        ("5491100000001", "wamid.multi.3", "tienen lugar?"),
    ]);
    assert_eq!(app.post_webhook(&payload).await.status(), 200);
    let sends = app.wait_for_sends(3).await;
    let mut recipients: Vec<String> = sends
        .iter()
        .map(|s| body_json(s)["to"].as_str().unwrap_or_default().to_owned())
        .collect();
    recipients.sort();
    assert_eq!(
        recipients,
        ["5491100000001", "5491100000001", "5491100000002"]
    );
    app.stop().await;
}

async fn transient_graph_errors_are_retried_and_delivered_once(backend: hotel_store::Backend) {
    let app = TestApp::spawn(backend).await;
    // First a 500, then a throughput limit (HTTP 400 carrying code 130429), then success.
    Mock::given(method("POST"))
        .and(path(format!("/{PHONE_NUMBER_ID}/messages")))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&app.graph)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/{PHONE_NUMBER_ID}/messages")))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "(#130429) Rate limit hit", "type": "OAuthException", "code": 130429, "fbtrace_id": "Ab"}})))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&app.graph)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/{PHONE_NUMBER_ID}/messages")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp", "messages": [{"id": "wamid.out.ok"}]})))
        .with_priority(3)
        .mount(&app.graph)
        .await;
    app.post_webhook(&text_webhook(&[("5491155550002", "wamid.retry.1", "hola")]))
        .await;
    app.wait_for_sends(3).await;
    let store = &app.app.as_ref().unwrap().state.store;
    let tenant = hotel_domain::TenantId::new("default");
    let row = wait_for_status(store, &tenant, "accepted").await;
    assert_eq!(row.provider_message_id.as_deref(), Some("wamid.out.ok"));
    assert_eq!(row.attempts, 3);
    // Meta reports delivery: the row becomes final.
    app.post_webhook(&status_webhook("wamid.out.ok", "sent", None))
        .await;
    app.post_webhook(&status_webhook("wamid.out.ok", "delivered", None))
        .await;
    wait_for_status(store, &tenant, "delivered").await;
    assert_eq!(app.sends().await.len(), 3);
    app.stop().await;
}
on_both_backends!(
    transient_errors_retried,
    transient_graph_errors_are_retried_and_delivered_once
);

pub async fn wait_for_status(
    store: &hotel_store::Store,
    tenant: &hotel_domain::TenantId,
    status: &str,
) -> hotel_store::OutboundRecord {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let rows = store.list_outbound(tenant, 10).await.unwrap();
        if let Some(row) = rows.into_iter().find(|r| r.status == status) {
            return row;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no outbound row reached {status}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permanent_errors_become_dead_letters_after_one_try() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "(#131047) Re-engagement message", "type": "OAuthException", "code": 131047}})))
        .mount(&app.graph)
        .await;
    app.post_webhook(&text_webhook(&[("5491155550003", "wamid.dead.1", "hola")]))
        .await;
    let store = &app.app.as_ref().unwrap().state.store;
    let row = wait_for_status(store, &hotel_domain::TenantId::new("default"), "dead").await;
    assert_eq!(row.attempts, 1);
    assert_eq!(row.error_code, Some(131047));
    assert_eq!(app.sends().await.len(), 1);
    app.stop().await;
}

async fn a_restart_between_inbox_and_delivery_delivers_once(backend: hotel_store::Backend) {
    // The first instance stores the message and dies before any worker runs.
    let mut app = TestApp::spawn_with(backend, |s| s.workers.enabled = false).await;
    accept_all_sends(&app.graph).await;
    assert_eq!(
        app.post_webhook(&text_webhook(&[("5491155550004", "wamid.crash.1", "hola")]))
            .await
            .status(),
        200
    );
    assert!(app.sends().await.is_empty());
    app.restart_with(|_| {}).await;
    app.wait_for_sends(1).await;
    // Meta retries the same delivery after the restart: still one reply.
    assert_eq!(
        app.post_webhook(&text_webhook(&[("5491155550004", "wamid.crash.1", "hola")]))
            .await
            .status(),
        200
    );
    app.post_webhook(&text_webhook(&[(
        "5491155550004",
        "wamid.crash.2",
        "gracias",
    )]))
    .await;
    app.wait_for_sends(2).await;
    assert_eq!(app.sends().await.len(), 2);
    app.stop().await;
}
on_both_backends!(
    restart_delivers_once,
    a_restart_between_inbox_and_delivery_delivers_once
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_callbacks_send_nothing() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    accept_all_sends(&app.graph).await;
    let failed = json!([{"code": 131047, "title": "Re-engagement message",
        "error_data": {"details": "more than 24 hours"}}]);
    for (status, errors) in [
        ("sent", None),
        ("delivered", None),
        ("read", None),
        ("failed", Some(failed)),
    ] {
        let response = app
            .post_webhook(&status_webhook("wamid.unknown.1", status, errors))
            .await;
        assert_eq!(response.status(), 200);
    }
    // A message after the statuses is answered; by then any reply to a status would have gone too.
    app.post_webhook(&text_webhook(&[("5491155550005", "wamid.after.1", "hola")]))
        .await;
    app.wait_for_sends(1).await;
    assert_eq!(app.sends().await.len(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_to_an_unknown_number_is_acknowledged_and_never_answered() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    accept_all_sends(&app.graph).await;
    let stranger = text_webhook_for(
        "999999999999999",
        &[("5491155550006", "wamid.stranger.1", "hola")],
    );
    assert_eq!(app.post_webhook(&stranger).await.status(), 200);
    app.post_webhook(&text_webhook(&[("5491155550006", "wamid.known.1", "hola")]))
        .await;
    let sends = app.wait_for_sends(1).await;
    assert_eq!(sends.len(), 1);
    assert_eq!(sends[0].url.path(), format!("/{PHONE_NUMBER_ID}/messages"));
    app.stop().await;
}
