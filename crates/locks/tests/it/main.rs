//! The one [`LockManager`](hotel_locks::LockManager) suite, written once in [`suite`] and run
//! against every implementation: the in-memory manager (with a manual clock) and the Redis manager
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
    acquire_contend_release_and_reacquire_with_a_higher_fence,
    only_the_owner_extends,
    a_non_owner_cannot_release,
    expiry_lets_another_take_it_with_a_higher_fence,
    fences_are_counted_per_key,
    claim_once_is_true_then_false_until_it_expires,
    of_many_concurrent_acquirers_exactly_one_wins,
    of_many_concurrent_claimers_exactly_one_wins,
);
