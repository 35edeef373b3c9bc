//! Small readers for short guest answers the NLU leaves alone: a bare number of guests, a full
//! name, "cancel", "I paid". They work on accent-folded, lowercased words in the three languages.

/// `text` lowercased, with the accents of Spanish and Portuguese letters removed.
pub(crate) fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

/// The folded words of `text` (letters and digits; everything else separates).
pub(crate) fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Number words from one to ten in Spanish, English and Portuguese.
const NUMBER_WORDS: [(&str, u32); 26] = [
    ("uno", 1),
    ("una", 1),
    ("one", 1),
    ("um", 1),
    ("uma", 1),
    ("dos", 2),
    ("two", 2),
    ("dois", 2),
    ("duas", 2),
    ("tres", 3),
    ("three", 3),
    ("cuatro", 4),
    ("four", 4),
    ("quatro", 4),
    ("cinco", 5),
    ("five", 5),
    ("seis", 6),
    ("six", 6),
    ("siete", 7),
    ("seven", 7),
    ("sete", 7),
    ("ocho", 8),
    ("eight", 8),
    ("oito", 8),
    ("nueve", 9),
    ("diez", 10),
];

/// The largest bare number read as a count (guests, or a position in a list).
const MAX_BARE_COUNT: u32 = 30;

/// A message that is only a number, in digits or words: "2", "3!", "dos", "two". Anything else
/// (including "2 noches") is `None`: the NLU reads those.
pub(crate) fn bare_count(text: &str) -> Option<u32> {
    let words = words(text);
    let [word] = words.as_slice() else {
        return None;
    };
    let number = match word.parse::<u32>() {
        Ok(number) => number,
        Err(_) => NUMBER_WORDS
            .iter()
            .find(|(name, _)| name == word)
            .map(|(_, number)| *number)?,
    };
    (1..=MAX_BARE_COUNT).contains(&number).then_some(number)
}

/// A short message asking to cancel: "cancelar", "cancelá todo", "cancel it", "anular".
pub(crate) fn is_cancel_request(text: &str) -> bool {
    let words = words(text);
    words.len() <= 4
        && words
            .iter()
            .any(|w| w.starts_with("cancel") || w.starts_with("anul"))
}

/// Words that deny a payment was made: "todavía no pagué", "I haven't paid", "ainda não".
const NOT_YET: [&str; 11] = [
    "no", "not", "nao", "todavia", "aun", "yet", "ainda", "haven", "havent", "didn", "didnt",
];

/// Stems that say a payment was made: "ya pagué", "paid", "já paguei", "transferí", "te mando el
/// comprobante", "receipt".
const PAID: [&str; 17] = [
    "pague",
    "pagado",
    "pagada",
    "pagamos",
    "paid",
    "transferi",
    "transferencia",
    "transferred",
    "deposite",
    "deposited",
    "abone",
    "abonado",
    "comprobante",
    "comprovante",
    "receipt",
    "pix",
    "sent",
];

/// Whether `text` says the guest has paid (and does not say they have not).
pub(crate) fn claims_payment(text: &str) -> bool {
    let words = words(text);
    !words.iter().any(|w| NOT_YET.contains(&w.as_str()))
        && words
            .iter()
            .any(|w| PAID.iter().any(|stem| w.starts_with(stem)))
}

/// Whether `text` is a question ("¿cómo pago?", "how do I pay?").
pub(crate) fn is_question(text: &str) -> bool {
    text.contains('?') || text.contains('¿')
}

/// First words that show a message is not a name.
const NOT_A_NAME: [&str; 24] = [
    "hola", "hi", "hello", "ola", "oi", "gracias", "thanks", "obrigado", "obrigada", "si", "yes",
    "sim", "no", "nao", "ok", "dale", "quiero", "quero", "want", "tienen", "tem", "do", "ya", "ja",
];

/// A person's full name as written in reply to "what name?": two to five words of letters (with
/// `'`, `-` or `.`), not starting like small talk or a request. Words written all in lowercase
/// get a capital initial.
pub(crate) fn person_name(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    if !(2..=5).contains(&parts.len()) || text.chars().count() > 80 {
        return None;
    }
    let plausible = parts.iter().all(|part| {
        part.chars().any(char::is_alphabetic)
            && part
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
    });
    let first = fold(parts.first()?);
    if !plausible || NOT_A_NAME.contains(&first.as_str()) {
        return None;
    }
    let capitalised: Vec<String> = parts
        .iter()
        .map(|part| {
            if part.chars().any(char::is_uppercase) {
                (*part).to_owned()
            } else {
                let mut chars = part.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        })
        .collect();
    Some(capitalised.join(" "))
}

/// Whether `text` names `name` (a room type's name), whole words, accents and case aside.
pub(crate) fn mentions(text: &str, name: &str) -> bool {
    let text = words(text);
    let name = words(name);
    !name.is_empty()
        && text
            .windows(name.len())
            .any(|window| window == name.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_accents() {
        assert_eq!(fold("Já PAGUÉ, señor"), "ja pague, senor");
        assert_eq!(words("¡Ya pagué!"), ["ya", "pague"]);
    }

    #[test]
    fn bare_counts_are_only_numbers() {
        assert_eq!(bare_count("2"), Some(2));
        assert_eq!(bare_count(" 3! "), Some(3));
        assert_eq!(bare_count("dos"), Some(2));
        assert_eq!(bare_count("Two"), Some(2));
        assert_eq!(bare_count("três"), Some(3));
        assert_eq!(bare_count("0"), None);
        assert_eq!(bare_count("45"), None);
        assert_eq!(bare_count("2 noches"), None);
        assert_eq!(bare_count("hola"), None);
    }

    #[test]
    fn cancel_requests_are_short() {
        assert!(is_cancel_request("cancelar"));
        assert!(is_cancel_request("Cancelá todo"));
        assert!(is_cancel_request("cancel it please"));
        assert!(is_cancel_request("anular"));
        assert!(!is_cancel_request(
            "cuál es la política si cancelo con una semana"
        ));
        assert!(!is_cancel_request("ok"));
    }

    #[test]
    fn payment_claims_in_three_languages() {
        for claim in [
            "ya pagué",
            "listo, transferí",
            "paid",
            "I've paid",
            "já paguei",
            "te mando el comprobante",
            "here's the receipt",
            "fiz o pix",
        ] {
            assert!(claims_payment(claim), "{claim}");
        }
        for other in [
            "todavía no pagué",
            "I haven't paid yet",
            "ainda não paguei",
            "cómo pago?",
            "hola",
        ] {
            assert!(!claims_payment(other), "{other}");
        }
        assert!(is_question("¿cómo pago"));
        assert!(!is_question("ya pagué"));
    }

    #[test]
    fn names_are_a_few_words_of_letters() {
        assert_eq!(person_name("Juan Pérez").as_deref(), Some("Juan Pérez"));
        assert_eq!(
            person_name("maría de los ángeles").as_deref(),
            Some("María De Los Ángeles")
        );
        assert_eq!(
            person_name("John O'Brien-Smith").as_deref(),
            Some("John O'Brien-Smith")
        );
        assert_eq!(person_name("Juan"), None);
        assert_eq!(person_name("hola Juan"), None);
        assert_eq!(person_name("juan@example.com"), None);
        assert_eq!(person_name("somos 2"), None);
        assert_eq!(person_name("a b c d e f"), None);
    }

    #[test]
    fn room_names_are_matched_as_whole_words() {
        assert!(mentions("quiero la Doble", "Doble"));
        assert!(mentions("o quarto casal", "Casal"));
        assert!(mentions("la doble twin", "Doble twin"));
        assert!(!mentions("la doble", "Doble twin"));
        assert!(!mentions("dobles", "Doble"));
        assert!(!mentions("x", ""));
    }
}
