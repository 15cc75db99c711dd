//! Streaming statistics: O(1)-memory accumulators, mergeable histograms, and estimates with
//! Student-t confidence intervals.

mod estimate;
mod histogram;

pub use estimate::{Estimate, student_t_quantile};
pub use histogram::DurationHistogram;

/// The time average of a piecewise-constant quantity over a window `[start, end)`.
#[derive(Debug, Clone, Copy)]
pub struct TimeWeighted {
    start: f64,
    end: f64,
    last_time: f64,
    last_value: f64,
    area: f64,
}

impl TimeWeighted {
    /// Averages over `[start, end)`; the quantity is 0 until first updated.
    pub fn new(start: f64, end: f64) -> Self {
        Self {
            start,
            end,
            last_time: 0.0,
            last_value: 0.0,
            area: 0.0,
        }
    }

    /// The quantity becomes `value` at `time` (times must not decrease).
    #[inline]
    pub fn update(&mut self, time: f64, value: f64) {
        self.accumulate_to(time);
        self.last_value = value;
    }

    #[inline]
    fn accumulate_to(&mut self, time: f64) {
        let from = self.last_time.max(self.start);
        let to = time.min(self.end);
        if to > from {
            self.area += self.last_value * (to - from);
        }
        self.last_time = time;
    }

    /// Integral of the quantity over the window so far (call [`finish`](Self::finish) first for the whole window).
    pub fn area(&self) -> f64 {
        self.area
    }

    /// Closes the window at its end and returns the time average.
    pub fn finish(&mut self) -> f64 {
        if self.last_time < self.end {
            self.accumulate_to(self.end);
        }
        let span = self.end - self.start;
        if span > 0.0 {
            self.area / span
        } else {
            f64::NAN
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_weighted_clips_to_window() {
        let mut tw = TimeWeighted::new(10.0, 20.0);
        tw.update(5.0, 2.0); // 2 from 5 -> counts 10..15
        tw.update(15.0, 4.0); // 4 from 15 -> counts 15..20, beyond 20 ignored
        tw.update(30.0, 0.0);
        assert!((tw.finish() - (2.0 * 5.0 + 4.0 * 5.0) / 10.0).abs() < 1e-12);
    }
}
