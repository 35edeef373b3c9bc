//! Validation of loaded settings; every error names the setting.

use std::net::SocketAddr;

use base64::Engine;
use secrecy::ExposeSecret;

use super::{NlpBackend, PmsKind, Settings};

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file `{0}` does not exist")]
    MissingFile(String),
    #[error("invalid configuration: {0}")]
    Invalid(String),
    #[error("invalid setting `{key}`: {reason}")]
    Setting { key: &'static str, reason: String },
}

fn setting(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Setting {
        key,
        reason: reason.into(),
    }
}

impl Settings {
    /// Checks every setting; in production also the strength of every secret.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.server
            .bind
            .parse::<SocketAddr>()
            .map_err(|_| setting("server.bind", "expected HOST:PORT, e.g. 127.0.0.1:8080"))?;
        let url = self.database.url.trim();
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err(setting(
                "database.url",
                "expected sqlite://PATH or postgres://…",
            ));
        }
        if self.database.max_connections == 0 {
            return Err(setting("database.max_connections", "must be at least 1"));
        }
        let redis = self.redis.url.trim();
        if !(redis.is_empty() || redis.starts_with("redis://") || redis.starts_with("rediss://")) {
            return Err(setting("redis.url", "expected redis://… or empty"));
        }
        let api_base = self.whatsapp.api_base.trim();
        if !(api_base.starts_with("https://") || api_base.starts_with("http://")) {
            return Err(setting("whatsapp.api_base", "expected an http(s) URL"));
        }
        if self.whatsapp.request_timeout_secs == 0 {
            return Err(setting(
                "whatsapp.request_timeout_secs",
                "must be at least 1",
            ));
        }
        if self.whatsapp.media_retention_days == 0 {
            return Err(setting(
                "whatsapp.media_retention_days",
                "must be at least 1",
            ));
        }
        if self.whatsapp.window_margin_minutes >= 24 * 60 {
            return Err(setting(
                "whatsapp.window_margin_minutes",
                "must be less than a day",
            ));
        }
        if self.whatsapp.pair_per_minute > 0 && self.whatsapp.pair_burst == 0 {
            return Err(setting(
                "whatsapp.pair_burst",
                "must be at least 1 when pair_per_minute is set",
            ));
        }
        if let Some((language, _)) = self
            .whatsapp
            .window_template_languages
            .iter()
            .find(|(_, code)| code.trim().is_empty())
        {
            return Err(setting(
                "whatsapp.window_template_languages",
                format!("empty language code for `{language}`"),
            ));
        }
        if self.nlp.backend == NlpBackend::Llm {
            let url = self.nlp.llm_base_url.trim();
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(setting(
                    "nlp.llm_base_url",
                    "required when nlp.backend = \"llm\": an http(s) URL",
                ));
            }
            if self.nlp.llm_model.trim().is_empty() {
                return Err(setting(
                    "nlp.llm_model",
                    "required when nlp.backend = \"llm\"",
                ));
            }
            if self.nlp.llm_timeout_ms == 0 {
                return Err(setting("nlp.llm_timeout_ms", "must be at least 1"));
            }
        }
        if self.pms.kind == PmsKind::Qloapps && self.pms.base_url.trim().is_empty() {
            return Err(setting(
                "pms.base_url",
                "required when pms.kind = \"qloapps\"",
            ));
        }
        if self.pms.kind == PmsKind::Qloapps && self.pms.api_key.expose_secret().trim().len() != 32
        {
            return Err(setting(
                "pms.api_key",
                "required when pms.kind = \"qloapps\": the 32-character webservice key",
            ));
        }
        self.pms
            .resilience
            .validate()
            .map_err(|e| setting("pms.resilience", e.to_string()))?;
        if self.pms.kind == PmsKind::Demo {
            self.pms
                .demo
                .validate()
                .map_err(|e| setting("pms.demo", e.to_string()))?;
        }
        self.validate_hotel()?;
        self.validate_workers()?;
        if self.is_production() {
            self.validate_production_secrets()?;
        }
        Ok(())
    }

    fn validate_hotel(&self) -> Result<(), ConfigError> {
        let hotel = &self.hotel;
        if hotel.id.trim().is_empty() {
            return Err(setting("hotel.id", "must not be empty"));
        }
        if hotel.name.trim().is_empty() {
            return Err(setting("hotel.name", "must not be empty"));
        }
        hotel.timezone.parse::<chrono_tz::Tz>().map_err(|_| {
            setting(
                "hotel.timezone",
                format!("unknown time zone `{}`", hotel.timezone),
            )
        })?;
        if hotel.languages.is_empty() {
            return Err(setting(
                "hotel.languages",
                "name at least one of es, en, pt",
            ));
        }
        let hours = hotel.business_hours;
        if hours.start > 23 || hours.end > 24 || hours.start >= hours.end {
            return Err(setting(
                "hotel.business_hours",
                "expected 0 <= start < end <= 24",
            ));
        }
        if hotel.booking.deposit_percent > 100 {
            return Err(setting(
                "hotel.booking.deposit_percent",
                "must be between 0 and 100",
            ));
        }
        if hotel.booking.hold_minutes == 0 {
            return Err(setting("hotel.booking.hold_minutes", "must be at least 1"));
        }
        Ok(())
    }

    fn validate_workers(&self) -> Result<(), ConfigError> {
        let w = &self.workers;
        if w.inbox_concurrency == 0 || w.outbox_concurrency == 0 {
            return Err(setting(
                "workers.inbox_concurrency",
                "concurrency must be at least 1",
            ));
        }
        if w.max_send_attempts == 0 {
            return Err(setting("workers.max_send_attempts", "must be at least 1"));
        }
        if w.max_process_attempts == 0 {
            return Err(setting(
                "workers.max_process_attempts",
                "must be at least 1",
            ));
        }
        if w.lease_secs == 0 || w.poll_interval_ms == 0 || w.retry_base_ms == 0 {
            return Err(setting("workers.lease_secs", "timings must be positive"));
        }
        Ok(())
    }

    fn validate_production_secrets(&self) -> Result<(), ConfigError> {
        let at_least = |key: &'static str, value: &str, min: usize| {
            if value.trim().chars().count() < min {
                Err(setting(
                    key,
                    format!("must be set to at least {min} characters in production"),
                ))
            } else {
                Ok(())
            }
        };
        at_least(
            "whatsapp.app_secret",
            self.whatsapp.app_secret.expose_secret(),
            16,
        )?;
        at_least(
            "whatsapp.access_token",
            self.whatsapp.access_token.expose_secret(),
            16,
        )?;
        at_least(
            "whatsapp.verify_token",
            self.whatsapp.verify_token.expose_secret(),
            16,
        )?;
        at_least("auth.jwt_secret", self.auth.jwt_secret.expose_secret(), 32)?;
        let key = base64::engine::general_purpose::STANDARD
            .decode(self.auth.encryption_key.expose_secret().trim())
            .map_err(|_| setting("auth.encryption_key", "must be base64 of 32 random bytes"))?;
        if key.len() != 32 {
            return Err(setting(
                "auth.encryption_key",
                "must be base64 of exactly 32 bytes in production",
            ));
        }
        Ok(())
    }
}
