//! The two-step download of a guest's file (reference §6).

use base64::Engine as _;
use hotel_domain::{MediaKind, MediaRef};
use secrecy::ExposeSecret;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::error::{MediaError, MediaResult, MediaStep};
use super::{MediaLimits, is_allowed_mime, is_graph_id, is_html, mime_essence};
use crate::client::{CloudApiClient, Credentials};

/// The most a JSON answer (metadata, upload, delete) or an error body may weigh.
pub(super) const MAX_JSON_BYTES: u64 = 64 * 1024;
/// Preallocate no more than this from an announced `Content-Length`.
const MAX_PREALLOCATION: u64 = 1024 * 1024;

/// A guest's file, checked against its kind's limits and Meta's checksum.
#[derive(Clone, PartialEq, Eq)]
pub struct DownloadedMedia {
    pub bytes: Vec<u8>,
    /// The CDN's `Content-Type` without parameters, or Meta's `mime_type` when the CDN only said
    /// `application/octet-stream`.
    pub mime_type: String,
    /// Lowercase hex SHA-256 of `bytes`, computed here.
    pub sha256: String,
    pub size: u64,
}

impl std::fmt::Debug for DownloadedMedia {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DownloadedMedia")
            .field("mime_type", &self.mime_type)
            .field("sha256", &self.sha256)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// The answer of `GET /{media_id}`.
#[derive(Debug, Deserialize)]
struct MediaMetadata {
    url: String,
    #[serde(default)]
    mime_type: Option<String>,
    #[serde(default)]
    sha256: Option<String>,
    #[serde(default)]
    file_size: Option<FileSize>,
}

/// `file_size` as a number or, in some answers, a string of digits.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FileSize {
    Number(u64),
    Text(String),
}

impl FileSize {
    fn bytes(&self) -> Option<u64> {
        match self {
            FileSize::Number(n) => Some(*n),
            FileSize::Text(text) => text.trim().parse().ok(),
        }
    }
}

/// What the download of one URL must match.
struct Expected<'a> {
    kind: MediaKind,
    mime_type: Option<&'a str>,
    sha256: Option<&'a str>,
    limit: u64,
}

impl CloudApiClient {
    /// Downloads a guest's file: from the webhook's `url` when there is one, otherwise (or when
    /// that URL is expired or refused) from the URL that `GET /{media_id}` gives; both requests
    /// carry the bearer token. The size is capped per kind by `limits` (Meta's `file_size`, the
    /// `Content-Length` and the streamed body), the `Content-Type` must suit the kind, and the
    /// body must match Meta's `sha256` (hex or base64) when one was given.
    pub async fn download_media(
        &self,
        credentials: &Credentials,
        media: &MediaRef,
        limits: &MediaLimits,
    ) -> MediaResult<DownloadedMedia> {
        let limit = limits.max_bytes(media.kind);
        if let Some(url) = media.url.as_deref().filter(|url| !url.trim().is_empty()) {
            let expected = Expected {
                kind: media.kind,
                mime_type: media.mime_type.as_deref(),
                sha256: media.sha256.as_deref(),
                limit,
            };
            match self.fetch_file(credentials, url, &expected, limits).await {
                Err(error) if error.is_stale_url() && is_graph_id(&media.id) => {
                    tracing::debug!(%error, "webhook media URL refused; asking for a fresh one");
                }
                done => return done,
            }
        }
        let metadata = self.media_metadata(credentials, &media.id, limits).await?;
        if let Some(size) = metadata.file_size.as_ref().and_then(FileSize::bytes)
            && size > limit
        {
            return Err(MediaError::TooLarge {
                kind: media.kind,
                size,
                limit,
            });
        }
        let expected = Expected {
            kind: media.kind,
            mime_type: metadata.mime_type.as_deref().or(media.mime_type.as_deref()),
            sha256: metadata.sha256.as_deref().or(media.sha256.as_deref()),
            limit,
        };
        self.fetch_file(credentials, &metadata.url, &expected, limits)
            .await
    }

    /// Step 1: `GET {api_base}/{media_id}?phone_number_id=…`.
    async fn media_metadata(
        &self,
        credentials: &Credentials,
        media_id: &str,
        limits: &MediaLimits,
    ) -> MediaResult<MediaMetadata> {
        const STEP: MediaStep = MediaStep::Metadata;
        if !is_graph_id(media_id) {
            return Err(MediaError::InvalidRequest(
                "the media id must be a non-empty Graph id".into(),
            ));
        }
        let mut url = format!("{}/{media_id}", self.api_base());
        if is_graph_id(&credentials.phone_number_id) {
            url = format!("{url}?phone_number_id={}", credentials.phone_number_id);
        }
        let request = self
            .http
            .get(url)
            .bearer_auth(credentials.access_token.expose_secret())
            .timeout(limits.timeout);
        let mut response = request
            .send()
            .await
            .map_err(|e| MediaError::transport(STEP, e))?;
        let body = read_json_body(STEP, &mut response).await?;
        serde_json::from_slice(&body).map_err(|e| MediaError::InvalidResponse {
            step: STEP,
            message: format!("no media URL in the answer ({:?})", e.classify()),
        })
    }

    /// Step 2: `GET <url>` with the bearer token, checked against `expected`.
    async fn fetch_file(
        &self,
        credentials: &Credentials,
        url: &str,
        expected: &Expected<'_>,
        limits: &MediaLimits,
    ) -> MediaResult<DownloadedMedia> {
        const STEP: MediaStep = MediaStep::Download;
        let url = reqwest::Url::parse(url)
            .ok()
            .filter(|url| matches!(url.scheme(), "https" | "http"))
            .ok_or_else(|| MediaError::InvalidRequest("the media URL is not http(s)".into()))?;
        let mut response = self
            .http
            .get(url)
            .bearer_auth(credentials.access_token.expose_secret())
            .timeout(limits.timeout)
            .send()
            .await
            .map_err(|e| MediaError::transport(STEP, e))?;
        let status = response.status();
        if !status.is_success() {
            let body = read_capped(STEP, &mut response, MAX_JSON_BYTES, None)
                .await
                .unwrap_or_default();
            let error = MediaError::from_answer(STEP, status.as_u16(), &body);
            tracing::debug!(%error, "media CDN refused a download");
            return Err(error);
        }
        let mime_type = accepted_mime(expected.kind, &response, expected.mime_type)?;
        let too_large = |size| MediaError::TooLarge {
            kind: expected.kind,
            size,
            limit: expected.limit,
        };
        if let Some(length) = response.content_length()
            && length > expected.limit
        {
            return Err(too_large(length));
        }
        let mut hasher = Sha256::new();
        let bytes = read_capped(STEP, &mut response, expected.limit, Some(&mut hasher))
            .await
            .map_err(|error| match error {
                Overflow::Over(size) => too_large(size),
                Overflow::Failed(error) => error,
            })?;
        let digest = hasher.finalize();
        let sha256 = hex::encode(digest);
        if let Some(given) = expected.sha256.filter(|given| !given.trim().is_empty())
            && decode_digest(given).as_deref() != Some(&digest[..])
        {
            return Err(MediaError::ChecksumMismatch {
                expected: given.trim().to_owned(),
                actual: sha256,
            });
        }
        Ok(DownloadedMedia {
            size: bytes.len() as u64,
            bytes,
            mime_type,
            sha256,
        })
    }
}

/// The answer's type when it suits `kind`; `application/octet-stream` (or none) stands for Meta's
/// `mime_type`, which must then suit `kind` itself.
fn accepted_mime(
    kind: MediaKind,
    response: &reqwest::Response,
    expected: Option<&str>,
) -> MediaResult<String> {
    let given = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let refused = |content_type: &str| MediaError::ContentType {
        kind,
        content_type: content_type.chars().take(100).collect(),
    };
    let essence = given.as_deref().map(mime_essence).unwrap_or_default();
    let chosen = match essence.as_str() {
        "" | "application/octet-stream" => expected.map(mime_essence).unwrap_or_default(),
        _ => essence,
    };
    if is_html(&chosen) || !is_allowed_mime(kind, &chosen) {
        return Err(refused(given.as_deref().unwrap_or(&chosen)));
    }
    Ok(chosen)
}

/// Meta's digest as 32 bytes, from 64 hex digits or base64 (standard or URL-safe, padded or not).
fn decode_digest(given: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};
    let given = given.trim();
    let bytes = if given.len() == 64 && given.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(given).ok()?
    } else {
        let unpadded = given.trim_end_matches('=');
        let padded = format!("{unpadded}{}", "=".repeat((4 - unpadded.len() % 4) % 4));
        STANDARD
            .decode(&padded)
            .or_else(|_| URL_SAFE.decode(&padded))
            .ok()?
    };
    (bytes.len() == 32).then_some(bytes)
}

/// Why reading a body stopped.
pub(super) enum Overflow {
    /// More than the cap: this many bytes had arrived.
    Over(u64),
    Failed(MediaError),
}

/// Reads the body chunk by chunk, giving up as soon as it passes `cap` bytes.
pub(super) async fn read_capped(
    step: MediaStep,
    response: &mut reqwest::Response,
    cap: u64,
    mut hasher: Option<&mut Sha256>,
) -> Result<Vec<u8>, Overflow> {
    let announced = response.content_length().unwrap_or(0).min(cap);
    let mut bytes =
        Vec::with_capacity(usize::try_from(announced.min(MAX_PREALLOCATION)).unwrap_or(0));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Overflow::Failed(MediaError::transport(step, e)))?
    {
        let size = (bytes.len() + chunk.len()) as u64;
        if size > cap {
            return Err(Overflow::Over(size));
        }
        if let Some(hasher) = hasher.as_deref_mut() {
            hasher.update(&chunk);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A 2xx JSON body (at most [`MAX_JSON_BYTES`]), or the error the answer stands for.
pub(super) async fn read_json_body(
    step: MediaStep,
    response: &mut reqwest::Response,
) -> MediaResult<Vec<u8>> {
    let status = response.status();
    let body = read_capped(step, response, MAX_JSON_BYTES, None).await;
    if !status.is_success() {
        let body = body.unwrap_or_default();
        let error = MediaError::from_answer(step, status.as_u16(), &body);
        tracing::debug!(%error, "Graph API refused a media request");
        return Err(error);
    }
    body.map_err(|error| match error {
        Overflow::Over(size) => MediaError::InvalidResponse {
            step,
            message: format!("answer of {size}+ bytes is too large"),
        },
        Overflow::Failed(error) => error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST_HEX: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn digests_in_hex_or_base64() {
        let bytes = hex::decode(DIGEST_HEX).unwrap();
        assert_eq!(decode_digest(DIGEST_HEX).unwrap(), bytes);
        assert_eq!(decode_digest(&DIGEST_HEX.to_uppercase()).unwrap(), bytes);
        let standard = base64::engine::general_purpose::STANDARD.encode(&bytes);
        assert_eq!(decode_digest(&standard).unwrap(), bytes);
        assert_eq!(
            decode_digest(standard.trim_end_matches('=')).unwrap(),
            bytes
        );
        let url_safe = base64::engine::general_purpose::URL_SAFE.encode(&bytes);
        assert_eq!(decode_digest(&url_safe).unwrap(), bytes);
        assert_eq!(decode_digest("not a digest"), None);
        assert_eq!(decode_digest("AAAA"), None, "3 bytes is no SHA-256");
    }

    #[test]
    fn file_sizes_as_numbers_or_text() {
        assert_eq!(FileSize::Number(12).bytes(), Some(12));
        assert_eq!(FileSize::Text(" 12 ".into()).bytes(), Some(12));
        assert_eq!(FileSize::Text("big".into()).bytes(), None);
    }

    #[test]
    fn debug_shows_no_bytes() {
        let media = DownloadedMedia {
            bytes: b"secret receipt".to_vec(),
            mime_type: "image/png".into(),
            sha256: DIGEST_HEX.into(),
            size: 14,
        };
        let debug = format!("{media:?}");
        assert!(!debug.contains("[115"), "{debug}");
        assert!(debug.contains("image/png"));
    }
}
