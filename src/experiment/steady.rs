//! Steady state told honestly (DESIGN.md section 8: Steady state): `warmup = "auto"` chooses
//! each replication's warm-up from its own data with MSER-5, and the relaxation time of the
//! queue is estimated from the run itself for the warning about short windows.

use crate::engine::{AnsweredContact, Contact, Observer, SimTime};

/// Buckets of arrival time a replication's waits are averaged in for MSER: memory stays
/// fixed whatever the horizon, and five buckets make one MSER batch.
pub const SERIES_BUCKETS: usize = 1000;

/// Observations per MSER batch (the "5" of MSER-5).
const BATCH: usize = 5;

/// The waits of one replication (answered or abandoned), averaged per bucket of arrival time.
#[derive(Debug, Clone)]
pub struct WaitSeries {
    width_s: f64,
    sum: Vec<f64>,
    count: Vec<u64>,
}

impl WaitSeries {
    /// An empty series over arrivals in `[0, horizon)`.
    pub fn new(horizon: f64) -> Self {
        Self {
            width_s: horizon / SERIES_BUCKETS as f64,
            sum: vec![0.0; SERIES_BUCKETS],
            count: vec![0; SERIES_BUCKETS],
        }
    }

    /// Adds another replication's series, bucket by bucket.
    pub fn add_series(&mut self, other: &Self) {
        for (a, b) in self.sum.iter_mut().zip(&other.sum) {
            *a += b;
        }
        for (a, b) in self.count.iter_mut().zip(&other.count) {
            *a += b;
        }
    }

    #[inline]
    fn add(&mut self, arrival: f64, wait: f64) {
        let i = (arrival / self.width_s) as usize;
        if let (Some(s), Some(n)) = (self.sum.get_mut(i), self.count.get_mut(i)) {
            *s += wait;
            *n += 1;
        }
    }

    /// The MSER-5 truncation point in seconds: batches of five buckets; the warm-up is the
    /// number of leading batches `d` (at most half of them) that minimises the squared
    /// standard error of the mean of the rest, Σ w (Z − Z̄)² / (Σ w)², each batch weighted by
    /// its callers (White, 1997; Franklin and White, 2008).
    pub fn mser5(&self) -> f64 {
        let batches: Vec<(f64, f64)> = self
            .sum
            .chunks(BATCH)
            .zip(self.count.chunks(BATCH))
            .map(|(s, n)| {
                let n: u64 = n.iter().sum();
                (s.iter().sum::<f64>(), n as f64)
            })
            .collect();
        // Suffix sums of weight, weighted sum and weighted sum of squares of batch means, so
        // every candidate costs O(1).
        let k = batches.len();
        let (mut w, mut ws, mut wss) = (vec![0.0; k + 1], vec![0.0; k + 1], vec![0.0; k + 1]);
        for j in (0..k).rev() {
            let (sum, n) = batches[j];
            let mean = if n > 0.0 { sum / n } else { 0.0 };
            w[j] = w[j + 1] + n;
            ws[j] = ws[j + 1] + sum;
            wss[j] = wss[j + 1] + n * mean * mean;
        }
        let mut best = (f64::INFINITY, 0usize);
        for d in 0..k / 2 {
            if w[d] <= 0.0 {
                break;
            }
            let mean = ws[d] / w[d];
            let spread = (wss[d] - w[d] * mean * mean).max(0.0);
            let mser = spread / (w[d] * w[d]);
            if mser < best.0 {
                best = (mser, d);
            }
        }
        (best.1 * BATCH) as f64 * self.width_s
    }
}

impl Observer for WaitSeries {
    #[inline]
    fn contact_answered(&mut self, c: &AnsweredContact) {
        self.add(c.arrival.secs(), (c.answered - c.arrival).secs());
    }

    #[inline]
    fn contact_abandoned(&mut self, now: SimTime, c: Contact) {
        self.add(c.arrival.secs(), (now - c.arrival).secs());
    }
}

/// The relaxation time of the queue in seconds, from the run itself: with replications as
/// batches, the variance of the replication means of the wait over a window of `window_s` is
/// about σ² · 2τ / window for waits of variance σ² whose correlation decays with time
/// constant τ (the batch-means estimate of the integrated autocorrelation time). `None`
/// when there is nothing to measure.
pub fn relaxation_time(window_s: f64, mean_wait_std_dev: f64, wait_std_dev: f64) -> Option<f64> {
    let tau = window_s * mean_wait_std_dev.powi(2) / (2.0 * wait_std_dev.powi(2));
    (tau.is_finite() && tau > 0.0).then_some(tau)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mser_cuts_a_rising_start_and_nothing_from_a_flat_series() {
        let mut s = WaitSeries::new(1000.0);
        for i in 0..1000 {
            let t = i as f64 + 0.5;
            // Waits climb for the first 200 s, then hold at 100 with a small ripple.
            let level = if t < 200.0 { t / 2.0 } else { 100.0 };
            s.add(t, level + if i % 2 == 0 { 1.0 } else { -1.0 });
        }
        let cut = s.mser5();
        assert!((190.0..=215.0).contains(&cut), "{cut}");
        let mut flat = WaitSeries::new(1000.0);
        for i in 0..1000 {
            flat.add(i as f64 + 0.5, 100.0 + if i % 2 == 0 { 1.0 } else { -1.0 });
        }
        assert_eq!(flat.mser5(), 0.0);
    }
}
