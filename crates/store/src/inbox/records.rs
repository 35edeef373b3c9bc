//! The inbox's public records and its row types.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use hotel_domain::{InboundMessage, TenantId, WaId};

use crate::convert::{from_db, parse_stored, to_db};
use crate::error::{Result, StoreError};
use crate::schema::inbound_messages;

/// Where an inbound message is in its processing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InboundStatus {
    /// Waiting for a worker (new, or back after a retryable failure).
    Pending,
    /// Claimed by a worker under a lease.
    Processing,
    /// Processed; its replies are in the outbox.
    Done,
    /// Given up on after repeated failures (a dead letter).
    Failed,
}

impl InboundStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            InboundStatus::Pending => "pending",
            InboundStatus::Processing => "processing",
            InboundStatus::Done => "done",
            InboundStatus::Failed => "failed",
        }
    }
}

impl std::str::FromStr for InboundStatus {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Ok(match s {
            "pending" => InboundStatus::Pending,
            "processing" => InboundStatus::Processing,
            "done" => InboundStatus::Done,
            "failed" => InboundStatus::Failed,
            other => return Err(format!("unknown inbound status `{other}`")),
        })
    }
}

impl std::fmt::Display for InboundStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for InboundStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

pub(super) const PENDING: &str = "pending";
pub(super) const PROCESSING: &str = "processing";

/// A message claimed for processing; `attempts` counts this attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedInbound {
    pub id: i64,
    pub attempts: i32,
    pub message: InboundMessage,
}

/// A stored inbound message with its processing state.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundRecord {
    pub id: i64,
    pub message: InboundMessage,
    pub status: InboundStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub received_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTime<Utc>>,
    pub processed_at: Option<DateTime<Utc>>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = inbound_messages, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(super) struct InboundRow {
    pub(super) id: i64,
    tenant_id: String,
    provider_message_id: String,
    phone_number_id: String,
    wa_id: String,
    profile_name: Option<String>,
    kind: String,
    text: Option<String>,
    reply_id: Option<String>,
    context_message_id: Option<String>,
    pub(super) sent_at: NaiveDateTime,
    received_at: NaiveDateTime,
    status: String,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    locked_by: Option<String>,
    locked_until: Option<NaiveDateTime>,
    last_error: Option<String>,
    processed_at: Option<NaiveDateTime>,
    attachment: Option<String>,
}

impl InboundRow {
    fn message(&self) -> Result<InboundMessage> {
        Ok(InboundMessage {
            tenant_id: TenantId::new(self.tenant_id.clone()),
            phone_number_id: self.phone_number_id.clone(),
            provider_message_id: self.provider_message_id.clone(),
            from: WaId::new(self.wa_id.clone()),
            profile_name: self.profile_name.clone(),
            kind: parse_stored(&self.kind, "inbound kind")?,
            text: self.text.clone(),
            reply_id: self.reply_id.clone(),
            context_message_id: self.context_message_id.clone(),
            attachment: self
                .attachment
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| StoreError::Corrupt(format!("inbound attachment: {e}")))?,
            sent_at: from_db(self.sent_at),
        })
    }

    pub(super) fn into_claimed(self) -> Result<ClaimedInbound> {
        Ok(ClaimedInbound {
            id: self.id,
            attempts: self.attempts,
            message: self.message()?,
        })
    }

    pub(super) fn into_record(self) -> Result<InboundRecord> {
        Ok(InboundRecord {
            id: self.id,
            message: self.message()?,
            status: parse_stored(&self.status, "inbound status")?,
            attempts: self.attempts,
            last_error: self.last_error,
            received_at: from_db(self.received_at),
            next_attempt_at: from_db(self.next_attempt_at),
            locked_by: self.locked_by,
            locked_until: self.locked_until.map(from_db),
            processed_at: self.processed_at.map(from_db),
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = inbound_messages, treat_none_as_default_value = false)]
pub(super) struct NewInboundRow<'a> {
    tenant_id: &'a str,
    provider_message_id: &'a str,
    phone_number_id: &'a str,
    wa_id: &'a str,
    profile_name: Option<&'a str>,
    kind: &'a str,
    text: Option<&'a str>,
    reply_id: Option<&'a str>,
    context_message_id: Option<&'a str>,
    pub(super) sent_at: NaiveDateTime,
    received_at: NaiveDateTime,
    status: &'a str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    attachment: Option<String>,
}

impl<'a> NewInboundRow<'a> {
    pub(super) fn new(message: &'a InboundMessage, now: NaiveDateTime) -> Result<Self> {
        let attachment = message
            .attachment
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("inbound attachment: {e}")))?;
        Ok(NewInboundRow {
            tenant_id: message.tenant_id.as_str(),
            provider_message_id: &message.provider_message_id,
            phone_number_id: &message.phone_number_id,
            wa_id: message.from.as_str(),
            profile_name: message.profile_name.as_deref(),
            kind: message.kind.as_str(),
            text: message.text.as_deref(),
            reply_id: message.reply_id.as_deref(),
            context_message_id: message.context_message_id.as_deref(),
            sent_at: to_db(message.sent_at),
            received_at: now,
            status: PENDING,
            attempts: 0,
            next_attempt_at: now,
            attachment,
        })
    }
}
