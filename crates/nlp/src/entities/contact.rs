//! Contact details and references read from the raw text: e-mail addresses, phone numbers
//! with a country code (normalised to E.164), and booking references.
//!
//! Each finder blanks what it took out of the text, so the date and guest grammars never read
//! the digits of a phone number or a booking reference.

use phonenumber::Mode;

/// Replaces `chars[range]` with spaces.
fn blank(chars: &mut [char], range: std::ops::Range<usize>) {
    for c in &mut chars[range] {
        *c = ' ';
    }
}

fn is_local_part(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_part(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

/// The first e-mail address, as written.
pub(super) fn take_email(chars: &mut [char]) -> Option<String> {
    for at in 0..chars.len() {
        if chars[at] != '@' {
            continue;
        }
        let mut start = at;
        while start > 0 && is_local_part(chars[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < chars.len() && is_domain_part(chars[end]) {
            end += 1;
        }
        while start < at && chars[start] == '.' {
            start += 1;
        }
        while end > at + 1 && matches!(chars[end - 1], '.' | '-') {
            end -= 1;
        }
        let local: String = chars[start..at].iter().collect();
        let domain: String = chars[at + 1..end].iter().collect();
        let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
        });
        if !local.is_empty() && tld_ok && !domain.contains("..") {
            blank(chars, start..end);
            return Some(format!("{local}@{domain}"));
        }
    }
    None
}

/// The first phone number written with its country code (`+` and digits), in E.164.
pub(super) fn take_phone(chars: &mut [char]) -> Option<String> {
    for plus in 0..chars.len() {
        let starts = chars[plus] == '+'
            && chars.get(plus + 1).is_some_and(char::is_ascii_digit)
            && (plus == 0 || !chars[plus - 1].is_alphanumeric());
        if !starts {
            continue;
        }
        // Digit groups separated by single spaces, hyphens, dots or parentheses.
        let mut ends = Vec::new();
        let mut i = plus + 1;
        let mut digits = 0;
        while i < chars.len() && digits < 17 {
            if chars[i].is_ascii_digit() {
                digits += 1;
                i += 1;
                if !chars.get(i).is_some_and(char::is_ascii_digit) {
                    ends.push((i, digits));
                }
            } else if matches!(chars[i], ' ' | '-' | '.' | '(' | ')')
                && chars[i + 1..].iter().take(2).any(char::is_ascii_digit)
            {
                i += 1;
            } else {
                break;
            }
        }
        if let Some((end, e164)) = best_phone(&chars[plus..], &ends, plus) {
            blank(chars, plus..end);
            return Some(e164);
        }
    }
    None
}

/// The longest prefix of digit groups that is a valid number; else the whole run if it
/// parses; else `+` and its digits when there are between 8 and 15.
fn best_phone(
    from_plus: &[char],
    ends: &[(usize, usize)],
    offset: usize,
) -> Option<(usize, String)> {
    let candidate = |end: usize| -> String { from_plus[..end - offset].iter().collect() };
    let parsed = |end: usize| phonenumber::parse(None, candidate(end)).ok();
    for &(end, digits) in ends.iter().rev() {
        if (7..=15).contains(&digits)
            && let Some(number) = parsed(end)
            && phonenumber::is_valid(&number)
        {
            return Some((end, number.format().mode(Mode::E164).to_string()));
        }
    }
    let &(end, digits) = ends.iter().rev().find(|(_, digits)| *digits <= 15)?;
    if !(8..=15).contains(&digits) {
        return None;
    }
    let e164 = match parsed(end) {
        Some(number) => number.format().mode(Mode::E164).to_string(),
        None => {
            let digits: String = candidate(end)
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            format!("+{digits}")
        }
    };
    Some((end, e164))
}

/// Words after which a bare number is a booking reference ("reserva 55821", "booking number
/// 55821", "localizador 55821").
const BOOKING_WORDS: &[&str] = &[
    "reserva",
    "reservas",
    "reservacion",
    "booking",
    "reservation",
    "confirmacion",
    "confirmation",
    "confirmacao",
    "localizador",
    "codigo",
    "code",
    "ref",
    "referencia",
    "reference",
    "id",
];
/// Words that may stand between the booking word and the number.
const BOOKING_FILLER: &[&str] = &[
    "de",
    "la",
    "el",
    "es",
    "is",
    "number",
    "numero",
    "num",
    "nro",
    "no",
    "n",
    "nº",
    "mi",
    "my",
    "minha",
    "the",
    "do",
    "da",
    "a",
    "o",
    "su",
    "con",
    "with",
    "com",
    "reserva",
    "booking",
    "code",
    "codigo",
    "confirmacion",
    "confirmation",
    "id",
    "ref",
    "#",
    ":",
    "nr",
];

/// Whether `word` (folded) is one of `list`.
fn in_list(word: &str, list: &[&str]) -> bool {
    list.contains(&word)
}

/// The booking reference: a code such as `HTL-4835` (letters, an optional hyphen, three or
/// more digits), or a bare number of four or more digits right after a booking word.
pub(super) fn take_booking_id(chars: &mut [char]) -> Option<String> {
    // Codes have three digits or more, bare numbers four: most messages have neither.
    if chars.iter().filter(|c| c.is_ascii_digit()).count() < 3 {
        return None;
    }
    // Words with their char ranges, folded for comparison.
    let mut words: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphanumeric() || chars[i] == '#' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || (chars[i] == '-'
                        && i > start
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit))
                    || (chars[i] == '#' && i == start))
            {
                i += 1;
            }
            let word: String = chars[start..i]
                .iter()
                .map(|&c| crate::text::fold_char(c))
                .collect();
            words.push((word, start..i));
        } else {
            if chars[i] == ':' {
                words.push((":".into(), i..i + 1));
            }
            i += 1;
        }
    }
    for (index, (word, range)) in words.iter().enumerate() {
        let written: String = chars[range.clone()].iter().collect();
        if is_code(&written) {
            let range = range.clone();
            blank(chars, range);
            return Some(written);
        }
        let digits = word.trim_start_matches('#');
        let is_number = digits.len() >= 4 && digits.chars().all(|c| c.is_ascii_digit());
        if !is_number {
            continue;
        }
        // "número 7781" counts when the message speaks of a booking anywhere before.
        let hashed = word.starts_with('#')
            || (index > 0
                && in_list(
                    &words[index - 1].0,
                    &["numero", "number", "nro", "nº", "num"],
                )
                && words[..index]
                    .iter()
                    .any(|(w, _)| in_list(w, BOOKING_WORDS)));
        let mut back = index;
        let mut context = hashed;
        while back > 0 && index - back < 4 && !context {
            back -= 1;
            let before = &words[back].0;
            if in_list(before, BOOKING_WORDS) {
                context = true;
            } else if !in_list(before, BOOKING_FILLER) {
                break;
            }
        }
        if context {
            let written: String = chars[range.clone()].iter().collect();
            let range = range.clone();
            blank(chars, range);
            return Some(written.trim_start_matches('#').to_owned());
        }
    }
    None
}

/// Whether a written word is a booking code: 2 to 5 letters, an optional hyphen, 3 or more
/// digits (`HTL-4835`, `ABC12345`); the letters are upper case unless hyphenated.
fn is_code(written: &str) -> bool {
    let letters: String = written
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let rest = &written[letters.len()..];
    let (hyphen, digits) = match rest.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, rest),
    };
    (2..=5).contains(&letters.len())
        && digits.len() >= 3
        && digits.chars().all(|c| c.is_ascii_digit())
        && (hyphen || letters.chars().all(|c| c.is_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<T>(text: &str, take: fn(&mut [char]) -> Option<T>) -> (Option<T>, String) {
        let mut chars: Vec<char> = text.chars().collect();
        let found = take(&mut chars);
        (found, chars.into_iter().collect())
    }

    #[test]
    fn emails_are_taken_as_written() {
        assert_eq!(
            run("mi mail es Juan.Perez+hotel@gmail.com.", take_email),
            (
                Some("Juan.Perez+hotel@gmail.com".into()),
                "mi mail es                           .".into()
            )
        );
        assert_eq!(run("@ hola", take_email).0, None);
        assert_eq!(run("a@b", take_email).0, None);
    }

    #[test]
    fn phones_need_a_country_code() {
        assert_eq!(
            run("+54 9 11 4567-8901", take_phone).0.as_deref(),
            Some("+5491145678901")
        );
        assert_eq!(
            run("tel +55 (11) 91234-5678 ok", take_phone).0.as_deref(),
            Some("+5511912345678")
        );
        assert_eq!(run("11 4567-8901", take_phone).0, None);
        assert_eq!(run("+1 2", take_phone).0, None);
    }

    #[test]
    fn booking_codes_and_numbers_in_context() {
        assert_eq!(
            run("reserva HTL-4835", take_booking_id).0.as_deref(),
            Some("HTL-4835")
        );
        assert_eq!(
            run("booking number 55821", take_booking_id).0.as_deref(),
            Some("55821")
        );
        assert_eq!(
            run("reserva #55821", take_booking_id).0.as_deref(),
            Some("55821")
        );
        assert_eq!(run("room 3120 please", take_booking_id).0, None);
        assert_eq!(run("COVID-19", take_booking_id).0, None);
    }
}
