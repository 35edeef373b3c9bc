//! Connections for both backends; `dispatch` runs one query body on either of them.
//!
//! PostgreSQL: a deadpool pool of `AsyncPgConnection`s. SQLite: one writer connection behind a
//! tokio mutex (writes are serialised, so `SQLITE_BUSY` never reaches a caller) plus a small pool
//! of read-only connections for a file database (WAL lets them read beside the writer).
//!
//! Queries are written once, in the style Vaultwarden uses with diesel: [`with_connection!`]
//! expands the same body once per backend, so every query is type-checked for both.

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::{Object as PgObject, Pool as PgPool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::sync_connection_wrapper::{SpawnBlocking, SyncConnectionWrapper};
use futures::FutureExt as _;
use futures::future::BoxFuture;

mod dispatch;

pub(crate) use dispatch::{
    BackendConn, DbConn, SqliteHandle, transaction, with_claim_connection, with_connection,
};

use crate::backend::{DatabaseTarget, scrub, url_password};
use crate::error::{Result, StoreError};

/// The async SQLite connection type.
pub(crate) type SqliteConn = SyncConnectionWrapper<SqliteConnection, InPlace>;

/// Runs SQLite's calls in place, on the calling task's thread, instead of handing each statement
/// to tokio's blocking pool. A statement on a local WAL database takes microseconds, far less
/// than the two thread switches a hand-off costs (measured: 1.1 ms of CPU per message end to end
/// with hand-offs, 0.45 ms in place). Opening a file still runs on a blocking thread; migrations
/// run in place once, at start-up.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct InPlace;

impl SpawnBlocking for InPlace {
    fn spawn_blocking<'a, R>(
        &mut self,
        task: impl FnOnce() -> R + Send + 'static,
    ) -> BoxFuture<'a, std::result::Result<R, Box<dyn std::error::Error + Send + Sync + 'static>>>
    where
        R: Send + 'static,
    {
        futures::future::ready(Ok(task())).boxed()
    }

    fn get_runtime() -> Self {
        InPlace
    }
}

/// How long a caller waits for a pooled connection, and for a new one to open.
const POOL_WAIT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The SQLite busy timeout in milliseconds (only another process can make the writer wait).
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5000;
/// The most read connections an SQLite store opens.
const SQLITE_MAX_READERS: usize = 4;

/// The open connections of a store.
pub(crate) enum Connections {
    Postgres {
        pool: PgPool<AsyncPgConnection>,
        url: String,
    },
    Sqlite(SqliteConnections),
}

/// SQLite: the writer, the optional readers, and what to reopen when the writer is replaced.
pub(crate) struct SqliteConnections {
    writer: tokio::sync::Mutex<WriterSlot>,
    /// Background writes (the workers') queue here first, one at a time, so that a webhook's
    /// insert waits behind at most one of them at the writer instead of a whole batch.
    background: tokio::sync::Semaphore,
    readers: Option<deadpool::managed::Pool<SqliteReaders>>,
    location: String,
    /// Keeps a shared in-memory database alive while the writer is replaced.
    _keeper: Option<std::sync::Mutex<SqliteConnection>>,
}

/// The writer connection and whether an operation on it was interrupted.
pub(crate) struct WriterSlot {
    pub(crate) conn: SqliteConn,
    /// Set while an operation runs; still set afterwards only when the operation's future was
    /// dropped half-way (or left a transaction open): the connection is then replaced, since it
    /// may hold an open transaction or still be in use by a blocking task.
    pub(super) dirty: bool,
}

impl Connections {
    /// Opens the connections for `target`.
    pub(crate) async fn open(
        target: &DatabaseTarget,
        max_connections: usize,
    ) -> Result<Connections> {
        let max_connections = max_connections.max(1);
        match target {
            DatabaseTarget::Postgres(url) => open_postgres(url, max_connections).await,
            DatabaseTarget::SqliteFile(path) => {
                let location = path.to_string_lossy().into_owned();
                let dir = path.parent().map(PathBuf::from);
                tokio::task::spawn_blocking(move || match dir {
                    Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(&dir),
                    _ => Ok(()),
                })
                .await?
                .map_err(|e| {
                    StoreError::Connect(format!(
                        "cannot create the directory of {}: {e}",
                        path.display()
                    ))
                })?;
                let writer = open_sqlite(location.clone(), Role::Writer).await?;
                let readers = deadpool::managed::Pool::builder(SqliteReaders {
                    location: location.clone(),
                })
                .max_size(max_connections.min(SQLITE_MAX_READERS))
                .runtime(deadpool::Runtime::Tokio1)
                .wait_timeout(Some(POOL_WAIT))
                .create_timeout(Some(CONNECT_TIMEOUT))
                .build()
                .map_err(|e| StoreError::Connect(e.to_string()))?;
                Ok(Connections::Sqlite(SqliteConnections {
                    writer: tokio::sync::Mutex::new(WriterSlot {
                        conn: writer,
                        dirty: false,
                    }),
                    background: tokio::sync::Semaphore::new(1),
                    readers: Some(readers),
                    location,
                    _keeper: None,
                }))
            }
            DatabaseTarget::SqliteMemory => {
                // A named shared-cache database lives as long as one connection to it is open, so
                // the writer can be replaced without losing the data. Reads go through the writer.
                let location = format!(
                    "file:hotel-{}?mode=memory&cache=shared",
                    uuid::Uuid::new_v4().simple()
                );
                let keeper_location = location.clone();
                let keeper = tokio::task::spawn_blocking(move || {
                    SqliteConnection::establish(&keeper_location)
                })
                .await?
                .map_err(|e| StoreError::Connect(e.to_string()))?;
                let writer = open_sqlite(location.clone(), Role::Writer).await?;
                Ok(Connections::Sqlite(SqliteConnections {
                    writer: tokio::sync::Mutex::new(WriterSlot {
                        conn: writer,
                        dirty: false,
                    }),
                    background: tokio::sync::Semaphore::new(1),
                    readers: None,
                    location,
                    _keeper: Some(std::sync::Mutex::new(keeper)),
                }))
            }
        }
    }

    /// A connection for statements that write (on SQLite: the one writer).
    pub(crate) async fn write(&self) -> Result<DbConn<'_>> {
        match self {
            Connections::Postgres { pool, url } => Ok(DbConn::Pg(pg_connection(pool, url).await?)),
            Connections::Sqlite(sqlite) => Ok(DbConn::Sqlite(SqliteHandle::Writer(
                sqlite.writer().await?,
                None,
            ))),
        }
    }

    /// A connection for the workers' writes (claims, completions, deliveries, sessions). On
    /// SQLite these yield to the webhook's writes: at most one of them waits at the writer.
    pub(crate) async fn write_background(&self) -> Result<DbConn<'_>> {
        match self {
            Connections::Postgres { .. } => self.write().await,
            Connections::Sqlite(sqlite) => {
                let permit = sqlite
                    .background
                    .acquire()
                    .await
                    .map_err(|e| StoreError::Connect(e.to_string()))?;
                Ok(DbConn::Sqlite(SqliteHandle::Writer(
                    sqlite.writer().await?,
                    Some(permit),
                )))
            }
        }
    }

    /// A connection for reads (on SQLite: a read-only connection when the database is a file).
    pub(crate) async fn read(&self) -> Result<DbConn<'_>> {
        match self {
            Connections::Postgres { pool, url } => Ok(DbConn::Pg(pg_connection(pool, url).await?)),
            Connections::Sqlite(sqlite) => match &sqlite.readers {
                Some(readers) => {
                    let reader = readers
                        .get()
                        .await
                        .map_err(|e| StoreError::Connect(e.to_string()))?;
                    Ok(DbConn::Sqlite(SqliteHandle::Reader(reader)))
                }
                None => Ok(DbConn::Sqlite(SqliteHandle::Writer(
                    sqlite.writer().await?,
                    None,
                ))),
            },
        }
    }
}

impl SqliteConnections {
    /// Locks the writer, first replacing it when an earlier operation was interrupted.
    pub(crate) async fn writer(&self) -> Result<tokio::sync::MutexGuard<'_, WriterSlot>> {
        let mut slot = self.writer.lock().await;
        if slot.dirty {
            tracing::warn!("replacing the SQLite writer connection after an interrupted operation");
            slot.conn = open_sqlite(self.location.clone(), Role::Writer).await?;
        }
        slot.dirty = true;
        Ok(slot)
    }
}

async fn open_postgres(url: &str, max_connections: usize) -> Result<Connections> {
    let mut config = ManagerConfig::default();
    // `Fast` still discards connections that are closed or hold an open transaction, without a
    // `SELECT 1` round trip on every checkout.
    config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
    let pool = PgPool::builder(manager)
        .max_size(max_connections)
        .runtime(deadpool::Runtime::Tokio1)
        .wait_timeout(Some(POOL_WAIT))
        .create_timeout(Some(CONNECT_TIMEOUT))
        .build()
        .map_err(|e| StoreError::Connect(scrub(&e.to_string(), url_password(url))))?;
    // Fail fast on a wrong URL or an unreachable server.
    drop(pg_connection(&pool, url).await?);
    Ok(Connections::Postgres {
        pool,
        url: url.to_owned(),
    })
}

async fn pg_connection(
    pool: &PgPool<AsyncPgConnection>,
    url: &str,
) -> Result<PgObject<AsyncPgConnection>> {
    pool.get()
        .await
        .map_err(|e| StoreError::Connect(scrub(&e.to_string(), url_password(url))))
}

/// What an SQLite connection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Writer,
    Reader,
}

/// Opens and configures one SQLite connection on a blocking thread.
async fn open_sqlite(location: String, role: Role) -> Result<SqliteConn> {
    let conn = tokio::task::spawn_blocking(move || -> Result<SqliteConnection> {
        let mut conn = SqliteConnection::establish(&location)
            .map_err(|e| StoreError::Connect(format!("{location}: {e}")))?;
        // busy_timeout first: switching to WAL needs a lock another process may hold.
        let pragmas = match role {
            Role::Writer => format!(
                "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
            ),
            Role::Reader => {
                format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA query_only = ON;")
            }
        };
        conn.batch_execute(&pragmas)?;
        Ok(conn)
    })
    .await??;
    Ok(SyncConnectionWrapper::new(conn))
}

/// The deadpool manager of SQLite read connections.
pub(crate) struct SqliteReaders {
    location: String,
}

impl deadpool::managed::Manager for SqliteReaders {
    type Type = SqliteConn;
    type Error = StoreError;

    async fn create(&self) -> Result<SqliteConn> {
        open_sqlite(self.location.clone(), Role::Reader).await
    }

    async fn recycle(
        &self,
        _conn: &mut SqliteConn,
        _metrics: &deadpool::managed::Metrics,
    ) -> deadpool::managed::RecycleResult<StoreError> {
        // Readers never open transactions; a query interrupted half-way finishes on its blocking
        // thread and the next one waits for it.
        Ok(())
    }
}
