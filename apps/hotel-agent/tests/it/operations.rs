//! Health, metrics and request ids.

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_endpoints() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    let live = app
        .http
        .get(format!("{}/health/live", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), 200);
    assert_eq!(
        live.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({"status": "alive"})
    );
    let ready = app
        .http
        .get(format!("{}/health/ready", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let json: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(json["ready"], true);
    assert_eq!(json["checks"]["database"], "ok");
    assert_eq!(json["checks"]["redis"], "disabled");
    assert_eq!(json["checks"]["pms"], "ok");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_reports_redis_when_configured() {
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let app = TestApp::spawn_with(hotel_store::Backend::Postgres, |s| s.redis.url = redis).await;
    let ready = app
        .http
        .get(format!("{}/health/ready", app.address))
        .send()
        .await
        .unwrap();
    let json: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(json["checks"]["redis"], "ok", "{json}");
    assert_eq!(json["checks"]["database"], "ok");
    // And the whole path works on PostgreSQL + Redis.
    accept_all_sends(&app.graph).await;
    app.post_webhook(&text_webhook(&[("5491155553000", "wamid.redis.1", "hi")]))
        .await;
    app.wait_for_sends(1).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_fails_when_redis_is_unreachable() {
    let app = TestApp::spawn_with(hotel_store::Backend::Sqlite, |s| {
        s.redis.url = "redis://127.0.0.1:1".into()
    })
    .await;
    let ready = app
        .http
        .get(format!("{}/health/ready", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    let json: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(json["ready"], false);
    assert!(
        json["checks"]["redis"]
            .as_str()
            .unwrap()
            .starts_with("error"),
        "{json}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_exposed_to_allowed_ips_only() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    app.post_webhook(&status_webhook("wamid.m.1", "sent", None))
        .await;
    let metrics = app
        .http
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.unwrap();
    assert!(text.contains("webhooks_total"), "{text}");
    assert!(text.contains("http_requests_total"), "{text}");
    app.stop().await;

    let app = TestApp::spawn_with(hotel_store::Backend::Sqlite, |s| {
        s.server.metrics_allowed_ips = vec!["10.1.2.3".parse().unwrap()];
    })
    .await;
    let denied = app
        .http
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    let json: serde_json::Value = denied.json().await.unwrap();
    assert_eq!(json["error"]["code"], "forbidden");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_ids_are_taken_or_generated_and_returned() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    let given = app
        .http
        .get(format!("{}/health/live", app.address))
        .header("X-Request-ID", "req-abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "req-abc-123");
    let generated = app
        .http
        .get(format!("{}/health/live", app.address))
        .send()
        .await
        .unwrap();
    let id = generated.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!id.is_empty() && id != "req-abc-123");
    let missing = app
        .http
        .get(format!("{}/nope", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().contains_key("x-request-id"));
    let json: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(json["error"]["code"], "not_found");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_checks_the_qloapps_webservice() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let qlo = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/hotels/3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"hotel": {"id": 3, "hotel_name": "Hotel del Río", "active": "1"}}),
        ))
        .up_to_n_times(1)
        .mount(&qlo)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&qlo)
        .await;
    let uri = qlo.uri();
    let app = TestApp::spawn_with(hotel_store::Backend::Sqlite, |s| {
        s.pms.kind = hotel_agent::settings::PmsKind::Qloapps;
        s.pms.base_url = uri;
        s.pms.api_key = "0123456789ABCDEF0123456789ABCDEF".into();
        s.pms.hotel_id = 3;
        s.pms.currency = "USD".into();
    })
    .await;
    let ready = |app: &TestApp| app.http.get(format!("{}/health/ready", app.address)).send();
    let first = ready(&app).await.unwrap();
    assert_eq!(first.status(), 200);
    let json: serde_json::Value = first.json().await.unwrap();
    assert_eq!(json["checks"]["pms"], "ok");
    // The webservice now fails: not ready, and the reason never shows the key.
    let second = ready(&app).await.unwrap();
    assert_eq!(second.status(), 503);
    let text = second.text().await.unwrap();
    assert!(!text.contains("0123456789ABCDEF"), "{text}");
    app.stop().await;
}
