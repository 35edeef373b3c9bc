//! Tenants and the session write-through.

use chrono::Duration;
use hotel_domain::{Language, TenantId, WaId};
use hotel_store::{Backend, NewTenant};

use crate::support::{NUMBER, at, on_both_backends, store_with_tenant, tenant};

async fn tenants_are_upserted_and_found_by_number(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let created = store
        .tenant(&tenant())
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (created.name.as_str(), created.default_language),
        ("Hotel Uno", Language::Es)
    );
    assert_eq!(created.created_at, at(9, 0, 0));
    assert_eq!(
        store
            .tenant_by_phone_number_id(NUMBER)
            .await
            .expect("read")
            .map(|t| t.id),
        Some(tenant())
    );

    let renamed = NewTenant {
        id: tenant(),
        name: "Hotel Uno & Spa".into(),
        phone_number_id: Some("200".into()),
        timezone: "America/Sao_Paulo".into(),
        default_language: Language::Pt,
    };
    store
        .upsert_tenant(&renamed, at(9, 30, 0))
        .await
        .expect("update");
    let updated = store
        .tenant(&tenant())
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (updated.name.as_str(), updated.timezone.as_str()),
        ("Hotel Uno & Spa", "America/Sao_Paulo")
    );
    assert_eq!(
        (updated.default_language, updated.phone_number_id.as_deref()),
        (Language::Pt, Some("200"))
    );
    assert_eq!(
        (updated.created_at, updated.updated_at),
        (at(9, 0, 0), at(9, 30, 0))
    );
    assert!(
        store
            .tenant_by_phone_number_id(NUMBER)
            .await
            .expect("read")
            .is_none(),
        "the old number is free"
    );
    assert!(
        store
            .tenant(&TenantId::new("nobody"))
            .await
            .expect("read")
            .is_none()
    );

    let squatter = NewTenant {
        id: TenantId::new("h2"),
        name: "Dos".into(),
        ..renamed
    };
    let error = store
        .upsert_tenant(&squatter, at(9, 31, 0))
        .await
        .expect_err("the number is taken");
    assert!(error.is_unique_violation(), "{error}");
    let no_number = NewTenant {
        phone_number_id: None,
        ..squatter.clone()
    };
    store
        .upsert_tenant(&no_number, at(9, 32, 0))
        .await
        .expect("tenants without a number coexist");
    let also_none = NewTenant {
        id: TenantId::new("h3"),
        ..no_number
    };
    store
        .upsert_tenant(&also_none, at(9, 33, 0))
        .await
        .expect("several tenants without a number");
}

async fn sessions_are_written_through_and_expire(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = &test.store;
    let guest = WaId::new("5491155550000");
    let now = at(16, 0, 0);
    assert_eq!(
        store
            .load_session(&tenant(), &guest, now)
            .await
            .expect("load"),
        None
    );

    let expires = now + Duration::minutes(30);
    store
        .store_session(&tenant(), &guest, 1, r#"{"state":"greeted"}"#, expires)
        .await
        .expect("store");
    store
        .store_session(&tenant(), &guest, 2, r#"{"state":"asked_dates"}"#, expires)
        .await
        .expect("overwrite");
    let loaded = store
        .load_session(&tenant(), &guest, now)
        .await
        .expect("load");
    assert_eq!(loaded, Some((2, r#"{"state":"asked_dates"}"#.to_owned())));
    assert_eq!(
        store
            .load_session(&TenantId::new("h9"), &guest, now)
            .await
            .expect("load"),
        None,
        "per tenant"
    );
    assert_eq!(
        store
            .load_session(&tenant(), &guest, expires)
            .await
            .expect("load"),
        None,
        "expired"
    );

    assert_eq!(store.purge_expired_sessions(now).await.expect("purge"), 0);
    assert_eq!(
        store.purge_expired_sessions(expires).await.expect("purge"),
        1
    );
}

on_both_backends!(
    tenants_are_upserted_and_found_by_number,
    sessions_are_written_through_and_expire
);
