//! The durable inbox: guest messages stored before the webhook answers, then claimed by workers
//! one conversation at a time.

mod records;

pub use records::{ClaimedInbound, InboundRecord, InboundStatus};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hotel_domain::{InboundMessage, TenantId};

use crate::Store;
use crate::convert::{from_db, lease_until, sql_limit, to_db};
use crate::error::Result;
use crate::outbox::{NewOutbound, NewOutboundRow};
use crate::pool::{transaction, with_claim_connection, with_connection};
use crate::schema::{inbound_messages, outbound_messages};
use records::{InboundRow, NewInboundRow, PENDING, PROCESSING};

diesel::alias!(
    inbound_messages as inbound_candidate: InboundCandidate,
    inbound_messages as inbound_peer: InboundPeer,
);

/// `INSERT … ON CONFLICT (tenant_id, provider_message_id) DO NOTHING`; evaluates to the number
/// of rows stored (0 for a duplicate).
macro_rules! insert_inbound_row {
    ($conn:ident, $row:expr) => {
        diesel::insert_into(inbound_messages::table)
            .values($row)
            .on_conflict((
                inbound_messages::tenant_id,
                inbound_messages::provider_message_id,
            ))
            .do_nothing()
            .execute(&mut *$conn)
            .await?
    };
}

impl Store {
    /// Stores guest messages in one transaction; a duplicate `(tenant_id, provider_message_id)`
    /// (Meta retrying a webhook) is skipped. Returns, per message, whether it was newly stored.
    pub async fn insert_inbound(
        &self,
        messages: &[InboundMessage],
        now: DateTime<Utc>,
    ) -> Result<Vec<bool>> {
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        let now = to_db(now);
        let rows: Vec<NewInboundRow<'_>> = messages
            .iter()
            .map(|m| NewInboundRow::new(m, now))
            .collect::<Result<_>>()?;
        let db = self.connections().write().await?;
        with_connection!(db, |conn| {
            let mut stored = Vec::with_capacity(rows.len());
            if let [row] = rows.as_slice() {
                // One statement is atomic on its own: no BEGIN/COMMIT round trips.
                stored.push(insert_inbound_row!(conn, row) == 1);
                Ok(stored)
            } else {
                transaction!(conn, {
                    for row in &rows {
                        stored.push(insert_inbound_row!(conn, row) == 1);
                    }
                    Ok(stored)
                })
            }
        })
    }

    /// Claims up to `limit` messages for `worker`: pending ones that are due, and processing ones
    /// whose lease expired (a crashed worker's). Per conversation `(tenant_id, wa_id)` only the
    /// oldest unfinished message (by `sent_at`, then `id`) can be claimed, and none while another
    /// message of that conversation is under a live lease: one guest's messages are processed in
    /// order, different guests' in parallel. Claimed rows become `processing`, locked by `worker`
    /// until `now + lease`, with `attempts + 1`. Returned oldest first.
    ///
    /// On PostgreSQL the candidates are selected `FOR UPDATE SKIP LOCKED` and updated in the same
    /// transaction, so concurrent workers (and instances) never claim the same row.
    pub async fn claim_inbound(
        &self,
        worker: &str,
        limit: usize,
        now: DateTime<Utc>,
        lease: std::time::Duration,
    ) -> Result<Vec<ClaimedInbound>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let until = lease_until(now, lease)?;
        let now = to_db(now);
        let limit = sql_limit(limit);
        let db = self.connections().write_background().await?;
        let mut rows: Vec<InboundRow> = with_claim_connection!(db, |conn| {
            use inbound_messages as im;
            // Another message of the candidate's conversation that must go first or is in hand.
            let (row, peer) = (inbound_candidate, inbound_peer);
            // Another unfinished message of the row's conversation that is older, or in hand.
            // (`status IN (pending, processing)` stays a top-level term so the conversation
            // index can be used.)
            let blocking = || {
                peer.filter(peer.field(im::tenant_id).eq(row.field(im::tenant_id)))
                    .filter(peer.field(im::wa_id).eq(row.field(im::wa_id)))
                    .filter(peer.field(im::status).eq_any([PENDING, PROCESSING]))
                    .filter(peer.field(im::id).ne(row.field(im::id)))
                    .filter(
                        peer.field(im::sent_at)
                            .lt(row.field(im::sent_at))
                            .or(peer
                                .field(im::sent_at)
                                .eq(row.field(im::sent_at))
                                .and(peer.field(im::id).lt(row.field(im::id))))
                            .or(peer
                                .field(im::status)
                                .eq(PROCESSING)
                                .and(peer.field(im::locked_until).ge(now))),
                    )
                    .select(peer.field(im::id))
            };
            // Two index walks in id order that stop after `limit` hits (an index on
            // `(status, id)`), rather than one query over every unfinished row sorted afterwards:
            // the claim stays cheap however long the backlog grows. Per-conversation order is
            // kept by `blocking`, not by the scan order.
            let due = skip_locked!(
                row.filter(row.field(im::status).eq(PENDING))
                    .filter(row.field(im::next_attempt_at).le(now))
                    .filter(not(exists(blocking())))
                    .order(row.field(im::id))
                    .limit(limit)
                    .select(row.field(im::id))
            );
            let expired = skip_locked!(
                row.filter(row.field(im::status).eq(PROCESSING))
                    .filter(row.field(im::locked_until).lt(now))
                    .filter(not(exists(blocking())))
                    .order(row.field(im::id))
                    .limit(limit)
                    .select(row.field(im::id))
            );
            // Two statements, not `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`:
            // PostgreSQL may re-run such a sub-select per row, skipping the rows it just locked,
            // and so claim more than `limit` rows and break the one-per-conversation rule.
            transaction!(conn, {
                let mut ids: Vec<i64> = expired.load(&mut *conn).await?;
                ids.extend(due.load::<i64>(&mut *conn).await?);
                ids.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                Ok(diesel::update(im::table)
                    .filter(im::id.eq_any(&ids))
                    // Belt and braces (the rows are locked): only rows still claimable.
                    .filter(
                        im::status
                            .eq(PENDING)
                            .and(im::next_attempt_at.le(now))
                            .or(im::status.eq(PROCESSING).and(im::locked_until.lt(now))),
                    )
                    .set((
                        im::status.eq(PROCESSING),
                        im::locked_by.eq(worker),
                        im::locked_until.eq(until),
                        im::attempts.eq(im::attempts + 1),
                    ))
                    .returning(InboundRow::as_returning())
                    .get_results(&mut *conn)
                    .await?)
            })
        })?;
        rows.sort_by_key(|row| (row.sent_at, row.id));
        rows.into_iter().map(InboundRow::into_claimed).collect()
    }

    /// In one transaction: marks the message done (only while `worker` still holds it) and puts
    /// `replies` into the outbox (pending, due at `now`). Returns `false`, writing nothing, when
    /// the lease was lost to another worker.
    pub async fn complete_inbound(
        &self,
        id: i64,
        worker: &str,
        replies: &[NewOutbound],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let now = to_db(now);
        let replies = replies
            .iter()
            .map(|reply| NewOutboundRow::new(reply, now))
            .collect::<Result<Vec<_>>>()?;
        let db = self.connections().write_background().await?;
        let completed = with_connection!(db, |conn| {
            transaction!(conn, {
                let done = diesel::update(inbound_messages::table)
                    .filter(inbound_messages::id.eq(id))
                    .filter(inbound_messages::status.eq(PROCESSING))
                    .filter(inbound_messages::locked_by.eq(worker))
                    .set((
                        inbound_messages::status.eq(InboundStatus::Done.as_str()),
                        inbound_messages::processed_at.eq(now),
                        inbound_messages::locked_by.eq(None::<String>),
                        inbound_messages::locked_until.eq(None::<NaiveDateTime>),
                    ))
                    .execute(&mut *conn)
                    .await?;
                if done == 0 {
                    return Ok(false);
                }
                for reply in &replies {
                    diesel::insert_into(outbound_messages::table)
                        .values(reply)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(true)
            })
        })?;
        if !completed {
            tracing::warn!(
                id,
                worker,
                "inbound message not completed: the lease was lost"
            );
        }
        Ok(completed)
    }

    /// Puts a message `worker` holds back to pending, due at `next_attempt_at`, recording
    /// `error`. Does nothing (and logs) when the lease was lost.
    pub async fn retry_inbound(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> Result<()> {
        let next_attempt_at = to_db(next_attempt_at);
        let db = self.connections().write_background().await?;
        let updated = with_connection!(db, |conn| {
            Ok(diesel::update(inbound_messages::table)
                .filter(inbound_messages::id.eq(id))
                .filter(inbound_messages::status.eq(PROCESSING))
                .filter(inbound_messages::locked_by.eq(worker))
                .set((
                    inbound_messages::status.eq(PENDING),
                    inbound_messages::next_attempt_at.eq(next_attempt_at),
                    inbound_messages::last_error.eq(error),
                    inbound_messages::locked_by.eq(None::<String>),
                    inbound_messages::locked_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)
                .await?)
        })?;
        if updated == 0 {
            tracing::warn!(id, worker, "inbound retry not recorded: the lease was lost");
        }
        Ok(())
    }

    /// Gives up on a message `worker` holds: status `failed` (a dead letter) with `error`.
    /// Does nothing (and logs) when the lease was lost.
    pub async fn fail_inbound(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let now = to_db(now);
        let db = self.connections().write_background().await?;
        let updated = with_connection!(db, |conn| {
            Ok(diesel::update(inbound_messages::table)
                .filter(inbound_messages::id.eq(id))
                .filter(inbound_messages::status.eq(PROCESSING))
                .filter(inbound_messages::locked_by.eq(worker))
                .set((
                    inbound_messages::status.eq(InboundStatus::Failed.as_str()),
                    inbound_messages::last_error.eq(error),
                    inbound_messages::processed_at.eq(now),
                    inbound_messages::locked_by.eq(None::<String>),
                    inbound_messages::locked_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)
                .await?)
        })?;
        if updated == 0 {
            tracing::warn!(
                id,
                worker,
                "inbound failure not recorded: the lease was lost"
            );
        }
        Ok(())
    }

    /// A stored message with its processing state.
    pub async fn inbound_by_provider_id(
        &self,
        tenant: &TenantId,
        provider_message_id: &str,
    ) -> Result<Option<InboundRecord>> {
        let db = self.connections().read().await?;
        let row = with_connection!(db, |conn| {
            Ok(inbound_messages::table
                .filter(inbound_messages::tenant_id.eq(tenant.as_str()))
                .filter(inbound_messages::provider_message_id.eq(provider_message_id))
                .select(InboundRow::as_select())
                .first(conn)
                .await
                .optional()?)
        })?;
        row.map(InboundRow::into_record).transpose()
    }
}

/// A guest's latest message to a tenant: when they sent it, and the profile name it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastInbound {
    pub sent_at: DateTime<Utc>,
    pub profile_name: Option<String>,
}

impl Store {
    /// The guest `wa_id`'s latest message to `tenant` (by `sent_at`): its time opens WhatsApp's
    /// customer-service window. `None` when they never wrote.
    pub async fn last_inbound(
        &self,
        tenant: &TenantId,
        wa_id: &str,
    ) -> Result<Option<LastInbound>> {
        let db = self.connections().read().await?;
        let latest: Option<(NaiveDateTime, Option<String>)> = with_connection!(db, |conn| {
            Ok(inbound_messages::table
                .filter(inbound_messages::tenant_id.eq(tenant.as_str()))
                .filter(inbound_messages::wa_id.eq(wa_id))
                .order((
                    inbound_messages::sent_at.desc(),
                    inbound_messages::id.desc(),
                ))
                .select((inbound_messages::sent_at, inbound_messages::profile_name))
                .first(conn)
                .await
                .optional()?)
        })?;
        Ok(latest.map(|(sent_at, profile_name)| LastInbound {
            sent_at: from_db(sent_at),
            profile_name,
        }))
    }
}
