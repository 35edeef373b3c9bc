//! Guest media downloaded from the provider: one row per inbound message, the file itself kept
//! by content hash outside the database (see the app's media store), purged after retention.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hotel_domain::TenantId;

use crate::Store;
use crate::convert::{from_db, sql_limit, to_db};
use crate::error::Result;
use crate::pool::with_connection;
use crate::schema::media_files;

/// A downloaded file to record against the inbound message it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMediaFile {
    pub tenant_id: TenantId,
    pub inbound_id: i64,
    pub provider_media_id: String,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    pub mime_type: String,
    pub size_bytes: i64,
}

/// A recorded media file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFileRecord {
    pub id: i64,
    pub tenant_id: TenantId,
    pub inbound_id: i64,
    pub provider_media_id: String,
    pub sha256: String,
    pub mime_type: String,
    pub size_bytes: i64,
    pub stored_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = media_files, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct MediaRow {
    id: i64,
    tenant_id: String,
    inbound_id: i64,
    provider_media_id: String,
    sha256: String,
    mime_type: String,
    size_bytes: i64,
    stored_at: NaiveDateTime,
}

impl From<MediaRow> for MediaFileRecord {
    fn from(row: MediaRow) -> Self {
        MediaFileRecord {
            id: row.id,
            tenant_id: TenantId::new(row.tenant_id),
            inbound_id: row.inbound_id,
            provider_media_id: row.provider_media_id,
            sha256: row.sha256,
            mime_type: row.mime_type,
            size_bytes: row.size_bytes,
            stored_at: from_db(row.stored_at),
        }
    }
}

impl Store {
    /// Records a downloaded file; a second record for the same inbound message is ignored.
    /// Returns whether it was recorded.
    pub async fn record_media(&self, file: &NewMediaFile, now: DateTime<Utc>) -> Result<bool> {
        let now = to_db(now);
        let db = self.connections().write_background().await?;
        let inserted = with_connection!(db, |conn| {
            Ok(diesel::insert_into(media_files::table)
                .values((
                    media_files::tenant_id.eq(file.tenant_id.as_str()),
                    media_files::inbound_id.eq(file.inbound_id),
                    media_files::provider_media_id.eq(&file.provider_media_id),
                    media_files::sha256.eq(&file.sha256),
                    media_files::mime_type.eq(&file.mime_type),
                    media_files::size_bytes.eq(file.size_bytes),
                    media_files::stored_at.eq(now),
                ))
                .on_conflict(media_files::inbound_id)
                .do_nothing()
                .execute(conn)
                .await?)
        })?;
        Ok(inserted == 1)
    }

    /// The file recorded for an inbound message, if it was downloaded.
    pub async fn media_for_inbound(&self, inbound_id: i64) -> Result<Option<MediaFileRecord>> {
        let db = self.connections().read().await?;
        let row: Option<MediaRow> = with_connection!(db, |conn| {
            Ok(media_files::table
                .filter(media_files::inbound_id.eq(inbound_id))
                .select(MediaRow::as_select())
                .first(conn)
                .await
                .optional()?)
        })?;
        Ok(row.map(Into::into))
    }

    /// Deletes up to `limit` records stored before `cutoff` and returns them, so the caller can
    /// remove the files no remaining record refers to ([`Store::media_hash_in_use`]).
    pub async fn purge_media_before(
        &self,
        cutoff: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<MediaFileRecord>> {
        let cutoff = to_db(cutoff);
        let limit = sql_limit(limit);
        let db = self.connections().write_background().await?;
        let rows: Vec<MediaRow> = with_connection!(db, |conn| {
            let ids: Vec<i64> = media_files::table
                .filter(media_files::stored_at.lt(cutoff))
                .order(media_files::id)
                .limit(limit)
                .select(media_files::id)
                .load(&mut *conn)
                .await?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            Ok(
                diesel::delete(media_files::table.filter(media_files::id.eq_any(&ids)))
                    .returning(MediaRow::as_returning())
                    .get_results(&mut *conn)
                    .await?,
            )
        })?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Whether any record of `tenant` still refers to the content `sha256`.
    pub async fn media_hash_in_use(&self, tenant: &TenantId, sha256: &str) -> Result<bool> {
        let db = self.connections().read().await?;
        let count: i64 = with_connection!(db, |conn| {
            Ok(media_files::table
                .filter(media_files::tenant_id.eq(tenant.as_str()))
                .filter(media_files::sha256.eq(sha256))
                .count()
                .get_result(conn)
                .await?)
        })?;
        Ok(count > 0)
    }
}
