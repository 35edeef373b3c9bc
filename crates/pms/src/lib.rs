//! Property management systems (PMS): the [`Pms`] trait that the assistant asks about rooms,
//! rates and bookings, and the built-in [`DemoPms`] that serves the `[pms.demo]` inventory.
//!
//! This release holds the seam only: health and room types. Availability, quotes and bookings,
//! and the QloApps client, come later behind the same trait.

mod demo;
mod error;
mod room;

use async_trait::async_trait;
use hotel_domain::TenantId;

pub use demo::{DemoInventory, DemoPms};
pub use error::{PmsError, Result};
pub use room::{LocalizedText, RoomType, RoomTypeCode, UnknownRoomType};

/// A hotel's property management system.
#[async_trait]
pub trait Pms: Send + Sync + std::fmt::Debug {
    /// The backend's name for logs and health checks, e.g. `demo` or `qloapps`.
    fn kind(&self) -> &'static str;

    /// Checks the PMS is reachable.
    ///
    /// # Errors
    /// [`PmsError::Unavailable`] or [`PmsError::Timeout`] when it is not.
    async fn health(&self) -> Result<()>;

    /// The hotel's room types with capacities and rates.
    ///
    /// # Errors
    /// [`PmsError::NotFound`] for an unknown hotel, or a transport error.
    async fn room_types(&self, tenant: &TenantId) -> Result<Vec<RoomType>>;
}
