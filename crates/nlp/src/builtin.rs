//! The built-in NLU: no network, no model files; trained at start-up from embedded data.

use async_trait::async_trait;

use crate::classifier::IntentClassifier;
use crate::langid::{LanguageGuess, LanguageIdentifier};
use crate::smalltalk::{Smalltalk, SmalltalkRules};
use crate::text::IntentTokens;
use crate::{Intent, Nlu, NluContext, NluResult, Result, extract_entities};

/// The share of the remaining doubt that the classifier's agreement with the phrase lists
/// removes.
const AGREEMENT_BONUS: f32 = 0.5;
/// The least probability of a request for it to win over the small-talk clause beside it.
const PLAUSIBLE_REQUEST: f32 = 0.15;

/// The built-in NLU: language identification for es/en/pt (character n-gram naive Bayes with
/// the conversation's language as prior), the intent from a softmax classifier over character
/// and word n-grams trained at start-up, with the small-talk phrase lists deciding messages made
/// only of greetings, thanks, farewells and yes/no. Deterministic.
#[derive(Debug)]
pub struct BuiltinNlu {
    language: LanguageIdentifier,
    smalltalk: SmalltalkRules,
    classifier: IntentClassifier,
}

impl BuiltinNlu {
    /// Builds the NLU from its embedded data (training text and phrase lists).
    ///
    /// # Errors
    /// [`crate::NlpError::InvalidModelData`] when the embedded phrase lists do not parse, or
    /// [`crate::NlpError::InvalidLabelledLine`] when the embedded training data does not (a test
    /// guards against both).
    pub fn new() -> Result<Self> {
        Ok(Self {
            language: LanguageIdentifier::builtin(),
            smalltalk: SmalltalkRules::builtin()?,
            classifier: IntentClassifier::builtin()?,
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
        let (intent, confidence) = self.intent(text, context.last_question.is_some());
        let entities = extract_entities(text, language, context.reference_date);
        NluResult {
            language,
            intent,
            confidence: round_confidence(confidence),
            entities,
        }
    }
}

impl BuiltinNlu {
    /// The intent of `text` and its confidence. A message made only of small-talk phrases is
    /// read by the phrase lists (they know whether a question is pending), the classifier
    /// agreeing makes it a little surer; when small-talk phrases stand beside other words
    /// ("hola, tienen pileta?") the request decides, so a small-talk guess of the classifier
    /// gives way to the likeliest request when that one is plausible.
    fn intent(&self, text: &str, question_pending: bool) -> (Intent, f32) {
        let tokens = IntentTokens::new(text);
        let probabilities = self.classifier.probabilities_of(&tokens);
        let best = |accept: &dyn Fn(Intent) -> bool| {
            Intent::ALL
                .into_iter()
                .zip(probabilities.iter().copied())
                .filter(|(intent, _)| accept(*intent))
                .fold((Intent::OutOfScope, 0.0_f32), |best, candidate| {
                    if candidate.1 > best.1 {
                        candidate
                    } else {
                        best
                    }
                })
        };
        let predicted = best(&|_| true);
        match self
            .smalltalk
            .classify_tokens(&tokens.to_vec(), question_pending)
        {
            Smalltalk::Matched(found) if found.intent == predicted.0 => (
                found.intent,
                found.confidence + (1.0 - found.confidence) * predicted.1 * AGREEMENT_BONUS,
            ),
            Smalltalk::Matched(found) => (found.intent, found.confidence),
            Smalltalk::Partial if is_smalltalk(predicted.0) => {
                let request = best(&|intent| !is_smalltalk(intent));
                if request.1 >= PLAUSIBLE_REQUEST {
                    request
                } else {
                    predicted
                }
            }
            Smalltalk::Partial | Smalltalk::None => predicted,
        }
    }
}

/// Greetings, farewells, thanks and bare yes/no.
fn is_smalltalk(intent: Intent) -> bool {
    matches!(
        intent,
        Intent::Greeting | Intent::Goodbye | Intent::Thanks | Intent::Affirm | Intent::Deny
    )
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
