//! Outbound campaigns blended into idle time: an agent with nothing else to do (no caller on
//! hold, no callback, no follow-up that may start) calls the next customer on the list
//! (DESIGN.md section 2, extensions). Inbound callers who ring meanwhile wait for an agent to
//! finish, which is the campaign's cost to the inbound service level.

use std::collections::VecDeque;

use rand::RngExt;

use super::agent::Activity;
use super::event::{AgentId, Event, OutboundEvent};
use super::observer::OutboundAttempt;
use super::observer::{Observer, OutboundOutcome};
use super::sim::{Component, Simulation};
use super::time::{SampleSpan, SimTime, secs};

/// The campaign's list in one replication.
#[derive(Default)]
pub struct OutboundState {
    /// Whether the scenario has a campaign.
    campaign: bool,
    /// Attempts made per customer.
    attempts: Vec<u8>,
    /// Customers due for another attempt, in the order they became due.
    retries: VecDeque<u32>,
    /// The first customer never called yet.
    next_fresh: u32,
    /// Customers settled: reached, or out of attempts.
    settled: u32,
}

impl OutboundState {
    /// The component; `campaign`: whether the scenario has one.
    pub fn new(campaign: bool) -> Self {
        Self {
            campaign,
            ..Self::default()
        }
    }
}

impl Component for OutboundState {
    /// The list is set up at the start of each replication (`start_outbound`).
    fn reset(&mut self) {}

    fn diverts_agents(&self) -> bool {
        self.campaign
    }
}

impl Simulation<'_> {
    /// An event of the campaign.
    pub(super) fn on_outbound<O: Observer>(&mut self, event: OutboundEvent, observer: &mut O) {
        match event {
            OutboundEvent::AttemptEnds { agent } => self.outbound_ends(agent, observer),
            OutboundEvent::Opens => self.outbound_due(None, observer),
            OutboundEvent::Retry { customer } => self.outbound_due(Some(customer), observer),
            OutboundEvent::Closes => self.outbound_closes(observer),
        }
    }

    /// Resets the list and schedules the start of dialling.
    pub(super) fn start_outbound(&mut self) {
        let Some(o) = &self.scenario.outbound else {
            return;
        };
        let state = &mut self.outbound;
        state.attempts.clear();
        state.attempts.resize(o.list as usize, 0);
        state.retries.clear();
        state.next_fresh = 0;
        state.settled = 0;
        self.events.schedule(
            SimTime::from_secs(o.start_s),
            Event::Outbound(OutboundEvent::Opens),
        );
        // The count of customers left is reported when dialling stops, at the horizon.
        self.events
            .schedule(self.horizon(), Event::Outbound(OutboundEvent::Closes));
    }

    /// Whether `agent` may dial now: a campaign is on, a customer is waiting to be called, and
    /// enough other agents stay idle for inbound calls.
    fn may_dial(&self, agent: AgentId) -> bool {
        let Some(o) = &self.scenario.outbound else {
            return false;
        };
        let a = self.agents.get(agent);
        let others_idle = self.agents.idle_count() - u32::from(a.activity.is_idle());
        self.now >= SimTime::from_secs(o.start_s)
            && self.now < self.horizon()
            && !a.reserved
            && a.is_manager.is_none()
            && others_idle >= o.keep_idle
            && (!self.outbound.retries.is_empty() || self.outbound.next_fresh < o.list)
    }

    /// `agent`, with nothing else to do, calls the next customer if allowed; `false` if not.
    pub(super) fn try_outbound<O: Observer>(&mut self, agent: AgentId, observer: &mut O) -> bool {
        if !self.may_dial(agent) {
            return false;
        }
        let o = self
            .scenario
            .outbound
            .as_ref()
            .expect("checked by may_dial");
        let customer = match self.outbound.retries.pop_front() {
            Some(c) => c,
            None => {
                self.outbound.next_fresh += 1;
                self.outbound.next_fresh - 1
            }
        };
        self.outbound.attempts[customer as usize] += 1;
        // Every draw of an attempt comes from the campaign's own stream, in a fixed order.
        let rng = &mut self.streams.outbound;
        let reached = rng.random::<f64>() < o.contact_probability;
        let talk = o.talk.span(rng);
        let accepted = rng.random::<f64>() < o.accept_probability;
        let u: f64 = rng.random();
        let mut reason = o.declines.len() - 1;
        let mut acc = 0.0;
        for (i, (_, share)) in o.declines.iter().enumerate() {
            acc += share;
            if u < acc {
                reason = i;
                break;
            }
        }
        let (outcome, busy) = match (reached, accepted) {
            (false, _) => (OutboundOutcome::Unreached, secs(o.attempt_s)),
            (true, true) => (OutboundOutcome::Accepted, secs(o.attempt_s) + talk),
            (true, false) => (
                OutboundOutcome::Declined(reason as u8),
                secs(o.attempt_s) + talk,
            ),
        };
        let call = Activity::Outbound {
            customer,
            started: self.now,
            outcome,
        };
        self.set_activity(agent, call, observer);
        self.events.schedule(
            self.now + busy,
            Event::Outbound(OutboundEvent::AttemptEnds { agent }),
        );
        true
    }

    /// An attempt ends: an unreached customer is tried again later, up to the limit.
    fn outbound_ends<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let Activity::Outbound {
            customer,
            started,
            outcome,
        } = self.agents.get(agent).activity
        else {
            unreachable!("an outbound attempt ends only while an agent makes one");
        };
        observer.outbound_attempt(self.now, &OutboundAttempt { started, outcome });
        let o = self
            .scenario
            .outbound
            .as_ref()
            .expect("campaign configured");
        if outcome == OutboundOutcome::Unreached
            && u32::from(self.outbound.attempts[customer as usize]) < o.max_attempts
        {
            let delay = o.retry_delay.span(&mut self.streams.outbound);
            // A retry due after dialling stops would only stretch the run: the customer is
            // simply left on the list.
            if self.now + delay < self.horizon() {
                self.events.schedule(
                    self.now + delay,
                    Event::Outbound(OutboundEvent::Retry { customer }),
                );
            }
        } else {
            self.outbound.settled += 1;
        }
        self.task_done(agent, observer);
    }

    /// Dialling may begin, or a customer is due again: idle agents start calling.
    fn outbound_due<O: Observer>(&mut self, customer: Option<u32>, observer: &mut O) {
        if let Some(c) = customer {
            self.outbound.retries.push_back(c);
        }
        while let Some(agent) = self.agents.peek_longest_idle() {
            if !self.may_dial(agent) {
                break;
            }
            let taken = self.agents.take_longest_idle();
            debug_assert_eq!(taken, Some(agent));
            let started = self.try_outbound(agent, observer);
            debug_assert!(started, "may_dial said yes");
        }
    }

    /// Dialling stops at the horizon: report the customers not settled.
    fn outbound_closes<O: Observer>(&mut self, observer: &mut O) {
        if let Some(o) = &self.scenario.outbound {
            observer.outbound_list_left(o.list - self.outbound.settled);
        }
    }
}
