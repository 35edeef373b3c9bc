//! Small talk: greetings, farewells, thanks and bare yes/no, recognised from the phrase lists in
//! `data/smalltalk.toml` with tolerance for typos, repeated letters, missing accents and emoji.

use serde::Deserialize;

use crate::text::intent_tokens;
use crate::{Intent, NlpError, Result};

/// The embedded phrase lists.
const SMALLTALK_TOML: &str = include_str!("../data/smalltalk.toml");

/// The small-talk intents, in the order that decides a message mixing several of them.
const PRECEDENCE: [Intent; 5] = [
    Intent::Goodbye,
    Intent::Deny,
    Intent::Affirm,
    Intent::Thanks,
    Intent::Greeting,
];
/// The confidence of a message made only of exact phrases.
const FULL_CONFIDENCE: f32 = 0.95;
/// What each typo-tolerant match takes off.
const FUZZY_PENALTY: f32 = 0.07;
/// The least share of words that must be phrases or filler.
const MIN_COVERAGE: f32 = 0.6;
/// Yes/no without a pending question is less certain.
const NO_QUESTION_FACTOR: f32 = 0.8;
/// Below this the message is not small talk.
const MIN_CONFIDENCE: f32 = 0.5;

/// One phrase list of the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhraseList {
    #[serde(default)]
    es: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    pt: Vec<String>,
    #[serde(default)]
    any: Vec<String>,
}

impl PhraseList {
    fn all(&self) -> impl Iterator<Item = &String> {
        self.es
            .iter()
            .chain(&self.en)
            .chain(&self.pt)
            .chain(&self.any)
    }
}

/// The TOML file's shape.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhraseFile {
    greeting: PhraseList,
    goodbye: PhraseList,
    thanks: PhraseList,
    affirm: PhraseList,
    deny: PhraseList,
    filler: PhraseList,
}

/// One tokenised phrase; `intent` is `None` for filler.
#[derive(Debug, Clone)]
struct Phrase {
    tokens: Vec<String>,
    /// The number of characters of the first token (a quick filter: a typo changes it by one
    /// at most).
    first_chars: usize,
    intent: Option<Intent>,
}

/// A recognised small-talk message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SmalltalkMatch {
    pub(crate) intent: Intent,
    pub(crate) confidence: f32,
}

/// The outcome of looking at a message as small talk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Smalltalk {
    /// The whole message is small talk.
    Matched(SmalltalkMatch),
    /// Some phrases were found beside other words (e.g. "hola, tienen lugar?").
    Partial,
    /// Nothing small-talk-like.
    None,
}

/// The compiled phrase lists.
#[derive(Debug, Clone)]
pub(crate) struct SmalltalkRules {
    phrases: Vec<Phrase>,
}

impl SmalltalkRules {
    /// The rules from the embedded `data/smalltalk.toml`.
    pub(crate) fn builtin() -> Result<Self> {
        Self::from_toml(SMALLTALK_TOML)
    }

    /// Rules from a TOML document shaped like `data/smalltalk.toml`.
    pub(crate) fn from_toml(text: &str) -> Result<Self> {
        let file: PhraseFile =
            toml::from_str(text).map_err(|e| NlpError::InvalidModelData(e.to_string()))?;
        let lists = [
            (Some(Intent::Greeting), &file.greeting),
            (Some(Intent::Goodbye), &file.goodbye),
            (Some(Intent::Thanks), &file.thanks),
            (Some(Intent::Affirm), &file.affirm),
            (Some(Intent::Deny), &file.deny),
            (None, &file.filler),
        ];
        let phrases = lists
            .into_iter()
            .flat_map(|(intent, list)| {
                list.all().map(move |p| {
                    let tokens = intent_tokens(p);
                    let first_chars = tokens.first().map_or(0, |t| t.chars().count());
                    Phrase {
                        tokens,
                        first_chars,
                        intent,
                    }
                })
            })
            .filter(|phrase| !phrase.tokens.is_empty())
            .collect();
        Ok(Self { phrases })
    }

    /// Classifies `text`; `question_pending` raises the confidence of yes/no answers.
    pub(crate) fn classify(&self, text: &str, question_pending: bool) -> Smalltalk {
        let tokens = intent_tokens(text);
        let mut found: Vec<(Intent, usize)> = Vec::new();
        let (mut covered, mut unknown, mut fuzzy) = (0_usize, 0_usize, 0_usize);
        let mut position = 0;
        while let Some(rest) = tokens.get(position..).filter(|rest| !rest.is_empty()) {
            match self.best_phrase(rest) {
                Some((phrase, typos)) => {
                    if let Some(intent) = phrase.intent {
                        found.push((intent, position));
                        fuzzy += typos;
                    }
                    covered += phrase.tokens.len();
                    position += phrase.tokens.len();
                }
                None => {
                    // Unlisted emoji are neutral; unlisted words are not small talk.
                    if rest
                        .first()
                        .is_some_and(|t| t.chars().any(char::is_alphanumeric))
                    {
                        unknown += 1;
                    }
                    position += 1;
                }
            }
        }
        let Some(intent) = PRECEDENCE
            .into_iter()
            .find(|i| found.iter().any(|(f, _)| f == i))
        else {
            return Smalltalk::None;
        };
        #[expect(clippy::cast_precision_loss, reason = "token counts are tiny")]
        let coverage = covered as f32 / (covered + unknown) as f32;
        if coverage < MIN_COVERAGE {
            return Smalltalk::Partial;
        }
        #[expect(clippy::cast_precision_loss, reason = "token counts are tiny")]
        let mut confidence = (FULL_CONFIDENCE - FUZZY_PENALTY * fuzzy as f32) * coverage;
        if matches!(intent, Intent::Affirm | Intent::Deny) && !question_pending {
            confidence *= NO_QUESTION_FACTOR;
        }
        if confidence < MIN_CONFIDENCE {
            return Smalltalk::Partial;
        }
        Smalltalk::Matched(SmalltalkMatch { intent, confidence })
    }

    /// The best phrase starting at `tokens[0]`: the longest, then the one with fewer typos,
    /// then an intent phrase over filler. Returns the phrase and its number of typos.
    fn best_phrase(&self, tokens: &[String]) -> Option<(&Phrase, usize)> {
        let mut best: Option<(&Phrase, usize)> = None;
        let first_chars = tokens.first().map_or(0, |t| t.chars().count());
        for phrase in &self.phrases {
            if phrase.first_chars.abs_diff(first_chars) > 1 {
                continue;
            }
            let Some(typos) = phrase_typos(&phrase.tokens, tokens) else {
                continue;
            };
            let better = match best {
                None => true,
                Some((current, current_typos)) => {
                    let key = (
                        phrase.tokens.len(),
                        std::cmp::Reverse(typos),
                        phrase.intent.is_some(),
                    );
                    key > (
                        current.tokens.len(),
                        std::cmp::Reverse(current_typos),
                        current.intent.is_some(),
                    )
                }
            };
            if better {
                best = Some((phrase, typos));
            }
        }
        best
    }
}

/// How many typos it takes for `input` to start with `phrase`, or `None` when it does not.
fn phrase_typos(phrase: &[String], input: &[String]) -> Option<usize> {
    if input.len() < phrase.len() {
        return None;
    }
    let mut typos = 0;
    for (expected, actual) in phrase.iter().zip(input) {
        if expected == actual {
            continue;
        }
        if !near_miss(expected, actual) {
            return None;
        }
        typos += 1;
    }
    Some(typos)
}

/// Whether `actual` is a typo of `expected`: one insertion, deletion, substitution or swap of
/// adjacent letters for words of five or more letters; only a swap for four-letter words.
fn near_miss(expected: &str, actual: &str) -> bool {
    // Most pairs differ in length by more than one or are too short: reject them before
    // allocating (this runs for every phrase at every word of every message).
    let (x, y) = (expected.chars().count(), actual.chars().count());
    if x.abs_diff(y) > 1 || x.min(y) < 4 {
        return false;
    }
    let a: Vec<char> = expected.chars().collect();
    let b: Vec<char> = actual.chars().collect();
    let letters = |w: &[char]| w.iter().all(|c| c.is_alphabetic());
    if !letters(&a) || !letters(&b) {
        return false;
    }
    match (a.len(), b.len()) {
        (4, 4) => one_swap(&a, &b),
        (x, y) if x == y => x >= 5 && within_one_edit(&a, &b),
        (x, y) => x.min(y) >= 4 && within_one_edit(&a, &b),
    }
}

/// Equal-length words that differ by one swap of adjacent letters.
fn one_swap(a: &[char], b: &[char]) -> bool {
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a.get(i) != b.get(i)).collect();
    matches!(diffs.as_slice(), [i, j] if *j == i + 1 && a.get(*i) == b.get(*j) && a.get(*j) == b.get(*i))
}

/// Whether two words are at most one edit (with adjacent swaps) apart.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    if a.len() == b.len() {
        let diffs = (0..a.len()).filter(|&i| a.get(i) != b.get(i)).count();
        return diffs <= 1 || one_swap(a, b);
    }
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    let skip = long
        .iter()
        .zip(short)
        .position(|(x, y)| x != y)
        .unwrap_or(short.len());
    long.get(skip + 1..) == short.get(skip..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_tolerance_depends_on_length() {
        assert!(near_miss("hola", "hloa"));
        assert!(!near_miss("hola", "cola"));
        assert!(near_miss("gracias", "grcias"));
        assert!(near_miss("gracias", "garcias"));
        assert!(near_miss("obrigado", "obrigadoo"));
        assert!(near_miss("buenas", "buenaz"));
        assert!(!near_miss("hi", "ho"));
        assert!(!near_miss("gracias", "gracias2"));
        assert!(!near_miss("thanks", "banks"));
        assert!(near_miss("hola", "holas"));
    }

    #[test]
    fn embedded_lists_load_and_bad_lists_are_rejected() {
        assert!(SmalltalkRules::builtin().is_ok());
        assert!(matches!(
            SmalltalkRules::from_toml("greeting = 1"),
            Err(NlpError::InvalidModelData(_))
        ));
    }

    #[test]
    fn mixed_messages_follow_precedence() {
        let rules = SmalltalkRules::builtin().unwrap();
        let intent = |text: &str| match rules.classify(text, true) {
            Smalltalk::Matched(m) => Some(m.intent),
            _ => None,
        };
        assert_eq!(intent("no, gracias"), Some(Intent::Deny));
        assert_eq!(intent("sí, gracias"), Some(Intent::Affirm));
        assert_eq!(intent("gracias, chau"), Some(Intent::Goodbye));
        assert_eq!(intent("hola, gracias"), Some(Intent::Thanks));
        assert_eq!(intent("hola, tienen lugar para el finde?"), None);
    }
}
