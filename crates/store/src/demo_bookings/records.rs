//! The demo PMS's booking records, rows and the outcomes of its operations.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use hotel_domain::TenantId;

use crate::convert::from_db;
use crate::error::{Result, StoreError};
use crate::schema::demo_bookings;

/// The status a new booking gets when its caller gives none (the demo PMS's "booked, no payment
/// recorded").
pub const DEMO_AWAITING_PAYMENT: &str = "awaiting_payment";
/// The status [`Store::cancel_demo_booking`](crate::Store::cancel_demo_booking) sets.
pub const DEMO_CANCELLED: &str = "cancelled";
/// The statuses of bookings that no longer hold a room; every other status holds one.
pub const DEMO_INACTIVE_STATUSES: [&str; 2] = [DEMO_CANCELLED, "refunded"];

/// Who a demo booking is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoGuest {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// A demo booking to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDemoBooking {
    pub tenant_id: TenantId,
    /// The idempotency key, unique per tenant.
    pub reference: String,
    pub room_type: String,
    pub check_in: NaiveDate,
    /// After `check_in`; the check-out day is not a night.
    pub check_out: NaiveDate,
    pub adults: u32,
    pub children_ages: Vec<u8>,
    pub guest: DemoGuest,
    /// Its first status, e.g. [`DEMO_AWAITING_PAYMENT`].
    pub status: String,
    /// The price of the stay in hundredths of `currency`.
    pub total_minor: i64,
    pub currency: String,
}

/// A stored demo booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoBookingRecord {
    pub id: i64,
    pub tenant_id: TenantId,
    pub reference: String,
    pub room_type: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub adults: u32,
    pub children_ages: Vec<u8>,
    pub guest: DemoGuest,
    pub status: String,
    pub total_minor: i64,
    pub currency: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl DemoBookingRecord {
    /// Whether it still holds its room (its status is not one of [`DEMO_INACTIVE_STATUSES`]).
    pub fn is_active(&self) -> bool {
        !DEMO_INACTIVE_STATUSES.contains(&self.status.as_str())
    }
}

/// What a demo booking becomes: [`Store::modify_demo_booking`](crate::Store::modify_demo_booking)
/// writes every field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoBookingRevision {
    pub room_type: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub adults: u32,
    pub children_ages: Vec<u8>,
    pub total_minor: i64,
    pub currency: String,
    /// How many rooms `room_type` has.
    pub rooms: u32,
}

/// What [`Store::book_demo_room`](crate::Store::book_demo_room) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoBookOutcome {
    /// Booked: the new booking.
    Booked(DemoBookingRecord),
    /// The tenant already had a booking with this reference: that one, unchanged.
    Existing(DemoBookingRecord),
    /// Every room of the type is taken on some night of the stay; nothing was written.
    Full,
}

/// What [`Store::modify_demo_booking`](crate::Store::modify_demo_booking) did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::large_enum_variant,
    reason = "one value per call, returned at once; boxing would allocate on every change"
)]
pub enum DemoModifyOutcome<E> {
    /// Changed: the booking as it now is.
    Modified(DemoBookingRecord),
    /// The tenant has no booking with this id.
    NotFound,
    /// The revision was refused, with its reason; nothing was written.
    Refused(E),
    /// The new type has no room free on some night of the new stay, the booking itself not
    /// counted; nothing was written.
    Full,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = demo_bookings, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct DemoBookingRow {
    id: i64,
    tenant_id: String,
    reference: String,
    room_type: String,
    check_in: NaiveDate,
    check_out: NaiveDate,
    adults: i32,
    children_ages: String,
    guest_first_name: String,
    guest_last_name: String,
    guest_email: String,
    guest_phone: Option<String>,
    status: String,
    total_minor: i64,
    currency: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl DemoBookingRow {
    pub(crate) fn into_record(self) -> Result<DemoBookingRecord> {
        let adults = u32::try_from(self.adults).map_err(|_| {
            StoreError::Corrupt(format!("demo booking {}: adults {}", self.id, self.adults))
        })?;
        let children_ages = serde_json::from_str(&self.children_ages).map_err(|e| {
            StoreError::Corrupt(format!("demo booking {}: children_ages: {e}", self.id))
        })?;
        Ok(DemoBookingRecord {
            id: self.id,
            tenant_id: TenantId::new(self.tenant_id),
            reference: self.reference,
            room_type: self.room_type,
            check_in: self.check_in,
            check_out: self.check_out,
            adults,
            children_ages,
            guest: DemoGuest {
                first_name: self.guest_first_name,
                last_name: self.guest_last_name,
                email: self.guest_email,
                phone: self.guest_phone,
            },
            status: self.status,
            total_minor: self.total_minor,
            currency: self.currency,
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        })
    }
}

/// `adults` as stored.
pub(crate) fn stored_adults(adults: u32) -> Result<i32> {
    i32::try_from(adults)
        .map_err(|_| StoreError::InvalidArgument(format!("{adults} adults cannot be stored")))
}

/// `children_ages` as stored: a JSON array.
pub(crate) fn stored_ages(ages: &[u8]) -> Result<String> {
    Ok(serde_json::to_string(ages)?)
}

/// How many of `stays` share the busiest night from `check_in` to the day before `check_out`:
/// a sweep over the nights each stay holds within that range. A stay ending on the day another
/// starts does not share a night with it.
pub(crate) fn busiest_night(
    check_in: NaiveDate,
    check_out: NaiveDate,
    stays: &[(NaiveDate, NaiveDate)],
) -> u32 {
    let mut events: Vec<(NaiveDate, i64)> = Vec::with_capacity(stays.len() * 2);
    for &(start, end) in stays {
        let (start, end) = (start.max(check_in), end.min(check_out));
        if start < end {
            events.push((start, 1));
            events.push((end, -1));
        }
    }
    // On the same day a departure (-1) sorts before an arrival (+1).
    events.sort_unstable();
    let (mut held, mut most) = (0_i64, 0_i64);
    for (_, change) in events {
        held += change;
        most = most.max(held);
    }
    u32::try_from(most).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
    }

    #[test]
    fn the_busiest_night_counts_only_stays_holding_it() {
        let stays = [
            (day(8), day(11)),  // the 10th
            (day(11), day(12)), // the 11th
            (day(11), day(20)), // the 11th to the 13th
            (day(14), day(15)), // starts on the check-out day
            (day(1), day(10)),  // ends on the check-in day
        ];
        assert_eq!(busiest_night(day(10), day(14), &stays), 2);
        assert_eq!(busiest_night(day(12), day(13), &stays), 1);
        assert_eq!(busiest_night(day(20), day(21), &stays), 0);
        assert_eq!(busiest_night(day(10), day(14), &[]), 0);
        // Back-to-back stays never add up.
        let chain = [(day(1), day(3)), (day(3), day(5)), (day(5), day(7))];
        assert_eq!(busiest_night(day(1), day(7), &chain), 1);
    }

    #[test]
    fn cancelled_and_refunded_bookings_hold_no_room() {
        assert!(DEMO_INACTIVE_STATUSES.contains(&DEMO_CANCELLED));
        assert!(!DEMO_INACTIVE_STATUSES.contains(&DEMO_AWAITING_PAYMENT));
    }
}
