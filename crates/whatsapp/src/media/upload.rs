//! Uploading files to send by id, and deleting them (reference §6).

use hotel_domain::MediaKind;
use secrecy::ExposeSecret;
use serde::Deserialize;

use super::download::read_json_body;
use super::error::{MediaError, MediaResult, MediaStep};
use super::{MediaLimits, is_allowed_mime, is_graph_id, mime_essence};
use crate::client::{CloudApiClient, Credentials};

/// A file to upload.
#[derive(Clone, PartialEq, Eq)]
pub struct MediaUpload {
    /// What it will be sent as; decides the size limit and the allowed types.
    pub kind: MediaKind,
    /// E.g. `image/jpeg`; parameters are dropped.
    pub mime_type: String,
    /// The name given to the file part; defaults to the kind's name.
    pub filename: Option<String>,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for MediaUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaUpload")
            .field("kind", &self.kind)
            .field("mime_type", &self.mime_type)
            .field("size", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// The uploaded file's media id (valid for 30 days), for `MediaSource::Id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedMedia {
    pub id: String,
}

#[derive(Deserialize)]
struct UploadAnswer {
    id: IdValue,
}

/// Ids are strings, but accept a number too.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdValue {
    Text(String),
    Number(u64),
}

#[derive(Deserialize)]
struct DeleteAnswer {
    #[serde(default)]
    success: bool,
}

impl CloudApiClient {
    /// Uploads a file: `POST {api_base}/{phone_number_id}/media` as `multipart/form-data` with
    /// `messaging_product=whatsapp`, `type=<mime>` and the `file` part. Empty, over-size (per
    /// `limits`) and wrongly typed files are refused before any request.
    pub async fn upload_media(
        &self,
        credentials: &Credentials,
        upload: MediaUpload,
        limits: &MediaLimits,
    ) -> MediaResult<UploadedMedia> {
        const STEP: MediaStep = MediaStep::Upload;
        if !is_graph_id(&credentials.phone_number_id) {
            return Err(MediaError::InvalidRequest(
                "phone_number_id must be a non-empty Graph id".into(),
            ));
        }
        let limit = limits.max_bytes(upload.kind);
        let size = upload.bytes.len() as u64;
        if size == 0 {
            return Err(MediaError::InvalidRequest("empty file".into()));
        }
        if size > limit {
            return Err(MediaError::TooLarge {
                kind: upload.kind,
                size,
                limit,
            });
        }
        if !is_allowed_mime(upload.kind, &upload.mime_type) {
            return Err(MediaError::ContentType {
                kind: upload.kind,
                content_type: upload.mime_type.chars().take(100).collect(),
            });
        }
        let mime_type = mime_essence(&upload.mime_type);
        let filename = upload
            .filename
            .as_deref()
            .map(safe_filename)
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| upload.kind.as_str().to_owned());
        let file = reqwest::multipart::Part::bytes(upload.bytes)
            .file_name(filename)
            .mime_str(&mime_type)
            .map_err(|_| MediaError::InvalidRequest("unusable mime type".into()))?;
        let form = reqwest::multipart::Form::new()
            .text("messaging_product", "whatsapp")
            .text("type", mime_type)
            .part("file", file);
        let mut response = self
            .http
            .post(format!(
                "{}/{}/media",
                self.api_base(),
                credentials.phone_number_id
            ))
            .bearer_auth(credentials.access_token.expose_secret())
            .timeout(limits.timeout)
            .multipart(form)
            .send()
            .await
            .map_err(|e| MediaError::transport(STEP, e))?;
        let body = read_json_body(STEP, &mut response).await?;
        let answer: UploadAnswer =
            serde_json::from_slice(&body).map_err(|e| MediaError::InvalidResponse {
                step: STEP,
                message: format!("no id in the answer ({:?})", e.classify()),
            })?;
        let id = match answer.id {
            IdValue::Text(id) => id,
            IdValue::Number(id) => id.to_string(),
        };
        if id.is_empty() {
            return Err(MediaError::InvalidResponse {
                step: STEP,
                message: "empty id".into(),
            });
        }
        Ok(UploadedMedia { id })
    }

    /// Deletes an uploaded file: `DELETE {api_base}/{media_id}?phone_number_id=…`.
    pub async fn delete_media(&self, credentials: &Credentials, media_id: &str) -> MediaResult<()> {
        const STEP: MediaStep = MediaStep::Delete;
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
            .delete(url)
            .bearer_auth(credentials.access_token.expose_secret());
        let mut response = request
            .send()
            .await
            .map_err(|e| MediaError::transport(STEP, e))?;
        let body = read_json_body(STEP, &mut response).await?;
        match serde_json::from_slice::<DeleteAnswer>(&body) {
            Ok(DeleteAnswer { success: true }) => Ok(()),
            _ => Err(MediaError::InvalidResponse {
                step: STEP,
                message: "no `\"success\":true` in the answer".into(),
            }),
        }
    }
}

/// The last path component, without control characters or quotes, at most 200 characters.
fn safe_filename(name: &str) -> String {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_lose_paths_and_quotes() {
        assert_eq!(safe_filename("factura.pdf"), "factura.pdf");
        assert_eq!(safe_filename("../../etc/passwd"), "passwd");
        assert_eq!(safe_filename("C:\\x\\re\"cibo\r\n.pdf"), "recibo.pdf");
        assert_eq!(safe_filename("dir/"), "");
        assert_eq!(safe_filename(&"a".repeat(300)).len(), 200);
    }

    #[test]
    fn debug_shows_no_bytes() {
        let upload = MediaUpload {
            kind: MediaKind::Image,
            mime_type: "image/png".into(),
            filename: None,
            bytes: vec![115; 3],
        };
        let debug = format!("{upload:?}");
        assert!(debug.contains("size: 3"), "{debug}");
        assert!(!debug.contains("115"), "{debug}");
    }
}
