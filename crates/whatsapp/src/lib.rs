//! WhatsApp Cloud API channel of the hotel guest assistant.
//!
//! - [`signature`]: `X-Hub-Signature-256` check over the raw webhook body ([`verify_signature`]) and
//!   the GET subscription handshake ([`verify_subscription`]).
//! - [`webhook`]: tolerant serde models of Meta's webhook envelope and every inbound message type,
//!   [`parse_webhook`], and [`WebhookPayload::normalise`] into the domain's
//!   [`InboundMessage`](hotel_domain::InboundMessage) and [`DeliveryStatus`](hotel_domain::DeliveryStatus).
//! - [`client`]: the [`MessageSender`] trait and its Graph API implementation [`CloudApiClient`], with
//!   retry classification by Meta's `error.code` ([`SendError::is_retryable`]).
//! - [`split_text`]: cuts a long reply into WhatsApp-sized texts.
//! - [`outbound`]: [`prepare`] turns an [`OutboundMessage`](hotel_domain::OutboundMessage) into the
//!   1..n [`PreparedMessage`]s that fit Meta's limits, for [`MessageSender::send_prepared`].
//! - [`alternate_recipient`]: the Argentine and Mexican number forms to retry once after 131030.
//! - [`media`]: the two-step download of guests' files, uploads, and [`MediaStore`], the
//!   content-addressed files on disk with their retention purge.
//! - [`pacing`]: [`SendPacer`], the outbox's per-number and per-guest send rates.

pub mod client;
pub mod media;
#[cfg(any(test, feature = "mock"))]
pub mod mock;
mod numbers;
pub mod outbound;
pub mod pacing;
pub mod signature;
mod split;
pub mod webhook;

pub use client::{
    ClientBuildError, CloudApiClient, Credentials, MAX_CALLBACK_DATA_CHARS, MAX_TEXT_CODE_POINTS,
    MessageSender, SendError, SendReceipt, SendResult, https_client_config, is_retryable_code,
};
pub use client::{ErrorClass, GraphError, RateLimit};
pub use media::{
    DownloadedMedia, MediaError, MediaLimits, MediaResult, MediaStep, MediaStore, MediaStoreError,
    MediaUpload, PurgeReport, StoredFile, StoredMedia, UploadedMedia,
};
pub use numbers::alternate_recipient;
pub use outbound::{
    Adjustment, BuildError, PrepareOptions, Prepared, PreparedMessage, prepare, prepare_with,
    send_with_number_fallback,
};
pub use pacing::{Pace, PacingConfig, SendPacer};
pub use signature::{SignatureError, SignatureResult, sign, verify_signature, verify_subscription};
pub use split::split_text;
pub use webhook::{Normalised, WebhookError, WebhookPayload, WebhookResult, parse_webhook};
