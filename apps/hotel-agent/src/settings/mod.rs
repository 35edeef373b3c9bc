//! Typed configuration: a TOML file, `HOTEL__SECTION__KEY` overrides, `DATABASE_URL` / `REDIS_URL`.

mod lenient;
mod validate;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use hotel_domain::Language;
use hotel_pms::{DemoInventory, ResilienceConfig};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

pub use validate::ConfigError;

/// All settings, loaded once at start-up and passed explicitly.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub redis: RedisSettings,
    pub whatsapp: WhatsAppSettings,
    pub pms: PmsSettings,
    pub nlp: NlpSettings,
    pub auth: AuthSettings,
    pub hotel: HotelSettings,
    pub workers: WorkerSettings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Development,
    Production,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    #[serde(deserialize_with = "lenient::string")]
    pub bind: String,
    pub environment: Environment,
    pub metrics_allowed_ips: Vec<IpAddr>,
    /// HTTP worker threads; 0 = one per CPU core.
    pub http_workers: usize,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".to_owned(),
            environment: Environment::Development,
            metrics_allowed_ips: vec![
                IpAddr::from([127, 0, 0, 1]),
                IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
            ],
            http_workers: 0,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    #[serde(
        deserialize_with = "lenient::string",
        serialize_with = "lenient::redact_url"
    )]
    pub url: String,
    pub migrate_on_start: bool,
    pub max_connections: u32,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: "sqlite://data/hotel.db".to_owned(),
            migrate_on_start: true,
            max_connections: 16,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct RedisSettings {
    /// Empty: in-process sessions, locks, rate limits and dedup.
    #[serde(
        deserialize_with = "lenient::string",
        serialize_with = "lenient::redact_url"
    )]
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct WhatsAppSettings {
    #[serde(deserialize_with = "lenient::string")]
    pub api_base: String,
    #[serde(
        deserialize_with = "lenient::secret",
        serialize_with = "lenient::redact"
    )]
    pub app_secret: SecretString,
    #[serde(
        deserialize_with = "lenient::secret",
        serialize_with = "lenient::redact"
    )]
    pub verify_token: SecretString,
    #[serde(
        deserialize_with = "lenient::secret",
        serialize_with = "lenient::redact"
    )]
    pub access_token: SecretString,
    #[serde(deserialize_with = "lenient::string")]
    pub phone_number_id: String,
    /// Timeout of one Graph API call, in seconds.
    pub request_timeout_secs: u64,
    /// Messages per second per business number (Meta's default tier is 80); 0 = no limit.
    pub send_rate_per_second: u32,
    /// Messages to one guest sent back to back before pacing starts (Meta's pair rate limit).
    pub pair_burst: u32,
    /// Messages per minute to one guest once the burst is spent; 0 = no pair pacing.
    pub pair_per_minute: u32,
    /// Approved template sent instead of a free-form message when the guest's 24-hour window has
    /// closed (create it in WhatsApp Manager as a utility template whose body takes the
    /// parameters below); empty: such a message becomes a dead letter saying why.
    #[serde(deserialize_with = "lenient::string")]
    pub window_template: String,
    /// The template's approved language code per guest language (`es`, `en`, `pt`).
    pub window_template_languages: BTreeMap<Language, String>,
    /// The template's body parameters, in order: `hotel_name` or `guest_name`.
    pub window_template_parameters: Vec<TemplateValue>,
    /// Minutes taken off the 24-hour window, so a message is not sent just as it closes.
    pub window_margin_minutes: u32,
    /// Mark each guest message as read (one more Graph API call per message).
    pub mark_read: bool,
    /// Where guest media (photos, receipts, voice notes) is kept by content hash; empty: media is
    /// not downloaded.
    #[serde(deserialize_with = "lenient::string")]
    pub media_dir: String,
    /// Days guest media is kept before it is deleted.
    pub media_retention_days: u32,
}

/// A value filled into a template parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateValue {
    HotelName,
    GuestName,
}

impl Default for WhatsAppSettings {
    fn default() -> Self {
        Self {
            api_base: "https://graph.facebook.com/v23.0".to_owned(),
            app_secret: SecretString::default(),
            verify_token: SecretString::default(),
            access_token: SecretString::default(),
            phone_number_id: String::new(),
            request_timeout_secs: 10,
            send_rate_per_second: 80,
            pair_burst: 10,
            pair_per_minute: 10,
            window_template: "guest_followup".to_owned(),
            window_template_languages: BTreeMap::from([
                (Language::Es, "es".to_owned()),
                (Language::En, "en_US".to_owned()),
                (Language::Pt, "pt_BR".to_owned()),
            ]),
            window_template_parameters: vec![TemplateValue::GuestName, TemplateValue::HotelName],
            window_margin_minutes: 5,
            mark_read: false,
            media_dir: "data/media".to_owned(),
            media_retention_days: 30,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PmsKind {
    #[default]
    Demo,
    Qloapps,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct PmsSettings {
    pub kind: PmsKind,
    #[serde(deserialize_with = "lenient::string")]
    pub base_url: String,
    #[serde(
        deserialize_with = "lenient::secret",
        serialize_with = "lenient::redact"
    )]
    pub api_key: SecretString,
    /// QloApps: the `id_hotel` of the default hotel.
    pub hotel_id: u32,
    /// QloApps: the ISO 4217 currency bookings are made in; empty: `[pms.demo] currency`.
    #[serde(deserialize_with = "lenient::string")]
    pub currency: String,
    pub demo: DemoInventory,
    /// Circuit breaker, retries, rate limit and cache around a remote PMS (`qloapps`); the
    /// built-in demo PMS answers in-process and is not wrapped.
    pub resilience: ResilienceConfig,
}

impl Default for PmsSettings {
    fn default() -> Self {
        Self {
            kind: PmsKind::Demo,
            base_url: String::new(),
            api_key: SecretString::default(),
            hotel_id: 1,
            currency: String::new(),
            demo: DemoInventory::default(),
            resilience: ResilienceConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NlpBackend {
    #[default]
    Builtin,
    Llm,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct NlpSettings {
    pub backend: NlpBackend,
    /// An OpenAI-compatible API base, e.g. `http://127.0.0.1:11434/v1`.
    #[serde(deserialize_with = "lenient::string")]
    pub llm_base_url: String,
    #[serde(deserialize_with = "lenient::string")]
    pub llm_model: String,
    /// Bearer token for a hosted endpoint; empty for a local server.
    #[serde(
        deserialize_with = "lenient::secret",
        serialize_with = "lenient::redact"
    )]
    pub llm_api_key: SecretString,
    /// The longest one LLM request may take before the built-in engine answers instead.
    pub llm_timeout_ms: u64,
}

impl Default for NlpSettings {
    fn default() -> Self {
        Self {
            backend: NlpBackend::Builtin,
            llm_base_url: String::new(),
            llm_model: String::new(),
            llm_api_key: SecretString::default(),
            llm_timeout_ms: 5_000,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    #[serde(
        deserialize_with = "lenient::secret",
        serialize_with = "lenient::redact"
    )]
    pub jwt_secret: SecretString,
    pub token_ttl_minutes: u32,
    #[serde(
        deserialize_with = "lenient::secret",
        serialize_with = "lenient::redact"
    )]
    pub encryption_key: SecretString,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            jwt_secret: SecretString::default(),
            token_ttl_minutes: 60,
            encryption_key: SecretString::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    pub start: u8,
    pub end: u8,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct HotelSettings {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub timezone: String,
    pub languages: Vec<Language>,
    pub business_hours: BusinessHours,
    pub booking: BookingSettings,
}

impl Default for HotelSettings {
    fn default() -> Self {
        Self {
            id: "default".to_owned(),
            name: "Demo Hotel".to_owned(),
            timezone: "America/Argentina/Buenos_Aires".to_owned(),
            languages: Language::ALL.to_vec(),
            business_hours: BusinessHours { start: 9, end: 21 },
            booking: BookingSettings::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BookingConfirmation {
    #[default]
    Staff,
    Auto,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct BookingSettings {
    pub confirmation: BookingConfirmation,
    pub deposit_percent: u8,
    pub hold_minutes: u32,
    pub payment_instructions: BTreeMap<Language, String>,
}

impl Default for BookingSettings {
    fn default() -> Self {
        Self {
            confirmation: BookingConfirmation::Staff,
            deposit_percent: 30,
            hold_minutes: 15,
            payment_instructions: BTreeMap::new(),
        }
    }
}

/// The background workers (inbox processing and outbox delivery).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkerSettings {
    /// Run the workers in this process (`false`: the API only, e.g. for a separate worker fleet).
    pub enabled: bool,
    /// Inbound messages processed at once (different guests).
    pub inbox_concurrency: usize,
    /// Outbound messages sent at once.
    pub outbox_concurrency: usize,
    /// How often idle workers look for work they were not woken for, in milliseconds.
    pub poll_interval_ms: u64,
    /// First retry delay; doubled on each attempt, with jitter, capped at `retry_max_ms`.
    pub retry_base_ms: u64,
    pub retry_max_ms: u64,
    /// Graph API attempts before a message becomes a dead letter.
    pub max_send_attempts: u32,
    /// Processing attempts before an inbound message is marked failed.
    pub max_process_attempts: u32,
    /// How long a claimed row stays reserved to its worker, in seconds.
    pub lease_secs: u64,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            inbox_concurrency: 32,
            outbox_concurrency: 32,
            poll_interval_ms: 500,
            retry_base_ms: 1_000,
            retry_max_ms: 300_000,
            max_send_attempts: 8,
            max_process_attempts: 5,
            lease_secs: 60,
        }
    }
}

impl Settings {
    /// Loads the settings: defaults, then the TOML file (if any), then `DATABASE_URL` / `REDIS_URL`,
    /// then `HOTEL__SECTION__KEY` variables; then validates them.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        Self::load_from(file, std::env::vars())
    }

    /// [`Settings::load`] with an explicit environment (for tests).
    pub fn load_from(
        file: Option<&Path>,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, ConfigError> {
        let vars: Vec<(String, String)> = vars.into_iter().collect();
        let mut figment = Figment::new();
        if let Some(path) = file {
            if !path.is_file() {
                return Err(ConfigError::MissingFile(path.display().to_string()));
            }
            figment = figment.merge(Toml::file(path));
        }
        for (name, key) in [("DATABASE_URL", "database.url"), ("REDIS_URL", "redis.url")] {
            if let Some((_, value)) = vars.iter().find(|(k, _)| k == name) {
                figment = figment.merge(Serialized::default(key, value.clone()));
            }
        }
        for (name, raw) in vars {
            let Some(path) = name.strip_prefix("HOTEL__") else {
                continue;
            };
            let key = path
                .split("__")
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
                .join(".");
            if key.is_empty() || key.split('.').any(str::is_empty) {
                return Err(ConfigError::Invalid(format!(
                    "malformed variable name `{name}`"
                )));
            }
            let value: figment::value::Value = raw
                .parse()
                .unwrap_or_else(|_| figment::value::Value::from(raw.clone()));
            figment = figment.merge(Serialized::default(&key, value));
        }
        let settings: Settings = figment
            .extract()
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    pub fn is_production(&self) -> bool {
        self.server.environment == Environment::Production
    }

    /// The settings as TOML with every secret redacted (for `check-config`).
    pub fn to_redacted_toml(&self) -> Result<String, ConfigError> {
        toml::to_string_pretty(self).map_err(|e| ConfigError::Invalid(e.to_string()))
    }

    pub fn redis_enabled(&self) -> bool {
        !self.redis.url.trim().is_empty()
    }

    pub fn app_secret_bytes(&self) -> &[u8] {
        self.whatsapp.app_secret.expose_secret().as_bytes()
    }
}

#[cfg(test)]
mod tests;
