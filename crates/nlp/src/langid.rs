//! Language identification: a character n-gram (1–3) naive Bayes model trained at start-up
//! from the per-language text files under `data/lang/`.

use std::collections::{HashMap, HashSet};

use foldhash::fast::FixedState;
use hotel_domain::Language;

use crate::text::{for_each_language_word, language_words};

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

/// An n-gram of one to three characters packed into an integer: 21 bits per character (no
/// character of a gram is NUL, so grams of different lengths never collide).
type Gram = u64;

/// A hash map with a fast, fixed-seed hasher.
type FastMap<K, V> = HashMap<K, V, FixedState>;

/// The n-gram counts of one language while training.
struct Profile {
    language: Language,
    counts: [FastMap<Gram, u32>; MAX_ORDER],
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
///
/// The weighted log-probabilities are computed once at training, so identification is one
/// hash lookup per n-gram.
pub struct LanguageIdentifier {
    languages: Vec<Language>,
    vocabulary: [usize; MAX_ORDER],
    neutral: HashSet<String, FixedState>,
    /// The row in `scores` of every n-gram seen in training.
    rows: FastMap<Gram, usize>,
    /// Per row, one weighted log-probability per language (in the order of `languages`).
    scores: Vec<f64>,
    /// Per order, the weighted log-probability of an n-gram a language has never seen.
    unseen: [Vec<f64>; MAX_ORDER],
}

impl std::fmt::Debug for LanguageIdentifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanguageIdentifier")
            .field("languages", &self.languages)
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
        let neutral: HashSet<String, FixedState> = neutral_words
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
                    for_each_gram(line, &neutral, |order, gram| {
                        *profile.counts[order].entry(gram).or_insert(0) += 1;
                        profile.totals[order] += 1;
                    });
                }
            }
        }
        let mut vocabulary = [0; MAX_ORDER];
        for (order, size) in vocabulary.iter_mut().enumerate() {
            let distinct: HashSet<Gram, FixedState> = profiles
                .iter()
                .flat_map(|p| p.counts[order].keys().copied())
                .collect();
            *size = distinct.len() + 1;
        }
        // The weighted log-probability of a gram of `order` seen `count` times by `profile`.
        let score = |profile: &Profile, order: usize, count: u32| {
            #[expect(
                clippy::cast_precision_loss,
                reason = "corpus sizes are far below 2^52"
            )]
            let denominator = profile.totals[order] as f64 + SMOOTHING * vocabulary[order] as f64;
            ORDER_WEIGHTS[order] * ((f64::from(count) + SMOOTHING) / denominator).ln()
        };
        let unseen: [Vec<f64>; MAX_ORDER] =
            std::array::from_fn(|order| profiles.iter().map(|p| score(p, order, 0)).collect());
        let mut rows: FastMap<Gram, usize> = FastMap::default();
        let mut scores: Vec<f64> = Vec::new();
        for order in 0..MAX_ORDER {
            for profile in &profiles {
                for &gram in profile.counts[order].keys() {
                    rows.entry(gram).or_insert_with(|| {
                        let row = scores.len() / profiles.len().max(1);
                        scores.extend(profiles.iter().map(|p| {
                            score(p, order, p.counts[order].get(&gram).copied().unwrap_or(0))
                        }));
                        row
                    });
                }
            }
        }
        Self {
            languages: profiles.iter().map(|p| p.language).collect(),
            vocabulary,
            neutral,
            rows,
            scores,
            unseen,
        }
    }

    /// The languages the model knows, in training order.
    pub fn languages(&self) -> Vec<Language> {
        self.languages.clone()
    }

    /// Identifies the language of `text`; `prior` (the conversation's language) gets a small
    /// bonus and is also the answer when the text has no letters at all.
    pub fn identify(&self, text: &str, prior: Option<Language>) -> LanguageGuess {
        // Each gram as its order and its row (`None`: unseen by every language).
        let mut text_grams: Vec<(usize, Option<usize>)> = Vec::with_capacity(text.len() * 3);
        for_each_gram(text, &self.neutral, |order, gram| {
            text_grams.push((order, self.rows.get(&gram).copied()));
        });
        let fallback = prior
            .or_else(|| self.languages.first().copied())
            .unwrap_or(Language::Es);
        if text_grams.is_empty() || self.languages.is_empty() {
            return LanguageGuess {
                language: fallback,
                margin: 0.0,
                evidence: 0,
            };
        }
        let mut scored: Vec<(Language, f64)> = self
            .languages
            .iter()
            .enumerate()
            .map(|(index, &language)| {
                let bonus = if Some(language) == prior {
                    CONVERSATION_PRIOR
                } else {
                    0.0
                };
                (language, bonus + self.log_likelihood(index, &text_grams))
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

    /// The log-likelihood of the text's grams for the language at `index`, summed in order.
    fn log_likelihood(&self, index: usize, text_grams: &[(usize, Option<usize>)]) -> f64 {
        let languages = self.languages.len();
        text_grams
            .iter()
            .map(|&(order, row)| {
                let score = match row {
                    Some(row) => self.scores.get(row * languages + index),
                    None => self.unseen.get(order).and_then(|u| u.get(index)),
                };
                score.copied().unwrap_or(0.0)
            })
            .sum()
    }
}

/// Calls `visit` with each n-gram of a text as `(order index, gram)`: each word padded with
/// spaces, so word starts and ends count; grams made only of padding are skipped, and so are
/// neutral words.
fn for_each_gram(
    text: &str,
    neutral: &HashSet<String, FixedState>,
    mut visit: impl FnMut(usize, Gram),
) {
    let mut padded: Vec<char> = Vec::new();
    for_each_language_word(text, |word| {
        if neutral.contains(word) {
            return;
        }
        padded.clear();
        padded.push(' ');
        padded.extend(word.chars());
        padded.push(' ');
        for n in 1..=MAX_ORDER {
            for window in padded.windows(n) {
                if window.iter().all(|&c| c == ' ') {
                    continue;
                }
                let gram = window
                    .iter()
                    .fold(0, |gram: Gram, &c| (gram << 21) | Gram::from(u32::from(c)));
                visit(n - 1, gram);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The grams of a text as strings.
    fn grams(text: &str, neutral: &HashSet<String, FixedState>) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for_each_gram(text, neutral, |order, gram| {
            let chars = (0..=order)
                .rev()
                .filter_map(|i| char::from_u32(((gram >> (21 * i)) & 0x1f_ffff) as u32));
            out.push((order, chars.collect()));
        });
        out
    }

    #[test]
    fn grams_cover_word_boundaries() {
        let neutral = ["ok".to_owned()].into_iter().collect();
        let found = grams("oi ok", &neutral);
        let texts: Vec<&str> = found.iter().map(|(_, g)| g.as_str()).collect();
        assert_eq!(texts, ["o", "i", " o", "oi", "i ", " oi", "oi "]);
        assert_eq!(found[5].0, 2);
        let accented = grams("¿Tenés?", &HashSet::default());
        assert_eq!(accented[0].1, "¿");
        assert!(accented.iter().any(|(_, g)| g == "és "));
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
