//! The LLM backend against a mock chat-completions endpoint: answers checked, failures and
//! timeouts fall back, and the breaker stops asking a failing endpoint.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use hotel_domain::Language;
use hotel_nlp::{Entities, Intent, LlmConfig, LlmNlu, Nlu, NluContext, NluResult};
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The fallback: always `out_of_scope`, so a test can tell who answered.
#[derive(Debug)]
struct Fallback;

#[async_trait]
impl Nlu for Fallback {
    async fn parse(&self, _text: &str, _context: &NluContext) -> hotel_nlp::Result<NluResult> {
        Ok(NluResult {
            language: Language::Es,
            intent: Intent::OutOfScope,
            confidence: 0.2,
            entities: Entities::default(),
        })
    }
}

fn context() -> NluContext {
    NluContext::new(NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"))
}

fn chat(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "chatcmpl-1", "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]
    }))
}

fn backend(server: &MockServer, tweak: impl FnOnce(&mut LlmConfig)) -> LlmNlu {
    // reqwest is built without a process-wide TLS provider; the app passes a configured client.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut config = LlmConfig::new(format!("{}/v1/", server.uri()), "hotel-small");
    tweak(&mut config);
    LlmNlu::new(reqwest::Client::new(), config, Arc::new(Fallback))
}

#[tokio::test]
async fn a_valid_answer_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", "Bearer sk-local"))
        .and(body_partial_json(json!({"model": "hotel-small", "temperature": 0})))
        .respond_with(chat(
            "```json\n{\"language\":\"es\",\"intent\":\"check_availability\",\"confidence\":0.934,\
             \"entities\":{\"check_in\":\"2026-12-15\",\"check_out\":\"2026-12-17\",\"adults\":2,\"room_type\":\"double\"}}\n```",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let nlu = backend(&server, |c| c.api_key = Some("sk-local".to_owned().into()));
    let result = nlu
        .parse("tienen doble del 15 al 17 de diciembre para 2?", &context())
        .await
        .expect("parsed");
    assert_eq!(result.intent, Intent::CheckAvailability);
    assert_eq!(result.language, Language::Es);
    assert!((result.confidence - 0.93).abs() < 1e-6);
    assert_eq!(result.entities.adults, Some(2));
    assert_eq!(
        result.entities.check_out,
        NaiveDate::from_ymd_opt(2026, 12, 17)
    );
}

#[tokio::test]
async fn impossible_dates_are_dropped_and_a_forced_language_wins() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(chat(
            r#"{"language":"es","intent":"make_reservation","confidence":1.7,
                "entities":{"check_in":"2026-11-01","check_out":"2026-11-19","adults":2}}"#,
        ))
        .mount(&server)
        .await;
    let nlu = backend(&server, |_| {});
    let mut context = context();
    context.forced_language = Some(Language::Pt);
    let result = nlu.parse("quero reservar", &context).await.expect("parsed");
    assert_eq!(result.language, Language::Pt);
    assert!((result.confidence - 1.0).abs() < f32::EPSILON);
    assert_eq!(result.entities.check_in, None);
    assert_eq!(result.entities.check_out, None);
    assert_eq!(result.entities.adults, Some(2));
}

#[tokio::test]
async fn invalid_answers_fall_back() {
    for content in [
        "I think the guest wants a room",
        r#"{"language":"es","intent":"book_a_spaceship","confidence":0.9}"#,
        r#"{"language":"fr","intent":"greeting","confidence":0.9}"#,
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(chat(content))
            .mount(&server)
            .await;
        let result = backend(&server, |_| {})
            .parse("hola", &context())
            .await
            .expect("the fallback answers");
        assert_eq!(result.intent, Intent::OutOfScope, "{content}");
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"choices": []})))
        .mount(&server)
        .await;
    let result = backend(&server, |_| {})
        .parse("hola", &context())
        .await
        .expect("fallback");
    assert_eq!(result.intent, Intent::OutOfScope);
}

#[tokio::test]
async fn a_slow_endpoint_times_out_into_the_fallback() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            chat(r#"{"language":"en","intent":"greeting","confidence":0.9}"#)
                .set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;
    let nlu = backend(&server, |c| c.timeout = Duration::from_millis(100));
    let result = nlu.parse("hello", &context()).await.expect("fallback");
    assert_eq!(result.intent, Intent::OutOfScope);
}

#[tokio::test]
async fn the_breaker_stops_asking_a_failing_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let nlu = backend(&server, |c| {
        c.failure_threshold = 3;
        c.cooldown = Duration::from_secs(3600);
    });
    for _ in 0..6 {
        let result = nlu.parse("hola", &context()).await.expect("fallback");
        assert_eq!(result.intent, Intent::OutOfScope);
    }
    // Dropping the server checks the endpoint was asked exactly three times.
    drop(server);

    // With no cooldown the next message tries again, and a success closes the breaker.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(chat(
            r#"{"language":"en","intent":"thanks","confidence":0.8}"#,
        ))
        .with_priority(2)
        .mount(&server)
        .await;
    let nlu = backend(&server, |c| {
        c.failure_threshold = 1;
        c.cooldown = Duration::ZERO;
    });
    assert_eq!(
        nlu.parse("thanks", &context())
            .await
            .expect("fallback")
            .intent,
        Intent::OutOfScope
    );
    assert_eq!(
        nlu.parse("thanks", &context()).await.expect("llm").intent,
        Intent::Thanks
    );
}
