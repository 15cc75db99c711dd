//! The core of one replication: the clock, the future-event list and the loop that hands each
//! event to the component it belongs to. The core owns nothing else.
//!
//! Each component owns its state and its events, in its own module: queueing and routing
//! (`routing.rs`), agents at work (`work.rs`, with `agent.rs`), promised follow-ups and the back
//! office (`follow_up.rs`, `back_office.rs`), callbacks and redials (`callback.rs`), managers
//! (`manager.rs`), the roster (`roster.rs`), outages (`outage.rs`) and the outbound campaign
//! (`outbound.rs`). A component reaches another one only through that one's methods; the
//! fields of its state are private to its module.

use std::ops::ControlFlow;

use super::agent::Agents;
use super::back_office::BackOfficeState;
use super::callback::Callbacks;
use super::caller::{CallerSlab, WaitingQueue};
use super::event::{AgentEvent, AgentId, Event};
use super::follow_up::FollowUps;
use super::manager::Managers;
use super::observer::Observer;
use super::outage::Outages;
use super::outbound::OutboundState;
use super::queue::EventQueue;
use super::random::Streams;
use super::roster::Roster;
use super::routing::Routing;
use super::skill_groups::SkillGroups;
use super::time::SimTime;
use super::work::WorkHabits;
use crate::model::Scenario;

/// How often the event loop checks on itself: every this many events it tells the clock
/// callback of [`Simulation::run_with_clock`] the time, checks the event budget, and stops a
/// replication whose time has not moved since the last check. A real floor never comes near
/// that many events at one instant (100,000 agents logging in at once, each taking a waiting
/// caller, is a few hundred thousand); zero durations that loop reach it in a fraction of a
/// second, and validation refuses those it can foresee.
pub const CHECK_EVERY_EVENTS: u32 = 1 << 22;

/// A replication that was stopped before its end (see [`StallCause`]).
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct Stalled {
    /// The instant.
    pub time: SimTime,
    /// The last event handled.
    pub event: Event,
    /// Why it stopped.
    pub cause: StallCause,
}

/// Why a replication stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StallCause {
    /// Simulated time no longer moved on: at least [`CHECK_EVERY_EVENTS`] events in a row at
    /// one instant.
    NoProgress,
    /// It spent the event budget given with [`Simulation::set_event_budget`].
    Budget(u64),
    /// The clock callback of [`Simulation::run_with_clock`] asked it to stop (a user's Ctrl-C).
    Asked,
}

impl Stalled {
    fn describe(&self) -> String {
        match self.cause {
            StallCause::Asked => format!("stopped on request at {} s", self.time.secs()),
            StallCause::NoProgress => format!(
                "simulated time stopped moving at {} s: {CHECK_EVERY_EVENTS} events or more \
                 in a row at one instant, the last one {:?}; durations of zero or nearly zero \
                 loop there ({})",
                self.time.secs(),
                self.event,
                self.event.keys_hint()
            ),
            StallCause::Budget(budget) => format!(
                "stopped at {} s of simulated time after its budget of {budget} events; the \
                 last one was {:?} ({})",
                self.time.secs(),
                self.event,
                self.event.keys_hint()
            ),
        }
    }
}

/// What the core asks of every component with state of its own: to start a replication
/// afresh, and whether it can give a free agent anything but the next caller. The fast path
/// (a free agent takes the next caller or waits) holds exactly when no component can; a new
/// component joins [`Simulation::components`] and both follow.
pub(super) trait Component {
    /// Forgets the last replication (buffers keep their capacity).
    fn reset(&mut self);
    /// Whether, in this scenario, the component can give a free agent other work or keep
    /// them from the next caller.
    fn diverts_agents(&self) -> bool;
}

/// One scenario's simulation state, reused across replications (buffers keep their capacity).
pub struct Simulation<'s> {
    pub(super) scenario: &'s Scenario,
    /// The future-event list.
    pub(super) events: EventQueue,
    /// The simulated time of the event in hand.
    pub(super) now: SimTime,
    /// Every replication's random streams.
    pub(super) streams: Streams,
    /// Callers in the system: on hold, waiting to redial, holding a callback.
    pub(super) callers: CallerSlab,
    /// The waiting queue, by level.
    pub(super) queue: WaitingQueue,
    /// Agents and the idle line.
    pub(super) agents: Agents,
    /// Queueing and routing: arrivals, classes, levels, lines.
    pub(super) routing: Routing,
    /// Agents' habits that change their work: slack and pace.
    pub(super) habits: WorkHabits,
    /// Promised follow-ups.
    pub(super) follow_ups: FollowUps,
    /// The back office, if the scenario has one.
    pub(super) back_office: BackOfficeState,
    /// Callbacks and the announced wait.
    pub(super) callbacks: Callbacks,
    /// Managers and who they watch.
    pub(super) managers: Managers,
    /// Shifts, the staffing plan, absences and the handover pool.
    pub(super) roster: Roster,
    /// Outages: whether one is under way, and which comes next.
    pub(super) outages: Outages,
    /// The outbound campaign's list, if the scenario has one.
    pub(super) outbound: OutboundState,
    /// No component diverts agents: a free agent just takes the next caller or waits, and the
    /// work choice skips every other check.
    pub(super) plain: bool,
    /// Most events a replication may schedule (checked every [`CHECK_EVERY_EVENTS`] events).
    event_budget: u64,
}

impl<'s> Simulation<'s> {
    /// Prepares a simulation of `scenario`.
    pub fn new(scenario: &'s Scenario) -> Self {
        let mut sim = Self {
            scenario,
            events: EventQueue::new(),
            now: SimTime::ZERO,
            streams: Streams::new(scenario.seed, 0),
            callers: CallerSlab::default(),
            queue: WaitingQueue::default(),
            agents: Agents::default(),
            routing: Routing::new(scenario),
            habits: WorkHabits::new(&scenario.floor),
            follow_ups: FollowUps::new(scenario),
            back_office: BackOfficeState::default(),
            callbacks: Callbacks::new(scenario),
            managers: Managers::new(&scenario.floor),
            roster: Roster::new(scenario),
            outages: Outages::new(&scenario.agents.outages),
            outbound: OutboundState::new(scenario.outbound.is_some()),
            plain: false,
            event_budget: u64::MAX,
        };
        if sim.routing.departments_routed() {
            // Work that any free agent may take (callbacks, back-office results, outbound
            // calls, follow-ups handed to the pool) looks at the whole idle line; without
            // it, the skill groups' lines are all routing needs.
            let any_agent_work = scenario.callbacks.is_some()
                || scenario.back_office.is_some()
                || scenario.outbound.is_some()
                || (!scenario.agents.absences.is_empty()
                    && scenario.agents.handover == crate::model::Handover::Pool);
            sim.routing.use_skill_groups(
                SkillGroups::of(scenario),
                any_agent_work,
                &mut sim.agents,
            );
        }
        sim.plain = !sim.components().iter().any(|c| c.diverts_agents());
        if sim.plain {
            sim.agents.forgo_stamps();
        }
        sim
    }

    /// Every component with state of its own, for [`Component`]'s questions.
    fn components(&mut self) -> [&mut dyn Component; 8] {
        [
            &mut self.routing,
            &mut self.habits,
            &mut self.follow_ups,
            &mut self.callbacks,
            &mut self.managers,
            &mut self.roster,
            &mut self.outages,
            &mut self.outbound,
        ]
    }

    /// Runs replication `replication` under master seed `seed` to the end of the drain,
    /// reporting to `observer`. Fails only when the run stalls (see [`Stalled`]).
    pub fn run<O: Observer>(
        &mut self,
        seed: u64,
        replication: u64,
        observer: &mut O,
    ) -> Result<(), Stalled> {
        self.run_with_clock(seed, replication, observer, |_| ControlFlow::Continue(()))
    }

    /// [`Simulation::run`], calling `clock(now)` every [`CHECK_EVERY_EVENTS`] events, so that a
    /// long replication can show how far it has come in simulated time; the replication stops
    /// with [`StallCause::Asked`] when `clock` breaks.
    #[inline]
    pub fn run_with_clock<O: Observer>(
        &mut self,
        seed: u64,
        replication: u64,
        observer: &mut O,
        mut clock: impl FnMut(SimTime) -> ControlFlow<()>,
    ) -> Result<(), Stalled> {
        self.reset(seed, replication);
        self.schedule_outage();
        self.start_floor(observer);
        self.start_roster(observer);
        self.start_back_office();
        self.start_outbound();
        self.schedule_arrival_after(SimTime::ZERO);
        // One countdown serves the clock, the budget and the stall check, so the hot path
        // pays one decrement and one well-predicted branch per event.
        let mut countdown = CHECK_EVERY_EVENTS;
        let mut checked_at = SimTime::from_secs(f64::NEG_INFINITY);
        while let Some((time, event)) = self.events.pop() {
            countdown -= 1;
            if countdown == 0 {
                countdown = CHECK_EVERY_EVENTS;
                self.check(time, event, &mut checked_at, &mut clock)?;
            }
            self.now = time;
            // The call that ends next is known now: start fetching its agent, last touched when
            // the call began and, on a floor larger than the cache, no longer in it (10,000
            // agents, in turns: 3 % less time per arrival best run against best run, 20 % in
            // the median pair on a busy day; results unchanged).
            if self.agents.worth_prefetching()
                && let Some(Event::Agent(AgentEvent::ServiceEnds { agent })) =
                    self.events.heap_top()
            {
                self.agents.prefetch(agent);
                self.prefetch_skill_order(agent);
            }
            match event {
                Event::CallArrives => self.call_arrives(observer),
                Event::Queue(e) => self.on_queue(e, observer),
                Event::Agent(e) => self.on_agent(e, observer),
                Event::FollowUp(e) => self.on_follow_up(e, observer),
                Event::Callback(e) => self.on_callback(e, observer),
                Event::Manager(e) => self.on_manager(e, observer),
                Event::Roster(e) => self.on_roster(e, observer),
                Event::Outage(e) => self.on_outage(e, observer),
                Event::Outbound(e) => self.on_outbound(e, observer),
            }
        }
        debug_assert_eq!(self.callers.in_use(), 0, "every caller ends exactly once");
        debug_assert_eq!(self.follow_ups.open(), 0, "every follow-up is resolved");
        observer.run_ends(self.now);
        Ok(())
    }

    /// Every [`CHECK_EVERY_EVENTS`] events: a replication whose time has not moved since the
    /// last check has spent all those events at one instant and is stopped; otherwise `clock`
    /// hears the time, and the budget is checked.
    #[cold]
    #[inline(never)]
    fn check(
        &self,
        time: SimTime,
        event: Event,
        checked_at: &mut SimTime,
        clock: &mut impl FnMut(SimTime) -> ControlFlow<()>,
    ) -> Result<(), Stalled> {
        // Time never runs back, so the same time as the last check means every event in
        // between happened at this instant.
        if time == *checked_at {
            return Err(Stalled {
                time,
                event,
                cause: StallCause::NoProgress,
            });
        }
        *checked_at = time;
        if clock(time).is_break() {
            return Err(Stalled {
                time,
                event,
                cause: StallCause::Asked,
            });
        }
        if self.events.scheduled() > self.event_budget {
            return Err(Stalled {
                time,
                event,
                cause: StallCause::Budget(self.event_budget),
            });
        }
        Ok(())
    }

    /// Stops every later replication, with an error, once it has scheduled about `events`
    /// events: a work budget for callers that must answer in bounded time (a server, a test).
    /// Unlimited by default. Checked every [`CHECK_EVERY_EVENTS`] events, so a replication may
    /// go that far past it.
    pub fn set_event_budget(&mut self, events: u64) {
        self.event_budget = events;
    }

    /// Renumbers the pending events' sequence numbers whenever `events` have been given out,
    /// instead of every 2²⁹ (see `queue/renumber.rs`). Results do not change (a test runs
    /// every scenario both ways); this exists so that tests can reach the renumbering in a
    /// short run. `events` must exceed the events ever pending at once.
    pub fn renumber_events_every(&mut self, events: u64) {
        self.events.renumber_every(events);
    }

    /// Events handled by the last [`Simulation::run`] (stale timers that fired included,
    /// patience timers taken out when their caller was answered not): the unit of the
    /// per-event speed figures, which compare scenarios of different kinds. A run ends when the
    /// queue is empty, so every event scheduled and not cancelled was handled: no count in the
    /// event loop.
    pub fn events_handled(&self) -> u64 {
        self.events.handled()
    }

    fn reset(&mut self, seed: u64, replication: u64) {
        self.events.clear();
        self.callers.clear();
        self.queue.reset(self.routing.levels());
        let regular = self.scenario.agents.count;
        self.agents
            .reset(regular + self.scenario.floor.call_taking_managers());
        // Reserved callback agents are the last regular ones.
        let reserved = self
            .scenario
            .callbacks
            .as_ref()
            .map_or(0, |c| c.reserved_agents);
        for i in regular - reserved..regular {
            self.agents.reserve(AgentId(i));
        }
        for c in self.components() {
            c.reset();
        }
        self.streams = Streams::new(seed, replication);
        self.now = SimTime::ZERO;
    }

    /// Whether the floor still has anything to do: managers keep working until it has not
    /// (a call in hand may still end in a promise).
    pub(super) fn floor_active(&self) -> bool {
        self.now < self.horizon()
            || self.callers.in_use() > 0
            || self.follow_ups.open() > 0
            || self.agents.any_at_work()
    }

    /// The end of the arrival window: no caller rings after it; the floor then drains.
    #[inline]
    pub(super) fn horizon(&self) -> SimTime {
        SimTime::from_secs(self.scenario.horizon)
    }
}
