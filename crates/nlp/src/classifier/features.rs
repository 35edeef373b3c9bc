//! Features of a message for the intent classifier: character 2–5-grams of the normalised text
//! and word unigrams and bigrams, hashed into a fixed-size space and scaled to unit length.

use crate::text::IntentTokens;

/// The hashed feature space has `1 << HASH_BITS` buckets.
pub(crate) const HASH_BITS: u32 = 16;
/// The number of buckets.
pub(crate) const DIMENSIONS: usize = 1 << HASH_BITS;
/// The shortest and longest character n-grams.
const CHAR_ORDERS: std::ops::RangeInclusive<usize> = 3..=5;
/// How much a word feature counts relative to a character n-gram.
const WORD_WEIGHT: f32 = 2.0;

/// One non-zero feature: its bucket and value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Feature {
    pub(crate) index: u32,
    pub(crate) value: f32,
}

/// Writes `token` normalised for the classifier into `out`: every run of digits becomes `0`
/// (so "15/12" and "3/4" look alike).
fn push_normalised(token: &str, out: &mut String) {
    let mut in_digits = false;
    for c in token.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('0');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
}

/// The normalised words of a message: accent-folded lowercase, repeated letters squeezed,
/// each emoji a word, and every run of digits written as `0` (so "15/12" and "3/4" look alike).
#[cfg(test)]
pub(crate) fn normalised_words(text: &str) -> Vec<String> {
    IntentTokens::new(text)
        .iter()
        .map(|token| {
            let mut word = String::with_capacity(token.len());
            push_normalised(token, &mut word);
            word
        })
        .collect()
}

/// The FNV-1a offset basis.
const FNV_OFFSET: u32 = 0x811c_9dc5;

/// One FNV-1a step.
fn fnv(hash: u32, byte: u8) -> u32 {
    (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
}

/// Folds the high bits in so every bit of the hash matters.
fn fold(hash: u32) -> u32 {
    (hash ^ (hash >> HASH_BITS)) & ((1 << HASH_BITS) - 1)
}

/// FNV-1a over a tag byte and the text, folded into the feature space.
fn bucket(tag: u8, parts: &[&str]) -> u32 {
    let mut hash = fnv(FNV_OFFSET, tag);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hash = fnv(hash, b' ');
        }
        hash = part.bytes().fold(hash, fnv);
    }
    fold(hash)
}

/// [`bucket`] of one part given as characters (the UTF-8 bytes of `chars`), without building
/// the string.
#[cfg(test)]
fn bucket_chars(tag: u8, chars: &[char]) -> u32 {
    let mut utf8 = [0_u8; 4];
    let hash = chars.iter().fold(fnv(FNV_OFFSET, tag), |hash, c| {
        c.encode_utf8(&mut utf8).bytes().fold(hash, fnv)
    });
    fold(hash)
}

/// The hashed, L2-normalised feature vector of `text`, sorted by bucket with duplicates summed.
pub(crate) fn extract(text: &str) -> Vec<Feature> {
    extract_tokens(&IntentTokens::new(text))
}

/// [`extract`] of a message given as its tokens.
pub(crate) fn extract_tokens(tokens: &IntentTokens) -> Vec<Feature> {
    // The normalised words joined by spaces, with a space before and after: " w1 w2 ". Word
    // features hash slices of it; character n-grams run over all of it.
    let mut joined = String::with_capacity(64);
    joined.push(' ');
    let mut words: Vec<std::ops::Range<usize>> = Vec::new();
    for token in tokens.iter() {
        if !words.is_empty() {
            joined.push(' ');
        }
        let start = joined.len();
        push_normalised(token, &mut joined);
        words.push(start..joined.len());
    }
    joined.push(' ');
    let word = |range: &std::ops::Range<usize>| joined.get(range.clone()).unwrap_or_default();
    // Each occurrence as its bucket shifted left by one, the low bit set for a word feature:
    // plain integers sort fastest, and a bucket's occurrences still end up side by side.
    let mut raw: Vec<u32> = Vec::with_capacity(words.len() * 2 + 1 + joined.len() * 3);
    let word_feature = |bucket: u32| (bucket << 1) | 1;
    let mut previous = "<s>";
    for range in &words {
        let word = word(range);
        raw.push(word_feature(bucket(b'w', &[word])));
        raw.push(word_feature(bucket(b'b', &[previous, word])));
        previous = word;
    }
    if !words.is_empty() {
        raw.push(word_feature(bucket(b'b', &[previous, "</s>"])));
    }
    // Character n-grams: the hash of each window extends the one of the window one character
    // shorter at the same start (FNV-1a is sequential), so each start is hashed once.
    let bytes = joined.as_bytes();
    let starts: Vec<usize> = joined.char_indices().map(|(i, _)| i).collect();
    let (min_order, max_order) = (*CHAR_ORDERS.start(), *CHAR_ORDERS.end());
    for (i, &start) in starts.iter().enumerate() {
        let mut hash = fnv(FNV_OFFSET, b'c');
        let mut from = start;
        for order in 1..=max_order {
            let end = starts.get(i + order).copied().unwrap_or(bytes.len());
            if i + order > starts.len() {
                break;
            }
            hash = bytes
                .get(from..end)
                .unwrap_or_default()
                .iter()
                .copied()
                .fold(hash, fnv);
            from = end;
            if order >= min_order {
                raw.push(fold(hash) << 1);
            }
        }
    }
    // The order of equal buckets does not matter: their values are small integers, summed exactly.
    raw.sort_unstable();
    let mut features: Vec<Feature> = Vec::with_capacity(raw.len());
    for occurrence in raw {
        let index = occurrence >> 1;
        let value = if occurrence & 1 == 1 {
            WORD_WEIGHT
        } else {
            1.0
        };
        match features.last_mut() {
            Some(last) if last.index == index => last.value += value,
            _ => features.push(Feature { index, value }),
        }
    }
    let norm = features
        .iter()
        .map(|f| f.value * f.value)
        .sum::<f32>()
        .sqrt();
    if norm > 0.0 {
        for feature in &mut features {
            feature.value /= norm;
        }
    }
    features
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_squeezed_and_digits_collapsed() {
        assert_eq!(
            normalised_words("Holaaa!! ¿Tenés lugar del 15 al 17/12? 😊"),
            ["hola", "tenes", "lugar", "del", "0", "al", "0", "0", "😊"]
        );
        assert_eq!(normalised_words("HTL-4821"), ["htl", "0"]);
    }

    #[test]
    fn features_are_sorted_unique_and_unit_length() {
        let features = extract("quiero reservar una habitación");
        assert!(features.windows(2).all(|w| w[0].index < w[1].index));
        assert!(features.iter().all(|f| (f.index as usize) < DIMENSIONS));
        let norm: f32 = features.iter().map(|f| f.value * f.value).sum();
        assert!((norm - 1.0).abs() < 1e-4);
        assert_eq!(features, extract("Quiero reservar una habitacion"));
    }

    #[test]
    fn character_buckets_hash_like_the_string() {
        for gram in [" ho", "hola ", "ção", "😊 a", ""] {
            let chars: Vec<char> = gram.chars().collect();
            assert_eq!(bucket_chars(b'c', &chars), bucket(b'c', &[gram]));
        }
    }

    #[test]
    fn empty_text_has_no_features() {
        assert!(extract("").is_empty());
        assert!(extract(" ?! ").is_empty());
    }

    /// The features computed the plain way: every window hashed on its own, then sorted.
    fn plain_features(text: &str) -> Vec<Feature> {
        let words = normalised_words(text);
        let mut raw: Vec<(u32, f32)> = Vec::new();
        let mut previous = "<s>";
        for word in &words {
            raw.push((bucket(b'w', &[word]), WORD_WEIGHT));
            raw.push((bucket(b'b', &[previous, word]), WORD_WEIGHT));
            previous = word;
        }
        if !words.is_empty() {
            raw.push((bucket(b'b', &[previous, "</s>"]), WORD_WEIGHT));
        }
        let joined: Vec<char> = format!(" {} ", words.join(" ")).chars().collect();
        for order in CHAR_ORDERS {
            for window in joined.windows(order) {
                raw.push((bucket_chars(b'c', window), 1.0));
            }
        }
        raw.sort_by_key(|&(index, _)| index);
        let mut features: Vec<Feature> = Vec::new();
        for (index, value) in raw {
            match features.last_mut() {
                Some(last) if last.index == index => last.value += value,
                _ => features.push(Feature { index, value }),
            }
        }
        let norm = features
            .iter()
            .map(|f| f.value * f.value)
            .sum::<f32>()
            .sqrt();
        for feature in &mut features {
            feature.value /= norm;
        }
        features
    }

    #[test]
    fn incremental_hashing_gives_the_plain_features() {
        for text in [
            "quiero reservar una habitación",
            "Holaaa!! ¿Tenés lugar del 15 al 17/12? 😊",
            "ção 👋🏽 ok",
            "a",
            "HTL-4821 para 2",
        ] {
            let fast = extract(text);
            let plain = plain_features(text);
            assert_eq!(fast.len(), plain.len(), "{text}");
            for (a, b) in fast.iter().zip(&plain) {
                assert_eq!(a.index, b.index, "{text}");
                assert_eq!(a.value.to_bits(), b.value.to_bits(), "{text}");
            }
        }
    }
}
