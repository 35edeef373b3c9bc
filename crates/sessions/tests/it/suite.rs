//! The cases, each a generic async function over a [`Harness`] (an `Arc<dyn SessionStore>` plus
//! time control), so every backend is held to exactly the same contract.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeZone;
use hotel_domain::{Language, TenantId, WaId};
use hotel_sessions::{Session, SessionError, SessionKey, Turn, TurnRole};
use tokio::sync::Barrier;

use crate::harness::Harness;

const TTL: Duration = Duration::from_secs(30 * 60);

fn key(guest: &str) -> SessionKey {
    SessionKey::new(TenantId::new("hotel-1"), WaId::new(guest))
}

fn session(state: &str) -> Session {
    Session {
        state: state.to_owned(),
        ..Session::default()
    }
}

/// A session using every field, to check nothing is lost on the way through the store.
fn rich_session() -> Session {
    let at = chrono::Utc
        .with_ymd_and_hms(2026, 11, 25, 9, 30, 0)
        .unwrap();
    let mut data = serde_json::Map::new();
    data.insert("check_in".to_owned(), serde_json::json!("2026-12-01"));
    data.insert(
        "guests".to_owned(),
        serde_json::json!({ "adults": 2, "children": [4, 7] }),
    );
    Session {
        language: Some(Language::Es),
        state: "collecting_dates".to_owned(),
        data,
        history: vec![
            Turn {
                role: TurnRole::Guest,
                text: "Hola, ¿tenéis habitación? 🙂".to_owned(),
                at,
            },
            Turn {
                role: TurnRole::Assistant,
                text: "¡Claro! ¿Qué fechas?".to_owned(),
                at,
            },
            Turn {
                role: TurnRole::Staff,
                text: "quote \"x\" \\ {}".to_owned(),
                at,
            },
        ],
        updated_at: Some(at),
    }
}

fn assert_conflict(
    result: hotel_sessions::Result<u64>,
    expected: Option<u64>,
    actual: Option<u64>,
) {
    match result {
        Err(SessionError::Conflict {
            expected: e,
            actual: a,
        }) => {
            assert_eq!((e, a), (expected, actual), "conflict reports the versions");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

pub async fn ping_succeeds(h: &Harness) {
    h.store.ping().await.unwrap();
}

pub async fn load_of_an_absent_session_is_none(h: &Harness) {
    assert_eq!(h.store.load(&key("absent")).await.unwrap(), None);
}

pub async fn a_new_session_gets_version_1_and_round_trips(h: &Harness) {
    let version = h
        .store
        .save(&key("g"), &rich_session(), None, TTL)
        .await
        .unwrap();
    assert_eq!(version, 1);

    let loaded = h.store.load(&key("g")).await.unwrap().unwrap();
    assert_eq!(loaded.version, 1);
    assert_eq!(loaded.value, rich_session());
}

pub async fn creating_an_existing_session_conflicts(h: &Harness) {
    h.store
        .save(&key("g"), &session("first"), None, TTL)
        .await
        .unwrap();
    assert_conflict(
        h.store.save(&key("g"), &session("second"), None, TTL).await,
        None,
        Some(1),
    );
    let loaded = h.store.load(&key("g")).await.unwrap().unwrap();
    assert_eq!(
        loaded.value.state, "first",
        "the losing write changed nothing"
    );
}

pub async fn a_stale_version_conflicts(h: &Harness) {
    h.store
        .save(&key("g"), &session("a"), None, TTL)
        .await
        .unwrap();
    h.store
        .save(&key("g"), &session("b"), Some(1), TTL)
        .await
        .unwrap();

    assert_conflict(
        h.store
            .save(&key("g"), &session("stale"), Some(1), TTL)
            .await,
        Some(1),
        Some(2),
    );
    assert_conflict(
        h.store
            .save(&key("g"), &session("future"), Some(3), TTL)
            .await,
        Some(3),
        Some(2),
    );
    let loaded = h.store.load(&key("g")).await.unwrap().unwrap();
    assert_eq!((loaded.version, loaded.value.state.as_str()), (2, "b"));
}

pub async fn updating_an_absent_session_conflicts(h: &Harness) {
    assert_conflict(
        h.store.save(&key("g"), &session("x"), Some(1), TTL).await,
        Some(1),
        None,
    );
    assert_eq!(h.store.load(&key("g")).await.unwrap(), None);
}

pub async fn the_right_version_is_bumped_by_one(h: &Harness) {
    let mut version = h
        .store
        .save(&key("g"), &session("s1"), None, TTL)
        .await
        .unwrap();
    for n in 2..=5 {
        let state = format!("s{n}");
        version = h
            .store
            .save(&key("g"), &session(&state), Some(version), TTL)
            .await
            .unwrap();
        assert_eq!(version, n);
        let loaded = h.store.load(&key("g")).await.unwrap().unwrap();
        assert_eq!((loaded.version, loaded.value.state), (n, state));
    }
}

pub async fn of_concurrent_writers_from_one_version_exactly_one_wins(h: &Harness) {
    const WRITERS: usize = 8;
    h.store
        .save(&key("g"), &session("start"), None, TTL)
        .await
        .unwrap();

    let barrier = Arc::new(Barrier::new(WRITERS));
    let writers: Vec<_> = (0..WRITERS)
        .map(|n| {
            let store = Arc::clone(&h.store);
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                barrier.wait().await;
                let state = format!("writer-{n}");
                (
                    state.clone(),
                    store.save(&key("g"), &session(&state), Some(1), TTL).await,
                )
            })
        })
        .collect();

    let mut winners = Vec::new();
    for writer in writers {
        let (state, result) = writer.await.unwrap();
        match result {
            Ok(version) => winners.push((state, version)),
            Err(SessionError::Conflict {
                expected: Some(1),
                actual: Some(2),
            }) => {}
            Err(other) => panic!("a losing writer must see a conflict, got {other:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one writer wins: {winners:?}");
    let (winner_state, winner_version) = winners.remove(0);
    assert_eq!(winner_version, 2);
    let loaded = h.store.load(&key("g")).await.unwrap().unwrap();
    assert_eq!((loaded.version, loaded.value.state), (2, winner_state));
}

pub async fn delete_removes_and_is_idempotent(h: &Harness) {
    h.store
        .save(&key("g"), &session("x"), None, TTL)
        .await
        .unwrap();
    h.store
        .save(&key("g"), &session("y"), Some(1), TTL)
        .await
        .unwrap();

    h.store.delete(&key("g")).await.unwrap();
    assert_eq!(h.store.load(&key("g")).await.unwrap(), None);
    h.store.delete(&key("g")).await.unwrap();
    h.store.delete(&key("never-existed")).await.unwrap();

    let version = h
        .store
        .save(&key("g"), &session("again"), None, TTL)
        .await
        .unwrap();
    assert_eq!(version, 1, "a deleted session starts over");
}

pub async fn sessions_of_other_guests_and_hotels_are_separate(h: &Harness) {
    let here = key("34600111222");
    let other_guest = key("34600999888");
    let other_hotel = SessionKey::new(TenantId::new("hotel-2"), WaId::new("34600111222"));

    h.store
        .save(&here, &session("here"), None, TTL)
        .await
        .unwrap();
    assert_eq!(
        h.store
            .save(&other_hotel, &session("hotel-2"), None, TTL)
            .await
            .unwrap(),
        1
    );
    assert_eq!(h.store.load(&other_guest).await.unwrap(), None);

    h.store.delete(&other_hotel).await.unwrap();
    let loaded = h.store.load(&here).await.unwrap().unwrap();
    assert_eq!((loaded.version, loaded.value.state.as_str()), (1, "here"));
}

pub async fn a_session_expires_after_its_ttl(h: &Harness) {
    let ttl = Duration::from_secs(90);
    h.store
        .save(&key("g"), &session("x"), None, ttl)
        .await
        .unwrap();
    h.store
        .save(&key("g"), &session("y"), Some(1), ttl)
        .await
        .unwrap();

    h.time.approach_expiry(&key("g"), ttl).await;
    assert_eq!(h.store.load(&key("g")).await.unwrap().unwrap().version, 2);

    h.time.cross_expiry(&key("g")).await;
    assert_eq!(
        h.store.load(&key("g")).await.unwrap(),
        None,
        "an expired session is gone"
    );
    assert_conflict(
        h.store
            .save(&key("g"), &session("late"), Some(2), ttl)
            .await,
        Some(2),
        None,
    );
    let version = h
        .store
        .save(&key("g"), &session("new"), None, ttl)
        .await
        .unwrap();
    assert_eq!(version, 1, "an expired session starts over");
}

pub async fn every_save_renews_the_ttl(h: &Harness) {
    let short = Duration::from_secs(60);
    let long = Duration::from_secs(600);
    h.store
        .save(&key("g"), &session("x"), None, short)
        .await
        .unwrap();
    h.time.approach_expiry(&key("g"), short).await;

    h.store
        .save(&key("g"), &session("y"), Some(1), long)
        .await
        .unwrap();
    h.time.approach_expiry(&key("g"), long).await;
    let loaded = h.store.load(&key("g")).await.unwrap().unwrap();
    assert_eq!((loaded.version, loaded.value.state.as_str()), (2, "y"));

    h.time.cross_expiry(&key("g")).await;
    assert_eq!(h.store.load(&key("g")).await.unwrap(), None);
}
