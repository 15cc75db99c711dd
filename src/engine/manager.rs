//! Managers and observation: who watches which agent, and when (DESIGN.md section 2: Managers).
//!
//! An agent is *observed* while at least one manager watches them (a bit per manager in
//! `Agent::watchers`). The moment the first watcher arrives, behaviour switches (see
//! `work.rs`); when the last one leaves, later work follows unobserved behaviour again.

use std::ops::Range;

use rand::RngExt;

use super::agent::NO_BEHAVIOUR;
use super::event::{AgentId, Event, ManagerEvent};
use super::observer::{AgentState, Observer};
use super::sim::{Component, Simulation};
use super::time::{SampleSpan, SimTime};
use crate::dist::DurationDist;
use crate::model::{ManagerStyle, Orientation};

/// The managers' component: each manager's state, and the agents watched by at least one.
#[derive(Debug, Default)]
pub struct Managers {
    /// Per manager, in scenario order.
    states: Vec<ManagerState>,
    /// Agents watched by at least one manager.
    observed: u32,
    /// Reusable list of regular agent indices, for drawing whom a walker watches.
    pick: Vec<u32>,
    /// Whether any manager takes calls (and so toggles her team's observation).
    take_calls: bool,
    /// Whether any manager asks for status reports (which take agents off the phones).
    asks_for_reports: bool,
}

impl Managers {
    /// The component for `floor`.
    pub fn new(floor: &crate::model::Floor) -> Self {
        Self {
            take_calls: floor.call_taking_managers() > 0,
            asks_for_reports: floor.asks_for_reports(),
            ..Self::default()
        }
    }

    /// Whether any manager takes calls: then an agent's state change may start or stop her
    /// watching (see [`Simulation::manager_takes_or_ends_a_task`]).
    #[inline]
    pub fn take_calls(&self) -> bool {
        self.take_calls
    }
}

impl Component for Managers {
    /// The floor is seated again at the start of each replication (`start_floor`).
    fn reset(&mut self) {}

    fn diverts_agents(&self) -> bool {
        self.asks_for_reports
    }
}

/// One manager's state during a replication.
#[derive(Debug, Clone, Default)]
struct ManagerState {
    /// A walker on the floor (between visit start and end).
    on_floor: bool,
    /// Agents this manager watches now (walkers: this visit; alongside: the team).
    watching: Vec<AgentId>,
    /// An alongside manager's team (regular agent indices).
    team: Range<u32>,
    /// An alongside manager watches her team now (she is not on a call).
    watching_team: bool,
}

impl Simulation<'_> {
    /// Draws orientations, seats alongside managers with their teams, and sends walkers to the
    /// office for their first stretch.
    pub(super) fn start_floor<O: Observer>(&mut self, observer: &mut O) {
        let floor = &self.scenario.floor;
        let regular = self.scenario.agents.count;
        let shares = floor.orientation_shares;
        for i in 0..regular {
            let u: f64 = self.streams.orientation.random();
            let mut acc = 0.0;
            let mut chosen = Orientation::Boss;
            for o in Orientation::ALL {
                acc += shares[o as usize];
                if u < acc {
                    chosen = o;
                    break;
                }
            }
            self.agents.get_mut(AgentId(i)).behaviour = chosen as u8;
        }
        self.managers.pick.clear();
        self.managers.pick.extend(0..regular);
        self.managers.observed = 0;
        self.managers
            .states
            .resize_with(floor.managers.len(), ManagerState::default);
        let mut next_team_start = 0;
        let mut next_manager_agent = regular;
        for (m, spec) in floor.managers.iter().enumerate() {
            let state = &mut self.managers.states[m];
            state.on_floor = false;
            state.watching_team = false;
            state.watching.clear();
            state.team = 0..0;
            match &spec.style {
                ManagerStyle::Walker { office, .. } => {
                    let first = SimTime::ZERO + office.span(&mut self.streams.managers);
                    self.events.schedule(
                        first,
                        Event::Manager(ManagerEvent::Moves { manager: m as u32 }),
                    );
                }
                ManagerStyle::Alongside {
                    team,
                    morale,
                    takes_calls,
                } => {
                    let size = team.unwrap_or(regular);
                    let range = next_team_start..next_team_start + size;
                    next_team_start += size;
                    for i in range.clone() {
                        self.agents.get_mut(AgentId(i)).morale = *morale;
                    }
                    state.team = range;
                    if *takes_calls {
                        let a = self.agents.get_mut(AgentId(next_manager_agent));
                        a.behaviour = NO_BEHAVIOUR;
                        a.is_manager = Some(m as u32);
                        next_manager_agent += 1;
                    }
                    // Idle at the start, so she watches her team from the first second.
                    self.watch_team(m, observer);
                }
                ManagerStyle::Office => {}
                // Her first visit begins once the roster has settled who is on duty at 0.
                ManagerStyle::Random { .. } => self.events.schedule(
                    SimTime::ZERO,
                    Event::Manager(ManagerEvent::Moves { manager: m as u32 }),
                ),
            }
        }
    }

    /// A manager's event.
    pub(super) fn on_manager<O: Observer>(&mut self, event: ManagerEvent, observer: &mut O) {
        let ManagerEvent::Moves { manager } = event;
        self.manager_moves(manager as usize, observer);
    }

    /// A walker leaves the office for a visit, or ends the visit; a rover moves on.
    fn manager_moves<O: Observer>(&mut self, m: usize, observer: &mut O) {
        let scenario = self.scenario;
        let (office, visit, watches, report_probability, report_time) =
            match &scenario.floor.managers[m].style {
                ManagerStyle::Walker {
                    office,
                    visit,
                    watches,
                    report_probability,
                    report_time,
                } => (office, visit, watches, report_probability, report_time),
                ManagerStyle::Random { visit } => return self.rover_moves_on(m, visit, observer),
                ManagerStyle::Alongside { .. } | ManagerStyle::Office => return,
            };
        if self.managers.states[m].on_floor {
            self.managers.states[m].on_floor = false;
            let mut watching = std::mem::take(&mut self.managers.states[m].watching);
            for &agent in &watching {
                self.unwatch(agent, m, observer);
            }
            watching.clear();
            self.managers.states[m].watching = watching;
            self.report_watch_counts(m, observer);
            if self.floor_active() {
                let t = office.span(&mut self.streams.managers);
                self.events.schedule(
                    self.now + t,
                    Event::Manager(ManagerEvent::Moves { manager: m as u32 }),
                );
            }
            return;
        }
        self.managers.states[m].on_floor = true;
        // Only agents on duty can be watched: they go to the front of the list.
        let regular = self.on_duty_to_front();
        let n = watches.map_or(regular, |w| (w as usize).min(regular));
        // Partial Fisher–Yates: the first n of `pick` become a uniform random sample.
        for i in 0..n.min(regular) {
            let j = self.streams.managers.random_range(i..regular);
            self.managers.pick.swap(i, j);
        }
        let mut watching = std::mem::take(&mut self.managers.states[m].watching);
        watching.clear();
        watching.extend(self.managers.pick[..n].iter().map(|&i| AgentId(i)));
        let length = visit.span(&mut self.streams.managers);
        for &agent in &watching {
            self.watch(agent, m, observer);
            if self.draw_report(*report_probability) {
                let length = report_time.span(&mut self.streams.managers);
                self.request_report(agent, length, observer);
            }
        }
        self.managers.states[m].watching = watching;
        self.report_watch_counts(m, observer);
        self.events.schedule(
            self.now + length,
            Event::Manager(ManagerEvent::Moves { manager: m as u32 }),
        );
    }

    /// A manager who takes calls stops watching her team while she works (`agent` left idle)
    /// and resumes when idle again.
    #[cold]
    #[inline(never)]
    pub(super) fn manager_takes_or_ends_a_task<O: Observer>(
        &mut self,
        agent: AgentId,
        from: AgentState,
        to: AgentState,
        observer: &mut O,
    ) {
        let Some(m) = self.agents.get(agent).is_manager else {
            return;
        };
        if to == AgentState::Idle {
            self.watch_team(m as usize, observer);
        } else if from == AgentState::Idle {
            self.unwatch_team(m as usize, observer);
        }
    }

    /// A rover leaves the agent beside whom she stood and, while the floor is active, stands
    /// beside one drawn at random among those on duty (the same one may come up again).
    fn rover_moves_on<O: Observer>(&mut self, m: usize, visit: &DurationDist, observer: &mut O) {
        let mut watching = std::mem::take(&mut self.managers.states[m].watching);
        for &agent in &watching {
            self.unwatch(agent, m, observer);
        }
        watching.clear();
        self.managers.states[m].watching = watching;
        if self.floor_active() {
            self.rover_steps_aside(m, observer);
            let length = visit.span(&mut self.streams.managers);
            self.events.schedule(
                self.now + length,
                Event::Manager(ManagerEvent::Moves { manager: m as u32 }),
            );
        }
        self.report_watch_counts(m, observer);
    }

    /// Puts the regular agents on duty at the front of the pick list; their number.
    fn on_duty_to_front(&mut self) -> usize {
        let regular = self.managers.pick.len();
        if !self.scenario.agents.rostered() {
            return regular;
        }
        let mut present = 0;
        for i in 0..regular {
            if self.on_duty(AgentId(self.managers.pick[i])) {
                self.managers.pick.swap(i, present);
                present += 1;
            }
        }
        present
    }

    /// An alongside manager (back) at her desk among the team.
    #[cold]
    #[inline(never)]
    fn watch_team<O: Observer>(&mut self, m: usize, observer: &mut O) {
        let team = self.managers.states[m].team.clone();
        self.managers.states[m].watching_team = true;
        for agent in team.map(AgentId) {
            if self.on_duty(agent) {
                self.watch(agent, m, observer);
                self.managers.states[m].watching.push(agent);
            }
        }
        self.report_watch_counts(m, observer);
    }

    /// Whether `agent` is on duty (on shift, not on a break, not on leave).
    pub(super) fn on_duty(&self, agent: AgentId) -> bool {
        let a = self.agents.get(agent);
        !(a.off_shift || a.absent)
    }

    /// `agent` goes off duty: nobody watches an empty desk.
    pub(super) fn leave_watchers<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let watchers = self.agents.get(agent).watchers;
        for m in (0..self.managers.states.len()).filter(|&m| watchers & (1 << m) != 0) {
            self.unwatch(agent, m, observer);
            self.managers.states[m].watching.retain(|&a| a != agent);
            self.rover_steps_aside(m, observer);
            self.report_watch_counts(m, observer);
        }
    }

    /// `agent` comes back on duty: an alongside manager at her desk watches them again, and a
    /// rover who found nobody on duty steps beside someone.
    pub(super) fn rejoin_team<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        for m in 0..self.managers.states.len() {
            let state = &self.managers.states[m];
            if state.watching_team && state.team.contains(&agent.0) {
                self.watch(agent, m, observer);
                self.managers.states[m].watching.push(agent);
                self.report_watch_counts(m, observer);
            } else if state.watching.is_empty() && self.rover_steps_aside(m, observer) {
                self.report_watch_counts(m, observer);
            }
        }
    }

    /// A rover left with nobody beside her (her agent went off duty, or nobody was on duty)
    /// stands beside an agent drawn at random among those on duty, for the rest of her visit.
    /// Whether she did; other styles never do.
    fn rover_steps_aside<O: Observer>(&mut self, m: usize, observer: &mut O) -> bool {
        let roving = matches!(
            self.scenario.floor.managers[m].style,
            ManagerStyle::Random { .. }
        );
        if !roving || !self.managers.states[m].watching.is_empty() || !self.floor_active() {
            return false;
        }
        let on_duty = self.on_duty_to_front();
        if on_duty == 0 {
            return false;
        }
        let j = self.streams.managers.random_range(0..on_duty);
        let agent = AgentId(self.managers.pick[j]);
        self.managers.states[m].watching.push(agent);
        self.watch(agent, m, observer);
        true
    }

    /// An alongside manager takes a call: her team is unobserved until she is free.
    #[cold]
    #[inline(never)]
    fn unwatch_team<O: Observer>(&mut self, m: usize, observer: &mut O) {
        for i in self.managers.states[m].team.clone() {
            self.unwatch(AgentId(i), m, observer);
        }
        self.managers.states[m].watching.clear();
        self.managers.states[m].watching_team = false;
        self.report_watch_counts(m, observer);
    }

    fn watch<O: Observer>(&mut self, agent: AgentId, m: usize, observer: &mut O) {
        observer.agent_watched(self.now, agent.0, m, true);
        let a = self.agents.get_mut(agent);
        let first = a.watchers == 0;
        a.watchers |= 1 << m;
        if first {
            self.managers.observed += 1;
            self.agent_now_watched(agent, observer);
        }
    }

    fn unwatch<O: Observer>(&mut self, agent: AgentId, m: usize, observer: &mut O) {
        observer.agent_watched(self.now, agent.0, m, false);
        let a = self.agents.get_mut(agent);
        let was = a.watchers != 0;
        a.watchers &= !(1 << m);
        if was && a.watchers == 0 {
            self.managers.observed -= 1;
        }
    }

    fn report_watch_counts<O: Observer>(&mut self, m: usize, observer: &mut O) {
        observer.agents_watched(self.now, m, self.managers.states[m].watching.len() as u32);
        observer.agents_observed(self.now, self.managers.observed);
    }
}
