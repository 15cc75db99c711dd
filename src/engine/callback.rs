//! A caller's journey beyond one call: balking at the announced wait, redials after hanging
//! up, and queue callbacks (virtual hold) (DESIGN.md section 2: Callers, Callbacks).

use rand::RngExt;

use super::agent::{Activity, CallInHand, CallKind};
use super::caller::{Caller, NO_TRANSFER, TRANSFERRED};
use super::event::{AgentEvent, AgentId, CallbackEvent, CallerId, Event};
use super::observer::{AgentState, CallbackEnd, CallbackOutcome, Observer};
use std::collections::VecDeque;

use super::sim::{Component, Simulation};
use super::time::{SampleSpan, SimDuration, SimTime, secs};
use crate::model::{CallbackPolicy, Scenario};

/// The callback component's state during a replication (callers who balk or redial need only
/// the announced wait).
#[derive(Debug)]
pub struct Callbacks {
    /// Whether the scenario offers callbacks (balking alone needs only the announced wait).
    offered: bool,
    /// Accepted callbacks waiting for an agent (policies other than keep_place), with lazy
    /// removal like the queue.
    waiting: VecDeque<(CallerId, u32)>,
    /// Callbacks holding a place in the waiting queue (keep_place): not callers on hold.
    holding_places: u32,
    /// Whether balking or callbacks are configured (skips the announced wait otherwise).
    journeys: bool,
    /// Announced wait per caller in the queue: mean agent time per call ÷ inbound agents.
    announce_per_caller: f64,
}

impl Callbacks {
    /// The component for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let journeys =
            scenario.callbacks.is_some() || scenario.callers.iter().any(|c| c.balking.is_some());
        let reserved = scenario.callbacks.as_ref().map_or(0, |c| c.reserved_agents);
        let inbound_agents =
            f64::from(scenario.agents.count - reserved + scenario.floor.call_taking_managers());
        // Talk and wrap-up only: what an agent spends on the phone per call.
        let mean_work: f64 = scenario
            .callers
            .iter()
            .map(|c| {
                c.share
                    * (c.handle_time.mean() + c.after_call_work.as_ref().map_or(0.0, |d| d.mean()))
            })
            .sum();
        Self {
            offered: scenario.callbacks.is_some(),
            waiting: VecDeque::new(),
            holding_places: 0,
            journeys,
            announce_per_caller: mean_work / inbound_agents,
        }
    }

    /// Callbacks holding a place in the waiting queue: in it, but nobody on hold.
    #[inline]
    pub fn holding_places(&self) -> u32 {
        self.holding_places
    }

    /// A callback holding a place reached the head of the queue and leaves it.
    #[inline]
    pub fn place_taken(&mut self) {
        self.holding_places -= 1;
    }
}

impl Component for Callbacks {
    fn reset(&mut self) {
        self.waiting.clear();
        self.holding_places = 0;
    }

    fn diverts_agents(&self) -> bool {
        self.offered
    }
}

/// Why a customer calls in again.
#[derive(Debug, Clone, Copy)]
enum Return {
    /// They hung up earlier and redial.
    Redial,
    /// Their callback's promised time passed.
    PromiseExpired,
}

/// The end of the callback held in slot data `c`.
fn callback_end(
    c: &Caller,
    promise: SimDuration,
    ended: SimTime,
    outcome: CallbackOutcome,
) -> CallbackEnd {
    CallbackEnd {
        class: c.class as usize,
        case_start: c.case_start,
        accepted: c.arrival,
        promised: c.arrival + promise,
        ended,
        attempts: u32::from(c.callback_attempts),
        outcome,
    }
}

impl Simulation<'_> {
    /// An event of callbacks or redials.
    pub(super) fn on_callback<O: Observer>(&mut self, event: CallbackEvent, observer: &mut O) {
        match event {
            CallbackEvent::RedialDue { caller, generation } => {
                self.redial_due(caller, generation, observer)
            }
            CallbackEvent::Due { caller, generation } => {
                self.callback_due(caller, generation, observer)
            }
            CallbackEvent::AttemptFails { agent } => self.callback_attempt_fails(agent, observer),
            CallbackEvent::PromiseExpires { caller, generation } => {
                self.callback_promise_expires(caller, generation, observer)
            }
        }
    }

    /// The wait announced to a caller who would join the queue now: callers ahead (on hold or
    /// holding a callback's place), plus this one, times the mean agent time per call, divided
    /// by the agents who take inbound calls. A simple, documented predictor: it ignores
    /// abandonments and priorities.
    fn announced_wait(&self) -> SimDuration {
        secs(f64::from(self.queue.len() + 1) * self.callbacks.announce_per_caller)
    }

    /// On a long announced wait a caller may balk or take a callback instead of holding.
    /// Returns whether the caller has left the line (`caller` is then consumed).
    #[inline]
    pub(super) fn divert<O: Observer>(&mut self, caller: &Caller, observer: &mut O) -> bool {
        // A transferred caller heard the announcement once already, at the wrong department.
        if !self.callbacks.journeys || caller.transfer_to == TRANSFERRED {
            return false;
        }
        let class = caller.class as usize;
        let spec = &self.scenario.callers[class];
        let wait = self.announced_wait();
        if let Some(b) = &spec.balking
            && wait > secs(b.above_s)
            && self.streams.balking.random::<f64>() < b.probability
        {
            observer.contact_abandoned(self.now, caller.contact());
            observer.contact_balked(self.now, class);
            self.caller_hung_up(*caller, None, observer);
            return true;
        }
        if let Some(cb) = &self.scenario.callbacks
            && spec.callback_acceptance > 0.0
            && wait > secs(cb.offer_above_s)
            && !matches!(caller.kind, CallKind::Status { .. })
        {
            let accepted = self.streams.callbacks.random::<f64>() < spec.callback_acceptance;
            observer.callback_offered(self.now, caller.contact(), accepted);
            if accepted {
                let mut c = *caller;
                c.is_callback = true;
                c.arrival = self.now;
                c.callback_attempts = 0;
                let id = self.callers.insert(c);
                let generation = self.callers.get(id).generation;
                self.events.schedule(
                    self.now + secs(cb.promise_s),
                    Event::Callback(CallbackEvent::PromiseExpires {
                        caller: id,
                        generation,
                    }),
                );
                self.place_callback(id, observer);
                return true;
            }
        }
        false
    }

    /// A caller hung up (abandoned or balked). A status caller's tolerance restarts; anyone
    /// else may redial; otherwise their case ends unresolved. `slot` is the caller's slot, if
    /// they had one.
    pub(super) fn caller_hung_up<O: Observer>(
        &mut self,
        caller: Caller,
        slot: Option<CallerId>,
        observer: &mut O,
    ) {
        let class = caller.class as usize;
        if let CallKind::Status {
            follow_up,
            generation,
        } = caller.kind
        {
            if let Some(id) = slot {
                self.callers.release(id);
            }
            self.restart_tolerance(follow_up, generation);
            return;
        }
        if let Some(r) = &self.scenario.callers[class].redial
            && u32::from(caller.contacts) < r.max_attempts
            && self.streams.redials.random::<f64>() < r.probability
        {
            let delay = r.delay.span(&mut self.streams.redials);
            let (id, generation) = match slot {
                Some(id) => (id, self.callers.renew(id)),
                None => {
                    let id = self.callers.insert(caller);
                    (id, self.callers.get(id).generation)
                }
            };
            self.events.schedule(
                self.now + delay,
                Event::Callback(CallbackEvent::RedialDue {
                    caller: id,
                    generation,
                }),
            );
            return;
        }
        if let Some(id) = slot {
            self.callers.release(id);
        }
        observer.case_abandoned(self.now, caller.case());
    }

    /// A caller who hung up earlier calls again: a new contact of the same case.
    fn redial_due<O: Observer>(&mut self, id: CallerId, generation: u32, observer: &mut O) {
        if !self.callers.is_current(id, generation) {
            return;
        }
        let c = *self.callers.get(id);
        self.callers.release(id);
        self.call_in_again(c, Return::Redial, observer);
    }

    /// The customer of `c` calls in again: a new contact of the same case, with a patience
    /// drawn afresh from the stream of what brought them back.
    fn call_in_again<O: Observer>(&mut self, mut c: Caller, why: Return, observer: &mut O) {
        c.is_callback = false;
        c.in_queue = false;
        c.arrival = self.now;
        c.contacts += 1;
        let class = c.class as usize;
        // Calling again, the customer reaches the right department: they have learnt it.
        c.department = self.scenario.callers[class].department;
        c.transfer_to = NO_TRANSFER;
        c.level = self.class_level(class);
        let stream = match why {
            Return::Redial => &mut self.streams.redials,
            Return::PromiseExpired => &mut self.streams.callbacks,
        };
        let patience = self.scenario.callers[class]
            .patience
            .as_ref()
            .map(|d| d.span(stream));
        observer.contact_offered(self.now, class);
        match why {
            Return::Redial => observer.redial_offered(self.now, class),
            Return::PromiseExpired => observer.repeat_call_offered(self.now, class),
        }
        self.route_caller(c, patience, observer);
    }

    /// An accepted (or retried) callback waits for an agent, as the policy says.
    fn place_callback<O: Observer>(&mut self, id: CallerId, observer: &mut O) {
        let cb = self
            .scenario
            .callbacks
            .as_ref()
            .expect("callbacks configured");
        let generation = self.callers.get(id).generation;
        if cb.policy == CallbackPolicy::KeepPlace {
            if let Some(agent) = self.agents.take_longest_idle() {
                self.start_callback_attempt(agent, id, observer);
                return;
            }
            let c = self.callers.get_mut(id);
            c.in_queue = true;
            let level = c.level as usize;
            self.queue.push(level, id, generation);
            self.callbacks.holding_places += 1;
            return;
        }
        if self.callers.get(id).callback_attempts > 0 {
            // A retry was accepted before every callback still in the list: putting it first
            // keeps the list in order of promise, which the deadline policy relies on.
            self.callbacks.waiting.push_front((id, generation));
        } else {
            self.callbacks.waiting.push_back((id, generation));
        }
        // An idle agent means nobody is on hold: inbound_first and deadline both allow it.
        let agent = self
            .agents
            .take_longest_idle_reserved()
            .or_else(|| self.agents.take_longest_idle());
        if let Some(agent) = agent
            && let Some(id) = self.next_callback(None)
        {
            self.start_callback_attempt(agent, id, observer);
        } else if let Some(agent) = agent {
            // The callback was stale after all: the agent goes back to the line.
            self.set_agent_state(agent, AgentState::Idle, observer);
        }
    }

    /// Takes the first live callback of the callback list; with `due_within`, only if its
    /// promised time is that close (the deadline policy).
    pub(super) fn next_callback(&mut self, due_within: Option<SimDuration>) -> Option<CallerId> {
        let promise = secs(self.scenario.callbacks.as_ref()?.promise_s);
        while let Some(&(id, generation)) = self.callbacks.waiting.front() {
            if !self.callers.is_current(id, generation) {
                self.callbacks.waiting.pop_front();
                continue;
            }
            if let Some(margin) = due_within {
                let promised = self.callers.get(id).arrival + promise;
                if promised - self.now > margin {
                    return None;
                }
            }
            self.callbacks.waiting.pop_front();
            return Some(id);
        }
        None
    }

    /// `agent` dials callback `id`. Whether the customer answers is drawn now; if so the slot
    /// is freed and the call proceeds like an answered one.
    pub(super) fn start_callback_attempt<O: Observer>(
        &mut self,
        agent: AgentId,
        id: CallerId,
        observer: &mut O,
    ) {
        let cb = self
            .scenario
            .callbacks
            .as_ref()
            .expect("callbacks configured");
        let c = self.callers.get_mut(id);
        c.in_queue = false;
        c.callback_attempts += 1;
        let c = *c;
        let reached = self.streams.callbacks.random::<f64>() < cb.answer_probability;
        let dial_end = self.now + secs(cb.attempt_s);
        if !reached {
            let generation = c.generation;
            let dialling = Activity::Dialling {
                caller: id,
                generation,
            };
            self.set_activity(agent, dialling, observer);
            self.events.schedule(
                dial_end,
                Event::Callback(CallbackEvent::AttemptFails { agent }),
            );
            return;
        }
        self.callers.release(id);
        observer.callback_ends(&callback_end(
            &c,
            secs(cb.promise_s),
            dial_end,
            CallbackOutcome::Reached,
        ));
        let pace = self.pace(agent);
        let call = CallInHand {
            class: c.class,
            department: c.department,
            case_start: c.case_start,
            contacts: c.contacts + 1,
            after_call_work: c.after_call_work * pace,
            kind: c.kind,
        };
        self.set_activity(agent, Activity::CallingBack(call), observer);
        self.events.schedule(
            dial_end + c.handle_time * pace,
            Event::Agent(AgentEvent::ServiceEnds { agent }),
        );
    }

    /// Nobody answered: try again later, or give up after the last attempt.
    fn callback_attempt_fails<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let Activity::Dialling {
            caller: id,
            generation,
        } = self.agents.get(agent).activity
        else {
            unreachable!("a callback attempt fails only while dialling");
        };
        if self.callers.is_current(id, generation) {
            let cb = self
                .scenario
                .callbacks
                .as_ref()
                .expect("callbacks configured");
            let c = *self.callers.get(id);
            if u32::from(c.callback_attempts) < cb.max_attempts {
                let delay = cb.retry_delay.span(&mut self.streams.callbacks);
                self.events.schedule(
                    self.now + delay,
                    Event::Callback(CallbackEvent::Due {
                        caller: id,
                        generation,
                    }),
                );
            } else {
                self.callers.release(id);
                observer.callback_ends(&callback_end(
                    &c,
                    secs(cb.promise_s),
                    self.now,
                    CallbackOutcome::Failed,
                ));
                observer.case_abandoned(self.now, c.case());
            }
        }
        self.task_done(agent, observer);
    }

    /// Time for another attempt at an unanswered callback.
    fn callback_due<O: Observer>(&mut self, id: CallerId, generation: u32, observer: &mut O) {
        if self.callers.is_current(id, generation) {
            self.place_callback(id, observer);
        }
    }

    /// The promised time has passed without a call back: the customer may call in again,
    /// which cancels the callback.
    fn callback_promise_expires<O: Observer>(
        &mut self,
        id: CallerId,
        generation: u32,
        observer: &mut O,
    ) {
        if !self.callers.is_current(id, generation) {
            return; // reached, failed or cancelled already
        }
        let cb = self
            .scenario
            .callbacks
            .as_ref()
            .expect("callbacks configured");
        if !(self.streams.callbacks.random::<f64>() < cb.call_again_probability) {
            return;
        }
        let c = *self.callers.get(id);
        if c.in_queue {
            self.queue.forget(c.level as usize);
            self.callbacks.holding_places -= 1;
        }
        self.callers.release(id);
        observer.callback_ends(&callback_end(
            &c,
            secs(cb.promise_s),
            self.now,
            CallbackOutcome::CalledAgain,
        ));
        self.call_in_again(c, Return::PromiseExpired, observer);
    }
}
