//! `POST /api/v1/nlp/parse`: the NLU over HTTP, its validation and, in production, its token.

use hotel_agent::auth::{Claims, issue};
use hotel_agent::settings::Environment;
use serde_json::Value;

use crate::harness::*;

const JWT_SECRET: &str = "a-jwt-secret-for-tests-0123456789abcdef";

async fn post(app: &TestApp, body: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = app
        .http
        .post(format!("{}/api/v1/nlp/parse", app.address))
        .header("Content-Type", "application/json")
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parses_a_message_in_development() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    let (status, body) = post(
        &app,
        r#"{"text":"hola, buenas tardes","lang":"es","reference_date":"2026-11-20"}"#,
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["language"], "es");
    assert_eq!(body["intent"], "greeting");
    let confidence = body["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence));
    assert!(body["entities"].is_object());
    // Language identified when not given; unknown fields are ignored.
    let (status, body) = post(&app, r#"{"text":"good morning!","extra":1}"#, None).await;
    assert_eq!(status, 200);
    assert_eq!(body["language"], "en");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_clear_errors() {
    let app = TestApp::spawn(hotel_store::Backend::Sqlite).await;
    let long = format!(r#"{{"text":"{}"}}"#, "a".repeat(4097));
    let cases: [(&str, u16, &str); 7] = [
        ("{not json", 400, "invalid_json"),
        (r#"{"text": 5}"#, 400, "invalid_json"),
        ("{}", 422, "invalid_request"),
        (r#"{"text":"   "}"#, 422, "invalid_request"),
        (r#"{"text":"hola","lang":"fr"}"#, 422, "invalid_request"),
        (
            r#"{"text":"hola","reference_date":"20/11/2026"}"#,
            422,
            "invalid_request",
        ),
        (&long, 422, "invalid_request"),
    ];
    for (body, expected_status, code) in cases {
        let (status, answer) = post(&app, body, None).await;
        assert_eq!(status, expected_status, "{body:.60}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{body:.60}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let response = app
        .http
        .post(format!("{}/api/v1/nlp/parse", app.address))
        .header("Content-Type", "text/plain")
        .body("hola")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_requires_a_valid_bearer_token() {
    let app = TestApp::spawn_with(hotel_store::Backend::Sqlite, |s| {
        s.server.environment = Environment::Production;
        s.auth.jwt_secret = JWT_SECRET.into();
        s.auth.encryption_key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=".into();
    })
    .await;
    let body = r#"{"text":"oi, tudo bem?"}"#;
    let (status, answer) = post(&app, body, None).await;
    assert_eq!(status, 401);
    assert_eq!(answer["error"]["code"], "unauthorized");
    let (status, _) = post(&app, body, Some("not-a-token")).await;
    assert_eq!(status, 401);

    let now = chrono::Utc::now().timestamp();
    let claims = Claims {
        sub: "ops".into(),
        role: "admin".into(),
        tenants: vec![],
        iat: now,
        exp: now + 300,
    };
    let token = issue(JWT_SECRET.as_bytes(), &claims).unwrap();
    let (status, answer) = post(&app, body, Some(&token)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["language"], "pt");
    let expired = issue(
        JWT_SECRET.as_bytes(),
        &Claims {
            exp: now - 1,
            ..claims
        },
    )
    .unwrap();
    assert_eq!(post(&app, body, Some(&expired)).await.0, 401);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_llm_backend_answers_and_falls_back_to_the_builtin_engine() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let llm = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "choices": [{"message": {"role": "assistant",
                "content": "{\"language\":\"en\",\"intent\":\"airport_transfer\",\"confidence\":0.88,\"entities\":{}}"}}]
        })))
        .up_to_n_times(1)
        .mount(&llm)
        .await;
    let uri = llm.uri();
    let app = TestApp::spawn_with(hotel_store::Backend::Sqlite, |s| {
        s.nlp.backend = hotel_agent::settings::NlpBackend::Llm;
        s.nlp.llm_base_url = format!("{uri}/v1");
        s.nlp.llm_model = "local".into();
    })
    .await;
    let (status, body) = post(&app, r#"{"text":"do you pick up at the airport?"}"#, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["intent"], "airport_transfer");
    // The endpoint now answers 404: the built-in engine answers instead.
    let (status, body) = post(&app, r#"{"text":"hello, good morning"}"#, None).await;
    assert_eq!(status, 200);
    assert_eq!(body["language"], "en");
    assert_eq!(body["intent"], "greeting");
    app.stop().await;
}
