//! Queueing and routing: the arrival stream, who a ringing caller reaches, the waiting queue
//! with patience, busy signals (lines), and misrouted calls put through to the right
//! department (DESIGN.md section 2: Callers; Departments).
//!
//! The component owns the arrival clock, the class draw, the queue levels of classes and
//! departments and the counts of callers talking that line limits need. The waiting callers
//! themselves are in [`WaitingQueue`] and [`CallerSlab`], which other components reach through
//! their methods (a callback holds a caller slot, a redial waits in one).

use rand::RngExt;
use rand_distr::{Distribution, Exp1};

use super::agent::{Activity, Agents, CallInHand, CallKind};
use super::arrival::ArrivalClock;
use super::caller::{Caller, NO_TRANSFER, TRANSFERRED};
use super::class_draw::{ClassAtArrival, ClassDraw};
use super::event::{AgentEvent, AgentId, CallerId, Event, QueueEvent};
use super::observer::{AnsweredContact, Observer};
use super::sim::{Component, Simulation};
use super::skill_groups::{SkillGroups, SkillOrders};
use super::time::{SampleSpan, SimDuration, SimTime};
use crate::model::Scenario;

#[cfg(doc)]
use super::caller::{CallerSlab, WaitingQueue};
/// The routing component's state.
pub struct Routing {
    /// The class draw over the callers' shares.
    class_draw: ClassDraw,
    /// What an arrival of each class reads first; the one place a class's queue level
    /// (0 = highest priority) is kept.
    classes: Vec<ClassAtArrival>,
    /// Queue levels in all: departments × priority levels.
    levels: usize,
    /// Priority levels per department (queue level = department × this + priority level).
    priority_levels: usize,
    /// Departments (1 without `agents.skills`).
    departments: usize,
    /// When the next caller rings.
    clock: ArrivalClock,
    /// Whether a forecast gives an AHT per interval (handle times are then scaled).
    forecast_aht: bool,
    /// Callers talking to an agent now; kept only with `lines`, to tell a busy signal.
    talking: u32,
    /// Per department, callers talking to an agent now; kept only with lines per department.
    talking_in: Vec<u32>,
    /// Whether any line limit applies (so the talking counts are kept).
    count_lines: bool,
    /// The skill groups that serve each department, all departments' lists end to end (none
    /// with a single queue): two small arrays stay in the cache, where a list per department
    /// sat behind a header of its own.
    serving: Vec<u32>,
    /// Where in `serving` each department's list starts and ends.
    serving_at: Vec<(u32, u32)>,
    /// With departments, the queue levels each agent looks at when it is free.
    skill_orders: SkillOrders,
}

impl Routing {
    /// The component for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let mut priorities: Vec<i32> = scenario.callers.iter().map(|c| c.priority).collect();
        priorities.sort_unstable_by(|a, b| b.cmp(a));
        priorities.dedup();
        // Each department has its own queue levels, by priority.
        let departments = scenario.agents.departments.len().max(1);
        let classes = scenario
            .callers
            .iter()
            .map(|c| {
                let priority = priorities
                    .iter()
                    .position(|p| *p == c.priority)
                    .unwrap_or(0);
                let level = (usize::from(c.department) * priorities.len() + priority) as u16;
                ClassAtArrival::new(c, level)
            })
            .collect();
        Self {
            class_draw: ClassDraw::new(scenario.callers.iter().map(|c| c.share)),
            classes,
            levels: departments * priorities.len(),
            priority_levels: priorities.len(),
            departments,
            clock: ArrivalClock::new(&scenario.arrivals, scenario.day_noise_cv),
            forecast_aht: matches!(
                &scenario.arrivals,
                crate::model::Arrivals::Profile { handle_factors, .. } if !handle_factors.is_empty()
            ),
            talking: 0,
            talking_in: vec![0; scenario.department_lines.len()],
            count_lines: scenario.has_lines(),
            serving: Vec::new(),
            serving_at: Vec::new(),
            skill_orders: SkillOrders::of(scenario, departments, priorities.len()),
        }
    }

    /// Routes by the skill groups `groups`: the agents get their idle lines by group, and
    /// keep the whole idle line too when there is `any_agent_work`.
    pub fn use_skill_groups(
        &mut self,
        groups: SkillGroups,
        any_agent_work: bool,
        agents: &mut Agents,
    ) {
        let count = groups.count();
        agents.set_skill_groups(groups.group_of, count, any_agent_work);
        self.serving_at = groups
            .serving
            .iter()
            .scan(0, |end, g| {
                let start = *end;
                *end += g.len() as u32;
                Some((start, *end))
            })
            .collect();
        self.serving = groups.serving.concat();
    }

    /// Whether calls are routed by department (two or more): free agents then come from the
    /// idle lines of the skill groups that serve the call's department.
    pub fn departments_routed(&self) -> bool {
        self.departments > 1
    }

    /// Queue levels in all (departments × priority levels).
    pub fn levels(&self) -> usize {
        self.levels
    }

    /// Whether any line limit applies, so that agents' state changes count callers talking.
    #[inline]
    pub fn counts_lines(&self) -> bool {
        self.count_lines
    }
}

impl Component for Routing {
    /// The arrival clock starts again, nobody talks.
    fn reset(&mut self) {
        self.clock.reset();
        self.talking = 0;
        self.talking_in.iter_mut().for_each(|n| *n = 0);
    }

    /// Never: with departments a free agent serves only their skills, but that is which
    /// caller they take ([`Simulation::next_waiting`]), which the plain path asks too.
    fn diverts_agents(&self) -> bool {
        false
    }
}

impl Simulation<'_> {
    /// Queueing and routing's own event: a waiting caller's patience runs out.
    #[inline(always)]
    pub(super) fn on_queue<O: Observer>(&mut self, event: QueueEvent, observer: &mut O) {
        let QueueEvent::Abandons { caller, generation } = event;
        self.caller_abandons(caller, generation, observer);
    }

    /// Callers on hold (callbacks keeping a place in the queue are not on hold).
    #[inline]
    pub(super) fn on_hold(&self) -> u32 {
        self.queue.len() - self.callbacks.holding_places()
    }

    /// Whether a new caller at department `d` finds every line taken: all lines (talking or
    /// on hold), or the department's own.
    #[inline(never)]
    fn lines_full(&self, d: u8) -> bool {
        if let Some(lines) = self.scenario.lines
            && self.on_hold() + self.routing.talking >= lines
        {
            return true;
        }
        let Some(&lines) = self.scenario.department_lines.get(d as usize) else {
            return false;
        };
        let from = d as usize * self.routing.priority_levels;
        let in_department = (from..from + self.routing.priority_levels)
            .map(|level| self.queue.waiting_at(level))
            .sum::<u32>()
            + self.routing.talking_in[d as usize];
        in_department >= lines
    }

    /// Keeps the counts of callers talking (all, and per department) that lines need.
    #[inline(never)]
    pub(super) fn count_talking(&mut self, from: &Activity, to: &Activity) {
        // The department whose line a caller on the phone holds.
        let line = |a: &Activity| match *a {
            Activity::Talking(call) => Some(call.department),
            Activity::Transferring { department, .. } => Some(department),
            _ => None,
        };
        let (start, end) = (line(to), line(from));
        self.routing.talking =
            self.routing.talking + u32::from(start.is_some()) - u32::from(end.is_some());
        if !self.routing.talking_in.is_empty() {
            if let Some(d) = end {
                self.routing.talking_in[d as usize] -= 1;
            }
            if let Some(d) = start {
                self.routing.talking_in[d as usize] += 1;
            }
        }
    }

    /// Queue level of caller class `class`.
    pub(super) fn class_level(&self, class: usize) -> u16 {
        self.routing.classes[class].level
    }

    /// Queue level of caller class `class` put through to `department`.
    fn level_in(&self, class: usize, department: u8) -> u16 {
        let home = self.scenario.callers[class].department;
        let shift = (i32::from(department) - i32::from(home)) * self.routing.priority_levels as i32;
        (i32::from(self.class_level(class)) + shift) as u16
    }

    /// The longest-idle agent who serves `department` (managers who take calls serve all):
    /// the longest idle of the skill groups that serve it.
    #[cold]
    #[inline(never)]
    fn take_idle_for(&mut self, department: u8) -> Option<AgentId> {
        let (from, to) = self.routing.serving_at[usize::from(department)];
        let groups = &self.routing.serving[from as usize..to as usize];
        self.agents.take_longest_idle_in(groups)
    }

    /// Asks the processor for what a free agent reads to find its queues: on a large floor,
    /// its skill order's entry in an index of every agent.
    #[inline(always)]
    pub(super) fn prefetch_skill_order(&self, agent: AgentId) {
        self.routing.skill_orders.prefetch(agent);
    }

    /// The head of the queue that `agent` serves: its departments in order, each by priority.
    #[inline]
    pub(super) fn next_waiting(&mut self, agent: AgentId) -> Option<CallerId> {
        if self.queue.len() == 0 {
            // Nobody waits (most of the time on a large floor): no level to look at.
            return None;
        }
        match self.routing.skill_orders.levels_of(agent) {
            Some(levels) => self
                .queue
                .pop_in(&self.callers, levels.iter().map(|&l| usize::from(l))),
            None => self.queue.pop(&self.callers),
        }
    }

    /// Always inlined: it runs once per arrival and is small (1.7 % fewer instructions).
    #[inline(always)]
    pub(super) fn schedule_arrival_after(&mut self, t: SimTime) {
        let unit: f64 = Exp1.sample(&mut self.streams.arrivals);
        let next = self
            .routing
            .clock
            .next(t, unit, &mut self.streams.day_noise);
        if next < self.horizon() {
            self.events.schedule(next, Event::CallArrives);
        }
    }

    /// The ringing caller's class. Always inlined, so that a single class costs one test at
    /// the arrival; the draw among several is a call of its own.
    #[inline(always)]
    fn draw_class(&mut self) -> usize {
        if self.routing.class_draw.single() {
            return 0;
        }
        self.draw_one_of_classes()
    }

    #[inline(never)]
    fn draw_one_of_classes(&mut self) -> usize {
        let u: f64 = self.streams.caller_class.random();
        self.routing.class_draw.class_of(u)
    }

    #[inline(always)]
    pub(super) fn call_arrives<O: Observer>(&mut self, observer: &mut O) {
        let now = self.now;
        self.schedule_arrival_after(now);
        let class = self.draw_class();
        let at_arrival = &self.routing.classes[class];
        let spec = &self.scenario.callers[class];
        let streams = &mut self.streams;
        let patience = at_arrival
            .patience
            .as_ref()
            .map(|d| d.span(&mut streams.patience));
        let mut handle_time = at_arrival.handle_time.span(&mut streams.handle_time);
        if self.routing.forecast_aht {
            // A forecast's AHT for this interval scales every class's talk time.
            handle_time *= self.scenario.arrivals.handle_factor_at(now.secs());
        }
        // The scenario's class is read only for the extras the class has.
        let after_call_work = if at_arrival.has(ClassAtArrival::AFTER_CALL_WORK) {
            spec.after_call_work
                .as_ref()
                .map_or(SimDuration::ZERO, |d| d.span(&mut streams.after_call_work))
        } else {
            SimDuration::ZERO
        };
        // Resolution is drawn at arrival too, so variants face the same cases.
        let follow_up = if at_arrival.has(ClassAtArrival::FOLLOW_UP) {
            spec.follow_up.as_ref()
        } else {
            None
        };
        let kind = match follow_up {
            Some(f) if streams.resolution.random::<f64>() >= spec.first_contact_resolution => {
                CallKind::Unresolved {
                    work: f.work.span(&mut streams.resolution),
                }
            }
            _ => CallKind::Resolves,
        };
        // Misroutes are drawn for every caller of the class, needed or not (aligned variants).
        let misroute = if at_arrival.has(ClassAtArrival::MISROUTE) {
            spec.misroute.as_ref()
        } else {
            None
        };
        let (department, transfer_to, level) = match misroute {
            Some(m) => {
                let misrouted = streams.routing.random::<f64>() < m.probability;
                let other = streams
                    .routing
                    .random_range(0..self.routing.departments - 1)
                    as u8;
                let home = spec.department;
                // Any department but the right one, equally likely.
                let wrong = if other >= home { other + 1 } else { other };
                let department = if misrouted { wrong } else { home };
                let transfer_to = if misrouted { home + 1 } else { NO_TRANSFER };
                (department, transfer_to, self.level_in(class, department))
            }
            None => (at_arrival.department, NO_TRANSFER, at_arrival.level),
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
        patience: Option<SimDuration>,
        observer: &mut O,
    ) {
        // A caller being put through already holds a line.
        if self.routing.count_lines
            && caller.transfer_to != TRANSFERRED
            && self.lines_full(caller.department)
        {
            self.busy_signal(caller, observer);
            return;
        }
        let free = if self.routing.departments > 1 {
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
            self.events.schedule(
                self.now + p,
                Event::Queue(QueueEvent::Abandons { caller, generation }),
            );
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
            self.callbacks.place_taken();
            self.start_callback_attempt(agent, caller, observer);
            return;
        }
        self.callers.release(caller);
        self.events.cancel_patience(caller);
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
        observer.contact_abandoned(self.now, c.contact());
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
        let call = CallInHand {
            class: c.class,
            department: c.department,
            case_start: c.case_start,
            contacts: c.contacts,
            after_call_work: c.after_call_work * pace,
            kind: c.kind,
        };
        let watchers = self.agents.get(agent).watchers;
        self.set_activity(agent, Activity::Talking(call), observer);
        observer.contact_answered(&AnsweredContact {
            class,
            arrival: c.arrival,
            answered: self.now,
            agent: agent.0,
            talk,
            watchers,
        });
        self.events.schedule(
            self.now + talk,
            Event::Agent(AgentEvent::ServiceEnds { agent }),
        );
    }
}
