//! Finding date mentions in tokens ("15/12", "15 de diciembre", "Dec 15th", "dia 15",
//! "mañana", "el finde", "next friday") and joining neighbours into ranges.

use chrono::{NaiveDate, Weekday};
use hotel_domain::Language;

use super::super::lexicon::{self, WEEKDAYS};
use super::super::numbers::{cardinal_at, ordinal_at};
use super::super::tokens::{Kind, Token};
use super::{Item, Mention, Spec, add_days, weekend};

fn month_at(tokens: &[Token], i: usize, month_first: bool) -> Option<u32> {
    let token = tokens.get(i)?;
    if token.kind != Kind::Word {
        return None;
    }
    if month_first && token.text == "may" && !token.raw.starts_with('M') {
        return None;
    }
    lexicon::month(&token.text, month_first)
}

fn weekday_at(tokens: &[Token], i: usize) -> Option<Weekday> {
    let token = tokens.get(i)?;
    let (weekday, ambiguous) = WEEKDAYS
        .iter()
        .find(|(word, _, _)| token.is(word))
        .map(|&(_, weekday, ambiguous)| (weekday, ambiguous))
        .or_else(|| lexicon::fuzzy_weekday(&token.text).map(|w| (w, false)))?;
    if !ambiguous {
        return Some(weekday);
    }
    // "segunda", "quarta", "quinta" are also ordinals: ask for "-feira" or a cue.
    let feira = tokens
        .get(i + 1)
        .is_some_and(|t| t.is_any(&["feira", "que"]));
    let cued = i
        .checked_sub(1)
        .and_then(|j| tokens.get(j))
        .is_some_and(|t| {
            t.is_any(&[
                "na", "nesta", "nessa", "esta", "essa", "proxima", "ate", "partir", "de", "desde",
                "el", "este", "next", "this", "on",
            ])
        });
    (feira || cued).then_some(weekday)
}

/// Relative mentions at `i`: "hoy", "mañana", "pasado mañana", "el finde", weekdays.
fn relative_at(tokens: &[Token], i: usize, reference: NaiveDate) -> Option<(Item, usize)> {
    let at = |j: usize, words: &[&str]| tokens.get(j).is_some_and(|t| t.is_any(words));
    let single = |date: NaiveDate, len: usize| {
        let mention = Mention {
            spec: Spec::Fixed(date),
            start: i,
            end: i + len,
            cued: true,
        };
        Some((Item::Single(mention), i + len))
    };
    if at(i, &["pasado", "pasadito"]) && at(i + 1, lexicon::TOMORROW) {
        return single(add_days(reference, 2), 2);
    }
    if at(i, &["depois", "dps"]) && at(i + 1, &["de"]) && at(i + 2, lexicon::TOMORROW) {
        return single(add_days(reference, 2), 3);
    }
    if at(i, &["day"]) && at(i + 1, &["after"]) && at(i + 2, lexicon::TOMORROW) {
        return single(add_days(reference, 2), 3);
    }
    if at(i, lexicon::TOMORROW) {
        // "por la mañana", "esta mañana": the morning, not tomorrow.
        let morning = i
            .checked_sub(1)
            .is_some_and(|j| at(j, &["la", "esta", "cada", "toda", "las", "this"]));
        return if morning {
            None
        } else {
            single(add_days(reference, 1), 1)
        };
    }
    if at(
        i,
        &["hoy", "today", "hoje", "hj", "tonight", "tonite", "2day"],
    ) {
        return single(reference, 1);
    }
    if at(i, &["esta", "this"]) && at(i + 1, &["noche", "night"]) {
        return single(reference, 2);
    }
    // The weekend.
    let weekend_len = if at(i, &["finde", "findesemana", "weekend", "fds", "finds"]) {
        Some(1)
    } else if at(i, &["fin", "fim"]) && at(i + 1, &["de"]) && at(i + 2, &["semana", "semaa"]) {
        Some(3)
    } else if (at(i, &["fin"]) && at(i + 1, &["de"])) || (at(i, &["week"]) && at(i + 1, &["end"])) {
        Some(2)
    } else {
        None
    };
    if let Some(len) = weekend_len {
        let end = i + len;
        let next = i
            .checked_sub(1)
            .is_some_and(|j| at(j, &["next", "proximo", "proxima"]))
            || (at(end, &["que"]) && at(end + 1, &["viene", "vem"]))
            || at(end, &["proximo", "proxima"]);
        let (friday, sunday) = weekend(reference, next);
        let first = Mention {
            spec: Spec::Fixed(friday),
            start: i,
            end,
            cued: true,
        };
        let second = Mention {
            spec: Spec::Fixed(sunday),
            ..first
        };
        return Some((Item::Range(first, second), end));
    }
    let weekday = weekday_at(tokens, i)?;
    let len = if at(i + 1, &["feira"]) { 2 } else { 1 };
    let mention = Mention {
        spec: Spec::Weekday(weekday),
        start: i,
        end: i + len,
        cued: true,
    };
    Some((Item::Single(mention), i + len))
}

/// A year after a month: "de 2026", ", 2026", "2026".
fn year_at(tokens: &[Token], i: usize) -> Option<(i32, usize)> {
    let skip = usize::from(
        tokens
            .get(i)
            .is_some_and(|t| t.is_any(&["de", "of", "del"]) || t.is_punct(',')),
    );
    let year = tokens.get(i + skip)?.number()?;
    (2000..=2100)
        .contains(&year)
        .then(|| (i32::try_from(year).unwrap_or(2000), i + skip + 1))
}

fn is_day(n: u32) -> bool {
    (1..=31).contains(&n)
}

fn day_mention(
    day: u32,
    month: Option<u32>,
    year: Option<i32>,
    start: usize,
    end: usize,
    cued: bool,
) -> Mention {
    Mention {
        spec: Spec::Day { day, month, year },
        start,
        end,
        cued,
    }
}

/// Whether the token after a number makes it something other than a date
/// ("2 personas", "3 noches", "2 of us", "3rd floor").
fn not_a_date_after(tokens: &[Token], i: usize) -> bool {
    tokens.get(i).is_some_and(|t| {
        t.is_any(lexicon::NOT_DATE_AFTER)
            || t.kind == Kind::Time
            || (t.is("of") && tokens.get(i + 1).is_some_and(|u| u.is("us")))
    })
}

/// "15/12", "15-12", "15/12/2026", "15-17/12", "15/12-17/12", "3-6 dec", "dec 3-6".
fn compound_at(tokens: &[Token], i: usize, language: Language) -> Option<(Item, usize)> {
    let Kind::Compound(numbers, separators) = &tokens.get(i)?.kind else {
        return None;
    };
    if not_a_date_after(tokens, i + 1) {
        return None;
    }
    let cued = i
        .checked_sub(1)
        .is_some_and(|j| tokens[j].is_any(lexicon::DAY_CUES));
    let month_before = i.checked_sub(1).and_then(|j| month_at(tokens, j, true));
    let de = usize::from(tokens.get(i + 1).is_some_and(|t| t.is_any(&["de", "of"])));
    let month_after = month_at(tokens, i + 1 + de, false);
    let month = |m: u32| (1..=12).contains(&m);
    let mention = |day, month, year| day_mention(day, month, year, i, i + 1, true);
    let year = |y: u32| match y {
        0..=99 => Some(2000 + i32::try_from(y).unwrap_or(0)),
        2000..=2100 => i32::try_from(y).ok(),
        _ => None,
    };
    let item = match (numbers.as_slice(), separators.as_slice()) {
        // "3-6 dec", "dec 3-6", "15-17" after "del".
        ([a, b], ['-'])
            if is_day(*a)
                && is_day(*b)
                && a < b
                && (month_before.or(month_after).is_some() || (cued && *b > 12)) =>
        {
            let m = month_before.or(month_after);
            let first = mention(*a, m, None);
            let end = if month_after.is_some() {
                i + 2 + de
            } else {
                i + 1
            };
            return Some((
                Item::Range(
                    first,
                    Mention {
                        end,
                        ..mention(*b, m, None)
                    },
                ),
                end,
            ));
        }
        ([d, m], _) if is_day(*d) && month(*m) => Item::Single(mention(*d, Some(*m), None)),
        // Month first only where day first cannot be meant ("12/25" in English).
        ([m, d], ['/']) if language == Language::En && month(*m) && is_day(*d) => {
            Item::Single(mention(*d, Some(*m), None))
        }
        ([d, m, y], [_, _]) if is_day(*d) && month(*m) && year(*y).is_some() => {
            Item::Single(mention(*d, Some(*m), year(*y)))
        }
        ([a, b, m], ['-', '/' | '.']) if is_day(*a) && is_day(*b) && month(*m) => {
            Item::Range(mention(*a, Some(*m), None), mention(*b, Some(*m), None))
        }
        ([d1, m1, d2, m2], [_, '-', _])
            if is_day(*d1) && month(*m1) && is_day(*d2) && month(*m2) =>
        {
            Item::Range(mention(*d1, Some(*m1), None), mention(*d2, Some(*m2), None))
        }
        _ => return None,
    };
    Some((item, i + 1))
}

/// "15 de diciembre", "15th of December", "quince de diciembre", "1ro de enero", "15 dez 2026".
fn day_first_at(tokens: &[Token], i: usize, language: Language) -> Option<(Item, usize)> {
    let (day, len) = ordinal_at(tokens, i).or_else(|| cardinal_at(tokens, i, language))?;
    if !is_day(day) {
        return None;
    }
    let mut j = i + len;
    if tokens
        .get(j)
        .is_some_and(|t| t.is_any(&["de", "of", "del"]))
    {
        j += 1;
    }
    let month = month_at(tokens, j, false)?;
    let (year, end) = match year_at(tokens, j + 1) {
        Some((year, end)) => (Some(year), end),
        None => (None, j + 1),
    };
    Some((
        Item::Single(day_mention(day, Some(month), year, i, end, true)),
        end,
    ))
}

/// "December 15", "Dec 15th", "diciembre 15", "December the 3rd, 2026".
fn month_first_at(tokens: &[Token], i: usize) -> Option<(Item, usize)> {
    let month = month_at(tokens, i, true)?;
    let mut j = i + 1;
    if tokens.get(j).is_some_and(|t| t.is("the")) {
        j += 1;
    }
    let (day, len) =
        ordinal_at(tokens, j).or_else(|| tokens.get(j).and_then(Token::number).map(|n| (n, 1)))?;
    if !is_day(day) || not_a_date_after(tokens, j + len) {
        return None;
    }
    let (year, end) = match year_at(tokens, j + len) {
        Some((year, end)) => (Some(year), end),
        None => (None, j + len),
    };
    Some((
        Item::Single(day_mention(day, Some(month), year, i, end, true)),
        end,
    ))
}

/// A bare day: "el 15", "dia 30", "the 3rd", or "15" in "15 al 17".
fn day_only_at(tokens: &[Token], i: usize) -> Option<(Item, usize)> {
    let token = tokens.get(i)?;
    let (day, ordinal) = match token.kind {
        Kind::Number(n) => (n, false),
        Kind::Ordinal(n) => (n, true),
        _ => return None,
    };
    if !is_day(day) || not_a_date_after(tokens, i + 1) {
        return None;
    }
    let before =
        |back: usize, words: &[&str]| i.checked_sub(back).is_some_and(|j| tokens[j].is_any(words));
    let cued = before(1, lexicon::DAY_CUES) || (ordinal && before(1, lexicon::WEAK_DAY_CUES));
    Some((
        Item::Single(day_mention(day, None, None, i, i + 1, cued)),
        i + 1,
    ))
}

/// Every date mention, in order, with neighbouring ones joined into ranges.
pub(super) fn mentions(tokens: &[Token], language: Language, reference: NaiveDate) -> Vec<Item> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let item = relative_at(tokens, i, reference)
            .or_else(|| compound_at(tokens, i, language))
            .or_else(|| month_first_at(tokens, i))
            .or_else(|| day_first_at(tokens, i, language))
            .or_else(|| day_only_at(tokens, i));
        match item {
            Some((item, next)) => {
                found.push(item);
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    join_ranges(tokens, found)
}

/// Whether the tokens between two mentions join them into a range.
fn joined(tokens: &[Token], first: &Mention, second: &Mention) -> bool {
    let between = &tokens[first.end..second.start];
    let entre = (1..=3)
        .filter_map(|back| first.start.checked_sub(back))
        .any(|j| tokens[j].is_any(&["entre", "between"]));
    let is_connector = |t: &Token| {
        t.is_any(lexicon::RANGE_CONNECTORS)
            || t.is_punct('-')
            || (entre && t.is_any(&["y", "and", "e"]))
    };
    !between.is_empty()
        && between.iter().any(is_connector)
        && between
            .iter()
            .all(|t| is_connector(t) || t.is_any(lexicon::RANGE_FILLER))
}

/// Whether a range of bare days stands on its own ("del 15 al 17"), unlike "de 10 a 12" (hours).
fn range_is_dated(tokens: &[Token], first: &Mention, second: &Mention) -> bool {
    let bare = |m: &Mention| matches!(m.spec, Spec::Day { month: None, .. });
    let strong_connector = tokens[first.end..second.start].iter().any(|t| {
        t.is_any(&[
            "al", "ao", "until", "till", "through", "thru", "hasta", "ate",
        ])
    });
    !(bare(first) && bare(second)) || first.cued || second.cued || strong_connector
}

fn join_ranges(tokens: &[Token], items: Vec<Item>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut items = items.into_iter().peekable();
    while let Some(item) = items.next() {
        if let (Item::Single(first), Some(Item::Single(second))) = (item, items.peek()) {
            let second = *second;
            if joined(tokens, &first, &second) && range_is_dated(tokens, &first, &second) {
                out.push(Item::Range(first, second));
                items.next();
                continue;
            }
        }
        out.push(item);
    }
    // A bare day needs a cue unless it opens or closes a range.
    out.retain(|item| match item {
        Item::Single(m) => m.cued,
        Item::Range(..) => true,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::super::super::tokens::tokenise;
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn mentions_join_into_ranges() {
        let reference = date(2026, 11, 25);
        let items = mentions(&tokenise("del 15 al 17"), Language::Es, reference);
        assert!(matches!(items.as_slice(), [Item::Range(..)]));
        let items = mentions(&tokenise("de 10 a 12"), Language::Es, reference);
        assert!(items.is_empty());
    }
}
