//! The answers kept for reuse: availability (`quote`) per tenant and whole question, hotels and
//! room types per tenant. Each answer remembers when it was fetched; whether it is fresh (within
//! its time to live) or still servable while the PMS is down (within `stale_max`) is decided
//! by the caller.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use hotel_domain::TenantId;

use super::to_chrono;
use crate::{Hotel, Quote, RoomType, StayRequest};

/// What a quote is cached under: the tenant and the whole question.
pub(super) type QuoteKey = (TenantId, StayRequest);

#[derive(Debug)]
struct Entry<V> {
    value: V,
    fetched_at: DateTime<Utc>,
}

/// Answers of one kind, at most `max_entries` of them.
#[derive(Debug)]
pub(super) struct Shelf<K, V> {
    entries: HashMap<K, Entry<V>>,
    max_entries: usize,
    /// Past this age an entry is of no use (neither fresh nor servable as stale).
    useless_after: chrono::Duration,
}

impl<K: Hash + Eq + Clone, V: Clone> Shelf<K, V> {
    fn new(max_entries: usize, useless_after: Duration) -> Self {
        Self {
            entries: HashMap::new(),
            max_entries: max_entries.max(1),
            useless_after: to_chrono(useless_after),
        }
    }

    /// The answer under `key` if it is younger than `max_age` at `now`.
    fn get(&self, key: &K, now: DateTime<Utc>, max_age: Duration) -> Option<V> {
        let entry = self.entries.get(key)?;
        let age = (now - entry.fetched_at).max(chrono::Duration::zero());
        (age < to_chrono(max_age)).then(|| entry.value.clone())
    }

    /// Keeps `value` under `key`, making room by dropping useless entries, then the oldest.
    fn insert(&mut self, key: K, value: V, now: DateTime<Utc>) {
        if !self.entries.contains_key(&key) && self.entries.len() >= self.max_entries {
            let useless_after = self.useless_after;
            self.entries
                .retain(|_, entry| now - entry.fetched_at < useless_after);
            if self.entries.len() >= self.max_entries
                && let Some(oldest) = self
                    .entries
                    .iter()
                    .min_by_key(|(_, entry)| entry.fetched_at)
                    .map(|(key, _)| key.clone())
            {
                self.entries.remove(&oldest);
            }
        }
        self.entries.insert(
            key,
            Entry {
                value,
                fetched_at: now,
            },
        );
    }
}

/// Every cached answer of one PMS.
#[derive(Debug)]
pub(super) struct Shelves {
    quotes: Shelf<QuoteKey, Vec<Quote>>,
    hotels: Shelf<TenantId, Vec<Hotel>>,
    room_types: Shelf<TenantId, Vec<RoomType>>,
    /// Bumped by each invalidation, so that an answer fetched before a booking changed the
    /// tenant's availability is not stored after it.
    generations: HashMap<TenantId, u64>,
}

/// Picks one shelf.
pub(super) type Pick<K, V> = fn(&mut Shelves) -> &mut Shelf<K, V>;

pub(super) fn quotes(shelves: &mut Shelves) -> &mut Shelf<QuoteKey, Vec<Quote>> {
    &mut shelves.quotes
}

pub(super) fn hotels(shelves: &mut Shelves) -> &mut Shelf<TenantId, Vec<Hotel>> {
    &mut shelves.hotels
}

pub(super) fn room_types(shelves: &mut Shelves) -> &mut Shelf<TenantId, Vec<RoomType>> {
    &mut shelves.room_types
}

/// The cache of one [`ResilientPms`](super::ResilientPms).
#[derive(Debug)]
pub(super) struct AnswerCache {
    shelves: Mutex<Shelves>,
}

impl AnswerCache {
    /// A cache of at most `max_quotes` availability answers; entries older than
    /// `useless_after` are the first to go.
    pub(super) fn new(max_quotes: usize, useless_after: Duration) -> Self {
        Self {
            shelves: Mutex::new(Shelves {
                quotes: Shelf::new(max_quotes, useless_after),
                hotels: Shelf::new(max_quotes, useless_after),
                room_types: Shelf::new(max_quotes, useless_after),
                generations: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Shelves> {
        self.shelves.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The answer under `key` if younger than `max_age`.
    pub(super) fn get<K, V>(
        &self,
        pick: Pick<K, V>,
        key: &K,
        now: DateTime<Utc>,
        max_age: Duration,
    ) -> Option<V>
    where
        K: Hash + Eq + Clone,
        V: Clone,
    {
        pick(&mut self.lock()).get(key, now, max_age)
    }

    /// The tenant's generation, to hand back to [`AnswerCache::store`].
    pub(super) fn generation(&self, tenant: &TenantId) -> u64 {
        self.lock().generations.get(tenant).copied().unwrap_or(0)
    }

    /// Keeps an answer fetched when the tenant was at `generation`, unless a booking has
    /// invalidated the tenant's answers since.
    pub(super) fn store<K, V>(
        &self,
        pick: Pick<K, V>,
        tenant: &TenantId,
        generation: u64,
        key: K,
        value: V,
        now: DateTime<Utc>,
    ) where
        K: Hash + Eq + Clone,
        V: Clone,
    {
        let mut shelves = self.lock();
        if shelves.generations.get(tenant).copied().unwrap_or(0) == generation {
            pick(&mut shelves).insert(key, value, now);
        }
    }

    /// Forgets the tenant's availability answers (a booking was made, changed or cancelled).
    pub(super) fn invalidate(&self, tenant: &TenantId) {
        let mut shelves = self.lock();
        let generation = shelves.generations.entry(tenant.clone()).or_insert(0);
        *generation = generation.wrapping_add(1);
        shelves
            .quotes
            .entries
            .retain(|(owner, _), _| owner != tenant);
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    #[test]
    fn entries_age_and_the_oldest_go_first() {
        let mut shelf: Shelf<u32, &str> = Shelf::new(2, Duration::from_secs(100));
        let now = start();
        shelf.insert(1, "one", now);
        shelf.insert(2, "two", now + chrono::Duration::seconds(1));
        assert_eq!(shelf.get(&1, now, Duration::from_secs(10)), Some("one"));
        let later = now + chrono::Duration::seconds(10);
        assert_eq!(shelf.get(&1, later, Duration::from_secs(10)), None);
        assert_eq!(shelf.get(&1, later, Duration::from_secs(11)), Some("one"));
        shelf.insert(3, "three", later);
        assert_eq!(shelf.entries.len(), 2);
        assert_eq!(shelf.get(&1, later, Duration::from_secs(100)), None);
        // Useless entries go before merely old ones.
        let much_later = now + chrono::Duration::seconds(101);
        shelf.insert(4, "four", much_later);
        assert_eq!(
            shelf.get(&3, much_later, Duration::from_secs(200)),
            Some("three")
        );
        assert_eq!(shelf.get(&2, much_later, Duration::from_secs(200)), None);
    }

    #[test]
    fn an_answer_fetched_before_an_invalidation_is_not_stored() {
        let cache = AnswerCache::new(10, Duration::from_secs(100));
        let tenant = TenantId::new("default");
        let now = start();
        let seen = cache.generation(&tenant);
        cache.invalidate(&tenant);
        cache.store(hotels, &tenant, seen, tenant.clone(), Vec::new(), now);
        assert_eq!(
            cache.get(hotels, &tenant, now, Duration::from_secs(10)),
            None
        );
        let seen = cache.generation(&tenant);
        cache.store(hotels, &tenant, seen, tenant.clone(), Vec::new(), now);
        assert_eq!(
            cache.get(hotels, &tenant, now, Duration::from_secs(10)),
            Some(Vec::new())
        );
    }
}
