//! Delivery status callbacks: stored once per (message, status), applied to the outbox
//! monotonically.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hotel_domain::{DeliveryState, DeliveryStatus, ProviderError};

use crate::Store;
use crate::convert::{parse_stored, to_db};
use crate::error::{Result, StoreError};
use crate::outbox::OutboundStatus;
use crate::pool::{BackendConn, transaction, with_connection};
use crate::schema::{delivery_statuses, outbound_messages};

/// The advisory-lock namespace under which status callbacks and acceptance of the same provider
/// message id are serialised on PostgreSQL. Without it a callback racing the sender's
/// `mark_outbound_accepted` could find no row to update while the sender's transaction still
/// cannot see the callback's row, and the status would never be applied.
pub(crate) const PROVIDER_MESSAGE_LOCK: i32 = 0x686f_7401;

/// What [`Store::apply_delivery_status`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusOutcome {
    /// The outbox row with this provider message id, if there is one yet.
    pub outbound_id: Option<i64>,
    /// The same (message, status) had been recorded before; nothing changed.
    pub duplicate: bool,
}

/// The update a delivery status makes to an outbox row.
#[derive(AsChangeset)]
#[diesel(table_name = outbound_messages)]
pub(crate) struct DeliveryChange {
    status: &'static str,
    updated_at: NaiveDateTime,
    /// Set only the first time the row reaches sent, delivered, read or failed.
    final_at: Option<NaiveDateTime>,
    /// Set only on failure.
    last_error: Option<String>,
    /// Set only on failure (to NULL when the provider gave no code).
    error_code: Option<Option<i64>>,
}

impl DeliveryChange {
    /// The change `state` makes to a row that is `current` (whose `final_at` is `final_at`), or
    /// `None` when it would not advance it: statuses only move forward (accepted < sent <
    /// delivered < read) and `failed`/`dead` never change again.
    pub(crate) fn after(
        current: OutboundStatus,
        state: DeliveryState,
        errors: &[ProviderError],
        final_at: Option<NaiveDateTime>,
        now: NaiveDateTime,
    ) -> Option<(OutboundStatus, DeliveryChange)> {
        let target = match state {
            DeliveryState::Sent => OutboundStatus::Sent,
            DeliveryState::Delivered => OutboundStatus::Delivered,
            DeliveryState::Read => OutboundStatus::Read,
            DeliveryState::Failed => OutboundStatus::Failed,
        };
        if current.is_final() || target <= current {
            return None;
        }
        let (last_error, error_code) = if target == OutboundStatus::Failed {
            (Some(describe(errors)), Some(errors.first().map(|e| e.code)))
        } else {
            (None, None)
        };
        let change = DeliveryChange {
            status: target.as_str(),
            updated_at: now,
            final_at: final_at.is_none().then_some(now),
            last_error,
            error_code,
        };
        Some((target, change))
    }
}

/// The operator-facing text of a provider failure.
fn describe(errors: &[ProviderError]) -> String {
    match errors.first() {
        Some(error) => match &error.details {
            Some(details) => format!("{} ({}): {details}", error.title, error.code),
            None => format!("{} ({})", error.title, error.code),
        },
        None => "delivery failed (no error details)".to_owned(),
    }
}

/// Parses a stored status row back (for statuses that arrived before acceptance).
pub(crate) fn stored_status(
    state: &str,
    errors: &str,
) -> Result<(DeliveryState, Vec<ProviderError>)> {
    let state = parse_stored(state, "delivery state")?;
    let errors = serde_json::from_str(errors)
        .map_err(|e| StoreError::Corrupt(format!("unreadable delivery status errors: {e}")))?;
    Ok((state, errors))
}

#[derive(Insertable)]
#[diesel(table_name = delivery_statuses, treat_none_as_default_value = false)]
struct NewStatusRow<'a> {
    provider_message_id: &'a str,
    phone_number_id: &'a str,
    status: &'a str,
    recipient: Option<&'a str>,
    occurred_at: NaiveDateTime,
    errors: String,
    received_at: NaiveDateTime,
}

impl Store {
    /// Records a status callback and advances the matching outbox row.
    ///
    /// A repeated (provider message id, status) is reported as `duplicate` and changes nothing.
    /// Otherwise the row moves forward only (accepted < sent < delivered < read; `failed` is
    /// final and records the provider's error code and text; `final_at` is set the first time).
    /// A status for an id no outbox row has yet is stored, reported with `outbound_id: None`, and
    /// applied when the sender records the acceptance.
    pub async fn apply_delivery_status(
        &self,
        status: &DeliveryStatus,
        now: DateTime<Utc>,
    ) -> Result<StatusOutcome> {
        let now = to_db(now);
        let row = NewStatusRow {
            provider_message_id: &status.provider_message_id,
            phone_number_id: &status.phone_number_id,
            status: status.state.as_str(),
            recipient: status.recipient.as_deref(),
            occurred_at: to_db(status.at),
            errors: serde_json::to_string(&status.errors)?,
            received_at: now,
        };
        let db = self.connections().write().await?;
        with_connection!(db, |conn| {
            transaction!(conn, {
                BackendConn::lock_key(
                    &mut *conn,
                    PROVIDER_MESSAGE_LOCK,
                    &status.provider_message_id,
                )
                .await?;
                let inserted = diesel::insert_into(delivery_statuses::table)
                    .values(&row)
                    .on_conflict((
                        delivery_statuses::provider_message_id,
                        delivery_statuses::status,
                    ))
                    .do_nothing()
                    .execute(&mut *conn)
                    .await?;
                let target: Option<(i64, String, Option<NaiveDateTime>)> = outbound_messages::table
                    .filter(outbound_messages::provider_message_id.eq(&status.provider_message_id))
                    .select((
                        outbound_messages::id,
                        outbound_messages::status,
                        outbound_messages::final_at,
                    ))
                    .first(&mut *conn)
                    .await
                    .optional()?;
                let Some((id, current, final_at)) = target else {
                    return Ok(StatusOutcome {
                        outbound_id: None,
                        duplicate: inserted == 0,
                    });
                };
                if inserted == 0 {
                    return Ok(StatusOutcome {
                        outbound_id: Some(id),
                        duplicate: true,
                    });
                }
                let current: OutboundStatus = parse_stored(&current, "outbound status")?;
                if let Some((_, change)) =
                    DeliveryChange::after(current, status.state, &status.errors, final_at, now)
                {
                    diesel::update(outbound_messages::table)
                        .filter(outbound_messages::id.eq(id))
                        .filter(outbound_messages::status.eq(current.as_str()))
                        .set(&change)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(StatusOutcome {
                    outbound_id: Some(id),
                    duplicate: false,
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn now() -> NaiveDateTime {
        DateTime::from_timestamp(1_764_064_000, 0)
            .unwrap_or_default()
            .naive_utc()
    }

    #[test]
    fn statuses_only_move_forward() {
        let advance = |current, state| {
            DeliveryChange::after(current, state, &[], None, now()).map(|(s, _)| s)
        };
        assert_eq!(
            advance(OutboundStatus::Accepted, DeliveryState::Sent),
            Some(OutboundStatus::Sent)
        );
        assert_eq!(
            advance(OutboundStatus::Accepted, DeliveryState::Read),
            Some(OutboundStatus::Read)
        );
        assert_eq!(
            advance(OutboundStatus::Read, DeliveryState::Delivered),
            None
        );
        assert_eq!(
            advance(OutboundStatus::Delivered, DeliveryState::Delivered),
            None
        );
        assert_eq!(
            advance(OutboundStatus::Delivered, DeliveryState::Failed),
            Some(OutboundStatus::Failed)
        );
        assert_eq!(advance(OutboundStatus::Failed, DeliveryState::Read), None);
        assert_eq!(advance(OutboundStatus::Dead, DeliveryState::Sent), None);
    }

    #[test]
    fn failures_carry_code_and_text_and_final_at_is_set_once() {
        let errors = [ProviderError {
            code: 131_047,
            title: "Re-engagement message".into(),
            details: Some("24h".into()),
        }];
        let change = DeliveryChange::after(
            OutboundStatus::Sent,
            DeliveryState::Failed,
            &errors,
            Some(now()),
            now(),
        );
        let Some((_, change)) = change else {
            panic!("failed must apply after sent")
        };
        assert_eq!(change.error_code, Some(Some(131_047)));
        assert_eq!(
            change.last_error.as_deref(),
            Some("Re-engagement message (131047): 24h")
        );
        assert_eq!(change.final_at, None);
        let first = DeliveryChange::after(
            OutboundStatus::Accepted,
            DeliveryState::Sent,
            &[],
            None,
            now(),
        );
        assert_eq!(first.map(|(_, c)| c.final_at), Some(Some(now())));
        assert_eq!(describe(&[]), "delivery failed (no error details)");
        assert!(stored_status("sent", "[]").is_ok());
        assert!(stored_status("queued", "[]").is_err());
        assert!(stored_status("sent", "{").is_err());
    }
}
