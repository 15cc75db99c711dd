//! The extra detail a collector may keep for plots and reports: statistics per interval and
//! the follow-up response distributions. Plain runs keep none and pay nothing.

use super::interval::IntervalStats;
use crate::engine::{SimDuration, SimTime};
use crate::stats::DurationHistogram;

/// Extra detail a collector may keep for plots and reports. The unit type keeps none: its
/// empty methods compile to nothing, so plain runs pay nothing for the details.
#[allow(unused_variables)]
pub trait Details {
    /// A contact rang (in the window).
    fn offered(&mut self, now: SimTime) {}
    /// A contact that arrived at `arrival` answered after `wait`.
    fn answered(&mut self, arrival: SimTime, wait: SimDuration) {}
    /// A contact that arrived at `arrival` hung up.
    fn abandoned(&mut self, arrival: SimTime) {}
    /// A contact heard a busy signal.
    fn blocked(&mut self, now: SimTime) {}
    /// A contact that arrived at `arrival` took a callback.
    fn accepted_callback(&mut self, arrival: SimTime) {}
    /// Callers on hold became `waiting`.
    fn queue_length(&mut self, now: SimTime, waiting: f64) {}
    /// Busy agents became `busy`.
    fn busy(&mut self, now: SimTime, busy: f64) {}
    /// Agents off duty became `off`.
    fn off_duty(&mut self, now: SimTime, off: f64) {}
    /// A follow-up resolved after `response`; `observed` if its work started watched.
    fn follow_up_response(&mut self, observed: bool, response: SimDuration) {}
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
    fn offered(&mut self, now: SimTime) {
        self.intervals.offered(now.secs());
    }
    fn answered(&mut self, arrival: SimTime, wait: SimDuration) {
        self.intervals.answered(arrival.secs(), wait.secs());
    }
    fn abandoned(&mut self, arrival: SimTime) {
        self.intervals.abandoned(arrival.secs());
    }
    fn accepted_callback(&mut self, arrival: SimTime) {
        self.intervals.accepted_callback(arrival.secs());
    }
    fn blocked(&mut self, now: SimTime) {
        self.intervals.blocked(now.secs());
    }
    fn queue_length(&mut self, now: SimTime, waiting: f64) {
        self.intervals.queue_length(now.secs(), waiting);
    }
    fn busy(&mut self, now: SimTime, busy: f64) {
        self.intervals.busy(now.secs(), busy);
    }
    fn off_duty(&mut self, now: SimTime, off: f64) {
        self.intervals.off_duty(now.secs(), off);
    }
    fn follow_up_response(&mut self, observed: bool, response: SimDuration) {
        if let Some(h) = &mut self.responses {
            h[usize::from(!observed)].record(response.secs());
        }
    }
    fn finish(self) -> (IntervalRows, Option<[DurationHistogram; 2]>) {
        (self.intervals.finish(), self.responses)
    }
}
