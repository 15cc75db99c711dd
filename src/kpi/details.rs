//! The extra detail a collector may keep for plots and reports: statistics per interval and
//! the follow-up response distributions. Plain runs keep none and pay nothing.

use super::interval::IntervalStats;
use crate::stats::DurationHistogram;

/// Extra detail a collector may keep for plots and reports. The unit type keeps none: its
/// empty methods compile to nothing, so plain runs pay nothing for the details.
#[allow(unused_variables)]
pub trait Details {
    /// A contact arriving at `time` (in the window).
    fn offered(&mut self, time: f64) {}
    /// A contact that arrived at `arrival` answered after `wait`.
    fn answered(&mut self, arrival: f64, wait: f64) {}
    /// A contact that arrived at `arrival` hung up.
    fn abandoned(&mut self, arrival: f64) {}
    /// A contact arriving at `time` heard a busy signal.
    fn blocked(&mut self, time: f64) {}
    /// A contact that arrived at `arrival` took a callback.
    fn accepted_callback(&mut self, arrival: f64) {}
    /// Callers on hold became `waiting` at `time`.
    fn queue_length(&mut self, time: f64, waiting: f64) {}
    /// Busy agents became `busy` at `time`.
    fn busy(&mut self, time: f64, busy: f64) {}
    /// Agents off duty became `off` at `time`.
    fn off_duty(&mut self, time: f64, off: f64) {}
    /// A follow-up resolved after `response` seconds; `observed` if its work started watched.
    fn follow_up_response(&mut self, observed: bool, response: f64) {}
    /// The rows per interval and the follow-up response distributions.
    fn finish(self) -> (IntervalRows, Option<[DurationHistogram; 2]>)
    where
        Self: Sized,
    {
        (Vec::new(), None)
    }
}

/// One row per interval of the day, the values of [`super::INTERVAL_KPIS`].
pub type IntervalRows = Vec<[f64; super::INTERVAL_KPIS.len()]>;

impl Details for () {}

/// The details plots and reports need.
pub struct FullDetails {
    pub(super) intervals: IntervalStats,
    pub(super) responses: Option<[DurationHistogram; 2]>,
}

impl Details for FullDetails {
    fn offered(&mut self, time: f64) {
        self.intervals.offered(time);
    }
    fn answered(&mut self, arrival: f64, wait: f64) {
        self.intervals.answered(arrival, wait);
    }
    fn abandoned(&mut self, arrival: f64) {
        self.intervals.abandoned(arrival);
    }
    fn accepted_callback(&mut self, arrival: f64) {
        self.intervals.accepted_callback(arrival);
    }
    fn blocked(&mut self, time: f64) {
        self.intervals.blocked(time);
    }
    fn queue_length(&mut self, time: f64, waiting: f64) {
        self.intervals.queue_length(time, waiting);
    }
    fn busy(&mut self, time: f64, busy: f64) {
        self.intervals.busy(time, busy);
    }
    fn off_duty(&mut self, time: f64, off: f64) {
        self.intervals.off_duty(time, off);
    }
    fn follow_up_response(&mut self, observed: bool, response: f64) {
        if let Some(h) = &mut self.responses {
            h[usize::from(!observed)].record(response);
        }
    }
    fn finish(self) -> (IntervalRows, Option<[DurationHistogram; 2]>) {
        (self.intervals.finish(), self.responses)
    }
}
