//! The one [`SessionStore`](hotel_sessions::SessionStore) suite, written once in [`suite`] and run
//! against every implementation: the in-memory store (with a manual clock) and the Redis store
//! (with a fresh key prefix per test). The Redis tests need a server at `REDIS_URL` (default
//! `redis://127.0.0.1:6379`) and fail when it is unreachable.

#[cfg(test)]
mod harness;
#[cfg(test)]
mod suite;

/// Generates one test per suite case and backend: `memory::<case>` and `redis::<case>`.
macro_rules! run_suite {
    ($($case:ident),+ $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let harness = crate::harness::memory();
                    crate::suite::$case(&harness).await;
                }
            )+
        }

        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let harness = std::sync::Arc::new(crate::harness::redis().await);
                    let run = std::sync::Arc::clone(&harness);
                    // In a task, so the keys are cleaned up even when the case fails.
                    let outcome =
                        tokio::spawn(async move { crate::suite::$case(&run).await }).await;
                    harness.cleanup().await;
                    if let Err(failure) = outcome {
                        std::panic::resume_unwind(failure.into_panic());
                    }
                }
            )+
        }
    };
}

run_suite!(
    ping_succeeds,
    load_of_an_absent_session_is_none,
    a_new_session_gets_version_1_and_round_trips,
    creating_an_existing_session_conflicts,
    a_stale_version_conflicts,
    updating_an_absent_session_conflicts,
    the_right_version_is_bumped_by_one,
    of_concurrent_writers_from_one_version_exactly_one_wins,
    delete_removes_and_is_idempotent,
    sessions_of_other_guests_and_hotels_are_separate,
    a_session_expires_after_its_ttl,
    every_save_renews_the_ttl,
);
