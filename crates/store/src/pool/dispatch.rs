//! Running one query body on either backend: the checked-out connection ([`DbConn`]), the
//! per-backend extras ([`BackendConn`]) and the macros [`with_connection!`],
//! [`with_claim_connection!`] and [`transaction!`].

use diesel::connection::AnsiTransactionManager;
use diesel_async::pooled_connection::deadpool::Object as PgObject;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, TransactionManager};

use super::{SqliteConn, SqliteReaders, WriterSlot};
use crate::error::Result;

/// A checked-out connection of either backend; use it through [`with_connection!`].
#[expect(
    clippy::large_enum_variant,
    reason = "lives for one operation; boxing would allocate on every query"
)]
pub(crate) enum DbConn<'a> {
    Pg(PgObject<AsyncPgConnection>),
    Sqlite(SqliteHandle<'a>),
}

/// An SQLite connection: the locked writer or a pooled reader.
pub(crate) enum SqliteHandle<'a> {
    /// The writer, and for a background write the permit that keeps other background writes
    /// queued behind it.
    Writer(
        tokio::sync::MutexGuard<'a, WriterSlot>,
        #[expect(dead_code, reason = "held, not read: released when the handle drops")]
        Option<tokio::sync::SemaphorePermit<'a>>,
    ),
    Reader(deadpool::managed::Object<SqliteReaders>),
}

impl SqliteHandle<'_> {
    /// The connection itself.
    pub(crate) fn connection(&mut self) -> &mut SqliteConn {
        match self {
            SqliteHandle::Writer(slot, _) => &mut slot.conn,
            SqliteHandle::Reader(reader) => reader,
        }
    }

    /// Marks the writer clean after an operation ran to its end without leaving a transaction
    /// open. Not called when the operation's future is dropped, so the writer is then replaced.
    pub(crate) fn finish(&mut self) {
        if let SqliteHandle::Writer(slot, _) = self {
            let status =
                <SqliteConn as AsyncConnection>::TransactionManager::transaction_manager_status_mut(
                    &mut slot.conn,
                );
            slot.dirty = !matches!(status.transaction_depth(), Ok(None));
        }
    }
}

/// What the query bodies need beyond diesel-async's `AsyncConnection`, per backend.
pub(crate) trait BackendConn: AsyncConnection + Send {
    /// Begins a write transaction (SQLite: `BEGIN IMMEDIATE`, so a writer in another process
    /// makes us wait up to the busy timeout instead of failing half-way).
    async fn begin_write(&mut self) -> Result<()>;

    /// Serialises writers on `key` until the transaction ends (PostgreSQL: an advisory
    /// transaction lock; SQLite: nothing to do, there is one writer).
    async fn lock_key(&mut self, namespace: i32, key: &str) -> Result<()>;

    /// Commits after `Ok`, rolls back after `Err`; returns `outcome` (or the commit error).
    async fn end_write<T: Send>(&mut self, outcome: Result<T>) -> Result<T> {
        match outcome {
            Ok(value) => {
                <Self as AsyncConnection>::TransactionManager::commit_transaction(self).await?;
                Ok(value)
            }
            Err(error) => {
                if let Err(rollback) =
                    <Self as AsyncConnection>::TransactionManager::rollback_transaction(self).await
                {
                    tracing::warn!(error = %rollback, "rolling back a transaction failed");
                }
                Err(error)
            }
        }
    }
}

impl BackendConn for AsyncPgConnection {
    async fn begin_write(&mut self) -> Result<()> {
        <Self as AsyncConnection>::TransactionManager::begin_transaction(self).await?;
        Ok(())
    }

    async fn lock_key(&mut self, namespace: i32, key: &str) -> Result<()> {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, $2)")
            .bind::<diesel::sql_types::Integer, _>(namespace)
            .bind::<diesel::sql_types::Integer, _>(key_hash(key))
            .execute(self)
            .await?;
        Ok(())
    }
}

impl BackendConn for SqliteConn {
    async fn begin_write(&mut self) -> Result<()> {
        self.spawn_blocking(|conn| {
            AnsiTransactionManager::begin_transaction_sql(conn, "BEGIN IMMEDIATE")
        })
        .await?;
        Ok(())
    }

    async fn lock_key(&mut self, _namespace: i32, _key: &str) -> Result<()> {
        Ok(())
    }
}

/// A stable 32-bit hash (FNV-1a folded) of an advisory-lock key.
fn key_hash(key: &str) -> i32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in key.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    i32::from_ne_bytes(hash.to_ne_bytes())
}

/// Runs `$body` with `$conn` bound to the backend's concrete connection type: the body is
/// expanded (and type-checked) once per backend. Evaluates to the body's `Result`.
macro_rules! with_connection {
    ($db:expr, |$conn:ident| $body:expr) => {{
        match $db {
            $crate::pool::DbConn::Pg(mut pooled) => {
                let $conn: &mut ::diesel_async::AsyncPgConnection = &mut pooled;
                let outcome: $crate::error::Result<_> = async { $body }.await;
                outcome
            }
            $crate::pool::DbConn::Sqlite(mut handle) => {
                let outcome: $crate::error::Result<_> = async {
                    let $conn: &mut $crate::pool::SqliteConn = handle.connection();
                    $body
                }
                .await;
                handle.finish();
                outcome
            }
        }
    }};
}
pub(crate) use with_connection;

/// Like [`with_connection!`], and the body may wrap a sub-select in `skip_locked!(query)`:
/// `FOR UPDATE SKIP LOCKED` on PostgreSQL, nothing on SQLite (whose one writer already excludes
/// concurrent claims).
macro_rules! with_claim_connection {
    ($db:expr, |$conn:ident| $body:expr) => {{
        match $db {
            $crate::pool::DbConn::Pg(mut pooled) => {
                macro_rules! skip_locked {
                    ($query:expr) => {
                        $query.for_update().skip_locked()
                    };
                }
                let $conn: &mut ::diesel_async::AsyncPgConnection = &mut pooled;
                let outcome: $crate::error::Result<_> = async { $body }.await;
                outcome
            }
            $crate::pool::DbConn::Sqlite(mut handle) => {
                macro_rules! skip_locked {
                    ($query:expr) => {
                        $query
                    };
                }
                let outcome: $crate::error::Result<_> = async {
                    let $conn: &mut $crate::pool::SqliteConn = handle.connection();
                    $body
                }
                .await;
                handle.finish();
                outcome
            }
        }
    }};
}
pub(crate) use with_claim_connection;

/// Runs `$body` in a write transaction on `$conn` (inside a [`with_connection!`] body):
/// committed when it evaluates to `Ok`, rolled back on `Err`.
macro_rules! transaction {
    ($conn:ident, $body:expr) => {{
        $crate::pool::BackendConn::begin_write(&mut *$conn).await?;
        let outcome: $crate::error::Result<_> = async { $body }.await;
        $crate::pool::BackendConn::end_write(&mut *$conn, outcome).await
    }};
}
pub(crate) use transaction;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_hash_is_stable() {
        assert_eq!(
            key_hash(""),
            i32::from_ne_bytes(0x811c_9dc5_u32.to_ne_bytes())
        );
        assert_eq!(key_hash("wamid.1"), key_hash("wamid.1"));
        assert_ne!(key_hash("wamid.1"), key_hash("wamid.2"));
    }
}
