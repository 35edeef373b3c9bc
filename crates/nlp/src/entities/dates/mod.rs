//! The date grammar: what a message says about the stay's dates, resolved against the
//! reference date per the labelling conventions.
//!
//! Mentions are found first ([`mentions`]: "15/12", "15 de diciembre", "Dec 15th", "dia 15",
//! "mañana", "el finde", "next friday"...), then neighbouring mentions joined by "al" / "to" /
//! "a" / "-" become ranges, and the chosen mention or range is resolved ([`resolve`]).

use chrono::{Datelike, Days, NaiveDate, Weekday};
use hotel_domain::Language;

use super::lexicon;
use super::numbers::cardinal_at;
use super::tokens::{Kind, Token};

mod mentions;

use mentions::mentions;

/// What one mention says, before resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spec {
    /// A day of the month, with the month and year when written.
    Day {
        day: u32,
        month: Option<u32>,
        year: Option<i32>,
    },
    /// A date already known ("hoy", "mañana", the weekend's Friday).
    Fixed(NaiveDate),
    /// The first such weekday after the reference date (or after the range's start).
    Weekday(Weekday),
}

/// One date mention and where it stands in the tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mention {
    spec: Spec,
    start: usize,
    end: usize,
    /// Whether something marks a bare day number as a date ("el 15", "dia 15", "the 3rd").
    cued: bool,
}

/// A single date or a range (check-in, check-out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Single(Mention),
    Range(Mention, Mention),
}

/// The longest stay a range may describe; longer ones are misreadings ("del 17 al 15").
const MAX_NIGHTS: u64 = 60;

/// What the message says about the stay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Stay {
    pub check_in: Option<NaiveDate>,
    pub check_out: Option<NaiveDate>,
    pub nights: Option<u32>,
}

fn add_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

/// The first `weekday` strictly after `after`.
fn next_weekday(after: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - after.weekday().num_days_from_monday()) % 7;
    add_days(after, if ahead == 0 { 7 } else { u64::from(ahead) })
}

/// The weekend's Friday and Sunday: this weekend's, or the next one's when `next` is said on
/// a Friday to Sunday. On a Saturday, "este finde" starts today.
fn weekend(reference: NaiveDate, next: bool) -> (NaiveDate, NaiveDate) {
    let weekday = reference.weekday();
    let in_weekend = matches!(weekday, Weekday::Fri | Weekday::Sat | Weekday::Sun);
    let friday = match weekday {
        Weekday::Fri if !next => reference,
        Weekday::Sat if !next => reference,
        _ if next && in_weekend => {
            next_weekday(next_weekday(reference, Weekday::Sun), Weekday::Fri)
        }
        _ => next_weekday(reference, Weekday::Fri),
    };
    (friday, next_weekday(friday, Weekday::Sun))
}

/// How a single mention is meant: the stay's start, its end, or not the stay at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Start,
    End,
    NotTheStay,
}

fn role(tokens: &[Token], mention: &Mention) -> Role {
    let before: Vec<&Token> = tokens[..mention.start]
        .iter()
        .rev()
        .filter(|t| !t.is_any(lexicon::ROLE_FILLER))
        .take(2)
        .collect();
    let fixed = !matches!(mention.spec, Spec::Day { .. });
    let said = |words: &[&str]| before.iter().any(|t| t.is_any(words));
    if said(lexicon::FAREWELL) {
        return Role::NotTheStay;
    }
    if said(&["hasta", "ate", "until", "till"]) {
        // "hasta mañana" on its own is a farewell; "hasta el 17" ends the stay.
        return if fixed { Role::NotTheStay } else { Role::End };
    }
    let going = before
        .first()
        .is_some_and(|t| t.is_any(&["vamos", "voy", "vou", "vamo"]))
        && before.get(1).is_some_and(|t| t.is_any(&["nos", "me"]));
    if going || said(lexicon::DEPARTURE) || before.first().is_some_and(|t| t.is("out")) {
        return Role::End;
    }
    Role::Start
}

/// Resolves a day of the month to the first such date on or after `after` (strictly after
/// when `strict`); `None` when it cannot exist.
fn resolve_day(
    day: u32,
    month: Option<u32>,
    year: Option<i32>,
    after: NaiveDate,
    strict: bool,
) -> Option<NaiveDate> {
    let ok = |date: NaiveDate| if strict { date > after } else { date >= after };
    match (month, year) {
        (Some(month), Some(year)) => NaiveDate::from_ymd_opt(year, month, day),
        (Some(month), None) => (0..=4)
            .filter_map(|k| NaiveDate::from_ymd_opt(after.year() + k, month, day))
            .find(|&date| ok(date)),
        (None, _) => (0..=13)
            .filter_map(|k| {
                let index = after.month0() + k;
                NaiveDate::from_ymd_opt(
                    after.year() + i32::try_from(index / 12).unwrap_or(0),
                    index % 12 + 1,
                    day,
                )
            })
            .find(|&date| ok(date)),
    }
}

fn resolve_mention(mention: &Mention, after: NaiveDate, strict: bool) -> Option<NaiveDate> {
    match mention.spec {
        Spec::Day { day, month, year } => resolve_day(day, month, year, after, strict),
        Spec::Fixed(date) => Some(date),
        Spec::Weekday(weekday) => Some(next_weekday(after, weekday)),
    }
}

/// Resolves a range: the end is the first matching date after the start; a start without a
/// month takes the end's ("del 28 al 2 de enero" starts on 28 December).
fn resolve_range(
    first: &Mention,
    second: &Mention,
    reference: NaiveDate,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    if let (
        Spec::Day {
            day,
            month: None,
            year: None,
        },
        Spec::Day {
            day: end_day,
            month: Some(_),
            ..
        },
    ) = (first.spec, second.spec)
    {
        // The end is dated; the start is the same day number in its month, or the month
        // before when the day number is not smaller ("del 28 al 2 de enero").
        let check_out = resolve_mention(second, reference, false);
        let check_in = check_out.and_then(|end| {
            let (year, month) = match (day < end_day, end.month()) {
                (true, month) => (end.year(), month),
                (false, 1) => (end.year() - 1, 12),
                (false, month) => (end.year(), month - 1),
            };
            NaiveDate::from_ymd_opt(year, month, day)
        });
        return (check_in, check_out);
    }
    let check_in = resolve_mention(first, reference, false);
    let check_out = check_in.and_then(|start| match second.spec {
        Spec::Day {
            day,
            month,
            year: None,
        } => resolve_day(day, month, None, start, true),
        _ => resolve_mention(second, start, true),
    });
    (check_in, check_out)
}

/// "3 noches", "two nights", "duas diárias"; not "una noche más" or "2 o 3 noches".
fn nights(tokens: &[Token], language: Language) -> Option<u32> {
    (0..tokens.len()).find_map(|i| {
        let (n, len) = cardinal_at(tokens, i, language)?;
        let noun = i + len;
        let is_night = tokens.get(noun).is_some_and(|t| t.is_any(lexicon::NIGHTS));
        let more = tokens
            .get(noun + 1)
            .is_some_and(|t| t.is_any(lexicon::MORE))
            || i.checked_sub(1)
                .is_some_and(|j| tokens[j].is_any(lexicon::MORE))
            || i.checked_sub(1)
                .is_some_and(|j| tokens[j].is_any(&["o", "or", "ou"]));
        (is_night && !more && (1..=60).contains(&n)).then_some(n)
    })
}

/// Whether a word of the message begins with one of `stems`.
fn has_stem(tokens: &[Token], stems: &[&str]) -> bool {
    tokens.iter().any(|t| {
        // The first byte settles most stems before a full comparison.
        let first = t.text.as_bytes().first();
        t.kind == Kind::Word
            && stems
                .iter()
                .any(|stem| stem.as_bytes().first() == first && t.text.starts_with(stem))
    })
}

/// Whether the message asks to change dates, so the last range is the new one.
fn last_wins(tokens: &[Token]) -> bool {
    tokens.windows(2).any(|pair| {
        (pair[0].is_any(&["en", "em"]) && pair[1].is_any(&["vez", "lugar"]))
            || (pair[0].is("que") && pair[1].is("sea"))
            || (pair[0].is("ao") && pair[1].is("inves"))
    }) || tokens.iter().any(|t| {
        t.is_any(&[
            "instead",
            "cambiar",
            "cambialo",
            "change",
            "mover",
            "move",
            "mudar",
            "trocar",
            "pasar",
            "pasarla",
            "postpone",
            "adelantar",
            "atrasar",
            "reschedule",
        ])
    })
}

/// The stay's dates and nights in `tokens`, resolved against `reference`.
pub(super) fn stay(
    tokens: &[Token],
    language: Language,
    reference: NaiveDate,
    other_stay_signal: bool,
) -> Stay {
    let nights = nights(tokens, language);
    let stay_words = has_stem(tokens, lexicon::STAY_STEMS);
    // A "mañana" or "el viernes" is the stay's date unless the message is about something
    // else (paying, a problem, a call) and nothing in it speaks of a stay.
    let context = stay_words
        || other_stay_signal
        || nights.is_some()
        || !has_stem(tokens, lexicon::OTHER_STEMS);
    if has_stem(tokens, lexicon::RIDE_STEMS) && !stay_words {
        return Stay {
            nights,
            ..Stay::default()
        };
    }
    let items = mentions(tokens, language, reference);
    let mut ranges = items.iter().filter(|item| matches!(item, Item::Range(..)));
    let chosen_range = if last_wins(tokens) {
        ranges.next_back()
    } else {
        ranges.next()
    };
    let (mut check_in, mut check_out) = match chosen_range {
        Some(Item::Range(first, second)) => resolve_range(first, second, reference),
        _ => singles(tokens, &items, reference, context, last_wins(tokens)),
    };
    let too_long = match (check_in, check_out) {
        (Some(start), Some(end)) => end > add_days(start, MAX_NIGHTS),
        _ => false,
    };
    if too_long || check_in.is_some_and(|date| date < reference) {
        check_in = None;
        check_out = None;
    }
    if let (Some(start), Some(n), None) = (check_in, nights, check_out) {
        check_out = Some(add_days(start, u64::from(n)));
    }
    if check_out.is_some_and(|end| end < reference || check_in.is_some_and(|start| end <= start)) {
        check_out = None;
    }
    Stay {
        check_in,
        check_out,
        nights,
    }
}

/// Check-in and check-out from single mentions ("llego el 15 y me voy el 17").
fn singles(
    tokens: &[Token],
    items: &[Item],
    reference: NaiveDate,
    context: bool,
    last: bool,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for item in items {
        let Item::Single(mention) = item else {
            continue;
        };
        let relative = !matches!(mention.spec, Spec::Day { .. });
        let introduced = mention
            .start
            .checked_sub(1)
            .is_some_and(|j| tokens[j].is_any(lexicon::STAY_INTRODUCERS))
            || mention
                .start
                .checked_sub(2)
                .is_some_and(|j| tokens[j].is_any(lexicon::STAY_INTRODUCERS));
        if relative && !context && !introduced {
            continue;
        }
        match role(tokens, mention) {
            Role::Start => starts.push(*mention),
            Role::End => ends.push(*mention),
            Role::NotTheStay => {}
        }
    }
    let start = if last { starts.last() } else { starts.first() };
    let check_in = start.and_then(|m| resolve_mention(m, reference, false));
    let end = ends
        .iter()
        .find(|m| start.is_none_or(|s| m.start > s.start));
    let check_out =
        end.and_then(|m| resolve_mention(m, check_in.unwrap_or(reference), check_in.is_some()));
    (check_in, check_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weekends_by_reference_weekday() {
        // 2026-11-25 is a Wednesday.
        assert_eq!(
            weekend(date(2026, 11, 25), false),
            (date(2026, 11, 27), date(2026, 11, 29))
        );
        assert_eq!(
            weekend(date(2026, 11, 27), false),
            (date(2026, 11, 27), date(2026, 11, 29))
        );
        assert_eq!(
            weekend(date(2026, 11, 28), false),
            (date(2026, 11, 28), date(2026, 11, 29))
        );
        assert_eq!(
            weekend(date(2026, 11, 29), false),
            (date(2026, 12, 4), date(2026, 12, 6))
        );
        assert_eq!(
            weekend(date(2026, 11, 28), true),
            (date(2026, 12, 4), date(2026, 12, 6))
        );
    }

    #[test]
    fn days_resolve_forward() {
        let reference = date(2026, 11, 25);
        assert_eq!(
            resolve_day(30, None, None, reference, false),
            Some(date(2026, 11, 30))
        );
        assert_eq!(
            resolve_day(31, None, None, reference, false),
            Some(date(2026, 12, 31))
        );
        assert_eq!(
            resolve_day(3, None, None, reference, false),
            Some(date(2026, 12, 3))
        );
        assert_eq!(
            resolve_day(10, Some(1), None, reference, false),
            Some(date(2027, 1, 10))
        );
        assert_eq!(
            resolve_day(29, Some(2), None, reference, false),
            Some(date(2028, 2, 29))
        );
        assert_eq!(resolve_day(31, Some(2), None, reference, false), None);
    }
}
