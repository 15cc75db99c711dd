//! The engine reports what happens to an [`Observer`]; statistics live outside the engine.
//!
//! Calls are statically dispatched (the simulation is generic over the observer), so an
//! observer that ignores a hook costs nothing.

/// Receives the facts the engine produces, in time order.
pub trait Observer {
    /// A contact of caller class `class` rings at `time`.
    fn contact_offered(&mut self, _time: f64, _class: usize) {}
    /// A contact that arrived at `arrival` is answered at `time`.
    fn contact_answered(&mut self, _arrival: f64, _time: f64, _class: usize) {}
    /// A contact that arrived at `arrival` hangs up while waiting at `time`.
    fn contact_abandoned(&mut self, _arrival: f64, _time: f64, _class: usize) {}
    /// The number of busy agents (talking or in after-call work) changed to `busy` at `time`.
    fn agents_busy(&mut self, _time: f64, _busy: u32) {}
    /// The number of callers waiting changed to `waiting` at `time`.
    fn queue_length(&mut self, _time: f64, _waiting: u32) {}
    /// The last event has been processed at `time` (the run has drained).
    fn run_ends(&mut self, _time: f64) {}
}

/// Ignores everything; useful for measuring the bare engine.
pub struct NullObserver;

impl Observer for NullObserver {}
