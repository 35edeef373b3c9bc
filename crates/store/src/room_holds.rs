//! Room holds: one room of a type kept aside for a guest over some nights while they pay, counted
//! against the rooms the PMS reported free (the app's durable `RoomHolds` when no Redis is
//! configured).
//!
//! One row per hold and night (`room_holds`); every row of a hold carries the same id, holder,
//! stay, expiry and extensions. A hold is live while its expiry is later than the caller's `now`:
//! expired rows never count, and [`Store::purge_expired_room_holds`] deletes them.
//!
//! Placing, extending and releasing are each one transaction. SQLite: the one writer in a
//! `BEGIN IMMEDIATE` transaction, so no other write interleaves between the count and the insert.
//! PostgreSQL: each first takes a transaction-scoped advisory lock on (tenant, room type), so the
//! writers of one room type queue and each counts what the previous one committed.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hotel_domain::TenantId;

use crate::Store;
use crate::convert::{from_db, to_db};
use crate::error::{Result, StoreError};
use crate::pool::{BackendConn, transaction, with_connection};
use crate::schema::room_holds;

/// The advisory-lock namespace of (tenant, room type): the holds of one type are placed,
/// extended and released one at a time here.
const ROOM_HOLD_LOCK: i32 = 0x686f_7404;

/// A hold to place: one room of `room_type` on every night of the stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRoomHold {
    /// The new hold's id (a random token the caller chose).
    pub id: String,
    pub tenant_id: TenantId,
    pub room_type: String,
    /// Who holds it (e.g. the conversation): at most one live hold per room type and stay.
    pub holder: String,
    /// Each night of the stay with the rooms of `room_type` free that night (as the PMS reports
    /// them: bookings subtracted, holds not).
    pub free_rooms: BTreeMap<NaiveDate, u32>,
    /// When the hold lapses.
    pub expires_at: DateTime<Utc>,
}

/// What names a stored hold: its id and stay. An operation acts only on the hold of this
/// tenant, room type, holder and exact set of nights that still carries this id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomHoldKey {
    pub id: String,
    pub tenant_id: TenantId,
    pub room_type: String,
    pub holder: String,
    /// The nights held, in any order.
    pub nights: Vec<NaiveDate>,
}

/// A stored hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomHoldRecord {
    pub id: String,
    pub tenant_id: TenantId,
    pub room_type: String,
    pub holder: String,
    /// The nights held, ascending.
    pub nights: Vec<NaiveDate>,
    pub expires_at: DateTime<Utc>,
    /// How many times it has been extended.
    pub extensions: u32,
    pub created_at: DateTime<Utc>,
}

/// What [`Store::place_room_hold`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomHoldOutcome {
    /// Placed: the new hold.
    Placed(RoomHoldRecord),
    /// The holder already had a live hold of this room type for exactly these nights: that one,
    /// unchanged (the new id is not used).
    Existing(RoomHoldRecord),
    /// On some night the live holds already take every free room; nothing was written.
    Full,
}

/// What [`Store::extend_room_hold`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomHoldExtension {
    /// Extended: the hold as it now stands.
    Extended(RoomHoldRecord),
    /// The hold has used every extension allowed; it stands unchanged until it expires.
    LimitReached(RoomHoldRecord),
    /// No live hold with this key (it expired, was released, or never existed).
    NotHeld,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = room_holds, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct RoomHoldRow {
    id: String,
    tenant_id: String,
    room_type: String,
    holder: String,
    stay: String,
    expires_at: NaiveDateTime,
    extensions: i32,
    created_at: NaiveDateTime,
}

impl RoomHoldRow {
    fn into_record(self) -> Result<RoomHoldRecord> {
        let extensions = u32::try_from(self.extensions).map_err(|_| {
            StoreError::Corrupt(format!(
                "room hold {}: extensions {}",
                self.id, self.extensions
            ))
        })?;
        let nights = parse_stay(&self.stay)
            .ok_or_else(|| StoreError::Corrupt(format!("room hold {}: stay", self.id)))?;
        Ok(RoomHoldRecord {
            id: self.id,
            tenant_id: TenantId::new(self.tenant_id),
            room_type: self.room_type,
            holder: self.holder,
            nights,
            expires_at: from_db(self.expires_at),
            extensions,
            created_at: from_db(self.created_at),
        })
    }
}

/// The `stay` column of a set of nights: ascending, distinct, `YYYY-MM-DD`, comma-separated.
fn stay_of(nights: impl IntoIterator<Item = NaiveDate>) -> String {
    let mut nights: Vec<NaiveDate> = nights.into_iter().collect();
    nights.sort_unstable();
    nights.dedup();
    let nights: Vec<String> = nights.iter().map(NaiveDate::to_string).collect();
    nights.join(",")
}

fn parse_stay(stay: &str) -> Option<Vec<NaiveDate>> {
    stay.split(',').map(|night| night.parse().ok()).collect()
}

fn lock_key(tenant: &TenantId, room_type: &str) -> String {
    format!("{}\n{room_type}", tenant.as_str())
}

/// The rows of the hold named by `$key` with stay column `$stay`, live or not (a query inside a
/// [`with_connection!`] body).
macro_rules! hold_rows {
    ($key:expr, $stay:expr) => {
        room_holds::table
            .filter(room_holds::id.eq(&$key.id))
            .filter(room_holds::tenant_id.eq($key.tenant_id.as_str()))
            .filter(room_holds::room_type.eq(&$key.room_type))
            .filter(room_holds::holder.eq(&$key.holder))
            .filter(room_holds::stay.eq($stay))
    };
}

impl Store {
    /// Places a hold on one room of `hold.room_type` on every night of the stay if, on each
    /// night, the live holds of the type are fewer than its free rooms, in one transaction; else
    /// [`RoomHoldOutcome::Full`] and nothing is written. When the holder already has a live hold
    /// of the type for exactly these nights, returns it ([`RoomHoldOutcome::Existing`]) unchanged.
    /// A hold without nights is [`StoreError::InvalidArgument`].
    pub async fn place_room_hold(
        &self,
        hold: &NewRoomHold,
        now: DateTime<Utc>,
    ) -> Result<RoomHoldOutcome> {
        if hold.free_rooms.is_empty() {
            return Err(StoreError::InvalidArgument(format!(
                "room hold {} has no nights",
                hold.id
            )));
        }
        let stay = stay_of(hold.free_rooms.keys().copied());
        let nights: Vec<NaiveDate> = hold.free_rooms.keys().copied().collect();
        let (now, expires_at) = (to_db(now), to_db(hold.expires_at));
        let tenant = hold.tenant_id.as_str();
        let lock = lock_key(&hold.tenant_id, &hold.room_type);
        let db = self.connections().write().await?;
        let outcome: Option<(bool, RoomHoldRow)> = with_connection!(db, |conn| {
            transaction!(conn, {
                BackendConn::lock_key(&mut *conn, ROOM_HOLD_LOCK, &lock).await?;
                let existing: Option<RoomHoldRow> = room_holds::table
                    .filter(room_holds::tenant_id.eq(tenant))
                    .filter(room_holds::room_type.eq(&hold.room_type))
                    .filter(room_holds::holder.eq(&hold.holder))
                    .filter(room_holds::stay.eq(&stay))
                    .filter(room_holds::expires_at.gt(now))
                    .select(RoomHoldRow::as_select())
                    .first(&mut *conn)
                    .await
                    .optional()?;
                if let Some(existing) = existing {
                    return Ok(Some((false, existing)));
                }
                let live: HashMap<NaiveDate, i64> = room_holds::table
                    .filter(room_holds::tenant_id.eq(tenant))
                    .filter(room_holds::room_type.eq(&hold.room_type))
                    .filter(room_holds::night.eq_any(&nights))
                    .filter(room_holds::expires_at.gt(now))
                    .group_by(room_holds::night)
                    .select((room_holds::night, diesel::dsl::count_star()))
                    .load::<(NaiveDate, i64)>(&mut *conn)
                    .await?
                    .into_iter()
                    .collect();
                let full = hold
                    .free_rooms
                    .iter()
                    .any(|(night, free)| live.get(night).copied().unwrap_or(0) >= i64::from(*free));
                if full {
                    return Ok(None);
                }
                // Lapsed holds of the same stay stay behind until the purge: they never count,
                // and their ids no longer match the stay's live hold.
                for night in &nights {
                    diesel::insert_into(room_holds::table)
                        .values((
                            room_holds::id.eq(&hold.id),
                            room_holds::night.eq(night),
                            room_holds::tenant_id.eq(tenant),
                            room_holds::room_type.eq(&hold.room_type),
                            room_holds::holder.eq(&hold.holder),
                            room_holds::stay.eq(&stay),
                            room_holds::expires_at.eq(expires_at),
                            room_holds::extensions.eq(0),
                            room_holds::created_at.eq(now),
                        ))
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(Some((
                    true,
                    RoomHoldRow {
                        id: hold.id.clone(),
                        tenant_id: tenant.to_owned(),
                        room_type: hold.room_type.clone(),
                        holder: hold.holder.clone(),
                        stay: stay.clone(),
                        expires_at,
                        extensions: 0,
                        created_at: now,
                    },
                )))
            })
        })?;
        Ok(match outcome {
            Some((true, row)) => RoomHoldOutcome::Placed(row.into_record()?),
            Some((false, row)) => RoomHoldOutcome::Existing(row.into_record()?),
            None => RoomHoldOutcome::Full,
        })
    }

    /// Sets a live hold to expire at `expires_at` and counts the extension, unless it has
    /// already been extended `max_extensions` times, in one transaction.
    pub async fn extend_room_hold(
        &self,
        key: &RoomHoldKey,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        max_extensions: u32,
    ) -> Result<RoomHoldExtension> {
        let stay = stay_of(key.nights.iter().copied());
        let (now, expires_at) = (to_db(now), to_db(expires_at));
        let lock = lock_key(&key.tenant_id, &key.room_type);
        let db = self.connections().write().await?;
        let outcome: Option<(bool, RoomHoldRow)> = with_connection!(db, |conn| {
            transaction!(conn, {
                BackendConn::lock_key(&mut *conn, ROOM_HOLD_LOCK, &lock).await?;
                let current: Option<RoomHoldRow> = hold_rows!(key, &stay)
                    .filter(room_holds::expires_at.gt(now))
                    .select(RoomHoldRow::as_select())
                    .first(&mut *conn)
                    .await
                    .optional()?;
                let Some(mut current) = current else {
                    return Ok(None);
                };
                if !u32::try_from(current.extensions).is_ok_and(|done| done < max_extensions) {
                    return Ok(Some((false, current)));
                }
                let extensions = current.extensions.saturating_add(1);
                diesel::update(hold_rows!(key, &stay))
                    .set((
                        room_holds::expires_at.eq(expires_at),
                        room_holds::extensions.eq(extensions),
                    ))
                    .execute(&mut *conn)
                    .await?;
                current.expires_at = expires_at;
                current.extensions = extensions;
                Ok(Some((true, current)))
            })
        })?;
        Ok(match outcome {
            Some((true, row)) => RoomHoldExtension::Extended(row.into_record()?),
            Some((false, row)) => RoomHoldExtension::LimitReached(row.into_record()?),
            None => RoomHoldExtension::NotHeld,
        })
    }

    /// Deletes the hold (live or lapsed) if its stay still carries the key's id; true when it
    /// was live at `now`, false when it had lapsed or was already gone.
    pub async fn release_room_hold(&self, key: &RoomHoldKey, now: DateTime<Utc>) -> Result<bool> {
        let stay = stay_of(key.nights.iter().copied());
        let now = to_db(now);
        let lock = lock_key(&key.tenant_id, &key.room_type);
        let db = self.connections().write().await?;
        let expiries: Vec<NaiveDateTime> = with_connection!(db, |conn| {
            transaction!(conn, {
                BackendConn::lock_key(&mut *conn, ROOM_HOLD_LOCK, &lock).await?;
                Ok(diesel::delete(hold_rows!(key, &stay))
                    .returning(room_holds::expires_at)
                    .get_results(&mut *conn)
                    .await?)
            })
        })?;
        Ok(expiries.iter().any(|expires_at| *expires_at > now))
    }

    /// The hold named by `key` as it now stands, unless it expired at or before `now` or is gone.
    pub async fn room_hold(
        &self,
        key: &RoomHoldKey,
        now: DateTime<Utc>,
    ) -> Result<Option<RoomHoldRecord>> {
        let stay = stay_of(key.nights.iter().copied());
        let now = to_db(now);
        let db = self.connections().read().await?;
        let row: Option<RoomHoldRow> = with_connection!(db, |conn| {
            Ok(hold_rows!(key, &stay)
                .filter(room_holds::expires_at.gt(now))
                .select(RoomHoldRow::as_select())
                .first(conn)
                .await
                .optional()?)
        })?;
        row.map(RoomHoldRow::into_record).transpose()
    }

    /// How many live holds of `room_type` the tenant has on `night` at `now`.
    pub async fn count_room_holds(
        &self,
        tenant: &TenantId,
        room_type: &str,
        night: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<u32> {
        let now = to_db(now);
        let db = self.connections().read().await?;
        let live: i64 = with_connection!(db, |conn| {
            Ok(room_holds::table
                .filter(room_holds::tenant_id.eq(tenant.as_str()))
                .filter(room_holds::room_type.eq(room_type))
                .filter(room_holds::night.eq(night))
                .filter(room_holds::expires_at.gt(now))
                .count()
                .get_result(conn)
                .await?)
        })?;
        Ok(u32::try_from(live).unwrap_or(u32::MAX))
    }

    /// Deletes the holds that expired at or before `now` (every tenant); returns how many rows
    /// (one per hold and night).
    pub async fn purge_expired_room_holds(&self, now: DateTime<Utc>) -> Result<usize> {
        let now = to_db(now);
        let db = self.connections().write_background().await?;
        with_connection!(db, |conn| {
            Ok(
                diesel::delete(room_holds::table.filter(room_holds::expires_at.le(now)))
                    .execute(conn)
                    .await?,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
    }

    #[test]
    fn stays_are_ordered_distinct_and_parse_back() {
        let stay = stay_of([day(3), day(1), day(2), day(1)]);
        assert_eq!(stay, "2026-12-01,2026-12-02,2026-12-03");
        assert_eq!(parse_stay(&stay), Some(vec![day(1), day(2), day(3)]));
        assert_eq!(parse_stay("2026-12-01,nonsense"), None);
    }
}
