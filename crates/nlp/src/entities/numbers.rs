//! Cardinal and ordinal numbers written as digits or as words in Spanish, English and
//! Portuguese ("dos", "three", "duas", "veintidós", "twenty one", "vinte e um", "3rd").

use std::collections::HashMap;
use std::sync::LazyLock;

use foldhash::fast::FixedState;
use hotel_domain::Language;

use super::tokens::{Kind, Token, squeeze};

/// Number words with their value; `None` as the language means "any language".
const WORDS: &[(&str, u32, Option<Language>)] = &[
    ("uno", 1, None),
    ("una", 1, None),
    ("un", 1, Some(Language::Es)),
    ("um", 1, Some(Language::Pt)),
    ("uma", 1, None),
    ("one", 1, None),
    ("dos", 2, Some(Language::Es)),
    ("dois", 2, None),
    ("duas", 2, None),
    ("two", 2, None),
    ("tres", 3, None),
    ("three", 3, None),
    ("cuatro", 4, None),
    ("quatro", 4, None),
    ("four", 4, None),
    ("cinco", 5, None),
    ("five", 5, None),
    ("seis", 6, None),
    ("six", 6, None),
    ("siete", 7, None),
    ("sete", 7, None),
    ("seven", 7, None),
    ("ocho", 8, None),
    ("oito", 8, None),
    ("eight", 8, None),
    ("nueve", 9, None),
    ("nove", 9, None),
    ("nine", 9, None),
    ("diez", 10, None),
    ("dez", 10, Some(Language::Pt)),
    ("ten", 10, Some(Language::En)),
    ("once", 11, Some(Language::Es)),
    ("onze", 11, None),
    ("eleven", 11, None),
    ("doce", 12, Some(Language::Es)),
    ("doze", 12, None),
    ("twelve", 12, None),
    ("trece", 13, None),
    ("treze", 13, None),
    ("thirteen", 13, None),
    ("catorce", 14, None),
    ("catorze", 14, None),
    ("quatorze", 14, None),
    ("fourteen", 14, None),
    ("quince", 15, None),
    ("quinze", 15, None),
    ("fifteen", 15, None),
    ("dieciseis", 16, None),
    ("dezesseis", 16, None),
    ("dezasseis", 16, None),
    ("sixteen", 16, None),
    ("diecisiete", 17, None),
    ("dezessete", 17, None),
    ("dezassete", 17, None),
    ("seventeen", 17, None),
    ("dieciocho", 18, None),
    ("dezoito", 18, None),
    ("eighteen", 18, None),
    ("diecinueve", 19, None),
    ("dezenove", 19, None),
    ("dezanove", 19, None),
    ("nineteen", 19, None),
    ("veinte", 20, None),
    ("vinte", 20, None),
    ("twenty", 20, None),
    ("veintiuno", 21, None),
    ("veintiun", 21, None),
    ("veintiuna", 21, None),
    ("veintidos", 22, None),
    ("veintitres", 23, None),
    ("veinticuatro", 24, None),
    ("veinticinco", 25, None),
    ("veintiseis", 26, None),
    ("veintisiete", 27, None),
    ("veintiocho", 28, None),
    ("veintinueve", 29, None),
    ("treinta", 30, None),
    ("trinta", 30, None),
    ("thirty", 30, None),
];

/// Ordinal words (days of the month are the only use).
const ORDINAL_WORDS: &[(&str, u32)] = &[
    ("primero", 1),
    ("primer", 1),
    ("primeiro", 1),
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
    ("twentieth", 20),
    ("thirtieth", 30),
];

/// The languages, in the order of the slots of [`WORD_VALUES`].
const LANGUAGES: [Language; 3] = [Language::Es, Language::En, Language::Pt];

/// [`WORDS`] by their squeezed spelling (what [`Token::is`] compares): per language, the
/// value of the first entry that counts in it. One lookup instead of a scan of the list.
static WORD_VALUES: LazyLock<HashMap<String, [Option<u32>; 3], FixedState>> = LazyLock::new(|| {
    let mut values: HashMap<String, [Option<u32>; 3], FixedState> = HashMap::default();
    for &(word, value, only) in WORDS {
        let slots = values.entry(squeeze(word)).or_default();
        for (slot, language) in slots.iter_mut().zip(LANGUAGES) {
            if slot.is_none() && only.is_none_or(|l| l == language) {
                *slot = Some(value);
            }
        }
    }
    values
});

/// The value of one number word in `language`: the first of [`WORDS`] that counts in
/// `language` and that the token [`Token::is`].
fn word_value(token: &Token, language: Language) -> Option<u32> {
    if token.kind != Kind::Word {
        return None;
    }
    let slots = WORD_VALUES.get(token.squeezed())?;
    let slot = LANGUAGES.iter().position(|&l| l == language)?;
    slots.get(slot).copied().flatten()
}

/// A cardinal number starting at `tokens[i]`: digits, or words including the compounds
/// "treinta y uno", "vinte e dois", "twenty one". Returns the value and how many tokens it used.
pub(super) fn cardinal_at(tokens: &[Token], i: usize, language: Language) -> Option<(u32, usize)> {
    let token = tokens.get(i)?;
    if let Some(n) = token.number() {
        return Some((n, 1));
    }
    let value = word_value(token, language)?;
    if value % 10 == 0 && value >= 20 {
        // "treinta y uno", "vinte e dois", "twenty one".
        let joined = tokens.get(i + 1).is_some_and(|t| t.is_any(&["y", "e"]));
        let unit_at = if joined { i + 2 } else { i + 1 };
        if let Some(unit) = tokens.get(unit_at).and_then(|t| word_value(t, language))
            && (1..=9).contains(&unit)
        {
            return Some((value + unit, unit_at - i + 1));
        }
    }
    Some((value, 1))
}

/// An ordinal number at `tokens[i]` ("3rd", "1º", "primero", "fifteenth", "twenty first").
pub(super) fn ordinal_at(tokens: &[Token], i: usize) -> Option<(u32, usize)> {
    let token = tokens.get(i)?;
    if let Kind::Ordinal(n) = token.kind {
        return Some((n, 1));
    }
    if token.is_any(&["twenty", "thirty"])
        && let Some(&(_, unit)) = tokens.get(i + 1).and_then(|next| {
            ORDINAL_WORDS
                .iter()
                .find(|(word, value)| *value < 10 && next.is(word))
        })
    {
        let tens = if token.is("twenty") { 20 } else { 30 };
        return Some((tens + unit, 2));
    }
    ORDINAL_WORDS
        .iter()
        .find(|(word, _)| token.is(word))
        .map(|&(_, value)| (value, 1))
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenise;
    use super::*;

    fn cardinal(text: &str, language: Language) -> Option<(u32, usize)> {
        cardinal_at(&tokenise(text), 0, language)
    }

    #[test]
    fn cardinals_in_three_languages() {
        assert_eq!(cardinal("dos", Language::Es), Some((2, 1)));
        assert_eq!(cardinal("dos", Language::Pt), None);
        assert_eq!(cardinal("duas", Language::Pt), Some((2, 1)));
        assert_eq!(cardinal("three", Language::En), Some((3, 1)));
        assert_eq!(cardinal("treinta y uno", Language::Es), Some((31, 3)));
        assert_eq!(cardinal("vinte e dois", Language::Pt), Some((22, 3)));
        assert_eq!(cardinal("twenty one", Language::En), Some((21, 2)));
        assert_eq!(cardinal("twenty", Language::En), Some((20, 1)));
        assert_eq!(cardinal("veintidós", Language::Es), Some((22, 1)));
        assert_eq!(cardinal("14", Language::Es), Some((14, 1)));
        assert_eq!(cardinal("hola", Language::Es), None);
    }

    #[test]
    fn ordinals() {
        let ordinal = |text: &str| ordinal_at(&tokenise(text), 0);
        assert_eq!(ordinal("3rd"), Some((3, 1)));
        assert_eq!(ordinal("primero"), Some((1, 1)));
        assert_eq!(ordinal("twenty first"), Some((21, 2)));
        assert_eq!(ordinal("fifteenth"), Some((15, 1)));
        assert_eq!(ordinal("15"), None);
    }
}
