//! The load: signed WhatsApp webhooks in Meta's shape, acknowledgement latency per request,
//! and the end-to-end run that waits for the replies at the Graph API mock.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::graph_mock::GraphMock;
use super::stats::LatencySummary;

/// Guest numbers used by the acknowledgement phases (a spread of this many).
const ACK_GUESTS: u64 = 1_000;

/// Where and how webhooks are sent.
pub struct WebhookTarget {
    pub client: reqwest::Client,
    pub url: String,
    pub app_secret: String,
    pub phone_number_id: String,
    /// Distinguishes this run's message ids.
    pub run_id: String,
    sequence: AtomicU64,
}

impl WebhookTarget {
    pub fn new(
        client: reqwest::Client,
        base_url: &str,
        app_secret: &str,
        phone_number_id: &str,
        run_id: &str,
    ) -> Self {
        Self {
            client,
            url: format!("{base_url}/webhooks/whatsapp"),
            app_secret: app_secret.to_owned(),
            phone_number_id: phone_number_id.to_owned(),
            run_id: run_id.to_owned(),
            sequence: AtomicU64::new(0),
        }
    }

    fn next_wamid(&self) -> String {
        let n = self.sequence.fetch_add(1, Ordering::Relaxed);
        format!("wamid.bench{}{n:010}", self.run_id)
    }

    /// Sends one text message from `from`; the latency of a 200, or `None` for anything else.
    pub async fn send(&self, from: &str) -> Option<Duration> {
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|since| since.as_secs())
            .unwrap_or_default();
        let body = webhook_body(&self.phone_number_id, from, &self.next_wamid(), timestamp);
        let signature = sign(self.app_secret.as_bytes(), body.as_bytes()).ok()?;
        let started = Instant::now();
        let response = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature)
            .body(body)
            .send()
            .await
            .ok()?;
        let ok = response.status() == reqwest::StatusCode::OK;
        // Read the whole answer so the connection goes back to the pool.
        let _ = response.bytes().await.ok()?;
        let elapsed = started.elapsed();
        ok.then_some(elapsed)
    }
}

/// `sha256=<hex HMAC-SHA256(secret, body)>`.
pub fn sign(secret: &[u8], body: &[u8]) -> Result<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).context("invalid HMAC key")?;
    mac.update(body);
    Ok(format!(
        "sha256={}",
        hex::encode(mac.finalize().into_bytes())
    ))
}

/// A webhook with one inbound text message, exactly as Meta sends it.
pub fn webhook_body(phone_number_id: &str, from: &str, wamid: &str, timestamp: u64) -> String {
    serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "WABA",
            "changes": [{
                "field": "messages",
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "15550000000", "phone_number_id": phone_number_id},
                    "contacts": [{"profile": {"name": "Guest"}, "wa_id": from}],
                    "messages": [{
                        "from": from,
                        "id": wamid,
                        "timestamp": timestamp.to_string(),
                        "type": "text",
                        "text": {"body": "hola, buen día"}
                    }]
                }
            }]
        }]
    })
    .to_string()
}

/// Guest number `n` of a numbering plan starting at `base` (Argentine mobile shape).
pub fn guest_number(base: u64, n: u64) -> String {
    format!("549{}", base + n)
}

/// One acknowledgement phase.
#[derive(Debug, Clone)]
pub struct AckResult {
    pub concurrency: usize,
    pub elapsed: Duration,
    pub errors: u64,
    pub latency: LatencySummary,
}

/// `concurrency` workers send for `duration`, each waiting for its answer before the next request.
pub async fn ack_phase(
    target: &Arc<WebhookTarget>,
    concurrency: usize,
    duration: Duration,
) -> Result<AckResult> {
    let started = Instant::now();
    let deadline = started + duration;
    let next_guest = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let target = Arc::clone(target);
        let next_guest = Arc::clone(&next_guest);
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let n = next_guest.fetch_add(1, Ordering::Relaxed) % ACK_GUESTS;
                match target.send(&guest_number(1_100_000_000, n)).await {
                    Some(latency) => latencies.push(latency),
                    None => {
                        errors += 1;
                        // Do not spin on a dead server.
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (worker_latencies, worker_errors) = worker.await.context("a load worker panicked")?;
        latencies.extend(worker_latencies);
        errors += worker_errors;
    }
    Ok(AckResult {
        concurrency,
        elapsed: started.elapsed(),
        errors,
        latency: LatencySummary::from_samples(latencies),
    })
}

/// The end-to-end run.
#[derive(Debug, Clone)]
pub struct EndToEndResult {
    pub concurrency: usize,
    pub messages: u64,
    pub acked: u64,
    pub errors: u64,
    pub send_elapsed: Duration,
    /// Replies received at the mock since the run started.
    pub replies: u64,
    /// From the first request until the last awaited reply (or the deadline).
    pub elapsed: Duration,
    pub timed_out: bool,
}

/// Sends `messages` webhooks, each from a distinct guest, with `concurrency` workers,
/// then waits until the mock has received as many replies as messages were acknowledged.
pub async fn end_to_end(
    target: &Arc<WebhookTarget>,
    mock: &GraphMock,
    messages: u64,
    concurrency: usize,
    timeout: Duration,
) -> Result<EndToEndResult> {
    let baseline = mock.messages();
    let started = Instant::now();
    let next = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let target = Arc::clone(target);
        let next = Arc::clone(&next);
        workers.push(tokio::spawn(async move {
            let (mut acked, mut errors) = (0u64, 0u64);
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= messages {
                    break;
                }
                match target.send(&guest_number(2_200_000_000, n)).await {
                    Some(_) => acked += 1,
                    None => errors += 1,
                }
            }
            (acked, errors)
        }));
    }
    let (mut acked, mut errors) = (0, 0);
    for worker in workers {
        let (worker_acked, worker_errors) = worker.await.context("a load worker panicked")?;
        acked += worker_acked;
        errors += worker_errors;
    }
    let send_elapsed = started.elapsed();
    let deadline = started + timeout;
    let mut timed_out = false;
    loop {
        if mock.messages().saturating_sub(baseline) >= acked {
            break;
        }
        if Instant::now() >= deadline {
            timed_out = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(EndToEndResult {
        concurrency,
        messages,
        acked,
        errors,
        send_elapsed,
        replies: mock.messages().saturating_sub(baseline),
        elapsed: started.elapsed(),
        timed_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_a_known_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?").unwrap(),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn body_has_meta_shape() {
        let body: serde_json::Value = serde_json::from_str(&webhook_body(
            "1001",
            "5491100000001",
            "wamid.x1",
            1_700_000_000,
        ))
        .unwrap();
        let value = &body["entry"][0]["changes"][0]["value"];
        assert_eq!(body["object"], "whatsapp_business_account");
        assert_eq!(body["entry"][0]["changes"][0]["field"], "messages");
        assert_eq!(value["metadata"]["phone_number_id"], "1001");
        assert_eq!(value["contacts"][0]["wa_id"], "5491100000001");
        assert_eq!(value["messages"][0]["id"], "wamid.x1");
        assert_eq!(value["messages"][0]["timestamp"], "1700000000");
        assert_eq!(value["messages"][0]["text"]["body"], "hola, buen día");
    }

    #[test]
    fn guest_numbers_are_distinct() {
        assert_eq!(guest_number(1_100_000_000, 7), "5491100000007");
        assert_ne!(
            guest_number(1_100_000_000, 0),
            guest_number(2_200_000_000, 0)
        );
    }
}
