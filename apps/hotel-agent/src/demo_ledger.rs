//! The demo PMS's bookings in the project's database (`demo_bookings`), so they survive restarts
//! and several instances share them. Every operation is one store transaction that checks the
//! room type's capacity with the write (see `hotel_store`'s `demo_bookings`).

use std::sync::Arc;

use async_trait::async_trait;
use hotel_domain::{Clock, TenantId};
use hotel_pms::{
    Booking, BookingId, BookingStatus, DemoBookingDraft, DemoLedger, GuestContact, Money, PmsError,
    Result, Revise, RoomTypeId, Stay, no_availability,
};
use hotel_store::{
    DEMO_AWAITING_PAYMENT, DemoBookOutcome, DemoBookingRecord, DemoBookingRevision, DemoGuest,
    DemoModifyOutcome, NewDemoBooking, Store, StoreError,
};

/// A [`DemoLedger`] over the store.
#[derive(Debug, Clone)]
pub struct StoreDemoLedger {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl StoreDemoLedger {
    /// Bookings in `store`, timestamped by `clock`.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }
}

/// A store failure as the PMS reports it: transient unless a stored value is unreadable or an
/// argument cannot be stored.
fn pms_error(error: StoreError) -> PmsError {
    match error {
        StoreError::Corrupt(message) => PmsError::InvalidResponse(message),
        StoreError::InvalidArgument(message) => PmsError::InvalidRequest(message),
        other => PmsError::Unavailable(other.to_string()),
    }
}

fn not_found(id: &BookingId) -> PmsError {
    PmsError::NotFound(format!("booking {id}"))
}

/// The stored id of a booking id; `None` for an id this ledger never gave out.
fn stored_id(id: &BookingId) -> Option<i64> {
    id.as_str().parse().ok()
}

/// A status as stored: the snake_case names of [`BookingStatus`], or an `Other`'s own name.
fn status_name(status: &BookingStatus) -> &str {
    match status {
        BookingStatus::AwaitingPayment => DEMO_AWAITING_PAYMENT,
        BookingStatus::PartiallyPaid => "partially_paid",
        BookingStatus::Paid => "paid",
        BookingStatus::Cancelled => hotel_store::DEMO_CANCELLED,
        BookingStatus::Refunded => "refunded",
        BookingStatus::Other(name) => name,
    }
}

fn parse_status(name: &str) -> BookingStatus {
    [
        BookingStatus::AwaitingPayment,
        BookingStatus::PartiallyPaid,
        BookingStatus::Paid,
        BookingStatus::Cancelled,
        BookingStatus::Refunded,
    ]
    .into_iter()
    .find(|status| status_name(status) == name)
    .unwrap_or_else(|| BookingStatus::Other(name.to_owned()))
}

fn to_booking(record: &DemoBookingRecord) -> Result<Booking> {
    let stay = Stay::new(record.check_in, record.check_out).map_err(|e| {
        PmsError::InvalidResponse(format!("stored demo booking {}: {e}", record.id))
    })?;
    Ok(Booking {
        id: BookingId::new(record.id.to_string()),
        reference: Some(record.reference.clone()),
        pms_reference: None,
        status: parse_status(&record.status),
        room_type: RoomTypeId::new(record.room_type.clone()),
        stay,
        adults: record.adults,
        children: u32::try_from(record.children_ages.len()).unwrap_or(u32::MAX),
        guest: GuestContact {
            first_name: record.guest.first_name.clone(),
            last_name: record.guest.last_name.clone(),
            email: record.guest.email.clone(),
            phone: record.guest.phone.clone(),
        },
        total: Some(Money::from_minor(
            record.total_minor,
            record.currency.as_str(),
        )),
    })
}

#[async_trait]
impl DemoLedger for StoreDemoLedger {
    async fn book(
        &self,
        tenant: &TenantId,
        draft: &DemoBookingDraft,
        rooms: u32,
    ) -> Result<Booking> {
        let new = NewDemoBooking {
            tenant_id: tenant.clone(),
            reference: draft.reference.clone(),
            room_type: draft.room_type.as_str().to_owned(),
            check_in: draft.stay.check_in(),
            check_out: draft.stay.check_out(),
            adults: draft.occupancy.adults,
            children_ages: draft.occupancy.children_ages.clone(),
            guest: DemoGuest {
                first_name: draft.guest.first_name.clone(),
                last_name: draft.guest.last_name.clone(),
                email: draft.guest.email.clone(),
                phone: draft.guest.phone.clone(),
            },
            status: status_name(&BookingStatus::AwaitingPayment).to_owned(),
            total_minor: draft.total.minor_units,
            currency: draft.total.currency.clone(),
        };
        let outcome = self
            .store
            .book_demo_room(&new, rooms, self.clock.now())
            .await
            .map_err(pms_error)?;
        match outcome {
            DemoBookOutcome::Booked(record) | DemoBookOutcome::Existing(record) => {
                to_booking(&record)
            }
            DemoBookOutcome::Full => Err(no_availability(&draft.room_type, &draft.stay)),
        }
    }

    async fn booking(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        let Some(stored) = stored_id(id) else {
            return Err(not_found(id));
        };
        let record = self
            .store
            .demo_booking(tenant, stored)
            .await
            .map_err(pms_error)?;
        record
            .as_ref()
            .map_or_else(|| Err(not_found(id)), to_booking)
    }

    async fn cancel(&self, tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        let Some(stored) = stored_id(id) else {
            return Err(not_found(id));
        };
        let record = self
            .store
            .cancel_demo_booking(tenant, stored, self.clock.now())
            .await
            .map_err(pms_error)?;
        record
            .as_ref()
            .map_or_else(|| Err(not_found(id)), to_booking)
    }

    async fn modify(
        &self,
        tenant: &TenantId,
        id: &BookingId,
        revise: &Revise<'_>,
    ) -> Result<Booking> {
        let Some(stored) = stored_id(id) else {
            return Err(not_found(id));
        };
        // What the change asked for, to name it when the new type is full.
        let mut wanted: Option<(RoomTypeId, Stay)> = None;
        let outcome = self
            .store
            .modify_demo_booking(tenant, stored, self.clock.now(), |record| {
                let revision = revise(&to_booking(record)?)?;
                let (adults, children_ages) = match &revision.occupancy {
                    Some(occupancy) => (occupancy.adults, occupancy.children_ages.clone()),
                    None => (record.adults, record.children_ages.clone()),
                };
                let stored = DemoBookingRevision {
                    room_type: revision.room_type.as_str().to_owned(),
                    check_in: revision.stay.check_in(),
                    check_out: revision.stay.check_out(),
                    adults,
                    children_ages,
                    total_minor: revision.total.minor_units,
                    currency: revision.total.currency.clone(),
                    rooms: revision.rooms,
                };
                wanted = Some((revision.room_type, revision.stay));
                Ok::<_, PmsError>(stored)
            })
            .await
            .map_err(pms_error)?;
        match outcome {
            DemoModifyOutcome::Modified(record) => to_booking(&record),
            DemoModifyOutcome::NotFound => Err(not_found(id)),
            DemoModifyOutcome::Refused(error) => Err(error),
            DemoModifyOutcome::Full => Err(match wanted {
                Some((room_type, stay)) => no_availability(&room_type, &stay),
                None => PmsError::NoAvailability(format!("booking {id} cannot move")),
            }),
        }
    }

    async fn taken(&self, tenant: &TenantId, room_type: &RoomTypeId, stay: &Stay) -> Result<u32> {
        self.store
            .demo_rooms_taken(
                tenant,
                room_type.as_str(),
                stay.check_in(),
                stay.check_out(),
            )
            .await
            .map_err(pms_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_agree_on_which_hold_a_room() {
        for status in [
            BookingStatus::AwaitingPayment,
            BookingStatus::PartiallyPaid,
            BookingStatus::Paid,
            BookingStatus::Cancelled,
            BookingStatus::Refunded,
            BookingStatus::Other("Payment error".into()),
        ] {
            let name = status_name(&status);
            assert_eq!(parse_status(name), status);
            assert_eq!(
                !hotel_store::DEMO_INACTIVE_STATUSES.contains(&name),
                status.is_active(),
                "{name}"
            );
        }
        assert_eq!(stored_id(&BookingId::new("42")), Some(42));
        assert_eq!(stored_id(&BookingId::new("HTL-1")), None);
    }

    #[test]
    fn store_failures_map_to_pms_errors() {
        assert!(pms_error(StoreError::Connect("down".into())).is_transient());
        assert!(matches!(
            pms_error(StoreError::Corrupt("x".into())),
            PmsError::InvalidResponse(_)
        ));
        assert!(matches!(
            pms_error(StoreError::InvalidArgument("x".into())),
            PmsError::InvalidRequest(_)
        ));
    }
}
