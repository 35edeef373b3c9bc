//! Durable storage for the hotel assistant: the diesel schema, embedded migrations, connection
//! pools for PostgreSQL and SQLite, and the repositories of the inbox, the outbox, delivery
//! statuses, tenants, conversation sessions, the demo PMS's bookings, the booking requests
//! waiting for staff and room holds.
//!
//! One [`Store`] serves both backends; every query is written once and compiled for both (see
//! `pool.rs`). No method reads the wall clock: each takes the `now` it needs.
//!
//! ```no_run
//! # async fn demo() -> hotel_store::Result<()> {
//! let store = hotel_store::Store::connect("sqlite://data/hotel.db", 4).await?;
//! store.migrate().await?;
//! # Ok(())
//! # }
//! ```

mod backend;
mod booking_requests;
mod convert;
mod demo_bookings;
mod error;
mod inbox;
mod media;
mod migrate;
mod outbox;
mod pool;
mod room_holds;
pub mod schema;
mod sessions;
mod statuses;
mod tenants;
#[cfg(feature = "testing")]
pub mod testing;

use std::sync::Arc;

pub use backend::{Backend, redact_url};
pub use booking_requests::{
    BookingDecision, BookingRequestRecord, BookingRequestStatus, DecisionOutcome,
    NewBookingRequest, SubmitOutcome,
};
pub use demo_bookings::{
    DEMO_AWAITING_PAYMENT, DEMO_CANCELLED, DEMO_INACTIVE_STATUSES, DemoBookOutcome,
    DemoBookingRecord, DemoBookingRevision, DemoGuest, DemoModifyOutcome, NewDemoBooking,
};
pub use error::{Result, StoreError};
pub use inbox::{ClaimedInbound, InboundRecord, InboundStatus, LastInbound};
pub use media::{MediaFileRecord, NewMediaFile};
pub use migrate::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
pub use outbox::{NewOutbound, OutboundRecord, OutboundStatus, OutboundTimeline};
pub use room_holds::{
    NewRoomHold, RoomHoldExtension, RoomHoldKey, RoomHoldOutcome, RoomHoldRecord,
};
pub use statuses::StatusOutcome;
pub use tenants::{NewTenant, TenantRecord};

use backend::DatabaseTarget;
use pool::{Connections, with_connection};

/// The database: cheap to clone (an `Arc` inside), safe to share between tasks.
#[derive(Clone)]
pub struct Store {
    inner: Arc<StoreInner>,
}

struct StoreInner {
    backend: Backend,
    /// The URL with its password redacted, for logs.
    display_url: String,
    connections: Connections,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.inner.backend)
            .field("url", &self.inner.display_url)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Connects to `url`: `sqlite://data/hotel.db` (relative path), `sqlite:///abs/path.db`,
    /// `sqlite::memory:` (a private in-memory database, for tests) or `postgres://…` /
    /// `postgresql://…`.
    ///
    /// SQLite: creates the file and its directory, sets WAL, `busy_timeout` 5000,
    /// `synchronous = NORMAL` and `foreign_keys = ON`, and serialises writes on one connection
    /// (up to `min(max_connections, 4)` more connections read). PostgreSQL: a pool of up to
    /// `max_connections` connections; one is opened at once so a wrong URL fails here.
    ///
    /// An unknown scheme is [`StoreError::InvalidUrl`]; the URL's password never appears in an
    /// error or a log line.
    pub async fn connect(url: &str, max_connections: usize) -> Result<Store> {
        let target = DatabaseTarget::parse(url)?;
        let backend = target.backend();
        let display_url = redact_url(url.trim());
        let connections = Connections::open(&target, max_connections).await?;
        tracing::debug!(%backend, url = %display_url, max_connections, "database connected");
        Ok(Store {
            inner: Arc::new(StoreInner {
                backend,
                display_url,
                connections,
            }),
        })
    }

    /// Which database this store uses.
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// Checks that the database answers (`SELECT 1`).
    pub async fn ping(&self) -> Result<()> {
        let db = self.connections().read().await?;
        with_connection!(db, |conn| {
            diesel_async::RunQueryDsl::execute(diesel::sql_query("SELECT 1"), conn).await?;
            Ok(())
        })
    }

    pub(crate) fn connections(&self) -> &Connections {
        &self.inner.connections
    }
}
