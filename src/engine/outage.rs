//! Outages: stretches when no agent can work (a system down). The component owns which outage
//! comes next and whether one is under way; agents learn of it through
//! [`Outages::under_way`] when they look for work.

use super::event::{AgentId, Event, OutageEvent};
use super::observer::Observer;
use super::sim::{Component, Simulation};
use super::time::SimTime;
use crate::model::Outage;

/// The outage component's state during a replication.
#[derive(Debug)]
pub struct Outages {
    /// Whether the scenario has outages at all.
    any: bool,
    /// Whether an outage is under way.
    under_way: bool,
    /// Index of the next outage to end (or begin).
    next: usize,
}

impl Outages {
    /// The component for the scenario's `outages`.
    pub fn new(outages: &[Outage]) -> Self {
        Self {
            any: !outages.is_empty(),
            under_way: false,
            next: 0,
        }
    }

    /// Whether an outage is under way: every agent stops once the task in hand is done.
    #[inline]
    pub fn under_way(&self) -> bool {
        self.under_way
    }

    /// The next boundary of `outages`, if any: its time and whether it begins an outage.
    fn next_boundary(&self, outages: &[Outage]) -> Option<(SimTime, bool)> {
        let o = outages.get(self.next)?;
        Some(if self.under_way {
            (SimTime::from_secs(o.end_s), false)
        } else {
            (SimTime::from_secs(o.start_s), true)
        })
    }
}

impl Component for Outages {
    fn reset(&mut self) {
        self.under_way = false;
        self.next = 0;
    }

    fn diverts_agents(&self) -> bool {
        self.any
    }
}

impl Simulation<'_> {
    /// An outage begins (every agent stops once the task in hand is done) or ends.
    pub(super) fn on_outage<O: Observer>(&mut self, event: OutageEvent, observer: &mut O) {
        let OutageEvent::Changes { starts } = event;
        self.outages.under_way = starts;
        for i in 0..self.agents.count() {
            self.duty_changed(AgentId(i), observer);
        }
        if !starts {
            self.outages.next += 1;
        }
        self.schedule_outage();
    }

    /// Schedules the next outage boundary, if any.
    pub(super) fn schedule_outage(&mut self) {
        if let Some((time, starts)) = self.outages.next_boundary(&self.scenario.agents.outages) {
            self.events
                .schedule(time, Event::Outage(OutageEvent::Changes { starts }));
        }
    }
}
