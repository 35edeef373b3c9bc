//! Text normalisation shared by the language identifier and the intent rules.

/// Lowercases and removes diacritics from one character (`Á` → `a`, `ñ` → `n`, `ç` → `c`).
pub(crate) fn fold_char(c: char) -> char {
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

/// Collapses runs of the same character: `holaaa` → `hola`, `hiii` → `hi`.
pub(crate) fn squeeze(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    for c in word.chars() {
        if last != Some(c) {
            out.push(c);
        }
        last = Some(c);
    }
    out
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
pub(crate) fn intent_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, tokens: &mut Vec<String>| {
        if !word.is_empty() {
            tokens.push(squeeze(word));
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(fold_char(c));
        } else if c == '\'' || c == '’' || is_emoji_modifier(c) {
            // Apostrophes join a word; modifiers belong to the emoji before them.
        } else if is_pictograph(c) {
            flush(&mut word, &mut tokens);
            tokens.push(c.to_string());
        } else {
            flush(&mut word, &mut tokens);
        }
    }
    flush(&mut word, &mut tokens);
    tokens
}

/// Words for language identification: lowercase, diacritics kept (they are evidence), apostrophes
/// normalised to `'`, digits and symbols dropped; `¿` and `¡` stand as words of their own.
pub(crate) fn language_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() {
            word.extend(c.to_lowercase());
        } else if (c == '\'' || c == '’') && !word.is_empty() {
            word.push('\'');
        } else {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if c == '¿' || c == '¡' {
                words.push(c.to_string());
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
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
