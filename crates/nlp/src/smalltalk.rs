//! Small talk: greetings, farewells, thanks and bare yes/no, recognised from the phrase lists in
//! `data/smalltalk.toml` with tolerance for typos, repeated letters, missing accents and emoji.

use std::collections::HashMap;

use foldhash::fast::FixedState;
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
    /// The phrases (indices into `phrases`, ascending) by their first token.
    by_first: HashMap<String, Vec<usize>, FixedState>,
    /// The first tokens a typo can reach (four or more letters), by their number of
    /// characters.
    fuzzy_firsts: Vec<Vec<FuzzyFirst>>,
}

/// A first token of phrases that a typo can reach.
#[derive(Debug, Clone)]
struct FuzzyFirst {
    token: String,
    /// [`letter_set`] of the token.
    letters: u64,
    /// The phrases it starts (indices into `phrases`, ascending).
    phrases: Vec<usize>,
}

/// The set of a word's characters, each as one of 64 bits (`c mod 64`). One edit changes at
/// most two bits, so words whose sets differ in more cannot be a typo of each other.
fn letter_set(word: &str) -> u64 {
    word.chars()
        .fold(0, |set, c| set | 1_u64 << (u32::from(c) % 64))
}

impl SmalltalkRules {
    /// The rules from the embedded `data/smalltalk.toml`.
    pub(crate) fn builtin() -> Result<Self> {
        Self::from_toml(SMALLTALK_TOML)
    }

    /// Rules from a TOML document shaped like `data/smalltalk.toml`. Phrases are indexed by
    /// their first token, so a message is only compared with the phrases its words can start.
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
                list.all().map(move |p| Phrase {
                    tokens: intent_tokens(p),
                    intent,
                })
            })
            .filter(|phrase| !phrase.tokens.is_empty())
            .collect::<Vec<Phrase>>();
        let mut by_first: HashMap<String, Vec<usize>, FixedState> = HashMap::default();
        for (index, phrase) in phrases.iter().enumerate() {
            if let Some(first) = phrase.tokens.first() {
                by_first.entry(first.clone()).or_default().push(index);
            }
        }
        let mut fuzzy_firsts: Vec<Vec<FuzzyFirst>> = Vec::new();
        for (first, indices) in &by_first {
            let chars = first.chars().count();
            if chars >= 4 && first.chars().all(char::is_alphabetic) {
                if fuzzy_firsts.len() <= chars {
                    fuzzy_firsts.resize_with(chars + 1, Vec::new);
                }
                if let Some(slot) = fuzzy_firsts.get_mut(chars) {
                    slot.push(FuzzyFirst {
                        token: first.clone(),
                        letters: letter_set(first),
                        phrases: indices.clone(),
                    });
                }
            }
        }
        Ok(Self {
            phrases,
            by_first,
            fuzzy_firsts,
        })
    }

    /// Classifies `text`; `question_pending` raises the confidence of yes/no answers.
    #[cfg(test)]
    pub(crate) fn classify(&self, text: &str, question_pending: bool) -> Smalltalk {
        let tokens = crate::text::IntentTokens::new(text);
        self.classify_tokens(&tokens.to_vec(), question_pending)
    }

    /// Classifies a message given as its [`crate::text::IntentTokens`].
    pub(crate) fn classify_tokens(&self, tokens: &[&str], question_pending: bool) -> Smalltalk {
        let mut candidates = Vec::new();
        let mut found: Vec<(Intent, usize)> = Vec::new();
        let (mut covered, mut unknown, mut fuzzy) = (0_usize, 0_usize, 0_usize);
        let mut position = 0;
        while let Some(rest) = tokens.get(position..).filter(|rest| !rest.is_empty()) {
            match self.best_phrase(rest, &mut candidates) {
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
    /// then an intent phrase over filler (the first listed among equals). Returns the phrase
    /// and its number of typos. `candidates` is scratch space.
    fn best_phrase(
        &self,
        tokens: &[&str],
        candidates: &mut Vec<usize>,
    ) -> Option<(&Phrase, usize)> {
        let first = tokens.first()?;
        // Only phrases whose first token equals or nearly equals the word can match.
        candidates.clear();
        if let Some(indices) = self.by_first.get(*first) {
            candidates.extend_from_slice(indices);
        }
        let first_chars = first.chars().count();
        if first_chars >= 3 && first.chars().all(char::is_alphabetic) {
            let letters = letter_set(first);
            for chars in first_chars - 1..=first_chars + 1 {
                for fuzzy in self.fuzzy_firsts.get(chars).into_iter().flatten() {
                    if (fuzzy.letters ^ letters).count_ones() <= 2
                        && fuzzy.token != *first
                        && near_miss(&fuzzy.token, first)
                    {
                        candidates.extend_from_slice(&fuzzy.phrases);
                    }
                }
            }
        }
        // In list order, as ties go to the phrase listed first.
        candidates.sort_unstable();
        let mut best: Option<(&Phrase, usize)> = None;
        for phrase in candidates.iter().filter_map(|&i| self.phrases.get(i)) {
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
fn phrase_typos(phrase: &[String], input: &[&str]) -> Option<usize> {
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
/// Works on the characters in place (no allocation).
fn near_miss(expected: &str, actual: &str) -> bool {
    let (x, y) = (expected.chars().count(), actual.chars().count());
    if x.abs_diff(y) > 1 || x.min(y) < 4 {
        return false;
    }
    let letters = |w: &str| w.chars().all(char::is_alphabetic);
    if !letters(expected) || !letters(actual) {
        return false;
    }
    match (x, y) {
        (4, 4) => one_swap(expected, actual),
        (x, y) if x == y => x >= 5 && within_one_edit(expected, actual),
        _ => within_one_edit(expected, actual),
    }
}

/// Equal-length words that differ by one swap of adjacent letters.
fn one_swap(a: &str, b: &str) -> bool {
    // The first difference (position and the two characters) and whether a second one, right
    // after it, swaps them back.
    let mut first: Option<(usize, char, char)> = None;
    let mut swapped = false;
    for (i, (x, y)) in a.chars().zip(b.chars()).enumerate() {
        if x == y {
            continue;
        }
        match first {
            None => first = Some((i, x, y)),
            Some((j, fx, fy)) if !swapped && j + 1 == i && fx == y && fy == x => swapped = true,
            Some(_) => return false,
        }
    }
    swapped
}

/// Whether two words are at most one edit (with adjacent swaps) apart.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (x, y) = (a.chars().count(), b.chars().count());
    if x == y {
        let diffs = a.chars().zip(b.chars()).filter(|(p, q)| p != q).count();
        return diffs <= 1 || one_swap(a, b);
    }
    let (long, short) = if x > y { (a, b) } else { (b, a) };
    if x.abs_diff(y) != 1 {
        return false;
    }
    // Skip the first character where they differ in the longer word; the rest must match.
    let mut long_chars = long.chars();
    let mut short_chars = short.chars();
    loop {
        match (long_chars.next(), short_chars.next()) {
            (Some(l), Some(s)) if l == s => {}
            (Some(_), Some(s)) => {
                return long_chars.next() == Some(s) && long_chars.eq(short_chars);
            }
            // The longer word has one more character at the end.
            (Some(_), None) | (None, _) => return true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_token_index_finds_what_a_full_scan_finds() {
        let rules = SmalltalkRules::builtin().unwrap();
        // The best phrase by trying every phrase in list order.
        let full_scan = |tokens: &[&str]| {
            let mut best: Option<(usize, usize)> = None;
            for (index, phrase) in rules.phrases.iter().enumerate() {
                let Some(typos) = phrase_typos(&phrase.tokens, tokens) else {
                    continue;
                };
                let key = |i: usize, t: usize| {
                    let p = &rules.phrases[i];
                    (p.tokens.len(), std::cmp::Reverse(t), p.intent.is_some())
                };
                if best.is_none_or(|(i, t)| key(index, typos) > key(i, t)) {
                    best = Some((index, typos));
                }
            }
            best
        };
        let texts = crate::parse_labelled(include_str!("../data/intents/train.jsonl")).unwrap();
        let mut candidates = Vec::new();
        for example in &texts {
            let tokens = crate::text::IntentTokens::new(&example.text);
            let tokens = tokens.to_vec();
            for start in 0..tokens.len() {
                let indexed =
                    rules
                        .best_phrase(&tokens[start..], &mut candidates)
                        .map(|(phrase, typos)| {
                            let index = rules
                                .phrases
                                .iter()
                                .position(|p| std::ptr::eq(p, phrase))
                                .unwrap();
                            (index, typos)
                        });
                assert_eq!(indexed, full_scan(&tokens[start..]), "{}", example.text);
            }
        }
    }

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
