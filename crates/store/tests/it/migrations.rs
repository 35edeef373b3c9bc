//! Migrations (up → down → up, idempotent), the two schema trees, URLs, connections, restarts.

use diesel::migration::MigrationSource;
use hotel_store::testing::{schema_columns, test_store};
use hotel_store::{Backend, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS, Store};

use crate::support::{at, message, on_both_backends, store_with_tenant, tenant};

/// How many migrations each tree holds: the directories under `migrations/<backend>/`, counted
/// on disk (so adding a migration needs no change here). Both trees hold the same number.
fn migration_count() -> usize {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let count = |backend: &str| {
        std::fs::read_dir(root.join(backend))
            .expect("the migrations directory")
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
            .count()
    };
    let postgres = count("postgres");
    assert_eq!(postgres, count("sqlite"), "both trees hold every migration");
    assert!(postgres > 0, "migrations found on disk");
    postgres
}

async fn migrations_go_up_down_and_up_again(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    assert_eq!(store.backend(), backend);
    assert_eq!(
        store.migrate().await.expect("second migrate"),
        0,
        "already migrated"
    );
    let tables = schema_columns(store).await.expect("schema");
    assert!(!tables.is_empty());

    let reverted = store.revert_all().await.expect("revert");
    assert_eq!(reverted, migration_count());
    assert!(
        schema_columns(store).await.expect("schema").is_empty(),
        "down.sql drops every table"
    );

    assert_eq!(
        store.migrate().await.expect("migrate again"),
        migration_count()
    );
    assert_eq!(schema_columns(store).await.expect("schema"), tables);
    assert_eq!(store.migrate().await.expect("idempotent"), 0);
    store.ping().await.expect("ping");
}

async fn data_survives_a_reconnect(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let stored = test
        .store
        .insert_inbound(&[message("g1", "wamid.r1", at(10, 0, 0))], at(10, 0, 1))
        .await;
    assert_eq!(stored.expect("insert"), vec![true]);

    let again = Store::connect(&test.url, 2).await.expect("reconnect");
    assert_eq!(again.migrate().await.expect("migrate"), 0);
    let record = again
        .inbound_by_provider_id(&tenant(), "wamid.r1")
        .await
        .expect("read");
    assert_eq!(
        record.map(|r| r.message.text),
        Some(Some("text of wamid.r1".to_owned()))
    );
    let duplicate = again
        .insert_inbound(&[message("g1", "wamid.r1", at(10, 0, 0))], at(10, 0, 2))
        .await;
    assert_eq!(duplicate.expect("insert"), vec![false]);
}

/// A write whose future is dropped half-way (a client disconnect) leaves the store usable and
/// every message stored exactly once.
async fn an_interrupted_write_leaves_the_store_usable(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let batch: Vec<_> = (0..20)
        .map(|i| message(&format!("g{i}"), &format!("wamid.c{i}"), at(10, 0, i)))
        .collect();
    for _ in 0..5 {
        let _ = tokio::time::timeout(
            std::time::Duration::ZERO,
            test.store.insert_inbound(&batch, at(10, 1, 0)),
        )
        .await;
    }
    let stored = test
        .store
        .insert_inbound(&batch, at(10, 1, 0))
        .await
        .expect("insert after interruptions");
    assert_eq!(stored.len(), 20);
    let again = test
        .store
        .insert_inbound(&batch, at(10, 1, 0))
        .await
        .expect("insert again");
    assert_eq!(again, vec![false; 20], "everything is stored by now");
    let claimed = test
        .store
        .claim_inbound("w", 100, at(10, 2, 0), crate::support::LEASE)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 20, "each message exactly once");
}

on_both_backends!(
    migrations_go_up_down_and_up_again,
    data_survives_a_reconnect,
    an_interrupted_write_leaves_the_store_usable
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_trees_create_the_same_schema() {
    let postgres = test_store(Backend::Postgres).await;
    let sqlite = test_store(Backend::Sqlite).await;
    let pg_columns = schema_columns(&postgres.store)
        .await
        .expect("postgres schema");
    let sqlite_columns = schema_columns(&sqlite.store).await.expect("sqlite schema");
    let mut pg_sorted = pg_columns.clone();
    let mut sqlite_sorted = sqlite_columns.clone();
    pg_sorted.sort();
    sqlite_sorted.sort();
    assert_eq!(
        pg_sorted, sqlite_sorted,
        "same tables, columns, types and nullability"
    );

    // And both match the hand-written diesel schema, column for column, in order.
    for (table, columns) in hotel_store::schema::TABLES {
        let live: Vec<&str> = pg_columns
            .iter()
            .filter(|c| c.table == *table)
            .map(|c| c.column.as_str())
            .collect();
        assert_eq!(live, *columns, "postgres {table}");
        let live: Vec<&str> = sqlite_columns
            .iter()
            .filter(|c| c.table == *table)
            .map(|c| c.column.as_str())
            .collect();
        assert_eq!(live, *columns, "sqlite {table}");
    }
    let mut tables: Vec<&str> = pg_columns.iter().map(|c| c.table.as_str()).collect();
    tables.dedup();
    assert_eq!(tables.len(), hotel_store::schema::TABLES.len());
}

#[test]
fn both_migration_trees_have_the_same_migrations() {
    let pg: Vec<String> = MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS)
        .expect("postgres migrations")
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    let sqlite: Vec<String> =
        MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
            .expect("sqlite migrations")
            .iter()
            .map(|m| m.name().to_string())
            .collect();
    assert_eq!(pg, sqlite);
    assert_eq!(pg.len(), migration_count());
}

#[tokio::test]
async fn unknown_schemes_are_rejected_without_the_password() {
    let error = Store::connect("mysql://app:hunter2@db/hotel", 1)
        .await
        .expect_err("mysql is not supported");
    let message = error.to_string();
    assert!(
        matches!(error, hotel_store::StoreError::InvalidUrl { .. }),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

#[tokio::test]
async fn an_unreachable_postgres_fails_without_the_password() {
    // Port 1 is never a PostgreSQL server.
    let error = Store::connect("postgres://app:hunter2@127.0.0.1:1/hotel", 1)
        .await
        .expect_err("nothing listens");
    let message = format!("{error} {error:?}");
    assert!(
        matches!(error, hotel_store::StoreError::Connect(_)),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

#[tokio::test]
async fn sqlite_creates_the_directory_and_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested").join("deeper").join("hotel.db");
    let store = Store::connect(&format!("sqlite://{}", path.display()), 2)
        .await
        .expect("connect");
    assert!(path.exists(), "the database file is created");
    assert_eq!(store.migrate().await.expect("migrate"), migration_count());
    store.ping().await.expect("ping");
}

#[tokio::test]
async fn an_in_memory_sqlite_store_works() {
    let store = Store::connect("sqlite::memory:", 4).await.expect("connect");
    assert_eq!(store.backend(), Backend::Sqlite);
    assert_eq!(store.migrate().await.expect("migrate"), migration_count());
    let hotel = hotel_store::NewTenant {
        id: tenant(),
        name: "Hotel".into(),
        phone_number_id: None,
        timezone: "UTC".into(),
        default_language: hotel_domain::Language::En,
    };
    store
        .upsert_tenant(&hotel, at(9, 0, 0))
        .await
        .expect("tenant");
    assert!(store.tenant(&tenant()).await.expect("read").is_some());
    assert!(format!("{store:?}").contains("Sqlite"));
}
