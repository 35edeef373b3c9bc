//! Language identification: a character n-gram (1–3) naive Bayes model trained at start-up
//! from the per-language text files under `data/lang/`.

use std::collections::{HashMap, HashSet};

use hotel_domain::Language;

use crate::text::language_words;

/// The longest n-gram the model uses.
const MAX_ORDER: usize = 3;
/// How much each n-gram order counts (unigrams, bigrams, trigrams).
const ORDER_WEIGHTS: [f64; MAX_ORDER] = [0.3, 0.7, 1.0];
/// Additive smoothing for unseen n-grams.
const SMOOTHING: f64 = 0.5;
/// The log-score bonus of the conversation's language: enough to decide near-ties, too small
/// to override clear evidence.
const CONVERSATION_PRIOR: f64 = 2.0;

/// The embedded training text, one sentence a line.
const TRAINING_TEXT: [(Language, &str); 3] = [
    (Language::Es, include_str!("../data/lang/es.txt")),
    (Language::En, include_str!("../data/lang/en.txt")),
    (Language::Pt, include_str!("../data/lang/pt.txt")),
];
/// Words written the same way in every language ("ok", "hotel", "wifi"): they are no evidence.
const NEUTRAL_WORDS: &str = include_str!("../data/lang/neutral.txt");

/// The n-gram counts of one language.
struct Profile {
    language: Language,
    counts: [HashMap<String, u32>; MAX_ORDER],
    totals: [u64; MAX_ORDER],
}

/// The outcome of language identification.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LanguageGuess {
    /// The most likely language.
    pub language: Language,
    /// The log-score lead of the winner over the runner-up (0 when there was no evidence).
    pub margin: f64,
    /// How many n-grams the text had; 0 means the guess is only the prior or the fallback.
    pub evidence: usize,
}

/// A naive Bayes language identifier over character n-grams. Deterministic: the same text and
/// prior always give the same guess; ties go to the language trained first.
pub struct LanguageIdentifier {
    profiles: Vec<Profile>,
    vocabulary: [usize; MAX_ORDER],
    neutral: HashSet<String>,
}

impl std::fmt::Debug for LanguageIdentifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let languages: Vec<Language> = self.profiles.iter().map(|p| p.language).collect();
        f.debug_struct("LanguageIdentifier")
            .field("languages", &languages)
            .field("vocabulary", &self.vocabulary)
            .field("neutral_words", &self.neutral.len())
            .finish()
    }
}

impl Default for LanguageIdentifier {
    fn default() -> Self {
        Self::builtin()
    }
}

impl LanguageIdentifier {
    /// The identifier trained on the embedded es/en/pt text.
    pub fn builtin() -> Self {
        Self::train(&TRAINING_TEXT, NEUTRAL_WORDS)
    }

    /// Trains on `(language, text)` pairs (a language may appear more than once); the words of
    /// `neutral_words` (whitespace-separated, `#` starts a comment line) are ignored everywhere.
    pub fn train(corpora: &[(Language, &str)], neutral_words: &str) -> Self {
        let neutral: HashSet<String> = neutral_words
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .flat_map(language_words)
            .collect();
        let mut profiles: Vec<Profile> = Vec::new();
        for &(language, text) in corpora {
            let index = match profiles.iter().position(|p| p.language == language) {
                Some(index) => index,
                None => {
                    profiles.push(Profile {
                        language,
                        counts: Default::default(),
                        totals: [0; MAX_ORDER],
                    });
                    profiles.len() - 1
                }
            };
            if let Some(profile) = profiles.get_mut(index) {
                for line in text.lines() {
                    for (order, gram) in grams(line, &neutral) {
                        *profile.counts[order].entry(gram).or_insert(0) += 1;
                        profile.totals[order] += 1;
                    }
                }
            }
        }
        let mut vocabulary = [0; MAX_ORDER];
        for (order, size) in vocabulary.iter_mut().enumerate() {
            let distinct: HashSet<&String> = profiles
                .iter()
                .flat_map(|p| p.counts[order].keys())
                .collect();
            *size = distinct.len() + 1;
        }
        Self {
            profiles,
            vocabulary,
            neutral,
        }
    }

    /// The languages the model knows, in training order.
    pub fn languages(&self) -> Vec<Language> {
        self.profiles.iter().map(|p| p.language).collect()
    }

    /// Identifies the language of `text`; `prior` (the conversation's language) gets a small
    /// bonus and is also the answer when the text has no letters at all.
    pub fn identify(&self, text: &str, prior: Option<Language>) -> LanguageGuess {
        let text_grams = grams(text, &self.neutral);
        let fallback = prior
            .or_else(|| self.profiles.first().map(|p| p.language))
            .unwrap_or(Language::Es);
        if text_grams.is_empty() || self.profiles.is_empty() {
            return LanguageGuess {
                language: fallback,
                margin: 0.0,
                evidence: 0,
            };
        }
        let mut scored: Vec<(Language, f64)> = self
            .profiles
            .iter()
            .map(|profile| {
                let bonus = if Some(profile.language) == prior {
                    CONVERSATION_PRIOR
                } else {
                    0.0
                };
                (
                    profile.language,
                    bonus + self.log_likelihood(profile, &text_grams),
                )
            })
            .collect();
        // Stable sort: equal scores keep training order.
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (language, best) = scored.first().copied().unwrap_or((fallback, 0.0));
        let margin = scored.get(1).map_or(0.0, |&(_, second)| best - second);
        LanguageGuess {
            language,
            margin,
            evidence: text_grams.len(),
        }
    }

    fn log_likelihood(&self, profile: &Profile, text_grams: &[(usize, String)]) -> f64 {
        text_grams
            .iter()
            .map(|(order, gram)| {
                let count = f64::from(profile.counts[*order].get(gram).copied().unwrap_or(0));
                #[expect(
                    clippy::cast_precision_loss,
                    reason = "corpus sizes are far below 2^52"
                )]
                let denominator =
                    profile.totals[*order] as f64 + SMOOTHING * self.vocabulary[*order] as f64;
                ORDER_WEIGHTS[*order] * ((count + SMOOTHING) / denominator).ln()
            })
            .sum()
    }
}

/// The n-grams of a text as `(order index, gram)`: each word padded with spaces, so word starts
/// and ends count; grams made only of padding are skipped, and so are neutral words.
fn grams(text: &str, neutral: &HashSet<String>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for word in language_words(text)
        .into_iter()
        .filter(|w| !neutral.contains(w))
    {
        let padded: Vec<char> = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        for n in 1..=MAX_ORDER {
            for window in padded.windows(n) {
                if window.iter().all(|&c| c == ' ') {
                    continue;
                }
                out.push((n - 1, window.iter().collect()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_cover_word_boundaries() {
        let grams = grams("oi ok", &HashSet::from(["ok".to_owned()]));
        let texts: Vec<&str> = grams.iter().map(|(_, g)| g.as_str()).collect();
        assert_eq!(texts, ["o", "i", " o", "oi", "i ", " oi", "oi "]);
    }

    #[test]
    fn text_without_letters_falls_back_to_the_prior() {
        let model = LanguageIdentifier::builtin();
        let guess = model.identify("👍 123", Some(Language::Pt));
        assert_eq!(guess.language, Language::Pt);
        assert_eq!(guess.evidence, 0);
        assert_eq!(model.identify("!!", None).language, Language::Es);
    }

    #[test]
    fn a_tiny_model_learns_from_its_corpora() {
        let model = LanguageIdentifier::train(
            &[(Language::En, "the cat"), (Language::Pt, "o gato")],
            "# none\nok",
        );
        assert_eq!(model.languages(), [Language::En, Language::Pt]);
        assert_eq!(model.identify("the", None).language, Language::En);
        assert_eq!(model.identify("gato", None).language, Language::Pt);
        assert_eq!(model.identify("ok", Some(Language::Pt)).evidence, 0);
    }
}
