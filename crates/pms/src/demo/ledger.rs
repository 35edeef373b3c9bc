//! Where the demo PMS keeps its bookings: the [`DemoLedger`] trait, and [`MemoryLedger`], which
//! keeps them in this process. The app keeps them in its database through another implementation.
//!
//! [`DemoPms`](super::DemoPms) checks and prices every request; a ledger only stores bookings and
//! counts rooms. Each of its operations is atomic: the capacity check and the write it guards
//! happen together, so racing guests never get more rooms than a type has.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use hotel_domain::TenantId;

use crate::{
    Booking, BookingId, BookingStatus, GuestContact, Money, Occupancy, PmsError, Result,
    RoomTypeId, Stay,
};

/// A booking to make, checked and priced by the demo PMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoBookingDraft {
    /// Our idempotency key.
    pub reference: String,
    pub room_type: RoomTypeId,
    pub stay: Stay,
    pub occupancy: Occupancy,
    pub guest: GuestContact,
    /// The whole stay, one room.
    pub total: Money,
}

/// What a booking becomes after a change, priced by the demo PMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRevision {
    pub room_type: RoomTypeId,
    pub stay: Stay,
    /// The new guests; `None` keeps the booking's.
    pub occupancy: Option<Occupancy>,
    /// The new price of the whole stay.
    pub total: Money,
    /// How many rooms `room_type` has.
    pub rooms: u32,
}

/// What [`DemoLedger::modify`] asks of the demo PMS: what the booking, as it stands, becomes.
pub type Revise<'a> = dyn Fn(&Booking) -> Result<DemoRevision> + Send + Sync + 'a;

/// The demo PMS's bookings, per tenant. Every method is atomic.
#[async_trait]
pub trait DemoLedger: Send + Sync + std::fmt::Debug {
    /// Books one room of `draft.room_type` when fewer than `rooms` of them are taken on every
    /// night of the stay; the booking starts `awaiting_payment`. Idempotent on the reference:
    /// when the tenant already has a booking with `draft.reference`, returns it unchanged
    /// (whatever else the draft says) and books nothing.
    ///
    /// # Errors
    /// [`PmsError::NoAvailability`] when the type is full on some night, or a transient error
    /// when the bookings cannot be reached.
    async fn book(
        &self,
        tenant: &TenantId,
        draft: &DemoBookingDraft,
        rooms: u32,
    ) -> Result<Booking>;

    /// One booking.
    ///
    /// # Errors
    /// [`PmsError::NotFound`] for an id the tenant does not have.
    async fn booking(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking>;

    /// Cancels a booking, freeing its room; a cancelled (or refunded) booking is returned
    /// unchanged.
    ///
    /// # Errors
    /// [`PmsError::NotFound`] for an id the tenant does not have.
    async fn cancel(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking>;

    /// Changes a booking: `revise` sees the booking as it stands (inside the operation, so
    /// nothing changes it meanwhile) and says what it becomes or why not; the new room type must
    /// then have a room free on every night of the new stay, the booking itself not counted.
    ///
    /// # Errors
    /// [`PmsError::NotFound`] for an unknown id, `revise`'s error,
    /// [`PmsError::NoAvailability`] when the new type or nights are full.
    async fn modify(
        &self,
        tenant: &TenantId,
        id: &BookingId,
        revise: &Revise<'_>,
    ) -> Result<Booking>;

    /// How many rooms of `room_type` active bookings take on the busiest night of `stay`.
    ///
    /// # Errors
    /// A transient error when the bookings cannot be reached.
    async fn taken(&self, tenant: &TenantId, room_type: &RoomTypeId, stay: &Stay) -> Result<u32>;
}

/// How many of `bookings` share the busiest night of `stay`: the most stays that hold any one
/// of its nights.
pub fn busiest_night<'a>(stay: &Stay, bookings: impl IntoIterator<Item = &'a Stay>) -> u32 {
    let held: Vec<&Stay> = bookings.into_iter().filter(|b| b.overlaps(stay)).collect();
    stay.night_dates()
        .map(|night| {
            held.iter()
                .filter(|b| b.check_in() <= night && night < b.check_out())
                .count()
        })
        .max()
        .map_or(0, |count| u32::try_from(count).unwrap_or(u32::MAX))
}

/// The error for a room type with no room free for a stay.
pub fn no_availability(room_type: &RoomTypeId, stay: &Stay) -> PmsError {
    PmsError::NoAvailability(format!(
        "no `{room_type}` room is free from {} to {}",
        stay.check_in(),
        stay.check_out()
    ))
}

/// Bookings held in this process, under one lock; lost on restart. Used by
/// [`DemoPms::new`](super::DemoPms::new).
#[derive(Debug, Default)]
pub struct MemoryLedger {
    bookings: Mutex<Bookings>,
}

/// The bookings of every tenant.
#[derive(Debug, Default)]
struct Bookings {
    last_id: u64,
    by_id: BTreeMap<(TenantId, BookingId), Booking>,
    by_reference: HashMap<(TenantId, String), BookingId>,
}

impl Bookings {
    /// Rooms of `room_type` taken on the busiest night of `stay`, not counting `ignore`.
    fn taken(
        &self,
        tenant: &TenantId,
        room_type: &RoomTypeId,
        stay: &Stay,
        ignore: Option<&BookingId>,
    ) -> u32 {
        busiest_night(
            stay,
            self.by_id
                .iter()
                .filter(|((owner, id), booking)| {
                    owner == tenant
                        && Some(id) != ignore
                        && booking.status.is_active()
                        && &booking.room_type == room_type
                })
                .map(|(_, booking)| &booking.stay),
        )
    }
}

impl MemoryLedger {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Bookings> {
        // A panic while holding the lock cannot leave a half-made booking: every change is
        // one insert or one field update.
        self.bookings.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn not_found(id: &BookingId) -> PmsError {
    PmsError::NotFound(format!("booking {id}"))
}

#[async_trait]
impl DemoLedger for MemoryLedger {
    async fn book(
        &self,
        tenant: &TenantId,
        draft: &DemoBookingDraft,
        rooms: u32,
    ) -> Result<Booking> {
        let mut bookings = self.lock();
        let key = (tenant.clone(), draft.reference.clone());
        if let Some(id) = bookings.by_reference.get(&key)
            && let Some(booking) = bookings.by_id.get(&(tenant.clone(), id.clone()))
        {
            return Ok(booking.clone());
        }
        if bookings.taken(tenant, &draft.room_type, &draft.stay, None) >= rooms {
            return Err(no_availability(&draft.room_type, &draft.stay));
        }
        bookings.last_id += 1;
        let id = BookingId::new(bookings.last_id.to_string());
        let booking = Booking {
            id: id.clone(),
            reference: Some(draft.reference.clone()),
            pms_reference: None,
            status: BookingStatus::AwaitingPayment,
            room_type: draft.room_type.clone(),
            stay: draft.stay,
            adults: draft.occupancy.adults,
            children: draft.occupancy.children(),
            guest: draft.guest.clone(),
            total: Some(draft.total.clone()),
        };
        bookings.by_reference.insert(key, id.clone());
        bookings.by_id.insert((tenant.clone(), id), booking.clone());
        Ok(booking)
    }

    async fn booking(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        self.lock()
            .by_id
            .get(&(tenant.clone(), id.clone()))
            .cloned()
            .ok_or_else(|| not_found(id))
    }

    async fn cancel(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        let mut bookings = self.lock();
        let booking = bookings
            .by_id
            .get_mut(&(tenant.clone(), id.clone()))
            .ok_or_else(|| not_found(id))?;
        if booking.status.is_active() {
            booking.status = BookingStatus::Cancelled;
        }
        Ok(booking.clone())
    }

    async fn modify(
        &self,
        tenant: &TenantId,
        id: &BookingId,
        revise: &Revise<'_>,
    ) -> Result<Booking> {
        let mut bookings = self.lock();
        let key = (tenant.clone(), id.clone());
        let current = bookings.by_id.get(&key).ok_or_else(|| not_found(id))?;
        let revision = revise(current)?;
        if bookings.taken(tenant, &revision.room_type, &revision.stay, Some(id)) >= revision.rooms {
            return Err(no_availability(&revision.room_type, &revision.stay));
        }
        let booking = bookings.by_id.get_mut(&key).ok_or_else(|| not_found(id))?;
        booking.room_type = revision.room_type;
        booking.stay = revision.stay;
        if let Some(occupancy) = &revision.occupancy {
            booking.adults = occupancy.adults;
            booking.children = occupancy.children();
        }
        booking.total = Some(revision.total);
        Ok(booking.clone())
    }

    async fn taken(&self, tenant: &TenantId, room_type: &RoomTypeId, stay: &Stay) -> Result<u32> {
        Ok(self.lock().taken(tenant, room_type, stay, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stay(from: &str, to: &str) -> Stay {
        let date = |text: &str| text.parse().unwrap_or_default();
        Stay::new(date(from), date(to)).unwrap_or_else(|_| unreachable!("a valid stay"))
    }

    #[test]
    fn the_busiest_night_counts_only_stays_holding_it() {
        let wanted = stay("2026-12-10", "2026-12-14");
        let held = [
            stay("2026-12-08", "2026-12-11"), // the 10th
            stay("2026-12-11", "2026-12-12"), // the 11th
            stay("2026-12-11", "2026-12-20"), // the 11th to the 13th
            stay("2026-12-14", "2026-12-15"), // starts on the check-out day
            stay("2026-12-01", "2026-12-10"), // ends on the check-in day
        ];
        assert_eq!(busiest_night(&wanted, &held), 2);
        assert_eq!(busiest_night(&stay("2026-12-12", "2026-12-13"), &held), 1);
        assert_eq!(busiest_night(&stay("2026-12-20", "2026-12-21"), &held), 0);
        assert_eq!(busiest_night(&wanted, &[]), 0);
    }
}
