//! Tenants (hotels): upsert and lookups.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use hotel_domain::{Language, TenantId};

use crate::Store;
use crate::convert::{from_db, parse_stored, to_db};
use crate::error::Result;
use crate::pool::with_connection;
use crate::schema::tenants;

/// A tenant to create or update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTenant {
    pub id: TenantId,
    pub name: String,
    /// The WhatsApp business number (`metadata.phone_number_id`) that routes messages here.
    pub phone_number_id: Option<String>,
    /// An IANA time zone name, e.g. `America/Argentina/Buenos_Aires`.
    pub timezone: String,
    pub default_language: Language,
}

/// A stored tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantRecord {
    pub id: TenantId,
    pub name: String,
    pub phone_number_id: Option<String>,
    pub timezone: String,
    pub default_language: Language,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = tenants, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct TenantRow {
    id: String,
    name: String,
    phone_number_id: Option<String>,
    timezone: String,
    default_language: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TenantRow {
    fn into_record(self) -> Result<TenantRecord> {
        Ok(TenantRecord {
            id: TenantId::new(self.id),
            name: self.name,
            phone_number_id: self.phone_number_id,
            timezone: self.timezone,
            default_language: parse_stored(&self.default_language, "language")?,
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = tenants, treat_none_as_default_value = false)]
struct TenantInsert<'a> {
    id: &'a str,
    name: &'a str,
    phone_number_id: Option<&'a str>,
    timezone: &'a str,
    default_language: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl Store {
    /// Creates the tenant, or updates its name, number, time zone and language (keeping
    /// `created_at`). A number already owned by another tenant is a unique violation
    /// ([`StoreError::is_unique_violation`](crate::StoreError::is_unique_violation)).
    pub async fn upsert_tenant(&self, tenant: &NewTenant, now: DateTime<Utc>) -> Result<()> {
        let now = to_db(now);
        let row = TenantInsert {
            id: tenant.id.as_str(),
            name: &tenant.name,
            phone_number_id: tenant.phone_number_id.as_deref(),
            timezone: &tenant.timezone,
            default_language: tenant.default_language.code(),
            created_at: now,
            updated_at: now,
        };
        let db = self.connections().write().await?;
        with_connection!(db, |conn| {
            diesel::insert_into(tenants::table)
                .values(&row)
                .on_conflict(tenants::id)
                .do_update()
                .set((
                    tenants::name.eq(excluded(tenants::name)),
                    tenants::phone_number_id.eq(excluded(tenants::phone_number_id)),
                    tenants::timezone.eq(excluded(tenants::timezone)),
                    tenants::default_language.eq(excluded(tenants::default_language)),
                    tenants::updated_at.eq(excluded(tenants::updated_at)),
                ))
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    /// The tenant with this id.
    pub async fn tenant(&self, id: &TenantId) -> Result<Option<TenantRecord>> {
        let db = self.connections().read().await?;
        let row = with_connection!(db, |conn| {
            Ok(tenants::table
                .find(id.as_str())
                .select(TenantRow::as_select())
                .first(conn)
                .await
                .optional()?)
        })?;
        row.map(TenantRow::into_record).transpose()
    }

    /// The tenant that owns a WhatsApp business number.
    pub async fn tenant_by_phone_number_id(
        &self,
        phone_number_id: &str,
    ) -> Result<Option<TenantRecord>> {
        let db = self.connections().read().await?;
        let row = with_connection!(db, |conn| {
            Ok(tenants::table
                .filter(tenants::phone_number_id.eq(phone_number_id))
                .select(TenantRow::as_select())
                .first(conn)
                .await
                .optional()?)
        })?;
        row.map(TenantRow::into_record).transpose()
    }
}
