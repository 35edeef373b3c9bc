//! The orchestrator's [`BookingRequests`] over the database: a paid booking that waits for staff
//! becomes a `booking_requests` row (once per reference).

use std::sync::Arc;

use async_trait::async_trait;
use hotel_domain::Clock;
use hotel_orchestrator::{BookingRecordError, BookingRequests, PaidBooking};
use hotel_store::{NewBookingRequest, Store, SubmitOutcome};

/// Records paid bookings for staff in `booking_requests`.
#[derive(Debug)]
pub struct StoreBookingRequests {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl StoreBookingRequests {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }
}

/// The row to store for `booking`.
pub fn new_request(booking: &PaidBooking) -> NewBookingRequest {
    NewBookingRequest {
        tenant_id: booking.tenant_id.clone(),
        wa_id: booking.guest.clone(),
        phone_number_id: booking.phone_number_id.clone(),
        reference: booking.reference.clone(),
        room_type: booking.room_type.as_str().to_owned(),
        room_name: booking.room_name.clone(),
        check_in: booking.check_in,
        check_out: booking.check_out,
        adults: booking.adults,
        children: booking.children,
        guest_name: booking.guest_name.clone(),
        guest_email: booking.email.clone(),
        total_minor: booking.total.minor_units,
        currency: booking.total.currency.clone(),
        deposit_minor: booking.deposit.as_ref().map(|deposit| deposit.minor_units),
        language: booking.language,
    }
}

#[async_trait]
impl BookingRequests for StoreBookingRequests {
    async fn submit(&self, booking: &PaidBooking) -> Result<(), BookingRecordError> {
        let outcome = self
            .store
            .submit_booking_request(&new_request(booking), self.clock.now())
            .await
            .map_err(|error| BookingRecordError(error.to_string()))?;
        let tenant = &booking.tenant_id;
        match outcome {
            SubmitOutcome::Created(record) => {
                tracing::info!(%tenant, id = record.id, "booking request awaiting staff confirmation");
            }
            SubmitOutcome::Existing(record) => {
                tracing::debug!(%tenant, id = record.id, "booking request already recorded");
            }
        }
        Ok(())
    }
}
