use std::time::Duration;

use hotel_domain::{OutboundMessage, WaId};
use hotel_whatsapp::{
    CloudApiClient, Credentials, ErrorClass, GraphError, MessageSender, RateLimit, SendError,
};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PHONE_NUMBER_ID: &str = "106540352242922";
const TOKEN: &str = "EAAG-test-token";

fn credentials() -> Credentials {
    Credentials::new(PHONE_NUMBER_ID, TOKEN)
}

fn client(server: &MockServer) -> CloudApiClient {
    CloudApiClient::new(&format!("{}/v23.0/", server.uri()), Duration::from_secs(5)).unwrap()
}

fn message() -> OutboundMessage {
    OutboundMessage::text(WaId::new("5491155550000"), "Tenemos una doble libre.")
}

fn graph_error(code: i64, message: &str) -> serde_json::Value {
    json!({"error":{"message":message,"type":"OAuthException","code":code,
        "error_data":{"messaging_product":"whatsapp","details":"details"},"fbtrace_id":"AbCdEf123"}})
}

/// A server that answers every send with `response`.
async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v23.0/{PHONE_NUMBER_ID}/messages")))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn sends_the_documented_request_and_returns_the_wamid() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v23.0/{PHONE_NUMBER_ID}/messages")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "5491155550000",
            "type": "text",
            "text": {"body": "Tenemos una doble libre.", "preview_url": false},
            "context": {"message_id": "wamid.guest"},
            "biz_opaque_callback_data": "outbox-42"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": "5491155550000", "wa_id": "5491155550000"}],
            "messages": [{"id": "wamid.HBgLNTQ5MTE1NTU1MDAwMBUCABEYEjA="}]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let mut reply = message();
    reply.reply_to = Some("wamid.guest".into());
    let receipt = client(&server)
        .send(&credentials(), &reply, Some("outbox-42"))
        .await
        .unwrap();
    assert_eq!(
        receipt.provider_message_id,
        "wamid.HBgLNTQ5MTE1NTU1MDAwMBUCABEYEjA="
    );
}

#[tokio::test]
async fn optional_fields_are_left_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_json(json!({
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": "5491155550000",
            "type": "text", "text": {"body": "Tenemos una doble libre.", "preview_url": false}
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"messages":[{"id":"wamid.1"}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let receipt = client(&server)
        .send(&credentials(), &message(), None)
        .await
        .unwrap();
    assert_eq!(receipt.provider_message_id, "wamid.1");
}

#[tokio::test]
async fn pair_rate_limit_on_http_400_is_retryable() {
    let body = graph_error(
        131_056,
        "(#131056) (Business Account, Consumer Account) pair rate limit hit",
    );
    let server = answering(ResponseTemplate::new(400).set_body_json(body)).await;
    let error = client(&server)
        .send(&credentials(), &message(), None)
        .await
        .unwrap_err();
    assert_eq!(
        error,
        SendError::Api {
            http_status: 400,
            error: GraphError {
                code: 131_056,
                subcode: None,
                kind: Some("OAuthException".into()),
                message: "(#131056) (Business Account, Consumer Account) pair rate limit hit"
                    .into(),
                details: Some("details".into()),
                fbtrace_id: Some("AbCdEf123".into()),
            },
        }
    );
    assert!(error.is_retryable());
    assert_eq!(
        error.class(),
        Some(ErrorClass::RateLimited(RateLimit::Pair))
    );
    assert_eq!(error.min_retry_delay(1), Some(Duration::from_secs(4)));
}

#[tokio::test]
async fn closed_window_is_not_retryable() {
    let server = answering(
        ResponseTemplate::new(400).set_body_json(graph_error(131_047, "Re-engagement message")),
    )
    .await;
    let error = client(&server)
        .send(&credentials(), &message(), None)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(131_047));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn server_error_without_body_is_retryable() {
    let server = answering(ResponseTemplate::new(500)).await;
    let error = client(&server)
        .send(&credentials(), &message(), None)
        .await
        .unwrap_err();
    assert_eq!(error, SendError::Http { http_status: 500 });
    assert!(error.is_retryable());
}

#[tokio::test]
async fn expired_token_is_not_retryable_and_not_leaked() {
    let body = graph_error(190, "Error validating access token: Session has expired");
    let server = answering(ResponseTemplate::new(401).set_body_json(body)).await;
    let error = client(&server)
        .send(&credentials(), &message(), None)
        .await
        .unwrap_err();
    assert_eq!((error.code(), error.http_status()), (Some(190), Some(401)));
    assert!(!error.is_retryable());
    assert!(!format!("{error} {error:?}").contains(TOKEN));
}

#[tokio::test]
async fn slow_answer_is_a_retryable_timeout() {
    let server = answering(
        ResponseTemplate::new(200)
            .set_body_json(json!({"messages":[{"id":"wamid.late"}]}))
            .set_delay(Duration::from_secs(3)),
    )
    .await;
    let client = CloudApiClient::new(
        &format!("{}/v23.0", server.uri()),
        Duration::from_millis(200),
    )
    .unwrap();
    let error = client
        .send(&credentials(), &message(), None)
        .await
        .unwrap_err();
    assert_eq!(error, SendError::Timeout);
    assert!(error.is_retryable());
}

#[tokio::test]
async fn success_without_an_id_is_an_invalid_response() {
    let server = answering(
        ResponseTemplate::new(200).set_body_json(json!({"messaging_product":"whatsapp"})),
    )
    .await;
    let error = client(&server)
        .send(&credentials(), &message(), None)
        .await
        .unwrap_err();
    assert!(matches!(error, SendError::InvalidResponse(_)), "{error:?}");
    assert!(!error.is_retryable());
    let server = answering(ResponseTemplate::new(200).set_body_string("<html>ok</html>")).await;
    let error = client(&server)
        .send(&credentials(), &message(), None)
        .await
        .unwrap_err();
    assert!(matches!(error, SendError::InvalidResponse(_)), "{error:?}");
}

#[tokio::test]
async fn html_error_page_is_a_plain_http_error() {
    let server =
        answering(ResponseTemplate::new(404).set_body_string("<html>not found</html>")).await;
    let error = client(&server)
        .send(&credentials(), &message(), None)
        .await
        .unwrap_err();
    assert_eq!(error, SendError::Http { http_status: 404 });
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn refused_connection_is_a_retryable_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client =
        CloudApiClient::new(&format!("http://{address}/v23.0"), Duration::from_secs(2)).unwrap();
    let error = client
        .send(&credentials(), &message(), None)
        .await
        .unwrap_err();
    assert!(matches!(error, SendError::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn https_handshakes_with_the_built_in_provider() {
    use tokio::io::AsyncReadExt;
    // A TCP server that reads the ClientHello and hangs up: the client must get as far as a TLS
    // handshake (so its crypto provider works) and report a transport error, not panic.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut hello = [0u8; 5];
        socket.read_exact(&mut hello).await.unwrap();
        hello
    });
    let client =
        CloudApiClient::new(&format!("https://{address}/v23.0"), Duration::from_secs(2)).unwrap();
    let error = client
        .send(&credentials(), &message(), None)
        .await
        .unwrap_err();
    assert!(matches!(error, SendError::Transport(_)), "{error:?}");
    let record = server.await.unwrap();
    assert_eq!(record[0], 0x16, "a TLS handshake record");
    // The crate never installs a process-wide crypto provider.
    assert!(rustls::crypto::CryptoProvider::get_default().is_none());
}
