//! Sending through the WhatsApp Cloud API: the [`MessageSender`] trait and [`CloudApiClient`].
//!
//! The client makes one attempt per call; the outbox owns retries, deciding with
//! [`SendError::is_retryable`]. Many failures arrive later as `failed` status callbacks instead
//! (reference §4), so a receipt only means "accepted".

mod error;
mod graph_error;
mod tls;

/// A rustls config with the `ring` provider and the system's roots, for other HTTPS clients of
/// the service (reqwest is built without a process-wide provider).
pub use tls::client_config as https_client_config;
pub(crate) mod wire;

use std::time::Duration;

use hotel_domain::OutboundMessage;
use secrecy::{ExposeSecret, SecretString};

pub use error::{SendError, SendResult, is_retryable_code};
pub use graph_error::{ErrorClass, GraphError, RateLimit};
use wire::{ReadBody, SendAnswer, SuccessAnswer};

use crate::outbound::PreparedMessage;

/// WhatsApp's limit for a text body, counted in Unicode code points.
pub const MAX_TEXT_CODE_POINTS: usize = 4096;
/// WhatsApp's limit for `biz_opaque_callback_data`.
pub const MAX_CALLBACK_DATA_CHARS: usize = 512;
/// The longest a connection attempt may take, whatever the overall timeout.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Which business number sends, and its token. `Debug` never shows the token.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The sending number's id (`metadata.phone_number_id` of inbound webhooks).
    pub phone_number_id: String,
    /// A System User access token.
    pub access_token: SecretString,
}

impl Credentials {
    /// Credentials from plain values.
    pub fn new(phone_number_id: impl Into<String>, access_token: impl Into<String>) -> Self {
        Self {
            phone_number_id: phone_number_id.into(),
            access_token: SecretString::from(access_token.into()),
        }
    }
}

/// The API accepted the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReceipt {
    /// The `wamid` that status callbacks will carry.
    pub provider_message_id: String,
}

/// Sends messages to guests and marks theirs as read.
#[async_trait::async_trait]
pub trait MessageSender: Send + Sync + std::fmt::Debug {
    /// Sends one prepared message (see [`prepare`](crate::prepare)) from
    /// `credentials.phone_number_id`. `callback_data` (≤ 512 chars) comes back in status callbacks
    /// as `biz_opaque_callback_data`.
    async fn send_prepared(
        &self,
        credentials: &Credentials,
        message: &PreparedMessage,
        callback_data: Option<&str>,
    ) -> SendResult<SendReceipt>;

    /// Marks the guest's message `message_id` as read (blue ticks) and, with `typing`, shows
    /// "typing…" until the next reply or for 25 s. Show it only when a reply will follow.
    async fn mark_read(
        &self,
        credentials: &Credentials,
        message_id: &str,
        typing: bool,
    ) -> SendResult<()>;

    /// Sends `message` when it fits in one Cloud API message (after the same truncations as
    /// [`prepare`](crate::prepare)); refuses one that needs several with
    /// [`SendError::InvalidRequest`].
    async fn send(
        &self,
        credentials: &Credentials,
        message: &OutboundMessage,
        callback_data: Option<&str>,
    ) -> SendResult<SendReceipt> {
        let prepared = PreparedMessage::single(message)?;
        self.send_prepared(credentials, &prepared, callback_data)
            .await
    }
}

/// Why a [`CloudApiClient`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientBuildError {
    /// `api_base` is not an absolute http(s) URL.
    #[error("invalid Graph API base URL: {0}")]
    InvalidApiBase(String),
    /// A zero timeout would fail every request.
    #[error("the Graph API timeout must be more than zero")]
    ZeroTimeout,
    /// The rustls configuration could not be built.
    #[error("TLS setup failed: {0}")]
    Tls(#[from] rustls::Error),
    /// reqwest refused the configuration.
    #[error("HTTP client setup failed: {0}")]
    Http(#[source] reqwest::Error),
}

/// The Graph API implementation of [`MessageSender`]: one long-lived HTTP client (connection
/// pool, HTTP/2, rustls with `ring`) shared by every send; cheap to clone.
#[derive(Debug, Clone)]
pub struct CloudApiClient {
    pub(crate) http: reqwest::Client,
    api_base: String,
}

impl CloudApiClient {
    /// A client for `api_base` (e.g. `https://graph.facebook.com/v23.0`; a trailing `/` is ignored)
    /// whose requests each give up after `timeout`.
    pub fn new(api_base: &str, timeout: Duration) -> Result<Self, ClientBuildError> {
        let api_base = api_base.trim().trim_end_matches('/');
        let url = reqwest::Url::parse(api_base)
            .map_err(|e| ClientBuildError::InvalidApiBase(e.to_string()))?;
        if !matches!(url.scheme(), "https" | "http") || url.cannot_be_a_base() {
            return Err(ClientBuildError::InvalidApiBase(format!(
                "unsupported scheme `{}`",
                url.scheme()
            )));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ClientBuildError::InvalidApiBase(
                "no query or fragment allowed".into(),
            ));
        }
        if timeout.is_zero() {
            return Err(ClientBuildError::ZeroTimeout);
        }
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls::client_config()?)
            .timeout(timeout)
            .connect_timeout(timeout.min(MAX_CONNECT_TIMEOUT))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("hotel-whatsapp/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(ClientBuildError::Http)?;
        Ok(Self {
            http,
            api_base: api_base.to_owned(),
        })
    }

    /// The base URL, without a trailing `/`.
    pub fn api_base(&self) -> &str {
        &self.api_base
    }
}

#[async_trait::async_trait]
impl MessageSender for CloudApiClient {
    async fn send_prepared(
        &self,
        credentials: &Credentials,
        message: &PreparedMessage,
        callback_data: Option<&str>,
    ) -> SendResult<SendReceipt> {
        check_credentials(credentials)?;
        if message.to().trim().is_empty() {
            return Err(SendError::InvalidRequest("no recipient".into()));
        }
        if callback_data.is_some_and(|data| data.chars().count() > MAX_CALLBACK_DATA_CHARS) {
            return Err(SendError::InvalidRequest(format!(
                "callback data exceeds {MAX_CALLBACK_DATA_CHARS} characters"
            )));
        }
        let body = self
            .post(credentials, &message.request_body(callback_data))
            .await?;
        let answer: SendAnswer = serde_json::from_slice(&body).map_err(|e| {
            SendError::InvalidResponse(format!(
                "success body is not JSON of the expected shape ({:?})",
                e.classify()
            ))
        })?;
        let provider_message_id = answer
            .message_id()
            .ok_or_else(|| SendError::InvalidResponse("no messages[0].id".into()))?;
        Ok(SendReceipt {
            provider_message_id,
        })
    }

    async fn mark_read(
        &self,
        credentials: &Credentials,
        message_id: &str,
        typing: bool,
    ) -> SendResult<()> {
        check_credentials(credentials)?;
        let message_id = message_id.trim();
        if message_id.is_empty() {
            return Err(SendError::InvalidRequest(
                "no message id to mark read".into(),
            ));
        }
        let body = self
            .post(credentials, &ReadBody::new(message_id, typing))
            .await?;
        match serde_json::from_slice::<SuccessAnswer>(&body) {
            Ok(SuccessAnswer { success: true }) => Ok(()),
            _ => Err(SendError::InvalidResponse(
                "mark-read answer is not {\"success\":true}".into(),
            )),
        }
    }
}

impl CloudApiClient {
    /// Posts `body` to `/{phone_number_id}/messages`: the 2xx answer's body, or the failure.
    async fn post(
        &self,
        credentials: &Credentials,
        body: &impl serde::Serialize,
    ) -> SendResult<Vec<u8>> {
        let url = format!("{}/{}/messages", self.api_base, credentials.phone_number_id);
        let response = self
            .http
            .post(url)
            .bearer_auth(credentials.access_token.expose_secret())
            .json(body)
            .send()
            .await
            .map_err(transport_error)?;
        let http_status = response.status().as_u16();
        let body = response.bytes().await.map_err(transport_error)?;
        if (200..300).contains(&http_status) {
            return Ok(body.to_vec());
        }
        let error = match GraphError::from_body(&body) {
            Some(error) => SendError::Api { http_status, error },
            None => SendError::Http { http_status },
        };
        tracing::debug!(
            http_status,
            code = error.code(),
            class = error.class().map(ErrorClass::as_str),
            fbtrace_id = ?error.graph_error().and_then(|e| e.fbtrace_id.as_deref()),
            retryable = error.is_retryable(),
            "Graph API refused a request"
        );
        Err(error)
    }
}

/// Refuses a phone number id that would change the request path.
fn check_credentials(credentials: &Credentials) -> SendResult<()> {
    let id = &credentials.phone_number_id;
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(SendError::InvalidRequest(
            "phone_number_id must be a non-empty id".into(),
        ));
    }
    Ok(())
}

fn transport_error(error: reqwest::Error) -> SendError {
    if error.is_timeout() {
        return SendError::Timeout;
    }
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    SendError::Transport(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_https_without_a_process_wide_crypto_provider() {
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
        let client =
            CloudApiClient::new("https://graph.facebook.com/v23.0/", Duration::from_secs(5))
                .unwrap();
        assert_eq!(client.api_base(), "https://graph.facebook.com/v23.0");
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    }

    #[test]
    fn bad_configuration_is_refused() {
        let timeout = Duration::from_secs(1);
        assert!(matches!(
            CloudApiClient::new("graph.facebook.com", timeout),
            Err(ClientBuildError::InvalidApiBase(_))
        ));
        assert!(matches!(
            CloudApiClient::new("ftp://x/v1", timeout),
            Err(ClientBuildError::InvalidApiBase(_))
        ));
        assert!(matches!(
            CloudApiClient::new("https://x/v1?a=b", timeout),
            Err(ClientBuildError::InvalidApiBase(_))
        ));
        assert!(matches!(
            CloudApiClient::new("https://x/v1", Duration::ZERO),
            Err(ClientBuildError::ZeroTimeout)
        ));
    }

    #[test]
    fn the_token_never_shows_in_debug() {
        let credentials = Credentials::new("106540352242922", "EAAG-very-secret");
        assert!(!format!("{credentials:?}").contains("very-secret"));
    }

    #[test]
    fn phone_number_ids_cannot_change_the_path() {
        assert_eq!(
            check_credentials(&Credentials::new("106540352242922", "t")),
            Ok(())
        );
        for id in ["", "../other", "1/2", "1?x=2"] {
            assert!(
                matches!(
                    check_credentials(&Credentials::new(id, "t")),
                    Err(SendError::InvalidRequest(_))
                ),
                "{id}"
            );
        }
    }
}
