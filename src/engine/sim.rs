//! The simulation of one replication: the event loop, arrivals, the queue and calls.
//!
//! Agents' work choices, slack and follow-ups are in `work.rs`; managers in `manager.rs`.

use std::collections::VecDeque;

use rand::RngExt;
use rand_distr::{Distribution, Exp1};

use super::agent::{Agents, CallKind, NO_BEHAVIOUR};
use super::arrival::ArrivalClock;
use super::back_office::BackOfficeState;
use super::caller::{Caller, CallerSlab, NO_TRANSFER, TRANSFERRED, WaitingQueue};
use super::event::{AgentId, CallerId, Event, FollowUpId};
use super::follow_up::FollowUps;
use super::manager::ManagerState;
use super::observer::{AgentState, AnsweredContact, Observer};
use super::outbound::OutboundState;
use super::queue::EventQueue;
use super::random::Streams;
use crate::model::{Behaviour, DutyChange, Scenario, timetable};

/// How often the event loop checks on itself: every this many events it tells the clock
/// callback of [`Simulation::run_with_clock`] the time, checks the event budget, and stops a
/// replication whose time has not moved since the last check. A real floor never comes near
/// that many events at one instant (100,000 agents logging in at once, each taking a waiting
/// caller, is a few hundred thousand); zero durations that loop reach it in a fraction of a
/// second, and validation refuses those it can foresee.
pub const CHECK_EVERY_EVENTS: u32 = 1 << 22;

/// A replication that was stopped before its end: simulated time no longer moved on (at least
/// [`CHECK_EVERY_EVENTS`] events in a row at one instant), or it spent the event budget
/// given with [`Simulation::set_event_budget`].
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct Stalled {
    /// The instant, in simulated seconds.
    pub time_s: f64,
    /// The last event handled.
    pub event: Event,
    /// The event budget that was spent, if that is why it stopped.
    pub budget: Option<u64>,
}

impl Stalled {
    fn describe(&self) -> String {
        match self.budget {
            None => format!(
                "simulated time stopped moving at {} s: {CHECK_EVERY_EVENTS} events or more \
                 in a row at one instant, the last one {:?}; durations of zero or nearly zero \
                 loop there ({})",
                self.time_s,
                self.event,
                self.event.keys_hint()
            ),
            Some(budget) => format!(
                "stopped at {} s of simulated time after its budget of {budget} events; the \
                 last one was {:?} ({})",
                self.time_s,
                self.event,
                self.event.keys_hint()
            ),
        }
    }
}

/// One scenario's simulation state, reused across replications (buffers keep their capacity).
pub struct Simulation<'s> {
    pub(super) scenario: &'s Scenario,
    /// Cumulative class shares, for the class draw.
    class_cumulative: Vec<f64>,
    /// Queue level of each class (0 = highest priority).
    class_level: Vec<u16>,
    levels: usize,
    /// Priority levels per department (queue level = department × this + priority level).
    priority_levels: usize,
    /// Departments (1 without `agents.skills`).
    departments: usize,
    clock: ArrivalClock,
    pub(super) events: EventQueue,
    pub(super) callers: CallerSlab,
    pub(super) queue: WaitingQueue,
    pub(super) agents: Agents,
    pub(super) follow_ups: FollowUps,
    pub(super) managers: Vec<ManagerState>,
    /// Agents watched by at least one manager.
    pub(super) observed: u32,
    /// Whether any agent can slack (skips the check on the hot path when not).
    pub(super) slack_possible: bool,
    /// Whether any pace factor differs from 1.
    paced: bool,
    /// Whether any manager takes calls (and so toggles her team's observation).
    managers_take_calls: bool,
    /// Reusable list of regular agent indices, for drawing whom a walker watches.
    pub(super) pick: Vec<u32>,
    /// Accepted callbacks waiting for an agent (policies other than keep_place), with lazy
    /// removal like the queue.
    pub(super) callback_queue: VecDeque<(CallerId, u32)>,
    /// Callbacks holding a place in the waiting queue (keep_place): not callers on hold.
    pub(super) virtual_in_queue: u32,
    /// Whether balking or callbacks are configured (skips the announced wait otherwise).
    pub(super) journeys: bool,
    /// Announced wait per caller in the queue: mean agent time per call ÷ inbound agents.
    pub(super) announce_per_caller: f64,
    /// Whether a forecast gives an AHT per interval (handle times are then scaled).
    forecast_aht: bool,
    /// No follow-ups, callbacks, outages, reports or slack: a free agent just takes the next
    /// caller or waits, and the work choice skips every other check.
    pub(super) plain: bool,
    /// The day's log-ins and log-outs of every shift, in time order.
    pub(super) timetable: Vec<DutyChange>,
    /// The plan's counts for one day, with a closing 0 when it ends before the day (empty
    /// without a plan).
    pub(super) plan_steps: Vec<u32>,
    /// With a plan: the agents logged in, longest first (they log out first).
    pub(super) logged_in: VecDeque<u32>,
    /// With a plan: the agents logged out, longest first (they log in first).
    pub(super) logged_out: VecDeque<u32>,
    /// Stretches of the day (seconds from midnight) when no shift works; empty without shifts.
    pub(super) closed_hours: Vec<(f64, f64)>,
    /// The outbound campaign's list, if the scenario has one.
    pub(super) outbound: OutboundState,
    /// The back office, if the scenario has one.
    pub(super) back_office: BackOfficeState,
    /// Follow-ups of absent agents that any free agent may take (handover `pool`).
    pub(super) follow_up_pool: Vec<FollowUpId>,
    /// Whether an outage is under way, and the index of the next one to end.
    pub(super) in_outage: bool,
    pub(super) next_outage: usize,
    pub(super) streams: Streams,
    pub(super) now: f64,
    /// Callers talking to an agent now; kept only with `lines`, to tell a busy signal.
    talking: u32,
    /// Per department, callers talking to an agent now; kept only with lines per department.
    talking_in: Vec<u32>,
    /// Whether any line limit applies (so the talking counts are kept).
    count_lines: bool,
    /// Most events a replication may schedule (checked every [`CHECK_EVERY_EVENTS`] events).
    event_budget: u64,
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
        // Each department has its own queue levels, by priority.
        let departments = scenario.agents.departments.len().max(1);
        let class_level = scenario
            .callers
            .iter()
            .map(|c| {
                let priority = priorities
                    .iter()
                    .position(|p| *p == c.priority)
                    .unwrap_or(0);
                (usize::from(c.department) * priorities.len() + priority) as u16
            })
            .collect();
        let floor = &scenario.floor;
        let slack_possible = floor.slack_possible();
        let journeys =
            scenario.callbacks.is_some() || scenario.callers.iter().any(|c| c.balking.is_some());
        let reserved = scenario.callbacks.as_ref().map_or(0, |c| c.reserved_agents);
        let inbound_agents =
            f64::from(scenario.agents.count - reserved + floor.call_taking_managers());
        let mean_work: f64 = scenario
            .callers
            .iter()
            .map(|c| {
                c.share
                    * (c.handle_time.mean() + c.after_call_work.as_ref().map_or(0.0, |d| d.mean()))
            })
            .sum();
        let paced = floor
            .behaviour
            .iter()
            .any(|b| b.pace != 1.0 || b.observed_pace != 1.0);
        let plain = !slack_possible
            && scenario.callbacks.is_none()
            && scenario.agents.outages.is_empty()
            && scenario.callers.iter().all(|c| c.follow_up.is_none())
            && !floor.asks_for_reports()
            && !scenario.agents.rostered()
            && scenario.outbound.is_none()
            && scenario.agents.departments.len() <= 1;
        Self {
            scenario,
            forecast_aht: matches!(
                &scenario.arrivals,
                crate::model::Arrivals::Profile { handle_factors, .. } if !handle_factors.is_empty()
            ),
            plain,
            paced,
            managers_take_calls: floor.call_taking_managers() > 0,
            class_cumulative,
            class_level,
            levels: departments * priorities.len(),
            priority_levels: priorities.len(),
            departments,
            clock: ArrivalClock::new(&scenario.arrivals, scenario.day_noise_cv),
            events: EventQueue::new(),
            callers: CallerSlab::default(),
            queue: WaitingQueue::default(),
            agents: Agents::default(),
            follow_ups: FollowUps::default(),
            managers: Vec::new(),
            observed: 0,
            slack_possible,
            pick: Vec::new(),
            callback_queue: VecDeque::new(),
            virtual_in_queue: 0,
            journeys,
            announce_per_caller: mean_work / inbound_agents,
            timetable: timetable(&scenario.agents.shifts),
            closed_hours: scenario.agents.closed_hours(),
            plan_steps: scenario
                .agents
                .plan
                .as_ref()
                .map_or_else(Vec::new, |p| p.steps().collect()),
            logged_in: VecDeque::new(),
            logged_out: VecDeque::new(),
            follow_up_pool: Vec::new(),
            back_office: BackOfficeState::default(),
            outbound: OutboundState::default(),
            in_outage: false,
            next_outage: 0,
            streams: Streams::new(scenario.seed, 0),
            now: 0.0,
            talking: 0,
            talking_in: vec![0; scenario.department_lines.len()],
            count_lines: scenario.has_lines(),
            event_budget: u64::MAX,
        }
    }

    /// Runs replication `replication` under master seed `seed` to the end of the drain,
    /// reporting to `observer`. Fails only when the run stalls (see [`Stalled`]).
    pub fn run<O: Observer>(
        &mut self,
        seed: u64,
        replication: u64,
        observer: &mut O,
    ) -> Result<(), Stalled> {
        self.run_with_clock(seed, replication, observer, |_| {})
    }

    /// [`Simulation::run`], calling `clock(now)` every [`CHECK_EVERY_EVENTS`] events, so that a
    /// long replication can show how far it has come in simulated time.
    #[inline]
    pub fn run_with_clock<O: Observer>(
        &mut self,
        seed: u64,
        replication: u64,
        observer: &mut O,
        mut clock: impl FnMut(f64),
    ) -> Result<(), Stalled> {
        self.reset(seed, replication);
        self.start_floor(observer);
        self.start_roster(observer);
        self.start_back_office();
        self.start_outbound();
        self.schedule_arrival_after(0.0);
        // One countdown serves the clock, the budget and the stall check, so the hot path
        // pays one decrement and one well-predicted branch per event.
        let mut countdown = CHECK_EVERY_EVENTS;
        let mut checked_at = f64::NEG_INFINITY;
        while let Some((time, event)) = self.events.pop() {
            countdown -= 1;
            if countdown == 0 {
                countdown = CHECK_EVERY_EVENTS;
                self.check(time, event, &mut checked_at, &mut clock)?;
            }
            self.now = time;
            match event {
                Event::CallArrives => self.call_arrives(observer),
                Event::CallerAbandons { caller, generation } => {
                    self.caller_abandons(caller, generation, observer)
                }
                Event::ServiceEnds { agent } => self.service_ends(agent, observer),
                Event::WrapUpEnds { agent } => self.task_done(agent, observer),
                Event::FollowUpEnds { agent } => self.follow_up_ends(agent, observer),
                Event::ReportEnds { agent } => self.task_done(agent, observer),
                Event::SlackEnds { agent, epoch } => self.slack_ends(agent, epoch, observer),
                Event::FollowUpDue { agent } => self.follow_up_due(agent, observer),
                Event::ManagerMoves { manager } => self.manager_moves(manager as usize, observer),
                Event::StatusCallDue { follow_up, epoch } => {
                    self.status_call_due(follow_up, epoch, observer)
                }
                Event::RedialDue { caller, generation } => {
                    self.redial_due(caller, generation, observer)
                }
                Event::CallbackDue { caller, generation } => {
                    self.callback_due(caller, generation, observer)
                }
                Event::CallbackAttemptFails { agent } => {
                    self.callback_attempt_fails(agent, observer)
                }
                Event::CallbackPromiseExpires { caller, generation } => {
                    self.callback_promise_expires(caller, generation, observer)
                }
                Event::Outage { starts } => self.outage(starts, observer),
                Event::DutyChange { entry } => self.duty_change(entry, observer),
                Event::PlanChange { step } => self.plan_change(step, observer),
                Event::BackOfficeDone { worker } => self.back_office_done(worker, observer),
                Event::BackOfficeHours { open } => self.back_office_hours(open),
                Event::OutboundEnds { agent } => self.outbound_ends(agent, observer),
                Event::OutboundOpens => self.outbound_due(None, observer),
                Event::OutboundRetry { customer } => self.outbound_due(Some(customer), observer),
                Event::OutboundCloses => self.outbound_closes(observer),
                Event::Absence { index, starts } => self.absence(index, starts, observer),
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
        time: f64,
        event: Event,
        checked_at: &mut f64,
        clock: &mut impl FnMut(f64),
    ) -> Result<(), Stalled> {
        // Time never runs back, so the same time as the last check means every event in
        // between happened at this instant.
        if time == *checked_at {
            return Err(Stalled {
                time_s: time,
                event,
                budget: None,
            });
        }
        *checked_at = time;
        clock(time);
        if self.events.scheduled() > self.event_budget {
            return Err(Stalled {
                time_s: time,
                event,
                budget: Some(self.event_budget),
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

    /// Events handled by the last [`Simulation::run`] (stale timers included): the unit of the
    /// per-event speed figures, which compare scenarios of different kinds. A run ends when the
    /// queue is empty, so every event scheduled was handled: no count in the event loop.
    pub fn events_handled(&self) -> u64 {
        self.events.scheduled()
    }

    fn reset(&mut self, seed: u64, replication: u64) {
        self.events.clear();
        self.callers.clear();
        self.follow_ups.clear();
        self.queue.reset(self.levels);
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
        self.callback_queue.clear();
        self.follow_up_pool.clear();
        self.clock.reset();
        self.virtual_in_queue = 0;
        self.in_outage = false;
        self.next_outage = 0;
        self.streams = Streams::new(seed, replication);
        self.observed = 0;
        self.now = 0.0;
        self.talking = 0;
        self.talking_in.iter_mut().for_each(|n| *n = 0);
        self.schedule_outage();
    }

    /// Callers on hold (callbacks keeping a place in the queue are not on hold).
    #[inline]
    pub(super) fn on_hold(&self) -> u32 {
        self.queue.len() - self.virtual_in_queue
    }

    /// Whether a new caller at department `d` finds every line taken: all lines (talking or
    /// on hold), or the department's own.
    #[inline(never)]
    fn lines_full(&self, d: u8) -> bool {
        if let Some(lines) = self.scenario.lines
            && self.on_hold() + self.talking >= lines
        {
            return true;
        }
        let Some(&lines) = self.scenario.department_lines.get(d as usize) else {
            return false;
        };
        let from = d as usize * self.priority_levels;
        let in_department = (from..from + self.priority_levels)
            .map(|level| self.queue.waiting_at(level))
            .sum::<u32>()
            + self.talking_in[d as usize];
        in_department >= lines
    }

    /// Keeps the counts of callers talking (all, and per department) that lines need.
    #[inline(never)]
    fn count_talking(&mut self, agent: AgentId, from: AgentState, to: AgentState) {
        let (start, end) = (to == AgentState::Talking, from == AgentState::Talking);
        self.talking = self.talking + u32::from(start) - u32::from(end);
        if !self.talking_in.is_empty() {
            let d = self.agents.get(agent).call.department as usize;
            self.talking_in[d] = self.talking_in[d] + u32::from(start) - u32::from(end);
        }
    }

    /// Queue level of caller class `class`.
    pub(super) fn class_level(&self, class: usize) -> u16 {
        self.class_level[class]
    }

    /// Queue level of caller class `class` put through to `department`.
    fn level_in(&self, class: usize, department: u8) -> u16 {
        let home = self.scenario.callers[class].department;
        let shift = (i32::from(department) - i32::from(home)) * self.priority_levels as i32;
        (i32::from(self.class_level[class]) + shift) as u16
    }

    /// The longest-idle agent who serves `department` (managers who take calls serve all).
    #[cold]
    #[inline(never)]
    fn take_idle_for(&mut self, department: u8) -> Option<AgentId> {
        let skills = &self.scenario.agents.skills;
        self.agents.take_longest_idle_where(|a| {
            skills
                .get(a.0 as usize)
                .is_none_or(|s| s.contains(&department))
        })
    }

    /// The head of the queue that `agent` serves: its departments in order, each by priority.
    #[inline]
    pub(super) fn next_waiting(&mut self, agent: AgentId) -> Option<CallerId> {
        match self.scenario.agents.skills.get(agent.0 as usize) {
            Some(order) if self.departments > 1 => {
                let p = self.priority_levels;
                let levels = order
                    .iter()
                    .flat_map(|&d| usize::from(d) * p..(usize::from(d) + 1) * p);
                self.queue.pop_in(&self.callers, levels)
            }
            _ => self.queue.pop(&self.callers),
        }
    }

    /// Whether the floor still has anything to do: managers keep working until it has not
    /// (a call in hand may still end in a promise).
    pub(super) fn floor_active(&self) -> bool {
        self.now < self.scenario.horizon
            || self.callers.in_use() > 0
            || self.follow_ups.open() > 0
            || self.agents.any_at_work()
    }

    /// The behaviour of `agent` (`None` for managers who take calls).
    #[inline]
    pub(super) fn behaviour(&self, agent: AgentId) -> Option<&'s Behaviour> {
        let b = self.agents.get(agent).behaviour;
        let scenario: &'s Scenario = self.scenario;
        (b != NO_BEHAVIOUR).then(|| &scenario.floor.behaviour[b as usize])
    }

    /// The factor on work durations for a task `agent` starts now.
    #[inline]
    pub(super) fn pace(&self, agent: AgentId) -> f64 {
        if !self.paced {
            return 1.0;
        }
        match self.behaviour(agent) {
            None => 1.0,
            Some(b) if self.agents.get(agent).observed() => b.observed_pace,
            Some(b) => b.pace,
        }
    }

    /// Moves an agent to `state`, telling the observer when the counts change. A manager who
    /// takes calls stops watching her team while she works and resumes when idle.
    #[inline(always)]
    pub(super) fn set_agent_state<O: Observer>(
        &mut self,
        agent: AgentId,
        state: AgentState,
        observer: &mut O,
    ) {
        let from = if state == AgentState::Idle {
            self.agents.make_idle(agent)
        } else {
            self.agents.set_state(agent, state)
        };
        if from != state {
            observer.agent_state_changes(self.now, agent.0, from, state);
            if self.count_lines {
                self.count_talking(agent, from, state);
            }
            let was_idle = from == AgentState::Idle;
            if self.managers_take_calls
                && let Some(m) = self.agents.get(agent).is_manager
            {
                if state == AgentState::Idle {
                    self.watch_team(m as usize, observer);
                } else if was_idle {
                    self.unwatch_team(m as usize, observer);
                }
            }
        }
    }

    /// Always inlined: it runs once per arrival and is small (1.7 % fewer instructions).
    #[inline(always)]
    fn schedule_arrival_after(&mut self, t: f64) {
        let unit: f64 = Exp1.sample(&mut self.streams.arrivals);
        let next = self.clock.next(t, unit, &mut self.streams.day_noise);
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

    #[inline(always)]
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
        let mut handle_time = spec.handle_time.sample(&mut streams.handle_time);
        if self.forecast_aht {
            // A forecast's AHT for this interval scales every class's talk time.
            handle_time *= self.scenario.arrivals.handle_factor_at(now);
        }
        let after_call_work = spec
            .after_call_work
            .as_ref()
            .map_or(0.0, |d| d.sample(&mut streams.after_call_work));
        // Resolution is drawn at arrival too, so variants face the same cases.
        let kind = match &spec.follow_up {
            Some(f) if streams.resolution.random::<f64>() >= spec.first_contact_resolution => {
                CallKind::Unresolved {
                    work: f.work.sample(&mut streams.resolution),
                }
            }
            _ => CallKind::Resolves,
        };
        // Misroutes are drawn for every caller of the class, needed or not (aligned variants).
        let (department, transfer_to, level) = match &spec.misroute {
            Some(m) => {
                let misrouted = streams.routing.random::<f64>() < m.probability;
                let other = streams.routing.random_range(0..self.departments - 1) as u8;
                let home = spec.department;
                // Any department but the right one, equally likely.
                let wrong = if other >= home { other + 1 } else { other };
                let department = if misrouted { wrong } else { home };
                let transfer_to = if misrouted { home + 1 } else { NO_TRANSFER };
                (department, transfer_to, self.level_in(class, department))
            }
            None => (spec.department, NO_TRANSFER, self.class_level[class]),
        };
        observer.contact_offered(now, class);
        let caller = Caller {
            class: class as u16,
            level,
            department,
            transfer_to,
            contacts: 1,
            case_start: now,
            arrival: now,
            handle_time,
            after_call_work,
            kind,
            ..Caller::default()
        };
        self.route_caller(caller, patience, observer);
    }

    /// A ringing caller goes to the longest-idle agent, or waits with their patience running.
    #[inline]
    pub(super) fn route_caller<O: Observer>(
        &mut self,
        caller: Caller,
        patience: Option<f64>,
        observer: &mut O,
    ) {
        // A caller being put through already holds a line.
        if self.count_lines
            && caller.transfer_to != TRANSFERRED
            && self.lines_full(caller.department)
        {
            self.busy_signal(caller, observer);
            return;
        }
        let free = if self.departments > 1 {
            self.take_idle_for(caller.department)
        } else {
            self.agents.take_longest_idle()
        };
        if let Some(agent) = free {
            // Answered at once: the caller never needs a slot.
            self.start_call(agent, &caller, observer);
            return;
        }
        if self.divert(&caller, observer) {
            return;
        }
        let level = caller.level as usize;
        let caller = self.callers.insert(Caller {
            in_queue: true,
            ..caller
        });
        let generation = self.callers.get(caller).generation;
        self.queue.push(level, caller, generation);
        observer.queue_length(self.now, self.on_hold());
        if let Some(p) = patience {
            self.events
                .schedule(self.now + p, Event::CallerAbandons { caller, generation });
        }
    }

    /// The head of the queue leaves it: a caller on hold is answered, a callback holding its
    /// place is dialled.
    #[inline]
    pub(super) fn answer_waiting<O: Observer>(
        &mut self,
        agent: AgentId,
        caller: CallerId,
        observer: &mut O,
    ) {
        let c = *self.callers.get(caller);
        if c.is_callback {
            self.virtual_in_queue -= 1;
            self.start_callback_attempt(agent, caller, observer);
            return;
        }
        self.callers.release(caller);
        observer.queue_length(self.now, self.on_hold());
        self.start_call(agent, &c, observer);
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
        self.callers.get_mut(caller).in_queue = false;
        observer.queue_length(self.now, self.on_hold());
        observer.contact_abandoned(c.arrival, self.now, c.class as usize);
        self.caller_hung_up(c, Some(caller), observer);
    }

    /// Every line is taken: the caller hears a busy signal and may redial (their class's
    /// redial settings), or, for a status call, waits out their tolerance again.
    #[cold]
    #[inline(never)]
    fn busy_signal<O: Observer>(&mut self, caller: Caller, observer: &mut O) {
        observer.contact_blocked(self.now, caller.class as usize);
        self.caller_hung_up(caller, None, observer);
    }

    /// `agent` answers caller `c` now.
    #[inline]
    fn start_call<O: Observer>(&mut self, agent: AgentId, c: &Caller, observer: &mut O) {
        if c.transfer_to != NO_TRANSFER && c.transfer_to != TRANSFERRED {
            self.start_transfer(agent, c, observer);
            return;
        }
        let class = c.class as usize;
        let pace = self.pace(agent);
        let talk = c.handle_time * pace;
        let a = self.agents.get_mut(agent);
        a.call.class = c.class;
        a.call.department = c.department;
        a.call.arrival = c.arrival;
        a.call.case_start = c.case_start;
        a.call.contacts = c.contacts;
        a.call.after_call_work = c.after_call_work * pace;
        a.call.kind = c.kind;
        let watchers = a.watchers;
        self.set_agent_state(agent, AgentState::Talking, observer);
        observer.contact_answered(&AnsweredContact {
            class,
            arrival: c.arrival,
            answered: self.now,
            agent: agent.0,
            talk_s: talk,
            watchers,
        });
        self.events
            .schedule(self.now + talk, Event::ServiceEnds { agent });
    }

    /// An agent of a wrong department answers a misrouted call: they talk until they have
    /// understood it, then transfer it. That call is not answered yet, as the customer lives it.
    #[cold]
    #[inline(never)]
    fn start_transfer<O: Observer>(&mut self, agent: AgentId, c: &Caller, observer: &mut O) {
        let class = &self.scenario.callers[c.class as usize];
        let misroute = class
            .misroute
            .as_ref()
            .expect("only misrouted calls transfer");
        let talk = misroute.transfer_time.sample(&mut self.streams.routing) * self.pace(agent);
        let a = self.agents.get_mut(agent);
        a.call.class = c.class;
        a.call.department = c.department;
        a.call.arrival = c.arrival;
        a.call.case_start = c.case_start;
        a.call.contacts = c.contacts;
        a.call.after_call_work = 0.0;
        a.call.kind = CallKind::Transfer;
        a.transferring = Caller {
            in_queue: false,
            ..*c
        };
        self.set_agent_state(agent, AgentState::Talking, observer);
        self.events
            .schedule(self.now + talk, Event::ServiceEnds { agent });
    }

    /// The transfer: the caller waits again, in the right department's queue, with fresh
    /// patience, and talks there for their own handle time; both scaled by how agitated the
    /// transfer made them (`after_transfer`). Their wait keeps counting from when they first
    /// rang.
    #[cold]
    #[inline(never)]
    fn put_through<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let mut c = self.agents.get(agent).transferring;
        let class = c.class as usize;
        c.department = c.transfer_to - 1;
        c.transfer_to = TRANSFERRED;
        c.level = self.class_level[class];
        observer.contact_transferred(self.now, c.arrival, class);
        let spec = &self.scenario.callers[class];
        let agitated = spec.after_transfer;
        c.handle_time *= agitated.handle_factor;
        let patience = spec
            .patience
            .as_ref()
            .map(|d| d.sample(&mut self.streams.routing) * agitated.patience_factor);
        self.route_caller(c, patience, observer);
    }

    #[inline(always)]
    fn service_ends<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let call = self.agents.get(agent).call;
        let class = call.class as usize;
        match call.kind {
            CallKind::Resolves => {
                observer.case_resolved(call.case_start, self.now, class, u32::from(call.contacts))
            }
            CallKind::Unresolved { work } => self.promise_follow_up(agent, &call, work),
            CallKind::Status {
                follow_up,
                generation,
            } => self.restart_tolerance(follow_up, generation),
            CallKind::Transfer => self.put_through(agent, observer),
        }
        if call.after_call_work > 0.0 {
            self.set_agent_state(agent, AgentState::WrapUp, observer);
            self.events
                .schedule(self.now + call.after_call_work, Event::WrapUpEnds { agent });
        } else {
            self.task_done(agent, observer);
        }
    }
}
