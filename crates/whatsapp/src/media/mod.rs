//! Media through the WhatsApp Cloud API (reference §6): the two-step download of what guests send
//! ([`CloudApiClient::download_media`](crate::CloudApiClient::download_media)), uploads and
//! deletes of what we send, and [`MediaStore`], the content-addressed files on disk.
//!
//! Every transfer is bounded: [`MediaLimits`] caps each kind by size (checked against Meta's
//! `file_size`, the `Content-Length` and the streamed body, never buffering past the cap) and
//! bounds the time; the answer's `Content-Type` must be one WhatsApp allows for the kind (an HTML
//! page from the CDN is an error, never a file); Meta's `sha256` is checked when given.

mod download;
mod error;
mod store;
mod upload;

use std::time::Duration;

use hotel_domain::MediaKind;

pub use download::DownloadedMedia;
pub use error::{MediaError, MediaResult, MediaStep};
pub use store::{MediaStore, MediaStoreError, PurgeReport, StoredFile, StoredMedia};
pub use upload::{MediaUpload, UploadedMedia};

const MB: u64 = 1024 * 1024;

/// The largest media file accepted, per kind, and how long one transfer may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaLimits {
    /// Bytes; default 5 MB.
    pub image: u64,
    /// Bytes; default 16 MB.
    pub audio: u64,
    /// Bytes; default 16 MB.
    pub video: u64,
    /// Bytes; default 100 MB.
    pub document: u64,
    /// Bytes; default 500 KB (animated; static stickers are at most 100 KB).
    pub sticker: u64,
    /// The most one HTTP exchange (request and whole body) may take; default 60 s. It replaces the
    /// client's own timeout, which is sized for small JSON sends.
    pub timeout: Duration,
}

impl Default for MediaLimits {
    fn default() -> Self {
        Self {
            image: 5 * MB,
            audio: 16 * MB,
            video: 16 * MB,
            document: 100 * MB,
            sticker: 500 * 1024,
            timeout: Duration::from_secs(60),
        }
    }
}

impl MediaLimits {
    /// The size cap of `kind`, in bytes.
    pub fn max_bytes(&self, kind: MediaKind) -> u64 {
        match kind {
            MediaKind::Image => self.image,
            MediaKind::Audio => self.audio,
            MediaKind::Video => self.video,
            MediaKind::Document => self.document,
            MediaKind::Sticker => self.sticker,
        }
    }
}

/// The mime type without parameters, trimmed and lowercased: `Audio/OGG; codecs=opus` → `audio/ogg`.
pub fn mime_essence(mime_type: &str) -> String {
    mime_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether WhatsApp carries `mime_type` (parameters ignored) as `kind` (reference §5):
/// images jpeg/png/webp, audio aac/amr/mpeg/mp4/ogg, video mp4/3gpp, stickers webp, and
/// documents of any well-formed type except HTML, which is what the CDN answers instead of a file.
pub fn is_allowed_mime(kind: MediaKind, mime_type: &str) -> bool {
    let essence = mime_essence(mime_type);
    if !is_well_formed(&essence) || is_html(&essence) {
        return false;
    }
    match kind {
        MediaKind::Image => matches!(essence.as_str(), "image/jpeg" | "image/png" | "image/webp"),
        MediaKind::Audio => matches!(
            essence.as_str(),
            "audio/aac" | "audio/amr" | "audio/mpeg" | "audio/mp4" | "audio/ogg"
        ),
        MediaKind::Video => matches!(essence.as_str(), "video/mp4" | "video/3gpp"),
        MediaKind::Sticker => essence == "image/webp",
        MediaKind::Document => true,
    }
}

/// An error page rather than a file.
fn is_html(essence: &str) -> bool {
    matches!(essence, "text/html" | "application/xhtml+xml")
}

/// `type/subtype` of token characters.
fn is_well_formed(essence: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    matches!(essence.split_once('/'), Some((top, sub)) if token(top) && token(sub))
}

/// Graph ids (media ids, phone number ids) are digits in practice; anything that could leave the
/// path segment is refused.
fn is_graph_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_limits_follow_the_reference() {
        let limits = MediaLimits::default();
        assert_eq!(limits.max_bytes(MediaKind::Image), 5 * MB);
        assert_eq!(limits.max_bytes(MediaKind::Audio), 16 * MB);
        assert_eq!(limits.max_bytes(MediaKind::Video), 16 * MB);
        assert_eq!(limits.max_bytes(MediaKind::Document), 100 * MB);
        assert_eq!(limits.max_bytes(MediaKind::Sticker), 500 * 1024);
        assert_eq!(limits.timeout, Duration::from_secs(60));
    }

    #[test]
    fn mime_types_per_kind() {
        assert_eq!(mime_essence(" Audio/OGG; codecs=opus"), "audio/ogg");
        assert!(is_allowed_mime(MediaKind::Audio, "audio/ogg; codecs=opus"));
        assert!(is_allowed_mime(MediaKind::Image, "image/JPEG"));
        assert!(!is_allowed_mime(MediaKind::Image, "image/svg+xml"));
        assert!(!is_allowed_mime(
            MediaKind::Image,
            "text/html; charset=utf-8"
        ));
        assert!(is_allowed_mime(MediaKind::Video, "video/3gpp"));
        assert!(!is_allowed_mime(MediaKind::Video, "video/quicktime"));
        assert!(is_allowed_mime(MediaKind::Sticker, "image/webp"));
        assert!(!is_allowed_mime(MediaKind::Sticker, "image/png"));
        assert!(is_allowed_mime(MediaKind::Document, "application/pdf"));
        assert!(is_allowed_mime(
            MediaKind::Document,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ));
        assert!(is_allowed_mime(MediaKind::Document, "text/plain"));
        assert!(!is_allowed_mime(MediaKind::Document, "text/html"));
        assert!(!is_allowed_mime(
            MediaKind::Document,
            "application/xhtml+xml"
        ));
        assert!(!is_allowed_mime(MediaKind::Document, ""));
        assert!(!is_allowed_mime(MediaKind::Document, "pdf"));
        assert!(!is_allowed_mime(MediaKind::Document, "application/"));
        assert!(!is_allowed_mime(MediaKind::Document, "a b/c"));
    }

    #[test]
    fn graph_ids() {
        assert!(is_graph_id("1037543291543636"));
        assert!(!is_graph_id(""));
        assert!(!is_graph_id("../me"));
        assert!(!is_graph_id("1?x=y"));
        assert!(!is_graph_id(&"1".repeat(129)));
    }
}
