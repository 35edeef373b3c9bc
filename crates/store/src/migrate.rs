//! Embedded migrations, applied and reverted under a lock.

use diesel::backend::Backend as DieselBackend;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::Object as PgObject;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::Store;
use crate::error::{Result, StoreError};
use crate::pool::{Connections, DbConn};

/// The PostgreSQL migrations (`migrations/postgres`).
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
/// The SQLite migrations (`migrations/sqlite`).
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// The `pg_advisory_lock` key that serialises migrations across instances ("hotel-mg").
const MIGRATION_LOCK_KEY: i64 = 0x686f_7465_6c2d_6d67;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

impl Store {
    /// Applies pending migrations under a lock (PostgreSQL: `pg_advisory_lock`, so several
    /// instances can start together; SQLite: the writer plus `BEGIN IMMEDIATE`). Returns how
    /// many were applied: 0 when the schema is current.
    pub async fn migrate(&self) -> Result<usize> {
        let applied = run(self.connections(), Direction::Up).await?;
        if applied > 0 {
            tracing::info!(applied, backend = %self.backend(), "database migrations applied");
        }
        Ok(applied)
    }

    /// Reverts every applied migration, newest first (for up → down → up checks). Returns how
    /// many were reverted.
    pub async fn revert_all(&self) -> Result<usize> {
        let reverted = run(self.connections(), Direction::Down).await?;
        tracing::info!(reverted, backend = %self.backend(), "database migrations reverted");
        Ok(reverted)
    }
}

async fn run(connections: &Connections, direction: Direction) -> Result<usize> {
    match connections.write().await? {
        DbConn::Pg(pooled) => {
            // The session-level lock lives on this connection, so take it out of the pool: if
            // anything below fails, dropping it ends the session and releases the lock.
            let mut conn = PgObject::take(pooled);
            diesel::sql_query("SELECT pg_advisory_lock($1)")
                .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK_KEY)
                .execute(&mut conn)
                .await?;
            // diesel's migration harness is synchronous: drive the async connection from a
            // blocking thread (`AsyncConnectionWrapper` blocks on the runtime's handle).
            let (mut conn, outcome) = tokio::task::spawn_blocking(move || {
                let mut wrapper = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
                let outcome = apply(&mut wrapper, POSTGRES_MIGRATIONS, direction);
                (wrapper.into_inner(), outcome)
            })
            .await?;
            diesel::sql_query("SELECT pg_advisory_unlock($1)")
                .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK_KEY)
                .execute(&mut conn)
                .await?;
            outcome
        }
        DbConn::Sqlite(mut handle) => {
            let outcome =
                handle
                    .connection()
                    .spawn_blocking(move |conn| {
                        Ok(conn.immediate_transaction(|conn| {
                            apply(conn, SQLITE_MIGRATIONS, direction)
                        }))
                    })
                    .await;
            handle.finish();
            outcome?
        }
    }
}

fn apply<DB, H>(harness: &mut H, source: EmbeddedMigrations, direction: Direction) -> Result<usize>
where
    DB: DieselBackend,
    H: MigrationHarness<DB>,
    EmbeddedMigrations: diesel::migration::MigrationSource<DB>,
{
    let versions = match direction {
        Direction::Up => harness.run_pending_migrations(source),
        Direction::Down => harness.revert_all_migrations(source),
    };
    versions
        .map(|versions| versions.len())
        .map_err(|e| StoreError::Migration(e.to_string()))
}
