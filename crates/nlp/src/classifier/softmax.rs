//! Multinomial logistic regression (softmax) over hashed sparse features, trained by AdaGrad
//! with L2 regularisation in a fixed example order, so the same data always gives the same model.

use super::features::{DIMENSIONS, Feature};

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TrainingSettings {
    /// Passes over the data.
    pub(crate) epochs: usize,
    /// AdaGrad's base step.
    pub(crate) learning_rate: f32,
    /// L2 penalty on the weights of each feature seen in an example.
    pub(crate) l2: f32,
    /// Seed of the per-epoch shuffle.
    pub(crate) seed: u64,
}

impl Default for TrainingSettings {
    fn default() -> Self {
        Self {
            epochs: 5,
            learning_rate: 0.4,
            l2: 1e-4,
            seed: 0x05ee_d0f1_a7e5,
        }
    }
}

/// A trained softmax model: one weight per (feature bucket, class), stored feature-major.
#[derive(Debug, Clone)]
pub(crate) struct SoftmaxModel {
    classes: usize,
    weights: Vec<f32>,
    bias: Vec<f32>,
}

/// A small deterministic generator (xorshift64*) for the shuffle.
struct Shuffler(u64);

impl Shuffler {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Fisher–Yates.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            #[expect(clippy::cast_possible_truncation, reason = "the modulus fits in usize")]
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// A model being trained, with its AdaGrad state: training can go on with more data.
pub(crate) struct Trainer {
    model: SoftmaxModel,
    /// One AdaGrad accumulator per feature (shared by its classes): one square root per
    /// feature and example instead of one per weight.
    squared: Vec<f32>,
    bias_squared: f32,
    shuffler: Shuffler,
    settings: TrainingSettings,
}

impl Trainer {
    /// A zero model for `classes` classes.
    pub(crate) fn new(classes: usize, settings: TrainingSettings) -> Self {
        Self {
            model: SoftmaxModel {
                classes,
                weights: vec![0.0; DIMENSIONS * classes],
                bias: vec![0.0; classes],
            },
            squared: vec![0.0; DIMENSIONS],
            bias_squared: 0.0,
            shuffler: Shuffler(settings.seed | 1),
            settings,
        }
    }

    /// The model so far.
    pub(crate) fn model(&self) -> &SoftmaxModel {
        &self.model
    }

    /// The trained model.
    pub(crate) fn finish(self) -> SoftmaxModel {
        self.model
    }

    /// `epochs` passes over `(features, class)` pairs, each in a fresh shuffled order.
    pub(crate) fn train(&mut self, examples: &[(&[Feature], usize)], epochs: usize) {
        let classes = self.model.classes;
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut errors = vec![0.0_f32; classes];
        let step = self.settings.learning_rate;
        for _ in 0..epochs {
            self.shuffler.shuffle(&mut order);
            for (features, class) in order.iter().filter_map(|&i| examples.get(i)) {
                self.model.scores_into(features, &mut errors);
                softmax_in_place(&mut errors, 1.0);
                if let Some(error) = errors.get_mut(*class) {
                    *error -= 1.0;
                }
                let error_norm: f32 = errors.iter().map(|e| e * e).sum();
                self.bias_squared += error_norm;
                let bias_step = step / (self.bias_squared.sqrt() + 1e-6);
                for (b, error) in self.model.bias.iter_mut().zip(&errors) {
                    *b -= bias_step * error;
                }
                for feature in *features {
                    let index = feature.index as usize;
                    let row = index * classes;
                    let (Some(weights), Some(sum)) = (
                        self.model.weights.get_mut(row..row + classes),
                        self.squared.get_mut(index),
                    ) else {
                        continue;
                    };
                    *sum += feature.value * feature.value * error_norm;
                    let feature_step = step / (sum.sqrt() + 1e-6);
                    let decay = 1.0 - feature_step * self.settings.l2;
                    for (w, error) in weights.iter_mut().zip(&errors) {
                        *w = *w * decay - feature_step * error * feature.value;
                    }
                }
            }
        }
    }
}

impl SoftmaxModel {
    /// Trains on `(features, class)` pairs for `settings.epochs` passes; classes are
    /// `0..classes`.
    #[cfg(test)]
    pub(crate) fn train(
        examples: &[(&[Feature], usize)],
        classes: usize,
        settings: TrainingSettings,
    ) -> Self {
        let mut trainer = Trainer::new(classes, settings);
        trainer.train(examples, settings.epochs);
        trainer.finish()
    }

    /// The number of classes.
    pub(crate) fn classes(&self) -> usize {
        self.classes
    }

    /// The raw class scores (logits) of a feature vector, written into `scores`.
    pub(crate) fn scores_into(&self, features: &[Feature], scores: &mut [f32]) {
        scores.copy_from_slice(&self.bias);
        for feature in features {
            let row = feature.index as usize * self.classes;
            if let Some(weights) = self.weights.get(row..row + self.classes) {
                for (score, w) in scores.iter_mut().zip(weights) {
                    *score += w * feature.value;
                }
            }
        }
    }
}

/// Turns logits into probabilities in place, dividing them by `temperature` first.
pub(crate) fn softmax_in_place(values: &mut [f32], temperature: f32) {
    let max = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in values.iter_mut() {
        *v = ((*v - max) / temperature).exp();
        sum += *v;
    }
    if sum > 0.0 {
        for v in values.iter_mut() {
            *v /= sum;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classifier::features::extract;

    #[test]
    fn softmax_sums_to_one_and_temperature_flattens() {
        let mut sharp = [2.0, 0.0, -1.0];
        softmax_in_place(&mut sharp, 1.0);
        assert!((sharp.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        let mut flat = [2.0, 0.0, -1.0];
        softmax_in_place(&mut flat, 3.0);
        assert!(flat[0] < sharp[0]);
    }

    #[test]
    fn learns_a_toy_problem_deterministically() {
        let owned: Vec<(Vec<Feature>, usize)> = [
            ("red apple", 0),
            ("green apple", 0),
            ("apple pie", 0),
            ("blue sky", 1),
            ("clear sky", 1),
            ("sky is blue", 1),
        ]
        .iter()
        .map(|(text, class)| (extract(text), *class))
        .collect();
        let data: Vec<(&[Feature], usize)> =
            owned.iter().map(|(f, c)| (f.as_slice(), *c)).collect();
        let first = SoftmaxModel::train(&data, 2, TrainingSettings::default());
        let second = SoftmaxModel::train(&data, 2, TrainingSettings::default());
        assert_eq!(first.weights, second.weights);
        assert_eq!(first.classes(), 2);
        let mut scores = [0.0; 2];
        first.scores_into(&extract("an apple"), &mut scores);
        assert!(scores[0] > scores[1]);
        first.scores_into(&extract("the sky"), &mut scores);
        assert!(scores[1] > scores[0]);
    }
}
