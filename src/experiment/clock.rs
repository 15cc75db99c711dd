//! The clock a run shares with whoever watches it: how far in simulated time the furthest
//! replication has come, how many events the run has handled, and a request to stop (a
//! Ctrl-C, a notebook's interrupt, a server's work budget).

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::engine::{SimTime, Simulation};

/// The furthest simulated time any running replication has reached, for progress displays of
/// long replications, and a request to stop. Shared between the worker threads; reads and
/// writes never block.
#[derive(Debug, Default)]
pub struct SimulatedClock {
    furthest: AtomicU64,
    events: AtomicU64,
    stop: std::sync::atomic::AtomicBool,
}

impl SimulatedClock {
    /// Records that a replication has reached `now_s` (times only move forward here).
    pub fn reached(&self, now_s: f64) {
        // Non-negative floats order like their bit patterns.
        self.furthest
            .fetch_max(now_s.max(0.0).to_bits(), Ordering::Relaxed);
    }

    /// The furthest simulated time reached so far, in seconds.
    pub fn furthest_s(&self) -> f64 {
        f64::from_bits(self.furthest.load(Ordering::Relaxed))
    }

    /// Starts again at 0 (a new replication range or variant); a stop request stays.
    pub fn reset(&self) {
        self.furthest.store(0, Ordering::Relaxed);
    }

    /// Asks every run that shares this clock to stop: replications not started are skipped,
    /// and those under way stop within [`crate::engine::CHECK_EVERY_EVENTS`] events. The run
    /// then fails with [`RunError::Stopped`]; a front end's Ctrl-C calls this.
    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Whether a stop was asked for.
    pub fn stop_requested(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Events handled so far by every run that shares this clock (pilot replications of an
    /// automatic warm-up included), for a work budget. Counted every
    /// [`crate::engine::CHECK_EVERY_EVENTS`] events and when a replication ends, so it lags
    /// the true count by at most that many events per running replication. Not reset.
    pub fn events(&self) -> u64 {
        self.events.load(Ordering::Relaxed)
    }

    fn count_events(&self, events: u64) {
        self.events.fetch_add(events, Ordering::Relaxed);
    }

    /// What a replication calls every [`crate::engine::CHECK_EVERY_EVENTS`] events: records
    /// its time and events, and breaks when a stop was asked for.
    pub(super) fn tick(clock: Option<&Self>, now: SimTime) -> ControlFlow<()> {
        match clock {
            Some(c) if c.stop_requested() => ControlFlow::Break(()),
            Some(c) => {
                c.reached(now.secs());
                c.count_events(u64::from(crate::engine::CHECK_EVERY_EVENTS));
                ControlFlow::Continue(())
            }
            None => ControlFlow::Continue(()),
        }
    }

    /// Counts the events of a replication that has ended, beyond those its ticks counted.
    pub(super) fn replication_ended(clock: Option<&Self>, sim: &Simulation) {
        if let Some(c) = clock {
            c.count_events(sim.events_handled() % u64::from(crate::engine::CHECK_EVERY_EVENTS));
        }
    }
}
