//! Time as types: [`SimTime`] is an instant on the simulation clock, [`SimDuration`] a span.
//!
//! Both are seconds in an `f64`, so they cost nothing at run time; what they buy is that the
//! compiler tells the two apart. An instant plus a span is an instant, an instant minus an
//! instant is a span, and an instant plus an instant does not compile. The observer's hooks
//! take the moment of the fact (`now`) first and any earlier instant in a named field, so an
//! arrival time can no longer be passed where the event's time belongs.
//!
//! ```
//! use callsim::engine::{Contact, NullObserver, Observer, SimDuration, SimTime};
//! let arrival = SimTime::from_secs(30.0);
//! let now = arrival + SimDuration::from_secs(60.0);
//! assert_eq!((now - arrival).secs(), 60.0);
//! NullObserver.contact_abandoned(now, Contact { class: 0, arrival });
//! ```
//!
//! Swapped, the same call does not compile, and neither does adding two instants:
//!
//! ```compile_fail,E0308
//! use callsim::engine::{Contact, NullObserver, Observer, SimTime};
//! let (arrival, now) = (SimTime::from_secs(30.0), SimTime::from_secs(90.0));
//! NullObserver.contact_abandoned(Contact { class: 0, arrival: now }, arrival);
//! ```
//!
//! ```compile_fail,E0369
//! use callsim::engine::SimTime;
//! let _ = SimTime::from_secs(30.0) + SimTime::from_secs(90.0);
//! ```

use std::fmt;
use std::ops::{Add, AddAssign, Mul, MulAssign, Sub};

use rand::Rng;

use crate::dist::DurationDist;

/// An instant of simulated time: seconds since the start of the run (day 0, 00:00).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct SimTime(f64);

/// A span of simulated time, in seconds: a talk, a wait, a patience.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct SimDuration(f64);

impl SimTime {
    /// The start of the run.
    pub const ZERO: SimTime = SimTime(0.0);
    /// Later than every instant: "never" for a timer that is not set.
    pub const NEVER: SimTime = SimTime(f64::INFINITY);

    /// The instant `secs` seconds after the start of the run.
    #[inline]
    pub const fn from_secs(secs: f64) -> SimTime {
        SimTime(secs)
    }

    /// Seconds since the start of the run.
    #[inline]
    pub const fn secs(self) -> f64 {
        self.0
    }

    /// The earlier of two instants.
    #[inline]
    pub fn min(self, other: SimTime) -> SimTime {
        SimTime(self.0.min(other.0))
    }

    /// The later of two instants.
    #[inline]
    pub fn max(self, other: SimTime) -> SimTime {
        SimTime(self.0.max(other.0))
    }

    /// A total order (NaN last), for sorting instants.
    #[inline]
    pub fn total_cmp(&self, other: &SimTime) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }

    /// The span from `earlier` to this instant (negative if `earlier` is later).
    #[inline]
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0 - earlier.0)
    }

    /// Whether this is a real instant (not [`SimTime::NEVER`], not NaN).
    #[inline]
    pub fn is_finite(self) -> bool {
        self.0.is_finite()
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0.0);

    /// A span of `secs` seconds.
    #[inline]
    pub const fn from_secs(secs: f64) -> SimDuration {
        SimDuration(secs)
    }

    /// The span in seconds.
    #[inline]
    pub const fn secs(self) -> f64 {
        self.0
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    #[inline]
    fn add(self, span: SimDuration) -> SimTime {
        SimTime(self.0 + span.0)
    }
}

impl AddAssign<SimDuration> for SimTime {
    #[inline]
    fn add_assign(&mut self, span: SimDuration) {
        self.0 += span.0;
    }
}

impl Sub<SimTime> for SimTime {
    type Output = SimDuration;
    #[inline]
    fn sub(self, earlier: SimTime) -> SimDuration {
        self.since(earlier)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    #[inline]
    fn add(self, other: SimDuration) -> SimDuration {
        SimDuration(self.0 + other.0)
    }
}

impl Mul<f64> for SimDuration {
    type Output = SimDuration;
    /// Scales a span, as an agent's pace scales a talk.
    #[inline]
    fn mul(self, factor: f64) -> SimDuration {
        SimDuration(self.0 * factor)
    }
}

impl MulAssign<f64> for SimDuration {
    #[inline]
    fn mul_assign(&mut self, factor: f64) {
        self.0 *= factor;
    }
}

/// A span of `s` seconds, for the model's durations (given in seconds) as they enter the
/// engine's time: `now + secs(cb.attempt_s)`.
#[inline]
pub(super) const fn secs(s: f64) -> SimDuration {
    SimDuration(s)
}

/// Draws a span from a distribution of seconds: where the model's numbers become the
/// engine's time.
pub(super) trait SampleSpan {
    /// One draw, as a span.
    fn span<R: Rng + ?Sized>(&self, rng: &mut R) -> SimDuration;
}

impl SampleSpan for DurationDist {
    #[inline]
    fn span<R: Rng + ?Sized>(&self, rng: &mut R) -> SimDuration {
        SimDuration(self.sample(rng))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} s", self.0)
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} s", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_and_spans_combine_as_on_a_clock() {
        let arrival = SimTime::from_secs(100.0);
        let answered = arrival + SimDuration::from_secs(30.0);
        assert_eq!(answered.secs(), 130.0);
        assert_eq!((answered - arrival).secs(), 30.0);
        assert_eq!(arrival.since(answered).secs(), -30.0);
        assert!(arrival < answered && answered < SimTime::NEVER);
        assert_eq!(arrival.max(answered), answered);
        assert_eq!(arrival.min(answered), arrival);
        assert!(!SimTime::NEVER.is_finite());
        assert_eq!((SimDuration::from_secs(10.0) * 1.5).secs(), 15.0);
    }
}
