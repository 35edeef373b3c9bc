//! The built-in NLU: no network, no model files; trained at start-up from embedded data.

use async_trait::async_trait;

use crate::langid::{LanguageGuess, LanguageIdentifier};
use crate::smalltalk::{Smalltalk, SmalltalkRules};
use crate::{Entities, Intent, Nlu, NluContext, NluResult, Result};

/// The confidence of `out_of_scope` when small-talk phrases stood beside other words.
const PARTIAL_OUT_OF_SCOPE: f32 = 0.35;
/// The confidence of `out_of_scope` when nothing was recognised.
const PLAIN_OUT_OF_SCOPE: f32 = 0.2;

/// The built-in NLU of this release: language identification for es/en/pt and small talk
/// (greeting, goodbye, thanks, bare yes/no); everything else is `out_of_scope` with a
/// confidence below 0.45. Deterministic.
#[derive(Debug)]
pub struct BuiltinNlu {
    language: LanguageIdentifier,
    smalltalk: SmalltalkRules,
}

impl BuiltinNlu {
    /// Builds the NLU from its embedded data (training text and phrase lists).
    ///
    /// # Errors
    /// [`crate::NlpError::InvalidModelData`] when the embedded phrase lists do not parse
    /// (a test guards against that).
    pub fn new() -> Result<Self> {
        Ok(Self {
            language: LanguageIdentifier::builtin(),
            smalltalk: SmalltalkRules::builtin()?,
        })
    }

    /// Identifies the language of `text` alone, with `prior` as the conversation's language.
    pub fn identify_language(
        &self,
        text: &str,
        prior: Option<hotel_domain::Language>,
    ) -> LanguageGuess {
        self.language.identify(text, prior)
    }

    /// The synchronous core of [`Nlu::parse`].
    pub fn parse_now(&self, text: &str, context: &NluContext) -> NluResult {
        let language = match context.forced_language {
            Some(forced) => forced,
            None => {
                self.language
                    .identify(text, context.conversation_language)
                    .language
            }
        };
        let (intent, confidence) = match self
            .smalltalk
            .classify(text, context.last_question.is_some())
        {
            Smalltalk::Matched(found) => (found.intent, found.confidence),
            Smalltalk::Partial => (Intent::OutOfScope, PARTIAL_OUT_OF_SCOPE),
            Smalltalk::None => (Intent::OutOfScope, PLAIN_OUT_OF_SCOPE),
        };
        NluResult {
            language,
            intent,
            confidence: round_confidence(confidence),
            entities: Entities::default(),
        }
    }
}

#[async_trait]
impl Nlu for BuiltinNlu {
    async fn parse(&self, text: &str, context: &NluContext) -> Result<NluResult> {
        Ok(self.parse_now(text, context))
    }
}

/// Clamps to 0..=1 and rounds to two decimals, so the JSON reads `0.87`, not `0.8699999`.
fn round_confidence(value: f32) -> f32 {
    (value.clamp(0.0, 1.0) * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_is_rounded_and_clamped() {
        assert!((round_confidence(0.876_54) - 0.88).abs() < f32::EPSILON);
        assert!((round_confidence(1.7) - 1.0).abs() < f32::EPSILON);
        assert!(round_confidence(-0.2).abs() < f32::EPSILON);
    }
}
