//! Paid bookings waiting for staff to confirm the payment (`[hotel.booking] confirmation =
//! "staff"`), and staff's decisions.
//!
//! A request is recorded once per tenant and reference (the booking reference the guest was
//! given), so recording it again is harmless. A decision moves it out of
//! `awaiting_confirmation` (or `failed`) and, in the same transaction, queues the guest's
//! messages: two staff members deciding at once never send the guest two answers.

mod records;

pub use records::{
    BookingDecision, BookingRequestRecord, BookingRequestStatus, DecisionOutcome,
    NewBookingRequest, SubmitOutcome,
};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hotel_domain::TenantId;

use crate::Store;
use crate::convert::{sql_limit, to_db};
use crate::error::{Result, StoreError};
use crate::outbox::{NewOutbound, NewOutboundRow};
use crate::pool::{transaction, with_connection};
use crate::schema::{booking_requests, outbound_messages};
use records::{BookingRequestRow, stored_count};

impl Store {
    /// Records a paid booking for staff, `awaiting_confirmation`. Idempotent on
    /// `(tenant_id, reference)`: a known reference returns [`SubmitOutcome::Existing`] with the
    /// stored request, whatever the rest of `request` says, and writes nothing.
    pub async fn submit_booking_request(
        &self,
        request: &NewBookingRequest,
        now: DateTime<Utc>,
    ) -> Result<SubmitOutcome> {
        if request.check_out <= request.check_in {
            return Err(StoreError::InvalidArgument(format!(
                "check-out {} is not after check-in {}",
                request.check_out, request.check_in
            )));
        }
        let adults = stored_count(request.adults, "adults")?;
        let children = stored_count(request.children, "children")?;
        let now = to_db(now);
        let tenant = request.tenant_id.as_str();
        let db = self.connections().write().await?;
        let (created, row): (bool, BookingRequestRow) = with_connection!(db, |conn| {
            let inserted = diesel::insert_into(booking_requests::table)
                .values((
                    booking_requests::tenant_id.eq(tenant),
                    booking_requests::wa_id.eq(request.wa_id.as_str()),
                    booking_requests::phone_number_id.eq(&request.phone_number_id),
                    booking_requests::reference.eq(&request.reference),
                    booking_requests::room_type.eq(&request.room_type),
                    booking_requests::room_name.eq(&request.room_name),
                    booking_requests::check_in.eq(request.check_in),
                    booking_requests::check_out.eq(request.check_out),
                    booking_requests::adults.eq(adults),
                    booking_requests::children.eq(children),
                    booking_requests::guest_name.eq(&request.guest_name),
                    booking_requests::guest_email.eq(&request.guest_email),
                    booking_requests::total_minor.eq(request.total_minor),
                    booking_requests::currency.eq(&request.currency),
                    booking_requests::deposit_minor.eq(request.deposit_minor),
                    booking_requests::language.eq(request.language.map(|l| l.code())),
                    booking_requests::status
                        .eq(BookingRequestStatus::AwaitingConfirmation.as_str()),
                    booking_requests::created_at.eq(now),
                    booking_requests::updated_at.eq(now),
                ))
                .on_conflict((booking_requests::tenant_id, booking_requests::reference))
                .do_nothing()
                .returning(BookingRequestRow::as_returning())
                .get_result(&mut *conn)
                .await
                .optional()?;
            match inserted {
                Some(row) => Ok((true, row)),
                None => Ok((
                    false,
                    booking_requests::table
                        .filter(booking_requests::tenant_id.eq(tenant))
                        .filter(booking_requests::reference.eq(&request.reference))
                        .select(BookingRequestRow::as_select())
                        .first(&mut *conn)
                        .await?,
                )),
            }
        })?;
        let record = row.into_record()?;
        Ok(if created {
            SubmitOutcome::Created(record)
        } else {
            SubmitOutcome::Existing(record)
        })
    }

    /// One of the tenant's booking requests.
    pub async fn booking_request(
        &self,
        tenant: &TenantId,
        id: i64,
    ) -> Result<Option<BookingRequestRecord>> {
        let db = self.connections().read().await?;
        let row: Option<BookingRequestRow> = with_connection!(db, |conn| {
            Ok(booking_requests::table
                .filter(booking_requests::tenant_id.eq(tenant.as_str()))
                .filter(booking_requests::id.eq(id))
                .select(BookingRequestRow::as_select())
                .first(conn)
                .await
                .optional()?)
        })?;
        row.map(BookingRequestRow::into_record).transpose()
    }

    /// The tenant's booking request with this reference.
    pub async fn booking_request_by_reference(
        &self,
        tenant: &TenantId,
        reference: &str,
    ) -> Result<Option<BookingRequestRecord>> {
        let db = self.connections().read().await?;
        let row: Option<BookingRequestRow> = with_connection!(db, |conn| {
            Ok(booking_requests::table
                .filter(booking_requests::tenant_id.eq(tenant.as_str()))
                .filter(booking_requests::reference.eq(reference))
                .select(BookingRequestRow::as_select())
                .first(conn)
                .await
                .optional()?)
        })?;
        row.map(BookingRequestRow::into_record).transpose()
    }

    /// The tenant's booking requests, of `status` when given, oldest first, at most `limit`.
    pub async fn booking_requests(
        &self,
        tenant: &TenantId,
        status: Option<BookingRequestStatus>,
        limit: usize,
    ) -> Result<Vec<BookingRequestRecord>> {
        let statuses: Vec<&str> = match status {
            Some(status) => vec![status.as_str()],
            None => BookingRequestStatus::ALL.map(|s| s.as_str()).to_vec(),
        };
        let db = self.connections().read().await?;
        let rows: Vec<BookingRequestRow> = with_connection!(db, |conn| {
            Ok(booking_requests::table
                .filter(booking_requests::tenant_id.eq(tenant.as_str()))
                .filter(booking_requests::status.eq_any(&statuses))
                .order((booking_requests::created_at, booking_requests::id))
                .limit(sql_limit(limit))
                .select(BookingRequestRow::as_select())
                .load(conn)
                .await?)
        })?;
        rows.into_iter()
            .map(BookingRequestRow::into_record)
            .collect()
    }

    /// Records staff's `decision` on request `id` when it is in one of the statuses `from`, and
    /// queues `messages` to the guest in the same transaction (only then). A request in another
    /// status is returned [`DecisionOutcome::Unchanged`]: nothing written, nothing queued.
    pub async fn decide_booking_request(
        &self,
        tenant: &TenantId,
        id: i64,
        from: &[BookingRequestStatus],
        decision: &BookingDecision,
        messages: &[NewOutbound],
        now: DateTime<Utc>,
    ) -> Result<DecisionOutcome> {
        let now = to_db(now);
        let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
        let outbound = messages
            .iter()
            .map(|message| NewOutboundRow::new(message, now))
            .collect::<Result<Vec<_>>>()?;
        let db = self.connections().write().await?;
        let outcome: Option<(bool, BookingRequestRow)> = with_connection!(db, |conn| {
            transaction!(conn, {
                let decided: Option<BookingRequestRow> = diesel::update(booking_requests::table)
                    .filter(booking_requests::tenant_id.eq(tenant.as_str()))
                    .filter(booking_requests::id.eq(id))
                    .filter(booking_requests::status.eq_any(&from))
                    .set((
                        booking_requests::status.eq(decision.status.as_str()),
                        booking_requests::pms_booking_id.eq(decision.pms_booking_id.as_deref()),
                        booking_requests::decided_by.eq(&decision.decided_by),
                        booking_requests::decided_at.eq(Some(now)),
                        booking_requests::decision_note.eq(decision.note.as_deref()),
                        booking_requests::updated_at.eq(now),
                    ))
                    .returning(BookingRequestRow::as_returning())
                    .get_result(&mut *conn)
                    .await
                    .optional()?;
                if let Some(row) = decided {
                    for message in &outbound {
                        diesel::insert_into(outbound_messages::table)
                            .values(message)
                            .execute(&mut *conn)
                            .await?;
                    }
                    return Ok(Some((true, row)));
                }
                let current: Option<BookingRequestRow> = booking_requests::table
                    .filter(booking_requests::tenant_id.eq(tenant.as_str()))
                    .filter(booking_requests::id.eq(id))
                    .select(BookingRequestRow::as_select())
                    .first(&mut *conn)
                    .await
                    .optional()?;
                Ok(current.map(|row| (false, row)))
            })
        })?;
        Ok(match outcome {
            Some((true, row)) => DecisionOutcome::Decided(row.into_record()?),
            Some((false, row)) => DecisionOutcome::Unchanged(row.into_record()?),
            None => DecisionOutcome::NotFound,
        })
    }
}
