//! The clock of a scenario: simulated time 0 is the time of day `opens`, and every label a
//! person reads is clock time (DESIGN.md section 8: Clock).
//!
//! The engine counts seconds from the start of the run and days from the opening, so nothing
//! in it depends on the clock; only validation (which turns clock text into run seconds) and
//! the reports (which turn run seconds back into clock text) do.

use super::DAY_S;

/// The time of day at simulated time 0, and whether the run spans several days (then a
/// moment's label names its day: `d2 09:00`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    /// Seconds after midnight at simulated time 0, in `[0, 24 h)`.
    pub opens_s: f64,
    /// Whether labels of moments name their day.
    pub multi_day: bool,
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            opens_s: 0.0,
            multi_day: false,
        }
    }
}

impl Clock {
    /// The time of day of the run's second `t` (seconds from the start), as `HH:MM`, or
    /// `HH:MM:SS` when it does not fall on a whole minute; a multi-day run names the day
    /// (`d1 08:00`, `d2 09:00`), and so does a moment past the first day of a one-day run.
    pub fn moment(&self, t: f64) -> String {
        if !t.is_finite() {
            return "-".into();
        }
        let total = (self.opens_s + t).max(0.0);
        // Round to the millisecond first, so that 08:29:59.9996 reads 08:30.
        let ms = (total * 1000.0).round() as u64;
        let day = ms / 86_400_000;
        let text = time_of_day_text((ms % 86_400_000) as f64 / 1000.0);
        // A one-day run whose drain passes midnight names the next day too.
        if self.multi_day || day > 0 {
            format!("d{} {text}", day + 1)
        } else {
            text
        }
    }

    /// The time of day of an interval's start, `start_s` seconds after the opening of a
    /// day, as `HH:MM` (the day folds: a run opening at 20:00 has intervals past midnight).
    pub fn time_of_day(&self, start_s: f64) -> String {
        time_of_day_text((self.opens_s + start_s).rem_euclid(DAY_S))
    }

    /// The end of an interval that ends `to_s` seconds after the opening of a day, as
    /// `HH:MM`; an end at midnight reads `24:00`.
    pub fn end_of_day_span(&self, to_s: f64) -> String {
        let end = (self.opens_s + to_s).rem_euclid(DAY_S);
        if end < 0.0005 && to_s > 0.0 {
            "24:00".to_string()
        } else {
            time_of_day_text(end)
        }
    }

    /// An interval `[from, to)`, seconds after the opening, as `08:00-08:30`; an end at
    /// midnight reads `24:00`. Past the run's first day (a forecast of several days) the day
    /// comes first: `d2 08:00-08:30`.
    pub fn span(&self, from_s: f64, to_s: f64) -> String {
        let day = (from_s / DAY_S).floor();
        let text = format!(
            "{}-{}",
            self.time_of_day(from_s),
            self.end_of_day_span(to_s)
        );
        if day >= 1.0 {
            format!("d{} {text}", day as u64 + 1)
        } else {
            text
        }
    }
}

/// Seconds after midnight as `HH:MM`, or `HH:MM:SS` (with a fraction where there is one)
/// when not on a whole minute.
pub fn time_of_day_text(seconds: f64) -> String {
    let ms = (seconds * 1000.0).round().max(0.0) as u64;
    let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    match (s, frac) {
        (0, 0) => format!("{h:02}:{m:02}"),
        (_, 0) => format!("{h:02}:{m:02}:{s:02}"),
        _ => format!("{h:02}:{m:02}:{s:02}.{frac:03}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_clock_time() {
        let c = Clock {
            opens_s: 8.0 * 3600.0,
            multi_day: false,
        };
        assert_eq!(c.moment(0.0), "08:00");
        assert_eq!(c.moment(90.0), "08:01:30");
        assert_eq!(c.moment(1799.9996), "08:30");
        assert_eq!(c.span(0.0, 1800.0), "08:00-08:30");
        assert_eq!(c.span(15.5 * 3600.0, 16.0 * 3600.0), "23:30-24:00");
        assert_eq!(c.time_of_day(17.0 * 3600.0), "01:00");
        assert_eq!(c.span(24.0 * 3600.0, 24.5 * 3600.0), "d2 08:00-08:30");
        let week = Clock {
            multi_day: true,
            ..c
        };
        assert_eq!(week.moment(0.0), "d1 08:00");
        assert_eq!(week.moment(25.0 * 3600.0), "d2 09:00");
        assert_eq!(time_of_day_text(0.25), "00:00:00.250");
    }
}
