//! Integration tests of the demo PMS through the public [`hotel_pms::Pms`] trait.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on broken fixtures"
)]

mod demo;
