//! The built-in demo PMS: the `[pms.demo]` inventory, with bookings held in memory.
//!
//! Bookings live in this process (a later release keeps them in the database); every check and
//! change happens under one lock, so two guests never get the last room twice.

mod inventory;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use hotel_domain::{Language, TenantId};

pub use inventory::{DemoInventory, DemoRoomType};

use crate::{
    Booking, BookingChange, BookingId, BookingRequest, BookingStatus, Hotel, Money, NightlyPrice,
    Occupancy, Pms, PmsError, Quote, Result, RoomCapacity, RoomType, RoomTypeId, Stay, StayRequest,
};

/// The demo PMS: serves its [`DemoInventory`] to every tenant, each tenant with its own
/// bookings. Clones share the bookings.
#[derive(Debug, Clone)]
pub struct DemoPms {
    inventory: DemoInventory,
    hotel: Hotel,
    ledger: Arc<Mutex<Ledger>>,
}

/// The bookings of every tenant.
#[derive(Debug, Default)]
struct Ledger {
    last_id: u64,
    bookings: BTreeMap<(TenantId, BookingId), Booking>,
    by_reference: HashMap<(TenantId, String), BookingId>,
}

impl Ledger {
    /// How many rooms of `room_type` are free on every night of `stay`, not counting `ignore`.
    fn free_rooms(
        &self,
        tenant: &TenantId,
        room: &DemoRoomType,
        stay: &Stay,
        ignore: Option<&BookingId>,
    ) -> u32 {
        let room_type = RoomTypeId::from(room.code);
        let taken: Vec<&Booking> = self
            .bookings
            .iter()
            .filter(|((owner, id), booking)| {
                owner == tenant
                    && Some(id) != ignore
                    && booking.status.is_active()
                    && booking.room_type == room_type
                    && booking.stay.overlaps(stay)
            })
            .map(|(_, booking)| booking)
            .collect();
        let busiest_night = stay
            .night_dates()
            .map(|night| {
                taken
                    .iter()
                    .filter(|b| b.stay.check_in() <= night && night < b.stay.check_out())
                    .count()
            })
            .max()
            .unwrap_or(0);
        room.rooms
            .saturating_sub(u32::try_from(busiest_night).unwrap_or(u32::MAX))
    }
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
            ledger: Arc::default(),
        }
    }

    /// The same PMS describing itself as `hotel` (default: id `demo`, "Demo Hotel").
    #[must_use]
    pub fn with_hotel(mut self, hotel: Hotel) -> Self {
        self.hotel = hotel;
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

    fn ledger(&self) -> MutexGuard<'_, Ledger> {
        // A panic while holding the lock cannot leave a half-made booking: every change is
        // one insert or one field update.
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner)
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
        let ledger = self.ledger();
        let quotes = self
            .inventory
            .room_types
            .iter()
            .filter(|room| {
                request
                    .room_type
                    .as_ref()
                    .is_none_or(|id| id.as_str() == room.code.as_str())
                    && Self::fits(room, &request.occupancy)
            })
            .filter_map(|room| {
                let available = ledger.free_rooms(tenant, room, &request.stay, None);
                (available > 0).then(|| {
                    let (nightly, total) = self.price(room, &request.stay);
                    let nights = i64::from(request.stay.nights().max(1));
                    let average = (total.minor_units + nights / 2) / nights;
                    Quote {
                        room_type: RoomTypeId::from(room.code),
                        available,
                        nightly,
                        average_nightly: Money::from_minor(average, total.currency.as_str()),
                        total,
                    }
                })
            })
            .collect();
        Ok(quotes)
    }

    async fn create_booking(&self, tenant: &TenantId, request: &BookingRequest) -> Result<Booking> {
        request.validate()?;
        let room = self.room(&request.room_type)?;
        Self::check_fits(room, &request.occupancy)?;
        let mut ledger = self.ledger();
        let key = (tenant.clone(), request.reference.clone());
        if let Some(id) = ledger.by_reference.get(&key)
            && let Some(booking) = ledger.bookings.get(&(tenant.clone(), id.clone()))
        {
            return Ok(booking.clone());
        }
        if ledger.free_rooms(tenant, room, &request.stay, None) == 0 {
            return Err(PmsError::NoAvailability(format!(
                "no `{}` room is free from {} to {}",
                room.code,
                request.stay.check_in(),
                request.stay.check_out()
            )));
        }
        ledger.last_id += 1;
        let id = BookingId::new(ledger.last_id.to_string());
        let (_, total) = self.price(room, &request.stay);
        let booking = Booking {
            id: id.clone(),
            reference: Some(request.reference.clone()),
            pms_reference: None,
            status: BookingStatus::AwaitingPayment,
            room_type: request.room_type.clone(),
            stay: request.stay,
            adults: request.occupancy.adults,
            children: request.occupancy.children(),
            guest: request.guest.clone(),
            total: Some(total),
        };
        ledger.by_reference.insert(key, id.clone());
        ledger
            .bookings
            .insert((tenant.clone(), id), booking.clone());
        Ok(booking)
    }

    async fn booking(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        self.ledger()
            .bookings
            .get(&(tenant.clone(), id.clone()))
            .cloned()
            .ok_or_else(|| PmsError::NotFound(format!("booking {id}")))
    }

    async fn cancel_booking(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        let mut ledger = self.ledger();
        let booking = ledger
            .bookings
            .get_mut(&(tenant.clone(), id.clone()))
            .ok_or_else(|| PmsError::NotFound(format!("booking {id}")))?;
        if booking.status.is_active() {
            booking.status = BookingStatus::Cancelled;
        }
        Ok(booking.clone())
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
        let mut ledger = self.ledger();
        let key = (tenant.clone(), id.clone());
        let current = ledger
            .bookings
            .get(&key)
            .ok_or_else(|| PmsError::NotFound(format!("booking {id}")))?;
        if !current.status.is_active() {
            return Err(PmsError::InvalidRequest(format!(
                "booking {id} is cancelled"
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
        if ledger.free_rooms(tenant, room, &stay, Some(id)) == 0 {
            return Err(PmsError::NoAvailability(format!(
                "no `{room_type}` room is free from {} to {}",
                stay.check_in(),
                stay.check_out()
            )));
        }
        let (_, total) = self.price(room, &stay);
        let booking = ledger
            .bookings
            .get_mut(&key)
            .ok_or_else(|| PmsError::NotFound(format!("booking {id}")))?;
        booking.room_type = room_type;
        booking.stay = stay;
        if let Some(occupancy) = &change.occupancy {
            booking.adults = occupancy.adults;
            booking.children = occupancy.children();
        }
        booking.total = Some(total);
        Ok(booking.clone())
    }
}
