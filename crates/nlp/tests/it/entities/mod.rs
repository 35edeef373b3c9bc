//! Entity extraction per the labelling conventions of `nlu-schema.md`: tables of messages in
//! each language with the entities they must yield, and property tests.

mod english;
mod portuguese;
mod properties;
mod spanish;

use chrono::NaiveDate;
use hotel_domain::Language;
use hotel_nlp::extract_entities;

/// A Wednesday: "mañana" is Thursday 26, the weekend is 27–29 November.
pub(crate) const WEDNESDAY: &str = "2026-11-25";
/// A Saturday, where "next Friday" is unambiguous (4 December).
pub(crate) const SATURDAY: &str = "2026-11-28";

/// Extracts from every `(text, expected JSON)` row against `reference` and fails with the
/// list of all rows that differ.
pub(crate) fn check_table(language: Language, reference: &str, rows: &[(&str, &str)]) {
    let reference: NaiveDate = reference.parse().expect("valid reference date");
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|(text, expected)| {
            let got = serde_json::to_value(extract_entities(text, language, reference))
                .expect("entities serialise");
            let want: serde_json::Value =
                serde_json::from_str(expected).expect("expected JSON parses");
            (got != want).then(|| format!("{text:?}\n    want {want}\n     got {got}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows differ (reference {reference}):\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
