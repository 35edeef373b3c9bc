//! Guest media: downloaded from the Cloud API as soon as a message names it (media ids expire
//! after about a week), kept by content hash for the retention period, then deleted.
//!
//! Downloads run beside the conversation, never in its way: the guest's reply does not wait for
//! them and a failed download is logged and counted, not retried forever. The message keeps its
//! media id, so a later step that needs the file can fetch it again while Meta still has it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use hotel_domain::{Attachment, Clock, InboundMessage, MediaRef};
use hotel_observability::names;
use hotel_store::{NewMediaFile, Store};
use hotel_whatsapp::{CloudApiClient, Credentials, MediaError, MediaLimits, MediaStore};
use tokio::sync::Semaphore;

/// Downloads at once, whatever the inbox's concurrency.
const PARALLEL_DOWNLOADS: usize = 4;

/// Downloads guest media and keeps it for the retention period.
#[derive(Debug)]
pub struct MediaKeeper {
    files: MediaStore,
    client: CloudApiClient,
    store: Store,
    clock: Arc<dyn Clock>,
    limits: MediaLimits,
    retention: chrono::Duration,
    permits: Semaphore,
}

impl MediaKeeper {
    pub fn new(
        files: MediaStore,
        client: CloudApiClient,
        store: Store,
        clock: Arc<dyn Clock>,
        retention_days: u32,
    ) -> Self {
        Self {
            files,
            client,
            store,
            clock,
            limits: MediaLimits::default(),
            retention: chrono::Duration::days(i64::from(retention_days)),
            permits: Semaphore::new(PARALLEL_DOWNLOADS),
        }
    }

    /// The media a message carries, if any.
    pub fn media_of(message: &InboundMessage) -> Option<&MediaRef> {
        match &message.attachment {
            Some(Attachment::Media(media)) => Some(media),
            _ => None,
        }
    }

    /// Starts downloading the media of the stored inbound message `inbound_id`, in the
    /// background. Returns at once.
    pub fn spawn_download(
        self: &Arc<Self>,
        credentials: Credentials,
        inbound_id: i64,
        message: &InboundMessage,
    ) {
        let Some(media) = Self::media_of(message).cloned() else {
            return;
        };
        let keeper = Arc::clone(self);
        let tenant = message.tenant_id.clone();
        tokio::spawn(async move {
            let kind = media.kind.as_str();
            let result = keeper
                .download(&credentials, &tenant, inbound_id, &media)
                .await;
            let label = match &result {
                Ok(()) => "stored",
                Err(KeepError::Media(MediaError::TooLarge { .. })) => "too_large",
                Err(KeepError::Media(MediaError::ContentType { .. })) => "wrong_type",
                Err(_) => "failed",
            };
            if let Err(error) = result {
                tracing::warn!(inbound_id, kind, error = %error, "guest media not kept");
            }
            metrics::counter!(names::MEDIA_DOWNLOADS_TOTAL, "kind" => kind, "result" => label)
                .increment(1);
        });
    }

    async fn download(
        &self,
        credentials: &Credentials,
        tenant: &hotel_domain::TenantId,
        inbound_id: i64,
        media: &MediaRef,
    ) -> Result<(), KeepError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| KeepError::Closed)?;
        let downloaded = self
            .client
            .download_media(credentials, media, &self.limits)
            .await?;
        let stored = self
            .files
            .put(tenant.as_str(), &downloaded.bytes, &downloaded.mime_type)
            .await?;
        let record = NewMediaFile {
            tenant_id: tenant.clone(),
            inbound_id,
            provider_media_id: media.id.clone(),
            sha256: stored.sha256,
            mime_type: stored.mime_type,
            size_bytes: i64::try_from(stored.size).unwrap_or(i64::MAX),
        };
        self.store.record_media(&record, self.clock.now()).await?;
        Ok(())
    }

    /// Deletes media kept longer than the retention period, as of `now`: the database's records
    /// and the files (a file is re-dated whenever the same content arrives again, so it is never
    /// older than the records that refer to it). Returns how many files were removed.
    pub async fn purge(&self, now: DateTime<Utc>) -> Result<usize, KeepError> {
        let cutoff = now - self.retention;
        loop {
            let purged = self.store.purge_media_before(cutoff, 500).await?;
            if purged.len() < 500 {
                break;
            }
        }
        let report = self.files.purge_older_than(cutoff).await?;
        Ok(report.files)
    }
}

/// Why a file was not kept.
#[derive(Debug, thiserror::Error)]
pub enum KeepError {
    #[error("download: {0}")]
    Media(#[from] MediaError),
    #[error("storage: {0}")]
    Files(#[from] hotel_whatsapp::MediaStoreError),
    #[error("database: {0}")]
    Store(#[from] hotel_store::StoreError),
    #[error("the media keeper is shutting down")]
    Closed,
}
