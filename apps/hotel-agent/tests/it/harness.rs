use std::sync::Arc;
use std::time::Duration;

use hotel_agent::{Application, RunningApplication, Settings};
use hotel_domain::SystemClock;
use hotel_store::Backend;
use hotel_store::testing::{TestStore, test_store};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const APP_SECRET: &str = "test-app-secret-0123456789";
pub const VERIFY_TOKEN: &str = "test-verify-token-0123";
pub const ACCESS_TOKEN: &str = "test-access-token-0123456789";
pub const PHONE_NUMBER_ID: &str = "106540352242922";

pub struct TestApp {
    pub app: Option<RunningApplication>,
    pub address: String,
    pub graph: MockServer,
    pub db: TestStore,
    pub http: reqwest::Client,
    /// Where this instance keeps guest media (deleted with the test).
    pub media_dir: tempfile::TempDir,
}

pub fn settings_for(db_url: &str, graph_uri: &str) -> Settings {
    let mut settings = Settings::default();
    settings.server.bind = "127.0.0.1:0".into();
    settings.server.http_workers = 1;
    settings.database.url = db_url.to_owned();
    settings.database.max_connections = 4;
    settings.whatsapp.api_base = graph_uri.to_owned();
    settings.whatsapp.app_secret = APP_SECRET.into();
    settings.whatsapp.verify_token = VERIFY_TOKEN.into();
    settings.whatsapp.access_token = ACCESS_TOKEN.into();
    settings.whatsapp.phone_number_id = PHONE_NUMBER_ID.into();
    settings.whatsapp.request_timeout_secs = 5;
    settings.workers.poll_interval_ms = 50;
    settings.workers.retry_base_ms = 20;
    settings.workers.retry_max_ms = 200;
    settings
}

/// Answers every send with a fresh wamid.
pub async fn accept_all_sends(graph: &MockServer) {
    Mock::given(method("POST"))
        .and(path(format!("/{PHONE_NUMBER_ID}/messages")))
        .respond_with(|req: &wiremock::Request| {
            let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
            let to = body["to"].as_str().unwrap_or_default().to_owned();
            ResponseTemplate::new(200).set_body_json(json!({
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": format!("wamid.out.{}", uuid::Uuid::new_v4().simple())}]
            }))
        })
        .mount(graph)
        .await;
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let db = test_store(backend).await;
        let graph = MockServer::start().await;
        let media_dir = tempfile::tempdir().expect("media dir");
        let mut settings = settings_for(&db.url, &graph.uri());
        settings.whatsapp.media_dir = media_dir.path().display().to_string();
        tweak(&mut settings);
        let app = Application::build(settings, Arc::new(SystemClock))
            .await
            .expect("app builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        TestApp {
            app: Some(app.start()),
            address,
            graph,
            db,
            http: reqwest::Client::new(),
            media_dir,
        }
    }

    /// Stops this instance and starts a new one on the same database and Graph mock (a restart).
    pub async fn restart_with(&mut self, tweak: impl FnOnce(&mut Settings)) {
        if let Some(app) = self.app.take() {
            app.stop().await;
        }
        let mut settings = settings_for(&self.db.url, &self.graph.uri());
        settings.whatsapp.media_dir = self.media_dir.path().display().to_string();
        tweak(&mut settings);
        let app = Application::build(settings, Arc::new(SystemClock))
            .await
            .expect("app rebuilds");
        self.address = format!("http://127.0.0.1:{}", app.port());
        let _ = rustls::crypto::ring::default_provider().install_default();
        self.app = Some(app.start());
    }

    pub async fn post_webhook(&self, body: &[u8]) -> reqwest::Response {
        let signature = hotel_whatsapp::sign(APP_SECRET.as_bytes(), body);
        self.http
            .post(format!("{}/webhooks/whatsapp", self.address))
            .header("Content-Type", "application/json")
            .header("X-Hub-Signature-256", signature)
            .body(body.to_vec())
            .send()
            .await
            .expect("request sent")
    }

    /// Waits (polling, with a deadline) until the Graph mock has received `n` requests, and returns them.
    pub async fn wait_for_sends(&self, n: usize) -> Vec<wiremock::Request> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let sends = self.sends().await;
            if sends.len() >= n {
                return sends;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "expected {n} sends, got {}",
                sends.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn sends(&self) -> Vec<wiremock::Request> {
        self.graph
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path().ends_with("/messages"))
            .collect()
    }

    pub async fn stop(mut self) {
        if let Some(app) = self.app.take() {
            app.stop().await;
        }
    }
}

/// A text message webhook in Meta's format.
pub fn text_webhook(messages: &[(&str, &str, &str)]) -> Vec<u8> {
    text_webhook_for(PHONE_NUMBER_ID, messages)
}

/// `messages`: (from, wamid, text).
pub fn text_webhook_for(phone_number_id: &str, messages: &[(&str, &str, &str)]) -> Vec<u8> {
    let contacts: Vec<Value> = messages
        .iter()
        .map(|(from, _, _)| json!({"profile": {"name": "Guest"}, "wa_id": from}))
        .collect();
    let items: Vec<Value> = messages
        .iter()
        .map(|(from, id, text)| {
            json!({"from": from, "id": id, "timestamp": now_timestamp(), "type": "text", "text": {"body": text}})
        })
        .collect();
    let body = json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": phone_number_id},
            "contacts": contacts,
            "messages": items
        }}]}]
    });
    serde_json::to_vec(&body).expect("json")
}

/// The Unix time of the app's clock (the system clock in these tests), as Meta writes it: the
/// guest's message was just sent, so the 24-hour window is open.
pub fn now_timestamp() -> String {
    chrono::Utc::now().timestamp().to_string()
}

/// A webhook with one message of any type: `message` holds the type-specific fields (and may
/// override the shared ones).
pub fn message_webhook(from: &str, wamid: &str, timestamp: &str, message: Value) -> Vec<u8> {
    let mut item = json!({"from": from, "id": wamid, "timestamp": timestamp});
    if let (Some(item), Value::Object(fields)) = (item.as_object_mut(), message) {
        item.extend(fields);
    }
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Guest"}, "wa_id": from}],
            "messages": [item]
        }}]}]
    }))
    .expect("json")
}

/// A status webhook in Meta's format.
pub fn status_webhook(wamid: &str, status: &str, errors: Option<Value>) -> Vec<u8> {
    let mut item = json!({"id": wamid, "status": status, "timestamp": "1764064200", "recipient_id": "5491155550000"});
    if let Some(errors) = errors {
        item["errors"] = errors;
    }
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
            "statuses": [item]
        }}]}]
    }))
    .expect("json")
}

pub fn body_json(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).expect("send body is JSON")
}

/// Runs a test body on both backends.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)(hotel_store::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)(hotel_store::Backend::Postgres).await;
            }
        }
    };
}
