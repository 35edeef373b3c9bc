//! Test support (feature `testing`): a migrated, isolated [`Store`] per test.
//!
//! PostgreSQL: every call gets a fresh database cloned from a migrated template
//! (`CREATE DATABASE t_<uuid> TEMPLATE hotel_tmpl_<fingerprint>`, ≈ 50 ms). The template is built
//! once per migration set (its name carries a fingerprint of `migrations/postgres`), serialised
//! across processes with `pg_advisory_lock`, and closed to connections so it can be cloned. The
//! admin URL comes from `TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`.
//! SQLite: a fresh file in a temporary directory.
//!
//! These helpers panic with a clear message when the database is unreachable: a test that needs
//! PostgreSQL fails rather than silently skipping.

mod postgres;

use diesel::QueryableByName;
use diesel::sql_types::{Bool, Text};
use diesel_async::RunQueryDsl;

use crate::pool::with_connection;
use crate::{Backend, Result, Store};

/// The admin URL used when `TEST_DATABASE_URL` is not set.
pub const DEFAULT_TEST_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A migrated store on its own database, removed (best effort) when dropped.
#[derive(Debug)]
pub struct TestStore {
    /// The store, migrated.
    pub store: Store,
    /// Its URL: connect again to simulate a restart.
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Postgres { admin_url: String, database: String },
    Sqlite { _dir: tempfile::TempDir },
}

impl Drop for TestStore {
    fn drop(&mut self) {
        if let Cleanup::Postgres {
            admin_url,
            database,
        } = &self.cleanup
        {
            postgres::drop_database(admin_url, database);
        }
    }
}

/// A migrated store on a database of its own.
///
/// # Panics
///
/// When the database cannot be reached or prepared; the message says how to fix it.
#[expect(
    clippy::panic,
    reason = "test support: a test without its database must fail loudly"
)]
pub async fn test_store(backend: Backend) -> TestStore {
    let prepared = match backend {
        Backend::Postgres => postgres::clone_database().await,
        Backend::Sqlite => sqlite_store().await,
    };
    prepared.unwrap_or_else(|message| panic!("test_store({backend}): {message}"))
}

async fn sqlite_store() -> std::result::Result<TestStore, String> {
    let dir = tempfile::Builder::new()
        .prefix("hotel-store-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let url = format!("sqlite://{}", dir.path().join("hotel.db").display());
    let store = Store::connect(&url, 4).await.map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    Ok(TestStore {
        store,
        url,
        cleanup: Cleanup::Sqlite { _dir: dir },
    })
}

/// Runs `sql` (one statement) on the store's writer: for tests that break the schema on purpose,
/// e.g. renaming a table to make a repository fail as if its database were down.
pub async fn execute_sql(store: &Store, sql: &str) -> Result<usize> {
    let db = store.connections().write().await?;
    with_connection!(db, |conn| Ok(diesel::sql_query(sql).execute(conn).await?))
}

/// One column of the live schema, with its type normalised across backends.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnInfo {
    pub table: String,
    pub column: String,
    /// `integer` (any integer width), `text`, `timestamp`, `boolean`, or the raw type name.
    pub kind: String,
    pub nullable: bool,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

const POSTGRES_COLUMNS: &str = "SELECT table_name::text AS table_name, column_name::text AS column_name, \
     data_type::text AS data_type, (is_nullable = 'YES') AS nullable \
     FROM information_schema.columns \
     WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_\\_diesel%' \
     ORDER BY table_name, ordinal_position";

const SQLITE_COLUMNS: &str = "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
     (p.\"notnull\" = 0 AND p.pk = 0) AS nullable \
     FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p \
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
     AND m.name NOT LIKE '\\_\\_diesel%' ESCAPE '\\' \
     ORDER BY m.name, p.cid";

/// The tables and columns the migrations created (the migration bookkeeping table excluded),
/// ordered by table then column position, so the two backends' schemas can be compared.
pub async fn schema_columns(store: &Store) -> Result<Vec<ColumnInfo>> {
    let sql = match store.backend() {
        Backend::Postgres => POSTGRES_COLUMNS,
        Backend::Sqlite => SQLITE_COLUMNS,
    };
    let db = store.connections().read().await?;
    let rows: Vec<ColumnRow> =
        with_connection!(db, |conn| Ok(diesel::sql_query(sql).load(conn).await?))?;
    Ok(rows
        .into_iter()
        .map(|row| ColumnInfo {
            table: row.table_name,
            column: row.column_name,
            kind: normalise_type(&row.data_type),
            nullable: row.nullable,
        })
        .collect())
}

fn normalise_type(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "integer" | "bigint" | "smallint" | "int" | "int4" | "int8" => "integer".to_owned(),
        "text" => "text".to_owned(),
        "timestamp" | "timestamp without time zone" => "timestamp".to_owned(),
        "boolean" | "bool" => "boolean".to_owned(),
        _ => lower,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_normalise_across_backends() {
        assert_eq!(normalise_type("BIGINT"), normalise_type("integer"));
        assert_eq!(
            normalise_type("TIMESTAMP"),
            normalise_type("timestamp without time zone")
        );
        assert_eq!(normalise_type("TEXT"), "text");
        assert_eq!(normalise_type("jsonb"), "jsonb");
    }
}
