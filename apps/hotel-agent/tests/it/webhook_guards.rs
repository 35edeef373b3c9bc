//! The webhook's guards: verification, signatures, content type, size, JSON.

use crate::harness::*;

fn url(app: &TestApp) -> String {
    format!("{}/webhooks/whatsapp", app.address)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_handshake() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    let get = |query: String| {
        let http = app.http.clone();
        let url = format!("{}?{query}", url(&app));
        async move { http.get(url).send().await.unwrap() }
    };
    let ok = get(format!(
        "hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444"
    ))
    .await;
    assert_eq!(ok.status(), 200);
    assert!(
        ok.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(ok.text().await.unwrap(), "1158201444");
    for query in [
        "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1".to_owned(),
        format!("hub.mode=unsubscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"),
        format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}"),
        "hub.challenge=1".to_owned(),
        String::new(),
    ] {
        assert_eq!(get(query.clone()).await.status(), 403, "{query}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_signature_failure_is_401_and_nothing_is_stored() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    accept_all_sends(&app.graph).await;
    let body = text_webhook(&[("5491155551000", "wamid.sig.1", "hola")]);
    let other = text_webhook(&[("5491155551000", "wamid.sig.2", "chau")]);
    let good = hotel_whatsapp::sign(APP_SECRET.as_bytes(), &body);
    let cases: Vec<Option<String>> = vec![
        None,
        Some("sha256=0000000000000000000000000000000000000000000000000000000000000000".into()),
        Some("dummy-signature".into()),
        Some(hotel_whatsapp::sign(APP_SECRET.as_bytes(), &other)),
        Some(hotel_whatsapp::sign(b"another-app-secret", &body)),
        Some(good.trim_start_matches("sha256=").to_owned()),
        Some(String::new()),
    ];
    for signature in cases {
        let mut request = app
            .http
            .post(url(&app))
            .header("Content-Type", "application/json")
            .body(body.clone());
        if let Some(signature) = &signature {
            request = request.header("X-Hub-Signature-256", signature);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{signature:?}");
        let json: serde_json::Value = response.json().await.unwrap();
        assert!(json["error"]["code"].is_string());
    }
    // Upper-case hex is the same signature.
    let upper = format!(
        "sha256={}",
        good.trim_start_matches("sha256=").to_uppercase()
    );
    let response = app
        .http
        .post(url(&app))
        .header("Content-Type", "application/json")
        .header("X-Hub-Signature-256", upper)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // Only the accepted delivery was stored and answered.
    app.wait_for_sends(1).await;
    let tenant = hotel_domain::TenantId::new("default");
    let store = &app.app.as_ref().unwrap().state.store;
    assert!(
        store
            .inbound_by_provider_id(&tenant, "wamid.sig.1")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .inbound_by_provider_id(&tenant, "wamid.sig.2")
            .await
            .unwrap()
            .is_none()
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_type_size_and_json_guards() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    let body = text_webhook(&[("5491155552000", "wamid.guard.1", "hola")]);
    let signature = hotel_whatsapp::sign(APP_SECRET.as_bytes(), &body);
    let post = |content_type: Option<&str>, body: Vec<u8>| {
        let signature = hotel_whatsapp::sign(APP_SECRET.as_bytes(), &body);
        let mut request = app
            .http
            .post(url(&app))
            .header("X-Hub-Signature-256", signature)
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        request.send()
    };
    assert_eq!(
        post(Some("text/plain"), body.clone())
            .await
            .unwrap()
            .status(),
        415
    );
    assert_eq!(post(None, body.clone()).await.unwrap().status(), 415);
    assert_eq!(
        post(Some("application/x-www-form-urlencoded"), body.clone())
            .await
            .unwrap()
            .status(),
        415
    );
    assert_eq!(
        post(Some("application/json; charset=utf-8"), body.clone())
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        post(Some("Application/JSON"), body.clone())
            .await
            .unwrap()
            .status(),
        200
    );
    let _ = signature;

    // 3 MiB is accepted as a size; one byte more is not.
    let mut big = b"{\"object\":\"whatsapp_business_account\",\"entry\":[],\"pad\":\"".to_vec();
    big.resize(3 * 1024 * 1024 - 2, b'a');
    big.extend_from_slice(b"\"}");
    assert_eq!(
        post(Some("application/json"), big.clone())
            .await
            .unwrap()
            .status(),
        200
    );
    let mut too_big = big.clone();
    too_big.insert(too_big.len() - 2, b'a');
    let response = post(Some("application/json"), too_big.clone())
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["error"]["code"], "payload_too_large");

    // A chunked body (no Content-Length) over the limit is refused too.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        too_big.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let stream = futures::stream::iter(chunks);
    let response = app
        .http
        .post(url(&app))
        .header("Content-Type", "application/json")
        .header(
            "X-Hub-Signature-256",
            hotel_whatsapp::sign(APP_SECRET.as_bytes(), &too_big),
        )
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await;
    // The server may close the connection while the client still streams; either way no 2xx.
    if let Ok(response) = response {
        assert_eq!(response.status(), 413);
    }

    // Signed but not JSON: 400 with the stable error shape.
    let response = post(Some("application/json"), b"{not json".to_vec())
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["error"]["code"], "invalid_json");
    app.stop().await;
}
