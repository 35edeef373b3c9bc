//! The QloApps client: [`QloAppsPms`] talks to a QloApps hotel's webservice (reference:
//! `qloapps-api.md`) and works around its known defects:
//!
//! - availability (`POST /api/hotel_ari`) is not filtered by occupancy server-side, so each
//!   free room is checked against the occupancy here (`max_adult`, `max_children`,
//!   `max_occupancy`, or the room type's capacity when a room lacks them);
//! - the search is made for one room, so `total_price` is the stay's total for one room whatever
//!   the shop's rounding mode;
//! - bookings send both `adult` and `adults`, `child_ages` always, and the room type's
//!   `id_tax_rules_group` on every room;
//! - `POST /api/bookings` is not idempotent: our reference goes into the remark
//!   (`idem-key: HTL-…`), every create first looks for an order carrying it (the guest's recent
//!   orders, found by e-mail), and a create that times out, fails with a 5xx (a PHP notice may
//!   hide a created order) or answers with an unreadable body is reconciled the same way.

mod ari;
mod bookings;
mod catalog;
mod changes;
mod http;
mod wire;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use hotel_domain::{Language, TenantId};
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};

use crate::{
    Booking, BookingChange, BookingId, BookingRequest, Hotel, Pms, PmsError, Quote, Result,
    RoomCapacity, RoomType, StayRequest,
};
use http::Body;

/// The length QloApps requires of a webservice key (reference §1: otherwise 401, code 18).
pub const KEY_LENGTH: usize = 32;
/// The longest a connection attempt may take, whatever the request timeout.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the webservice key goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KeyPlacement {
    /// HTTP Basic, the key as the user name and an empty password (reference §1, preferred).
    #[default]
    BasicAuth,
    /// The `ws_key` query parameter, for proxies that drop `Authorization`. The key then shows
    /// in the shop's access logs.
    QueryParameter,
}

/// How to reach one QloApps hotel.
#[derive(Debug, Clone)]
pub struct QloAppsConfig {
    /// The shop's URL, e.g. `https://hotel.example.com`; the API is under `{base_url}/api/`.
    pub base_url: String,
    /// The webservice key (32 characters). Never logged or shown by `Debug`.
    pub api_key: SecretString,
    pub key_placement: KeyPlacement,
    /// The `id_hotel` of the tenant's hotel.
    pub hotel_id: u32,
    /// The ISO 4217 code bookings are made in, e.g. `USD`.
    pub currency: String,
    /// QloApps' language id of each guest language, for multilingual names and the booking
    /// e-mails (ids are set at install time; default `en` = 1).
    pub languages: BTreeMap<Language, u32>,
    /// Timeout of reads and of the availability search (reference §11: 5–10 s).
    pub read_timeout: Duration,
    /// Timeout of booking creates and updates (reference §11: 30 s or more).
    pub write_timeout: Duration,
    /// `orders.source` of the bookings we create.
    pub source: String,
    /// How many of a guest's most recent orders a lookup by reference reads.
    pub lookup_depth: u32,
}

impl QloAppsConfig {
    /// A configuration with the defaults: Basic auth, English as language 1, reads 10 s,
    /// writes 30 s, source `whatsapp`, lookups over the last 10 orders.
    pub fn new(
        base_url: impl Into<String>,
        api_key: impl Into<String>,
        hotel_id: u32,
        currency: impl Into<String>,
    ) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: SecretString::from(api_key.into()),
            key_placement: KeyPlacement::BasicAuth,
            hotel_id,
            currency: currency.into(),
            languages: BTreeMap::from([(Language::En, 1)]),
            read_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            source: "whatsapp".to_owned(),
            lookup_depth: 10,
        }
    }

    fn validate(&mut self) -> Result<()> {
        let mut problems = Vec::new();
        self.base_url = self.base_url.trim().trim_end_matches('/').to_owned();
        match reqwest::Url::parse(&self.base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && !url.cannot_be_a_base() => {
                if url.query().is_some() || url.fragment().is_some() {
                    problems.push("base_url must have no query or fragment".to_owned());
                }
            }
            _ => problems.push("base_url is not an http(s) URL".to_owned()),
        }
        if self.api_key.expose_secret().chars().count() != KEY_LENGTH {
            problems.push(format!("api_key must be {KEY_LENGTH} characters"));
        }
        if self.hotel_id == 0 {
            problems.push("hotel_id must be set".to_owned());
        }
        if self.currency.len() != 3 || !self.currency.chars().all(|c| c.is_ascii_uppercase()) {
            problems.push("currency must be a three-letter code such as USD".to_owned());
        }
        if self.read_timeout.is_zero() || self.write_timeout.is_zero() {
            problems.push("timeouts must be more than zero".to_owned());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(PmsError::InvalidConfig(format!(
                "qloapps: {}",
                problems.join("; ")
            )))
        }
    }

    /// Our language of a QloApps language id.
    fn language_of(&self, id_lang: u32) -> Option<Language> {
        self.languages
            .iter()
            .find(|(_, id)| **id == id_lang)
            .map(|(language, _)| *language)
    }
}

/// What rarely changes, kept after the first read.
#[derive(Debug, Default)]
struct Cache {
    /// Room type id → capacity (from `hotel_room_types`).
    capacities: Option<HashMap<u32, RoomCapacity>>,
    /// Room type id → `id_tax_rules_group`.
    tax_groups: HashMap<u32, u32>,
    /// Order state id → name.
    order_states: Option<HashMap<u32, String>>,
}

/// A QloApps hotel behind the [`Pms`] trait; one per tenant (the tenant argument of the trait's
/// methods is not used). Cheap to clone: the HTTP client and caches are shared.
#[derive(Debug, Clone)]
pub struct QloAppsPms {
    http: reqwest::Client,
    config: Arc<QloAppsConfig>,
    cache: Arc<Mutex<Cache>>,
}

impl QloAppsPms {
    /// A client with its own long-lived HTTP client (rustls with `ring`, the system's roots).
    ///
    /// # Errors
    /// [`PmsError::InvalidConfig`] for an invalid configuration or TLS setup.
    pub fn new(config: QloAppsConfig) -> Result<Self> {
        let connect = config.read_timeout.min(MAX_CONNECT_TIMEOUT);
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .connect_timeout(if connect.is_zero() {
                MAX_CONNECT_TIMEOUT
            } else {
                connect
            })
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("hotel-pms/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| PmsError::InvalidConfig("the HTTP client could not be built".into()))?;
        Self::with_client(http, config)
    }

    /// A client over the caller's long-lived `http` client. Each request still gets the
    /// configured read or write timeout.
    ///
    /// # Errors
    /// [`PmsError::InvalidConfig`] for an invalid configuration.
    pub fn with_client(http: reqwest::Client, mut config: QloAppsConfig) -> Result<Self> {
        config.validate()?;
        Ok(Self {
            http,
            config: Arc::new(config),
            cache: Arc::default(),
        })
    }

    /// Its configuration.
    pub fn config(&self) -> &QloAppsConfig {
        &self.config
    }

    fn cache(&self) -> MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Vec<u8>> {
        self.call(
            Method::GET,
            path,
            query,
            Body::None,
            self.config.read_timeout,
        )
        .await
    }
}

/// A rustls config with the `ring` provider and the platform verifier, HTTP/2 and HTTP/1.1.
fn tls_config() -> Result<rustls::ClientConfig> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let tls_error = |e: rustls::Error| PmsError::InvalidConfig(format!("TLS setup failed: {e}"));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_platform_verifier()
        .map_err(tls_error)?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[async_trait]
impl Pms for QloAppsPms {
    fn kind(&self) -> &'static str {
        "qloapps"
    }

    async fn health(&self) -> Result<()> {
        let path = format!("hotels/{}", self.config.hotel_id);
        self.get(&path, &[]).await.map(|_| ())
    }

    async fn hotels(&self, _tenant: &TenantId) -> Result<Vec<Hotel>> {
        self.fetch_hotels().await
    }

    async fn room_types(&self, _tenant: &TenantId) -> Result<Vec<RoomType>> {
        self.fetch_room_types().await
    }

    async fn quote(&self, _tenant: &TenantId, request: &StayRequest) -> Result<Vec<Quote>> {
        self.search(request).await
    }

    async fn create_booking(
        &self,
        _tenant: &TenantId,
        request: &BookingRequest,
    ) -> Result<Booking> {
        self.create(request).await
    }

    async fn booking(&self, _tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        let raw = self.fetch_raw_booking(id).await?;
        self.assemble(&raw).await
    }

    async fn cancel_booking(&self, _tenant: &TenantId, id: &BookingId) -> Result<Booking> {
        self.cancel(id).await
    }

    async fn modify_booking(
        &self,
        _tenant: &TenantId,
        id: &BookingId,
        change: &BookingChange,
    ) -> Result<Booking> {
        self.modify(id, change).await
    }
}
