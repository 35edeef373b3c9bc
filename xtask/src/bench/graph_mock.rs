//! A stand-in for the WhatsApp Graph API: a minimal HTTP/1.1 server on 127.0.0.1 that answers
//! `POST /{phone_number_id}/messages` like Meta does and counts those requests.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Default)]
struct Counters {
    messages: AtomicU64,
    other: AtomicU64,
}

/// The running mock; stops when dropped.
pub struct GraphMock {
    pub addr: SocketAddr,
    counters: Arc<Counters>,
    server: JoinHandle<()>,
}

impl GraphMock {
    pub async fn start(phone_number_id: &str) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("cannot bind the Graph API mock")?;
        let addr = listener.local_addr().context("mock has no local address")?;
        let counters = Arc::new(Counters::default());
        let path = format!("/{phone_number_id}/messages");
        let server_counters = Arc::clone(&counters);
        let server = tokio::spawn(async move {
            let path: Arc<str> = Arc::from(path);
            while let Ok((stream, _)) = listener.accept().await {
                let counters = Arc::clone(&server_counters);
                let path = Arc::clone(&path);
                tokio::spawn(async move {
                    // A broken connection only ends that connection.
                    let _ = serve_connection(stream, &path, &counters).await;
                });
            }
        });
        Ok(Self {
            addr,
            counters,
            server,
        })
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `POST /{phone_number_id}/messages` requests received so far.
    pub fn messages(&self) -> u64 {
        self.counters.messages.load(Ordering::Relaxed)
    }

    /// Requests to any other path or method.
    pub fn other_requests(&self) -> u64 {
        self.counters.other.load(Ordering::Relaxed)
    }

    /// Waits until `expected` messages have arrived; false when the count stops growing for
    /// `stall` or `deadline` passes first.
    pub async fn wait_for(&self, expected: u64, stall: Duration, deadline: Instant) -> bool {
        let mut last = self.messages();
        let mut since = Instant::now();
        while last < expected {
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            let now = self.messages();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= stall {
                return false;
            }
        }
        true
    }

    /// Waits until the message count has not changed for `quiet`, or until `deadline`; true when quiet.
    pub async fn wait_quiet(&self, quiet: Duration, deadline: Instant) -> bool {
        let mut last = self.messages();
        let mut since = Instant::now();
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let now = self.messages();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
        }
    }
}

impl Drop for GraphMock {
    fn drop(&mut self) {
        self.server.abort();
    }
}

struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
    close: bool,
}

async fn serve_connection(stream: TcpStream, path: &str, counters: &Counters) -> Result<()> {
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader).await? {
        let (status, body) = if request.method == "POST" && request.path == path {
            let n = counters.messages.fetch_add(1, Ordering::Relaxed) + 1;
            (200, reply_body(&request.body, n))
        } else {
            counters.other.fetch_add(1, Ordering::Relaxed);
            (
                404,
                r#"{"error":{"message":"unknown path","code":100}}"#.to_owned(),
            )
        };
        let reason = if status == 200 { "OK" } else { "Not Found" };
        let response = format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{}\r\n{body}",
            body.len(),
            if request.close {
                "connection: close\r\n"
            } else {
                ""
            }
        );
        reader.get_mut().write_all(response.as_bytes()).await?;
        if request.close {
            break;
        }
    }
    Ok(())
}

/// Meta's answer to a send: the recipient echoed and a unique message id.
pub fn reply_body(request_body: &[u8], n: u64) -> String {
    let to = serde_json::from_slice::<serde_json::Value>(request_body)
        .ok()
        .and_then(|value| {
            value
                .get("to")
                .and_then(|to| to.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    serde_json::json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": to}],
        "messages": [{"id": format!("wamid.mock{n:012}")}],
    })
    .to_string()
}

/// Reads one request; `None` at a clean end of the connection.
async fn read_request(reader: &mut BufReader<TcpStream>) -> Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().context("empty request line")?.to_owned();
    let path = parts
        .next()
        .context("request line without a path")?
        .to_owned();
    let http10 = parts.next() == Some("HTTP/1.0");
    let mut content_length = 0usize;
    let mut chunked = false;
    let mut close = http10;
    let mut head_bytes = line.len();
    loop {
        line.clear();
        let read = reader.read_line(&mut line).await?;
        head_bytes += read;
        if read == 0 || head_bytes > MAX_HEAD_BYTES {
            bail!("truncated or oversized request head");
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => content_length = value.parse().context("bad content-length")?,
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    let body = if chunked {
        read_chunked(reader).await?
    } else {
        if content_length > MAX_BODY_BYTES {
            bail!("body too large");
        }
        let mut body = vec![0; content_length];
        reader.read_exact(&mut body).await?;
        body
    };
    Ok(Some(Request {
        method,
        path,
        body,
        close,
    }))
}

async fn read_chunked(reader: &mut BufReader<TcpStream>) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        let size_text = line.trim().split(';').next().unwrap_or_default();
        let size = usize::from_str_radix(size_text, 16).context("bad chunk size")?;
        if size == 0 {
            // Trailers, up to the empty line.
            loop {
                line.clear();
                if reader.read_line(&mut line).await? == 0 || line.trim().is_empty() {
                    return Ok(body);
                }
            }
        }
        if body.len() + size > MAX_BODY_BYTES {
            bail!("body too large");
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader
            .read_exact(body.get_mut(start..).unwrap_or_default())
            .await?;
        let mut crlf = [0u8; 2];
        reader.read_exact(&mut crlf).await?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_echoes_the_recipient() {
        let reply: serde_json::Value =
            serde_json::from_str(&reply_body(br#"{"to":"5491100000001","type":"text"}"#, 7))
                .unwrap();
        assert_eq!(reply["messaging_product"], "whatsapp");
        assert_eq!(reply["contacts"][0]["input"], "5491100000001");
        assert_eq!(reply["contacts"][0]["wa_id"], "5491100000001");
        assert_eq!(reply["messages"][0]["id"], "wamid.mock000000000007");
    }

    #[tokio::test]
    async fn counts_sends_over_keep_alive_and_chunked_bodies() {
        let mock = GraphMock::start("123").await.unwrap();
        let client = super::super::http_client().unwrap();
        for _ in 0..3 {
            let response = client
                .post(format!("{}/123/messages", mock.base_url()))
                .header("content-type", "application/json")
                .body(r#"{"to":"549"}"#)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            let reply: serde_json::Value = response.json().await.unwrap();
            assert_eq!(reply["contacts"][0]["wa_id"], "549");
        }
        // A chunked body, written by hand.
        let mut raw = TcpStream::connect(mock.addr).await.unwrap();
        raw.write_all(
            b"POST /123/messages HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n\
              6\r\n{\"to\":\r\n4\r\n\"1\"}\r\n0\r\n\r\n",
        )
        .await
        .unwrap();
        let mut response = String::new();
        raw.read_to_string(&mut response).await.unwrap();
        assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
        assert!(response.contains(r#""wa_id":"1""#), "{response}");
        let wrong = client
            .post(format!("{}/999/messages", mock.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 404);
        assert_eq!(mock.messages(), 4);
        assert_eq!(mock.other_requests(), 1);
    }
}
