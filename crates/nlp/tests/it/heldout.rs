//! The intent classifier on the held-out split (never trained on): the floor CI enforces, and
//! the shape of the labelled data.

use std::collections::{HashMap, HashSet};

use hotel_nlp::{Intent, LabelledExample, evaluate, parse_labelled};

use crate::nlu;

const HELDOUT: &str = include_str!("../../data/intents/heldout.jsonl");
const TRAIN: &str = include_str!("../../data/intents/train.jsonl");
/// The least held-out intent accuracy overall.
const ACCURACY_FLOOR: f64 = 0.90;
/// The least held-out intent accuracy of each language.
const LANGUAGE_FLOOR: f64 = 0.88;

fn examples(jsonl: &str) -> Vec<LabelledExample> {
    parse_labelled(jsonl).expect("labelled data parses")
}

#[tokio::test]
async fn heldout_intent_accuracy_stays_above_the_floor() {
    let report = evaluate(nlu(), &examples(HELDOUT))
        .await
        .expect("builtin never fails");
    assert!(
        report.intent_accuracy >= ACCURACY_FLOOR,
        "held-out intent accuracy {:.3} below {ACCURACY_FLOOR}\n{report}",
        report.intent_accuracy
    );
    assert_eq!(report.per_language.len(), 3);
    for language in &report.per_language {
        assert!(
            language.intent_accuracy >= LANGUAGE_FLOOR,
            "{} accuracy {:.3} below {LANGUAGE_FLOOR}\n{report}",
            language.language.code(),
            language.intent_accuracy
        );
    }
}

#[test]
fn every_intent_has_enough_examples_per_language_and_splits_do_not_overlap() {
    let count = |data: &[LabelledExample]| {
        let mut counts: HashMap<(Intent, &str), usize> = HashMap::new();
        for e in data {
            *counts.entry((e.intent, e.lang.code())).or_default() += 1;
        }
        counts
    };
    let train = examples(TRAIN);
    let heldout = examples(HELDOUT);
    let (train_counts, heldout_counts) = (count(&train), count(&heldout));
    for intent in Intent::ALL {
        for lang in ["es", "en", "pt"] {
            let trained = train_counts.get(&(intent, lang)).copied().unwrap_or(0);
            let held = heldout_counts.get(&(intent, lang)).copied().unwrap_or(0);
            assert!(trained >= 40, "{intent}/{lang}: {trained} training lines");
            assert!(held >= 15, "{intent}/{lang}: {held} held-out lines");
        }
    }
    let normalise = |t: &str| t.to_lowercase().trim().to_owned();
    let trained: HashSet<String> = train.iter().map(|e| normalise(&e.text)).collect();
    let leaked: Vec<&str> = heldout
        .iter()
        .filter(|e| trained.contains(&normalise(&e.text)))
        .map(|e| e.text.as_str())
        .collect();
    assert!(leaked.is_empty(), "held-out lines in training: {leaked:?}");
}
