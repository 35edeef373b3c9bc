//! Per-test PostgreSQL databases cloned from a migrated template.

use std::time::{Duration, Instant};

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

use super::{Cleanup, DEFAULT_TEST_DATABASE_URL, TestStore};
use crate::{Store, redact_url};

/// Serialises template creation across test processes ("hotel-tm").
const TEMPLATE_LOCK_KEY: i64 = 0x686f_7465_6c2d_746d;

/// The template's name: one per PostgreSQL migration set.
fn template_name() -> String {
    format!(
        "hotel_tmpl_{}",
        env!("HOTEL_STORE_PG_MIGRATIONS_FINGERPRINT")
    )
}

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_TEST_DATABASE_URL.to_owned())
}

/// `url` with its database (path) replaced by `database`.
pub(super) fn with_database(url: &str, database: &str) -> String {
    let (before_query, query) = match url.split_once('?') {
        Some((head, query)) => (head, Some(query)),
        None => (url, None),
    };
    let scheme_end = before_query.find("://").map_or(0, |i| i + 3);
    let base = match before_query[scheme_end..].find('/') {
        Some(slash) => &before_query[..scheme_end + slash],
        None => before_query,
    };
    match query {
        Some(query) => format!("{base}/{database}?{query}"),
        None => format!("{base}/{database}"),
    }
}

async fn connect_admin(url: &str) -> Result<AsyncPgConnection, String> {
    AsyncPgConnection::establish(url).await.map_err(|e| {
        format!(
            "PostgreSQL is not reachable at {} ({e}); start it or point TEST_DATABASE_URL at a server \
             where the user may create databases",
            redact_url(url)
        )
    })
}

async fn execute(conn: &mut AsyncPgConnection, sql: &str) -> Result<(), String> {
    conn.batch_execute(sql)
        .await
        .map_err(|e| format!("`{sql}` failed: {e}"))
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn database_exists(conn: &mut AsyncPgConnection, name: &str) -> Result<bool, String> {
    let count: Count =
        diesel::sql_query("SELECT COUNT(*) AS n FROM pg_database WHERE datname = $1")
            .bind::<diesel::sql_types::Text, _>(name)
            .get_result(conn)
            .await
            .map_err(|e| format!("cannot list databases: {e}"))?;
    Ok(count.n > 0)
}

/// Creates the migrated template unless it exists; serialised across processes.
async fn ensure_template(admin_url: &str) -> Result<String, String> {
    let template = template_name();
    let mut admin = connect_admin(admin_url).await?;
    execute(
        &mut admin,
        &format!("SELECT pg_advisory_lock({TEMPLATE_LOCK_KEY})"),
    )
    .await?;
    let built = build_template(admin_url, &mut admin, &template).await;
    let unlocked = execute(
        &mut admin,
        &format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK_KEY})"),
    )
    .await;
    built?;
    unlocked?;
    Ok(template)
}

async fn build_template(
    admin_url: &str,
    admin: &mut AsyncPgConnection,
    template: &str,
) -> Result<(), String> {
    if database_exists(admin, template).await? {
        return Ok(());
    }
    // Built under another name and renamed at the end, so a crash never leaves a half-migrated
    // template behind.
    let building = format!("{template}_build");
    execute(
        admin,
        &format!("DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"),
    )
    .await?;
    execute(admin, &format!("CREATE DATABASE \"{building}\"")).await?;
    {
        let store = Store::connect(&with_database(admin_url, &building), 1)
            .await
            .map_err(|e| e.to_string())?;
        store
            .migrate()
            .await
            .map_err(|e| format!("migrating the template failed: {e}"))?;
    }
    // The store's connections close asynchronously: end any that remain, then rename.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        execute(
            admin,
            &format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{building}' AND pid <> pg_backend_pid()"
            ),
        )
        .await?;
        match execute(
            admin,
            &format!("ALTER DATABASE \"{building}\" RENAME TO \"{template}\""),
        )
        .await
        {
            Ok(()) => break,
            Err(error) if Instant::now() < deadline => {
                tracing::debug!(%error, "template still in use; retrying");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(error) => return Err(error),
        }
    }
    // Nobody may connect to the template, so cloning it never fails on a stray session.
    execute(
        admin,
        &format!("ALTER DATABASE \"{template}\" WITH ALLOW_CONNECTIONS false"),
    )
    .await
}

/// A fresh database cloned from the template, with a store connected to it.
pub(super) async fn clone_database() -> Result<TestStore, String> {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let admin_url = admin_url();
    let template = TEMPLATE
        .get_or_try_init(|| ensure_template(&admin_url))
        .await?
        .clone();
    let database = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = connect_admin(&admin_url).await?;
    // The default strategy (WAL_LOG on PostgreSQL 15+) is the faster one for a small template:
    // FILE_COPY forces two checkpoints per clone (measured ≈ 1.2 s against ≈ 0.4 s here, and its
    // databases take ≈ 0.9 s instead of ≈ 0.1 s to drop).
    execute(
        &mut admin,
        &format!("CREATE DATABASE \"{database}\" TEMPLATE \"{template}\""),
    )
    .await?;
    drop(admin);
    let url = with_database(&admin_url, &database);
    let store = Store::connect(&url, 4).await.map_err(|e| e.to_string())?;
    Ok(TestStore {
        store,
        url,
        cleanup: Cleanup::Postgres {
            admin_url,
            database,
        },
    })
}

/// Drops a test database (best effort), from a thread of its own since `Drop` cannot await.
pub(super) fn drop_database(admin_url: &str, database: &str) {
    let admin_url = admin_url.to_owned();
    let sql = format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    let dropped = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(async {
            let mut admin = connect_admin(&admin_url).await?;
            execute(&mut admin, &sql).await
        })
    })
    .join();
    match dropped {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::warn!(%error, "dropping a test database failed"),
        Err(_) => tracing::warn!("dropping a test database panicked"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_of_a_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "t_1"),
            "postgres://postgres@127.0.0.1:5432/t_1"
        );
        assert_eq!(
            with_database("postgres://u:p@db/test?sslmode=disable", "t_2"),
            "postgres://u:p@db/t_2?sslmode=disable"
        );
        assert_eq!(with_database("postgres://db", "t_3"), "postgres://db/t_3");
        assert!(template_name().starts_with("hotel_tmpl_"));
    }
}
