//! The circuit breaker: after enough consecutive transient failures the PMS is left alone for a
//! while, and calls fail at once instead of queueing behind timeouts.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use hotel_observability::names::{PMS_BREAKER_STATE, PMS_BREAKER_TRANSITIONS_TOTAL};

use super::plus;
use crate::PmsError;

/// The message of the error a call gets while the circuit is open.
pub const CIRCUIT_OPEN: &str = "circuit open";

/// Where the circuit breaker stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls go through; consecutive transient failures are counted.
    Closed,
    /// The open time is over: one trial call goes through, the others fail at once. Its
    /// success closes the circuit, its failure opens it again.
    HalfOpen,
    /// Calls fail at once with a transient [`PmsError::Unavailable`], without reaching the PMS.
    Open,
}

impl BreakerState {
    /// `closed`, `half_open` or `open`.
    pub fn as_str(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::HalfOpen => "half_open",
            BreakerState::Open => "open",
        }
    }

    /// The value of the state gauge: 0 closed, 1 half-open, 2 open.
    fn gauge(self) -> f64 {
        match self {
            BreakerState::Closed => 0.0,
            BreakerState::HalfOpen => 1.0,
            BreakerState::Open => 2.0,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum State {
    Closed { failures: u32 },
    Open { until: DateTime<Utc> },
    HalfOpen { trial_in_flight: bool },
}

impl State {
    fn public(self) -> BreakerState {
        match self {
            State::Closed { .. } => BreakerState::Closed,
            State::Open { .. } => BreakerState::Open,
            State::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }
}

/// A circuit breaker counting consecutive transient failures.
#[derive(Debug)]
pub(super) struct Breaker {
    pms: &'static str,
    failures_to_open: u32,
    open_for: chrono::Duration,
    state: Mutex<State>,
}

impl Breaker {
    pub(super) fn new(pms: &'static str, failures_to_open: u32, open_for: Duration) -> Self {
        metrics::gauge!(PMS_BREAKER_STATE, "pms" => pms).set(BreakerState::Closed.gauge());
        Self {
            pms,
            failures_to_open: failures_to_open.max(1),
            open_for: chrono::Duration::from_std(open_for).unwrap_or(chrono::Duration::MAX),
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn transition(&self, state: &mut State, to: State) {
        let (from, next) = (state.public(), to.public());
        *state = to;
        if from != next {
            if next == BreakerState::Open {
                tracing::warn!(
                    pms = self.pms,
                    from = from.as_str(),
                    "pms circuit breaker opened"
                );
            } else {
                tracing::info!(
                    pms = self.pms,
                    from = from.as_str(),
                    to = next.as_str(),
                    "pms circuit breaker"
                );
            }
            metrics::gauge!(PMS_BREAKER_STATE, "pms" => self.pms).set(next.gauge());
            metrics::counter!(PMS_BREAKER_TRANSITIONS_TOTAL, "pms" => self.pms, "to" => next.as_str())
                .increment(1);
        }
    }

    /// The state at `now` (an open circuit whose time is over reports half-open).
    pub(super) fn state(&self, now: DateTime<Utc>) -> BreakerState {
        match *self.lock() {
            State::Open { until } if now >= until => BreakerState::HalfOpen,
            state => state.public(),
        }
    }

    /// Permission to call the PMS, or the fail-fast error.
    pub(super) fn try_acquire(&self, now: DateTime<Utc>) -> Result<Permit<'_>, PmsError> {
        let mut state = self.lock();
        match *state {
            State::Closed { .. } => Ok(Permit::new(self, false)),
            State::Open { until } if now >= until => {
                self.transition(
                    &mut state,
                    State::HalfOpen {
                        trial_in_flight: true,
                    },
                );
                Ok(Permit::new(self, true))
            }
            State::HalfOpen {
                trial_in_flight: false,
            } => {
                *state = State::HalfOpen {
                    trial_in_flight: true,
                };
                Ok(Permit::new(self, true))
            }
            State::Open { .. } | State::HalfOpen { .. } => {
                Err(PmsError::Unavailable(CIRCUIT_OPEN.to_owned()))
            }
        }
    }

    fn record(&self, trial: bool, success: bool, now: DateTime<Utc>) {
        let mut state = self.lock();
        let open = State::Open {
            until: plus(now, self.open_for),
        };
        match (*state, trial) {
            (State::HalfOpen { .. }, true) => {
                let next = if success {
                    State::Closed { failures: 0 }
                } else {
                    open
                };
                self.transition(&mut state, next);
            }
            (State::Closed { .. }, _) if success => *state = State::Closed { failures: 0 },
            (State::Closed { failures }, _) => {
                let failures = failures.saturating_add(1);
                if failures >= self.failures_to_open {
                    self.transition(&mut state, open);
                } else {
                    *state = State::Closed { failures };
                }
            }
            // A call that started before the circuit opened, or beside the trial: the trial
            // decides.
            (State::Open { .. } | State::HalfOpen { .. }, _) => {}
        }
    }

    fn release_trial(&self) {
        let mut state = self.lock();
        if let State::HalfOpen {
            trial_in_flight: true,
        } = *state
        {
            *state = State::HalfOpen {
                trial_in_flight: false,
            };
        }
    }
}

/// Permission for one call. Record its outcome; a permit dropped unrecorded (the call was
/// abandoned, or never made) counts for nothing and frees the half-open trial for another call.
#[derive(Debug)]
pub(super) struct Permit<'a> {
    breaker: &'a Breaker,
    trial: bool,
    recorded: bool,
}

impl<'a> Permit<'a> {
    fn new(breaker: &'a Breaker, trial: bool) -> Self {
        Self {
            breaker,
            trial,
            recorded: false,
        }
    }

    /// Records the call's outcome: `success` is an answer from the PMS, including a permanent
    /// error; a transient error is a failure.
    pub(super) fn record(mut self, success: bool, now: DateTime<Utc>) {
        self.recorded = true;
        self.breaker.record(self.trial, success, now);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.recorded && self.trial {
            self.breaker.release_trial();
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    fn fail(breaker: &Breaker, now: DateTime<Utc>) {
        breaker.try_acquire(now).unwrap().record(false, now);
    }

    #[test]
    fn opens_after_consecutive_failures_only() {
        let breaker = Breaker::new("test", 3, Duration::from_secs(30));
        let now = start();
        fail(&breaker, now);
        fail(&breaker, now);
        breaker.try_acquire(now).unwrap().record(true, now);
        fail(&breaker, now);
        fail(&breaker, now);
        assert_eq!(breaker.state(now), BreakerState::Closed);
        fail(&breaker, now);
        assert_eq!(breaker.state(now), BreakerState::Open);
        let error = breaker.try_acquire(now).unwrap_err();
        assert!(error.is_transient());
        assert_eq!(error.to_string(), "PMS unavailable: circuit open");
    }

    #[test]
    fn half_open_lets_one_trial_through() {
        let breaker = Breaker::new("test", 1, Duration::from_secs(30));
        let now = start();
        fail(&breaker, now);
        let later = now + chrono::Duration::seconds(30);
        assert_eq!(breaker.state(later), BreakerState::HalfOpen);
        let trial = breaker.try_acquire(later).unwrap();
        assert!(breaker.try_acquire(later).is_err(), "a second trial");
        // An abandoned trial frees the slot.
        drop(trial);
        let trial = breaker.try_acquire(later).unwrap();
        trial.record(false, later);
        assert_eq!(breaker.state(later), BreakerState::Open);
        let again = later + chrono::Duration::seconds(30);
        breaker.try_acquire(again).unwrap().record(true, again);
        assert_eq!(breaker.state(again), BreakerState::Closed);
    }

    #[test]
    fn late_outcomes_do_not_override_the_trial() {
        let breaker = Breaker::new("test", 1, Duration::from_secs(30));
        let now = start();
        let early = breaker.try_acquire(now).unwrap();
        fail(&breaker, now);
        early.record(true, now);
        assert_eq!(breaker.state(now), BreakerState::Open);
    }
}
