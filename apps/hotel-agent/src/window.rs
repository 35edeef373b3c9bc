//! WhatsApp's 24-hour customer-service window: free-form messages only while it is open, an
//! approved template (when configured) once it has closed.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use hotel_domain::{Language, OutboundBody, TemplateComponent, TemplateParameter, TenantId};

use crate::settings::{TemplateValue, WhatsAppSettings};

/// How long a guest's message keeps the window open.
pub const WINDOW: Duration = Duration::hours(24);

/// The error code Meta gives a free-form message sent outside the window.
pub const WINDOW_CLOSED_CODE: i64 = 131_047;

/// Whether a free-form message may go to a guest whose latest message was sent at
/// `last_inbound`, at `now`, keeping `margin` before the window closes.
pub fn is_open(last_inbound: Option<DateTime<Utc>>, now: DateTime<Utc>, margin: Duration) -> bool {
    last_inbound.is_some_and(|last| now < last + WINDOW - margin)
}

/// Guests this process has seen write, with their latest message time, so that a reply sent while
/// the window is plainly open needs no database read. Only a shortcut: a guest missing here
/// (another instance took their messages, or the map was reset) is looked up in the database.
#[derive(Debug, Default)]
pub struct RecentGuests {
    seen: Mutex<HashMap<(TenantId, String), DateTime<Utc>>>,
}

/// Guests remembered at most; past it the map starts afresh (a later read fills it again).
const RECENT_GUESTS_MAX: usize = 100_000;

impl RecentGuests {
    /// Notes a message `wa_id` sent at `sent_at` to `tenant`.
    pub fn record(&self, tenant: &TenantId, wa_id: &str, sent_at: DateTime<Utc>) {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (tenant.clone(), wa_id.to_owned());
        if seen.len() >= RECENT_GUESTS_MAX && !seen.contains_key(&key) {
            seen.clear();
        }
        let latest = seen.entry(key).or_insert(sent_at);
        *latest = (*latest).max(sent_at);
    }

    /// The latest message time seen from `wa_id`, when this process has seen one.
    pub fn latest(&self, tenant: &TenantId, wa_id: &str) -> Option<DateTime<Utc>> {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.get(&(tenant.clone(), wa_id.to_owned())).copied()
    }
}

/// What to send instead of `body` at `now`: the body itself while the window is open (or when it
/// is a template), the configured template once it has closed, or `None` when no template is
/// configured.
pub fn body_for_window(
    body: &OutboundBody,
    open: bool,
    settings: &WhatsAppSettings,
    language: Language,
    values: &TemplateValues<'_>,
) -> Option<OutboundBody> {
    if open || body.allowed_outside_window() {
        return Some(body.clone());
    }
    window_template(settings, language, values)
}

/// The values a template's parameters may take.
#[derive(Debug, Clone, Copy)]
pub struct TemplateValues<'a> {
    pub hotel_name: &'a str,
    pub guest_name: Option<&'a str>,
}

/// The configured re-engagement template in `language` (else the first configured language),
/// with its body parameters filled; `None` when no template is configured.
pub fn window_template(
    settings: &WhatsAppSettings,
    language: Language,
    values: &TemplateValues<'_>,
) -> Option<OutboundBody> {
    let name = settings.window_template.trim();
    if name.is_empty() {
        return None;
    }
    let code = settings
        .window_template_languages
        .get(&language)
        .or_else(|| settings.window_template_languages.values().next())
        .map_or_else(|| language.code().to_owned(), |code| code.trim().to_owned());
    let parameters: Vec<TemplateParameter> = settings
        .window_template_parameters
        .iter()
        .map(|value| TemplateParameter::Text {
            text: match value {
                TemplateValue::HotelName => values.hotel_name.to_owned(),
                // A template parameter may not be empty.
                TemplateValue::GuestName => values
                    .guest_name
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .unwrap_or("👋")
                    .to_owned(),
            },
            parameter_name: None,
        })
        .collect();
    let components = if parameters.is_empty() {
        Vec::new()
    } else {
        vec![TemplateComponent::Body { parameters }]
    };
    Some(OutboundBody::Template {
        name: name.to_owned(),
        language: code,
        components,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, h, 0, 0).unwrap()
    }

    #[test]
    fn recent_guests_keep_the_latest_time_per_tenant_and_guest() {
        let recent = RecentGuests::default();
        let (hotel, other) = (TenantId::new("h1"), TenantId::new("h2"));
        assert_eq!(recent.latest(&hotel, "549"), None);
        recent.record(&hotel, "549", at(10));
        recent.record(&hotel, "549", at(8));
        assert_eq!(recent.latest(&hotel, "549"), Some(at(10)));
        recent.record(&hotel, "549", at(12));
        assert_eq!(recent.latest(&hotel, "549"), Some(at(12)));
        assert_eq!(recent.latest(&other, "549"), None);
        assert_eq!(recent.latest(&hotel, "550"), None);
    }

    fn text() -> OutboundBody {
        OutboundBody::Text {
            body: "hola".into(),
            preview_url: false,
        }
    }

    const VALUES: TemplateValues<'static> = TemplateValues {
        hotel_name: "Hotel Sur",
        guest_name: Some("Ana"),
    };

    #[test]
    fn the_window_lasts_a_day_minus_the_margin() {
        let margin = Duration::minutes(5);
        assert!(!is_open(None, at(10), margin));
        assert!(is_open(Some(at(10)), at(10), margin));
        let closes = at(10) + WINDOW - margin;
        assert!(is_open(Some(at(10)), closes - Duration::seconds(1), margin));
        assert!(!is_open(Some(at(10)), closes, margin));
        assert!(!is_open(Some(at(1)), at(1) + Duration::hours(25), margin));
    }

    #[test]
    fn inside_the_window_the_body_is_kept() {
        let settings = WhatsAppSettings {
            window_template: String::new(),
            ..WhatsAppSettings::default()
        };
        assert_eq!(
            body_for_window(&text(), true, &settings, Language::Es, &VALUES),
            Some(text())
        );
        assert_eq!(
            body_for_window(&text(), false, &settings, Language::Es, &VALUES),
            None,
            "no template configured"
        );
    }

    #[test]
    fn outside_the_window_the_template_is_sent_in_the_guests_language() {
        let settings = WhatsAppSettings {
            window_template: " followup ".into(),
            window_template_parameters: vec![TemplateValue::GuestName, TemplateValue::HotelName],
            ..WhatsAppSettings::default()
        };
        let body = body_for_window(&text(), false, &settings, Language::Pt, &VALUES).unwrap();
        assert_eq!(
            body,
            OutboundBody::Template {
                name: "followup".into(),
                language: "pt_BR".into(),
                components: vec![TemplateComponent::Body {
                    parameters: vec![
                        TemplateParameter::Text {
                            text: "Ana".into(),
                            parameter_name: None
                        },
                        TemplateParameter::Text {
                            text: "Hotel Sur".into(),
                            parameter_name: None
                        },
                    ]
                }]
            }
        );
        // A template is allowed outside the window as it is.
        assert_eq!(
            body_for_window(&body, false, &settings, Language::Es, &VALUES),
            Some(body.clone())
        );
        let nameless = TemplateValues {
            guest_name: Some("  "),
            ..VALUES
        };
        let Some(OutboundBody::Template { components, .. }) =
            window_template(&settings, Language::Es, &nameless)
        else {
            panic!("a template")
        };
        let TemplateComponent::Body { parameters } = &components[0] else {
            panic!("a body")
        };
        assert_ne!(
            parameters[0],
            TemplateParameter::Text {
                text: "  ".into(),
                parameter_name: None
            }
        );
    }

    #[test]
    fn a_language_without_a_code_uses_the_first_configured() {
        let settings = WhatsAppSettings {
            window_template: "followup".into(),
            window_template_languages: [(Language::Es, "es_AR".to_owned())].into(),
            window_template_parameters: Vec::new(),
            ..WhatsAppSettings::default()
        };
        let Some(OutboundBody::Template {
            language,
            components,
            ..
        }) = window_template(&settings, Language::En, &VALUES)
        else {
            panic!("a template")
        };
        assert_eq!(language, "es_AR");
        assert!(components.is_empty());
    }
}
