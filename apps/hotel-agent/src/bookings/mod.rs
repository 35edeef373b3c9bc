//! Paid bookings and staff: the orchestrator's `BookingRequests` over the database
//! ([`requests`]), the QR booking pass ([`pass`]) and staff's confirm / reject ([`staff`]),
//! served by `routes::admin_bookings`.

pub mod pass;
pub mod requests;
pub mod staff;
