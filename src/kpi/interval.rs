//! KPIs per interval of the day (DESIGN.md section 3: "KPIs are also reported per interval").
//!
//! Intervals fold by time of day: on a multi-day horizon, 10:00-10:30 collects every day's
//! 10:00-10:30. Memory is therefore bounded by one day, whatever the horizon. Contacts count in
//! the interval of their arrival; time averages are split exactly at interval boundaries.

use crate::model::{Clock, DAY_S, Scenario};

/// The KPIs reported per interval, in the order of every per-interval row.
pub const INTERVAL_KPIS: [super::Kpi; 11] = [
    super::Kpi::Offered,
    super::Kpi::Answered,
    super::Kpi::Abandoned,
    super::Kpi::Blocked,
    super::Kpi::StaffedAgentsMean,
    super::Kpi::ServiceLevel,
    super::Kpi::AbandonmentRate,
    super::Kpi::BlockingRate,
    super::Kpi::AsaS,
    super::Kpi::QueueLengthMean,
    super::Kpi::Occupancy,
];

/// The interval layout of a scenario: length and count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalLayout {
    /// Length of one interval in seconds.
    pub length_s: f64,
    /// Number of intervals (covering the horizon, or one day when the horizon is longer and
    /// the intervals fold by day).
    pub count: usize,
    /// The time of day at which the first interval starts (the scenario's `opens`), seconds
    /// after midnight; for labels only.
    pub opens_s: f64,
    /// Whether every day folds onto the same intervals (times of day); not for a forecast of
    /// several days, whose intervals run once over the whole horizon.
    pub folds_daily: bool,
}

impl IntervalLayout {
    /// The scenario's `report_interval`, else its profile interval, else 30 minutes.
    pub fn of(scenario: &Scenario) -> Self {
        let length_s = scenario.report_interval_s;
        let folds_daily = !matches!(
            scenario.arrivals,
            crate::model::Arrivals::Profile { daily: false, .. }
        );
        let span = if folds_daily {
            scenario.horizon.min(DAY_S)
        } else {
            scenario.horizon
        };
        Self {
            length_s,
            count: ((span / length_s).ceil() as usize).max(1),
            opens_s: scenario.opens_s,
            folds_daily,
        }
    }

    /// The interval of time `t`.
    #[inline]
    pub fn index(&self, t: f64) -> usize {
        let in_day = if self.folds_daily {
            t - (t / DAY_S).floor() * DAY_S
        } else {
            t
        };
        ((in_day / self.length_s) as usize).min(self.count - 1)
    }

    /// Start of interval `i` in seconds from the start of the day.
    pub fn start_s(&self, i: usize) -> f64 {
        i as f64 * self.length_s
    }

    /// Interval `i` as clock time, `08:00-08:30`.
    pub fn label(&self, i: usize) -> String {
        self.clock().span(self.start_s(i), self.start_s(i + 1))
    }

    /// The start of interval `i` as clock time, `08:00` (`d2 08:00` past the first day of
    /// intervals that do not fold).
    pub fn start_label(&self, i: usize) -> String {
        if self.folds_daily {
            self.clock().time_of_day(self.start_s(i))
        } else {
            self.clock().moment(self.start_s(i))
        }
    }

    /// The end of interval `i` as clock time, `08:30` (`24:00` at midnight).
    pub fn end_label(&self, i: usize) -> String {
        if self.folds_daily {
            self.clock().end_of_day_span(self.start_s(i + 1))
        } else {
            self.clock().moment(self.start_s(i + 1))
        }
    }

    /// The clock of the labels (times of day where intervals fold by day).
    pub fn clock(&self) -> Clock {
        Clock {
            opens_s: self.opens_s,
            multi_day: !self.folds_daily,
        }
    }

    /// Adds `value × overlap` to `area[i]` for every interval `i` that `[from, to)` overlaps.
    ///
    /// The walk counts whole intervals (day and index as integers) and recomputes each boundary
    /// from them, so it always moves on: boundaries recomputed from a time that floating point
    /// rounded back into the interval before (a length like 100.3 s) once looped forever.
    fn spread(&self, area: &mut [f64], from: f64, to: f64, value: f64) {
        if !(to > from) {
            return;
        }
        let mut day = (from / DAY_S).floor();
        let mut i = self.index(from);
        let mut t = from;
        if !self.folds_daily {
            day = 0.0;
        }
        while t < to {
            let end = if i + 1 == self.count {
                if self.folds_daily {
                    (day + 1.0) * DAY_S
                } else {
                    f64::INFINITY
                }
            } else {
                day * DAY_S + self.start_s(i + 1)
            };
            let next = end.min(to);
            if next > t {
                area[i] += value * (next - t);
                t = next;
            }
            i += 1;
            if i == self.count {
                i = 0;
                day += 1.0;
            }
        }
    }
}

/// A piecewise-constant quantity integrated per interval over the window.
#[derive(Debug, Clone)]
struct IntervalArea {
    area: Vec<f64>,
    last_time: f64,
    last_value: f64,
}

impl IntervalArea {
    fn new(count: usize) -> Self {
        Self {
            area: vec![0.0; count],
            last_time: 0.0,
            last_value: 0.0,
        }
    }

    #[inline]
    fn update(&mut self, layout: &IntervalLayout, window: (f64, f64), time: f64, value: f64) {
        let from = self.last_time.max(window.0);
        let to = time.min(window.1);
        if to > from && self.last_value != 0.0 {
            layout.spread(&mut self.area, from, to, self.last_value);
        }
        self.last_time = time;
        self.last_value = value;
    }
}

/// Per-interval counters of one replication.
#[derive(Debug, Clone)]
pub struct IntervalStats {
    layout: IntervalLayout,
    window: (f64, f64),
    threshold: f64,
    agents: f64,
    offered: Vec<u64>,
    answered: Vec<u64>,
    within: Vec<u64>,
    abandoned: Vec<u64>,
    blocked: Vec<u64>,
    accepted_callbacks: Vec<u64>,
    wait_sum: Vec<f64>,
    queue: IntervalArea,
    busy: IntervalArea,
    off_duty: IntervalArea,
}

impl IntervalStats {
    /// Empty counters for `scenario` with `agents` logged in.
    pub fn new(scenario: &Scenario, agents: f64) -> Self {
        let layout = IntervalLayout::of(scenario);
        let n = layout.count;
        Self {
            layout,
            window: (scenario.warmup, scenario.horizon),
            threshold: scenario.service_level_threshold,
            agents,
            offered: vec![0; n],
            answered: vec![0; n],
            within: vec![0; n],
            abandoned: vec![0; n],
            blocked: vec![0; n],
            accepted_callbacks: vec![0; n],
            wait_sum: vec![0.0; n],
            queue: IntervalArea::new(n),
            busy: IntervalArea::new(n),
            off_duty: IntervalArea::new(n),
        }
    }

    /// A contact arriving at `time` (inside the window).
    #[inline]
    pub fn offered(&mut self, time: f64) {
        self.offered[self.layout.index(time)] += 1;
    }

    /// A contact that arrived at `arrival` answered after `wait`.
    #[inline]
    pub fn answered(&mut self, arrival: f64, wait: f64) {
        let i = self.layout.index(arrival);
        self.answered[i] += 1;
        self.within[i] += u64::from(wait <= self.threshold);
        self.wait_sum[i] += wait;
    }

    /// A contact that arrived at `arrival` hung up.
    #[inline]
    pub fn abandoned(&mut self, arrival: f64) {
        self.abandoned[self.layout.index(arrival)] += 1;
    }

    /// A contact arriving at `time` heard a busy signal.
    pub fn blocked(&mut self, time: f64) {
        self.blocked[self.layout.index(time)] += 1;
    }

    /// A contact that arrived at `arrival` took a callback.
    pub fn accepted_callback(&mut self, arrival: f64) {
        self.accepted_callbacks[self.layout.index(arrival)] += 1;
    }

    /// Callers on hold became `waiting` at `time`.
    #[inline]
    pub fn queue_length(&mut self, time: f64, waiting: f64) {
        self.queue.update(&self.layout, self.window, time, waiting);
    }

    /// Busy agents became `busy` at `time`.
    #[inline]
    pub fn busy(&mut self, time: f64, busy: f64) {
        self.busy.update(&self.layout, self.window, time, busy);
    }

    /// Agents off duty (not logged in) became `off` at `time`.
    pub fn off_duty(&mut self, time: f64, off: f64) {
        self.off_duty.update(&self.layout, self.window, time, off);
    }

    /// One row per interval with the values of [`INTERVAL_KPIS`] (NaN where undefined).
    pub fn finish(mut self) -> Vec<[f64; INTERVAL_KPIS.len()]> {
        let end = self.window.1;
        self.queue.update(&self.layout, self.window, end, 0.0);
        self.busy.update(&self.layout, self.window, end, 0.0);
        self.off_duty.update(&self.layout, self.window, end, 0.0);
        // Time the window spends in each interval, over all days.
        let mut exposure = vec![0.0; self.layout.count];
        self.layout
            .spread(&mut exposure, self.window.0, self.window.1, 1.0);
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        (0..self.layout.count)
            .map(|i| {
                let offered = self.offered[i] as f64;
                // Agents logged in, on average over the interval's time in the window.
                let staffed = exposure[i] * self.agents - self.off_duty.area[i];
                [
                    offered,
                    self.answered[i] as f64,
                    self.abandoned[i] as f64,
                    self.blocked[i] as f64,
                    ratio(staffed, exposure[i]),
                    ratio(
                        self.within[i] as f64,
                        offered - self.accepted_callbacks[i] as f64,
                    ),
                    ratio(self.abandoned[i] as f64, offered),
                    ratio(self.blocked[i] as f64, offered),
                    ratio(self.wait_sum[i], self.answered[i] as f64),
                    ratio(self.queue.area[i], exposure[i]),
                    // Occupancy of the logged-in agents.
                    ratio(self.busy.area[i], staffed),
                ]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_split_at_interval_boundaries_and_fold_by_day() {
        let layout = IntervalLayout {
            length_s: 100.0,
            count: 3,
            opens_s: 0.0,
            folds_daily: true,
        };
        let mut a = vec![0.0; 3];
        layout.spread(&mut a, 50.0, 250.0, 2.0);
        assert_eq!(a, vec![100.0, 200.0, 100.0]);
        // The last interval runs to the end of the day; the next day folds onto the first.
        let mut b = vec![0.0; 3];
        layout.spread(&mut b, DAY_S - 10.0, DAY_S + 10.0, 1.0);
        assert_eq!(b, vec![10.0, 0.0, 10.0]);
        assert_eq!(layout.index(DAY_S + 150.0), 1);
    }

    #[test]
    fn intervals_of_several_days_run_once_over_the_horizon() {
        let layout = IntervalLayout {
            length_s: DAY_S / 2.0,
            count: 4,
            opens_s: 0.0,
            folds_daily: false,
        };
        assert_eq!(layout.index(DAY_S + 10.0), 2);
        assert_eq!(layout.index(5.0 * DAY_S), 3);
        let mut a = vec![0.0; 4];
        // Past the last interval (the drain) everything stays in the last.
        layout.spread(&mut a, 0.4 * DAY_S, 2.5 * DAY_S, 1.0);
        assert_eq!(a, vec![0.1 * DAY_S, 0.5 * DAY_S, 0.5 * DAY_S, 1.0 * DAY_S]);
    }

    /// Issue #15: a length that is not a whole number of seconds looped forever.
    #[test]
    fn fractional_lengths_end_and_keep_the_total() {
        for length_s in [100.3, 0.1, 7.77, 3599.999] {
            let count = ((DAY_S / length_s).ceil() as usize).max(1);
            let layout = IntervalLayout {
                length_s,
                count,
                opens_s: 0.0,
                folds_daily: true,
            };
            let mut a = vec![0.0; count];
            layout.spread(&mut a, 12.5, 2.0 * DAY_S + 1234.5, 1.0);
            let total: f64 = a.iter().sum();
            let want = 2.0 * DAY_S + 1234.5 - 12.5;
            assert!((total - want).abs() < 1e-6 * want, "{length_s}: {total}");
        }
    }
}
