//! Scores an NLU on labelled messages: intent accuracy and macro-F1 (overall and per language),
//! per-intent precision/recall/F1, the confusions, language accuracy, and entity
//! precision/recall/F1 where an entity counts only when its key and value both match exactly.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use hotel_domain::Language;
use serde::Serialize;

use crate::labelled::LabelledExample;
use crate::{Entities, Intent, Nlu, NluContext, Result};

/// Exact-match counts of entities (a key with its value).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EntityScores {
    /// Predicted entities equal to a labelled one.
    pub true_positives: usize,
    /// Predicted entities not labelled (or with another value).
    pub false_positives: usize,
    /// Labelled entities not predicted with that value.
    pub false_negatives: usize,
}

impl EntityScores {
    /// TP / (TP + FP); 1 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// TP / (TP + FN); 1 when nothing was labelled.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        harmonic(self.precision(), self.recall())
    }

    fn add(&mut self, other: EntityScores) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

/// The scores of one language's messages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageScores {
    /// The labelled language.
    pub language: Language,
    /// How many messages.
    pub examples: usize,
    /// Share of messages with the right intent.
    pub intent_accuracy: f64,
    /// Mean F1 over the intents labelled or predicted in this language.
    pub macro_f1: f64,
    /// Entity counts.
    pub entities: EntityScores,
}

/// The scores of one intent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntentScores {
    /// The intent.
    pub intent: Intent,
    /// How many messages carry it as label.
    pub support: usize,
    /// Share of its predictions that were right.
    pub precision: f64,
    /// Share of its messages found.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

/// How often one intent was taken for another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// The label.
    pub expected: Intent,
    /// What the NLU said.
    pub predicted: Intent,
    /// How many times.
    pub count: usize,
}

/// The outcome of [`evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// How many messages.
    pub examples: usize,
    /// Share of messages with the right intent.
    pub intent_accuracy: f64,
    /// Mean F1 over every intent labelled or predicted.
    pub macro_f1: f64,
    /// Share of messages whose language was identified as labelled.
    pub language_accuracy: f64,
    /// Scores per labelled language.
    pub per_language: Vec<LanguageScores>,
    /// Scores per intent, in the order of [`Intent::ALL`] (only intents seen).
    pub per_intent: Vec<IntentScores>,
    /// The mistakes, most frequent first.
    pub confusions: Vec<Confusion>,
    /// Entity counts over all messages.
    pub entities: EntityScores,
}

/// One scored message.
struct Outcome {
    language: Language,
    expected: Intent,
    predicted: Intent,
    language_right: bool,
    entities: EntityScores,
}

/// Parses every message with `nlu` (with its reference date, the language left to the NLU)
/// and scores the answers against the labels.
///
/// # Errors
/// Whatever the NLU's `parse` returns (the built-in one never fails).
pub async fn evaluate(nlu: &dyn Nlu, examples: &[LabelledExample]) -> Result<EvalReport> {
    let mut outcomes = Vec::with_capacity(examples.len());
    for example in examples {
        let result = nlu
            .parse(&example.text, &NluContext::new(example.reference_date))
            .await?;
        outcomes.push(Outcome {
            language: example.lang,
            expected: example.intent,
            predicted: result.intent,
            language_right: result.language == example.lang,
            entities: compare_entities(&example.entities, &result.entities),
        });
    }
    Ok(report(&outcomes))
}

fn report(outcomes: &[Outcome]) -> EvalReport {
    let all: Vec<&Outcome> = outcomes.iter().collect();
    let per_language = Language::ALL
        .into_iter()
        .filter_map(|language| {
            let subset: Vec<&Outcome> =
                outcomes.iter().filter(|o| o.language == language).collect();
            (!subset.is_empty()).then(|| LanguageScores {
                language,
                examples: subset.len(),
                intent_accuracy: accuracy(&subset),
                macro_f1: macro_f1(&subset),
                entities: entity_totals(&subset),
            })
        })
        .collect();
    let mut confusion: BTreeMap<(Intent, Intent), usize> = BTreeMap::new();
    for o in outcomes.iter().filter(|o| o.expected != o.predicted) {
        *confusion.entry((o.expected, o.predicted)).or_default() += 1;
    }
    let mut confusions: Vec<Confusion> = confusion
        .into_iter()
        .map(|((expected, predicted), count)| Confusion {
            expected,
            predicted,
            count,
        })
        .collect();
    confusions.sort_by_key(|c| std::cmp::Reverse(c.count));
    EvalReport {
        examples: outcomes.len(),
        intent_accuracy: accuracy(&all),
        macro_f1: macro_f1(&all),
        language_accuracy: ratio(
            outcomes.iter().filter(|o| o.language_right).count(),
            outcomes.len(),
        ),
        per_language,
        per_intent: seen_intents(&all)
            .into_iter()
            .map(|intent| intent_scores(&all, intent))
            .collect(),
        confusions,
        entities: entity_totals(&all),
    }
}

/// `part / whole`, or 1 when `whole` is 0.
#[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn harmonic(a: f64, b: f64) -> f64 {
    if a + b > 0.0 {
        2.0 * a * b / (a + b)
    } else {
        0.0
    }
}

fn accuracy(outcomes: &[&Outcome]) -> f64 {
    ratio(
        outcomes
            .iter()
            .filter(|o| o.expected == o.predicted)
            .count(),
        outcomes.len(),
    )
}

fn seen_intents(outcomes: &[&Outcome]) -> BTreeSet<Intent> {
    outcomes
        .iter()
        .flat_map(|o| [o.expected, o.predicted])
        .collect()
}

fn intent_scores(outcomes: &[&Outcome], intent: Intent) -> IntentScores {
    let support = outcomes.iter().filter(|o| o.expected == intent).count();
    let predicted = outcomes.iter().filter(|o| o.predicted == intent).count();
    let right = outcomes
        .iter()
        .filter(|o| o.expected == intent && o.predicted == intent)
        .count();
    // An intent never predicted has precision 0 (as scikit-learn counts it), not 1.
    let precision = if predicted == 0 {
        0.0
    } else {
        ratio(right, predicted)
    };
    let recall = if support == 0 {
        0.0
    } else {
        ratio(right, support)
    };
    IntentScores {
        intent,
        support,
        precision,
        recall,
        f1: harmonic(precision, recall),
    }
}

fn macro_f1(outcomes: &[&Outcome]) -> f64 {
    let intents = seen_intents(outcomes);
    let sum: f64 = intents.iter().map(|i| intent_scores(outcomes, *i).f1).sum();
    #[expect(clippy::cast_precision_loss, reason = "at most 22 intents")]
    let count = intents.len().max(1) as f64;
    sum / count
}

fn entity_totals(outcomes: &[&Outcome]) -> EntityScores {
    let mut totals = EntityScores::default();
    for o in outcomes {
        totals.add(o.entities);
    }
    totals
}

/// The entities as key → JSON value, exactly as they serialise.
fn entity_pairs(entities: &Entities) -> BTreeMap<String, serde_json::Value> {
    match serde_json::to_value(entities) {
        Ok(serde_json::Value::Object(map)) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

/// Exact-match counts of `predicted` against `expected`.
pub(crate) fn compare_entities(expected: &Entities, predicted: &Entities) -> EntityScores {
    let expected = entity_pairs(expected);
    let predicted = entity_pairs(predicted);
    let true_positives = predicted
        .iter()
        .filter(|(key, value)| expected.get(*key) == Some(value))
        .count();
    EntityScores {
        true_positives,
        false_positives: predicted.len() - true_positives,
        false_negatives: expected.len() - true_positives,
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "messages:           {}", self.examples)?;
        writeln!(f, "intent accuracy:    {:.3}", self.intent_accuracy)?;
        writeln!(f, "intent macro-F1:    {:.3}", self.macro_f1)?;
        writeln!(f, "language accuracy:  {:.3}", self.language_accuracy)?;
        writeln!(f, "entities:           {}", EntityLine(self.entities))?;
        writeln!(f)?;
        writeln!(f, "language  messages  accuracy  macro-F1  entities")?;
        for l in &self.per_language {
            writeln!(
                f,
                "{:<8}  {:>8}  {:>8.3}  {:>8.3}  {}",
                l.language.code(),
                l.examples,
                l.intent_accuracy,
                l.macro_f1,
                EntityLine(l.entities)
            )?;
        }
        writeln!(f)?;
        writeln!(f, "intent                support  precision  recall     F1")?;
        for i in &self.per_intent {
            writeln!(
                f,
                "{:<20}  {:>7}  {:>9.3}  {:>6.3}  {:>5.3}",
                i.intent.as_str(),
                i.support,
                i.precision,
                i.recall,
                i.f1
            )?;
        }
        if !self.confusions.is_empty() {
            writeln!(f)?;
            writeln!(f, "confusions (label -> predicted: count)")?;
            for c in &self.confusions {
                writeln!(f, "  {} -> {}: {}", c.expected, c.predicted, c.count)?;
            }
        }
        Ok(())
    }
}

/// Entity scores on one line.
struct EntityLine(EntityScores);

impl fmt::Display for EntityLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        write!(
            f,
            "P {:.3} R {:.3} F1 {:.3} (tp {}, fp {}, fn {})",
            s.precision(),
            s.recall(),
            s.f1(),
            s.true_positives,
            s.false_positives,
            s.false_negatives
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RoomTypeCode;

    fn outcome(language: Language, expected: Intent, predicted: Intent) -> Outcome {
        Outcome {
            language,
            expected,
            predicted,
            language_right: language != Language::Pt,
            entities: EntityScores::default(),
        }
    }

    #[test]
    fn entities_match_only_on_key_and_value() {
        let expected = Entities {
            adults: Some(2),
            room_type: Some(RoomTypeCode::Double),
            nights: Some(3),
            ..Entities::default()
        };
        let predicted = Entities {
            adults: Some(2),
            room_type: Some(RoomTypeCode::Twin),
            email: Some("a@b.co".into()),
            ..Entities::default()
        };
        let scores = compare_entities(&expected, &predicted);
        assert_eq!(
            scores,
            EntityScores {
                true_positives: 1,
                false_positives: 2,
                false_negatives: 2
            }
        );
        assert!((scores.precision() - 1.0 / 3.0).abs() < 1e-9);
        assert!((scores.recall() - 1.0 / 3.0).abs() < 1e-9);
        let none = EntityScores::default();
        assert!((none.f1() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn report_counts_accuracy_macro_f1_and_confusions() {
        let outcomes = [
            outcome(Language::Es, Intent::Pricing, Intent::Pricing),
            outcome(Language::Es, Intent::Pricing, Intent::Location),
            outcome(Language::En, Intent::Location, Intent::Location),
            outcome(Language::Pt, Intent::Greeting, Intent::Greeting),
        ];
        let report = report(&outcomes);
        assert_eq!(report.examples, 4);
        assert!((report.intent_accuracy - 0.75).abs() < 1e-9);
        assert!((report.language_accuracy - 0.75).abs() < 1e-9);
        // pricing: P 1, R 0.5 → 0.667; location: P 0.5, R 1 → 0.667; greeting 1.
        assert!((report.macro_f1 - (2.0 / 3.0 * 2.0 + 1.0) / 3.0).abs() < 1e-9);
        assert_eq!(report.per_language.len(), 3);
        assert!((report.per_language[0].intent_accuracy - 0.5).abs() < 1e-9);
        assert_eq!(
            report.confusions,
            [Confusion {
                expected: Intent::Pricing,
                predicted: Intent::Location,
                count: 1
            }]
        );
        let text = report.to_string();
        assert!(text.contains("intent accuracy:    0.750"));
        assert!(text.contains("pricing -> location: 1"));
        let never_predicted = intent_scores(&outcomes.iter().collect::<Vec<_>>(), Intent::Thanks);
        assert!(never_predicted.f1.abs() < 1e-9);
    }

    #[test]
    fn an_empty_report_is_well_defined() {
        let report = report(&[]);
        assert_eq!(report.examples, 0);
        assert!(report.per_language.is_empty());
        assert!(!report.to_string().contains("confusions"));
    }
}
