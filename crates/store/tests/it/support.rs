//! Fixtures shared by the tests: fixed instants (no wall clock), messages, replies, statuses.

use chrono::{DateTime, TimeZone, Utc};
use hotel_domain::{
    DeliveryState, DeliveryStatus, InboundKind, InboundMessage, Language, OutboundBody,
    ProviderError, TenantId, WaId,
};
use hotel_store::testing::{TestStore, test_store};
use hotel_store::{Backend, ClaimedInbound, NewOutbound, NewTenant};

/// Generates a PostgreSQL and an SQLite test for each `async fn name(backend: Backend)`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(hotel_store::Backend::Postgres).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(hotel_store::Backend::Sqlite).await;
                }
            )*
        }
    };
}
pub(crate) use on_both_backends;

pub const TENANT: &str = "h1";
pub const NUMBER: &str = "100000000000001";
pub const LEASE: std::time::Duration = std::time::Duration::from_secs(30);

/// 2026-11-25 at `h:m:s` UTC.
pub fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, h, m, s)
        .single()
        .expect("a valid instant")
}

pub fn tenant() -> TenantId {
    TenantId::new(TENANT)
}

/// A migrated store with the tenant `h1` (number [`NUMBER`]).
pub async fn store_with_tenant(backend: Backend) -> TestStore {
    let test = test_store(backend).await;
    let hotel = NewTenant {
        id: tenant(),
        name: "Hotel Uno".into(),
        phone_number_id: Some(NUMBER.into()),
        timezone: "America/Argentina/Buenos_Aires".into(),
        default_language: Language::Es,
    };
    test.store
        .upsert_tenant(&hotel, at(9, 0, 0))
        .await
        .expect("tenant stored");
    test
}

/// A text message from `guest` with provider id `id`, sent at `sent_at`.
pub fn message(guest: &str, id: &str, sent_at: DateTime<Utc>) -> InboundMessage {
    InboundMessage {
        tenant_id: tenant(),
        phone_number_id: NUMBER.into(),
        provider_message_id: id.into(),
        from: WaId::new(guest),
        profile_name: Some("Ana".into()),
        kind: InboundKind::Text,
        text: Some(format!("text of {id}")),
        reply_id: None,
        context_message_id: None,
        attachment: None,
        sent_at,
    }
}

/// A text reply to a claimed message.
pub fn reply(to: &ClaimedInbound, text: &str) -> NewOutbound {
    NewOutbound {
        tenant_id: to.message.tenant_id.clone(),
        phone_number_id: to.message.phone_number_id.clone(),
        to: to.message.from.clone(),
        inbound_id: Some(to.id),
        body: OutboundBody::Text {
            body: text.into(),
            preview_url: false,
        },
        reply_to: Some(to.message.provider_message_id.clone()),
    }
}

/// A reply to `guest` not tied to an inbound row.
pub fn reply_to_guest(guest: &str, text: &str) -> NewOutbound {
    NewOutbound {
        tenant_id: tenant(),
        phone_number_id: NUMBER.into(),
        to: WaId::new(guest),
        inbound_id: None,
        body: OutboundBody::Text {
            body: text.into(),
            preview_url: false,
        },
        reply_to: None,
    }
}

/// A status callback.
pub fn status(wamid: &str, state: DeliveryState, at: DateTime<Utc>) -> DeliveryStatus {
    DeliveryStatus {
        phone_number_id: NUMBER.into(),
        provider_message_id: wamid.into(),
        state,
        recipient: Some("5491155550000".into()),
        at,
        errors: Vec::new(),
    }
}

/// A failed status callback with one provider error.
pub fn failure(wamid: &str, code: i64, at: DateTime<Utc>) -> DeliveryStatus {
    DeliveryStatus {
        errors: vec![ProviderError {
            code,
            title: "Message undeliverable".into(),
            details: Some("no WhatsApp".into()),
        }],
        ..status(wamid, DeliveryState::Failed, at)
    }
}

/// The provider ids of claimed messages, in order.
pub fn ids(claimed: &[ClaimedInbound]) -> Vec<&str> {
    claimed
        .iter()
        .map(|c| c.message.provider_message_id.as_str())
        .collect()
}
