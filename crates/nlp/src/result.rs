//! The NLU's input context and output.

use chrono::NaiveDate;
use hotel_domain::Language;
use serde::{Deserialize, Serialize};

use crate::{Entities, Intent};

/// What the NLU knows besides the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NluContext {
    /// The message's date in the hotel's time zone; relative dates resolve against it.
    pub reference_date: NaiveDate,
    /// The language of the conversation so far: a small prior for language identification.
    pub conversation_language: Option<Language>,
    /// A language imposed by the caller (e.g. `nlp parse --lang`): skips identification.
    pub forced_language: Option<Language>,
    /// The question the assistant asked last (e.g. `confirm_booking`), for yes/no answers.
    pub last_question: Option<String>,
}

impl NluContext {
    /// A context with only a reference date.
    pub fn new(reference_date: NaiveDate) -> Self {
        Self {
            reference_date,
            conversation_language: None,
            forced_language: None,
            last_question: None,
        }
    }

    /// Sets the conversation language.
    #[must_use]
    pub fn with_conversation_language(mut self, language: Option<Language>) -> Self {
        self.conversation_language = language;
        self
    }

    /// Forces the result's language.
    #[must_use]
    pub fn with_forced_language(mut self, language: Option<Language>) -> Self {
        self.forced_language = language;
        self
    }

    /// Sets the last question asked.
    #[must_use]
    pub fn with_last_question(mut self, question: Option<String>) -> Self {
        self.last_question = question;
        self
    }
}

/// The NLU's answer, serialised exactly like the "NLU result" of `interface.md`:
/// `{"language":"es","intent":"greeting","confidence":0.93,"entities":{}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NluResult {
    /// The language the message is written in.
    pub language: Language,
    /// What the guest wants.
    pub intent: Intent,
    /// How sure the NLU is of the intent, 0.0 to 1.0 (two decimals).
    pub confidence: f32,
    /// What the message states.
    #[serde(default)]
    pub entities: Entities,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RoomTypeCode;

    #[test]
    fn serialises_like_the_interface_contract() {
        let result = NluResult {
            language: Language::Es,
            intent: Intent::CheckAvailability,
            confidence: 0.93,
            entities: Entities {
                check_in: NaiveDate::from_ymd_opt(2026, 12, 15),
                check_out: NaiveDate::from_ymd_opt(2026, 12, 17),
                adults: Some(2),
                room_type: Some(RoomTypeCode::Double),
                ..Entities::default()
            },
        };
        let expected = r#"{"language":"es","intent":"check_availability","confidence":0.93,"entities":{"check_in":"2026-12-15","check_out":"2026-12-17","adults":2,"room_type":"double"}}"#;
        assert_eq!(serde_json::to_string(&result).unwrap(), expected);
        assert_eq!(serde_json::from_str::<NluResult>(expected).unwrap(), result);
    }

    #[test]
    fn context_builders_set_fields() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let context = NluContext::new(date)
            .with_conversation_language(Some(Language::Pt))
            .with_forced_language(Some(Language::En))
            .with_last_question(Some("confirm_booking".into()));
        assert_eq!(context.reference_date, date);
        assert_eq!(context.conversation_language, Some(Language::Pt));
        assert_eq!(context.forced_language, Some(Language::En));
        assert_eq!(context.last_question.as_deref(), Some("confirm_booking"));
    }
}
