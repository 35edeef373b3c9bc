//! Latency statistics: every sample kept, sorted, nearest-rank percentiles.

use std::time::Duration;

/// The nearest-rank percentile `p` (0 < p ≤ 100) of sorted samples; `None` when there are none.
pub fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    let index = rank.clamp(1, sorted.len()) - 1;
    sorted.get(index).copied()
}

/// Summary of a set of latencies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LatencySummary {
    pub count: usize,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl LatencySummary {
    pub fn from_samples(mut samples: Vec<Duration>) -> Self {
        samples.sort_unstable();
        let at = |p: f64| percentile(&samples, p).unwrap_or_default();
        Self {
            count: samples.len(),
            p50: at(50.0),
            p95: at(95.0),
            p99: at(99.0),
            max: samples.last().copied().unwrap_or_default(),
        }
    }
}

/// Milliseconds with two decimals, for tables.
pub fn millis(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

/// A per-second rate; 0 for an empty interval.
pub fn rate(count: u64, elapsed: Duration) -> f64 {
    let seconds = elapsed.as_secs_f64();
    if seconds > 0.0 {
        count as f64 / seconds
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: impl IntoIterator<Item = u64>) -> Vec<Duration> {
        values.into_iter().map(Duration::from_millis).collect()
    }

    #[test]
    fn nearest_rank_percentiles() {
        let sorted = ms(1..=100);
        assert_eq!(percentile(&sorted, 50.0), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&sorted, 95.0), Some(Duration::from_millis(95)));
        assert_eq!(percentile(&sorted, 99.0), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&sorted, 100.0), Some(Duration::from_millis(100)));
        assert_eq!(percentile(&sorted, 0.0), Some(Duration::from_millis(1)));
        let sorted = ms([10, 20, 30, 40, 50]);
        assert_eq!(percentile(&sorted, 50.0), Some(Duration::from_millis(30)));
        assert_eq!(percentile(&sorted, 99.0), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&[], 50.0), None);
        assert_eq!(percentile(&ms([7]), 99.9), Some(Duration::from_millis(7)));
    }

    #[test]
    fn summary_sorts_its_samples() {
        let summary = LatencySummary::from_samples(ms([5, 1, 4, 2, 3]));
        assert_eq!(summary.count, 5);
        assert_eq!(summary.p50, Duration::from_millis(3));
        assert_eq!(summary.p99, Duration::from_millis(5));
        assert_eq!(summary.max, Duration::from_millis(5));
        assert_eq!(
            LatencySummary::from_samples(Vec::new()),
            LatencySummary::default()
        );
    }

    #[test]
    fn formatting_and_rates() {
        assert_eq!(millis(Duration::from_micros(1_234)), "1.23");
        assert_eq!(rate(500, Duration::from_secs(2)), 250.0);
        assert_eq!(rate(5, Duration::ZERO), 0.0);
    }
}
