//! The outbox's public records and its row types.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use hotel_domain::{OutboundBody, TenantId, WaId};

use crate::convert::{from_db, parse_stored};
use crate::error::{Result, StoreError};
use crate::schema::outbound_messages;

/// Where an outbound message is, from the outbox to the guest's screen.
///
/// `Accepted < Sent < Delivered < Read` only ever advance; `Failed` and `Dead` are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutboundStatus {
    /// Waiting for the sender (new, or back after a retryable error).
    Pending,
    /// Claimed by a sender under a lease.
    Sending,
    /// The provider accepted it and gave it an id (`wamid`).
    Accepted,
    /// The provider reports it sent.
    Sent,
    /// Delivered to the guest's device.
    Delivered,
    /// Read by the guest.
    Read,
    /// The provider reports that delivery failed.
    Failed,
    /// The sender gave up (a dead letter).
    Dead,
}

impl OutboundStatus {
    /// Every status, in order.
    pub const ALL: [OutboundStatus; 8] = [
        OutboundStatus::Pending,
        OutboundStatus::Sending,
        OutboundStatus::Accepted,
        OutboundStatus::Sent,
        OutboundStatus::Delivered,
        OutboundStatus::Read,
        OutboundStatus::Failed,
        OutboundStatus::Dead,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboundStatus::Pending => "pending",
            OutboundStatus::Sending => "sending",
            OutboundStatus::Accepted => "accepted",
            OutboundStatus::Sent => "sent",
            OutboundStatus::Delivered => "delivered",
            OutboundStatus::Read => "read",
            OutboundStatus::Failed => "failed",
            OutboundStatus::Dead => "dead",
        }
    }

    /// Whether no later event changes this status any more.
    pub fn is_final(self) -> bool {
        matches!(self, OutboundStatus::Failed | OutboundStatus::Dead)
    }
}

impl std::str::FromStr for OutboundStatus {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        OutboundStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("unknown outbound status `{s}`"))
    }
}

impl std::fmt::Display for OutboundStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

pub(super) const PENDING: &str = "pending";
pub(super) const SENDING: &str = "sending";

/// A reply to put into the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOutbound {
    pub tenant_id: TenantId,
    /// The business number to send from.
    pub phone_number_id: String,
    pub to: WaId,
    /// The guest message this answers, if any.
    pub inbound_id: Option<i64>,
    pub body: OutboundBody,
    /// The provider id of the guest message to quote.
    pub reply_to: Option<String>,
}

/// A stored outbound message.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboundRecord {
    pub id: i64,
    pub tenant_id: TenantId,
    pub phone_number_id: String,
    pub to: WaId,
    pub body: OutboundBody,
    pub reply_to: Option<String>,
    /// An [`OutboundStatus`] name.
    pub status: String,
    pub attempts: i32,
    pub provider_message_id: Option<String>,
    pub last_error: Option<String>,
    pub error_code: Option<i64>,
    pub inbound_id: Option<i64>,
}

/// The timestamps and lease of an outbound message (for operators and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundTimeline {
    pub id: i64,
    pub status: OutboundStatus,
    pub next_attempt_at: DateTime<Utc>,
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When it first reached sent, delivered, read, failed or dead.
    pub final_at: Option<DateTime<Utc>>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = outbound_messages, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(super) struct OutboundRow {
    pub(super) id: i64,
    tenant_id: String,
    phone_number_id: String,
    wa_id: String,
    inbound_id: Option<i64>,
    body: String,
    reply_to: Option<String>,
    status: String,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    locked_by: Option<String>,
    locked_until: Option<NaiveDateTime>,
    provider_message_id: Option<String>,
    last_error: Option<String>,
    error_code: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    final_at: Option<NaiveDateTime>,
}

impl OutboundRow {
    pub(super) fn into_record(self) -> Result<OutboundRecord> {
        let body = serde_json::from_str(&self.body).map_err(|e| {
            StoreError::Corrupt(format!(
                "outbound message {} has an unreadable body: {e}",
                self.id
            ))
        })?;
        Ok(OutboundRecord {
            id: self.id,
            tenant_id: TenantId::new(self.tenant_id),
            phone_number_id: self.phone_number_id,
            to: WaId::new(self.wa_id),
            body,
            reply_to: self.reply_to,
            status: self.status,
            attempts: self.attempts,
            provider_message_id: self.provider_message_id,
            last_error: self.last_error,
            error_code: self.error_code,
            inbound_id: self.inbound_id,
        })
    }

    pub(super) fn timeline(&self) -> Result<OutboundTimeline> {
        Ok(OutboundTimeline {
            id: self.id,
            status: parse_stored(&self.status, "outbound status")?,
            next_attempt_at: from_db(self.next_attempt_at),
            locked_by: self.locked_by.clone(),
            locked_until: self.locked_until.map(from_db),
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
            final_at: self.final_at.map(from_db),
        })
    }
}

/// An outbox row to insert (pending, due at once).
#[derive(Insertable)]
#[diesel(table_name = outbound_messages, treat_none_as_default_value = false)]
pub(crate) struct NewOutboundRow<'a> {
    tenant_id: &'a str,
    phone_number_id: &'a str,
    wa_id: &'a str,
    inbound_id: Option<i64>,
    body: String,
    reply_to: Option<&'a str>,
    status: &'a str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl<'a> NewOutboundRow<'a> {
    pub(crate) fn new(reply: &'a NewOutbound, now: NaiveDateTime) -> Result<Self> {
        Ok(NewOutboundRow {
            tenant_id: reply.tenant_id.as_str(),
            phone_number_id: &reply.phone_number_id,
            wa_id: reply.to.as_str(),
            inbound_id: reply.inbound_id,
            body: serde_json::to_string(&reply.body)?,
            reply_to: reply.reply_to.as_deref(),
            status: PENDING,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
            updated_at: now,
        })
    }
}
