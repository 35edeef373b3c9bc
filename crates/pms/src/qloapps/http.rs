//! One request to the webservice: the URL, the key, JSON output, the timeout, and the mapping
//! of failures to [`PmsError`] without ever quoting the key or a URL.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;

use super::wire::ErrorBody;
use super::{KeyPlacement, QloAppsPms};
use crate::{PmsError, Result};

/// QloApps' internal code for "the webservice is switched off" (reference §1).
const WEBSERVICE_DISABLED: u32 = 22;
/// How much of the PMS's error messages an error keeps.
const MAX_MESSAGE_CHARS: usize = 300;

/// A request body.
pub(super) enum Body {
    None,
    Json(serde_json::Value),
    Xml(String),
}

impl QloAppsPms {
    /// Sends `method {api}/{path}?{query}` and returns the body of a 2xx answer.
    pub(super) async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Body,
        timeout: Duration,
    ) -> Result<Vec<u8>> {
        let url = format!("{}/api/{path}", self.config.base_url);
        let mut request = self
            .http
            .request(method, url)
            .timeout(timeout)
            .header("Output-Format", "JSON")
            .query(&[("output_format", "JSON")])
            .query(query);
        let key = self.config.api_key.expose_secret();
        request = match self.config.key_placement {
            KeyPlacement::BasicAuth => request.basic_auth(key, Some("")),
            KeyPlacement::QueryParameter => request.query(&[("ws_key", key)]),
        };
        request = match body {
            Body::None => request,
            Body::Json(json) => request.json(&json),
            Body::Xml(xml) => request.header(CONTENT_TYPE, "application/xml").body(xml),
        };
        let response = request.send().await.map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e))?;
        if status.is_success() {
            Ok(bytes.to_vec())
        } else {
            Err(self.status_error(status, &bytes, retry_after))
        }
    }

    /// A reqwest failure, described without its URL (which may hold `ws_key`).
    fn transport_error(&self, error: &reqwest::Error) -> PmsError {
        if error.is_timeout() {
            return PmsError::Timeout;
        }
        let what = if error.is_connect() {
            "could not connect to QloApps"
        } else if error.is_body() || error.is_decode() {
            "the answer broke off"
        } else {
            "the request to QloApps failed"
        };
        PmsError::Unavailable(what.to_owned())
    }

    /// A non-2xx answer as an error, from its status and QloApps' error body.
    fn status_error(
        &self,
        status: StatusCode,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> PmsError {
        let errors = serde_json::from_slice::<ErrorBody>(body).unwrap_or_default();
        let codes: Vec<u32> = errors.errors.iter().filter_map(|e| e.code).collect();
        let messages = self.scrub(
            &errors
                .errors
                .iter()
                .map(|e| e.message.trim())
                .filter(|m| !m.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
        );
        let code_list = if codes.is_empty() {
            String::new()
        } else {
            format!(
                " (QloApps code {})",
                codes
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let described = if messages.is_empty() {
            format!("HTTP {}{code_list}", status.as_u16())
        } else {
            format!("HTTP {}{code_list}: {messages}", status.as_u16())
        };
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::METHOD_NOT_ALLOWED => {
                // Only the status and codes: the messages may describe the key.
                PmsError::Unauthorized(format!(
                    "QloApps refused the webservice key or its permissions (HTTP {}{code_list})",
                    status.as_u16()
                ))
            }
            StatusCode::NOT_FOUND => PmsError::NotFound(described),
            StatusCode::TOO_MANY_REQUESTS => PmsError::RateLimited { retry_after },
            StatusCode::SERVICE_UNAVAILABLE if codes.contains(&WEBSERVICE_DISABLED) => {
                PmsError::InvalidConfig(
                    "the QloApps webservice is switched off (Advanced Parameters › Webservice)"
                        .into(),
                )
            }
            StatusCode::BAD_REQUEST if messages.to_lowercase().contains("not available") => {
                PmsError::NoAvailability(messages)
            }
            status if status.is_server_error() => PmsError::Unavailable(described),
            _ => PmsError::InvalidRequest(described),
        }
    }

    /// `text` cut to a readable length and without the key, should the PMS ever echo it.
    pub(super) fn scrub(&self, text: &str) -> String {
        let key = self.config.api_key.expose_secret();
        let text = if key.is_empty() {
            text.to_owned()
        } else {
            text.replace(key, "[redacted]")
        };
        match text.char_indices().nth(MAX_MESSAGE_CHARS) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        }
    }
}
