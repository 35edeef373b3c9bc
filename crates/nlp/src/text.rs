//! Text normalisation shared by the language identifier and the intent rules.

/// Lowercases and removes diacritics from one character (`Á` → `a`, `ñ` → `n`, `ç` → `c`).
pub(crate) fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

/// Whether a character is a pictograph (emoji, dingbat, symbol) rather than punctuation.
fn is_pictograph(c: char) -> bool {
    u32::from(c) >= 0x2190 && !c.is_alphanumeric()
}

/// Characters that only modify a neighbouring emoji (variation selectors, skin tones, joiners).
fn is_emoji_modifier(c: char) -> bool {
    matches!(u32::from(c), 0xFE0E | 0xFE0F | 0x200D | 0x1F3FB..=0x1F3FF)
}

/// Tokens for the intent rules: accent-folded lowercase words with repeated letters squeezed
/// (apostrophes dropped, so `what's` → `whats`), and each pictograph as a token of its own.
/// All tokens share one string (one allocation per message instead of one per token).
#[derive(Debug, Clone, Default)]
pub(crate) struct IntentTokens {
    text: String,
    /// Where each token ends in `text` (each starts where the previous one ends).
    ends: Vec<usize>,
}

impl IntentTokens {
    /// The tokens of `text`.
    pub(crate) fn new(text: &str) -> Self {
        let mut tokens = Self {
            text: String::with_capacity(text.len()),
            ends: Vec::new(),
        };
        // The last character of the word being built: repeated letters are squeezed as they come.
        let mut last: Option<char> = None;
        for c in text.chars() {
            if c.is_alphanumeric() {
                let folded = fold_char(c);
                if last != Some(folded) {
                    tokens.text.push(folded);
                    last = Some(folded);
                }
            } else if c == '\'' || c == '’' || is_emoji_modifier(c) {
                // Apostrophes join a word; modifiers belong to the emoji before them.
            } else if is_pictograph(c) {
                tokens.end_word(&mut last);
                tokens.text.push(c);
                tokens.ends.push(tokens.text.len());
            } else {
                tokens.end_word(&mut last);
            }
        }
        tokens.end_word(&mut last);
        tokens
    }

    /// Closes the word being built, if any.
    fn end_word(&mut self, last: &mut Option<char>) {
        if last.take().is_some() {
            self.ends.push(self.text.len());
        }
    }

    /// The tokens in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| self.text.get(start..end).unwrap_or_default())
    }

    /// The tokens as string slices.
    pub(crate) fn to_vec(&self) -> Vec<&str> {
        self.iter().collect()
    }
}

/// [`IntentTokens`] as owned strings.
pub(crate) fn intent_tokens(text: &str) -> Vec<String> {
    IntentTokens::new(text).iter().map(str::to_owned).collect()
}

/// Calls `visit` with each word for language identification, in order, without allocating a
/// string per word: lowercase, diacritics kept (they are evidence), apostrophes normalised to
/// `'`, digits and symbols dropped; `¿` and `¡` stand as words of their own.
pub(crate) fn for_each_language_word(text: &str, mut visit: impl FnMut(&str)) {
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() {
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
        } else if (c == '\'' || c == '’') && !word.is_empty() {
            word.push('\'');
        } else {
            if !word.is_empty() {
                visit(&word);
                word.clear();
            }
            if c == '¿' || c == '¡' {
                let mut utf8 = [0_u8; 4];
                visit(c.encode_utf8(&mut utf8));
            }
        }
    }
    if !word.is_empty() {
        visit(&word);
    }
}

/// The words of [`for_each_language_word`] as owned strings.
pub(crate) fn language_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_language_word(text, |word| words.push(word.to_owned()));
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intent_tokens_fold_squeeze_and_keep_emoji() {
        assert_eq!(
            intent_tokens("¡Holaaa, Buenos DÍAS!! 👋🏽"),
            ["hola", "buenos", "dias", "👋"]
        );
        assert_eq!(intent_tokens("what's up?"), ["whats", "up"]);
        assert_eq!(
            intent_tokens("Olá, tudo bem? 🙏🙂"),
            ["ola", "tudo", "bem", "🙏", "🙂"]
        );
        assert!(intent_tokens("  ...  ").is_empty());
    }

    #[test]
    fn language_words_keep_accents_and_question_marks() {
        assert_eq!(language_words("¿Tenés lugar?"), ["¿", "tenés", "lugar"]);
        assert_eq!(
            language_words("I'm at the 2nd floor"),
            ["i'm", "at", "the", "nd", "floor"]
        );
        assert_eq!(language_words("Vocês têm vaga"), ["vocês", "têm", "vaga"]);
    }
}
