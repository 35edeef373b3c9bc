//! Integration tests of the PMS implementations through the public [`hotel_pms::Pms`] trait.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on broken fixtures"
)]

mod demo;
mod demo_bookings;
mod qloapps;
mod resilience;
mod suite;
