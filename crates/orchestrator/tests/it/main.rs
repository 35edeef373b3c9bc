//! Integration tests of [`hotel_orchestrator::ConversationOrchestrator`] through the public
//! [`hotel_orchestrator::Orchestrator`] trait, with a fake session store and a manual clock.
#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail loudly on broken fixtures"
)]

mod booking;
mod conversation;
mod fakes;

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use hotel_domain::{InboundKind, InboundMessage, Language, ManualClock, TenantId, WaId};
use hotel_nlp::{BuiltinNlu, Nlu};
use hotel_orchestrator::{ConversationOrchestrator, TenantContext};
use hotel_sessions::{SessionKey, SessionStore};

use crate::fakes::{FakeSessionStore, RecordingNlu};

/// One built-in NLU for all tests: training it is the slow part of a debug build.
static NLU: LazyLock<Arc<BuiltinNlu>> =
    LazyLock::new(|| Arc::new(BuiltinNlu::new().expect("embedded NLU data loads")));

/// How long sessions live.
const SESSION_TTL: Duration = Duration::from_secs(24 * 3600);

/// The guest in every test.
const GUEST: &str = "5491155550000";

/// 2026-11-25 15:00 UTC, noon in Buenos Aires.
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0)
        .single()
        .expect("valid instant")
}

/// A hotel in Buenos Aires answering in `languages`, Spanish by default.
fn tenant(languages: &[Language]) -> TenantContext {
    TenantContext {
        tenant_id: TenantId::new("sur"),
        hotel_name: "Hotel Sur".into(),
        default_language: Language::Es,
        languages: languages.to_vec(),
        timezone: "America/Argentina/Buenos_Aires".into(),
        booking: hotel_orchestrator::BookingPolicy::default(),
    }
}

/// A message from [`GUEST`] of `kind` with optional text, sent at `sent_at`.
fn message(kind: InboundKind, text: Option<&str>, sent_at: DateTime<Utc>) -> InboundMessage {
    InboundMessage {
        tenant_id: TenantId::new("sur"),
        phone_number_id: "100200300".into(),
        provider_message_id: format!("wamid.{}", sent_at.timestamp_millis()),
        from: WaId::new(GUEST),
        profile_name: Some("Ana".into()),
        kind,
        text: text.map(str::to_owned),
        reply_id: None,
        context_message_id: None,
        attachment: None,
        sent_at,
    }
}

/// A text message from [`GUEST`].
fn text(body: &str, sent_at: DateTime<Utc>) -> InboundMessage {
    message(InboundKind::Text, Some(body), sent_at)
}

/// The orchestrator under test, its fake store, clock and the NLU contexts it asked with.
struct Harness {
    orchestrator: ConversationOrchestrator,
    store: Arc<FakeSessionStore>,
    clock: Arc<ManualClock>,
    nlu: Arc<RecordingNlu>,
}

/// An orchestrator over `store` and `clock`, with the built-in NLU behind a recorder.
fn orchestrator_over(
    store: Arc<dyn SessionStore>,
    clock: Arc<ManualClock>,
) -> (ConversationOrchestrator, Arc<RecordingNlu>) {
    let builtin: Arc<dyn Nlu> = NLU.clone();
    let nlu = Arc::new(RecordingNlu::new(builtin));
    let orchestrator = ConversationOrchestrator::new(nlu.clone(), store, clock, SESSION_TTL);
    (orchestrator, nlu)
}

/// A harness with an empty fake store and the clock at [`start`].
fn harness() -> Harness {
    let store = Arc::new(FakeSessionStore::default());
    let clock = Arc::new(ManualClock::new(start()));
    let (orchestrator, nlu) = orchestrator_over(store.clone(), clock.clone());
    Harness {
        orchestrator,
        store,
        clock,
        nlu,
    }
}

/// The session key of [`GUEST`] at the test hotel.
fn guest_key() -> SessionKey {
    SessionKey::new(TenantId::new("sur"), WaId::new(GUEST))
}
