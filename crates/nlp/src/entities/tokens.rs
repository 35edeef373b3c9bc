//! The entity tokeniser: accent-folded lowercase words, numbers, ordinals ("3rd", "1º"),
//! numeric compounds ("15/12", "15-17/12"), clock times ("15:30", "3pm") and punctuation.

use crate::text::fold_char;

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    /// Letters only (folded: `mañana` → `manana`).
    Word,
    /// Digits only.
    Number(u32),
    /// Digits with an ordinal suffix: `3rd`, `15th`, `1ro`, `1º`, `1°`.
    Ordinal(u32),
    /// Digit groups joined by `/`, `-` or `.`: `15/12`, `15-17/12`, `15.12.2026`.
    Compound(Vec<u32>, Vec<char>),
    /// A clock time or hour: `15:30`, `3pm`, `15hs`.
    Time,
    /// Letters and digits mixed (`htl4835`): nothing the grammars read.
    Mixed,
    /// One punctuation character or symbol.
    Punct(char),
}

/// One token: its kind, its folded text (lowercase, no accents) and the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    pub kind: Kind,
    pub text: String,
    pub raw: String,
    /// `text` with runs of the same letter collapsed, when that differs from `text`.
    squeezed: Option<String>,
}

impl Token {
    /// Whether this word equals `word` once repeated letters are ignored on both sides
    /// (`tomorow` = `tomorrow`, `mañanaa` = `manana`).
    // Inlined into the grammars' many word-list scans, so that most comparisons cost a byte.
    #[inline]
    pub fn is(&self, word: &str) -> bool {
        // Squeezing keeps the first character: a different first byte settles most calls.
        matches!(self.kind, Kind::Word)
            && self.text.as_bytes().first() == word.as_bytes().first()
            && self.squeezed().chars().eq(squeezed(word))
    }

    /// The folded text with runs of the same letter collapsed: what [`Token::is`] compares.
    pub fn squeezed(&self) -> &str {
        self.squeezed.as_deref().unwrap_or(&self.text)
    }

    /// Whether this word is one of `words`.
    #[inline]
    pub fn is_any(&self, words: &[&str]) -> bool {
        words.iter().any(|word| self.is(word))
    }

    /// The value of a plain number token.
    pub fn number(&self) -> Option<u32> {
        match self.kind {
            Kind::Number(n) => Some(n),
            _ => None,
        }
    }

    /// Whether this is the punctuation character `c`.
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }
}

/// `word` with runs of the same letter collapsed (`tomorrow` → `tomorow`).
pub(super) fn squeeze(word: &str) -> String {
    squeezed(word).collect()
}

fn squeezed(word: &str) -> impl Iterator<Item = char> + '_ {
    let mut last = None;
    word.chars().filter(move |&c| {
        let keep = last != Some(c);
        last = Some(c);
        keep
    })
}

/// Whether `a` and `b` differ by at most one edit (insertion, deletion, substitution or
/// swap of neighbours): tolerates typos in long month and weekday names. Compares the
/// characters in place (no allocation).
pub(super) fn within_one_edit(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (x, y) = (a.chars().count(), b.chars().count());
    match x.abs_diff(y) {
        0 => {
            // The first difference, and whether a second one right after it swaps them back.
            let mut first: Option<(usize, char, char)> = None;
            let mut swapped = false;
            for (i, (p, q)) in a.chars().zip(b.chars()).enumerate() {
                if p == q {
                    continue;
                }
                match first {
                    None => first = Some((i, p, q)),
                    Some((j, fp, fq)) if !swapped && j + 1 == i && fp == q && fq == p => {
                        swapped = true;
                    }
                    Some(_) => return false,
                }
            }
            true
        }
        1 => {
            let (short, long) = if x < y { (a, b) } else { (b, a) };
            // Skip the first character of the longer word that differs; the rest must match.
            let mut long_chars = long.chars();
            let mut short_chars = short.chars();
            loop {
                match (short_chars.next(), long_chars.next()) {
                    (Some(s), Some(l)) if s == l => {}
                    (Some(s), Some(_)) => {
                        return long_chars.next() == Some(s) && long_chars.eq(short_chars);
                    }
                    _ => return true,
                }
            }
        }
        _ => false,
    }
}

/// Suffixes that make a number an ordinal (`3rd`, `1ro`, `2do`, `1er`, `1º`).
const ORDINAL_SUFFIXES: &[&str] = &[
    "st", "nd", "rd", "th", "ro", "er", "ero", "do", "to", "vo", "no", "o", "a", "º", "ª",
];
/// Suffixes that make a number a clock time (`3pm`, `15hs`, `14h`).
const TIME_SUFFIXES: &[&str] = &["am", "pm", "h", "hs", "hrs", "hr", "hras", "horas"];

/// Splits `text` into tokens.
#[cfg(test)]
pub(super) fn tokenise(text: &str) -> Vec<Token> {
    tokenise_chars(&text.chars().collect::<Vec<char>>())
}

/// Splits a text given as its characters into tokens.
pub(super) fn tokenise_chars(chars: &[char]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() {
            let start = i;
            while i < chars.len() {
                let joins = matches!(chars[i], '/' | '-' | '.' | ':' | '\'' | '’')
                    && chars.get(i + 1).is_some_and(|next| next.is_alphanumeric())
                    && i > start;
                if chars[i].is_alphanumeric() || joins || (chars[i] == '°' && i > start) {
                    i += 1;
                } else {
                    break;
                }
            }
            let chunk: String = chars[start..i].iter().collect();
            classify_chunk(&chunk, &mut tokens);
        } else {
            tokens.push(Token {
                kind: Kind::Punct(c),
                text: c.to_string(),
                raw: c.to_string(),
                squeezed: None,
            });
            i += 1;
        }
    }
    tokens
}

fn fold(raw: &str) -> String {
    raw.chars().map(fold_char).collect()
}

fn word(raw: &str, kind: Kind) -> Token {
    let text = fold(raw);
    let repeats = text.chars().zip(text.chars().skip(1)).any(|(a, b)| a == b);
    Token {
        kind,
        squeezed: repeats.then(|| squeeze(&text)),
        text,
        raw: raw.to_owned(),
    }
}

fn parse_number(digits: &str) -> u32 {
    digits.parse().unwrap_or(u32::MAX)
}

/// Turns one run of letters, digits and inner separators into tokens.
fn classify_chunk(chunk: &str, tokens: &mut Vec<Token>) {
    let starts_with_digit = chunk.starts_with(|c: char| c.is_ascii_digit());
    let is_numeric = |c: char| c.is_ascii_digit() || matches!(c, '/' | '-' | '.' | ':');
    if starts_with_digit && chunk.chars().all(is_numeric) {
        if chunk.contains(':') {
            tokens.push(word(chunk, Kind::Time));
            return;
        }
        let mut numbers = Vec::new();
        let mut separators = Vec::new();
        let mut digits = String::new();
        for c in chunk.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else {
                numbers.push(parse_number(&digits));
                digits.clear();
                separators.push(c);
            }
        }
        numbers.push(parse_number(&digits));
        let kind = match numbers.as_slice() {
            [n] => Kind::Number(*n),
            _ => Kind::Compound(numbers, separators),
        };
        tokens.push(word(chunk, kind));
        return;
    }
    if starts_with_digit {
        let split = chunk
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(chunk.len());
        let (digits, rest) = chunk.split_at(split);
        // "2-night", "3-noches": the hyphen only joins.
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        let suffix = fold(rest);
        let value = parse_number(digits);
        if suffix.chars().all(char::is_alphabetic) || suffix == "°" {
            if ORDINAL_SUFFIXES.contains(&suffix.as_str()) || suffix == "°" {
                tokens.push(word(chunk, Kind::Ordinal(value)));
            } else if TIME_SUFFIXES.contains(&suffix.as_str()) {
                tokens.push(word(chunk, Kind::Time));
            } else {
                tokens.push(word(digits, Kind::Number(value)));
                tokens.push(word(rest, Kind::Word));
            }
            return;
        }
    }
    if chunk.chars().any(|c| c.is_ascii_digit()) {
        tokens.push(word(chunk, Kind::Mixed));
        return;
    }
    // Letters with inner separators: `sexta-feira`, `check-in`, `we're`, `p.m`.
    let mut part = String::new();
    for c in chunk.chars() {
        match c {
            '\'' | '’' => {}
            '/' | '-' | '.' | ':' => {
                if !part.is_empty() {
                    tokens.push(word(&part, Kind::Word));
                    part.clear();
                }
            }
            other => part.push(other),
        }
    }
    if !part.is_empty() {
        tokens.push(word(&part, Kind::Word));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        tokenise(text).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn numbers_compounds_ordinals_and_times() {
        assert_eq!(
            kinds("15/12 15-17/12 3rd 1º 1° 15:30 3pm 2pax"),
            [
                Kind::Compound(vec![15, 12], vec!['/']),
                Kind::Compound(vec![15, 17, 12], vec!['-', '/']),
                Kind::Ordinal(3),
                Kind::Ordinal(1),
                Kind::Ordinal(1),
                Kind::Time,
                Kind::Time,
                Kind::Number(2),
                Kind::Word,
            ]
        );
        assert_eq!(kinds("htl4835"), [Kind::Mixed]);
        assert_eq!(kinds("99999999999999"), [Kind::Number(u32::MAX)]);
    }

    #[test]
    fn words_are_folded_and_split_on_hyphens() {
        let words: Vec<String> = tokenise("Sexta-feira, MAÑANA we're check-in")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            words,
            ["sexta", "feira", ",", "manana", "were", "check", "in"]
        );
    }

    #[test]
    fn squeezed_comparison_and_edit_distance() {
        let token = &tokenise("tomorow")[0];
        assert!(token.is("tomorrow"));
        assert!(!token.is("today"));
        assert!(within_one_edit("diciembre", "dicienbre"));
        assert!(within_one_edit("diciembre", "dicimbre"));
        assert!(within_one_edit("diciembre", "dicimebre"));
        assert!(!within_one_edit("diciembre", "noviembre"));
        assert!(!within_one_edit("abc", "abcde"));
    }
}
