//! The integration suites, each written once and run against every implementation: the in-memory
//! backends (on a manual clock) and the Redis backends (with a fresh key prefix per test).
//!
//! - [`locks`]: the [`LockManager`](hotel_locks::LockManager) contract;
//! - [`holds`]: the [`RoomHolds`](hotel_locks::RoomHolds) contract (both backends on a manual
//!   clock, which the Redis scripts receive as "now").
//!
//! The Redis tests need a server at `REDIS_URL` (default `redis://127.0.0.1:6379`) and fail when it
//! is unreachable.

#[cfg(test)]
mod harness;
#[cfg(test)]
mod holds;
#[cfg(test)]
mod locks;

/// Generates one test per suite, case and backend: `memory::<suite>::<case>` and
/// `redis::<suite>::<case>`.
macro_rules! run_suites {
    ($($suite:ident: [$($case:ident),+ $(,)?]),+ $(,)?) => {
        mod memory {
            $(
                mod $suite {
                    $(
                        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                        async fn $case() {
                            let harness = crate::harness::memory();
                            crate::$suite::$case(&harness).await;
                        }
                    )+
                }
            )+
        }

        mod redis {
            $(
                mod $suite {
                    $(
                        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                        async fn $case() {
                            let harness = std::sync::Arc::new(crate::harness::redis().await);
                            let run = std::sync::Arc::clone(&harness);
                            // In a task, so the keys are cleaned up even when the case fails.
                            let outcome =
                                tokio::spawn(async move { crate::$suite::$case(&run).await }).await;
                            harness.cleanup().await;
                            if let Err(failure) = outcome {
                                std::panic::resume_unwind(failure.into_panic());
                            }
                        }
                    )+
                }
            )+
        }
    };
}

run_suites! {
    locks: [
        ping_succeeds,
        acquire_contend_release_and_reacquire_with_a_higher_fence,
        only_the_owner_extends,
        a_non_owner_cannot_release,
        expiry_lets_another_take_it_with_a_higher_fence,
        fences_are_counted_per_key,
        claim_once_is_true_then_false_until_it_expires,
        of_many_concurrent_acquirers_exactly_one_wins,
        of_many_concurrent_claimers_exactly_one_wins,
    ],
    holds: [
        hold_extend_twice_then_refused_then_release,
        expiry_frees_the_room,
        a_stay_fails_when_any_single_night_is_full,
        the_same_holder_gets_the_same_hold_and_one_slot,
        a_released_hold_cannot_be_extended_or_released_again,
        a_stale_or_forged_hold_cannot_touch_the_current_one,
        holds_are_counted_per_scope_room_type_and_night,
        no_free_rooms_means_no_hold,
        invalid_requests_are_errors,
        of_50_racing_for_the_last_3_rooms_exactly_3_hold,
    ],
}
