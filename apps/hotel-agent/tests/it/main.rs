//! Black-box tests: the real app on port 0, a real database, wiremock as the Graph API.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers and async test bodies fail loudly"
)]

mod booking;
mod channel;
mod cli;
mod delivery;
mod demo_pms;
mod harness;
mod nlp_api;
mod operations;
mod room_holds;
mod staff_bookings;
mod webhook_guards;
