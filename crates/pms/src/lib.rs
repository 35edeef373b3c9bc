//! Property management systems (PMS): the [`Pms`] trait that the assistant asks about hotels,
//! rooms, availability, prices and bookings; the built-in [`DemoPms`] that serves the
//! `[pms.demo]` inventory; [`QloAppsPms`], the client of a QloApps hotel's webservice; and
//! [`ResilientPms`], a circuit breaker, retries, a rate limit and a cache around any of them.

mod booking;
mod demo;
mod error;
mod hotel;
mod money;
pub mod qloapps;
pub mod resilience;
mod room;
mod stay;

use async_trait::async_trait;
use hotel_domain::TenantId;

pub use booking::{
    Booking, BookingChange, BookingId, BookingRequest, BookingStatus, GuestContact,
    MAX_REFERENCE_LEN, is_valid_reference,
};
pub use demo::{
    DemoBookingDraft, DemoInventory, DemoLedger, DemoPms, DemoRevision, DemoRoomType, MemoryLedger,
    Revise, busiest_night, no_availability,
};
pub use error::{PmsError, Result};
pub use hotel::{Hotel, HotelId};
pub use money::Money;
pub use qloapps::{KeyPlacement, QloAppsConfig, QloAppsPms};
pub use resilience::{ResilienceConfig, ResilientPms};
pub use room::{LocalizedText, RoomCapacity, RoomType, RoomTypeCode, RoomTypeId, UnknownRoomType};
pub use stay::{
    MAX_CHILD_AGE, MAX_NIGHTS, NightlyPrice, Occupancy, Quote, Stay, StayRequest, is_weekend_night,
};

/// A hotel's property management system, shared as `Arc<dyn Pms>`.
///
/// Every method takes the tenant whose hotel is meant. Errors tell transient failures (retry
/// later: [`PmsError::is_transient`]) from permanent ones.
#[async_trait]
pub trait Pms: Send + Sync + std::fmt::Debug {
    /// The backend's name for logs and health checks: `demo` or `qloapps`.
    fn kind(&self) -> &'static str;

    /// Checks the PMS is reachable.
    ///
    /// # Errors
    /// A transient error when it is not; [`PmsError::Unauthorized`] for bad credentials.
    async fn health(&self) -> Result<()>;

    /// The PMS's hotels, or the one hotel configured for the tenant.
    ///
    /// # Errors
    /// A transport or response error.
    async fn hotels(&self, tenant: &TenantId) -> Result<Vec<Hotel>>;

    /// The hotel's room types with capacities, names, amenities and photos.
    ///
    /// # Errors
    /// [`PmsError::NotFound`] for an unknown hotel, or a transport error.
    async fn room_types(&self, tenant: &TenantId) -> Result<Vec<RoomType>>;

    /// The room types free for the whole stay that fit the occupancy, with their prices; empty
    /// when nothing is free.
    ///
    /// # Errors
    /// [`PmsError::InvalidRequest`] for an invalid occupancy, or a transport error.
    async fn quote(&self, tenant: &TenantId, request: &StayRequest) -> Result<Vec<Quote>>;

    /// Books one room. Idempotent on `request.reference`: a repeated call (after a timeout, a
    /// restart) returns the booking the first one made instead of a second booking.
    ///
    /// # Errors
    /// [`PmsError::NoAvailability`] when the room type is full, [`PmsError::InvalidRequest`]
    /// for a request the PMS refuses, or a transient error (then call again with the same
    /// reference).
    async fn create_booking(&self, tenant: &TenantId, request: &BookingRequest) -> Result<Booking>;

    /// One booking by its PMS id.
    ///
    /// # Errors
    /// [`PmsError::NotFound`] for an unknown id, or a transport error.
    async fn booking(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking>;

    /// Cancels a booking, freeing its room. Cancelling a cancelled booking returns it unchanged.
    ///
    /// # Errors
    /// [`PmsError::NotFound`] for an unknown id, or a transport error.
    async fn cancel_booking(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking>;

    /// Changes the dates, room type or guests of a booking, as far as the PMS allows.
    ///
    /// # Errors
    /// [`PmsError::NotSupported`] for a change the PMS cannot make,
    /// [`PmsError::NoAvailability`] when the new dates or type are full,
    /// [`PmsError::InvalidRequest`] for a cancelled booking or an empty change.
    async fn modify_booking(
        &self,
        tenant: &TenantId,
        id: &BookingId,
        change: &BookingChange,
    ) -> Result<Booking>;
}
