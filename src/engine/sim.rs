//! The simulation of one replication: the event loop and the call-center event handlers.

use rand::RngExt;
use rand_distr::{Distribution, Exp1};

use super::agent::Agents;
use super::arrival::ArrivalClock;
use super::caller::{Caller, CallerSlab, WaitingQueue};
use super::event::{AgentId, CallerId, Event};
use super::observer::Observer;
use super::queue::EventQueue;
use super::random::Streams;
use crate::model::Scenario;

/// One scenario's simulation state, reused across replications (buffers keep their capacity).
pub struct Simulation<'s> {
    scenario: &'s Scenario,
    /// Cumulative class shares, for the class draw.
    class_cumulative: Vec<f64>,
    /// Queue level of each class (0 = highest priority).
    class_level: Vec<u16>,
    levels: usize,
    clock: ArrivalClock,
    events: EventQueue,
    callers: CallerSlab,
    queue: WaitingQueue,
    agents: Agents,
    streams: Streams,
    now: f64,
}

impl<'s> Simulation<'s> {
    /// Prepares a simulation of `scenario`.
    pub fn new(scenario: &'s Scenario) -> Self {
        let mut class_cumulative = Vec::with_capacity(scenario.callers.len());
        let mut acc = 0.0;
        for c in &scenario.callers {
            acc += c.share;
            class_cumulative.push(acc);
        }
        let mut priorities: Vec<i32> = scenario.callers.iter().map(|c| c.priority).collect();
        priorities.sort_unstable_by(|a, b| b.cmp(a));
        priorities.dedup();
        let class_level = scenario
            .callers
            .iter()
            .map(|c| {
                priorities
                    .iter()
                    .position(|p| *p == c.priority)
                    .unwrap_or(0) as u16
            })
            .collect();
        Self {
            scenario,
            class_cumulative,
            class_level,
            levels: priorities.len(),
            clock: ArrivalClock::new(&scenario.arrivals),
            events: EventQueue::new(),
            callers: CallerSlab::default(),
            queue: WaitingQueue::default(),
            agents: Agents::default(),
            streams: Streams::new(scenario.seed, 0),
            now: 0.0,
        }
    }

    /// Runs replication `replication` under master seed `seed` to the end of the drain,
    /// reporting to `observer`.
    pub fn run<O: Observer>(&mut self, seed: u64, replication: u64, observer: &mut O) {
        self.reset(seed, replication);
        self.schedule_arrival_after(0.0);
        while let Some((time, event)) = self.events.pop() {
            self.now = time;
            match event {
                Event::CallArrives => self.call_arrives(observer),
                Event::CallerAbandons { caller, generation } => {
                    self.caller_abandons(caller, generation, observer)
                }
                Event::ServiceEnds { agent } => self.service_ends(agent, observer),
                Event::WrapUpEnds { agent } => self.agent_ready(agent, observer),
            }
        }
        debug_assert_eq!(self.callers.in_use(), 0, "every caller ends exactly once");
        observer.run_ends(self.now);
    }

    fn reset(&mut self, seed: u64, replication: u64) {
        self.events.clear();
        self.callers.clear();
        self.queue.reset(self.levels);
        self.agents.reset(self.scenario.agents.count);
        self.streams = Streams::new(seed, replication);
        self.now = 0.0;
    }

    fn schedule_arrival_after(&mut self, t: f64) {
        let unit: f64 = Exp1.sample(&mut self.streams.arrivals);
        let next = self.clock.next(t, unit);
        if next < self.scenario.horizon {
            self.events.schedule(next, Event::CallArrives);
        }
    }

    fn draw_class(&mut self) -> usize {
        if self.class_cumulative.len() == 1 {
            return 0;
        }
        let u: f64 = self.streams.caller_class.random();
        self.class_cumulative
            .iter()
            .position(|&c| u < c)
            .unwrap_or(self.class_cumulative.len() - 1)
    }

    fn call_arrives<O: Observer>(&mut self, observer: &mut O) {
        let now = self.now;
        self.schedule_arrival_after(now);
        let class = self.draw_class();
        let spec = &self.scenario.callers[class];
        let streams = &mut self.streams;
        let patience = spec
            .patience
            .as_ref()
            .map(|d| d.sample(&mut streams.patience));
        let handle_time = spec.handle_time.sample(&mut streams.handle_time);
        let after_call_work = spec
            .after_call_work
            .as_ref()
            .map_or(0.0, |d| d.sample(&mut streams.after_call_work));
        observer.contact_offered(now, class);
        let caller = self.callers.insert(Caller {
            class: class as u16,
            level: self.class_level[class],
            arrival: now,
            handle_time,
            after_call_work,
            generation: 0,
        });
        if let Some(agent) = self.agents.take_longest_idle() {
            observer.agents_busy(now, self.agents.busy());
            self.start_service(agent, caller, observer);
            return;
        }
        let generation = self.callers.get(caller).generation;
        self.queue
            .push(self.class_level[class] as usize, caller, generation);
        observer.queue_length(now, self.queue.len());
        if let Some(p) = patience {
            self.events
                .schedule(now + p, Event::CallerAbandons { caller, generation });
        }
    }

    fn caller_abandons<O: Observer>(
        &mut self,
        caller: CallerId,
        generation: u32,
        observer: &mut O,
    ) {
        if !self.callers.is_current(caller, generation) {
            return; // answered earlier: a lazily cancelled timer
        }
        let c = *self.callers.get(caller);
        self.queue.forget(c.level as usize);
        self.callers.release(caller);
        observer.queue_length(self.now, self.queue.len());
        observer.contact_abandoned(c.arrival, self.now, c.class as usize);
    }

    fn start_service<O: Observer>(&mut self, agent: AgentId, caller: CallerId, observer: &mut O) {
        let c = *self.callers.get(caller);
        self.callers.release(caller);
        observer.contact_answered(c.arrival, self.now, c.class as usize);
        self.agents.get_mut(agent).after_call_work = c.after_call_work;
        self.events
            .schedule(self.now + c.handle_time, Event::ServiceEnds { agent });
    }

    fn service_ends<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let wrap = self.agents.get_mut(agent).after_call_work;
        if wrap > 0.0 {
            self.events
                .schedule(self.now + wrap, Event::WrapUpEnds { agent });
        } else {
            self.agent_ready(agent, observer);
        }
    }

    /// The agent is free: the head of the queue if anyone waits, else the idle line.
    fn agent_ready<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        match self.queue.pop(&self.callers) {
            Some(caller) => {
                observer.queue_length(self.now, self.queue.len());
                self.start_service(agent, caller, observer);
            }
            None => {
                self.agents.make_idle(agent);
                observer.agents_busy(self.now, self.agents.busy());
            }
        }
    }
}
