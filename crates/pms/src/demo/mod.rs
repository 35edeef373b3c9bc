//! The built-in demo PMS: the `[pms.demo]` inventory, with bookings kept by a [`DemoLedger`]: in
//! memory ([`MemoryLedger`], the default) or, in the app, in the project's database.
//!
//! The PMS checks and prices every request; the ledger stores bookings and counts rooms, each of
//! its operations atomic, so two guests never get the last room twice.

mod inventory;
mod ledger;

use std::sync::Arc;

use async_trait::async_trait;
use hotel_domain::{Language, TenantId};

pub use inventory::{DemoInventory, DemoRoomType};
pub use ledger::{
    DemoBookingDraft, DemoLedger, DemoRevision, MemoryLedger, Revise, busiest_night,
    no_availability,
};

use crate::{
    Booking, BookingChange, BookingId, BookingRequest, Hotel, Money, NightlyPrice, Occupancy, Pms,
    PmsError, Quote, Result, RoomCapacity, RoomType, RoomTypeId, Stay, StayRequest,
};

/// The demo PMS: serves its [`DemoInventory`] to every tenant, each tenant with its own
/// bookings. Clones share the bookings.
#[derive(Debug, Clone)]
pub struct DemoPms {
    inventory: DemoInventory,
    hotel: Hotel,
    ledger: Arc<dyn DemoLedger>,
}

impl DemoPms {
    /// A demo PMS over a validated inventory.
    ///
    /// # Errors
    /// [`PmsError::InvalidConfig`] when [`DemoInventory::validate`] fails.
    pub fn new(inventory: DemoInventory) -> Result<Self> {
        inventory.validate()?;
        Ok(Self::unchecked(inventory))
    }

    fn unchecked(inventory: DemoInventory) -> Self {
        Self {
            inventory,
            hotel: Hotel::named("demo", "Demo Hotel"),
            ledger: Arc::new(MemoryLedger::new()),
        }
    }

    /// The same PMS describing itself as `hotel` (default: id `demo`, "Demo Hotel").
    #[must_use]
    pub fn with_hotel(mut self, hotel: Hotel) -> Self {
        self.hotel = hotel;
        self
    }

    /// The same PMS keeping its bookings in `ledger` (default: a [`MemoryLedger`], lost on
    /// restart).
    #[must_use]
    pub fn with_ledger(mut self, ledger: Arc<dyn DemoLedger>) -> Self {
        self.ledger = ledger;
        self
    }

    /// The inventory it serves.
    pub fn inventory(&self) -> &DemoInventory {
        &self.inventory
    }

    /// The currency of its rates.
    pub fn currency(&self) -> &str {
        &self.inventory.currency
    }

    fn room(&self, id: &RoomTypeId) -> Result<&DemoRoomType> {
        self.inventory
            .room_types
            .iter()
            .find(|room| room.code.as_str() == id.as_str())
            .ok_or_else(|| PmsError::NotFound(format!("room type `{id}`")))
    }

    fn fits(room: &DemoRoomType, occupancy: &Occupancy) -> bool {
        capacity(room).fits(occupancy.adults, occupancy.children())
    }

    fn check_fits(room: &DemoRoomType, occupancy: &Occupancy) -> Result<()> {
        occupancy.validate()?;
        if Self::fits(room, occupancy) {
            Ok(())
        } else {
            Err(PmsError::InvalidRequest(format!(
                "room type `{}` takes at most {} adults and {} children",
                room.code, room.max_adults, room.max_children
            )))
        }
    }

    /// What `current` becomes after `change`: its new type, dates, guests and price, checked
    /// against the new type's capacity.
    fn revise(&self, current: &Booking, change: &BookingChange) -> Result<DemoRevision> {
        if !current.status.is_active() {
            return Err(PmsError::InvalidRequest(format!(
                "booking {} is cancelled",
                current.id
            )));
        }
        let room_type = change
            .room_type
            .clone()
            .unwrap_or_else(|| current.room_type.clone());
        let stay = change.stay.unwrap_or(current.stay);
        let room = self.room(&room_type)?;
        match &change.occupancy {
            Some(occupancy) => Self::check_fits(room, occupancy)?,
            None if capacity(room).fits(current.adults, current.children) => {}
            None => {
                return Err(PmsError::InvalidRequest(format!(
                    "room type `{room_type}` does not take the booking's guests"
                )));
            }
        }
        let (_, total) = self.price(room, &stay);
        Ok(DemoRevision {
            room_type,
            stay,
            occupancy: change.occupancy.clone(),
            total,
            rooms: room.rooms,
        })
    }

    /// The nightly prices and total of `stay` in `room`.
    fn price(&self, room: &DemoRoomType, stay: &Stay) -> (Vec<NightlyPrice>, Money) {
        let currency = &self.inventory.currency;
        let nightly: Vec<NightlyPrice> = stay
            .night_dates()
            .map(|date| NightlyPrice {
                date,
                price: Money::from_units(room.rate_for(date), currency.as_str()),
            })
            .collect();
        let total = nightly.iter().map(|n| n.price.minor_units).sum();
        (nightly, Money::from_minor(total, currency.as_str()))
    }
}

impl Default for DemoPms {
    /// The demo PMS over [`DemoInventory::default`].
    fn default() -> Self {
        Self::unchecked(DemoInventory::default())
    }
}

fn capacity(room: &DemoRoomType) -> RoomCapacity {
    RoomCapacity {
        max_adults: room.max_adults,
        max_children: room.max_children,
        max_guests: None,
    }
}

#[async_trait]
impl Pms for DemoPms {
    fn kind(&self) -> &'static str {
        "demo"
    }

    async fn health(&self) -> Result<()> {
        Ok(())
    }

    async fn hotels(&self, _tenant: &TenantId) -> Result<Vec<Hotel>> {
        Ok(vec![self.hotel.clone()])
    }

    async fn room_types(&self, _tenant: &TenantId) -> Result<Vec<RoomType>> {
        Ok(self
            .inventory
            .room_types
            .iter()
            .map(|room| RoomType {
                id: RoomTypeId::from(room.code),
                hotel: self.hotel.id.clone(),
                code: Some(room.code),
                name: room.names.en.clone(),
                names: Language::ALL
                    .into_iter()
                    .map(|language| (language, room.names.get(language).to_owned()))
                    .collect(),
                capacity: capacity(room),
                rooms: Some(room.rooms),
                amenities: Vec::new(),
                photos: Vec::new(),
                base_rate: Some(Money::from_units(
                    room.nightly_rate,
                    self.inventory.currency.as_str(),
                )),
            })
            .collect())
    }

    async fn quote(&self, tenant: &TenantId, request: &StayRequest) -> Result<Vec<Quote>> {
        request.occupancy.validate()?;
        if let Some(id) = &request.room_type {
            self.room(id)?;
        }
        let mut quotes = Vec::new();
        for room in self.inventory.room_types.iter().filter(|room| {
            request
                .room_type
                .as_ref()
                .is_none_or(|id| id.as_str() == room.code.as_str())
                && Self::fits(room, &request.occupancy)
        }) {
            let room_type = RoomTypeId::from(room.code);
            let taken = self.ledger.taken(tenant, &room_type, &request.stay).await?;
            let available = room.rooms.saturating_sub(taken);
            if available == 0 {
                continue;
            }
            let (nightly, total) = self.price(room, &request.stay);
            let nights = i64::from(request.stay.nights().max(1));
            let average = (total.minor_units + nights / 2) / nights;
            quotes.push(Quote {
                room_type,
                available,
                nightly,
                average_nightly: Money::from_minor(average, total.currency.as_str()),
                total,
                stale: false,
            });
        }
        Ok(quotes)
    }

    async fn create_booking(&self, tenant: &TenantId, request: &BookingRequest) -> Result<Booking> {
        request.validate()?;
        let room = self.room(&request.room_type)?;
        Self::check_fits(room, &request.occupancy)?;
        let (_, total) = self.price(room, &request.stay);
        let draft = DemoBookingDraft {
            reference: request.reference.clone(),
            room_type: request.room_type.clone(),
            stay: request.stay,
            occupancy: request.occupancy.clone(),
            guest: request.guest.clone(),
            total,
        };
        self.ledger.book(tenant, &draft, room.rooms).await
    }

    async fn booking(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        self.ledger.booking(tenant, id).await
    }

    async fn cancel_booking(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        self.ledger.cancel(tenant, id).await
    }

    async fn modify_booking(
        &self,
        tenant: &TenantId,
        id: &BookingId,
        change: &BookingChange,
    ) -> Result<Booking> {
        if change.is_empty() {
            return Err(PmsError::InvalidRequest(
                "the change changes nothing".into(),
            ));
        }
        self.ledger
            .modify(tenant, id, &|current| self.revise(current, change))
            .await
    }
}
