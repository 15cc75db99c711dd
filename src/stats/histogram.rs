//! A mergeable histogram of durations (recorded in milliseconds, 3 significant digits).

use hdrhistogram::Histogram;

/// Longest duration a histogram tells apart: ten years in milliseconds, the longest duration a
/// scenario accepts. Only waits behind a queue of such durations go past it; quantiles that
/// fall at or beyond it are undefined (NaN), never the bound itself.
pub const LONGEST_MS: u64 = 10 * 365 * 24 * 3600 * 1000;

/// Memory one histogram takes, in bytes (its counts are allocated once, for the whole range).
pub const HISTOGRAM_BYTES: u64 = 30 * 1024 * 8;

/// Durations in seconds, stored with 0.1 % relative precision; merging is an integer add, so the
/// merge order never changes the result.
#[derive(Debug, Clone)]
pub struct DurationHistogram {
    inner: Histogram<u64>,
}

impl Default for DurationHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl DurationHistogram {
    /// An empty histogram covering 1 ms to ten years (longer durations count as the longest).
    pub fn new() -> Self {
        // A fixed range, allocated once: memory never depends on the longest wait a run happens
        // to produce, so it cannot creep up with the simulated horizon.
        let mut inner = Histogram::new_with_bounds(1, LONGEST_MS, 3)
            .expect("1 ms to ten years at 3 significant digits is a valid range");
        inner.auto(false);
        Self { inner }
    }

    /// Records one duration in seconds (negative values count as 0).
    #[inline]
    pub fn record(&mut self, seconds: f64) {
        // Adding 0.5 and truncating rounds non-negative values like `round()`, without the call.
        let ms = (seconds.max(0.0) * 1000.0 + 0.5) as u64;
        self.inner.saturating_record(ms.min(LONGEST_MS));
    }

    /// Records `count` copies of one duration in seconds.
    pub fn record_n(&mut self, seconds: f64, count: u64) {
        if count > 0 {
            let ms = (seconds.max(0.0) * 1000.0 + 0.5) as u64;
            let _ = self.inner.record_n(ms.min(LONGEST_MS), count);
        }
    }

    /// Empties the histogram, keeping its size.
    pub fn clear(&mut self) {
        self.inner.reset();
    }

    /// Standard deviation of the recorded durations, in seconds (at the histogram's 0.1 %
    /// precision); NaN when empty.
    pub fn std_dev_s(&self) -> f64 {
        if self.count() == 0 {
            f64::NAN
        } else {
            self.inner.stdev() / 1000.0
        }
    }

    /// Number of durations recorded.
    pub fn count(&self) -> u64 {
        self.inner.len()
    }

    /// The `q` quantile (0..=1) in seconds; NaN when empty or when it lies at or beyond
    /// [`LONGEST_MS`], where the histogram no longer tells durations apart.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.inner.is_empty() {
            return f64::NAN;
        }
        let ms = self.inner.value_at_quantile(q);
        if self.inner.equivalent(ms, LONGEST_MS) || ms > LONGEST_MS {
            return f64::NAN;
        }
        ms as f64 / 1000.0
    }

    /// Share of recorded durations at or below `seconds`.
    pub fn share_at_or_below(&self, seconds: f64) -> f64 {
        if self.inner.is_empty() {
            return f64::NAN;
        }
        let ms = (seconds.max(0.0) * 1000.0).round() as u64;
        self.inner.count_between(0, ms) as f64 / self.inner.len() as f64
    }

    /// Counts in the bins `[edges[i], edges[i + 1])`, in seconds (millisecond resolution).
    pub fn counts_in(&self, edges: &[f64]) -> Vec<u64> {
        let ms = |s: f64| (s.max(0.0) * 1000.0 + 0.5) as u64;
        edges
            .windows(2)
            .map(|w| {
                let (lo, hi) = (ms(w[0]), ms(w[1]));
                if hi == 0 || hi <= lo {
                    0
                } else {
                    self.inner.count_between(lo, hi - 1)
                }
            })
            .collect()
    }

    /// The recorded counts as (milliseconds, count) pairs, for saving; [`Self::from_counts`]
    /// rebuilds the same histogram.
    pub fn to_counts(&self) -> Vec<(u64, u64)> {
        self.recorded().collect()
    }

    /// The bins with a count, in order, as (milliseconds, count): what saving and merging read.
    fn recorded(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.inner
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
    }

    /// A histogram with the given (milliseconds, count) pairs.
    pub fn from_counts(counts: &[(u64, u64)]) -> Self {
        let mut h = Self::new();
        for &(ms, n) in counts {
            let _ = h.inner.record_n(ms.min(LONGEST_MS), n);
        }
        h
    }

    /// Adds every record of `other`, bin by bin up to its longest duration. The counts come out
    /// as `Histogram::add` leaves them, but `add` reads (or copies) all 30,000 bins, mostly
    /// zeros: on the floor of 20 classes a replication's KPIs took 10 to 14 ms with it and 5 to
    /// 7 ms with this (2 × 10⁶ arrivals).
    pub fn merge(&mut self, other: &Self) {
        for (ms, n) in other.recorded() {
            let _ = self.inner.record_n(ms, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_and_merge() {
        let mut a = DurationHistogram::new();
        let mut b = DurationHistogram::new();
        for i in 1..=500 {
            a.record(i as f64);
        }
        for i in 501..=1000 {
            b.record(i as f64);
        }
        a.merge(&b);
        assert_eq!(a.count(), 1000);
        assert!((a.quantile(0.5) - 500.0).abs() <= 0.5);
        assert!((a.quantile(0.9) - 900.0).abs() <= 1.0);
        assert!((a.share_at_or_below(250.0) - 0.25).abs() < 1e-3);
        assert!(DurationHistogram::new().quantile(0.5).is_nan());
        // The memory estimate's figure covers the counts.
        assert!(a.inner.distinct_values() as u64 * 8 <= HISTOGRAM_BYTES);
        // Issue #15: beyond the range a quantile is undefined, not the bound.
        let mut huge = DurationHistogram::new();
        huge.record(5.8e14);
        assert!(huge.quantile(0.5).is_nan());
        huge.record(9.0 * 365.0 * 86_400.0);
        assert!((huge.quantile(0.0) / (9.0 * 365.0 * 86_400.0) - 1.0).abs() < 1e-3);
        // Saved counts rebuild the same histogram.
        let back = DurationHistogram::from_counts(&a.to_counts());
        assert_eq!(back.count(), a.count());
        for q in [0.1, 0.5, 0.9, 0.99] {
            assert_eq!(back.quantile(q), a.quantile(q));
        }
    }

    #[test]
    fn a_merge_counts_what_the_library_add_counts() {
        // Three parts: zeros in bulk, waits over six orders of magnitude, and durations at
        // and beyond the longest the histogram tells apart.
        let mut parts = [(); 3].map(|_| DurationHistogram::new());
        parts[0].record_n(0.0, 1_000);
        for i in 0..5_000u32 {
            parts[1].record(f64::from(i).powf(1.7) * 1e-3);
        }
        parts[2].record(0.0004);
        parts[2].record(LONGEST_MS as f64 / 1000.0);
        parts[2].record(1e15);
        for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2]] {
            let (mut ours, mut library) = (DurationHistogram::new(), DurationHistogram::new());
            for &p in &order {
                ours.merge(&parts[p]);
                library.inner.add(&parts[p].inner).expect("same range");
            }
            assert_eq!(ours.to_counts(), library.to_counts());
            assert_eq!(ours.count(), library.count());
            assert_eq!(ours.inner.max(), library.inner.max());
            assert_eq!(ours.inner.min_nz(), library.inner.min_nz());
            assert_eq!(ours.std_dev_s().to_bits(), library.std_dev_s().to_bits());
            for q in [0.0, 0.25, 0.5, 0.9, 0.99, 0.999, 1.0] {
                assert_eq!(ours.quantile(q).to_bits(), library.quantile(q).to_bits());
            }
            let edges = [0.0, 0.001, 1.0, 60.0, 3600.0, 1e9];
            assert_eq!(ours.counts_in(&edges), library.counts_in(&edges));
        }
        // Merging an empty histogram changes nothing.
        let mut one = DurationHistogram::new();
        one.record(3.0);
        one.merge(&DurationHistogram::new());
        assert_eq!(one.to_counts(), vec![(3_001, 1)]);
    }
}
