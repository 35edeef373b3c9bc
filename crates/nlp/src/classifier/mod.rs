//! The statistical intent classifier: hashed character and word n-gram features
//! ([`features`]) and a softmax model ([`softmax`]) trained at start-up from the embedded
//! `data/intents/train.jsonl`, with a temperature fitted on a held-aside slice so its
//! probabilities read as confidences.

mod features;
mod softmax;

use crate::labelled::{LabelledExample, parse_labelled};
use crate::text::IntentTokens;
use crate::{Intent, Result};

use features::{Feature, extract, extract_tokens};
use softmax::{SoftmaxModel, Trainer, TrainingSettings, softmax_in_place};

/// The embedded training data.
const TRAINING_JSONL: &str = include_str!("../../data/intents/train.jsonl");
/// Every how many examples one goes to the calibration slice.
const CALIBRATION_STRIDE: usize = 10;
/// Passes over all the data (calibration slice included) after calibrating.
const FINAL_EPOCHS: usize = 2;
/// The temperatures tried when calibrating (from 0.5 to 4.0).
const TEMPERATURES: std::ops::RangeInclusive<u16> = 10..=80;
/// The step between two temperatures tried.
const TEMPERATURE_STEP: f32 = 0.05;

/// The classifier's answer for one message.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct IntentPrediction {
    /// The most probable intent.
    pub(crate) intent: Intent,
    /// Its calibrated probability.
    pub(crate) confidence: f32,
}

/// A trained intent classifier.
#[derive(Debug, Clone)]
pub(crate) struct IntentClassifier {
    model: SoftmaxModel,
    temperature: f32,
}

/// The class index of an intent: its position in [`Intent::ALL`].
fn class_of(intent: Intent) -> usize {
    Intent::ALL
        .iter()
        .position(|i| *i == intent)
        .unwrap_or(Intent::ALL.len() - 1)
}

impl IntentClassifier {
    /// The classifier trained on the embedded data.
    ///
    /// # Errors
    /// [`crate::NlpError::InvalidLabelledLine`] when the embedded data does not parse (a test
    /// guards against that).
    pub(crate) fn builtin() -> Result<Self> {
        Ok(Self::train(&parse_labelled(TRAINING_JSONL)?))
    }

    /// Trains on labelled examples: first without every tenth example, to fit the temperature
    /// on those, then a few more passes over all of them.
    pub(crate) fn train(examples: &[LabelledExample]) -> Self {
        let features: Vec<Vec<Feature>> = examples.iter().map(|e| extract(&e.text)).collect();
        let data: Vec<(&[Feature], usize)> = features
            .iter()
            .zip(examples)
            .map(|(f, e)| (f.as_slice(), class_of(e.intent)))
            .collect();
        let settings = TrainingSettings::default();
        let is_calibration = |i: usize| i % CALIBRATION_STRIDE == CALIBRATION_STRIDE - 1;
        let (fit, calibration): (Vec<_>, Vec<_>) = data
            .iter()
            .enumerate()
            .partition(|(i, _)| !is_calibration(*i));
        let fit: Vec<(&[Feature], usize)> = fit.into_iter().map(|(_, d)| *d).collect();
        let calibration: Vec<(&[Feature], usize)> =
            calibration.into_iter().map(|(_, d)| *d).collect();
        let mut trainer = Trainer::new(Intent::ALL.len(), settings);
        trainer.train(&fit, settings.epochs);
        let temperature = if calibration.is_empty() {
            1.0
        } else {
            fit_temperature(trainer.model(), &calibration)
        };
        trainer.train(&data, FINAL_EPOCHS);
        Self {
            model: trainer.finish(),
            temperature,
        }
    }

    /// The temperature the logits are divided by.
    #[cfg(test)]
    pub(crate) fn temperature(&self) -> f32 {
        self.temperature
    }

    /// The calibrated probability of every intent, in the order of [`Intent::ALL`].
    #[cfg(test)]
    pub(crate) fn probabilities(&self, text: &str) -> Vec<f32> {
        self.probabilities_of(&IntentTokens::new(text))
    }

    /// [`Self::probabilities`] of a message given as its tokens.
    pub(crate) fn probabilities_of(&self, tokens: &IntentTokens) -> Vec<f32> {
        let mut scores = vec![0.0; self.model.classes()];
        self.model.scores_into(&extract_tokens(tokens), &mut scores);
        softmax_in_place(&mut scores, self.temperature);
        scores
    }

    /// The most probable intent of `text` and its probability.
    #[cfg(test)]
    pub(crate) fn predict(&self, text: &str) -> IntentPrediction {
        let probabilities = self.probabilities(text);
        let (class, confidence) = probabilities.iter().copied().enumerate().fold(
            (Intent::ALL.len() - 1, f32::NEG_INFINITY),
            |best, (i, p)| if p > best.1 { (i, p) } else { best },
        );
        IntentPrediction {
            intent: Intent::ALL
                .get(class)
                .copied()
                .unwrap_or(Intent::OutOfScope),
            confidence,
        }
    }
}

/// The temperature that minimises the negative log-likelihood of the calibration slice.
fn fit_temperature(model: &SoftmaxModel, calibration: &[(&[Feature], usize)]) -> f32 {
    let logits: Vec<(Vec<f32>, usize)> = calibration
        .iter()
        .map(|(features, class)| {
            let mut scores = vec![0.0; model.classes()];
            model.scores_into(features, &mut scores);
            (scores, *class)
        })
        .collect();
    let mut best = (1.0_f32, f32::INFINITY);
    for step in TEMPERATURES {
        let temperature = f32::from(step) * TEMPERATURE_STEP;
        let mut loss = 0.0;
        for (scores, class) in &logits {
            let mut p = scores.clone();
            softmax_in_place(&mut p, temperature);
            loss -= p.get(*class).copied().unwrap_or(0.0).max(1e-9).ln();
        }
        if loss < best.1 {
            best = (temperature, loss);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_indices_follow_intent_order() {
        assert_eq!(class_of(Intent::Greeting), 0);
        assert_eq!(class_of(Intent::OutOfScope), 21);
    }

    #[test]
    fn a_tiny_classifier_trains_and_calibrates() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let example = |text: &str, intent| LabelledExample {
            text: text.into(),
            lang: hotel_domain::Language::En,
            reference_date: date,
            intent,
            entities: crate::Entities::default(),
        };
        let mut examples = Vec::new();
        for i in 0..20 {
            examples.push(example(
                &format!("how much is a night {i}"),
                Intent::Pricing,
            ));
            examples.push(example(
                &format!("where is the hotel {i}"),
                Intent::Location,
            ));
        }
        let classifier = IntentClassifier::train(&examples);
        assert!(classifier.temperature() > 0.0);
        assert_eq!(
            classifier.predict("how much per night?").intent,
            Intent::Pricing
        );
        assert_eq!(classifier.predict("where are you").intent, Intent::Location);
        let p = classifier.probabilities("where");
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        // Without calibration data the temperature stays at 1.
        let single = IntentClassifier::train(&examples[..2]);
        assert!((single.temperature() - 1.0).abs() < f32::EPSILON);
    }
}
