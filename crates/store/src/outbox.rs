//! The outbox: replies waiting to be handed to the provider, claimed in order per conversation,
//! retried, accepted or dead-lettered.

mod records;

pub(crate) use records::NewOutboundRow;
pub use records::{NewOutbound, OutboundRecord, OutboundStatus, OutboundTimeline};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hotel_domain::TenantId;

use crate::Store;
use crate::convert::{lease_until, sql_limit, to_db};
use crate::error::Result;
use crate::pool::{BackendConn, transaction, with_claim_connection, with_connection};
use crate::schema::{delivery_statuses, outbound_messages};
use crate::statuses::{DeliveryChange, PROVIDER_MESSAGE_LOCK, stored_status};
use records::{OutboundRow, PENDING, SENDING};

diesel::alias!(
    outbound_messages as outbound_candidate: OutboundCandidate,
    outbound_messages as outbound_peer: OutboundPeer,
);

impl Store {
    /// Claims up to `limit` messages to send: pending ones that are due, and sending ones whose
    /// lease expired. Per conversation `(tenant_id, wa_id)` only the oldest message not yet
    /// accepted can be claimed, so replies go out in order. Claimed rows become `sending`, locked
    /// by `worker` until `now + lease`, with `attempts + 1`. Returned oldest first.
    pub async fn claim_outbound(
        &self,
        worker: &str,
        limit: usize,
        now: DateTime<Utc>,
        lease: std::time::Duration,
    ) -> Result<Vec<OutboundRecord>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let until = lease_until(now, lease)?;
        let now = to_db(now);
        let limit = sql_limit(limit);
        let db = self.connections().write_background().await?;
        let mut rows: Vec<OutboundRow> = with_claim_connection!(db, |conn| {
            use outbound_messages as om;
            let (row, peer) = (outbound_candidate, outbound_peer);
            // Another unsent message of the row's conversation that is older, or in hand.
            let blocking = || {
                peer.filter(peer.field(om::tenant_id).eq(row.field(om::tenant_id)))
                    .filter(peer.field(om::wa_id).eq(row.field(om::wa_id)))
                    .filter(peer.field(om::status).eq_any([PENDING, SENDING]))
                    .filter(peer.field(om::id).ne(row.field(om::id)))
                    .filter(
                        peer.field(om::id).lt(row.field(om::id)).or(peer
                            .field(om::status)
                            .eq(SENDING)
                            .and(peer.field(om::locked_until).ge(now))),
                    )
                    .select(peer.field(om::id))
            };
            // Two index walks in id order that stop after `limit` hits (an index on
            // `(status, id)`), rather than one query over every unfinished row sorted afterwards:
            // the claim stays cheap however long the backlog grows. Per-conversation order is
            // kept by `blocking`, not by the scan order.
            let due = skip_locked!(
                row.filter(row.field(om::status).eq(PENDING))
                    .filter(row.field(om::next_attempt_at).le(now))
                    .filter(not(exists(blocking())))
                    .order(row.field(om::id))
                    .limit(limit)
                    .select(row.field(om::id))
            );
            let expired = skip_locked!(
                row.filter(row.field(om::status).eq(SENDING))
                    .filter(row.field(om::locked_until).lt(now))
                    .filter(not(exists(blocking())))
                    .order(row.field(om::id))
                    .limit(limit)
                    .select(row.field(om::id))
            );
            // Two statements in one transaction, for the reason given in `claim_inbound`.
            transaction!(conn, {
                let mut ids: Vec<i64> = expired.load(&mut *conn).await?;
                ids.extend(due.load::<i64>(&mut *conn).await?);
                ids.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                Ok(diesel::update(om::table)
                    .filter(om::id.eq_any(&ids))
                    .filter(
                        om::status
                            .eq(PENDING)
                            .and(om::next_attempt_at.le(now))
                            .or(om::status.eq(SENDING).and(om::locked_until.lt(now))),
                    )
                    .set((
                        om::status.eq(SENDING),
                        om::locked_by.eq(worker),
                        om::locked_until.eq(until),
                        om::attempts.eq(om::attempts + 1),
                        om::updated_at.eq(now),
                    ))
                    .returning(OutboundRow::as_returning())
                    .get_results(&mut *conn)
                    .await?)
            })
        })?;
        rows.sort_by_key(|row| row.id);
        rows.into_iter().map(OutboundRow::into_record).collect()
    }

    /// Records that the provider accepted the message `worker` holds, under `provider_message_id`:
    /// status `accepted`, lease cleared. When status callbacks for that id arrived first, the
    /// furthest one is applied at once. Does nothing (and logs) when the lease was lost.
    pub async fn mark_outbound_accepted(
        &self,
        id: i64,
        worker: &str,
        provider_message_id: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let now = to_db(now);
        let db = self.connections().write_background().await?;
        let accepted = with_connection!(db, |conn| {
            transaction!(conn, {
                // Serialises with apply_delivery_status for the same id (see statuses.rs).
                BackendConn::lock_key(&mut *conn, PROVIDER_MESSAGE_LOCK, provider_message_id)
                    .await?;
                let updated = diesel::update(outbound_messages::table)
                    .filter(outbound_messages::id.eq(id))
                    .filter(outbound_messages::status.eq(SENDING))
                    .filter(outbound_messages::locked_by.eq(worker))
                    .set((
                        outbound_messages::status.eq(OutboundStatus::Accepted.as_str()),
                        outbound_messages::provider_message_id.eq(provider_message_id),
                        outbound_messages::locked_by.eq(None::<String>),
                        outbound_messages::locked_until.eq(None::<NaiveDateTime>),
                        outbound_messages::updated_at.eq(now),
                    ))
                    .execute(&mut *conn)
                    .await?;
                if updated == 0 {
                    return Ok(false);
                }
                let early: Vec<(String, String)> = delivery_statuses::table
                    .filter(delivery_statuses::provider_message_id.eq(provider_message_id))
                    .select((delivery_statuses::status, delivery_statuses::errors))
                    .load(&mut *conn)
                    .await?;
                let mut change: Option<DeliveryChange> = None;
                let mut current = OutboundStatus::Accepted;
                for (state, errors) in &early {
                    let (state, errors) = stored_status(state, errors)?;
                    if let Some((next, next_change)) =
                        DeliveryChange::after(current, state, &errors, None, now)
                    {
                        current = next;
                        change = Some(next_change);
                    }
                }
                if let Some(change) = change {
                    diesel::update(outbound_messages::table.find(id))
                        .set(&change)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(true)
            })
        })?;
        if !accepted {
            tracing::warn!(id, worker, "acceptance not recorded: the lease was lost");
        }
        Ok(())
    }

    /// Puts a message `worker` holds back to pending, due at `next_attempt_at`, with the error.
    /// Does nothing (and logs) when the lease was lost.
    pub async fn mark_outbound_retry(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        error_code: Option<i64>,
        next_attempt_at: DateTime<Utc>,
    ) -> Result<()> {
        let next_attempt_at = to_db(next_attempt_at);
        let db = self.connections().write_background().await?;
        let updated = with_connection!(db, |conn| {
            Ok(diesel::update(outbound_messages::table)
                .filter(outbound_messages::id.eq(id))
                .filter(outbound_messages::status.eq(SENDING))
                .filter(outbound_messages::locked_by.eq(worker))
                .set((
                    outbound_messages::status.eq(PENDING),
                    outbound_messages::next_attempt_at.eq(next_attempt_at),
                    outbound_messages::last_error.eq(error),
                    outbound_messages::error_code.eq(error_code),
                    outbound_messages::locked_by.eq(None::<String>),
                    outbound_messages::locked_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)
                .await?)
        })?;
        if updated == 0 {
            tracing::warn!(
                id,
                worker,
                "outbound retry not recorded: the lease was lost"
            );
        }
        Ok(())
    }

    /// Queues messages not answering a stored guest message (staff replies, follow-ups), in
    /// one transaction, in order. Returns their ids.
    pub async fn enqueue_outbound(
        &self,
        messages: &[NewOutbound],
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        let now = to_db(now);
        let rows = messages
            .iter()
            .map(|message| NewOutboundRow::new(message, now))
            .collect::<Result<Vec<_>>>()?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let db = self.connections().write().await?;
        with_connection!(db, |conn| {
            transaction!(conn, {
                let mut ids = Vec::with_capacity(rows.len());
                for row in &rows {
                    ids.push(
                        diesel::insert_into(outbound_messages::table)
                            .values(row)
                            .returning(outbound_messages::id)
                            .get_result::<i64>(&mut *conn)
                            .await?,
                    );
                }
                Ok(ids)
            })
        })
    }

    /// Hands a message `worker` holds back unsent, due at `until`, without counting the attempt
    /// (for pacing: the provider's rate limits say "not yet", not "failed"). Does nothing (and
    /// logs) when the lease was lost.
    pub async fn defer_outbound(&self, id: i64, worker: &str, until: DateTime<Utc>) -> Result<()> {
        let until = to_db(until);
        let db = self.connections().write_background().await?;
        let updated = with_connection!(db, |conn| {
            Ok(diesel::update(outbound_messages::table)
                .filter(outbound_messages::id.eq(id))
                .filter(outbound_messages::status.eq(SENDING))
                .filter(outbound_messages::locked_by.eq(worker))
                .set((
                    outbound_messages::status.eq(PENDING),
                    outbound_messages::next_attempt_at.eq(until),
                    outbound_messages::attempts.eq(outbound_messages::attempts - 1),
                    outbound_messages::locked_by.eq(None::<String>),
                    outbound_messages::locked_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)
                .await?)
        })?;
        if updated == 0 {
            tracing::warn!(id, worker, "deferral not recorded: the lease was lost");
        }
        Ok(())
    }

    /// Gives up on a message `worker` holds: status `dead` with the error, `final_at = now`.
    /// Does nothing (and logs) when the lease was lost.
    pub async fn mark_outbound_dead(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        error_code: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let now = to_db(now);
        let db = self.connections().write_background().await?;
        let updated = with_connection!(db, |conn| {
            Ok(diesel::update(outbound_messages::table)
                .filter(outbound_messages::id.eq(id))
                .filter(outbound_messages::status.eq(SENDING))
                .filter(outbound_messages::locked_by.eq(worker))
                .set((
                    outbound_messages::status.eq(OutboundStatus::Dead.as_str()),
                    outbound_messages::last_error.eq(error),
                    outbound_messages::error_code.eq(error_code),
                    outbound_messages::locked_by.eq(None::<String>),
                    outbound_messages::locked_until.eq(None::<NaiveDateTime>),
                    outbound_messages::updated_at.eq(now),
                    outbound_messages::final_at.eq(now),
                ))
                .execute(conn)
                .await?)
        })?;
        if updated == 0 {
            tracing::warn!(id, worker, "dead letter not recorded: the lease was lost");
        }
        Ok(())
    }

    /// How many messages are not yet handed to the provider (pending + sending).
    pub async fn outbox_depth(&self) -> Result<i64> {
        let db = self.connections().read().await?;
        with_connection!(db, |conn| {
            Ok(outbound_messages::table
                .filter(outbound_messages::status.eq_any([PENDING, SENDING]))
                .count()
                .get_result(conn)
                .await?)
        })
    }

    /// One outbound message.
    pub async fn outbound_by_id(&self, id: i64) -> Result<Option<OutboundRecord>> {
        self.outbound_row(id)
            .await?
            .map(OutboundRow::into_record)
            .transpose()
    }

    /// The timestamps and lease of one outbound message.
    pub async fn outbound_timeline(&self, id: i64) -> Result<Option<OutboundTimeline>> {
        self.outbound_row(id)
            .await?
            .as_ref()
            .map(OutboundRow::timeline)
            .transpose()
    }

    /// A tenant's outbound messages, newest first.
    pub async fn list_outbound(
        &self,
        tenant: &TenantId,
        limit: i64,
    ) -> Result<Vec<OutboundRecord>> {
        let db = self.connections().read().await?;
        let rows: Vec<OutboundRow> = with_connection!(db, |conn| {
            Ok(outbound_messages::table
                .filter(outbound_messages::tenant_id.eq(tenant.as_str()))
                .order(outbound_messages::id.desc())
                .limit(limit.max(0))
                .select(OutboundRow::as_select())
                .load(conn)
                .await?)
        })?;
        rows.into_iter().map(OutboundRow::into_record).collect()
    }

    async fn outbound_row(&self, id: i64) -> Result<Option<OutboundRow>> {
        let db = self.connections().read().await?;
        with_connection!(db, |conn| {
            Ok(outbound_messages::table
                .find(id)
                .select(OutboundRow::as_select())
                .first(conn)
                .await
                .optional()?)
        })
    }
}
