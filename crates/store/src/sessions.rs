//! The write-through copy of conversation sessions (the embedded session store's durable half).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use hotel_domain::{TenantId, WaId};

use crate::Store;
use crate::convert::to_db;
use crate::error::Result;
use crate::pool::with_connection;
use crate::schema::conversation_sessions;

#[derive(Insertable)]
#[diesel(table_name = conversation_sessions)]
struct SessionRow<'a> {
    tenant_id: &'a str,
    wa_id: &'a str,
    version: i64,
    data: &'a str,
    expires_at: NaiveDateTime,
}

impl Store {
    /// The stored `(version, data)` of a conversation, unless it expired at or before `now`.
    pub async fn load_session(
        &self,
        tenant: &TenantId,
        wa_id: &WaId,
        now: DateTime<Utc>,
    ) -> Result<Option<(i64, String)>> {
        let now = to_db(now);
        let db = self.connections().read().await?;
        with_connection!(db, |conn| {
            Ok(conversation_sessions::table
                .find((tenant.as_str(), wa_id.as_str()))
                .filter(conversation_sessions::expires_at.gt(now))
                .select((conversation_sessions::version, conversation_sessions::data))
                .first(conn)
                .await
                .optional()?)
        })
    }

    /// Creates or replaces the stored copy of a conversation (last write wins).
    pub async fn store_session(
        &self,
        tenant: &TenantId,
        wa_id: &WaId,
        version: i64,
        data: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let row = SessionRow {
            tenant_id: tenant.as_str(),
            wa_id: wa_id.as_str(),
            version,
            data,
            expires_at: to_db(expires_at),
        };
        let db = self.connections().write_background().await?;
        with_connection!(db, |conn| {
            diesel::insert_into(conversation_sessions::table)
                .values(&row)
                .on_conflict((
                    conversation_sessions::tenant_id,
                    conversation_sessions::wa_id,
                ))
                .do_update()
                .set((
                    conversation_sessions::version.eq(excluded(conversation_sessions::version)),
                    conversation_sessions::data.eq(excluded(conversation_sessions::data)),
                    conversation_sessions::expires_at
                        .eq(excluded(conversation_sessions::expires_at)),
                ))
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    /// Deletes the sessions that expired at or before `now`; returns how many.
    pub async fn purge_expired_sessions(&self, now: DateTime<Utc>) -> Result<usize> {
        let now = to_db(now);
        let db = self.connections().write_background().await?;
        with_connection!(db, |conn| {
            Ok(diesel::delete(
                conversation_sessions::table.filter(conversation_sessions::expires_at.le(now)),
            )
            .execute(conn)
            .await?)
        })
    }
}
