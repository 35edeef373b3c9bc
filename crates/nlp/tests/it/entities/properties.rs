//! Properties of extraction on arbitrary text: no panics, consistent dates.

use chrono::{Days, NaiveDate};
use hotel_domain::Language;
use hotel_nlp::extract_entities;
use proptest::prelude::*;

fn language() -> impl Strategy<Value = Language> {
    prop_oneof![Just(Language::Es), Just(Language::En), Just(Language::Pt)]
}

fn reference() -> impl Strategy<Value = NaiveDate> {
    (0u64..3_000).prop_map(|offset| {
        NaiveDate::from_ymd_opt(2024, 1, 1)
            .and_then(|start| start.checked_add_days(Days::new(offset)))
            .expect("dates in range")
    })
}

/// Messages built from the grammar's own words, to reach deep into it.
fn guest_like() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "del",
        "al",
        "el",
        "15",
        "17",
        "31",
        "29/2",
        "30/02",
        "15-17/12",
        "1/13",
        "de",
        "diciembre",
        "febrero",
        "enero",
        "dec",
        "the",
        "3rd",
        "to",
        "from",
        "entre",
        "y",
        "and",
        "mañana",
        "pasado",
        "hoy",
        "finde",
        "fin",
        "semana",
        "next",
        "friday",
        "sexta",
        "que",
        "vem",
        "viene",
        "noches",
        "nights",
        "3",
        "dos",
        "two",
        "para",
        "for",
        "somos",
        "adultos",
        "niños",
        "kids",
        "con",
        "mi",
        "novia",
        "doble",
        "twin",
        "camas",
        "hasta",
        "until",
        "reserva",
        "55821",
        "HTL-4835",
        "+54",
        "9",
        "11",
        "4567-8901",
        "a@b.co",
        "dia",
        "30",
        "2026",
        "2099",
        "12/25",
        "0",
        "99999999999",
        "-",
        "/",
        ",",
        "🙂",
        "ñ",
        "ão",
    ]);
    prop::collection::vec(words, 0..14).prop_map(|words| words.join(" "))
}

fn assert_consistent(text: &str, language: Language, reference: NaiveDate) {
    let entities = extract_entities(text, language, reference);
    if let Some(check_in) = entities.check_in {
        assert!(
            check_in >= reference,
            "{text:?}: check_in {check_in} before {reference}"
        );
    }
    if let Some(check_out) = entities.check_out {
        assert!(
            check_out >= reference,
            "{text:?}: check_out {check_out} before {reference}"
        );
        if let Some(check_in) = entities.check_in {
            assert!(
                check_out > check_in,
                "{text:?}: check_out {check_out} <= {check_in}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_unicode_never_panics_nor_dates_the_past(
        text in any::<String>(),
        language in language(),
        reference in reference(),
    ) {
        assert_consistent(&text, language, reference);
    }

    #[test]
    fn guest_like_messages_stay_consistent(
        text in guest_like(),
        language in language(),
        reference in reference(),
    ) {
        assert_consistent(&text, language, reference);
    }
}

#[test]
fn extreme_references_do_not_overflow() {
    for reference in [NaiveDate::MIN, NaiveDate::MAX] {
        for text in [
            "mañana",
            "del 15 al 17",
            "el finde",
            "next friday for 3 nights",
            "15/12",
        ] {
            assert_consistent(text, Language::Es, reference);
        }
    }
}
