//! Labelled messages in the JSON Lines format of `nlu-schema.md`: one object a line with
//! `text`, `lang`, `reference_date`, `intent` and `entities`.

use chrono::NaiveDate;
use hotel_domain::Language;
use serde::{Deserialize, Serialize};

use crate::{Entities, Intent, NlpError, Result};

/// One labelled message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelledExample {
    /// The guest's message.
    pub text: String,
    /// The language it is written in.
    pub lang: Language,
    /// The message's date in the hotel's time zone.
    pub reference_date: NaiveDate,
    /// What the guest wants.
    pub intent: Intent,
    /// What the message states.
    #[serde(default)]
    pub entities: Entities,
}

/// Reads a JSON Lines document of labelled messages; blank lines are skipped.
///
/// # Errors
/// [`NlpError::InvalidLabelledLine`] naming the first line (1-based) that is not a labelled
/// message.
pub fn parse_labelled(jsonl: &str) -> Result<Vec<LabelledExample>> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| NlpError::InvalidLabelledLine {
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_and_names_the_bad_one() {
        let good = r#"{"text":"hola","lang":"es","reference_date":"2026-11-20","intent":"greeting","entities":{}}

{"text":"2 nights","lang":"en","reference_date":"2026-11-20","intent":"make_reservation","entities":{"nights":2}}"#;
        let examples = parse_labelled(good).unwrap();
        assert_eq!(examples.len(), 2);
        assert_eq!(examples[1].entities.nights, Some(2));
        let bad = format!("{good}\n{{\"text\":\"x\",\"lang\":\"fr\"}}");
        match parse_labelled(&bad) {
            Err(NlpError::InvalidLabelledLine { line, .. }) => assert_eq!(line, 4),
            other => panic!("expected a bad line, got {other:?}"),
        }
    }
}
