//! Integration tests of hotel-store. Every behaviour runs on both backends: each test is an
//! `async fn(Backend)` and `on_both_backends!` generates a PostgreSQL and an SQLite `#[tokio::test]`.
//! PostgreSQL must be reachable (`TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`).

#[cfg(test)]
mod support;

#[cfg(test)]
mod booking_requests;
#[cfg(test)]
mod concurrency;
#[cfg(test)]
mod demo_booking_races;
#[cfg(test)]
mod demo_bookings;
#[cfg(test)]
mod inbox;
#[cfg(test)]
mod media;
#[cfg(test)]
mod migrations;
#[cfg(test)]
mod outbox;
#[cfg(test)]
mod room_holds;
#[cfg(test)]
mod statuses;
#[cfg(test)]
mod tenants_sessions;
