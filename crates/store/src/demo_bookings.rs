//! The built-in demo PMS's bookings: booked, cancelled and changed with the room type's
//! capacity checked in the same transaction as the write.
//!
//! A room type has `rooms` rooms; a stay fits when, on each of its nights, fewer than `rooms`
//! active bookings of the type hold that night. SQLite: every write goes through the one writer
//! in a `BEGIN IMMEDIATE` transaction, so checks and writes never interleave. PostgreSQL: each
//! booking or change into a room type first takes a transaction-scoped advisory lock on
//! (tenant, room type), so writers of the same type queue and each counts what the previous one
//! committed; changes and cancellations of one booking also lock the booking.

mod records;

pub use records::{
    DEMO_AWAITING_PAYMENT, DEMO_CANCELLED, DEMO_INACTIVE_STATUSES, DemoBookOutcome,
    DemoBookingRecord, DemoBookingRevision, DemoGuest, DemoModifyOutcome, NewDemoBooking,
};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hotel_domain::TenantId;

use crate::Store;
use crate::convert::to_db;
use crate::error::{Result, StoreError};
use crate::pool::{BackendConn, transaction, with_connection};
use crate::schema::demo_bookings;
use records::{DemoBookingRow, busiest_night, stored_adults, stored_ages};

/// The advisory-lock namespace of (tenant, room type): bookings into one type queue here.
const DEMO_ROOM_LOCK: i32 = 0x686f_7402;
/// The advisory-lock namespace of one booking: its changes and cancellation queue here.
const DEMO_BOOKING_LOCK: i32 = 0x686f_7403;

fn room_key(tenant: &TenantId, room_type: &str) -> String {
    format!("{}\n{room_type}", tenant.as_str())
}

fn booking_key(tenant: &TenantId, id: i64) -> String {
    format!("{}\n{id}", tenant.as_str())
}

fn check_stay(check_in: NaiveDate, check_out: NaiveDate) -> Result<()> {
    if check_out > check_in {
        Ok(())
    } else {
        Err(StoreError::InvalidArgument(format!(
            "check-out {check_out} is not after check-in {check_in}"
        )))
    }
}

/// The `(check_in, check_out)` of the tenant's active bookings of `$room_type` that share a night
/// with the stay, except booking `$ignore` (0: none; ids start at 1). Awaited inside a
/// [`with_connection!`] body.
macro_rules! overlapping_stays {
    ($conn:expr, $tenant:expr, $room_type:expr, $check_in:expr, $check_out:expr, $ignore:expr) => {
        demo_bookings::table
            .filter(demo_bookings::tenant_id.eq($tenant.as_str()))
            .filter(demo_bookings::room_type.eq($room_type))
            .filter(demo_bookings::check_in.lt($check_out))
            .filter(demo_bookings::check_out.gt($check_in))
            .filter(demo_bookings::status.ne_all(DEMO_INACTIVE_STATUSES))
            .filter(demo_bookings::id.ne($ignore))
            .select((demo_bookings::check_in, demo_bookings::check_out))
            .load::<(NaiveDate, NaiveDate)>($conn)
    };
}

impl Store {
    /// Books one room of `booking.room_type` when fewer than `rooms` of them are taken on every
    /// night of the stay, in one transaction. Idempotent on `(tenant_id, reference)`: a known
    /// reference returns [`DemoBookOutcome::Existing`] with the stored booking, whatever the
    /// rest of `booking` says, and writes nothing.
    pub async fn book_demo_room(
        &self,
        booking: &NewDemoBooking,
        rooms: u32,
        now: DateTime<Utc>,
    ) -> Result<DemoBookOutcome> {
        check_stay(booking.check_in, booking.check_out)?;
        let adults = stored_adults(booking.adults)?;
        let ages = stored_ages(&booking.children_ages)?;
        let now = to_db(now);
        let tenant = &booking.tenant_id;
        let lock = room_key(tenant, &booking.room_type);
        let db = self.connections().write().await?;
        let outcome: Option<(bool, DemoBookingRow)> = with_connection!(db, |conn| {
            let by_reference = || {
                demo_bookings::table
                    .filter(demo_bookings::tenant_id.eq(tenant.as_str()))
                    .filter(demo_bookings::reference.eq(&booking.reference))
                    .select(DemoBookingRow::as_select())
            };
            transaction!(conn, {
                BackendConn::lock_key(&mut *conn, DEMO_ROOM_LOCK, &lock).await?;
                if let Some(existing) = by_reference().first(&mut *conn).await.optional()? {
                    return Ok(Some((false, existing)));
                }
                let stays = overlapping_stays!(
                    &mut *conn,
                    tenant,
                    &booking.room_type,
                    booking.check_in,
                    booking.check_out,
                    0_i64
                )
                .await?;
                if busiest_night(booking.check_in, booking.check_out, &stays) >= rooms {
                    return Ok(None);
                }
                let inserted = diesel::insert_into(demo_bookings::table)
                    .values((
                        demo_bookings::tenant_id.eq(tenant.as_str()),
                        demo_bookings::reference.eq(&booking.reference),
                        demo_bookings::room_type.eq(&booking.room_type),
                        demo_bookings::check_in.eq(booking.check_in),
                        demo_bookings::check_out.eq(booking.check_out),
                        demo_bookings::adults.eq(adults),
                        demo_bookings::children_ages.eq(&ages),
                        demo_bookings::guest_first_name.eq(&booking.guest.first_name),
                        demo_bookings::guest_last_name.eq(&booking.guest.last_name),
                        demo_bookings::guest_email.eq(&booking.guest.email),
                        demo_bookings::guest_phone.eq(booking.guest.phone.as_deref()),
                        demo_bookings::status.eq(&booking.status),
                        demo_bookings::total_minor.eq(booking.total_minor),
                        demo_bookings::currency.eq(&booking.currency),
                        demo_bookings::created_at.eq(now),
                        demo_bookings::updated_at.eq(now),
                    ))
                    // The same reference booked at once into another room type (another lock).
                    .on_conflict((demo_bookings::tenant_id, demo_bookings::reference))
                    .do_nothing()
                    .returning(DemoBookingRow::as_returning())
                    .get_result(&mut *conn)
                    .await
                    .optional()?;
                match inserted {
                    Some(row) => Ok(Some((true, row))),
                    None => Ok(Some((false, by_reference().first(&mut *conn).await?))),
                }
            })
        })?;
        Ok(match outcome {
            Some((true, row)) => DemoBookOutcome::Booked(row.into_record()?),
            Some((false, row)) => DemoBookOutcome::Existing(row.into_record()?),
            None => DemoBookOutcome::Full,
        })
    }

    /// One of the tenant's demo bookings.
    pub async fn demo_booking(
        &self,
        tenant: &TenantId,
        id: i64,
    ) -> Result<Option<DemoBookingRecord>> {
        let db = self.connections().read().await?;
        let row: Option<DemoBookingRow> = with_connection!(db, |conn| {
            Ok(demo_bookings::table
                .filter(demo_bookings::tenant_id.eq(tenant.as_str()))
                .filter(demo_bookings::id.eq(id))
                .select(DemoBookingRow::as_select())
                .first(conn)
                .await
                .optional()?)
        })?;
        row.map(DemoBookingRow::into_record).transpose()
    }

    /// The tenant's demo booking with this reference.
    pub async fn demo_booking_by_reference(
        &self,
        tenant: &TenantId,
        reference: &str,
    ) -> Result<Option<DemoBookingRecord>> {
        let db = self.connections().read().await?;
        let row: Option<DemoBookingRow> = with_connection!(db, |conn| {
            Ok(demo_bookings::table
                .filter(demo_bookings::tenant_id.eq(tenant.as_str()))
                .filter(demo_bookings::reference.eq(reference))
                .select(DemoBookingRow::as_select())
                .first(conn)
                .await
                .optional()?)
        })?;
        row.map(DemoBookingRow::into_record).transpose()
    }

    /// Cancels a demo booking ([`DEMO_CANCELLED`]), freeing its room. A booking that holds no
    /// room already is returned unchanged; `None` when the tenant has no booking `id`.
    pub async fn cancel_demo_booking(
        &self,
        tenant: &TenantId,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<DemoBookingRecord>> {
        let now = to_db(now);
        let lock = booking_key(tenant, id);
        let db = self.connections().write().await?;
        let row: Option<DemoBookingRow> = with_connection!(db, |conn| {
            transaction!(conn, {
                BackendConn::lock_key(&mut *conn, DEMO_BOOKING_LOCK, &lock).await?;
                diesel::update(demo_bookings::table)
                    .filter(demo_bookings::tenant_id.eq(tenant.as_str()))
                    .filter(demo_bookings::id.eq(id))
                    .filter(demo_bookings::status.ne_all(DEMO_INACTIVE_STATUSES))
                    .set((
                        demo_bookings::status.eq(DEMO_CANCELLED),
                        demo_bookings::updated_at.eq(now),
                    ))
                    .execute(&mut *conn)
                    .await?;
                Ok(demo_bookings::table
                    .filter(demo_bookings::tenant_id.eq(tenant.as_str()))
                    .filter(demo_bookings::id.eq(id))
                    .select(DemoBookingRow::as_select())
                    .first(&mut *conn)
                    .await
                    .optional()?)
            })
        })?;
        row.map(DemoBookingRow::into_record).transpose()
    }

    /// Changes a demo booking in one transaction: `revise` sees the booking as stored (nothing
    /// changes it meanwhile) and returns what it becomes, or an error that refuses the change;
    /// the new type must then have a room free on every night of the new stay, not counting the
    /// booking itself. Its status is kept.
    pub async fn modify_demo_booking<E, F>(
        &self,
        tenant: &TenantId,
        id: i64,
        now: DateTime<Utc>,
        revise: F,
    ) -> Result<DemoModifyOutcome<E>>
    where
        E: Send,
        F: FnOnce(&DemoBookingRecord) -> std::result::Result<DemoBookingRevision, E> + Send,
    {
        let now = to_db(now);
        let lock = booking_key(tenant, id);
        let db = self.connections().write().await?;
        let outcome: DemoModifyOutcome<E> = with_connection!(db, |conn| {
            transaction!(conn, {
                BackendConn::lock_key(&mut *conn, DEMO_BOOKING_LOCK, &lock).await?;
                let current: Option<DemoBookingRow> = demo_bookings::table
                    .filter(demo_bookings::tenant_id.eq(tenant.as_str()))
                    .filter(demo_bookings::id.eq(id))
                    .select(DemoBookingRow::as_select())
                    .first(&mut *conn)
                    .await
                    .optional()?;
                let Some(current) = current else {
                    return Ok(DemoModifyOutcome::NotFound);
                };
                let revision = match revise(&current.into_record()?) {
                    Ok(revision) => revision,
                    Err(reason) => return Ok(DemoModifyOutcome::Refused(reason)),
                };
                check_stay(revision.check_in, revision.check_out)?;
                let adults = stored_adults(revision.adults)?;
                let ages = stored_ages(&revision.children_ages)?;
                let room_lock = room_key(tenant, &revision.room_type);
                BackendConn::lock_key(&mut *conn, DEMO_ROOM_LOCK, &room_lock).await?;
                let stays = overlapping_stays!(
                    &mut *conn,
                    tenant,
                    &revision.room_type,
                    revision.check_in,
                    revision.check_out,
                    id
                )
                .await?;
                if busiest_night(revision.check_in, revision.check_out, &stays) >= revision.rooms {
                    return Ok(DemoModifyOutcome::Full);
                }
                let row: DemoBookingRow = diesel::update(demo_bookings::table)
                    .filter(demo_bookings::id.eq(id))
                    .set((
                        demo_bookings::room_type.eq(&revision.room_type),
                        demo_bookings::check_in.eq(revision.check_in),
                        demo_bookings::check_out.eq(revision.check_out),
                        demo_bookings::adults.eq(adults),
                        demo_bookings::children_ages.eq(&ages),
                        demo_bookings::total_minor.eq(revision.total_minor),
                        demo_bookings::currency.eq(&revision.currency),
                        demo_bookings::updated_at.eq(now),
                    ))
                    .returning(DemoBookingRow::as_returning())
                    .get_result(&mut *conn)
                    .await?;
                Ok(DemoModifyOutcome::Modified(row.into_record()?))
            })
        })?;
        Ok(outcome)
    }

    /// How many rooms of `room_type` the tenant's active demo bookings take on the busiest night
    /// from `check_in` to the day before `check_out` (for quotes; bookings check again).
    pub async fn demo_rooms_taken(
        &self,
        tenant: &TenantId,
        room_type: &str,
        check_in: NaiveDate,
        check_out: NaiveDate,
    ) -> Result<u32> {
        check_stay(check_in, check_out)?;
        let db = self.connections().read().await?;
        let stays = with_connection!(db, |conn| {
            Ok(overlapping_stays!(conn, tenant, room_type, check_in, check_out, 0_i64).await?)
        })?;
        Ok(busiest_night(check_in, check_out, &stays))
    }
}
