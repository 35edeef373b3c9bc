//! Integration tests of hotel-whatsapp: signature checks, webhook parsing and normalisation of
//! realistic payloads, and the Graph API client against wiremock.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail loudly on broken fixtures"
)]

mod client;
mod fixtures;
mod golden;
mod media;
mod outbound;
mod pacing;
mod parse_properties;
mod signature;
mod statuses;
mod webhook;
