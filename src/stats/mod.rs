//! Streaming statistics: O(1)-memory accumulators, mergeable histograms, and estimates with
//! Student-t confidence intervals.

mod estimate;
mod histogram;

pub use estimate::{Estimate, Running, student_t_quantile};
pub use histogram::{DurationHistogram, HISTOGRAM_BYTES, LONGEST_MS};

/// The time average of a piecewise-constant quantity over a window `[start, end)`.
///
/// Each change adds `(new − old) × (end − t)` to the area, with `t` clipped to the window: the
/// new level is assumed to last to the end until the next change corrects it. That is one
/// multiply-add per update, with no clock to keep, which matters on the engine's hot path.
#[derive(Debug, Clone, Copy)]
pub struct TimeWeighted {
    window: (f64, f64),
    area: WindowArea,
}

impl TimeWeighted {
    /// Averages over `[start, end)`; the quantity is 0 until first updated.
    pub fn new(start: f64, end: f64) -> Self {
        Self {
            window: (start, end),
            area: WindowArea::default(),
        }
    }

    /// The quantity becomes `value` at `time`.
    #[inline]
    pub fn update(&mut self, time: f64, value: f64) {
        self.area.update(time, value, self.window);
    }

    /// The time average over the window.
    pub fn finish(&self) -> f64 {
        self.area.finish(self.window)
    }
}

/// [`TimeWeighted`] without its window: for many quantities that share one window (a skill
/// group's categories), which their owner keeps once and passes in.
#[derive(Debug, Clone, Copy, Default)]
pub struct WindowArea {
    last_value: f64,
    area: f64,
}

impl WindowArea {
    /// The quantity becomes `value` at `time`, in `window` (`[start, end)`).
    #[inline(always)]
    pub fn update(&mut self, time: f64, value: f64, window: (f64, f64)) {
        self.area += (value - self.last_value) * rest_of(time, window);
        self.last_value = value;
    }

    /// The time average over `window`.
    pub fn finish(&self, (start, end): (f64, f64)) -> f64 {
        let span = end - start;
        if span > 0.0 {
            self.area / span
        } else {
            f64::NAN
        }
    }
}

/// What is left of the window `[start, end)` after `time`, `time` clipped to the window.
#[inline(always)]
fn rest_of(time: f64, (start, end): (f64, f64)) -> f64 {
    let t = if time < start {
        start
    } else if time > end {
        end
    } else {
        time
    };
    end - t
}

/// The time integral over a window of a count that moves by one at a time (agents in a
/// category): what [`WindowArea`] adds for such a count, `(±1) × (end − t)`, is exactly
/// `±(end − t)`, so the count's level need not be kept, nor the multiply made. Agents change
/// state twice per call, and a floor tracks each category for itself and for its skill group.
#[derive(Debug, Clone, Copy, Default)]
pub struct StepArea {
    area: f64,
}

impl StepArea {
    /// The count goes up by one (`up`) or down by one at `time`, in `window` (`[start, end)`).
    #[inline(always)]
    pub fn step(&mut self, time: f64, up: bool, window: (f64, f64)) {
        let rest = rest_of(time, window);
        self.area += if up { rest } else { -rest };
    }

    /// The time average over `window`.
    pub fn finish(&self, window: (f64, f64)) -> f64 {
        WindowArea {
            last_value: 0.0,
            area: self.area,
        }
        .finish(window)
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
        // Changes before the window set the level it starts with; several per instant are fine.
        let mut tw = TimeWeighted::new(10.0, 20.0);
        tw.update(1.0, 3.0);
        tw.update(2.0, 1.0);
        tw.update(12.0, 5.0);
        tw.update(12.0, 2.0);
        assert!((tw.finish() - (1.0 * 2.0 + 2.0 * 8.0) / 10.0).abs() < 1e-12);
    }

    #[test]
    fn steps_of_one_add_what_the_window_area_adds_bit_for_bit() {
        let window = (100.0, 1000.0);
        let (mut steps, mut area) = (StepArea::default(), WindowArea::default());
        let mut count = 0u32;
        let mut time = 0.0;
        let mut state = 12345u64;
        for _ in 0..10_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            time += (state >> 40) as f64 / (1u64 << 24) as f64 * 0.3;
            let up = count == 0 || state & 1 == 0;
            count = if up { count + 1 } else { count - 1 };
            steps.step(time, up, window);
            area.update(time, f64::from(count), window);
            assert_eq!(steps.area.to_bits(), area.area.to_bits());
        }
        assert!(time > window.1, "the steps run past the window");
        assert_eq!(
            steps.finish(window).to_bits(),
            area.finish(window).to_bits()
        );
    }
}
