//! What the orchestrator knows about the hotel it answers for.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use hotel_domain::{Language, TenantId};

use crate::{BookingPolicy, OrchestratorError, Result};

/// A hotel (tenant) as the conversation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantContext {
    /// The hotel's id.
    pub tenant_id: TenantId,
    /// Its name, as guests see it in replies.
    pub hotel_name: String,
    /// The language of replies to guests who write in a language the hotel does not offer.
    pub default_language: Language,
    /// The languages the hotel answers in.
    pub languages: Vec<Language>,
    /// The IANA time zone, e.g. `America/Argentina/Buenos_Aires`.
    pub timezone: String,
    /// The hotel's booking rules (`[hotel.booking]`): confirmation, deposit, hold, payment.
    pub booking: BookingPolicy,
}

impl TenantContext {
    /// The hotel's time zone.
    ///
    /// # Errors
    /// [`OrchestratorError::InvalidTimezone`] when `timezone` is not an IANA name.
    pub fn time_zone(&self) -> Result<Tz> {
        self.timezone
            .parse::<Tz>()
            .map_err(|_| OrchestratorError::InvalidTimezone(self.timezone.clone()))
    }

    /// The date of `instant` in the hotel's time zone (UTC when the zone is invalid).
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        match self.time_zone() {
            Ok(zone) => instant.with_timezone(&zone).date_naive(),
            Err(error) => {
                tracing::warn!(tenant = %self.tenant_id, %error, "using UTC dates");
                instant.date_naive()
            }
        }
    }

    /// The language to answer a guest who writes in `guest_language`: that language when the hotel
    /// offers it, else the hotel's default.
    pub fn reply_language(&self, guest_language: Option<Language>) -> Language {
        guest_language
            .filter(|language| self.languages.contains(language))
            .unwrap_or(self.default_language)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn tenant(timezone: &str) -> TenantContext {
        TenantContext {
            tenant_id: TenantId::new("h1"),
            hotel_name: "Hotel Sur".into(),
            default_language: Language::Es,
            languages: vec![Language::Es, Language::En],
            timezone: timezone.into(),
            booking: BookingPolicy::default(),
        }
    }

    #[test]
    fn local_date_uses_the_hotel_time_zone() {
        // 02:30 UTC on the 25th is still the 24th in Buenos Aires (UTC-3).
        let instant = Utc.with_ymd_and_hms(2026, 11, 25, 2, 30, 0).unwrap();
        let buenos_aires = tenant("America/Argentina/Buenos_Aires");
        assert_eq!(
            buenos_aires.local_date(instant),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
        );
        let broken = tenant("Mars/Olympus");
        assert!(matches!(
            broken.time_zone(),
            Err(OrchestratorError::InvalidTimezone(_))
        ));
        assert_eq!(
            broken.local_date(instant),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
    }

    #[test]
    fn reply_language_falls_back_to_the_default() {
        let hotel = tenant("UTC");
        assert_eq!(hotel.reply_language(Some(Language::En)), Language::En);
        assert_eq!(hotel.reply_language(Some(Language::Pt)), Language::Es);
        assert_eq!(hotel.reply_language(None), Language::Es);
    }
}
