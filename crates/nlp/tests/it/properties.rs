//! Properties of the whole parse (language, intent, confidence and entities) on arbitrary text
//! and contexts: no panics, a well-formed result, consistent dates. Entity extraction alone has
//! its own properties in `entities/properties.rs`.

use chrono::{Days, NaiveDate};
use hotel_domain::Language;
use hotel_nlp::{Nlu, NluContext, NluResult};
use proptest::prelude::*;

use crate::nlu;

fn language() -> impl Strategy<Value = Language> {
    prop::sample::select(Language::ALL.to_vec())
}

fn reference() -> impl Strategy<Value = NaiveDate> {
    (0u64..3_000).prop_map(|offset| {
        NaiveDate::from_ymd_opt(2024, 1, 1)
            .and_then(|start| start.checked_add_days(Days::new(offset)))
            .expect("dates in range")
    })
}

/// Any context: a reference date, maybe a conversation language, maybe a forced one, maybe a
/// pending question.
fn any_context() -> impl Strategy<Value = NluContext> {
    (
        reference(),
        prop::option::of(language()),
        prop::option::of(language()),
        prop::option::of(prop::sample::select(vec![
            "confirm_booking",
            "check_availability",
            "ask_dates",
            "",
        ])),
    )
        .prop_map(|(date, conversation, forced, question)| {
            NluContext::new(date)
                .with_conversation_language(conversation)
                .with_forced_language(forced)
                .with_last_question(question.map(str::to_owned))
        })
}

/// Pieces that stress text handling: control and invisible characters, right-to-left text and
/// marks, emoji sequences (ZWJ families, flags, skin tones, keycaps), combining marks, odd
/// digits, and words of the grammar so the entity rules run on the rest.
fn hostile_piece() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "\0",
        "\u{7}",
        "\t",
        "\r\n",
        "\u{1b}[31m",
        "\u{7f}",
        "\u{85}",
        "\u{200b}",
        "\u{feff}",
        "\u{2028}",
        "\u{202e}",
        "\u{200f}",
        "\u{2067}",
        "\u{2069}",
        "مرحبا، هل لديكم غرفة؟",
        "שלום, יש חדר פנוי?",
        "١٥/١٢",
        "١٥",
        "👨\u{200d}👩\u{200d}👧\u{200d}👦",
        "🇦🇷🇧🇷",
        "👋🏽",
        "1\u{fe0f}\u{20e3}",
        "\u{fe0f}",
        "\u{200d}",
        "🏳\u{fe0f}\u{200d}🌈",
        "e\u{301}\u{301}\u{301}",
        "ﬁ",
        "İ",
        "ß",
        "𝟏𝟓/𝟏𝟐",
        "¿¡",
        "hola",
        "reserva",
        "del 15 al 17",
        "15-17/12",
        "29/2",
        "31/12/2099",
        "mañana",
        "pasado mañana",
        "el finde",
        "next friday",
        "sexta que vem",
        "3 noches desde el lunes",
        "for 2 nights",
        "somos 4",
        "2 adultos y un nene",
        "HTL-4821",
        "+54 9 11 4567-8901",
        "a@b.co",
        "sí",
        "no",
        "obrigado",
        "99999999999999999999",
        "0",
        "-",
        "/",
    ]);
    prop_oneof![
        3 => special.prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
        1 => any::<String>(),
    ]
}

/// Messages made of hostile pieces, with or without spaces between them.
fn hostile_text() -> impl Strategy<Value = String> {
    let separator = prop::sample::select(vec!["", " ", ", ", "\n", "\u{a0}"]);
    prop::collection::vec((hostile_piece(), separator), 0..24).prop_map(|pieces| {
        pieces
            .into_iter()
            .flat_map(|(piece, separator)| [piece, separator.to_owned()])
            .collect()
    })
}

/// Long messages: a piece repeated hundreds of times (a few thousand characters).
fn long_text() -> impl Strategy<Value = String> {
    (hostile_text(), 100usize..400).prop_map(|(text, times)| {
        let unit = if text.is_empty() {
            "a ".to_owned()
        } else {
            text
        };
        let mut long = unit.repeat(times);
        long.truncate(
            long.char_indices()
                .nth(6_000)
                .map_or(long.len(), |(at, _)| at),
        );
        long
    })
}

/// Everything `parse` promises, whatever the input.
fn assert_well_formed(text: &str, context: &NluContext, result: &NluResult) {
    assert!(
        result.confidence.is_finite() && (0.0..=1.0).contains(&result.confidence),
        "{text:?}: confidence {}",
        result.confidence
    );
    assert!(
        Language::ALL.contains(&result.language),
        "{text:?}: language {:?}",
        result.language
    );
    if let Some(forced) = context.forced_language {
        assert_eq!(result.language, forced, "{text:?}: forced language ignored");
    }
    let reference = context.reference_date;
    let entities = &result.entities;
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
                "{text:?}: check_out {check_out} on or before check_in {check_in}"
            );
        }
    }
    // The JSON of the interface contract: a language code of the three, and it reads back.
    let json = serde_json::to_value(result).expect("a result serialises");
    assert!(
        matches!(json["language"].as_str(), Some("es" | "en" | "pt")),
        "{text:?}: {json}"
    );
    let back: NluResult = serde_json::from_value(json).expect("the JSON reads back");
    assert_eq!(&back, result, "{text:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_unicode_parses_to_a_well_formed_result(
        text in any::<String>(),
        context in any_context(),
    ) {
        let result = nlu().parse_now(&text, &context);
        assert_well_formed(&text, &context, &result);
    }

    #[test]
    fn hostile_text_parses_to_a_well_formed_result_deterministically(
        text in hostile_text(),
        context in any_context(),
    ) {
        let result = nlu().parse_now(&text, &context);
        assert_well_formed(&text, &context, &result);
        prop_assert_eq!(nlu().parse_now(&text, &context), result);
    }

    #[test]
    fn the_forced_language_is_respected(
        text in hostile_text(),
        forced in language(),
        conversation in prop::option::of(language()),
        date in reference(),
    ) {
        let context = NluContext::new(date)
            .with_conversation_language(conversation)
            .with_forced_language(Some(forced));
        prop_assert_eq!(nlu().parse_now(&text, &context).language, forced);
    }
}

proptest! {
    // Long messages are slow in a debug build: a few cases.
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn long_messages_parse_to_a_well_formed_result(
        text in long_text(),
        context in any_context(),
    ) {
        let result = nlu().parse_now(&text, &context);
        assert_well_formed(&text, &context, &result);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The trait's `parse` is `parse_now`, and never fails.
    #[test]
    fn the_trait_parse_agrees_and_never_fails(
        text in hostile_text(),
        context in any_context(),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        let result = runtime
            .block_on(nlu().parse(&text, &context))
            .expect("the built-in NLU never fails");
        assert_well_formed(&text, &context, &result);
        prop_assert_eq!(result, nlu().parse_now(&text, &context));
    }
}

#[test]
fn extreme_reference_dates_do_not_break_the_parse() {
    for date in [NaiveDate::MIN, NaiveDate::MAX] {
        for text in [
            "hola, tienen lugar del 15 al 17?",
            "next friday for 3 nights, 2 adults",
            "mañana",
            "sexta que vem até domingo",
        ] {
            let context = NluContext::new(date);
            let result = nlu().parse_now(text, &context);
            assert_well_formed(text, &context, &result);
        }
    }
}
