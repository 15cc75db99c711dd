//! Agents who come and go: shifts and breaks, absences, outages, and the handover of an absent
//! agent's promises (DESIGN.md section 2: Agents; Follow-ups).
//!
//! An agent who must stop finishes the task in hand first (a call, its wrap-up, a follow-up,
//! a report); an idle or slacking agent stops at once. Off shift, on a break or on leave the
//! agent is [`AgentState::OffDuty`] (not logged in); during an outage a logged-in agent is
//! [`AgentState::Away`].

use super::event::{AgentId, Event, FollowUpId, RosterEvent};
use super::follow_up::NO_OWNER;
use super::observer::{AgentState, Observer};
use std::collections::VecDeque;

use super::sim::{Component, Simulation};
use super::time::{SimTime, secs};
use crate::model::{DAY_S, DutyChange, Handover, Scenario, timetable};

/// The roster component's state: the day's log-ins and log-outs, the staffing plan's agents
/// in and out, and the follow-ups of absent agents waiting in the pool.
#[derive(Debug, Default)]
pub struct Roster {
    /// The day's log-ins and log-outs of every shift, in time order.
    timetable: Vec<DutyChange>,
    /// The plan's counts for one day, with a closing 0 when it ends before the day (empty
    /// without a plan).
    plan_steps: Vec<u32>,
    /// With a plan: the agents logged in, longest first (they log out first).
    logged_in: VecDeque<u32>,
    /// With a plan: the agents logged out, longest first (they log in first).
    logged_out: VecDeque<u32>,
    /// Stretches of the day (seconds from midnight) when no shift works; empty without shifts.
    closed_hours: Vec<(f64, f64)>,
    /// Follow-ups of absent agents that any free agent may take (handover `pool`).
    follow_up_pool: Vec<FollowUpId>,
    /// Whether agents come and go (shifts, a plan, absences).
    rostered: bool,
}

impl Roster {
    /// The component for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            timetable: timetable(&scenario.agents.shifts),
            closed_hours: scenario.agents.closed_hours(),
            plan_steps: scenario
                .agents
                .plan
                .as_ref()
                .map_or_else(Vec::new, |p| p.steps().collect()),
            rostered: scenario.agents.rostered(),
            ..Self::default()
        }
    }
}

impl Component for Roster {
    /// The pool is emptied; the plan's lists are filled at the start (`start_roster`).
    fn reset(&mut self) {
        self.follow_up_pool.clear();
    }

    fn diverts_agents(&self) -> bool {
        self.rostered
    }
}

impl Simulation<'_> {
    /// An event of the roster.
    pub(super) fn on_roster<O: Observer>(&mut self, event: RosterEvent, observer: &mut O) {
        match event {
            RosterEvent::DutyChange { entry } => self.duty_change(entry, observer),
            RosterEvent::PlanChange { step } => self.plan_change(step, observer),
            RosterEvent::Absence { index, starts } => self.absence(index, starts, observer),
        }
    }

    /// Logs out the shifts that are not on duty at time 0 and schedules the first log-in or
    /// log-out of each timetable entry, and every absence.
    pub(super) fn start_roster<O: Observer>(&mut self, observer: &mut O) {
        let pool = &self.scenario.agents;
        for (s, shift) in pool.shifts.iter().enumerate() {
            if !shift.on_duty_at_start() {
                for a in pool.shift_agents(s) {
                    self.agents.get_mut(AgentId(a)).off_shift = true;
                    self.duty_changed(AgentId(a), observer);
                }
            }
        }
        for (entry, change) in self.roster.timetable.iter().enumerate() {
            // A change at midnight is already in the state at time 0.
            let first = if change.time_of_day_s > 0.0 {
                change.time_of_day_s
            } else {
                DAY_S
            };
            self.events.schedule(
                SimTime::from_secs(first),
                Event::Roster(RosterEvent::DutyChange {
                    entry: entry as u32,
                }),
            );
        }
        self.start_plan(observer);
        for (index, absence) in pool.absences.iter().enumerate() {
            self.events.schedule(
                SimTime::from_secs(absence.from_s),
                Event::Roster(RosterEvent::Absence {
                    index: index as u32,
                    starts: true,
                }),
            );
        }
    }

    /// A shift's agents log in or out, if the shift is worked on the day this change belongs
    /// to (the day it started); the same change comes again tomorrow while the floor still
    /// has work (the drain may need tomorrow's shift).
    fn duty_change<O: Observer>(&mut self, entry: u32, observer: &mut O) {
        let change = self.roster.timetable[entry as usize];
        let shift = &self.scenario.agents.shifts[change.shift];
        // The run's day (from 1) of this moment, less the days since the shift started.
        let today = ((self.now.secs() - change.time_of_day_s) / DAY_S).round() as i64 + 1;
        let started = today - i64::from(change.day_offset);
        if shift.days.is_empty() || (started >= 1 && shift.works_on(started as u32)) {
            for a in self.scenario.agents.shift_agents(change.shift) {
                self.agents.get_mut(AgentId(a)).off_shift = !change.on;
                self.duty_changed(AgentId(a), observer);
            }
        }
        if self.floor_active() {
            self.events.schedule(
                self.now + secs(DAY_S),
                Event::Roster(RosterEvent::DutyChange { entry }),
            );
        }
    }

    /// With a plan: the first interval's agents are on at time 0 (the lowest-numbered), the
    /// others log out; every later step of the day is scheduled.
    fn start_plan<O: Observer>(&mut self, observer: &mut O) {
        self.roster.logged_in.clear();
        self.roster.logged_out.clear();
        let Some(plan) = &self.scenario.agents.plan else {
            return;
        };
        let first = self.roster.plan_steps[0];
        for a in 0..self.scenario.agents.count {
            if a < first {
                self.roster.logged_in.push_back(a);
            } else {
                self.roster.logged_out.push_back(a);
                self.agents.get_mut(AgentId(a)).off_shift = true;
                self.duty_changed(AgentId(a), observer);
            }
        }
        for step in 0..self.roster.plan_steps.len() {
            // Step 0 at time 0 is the state above; tomorrow's comes at the end of the day
            // (for a plan that repeats daily).
            if step == 0 && !plan.daily {
                continue;
            }
            let at = if step == 0 {
                DAY_S
            } else {
                step as f64 * plan.interval_s
            };
            self.events.schedule(
                SimTime::from_secs(at),
                Event::Roster(RosterEvent::PlanChange { step: step as u32 }),
            );
        }
    }

    /// The plan's next interval: the agents logged in longest log out (after the task in
    /// hand), or those logged out longest log in, until the count is the plan's. The same step
    /// comes again tomorrow while the floor still has work.
    fn plan_change<O: Observer>(&mut self, step: u32, observer: &mut O) {
        let target = self.roster.plan_steps[step as usize] as usize;
        while self.roster.logged_in.len() > target {
            let Some(a) = self.roster.logged_in.pop_front() else {
                break;
            };
            self.roster.logged_out.push_back(a);
            self.agents.get_mut(AgentId(a)).off_shift = true;
            self.duty_changed(AgentId(a), observer);
        }
        while self.roster.logged_in.len() < target {
            let Some(a) = self.roster.logged_out.pop_front() else {
                break;
            };
            self.roster.logged_in.push_back(a);
            self.agents.get_mut(AgentId(a)).off_shift = false;
            self.duty_changed(AgentId(a), observer);
        }
        let daily = self.scenario.agents.plan.as_ref().is_some_and(|p| p.daily);
        if daily && self.floor_active() {
            self.events.schedule(
                self.now + secs(DAY_S),
                Event::Roster(RosterEvent::PlanChange { step }),
            );
        }
    }

    /// An agent's leave starts (their open follow-ups are handed over, as the scenario says)
    /// or ends.
    fn absence<O: Observer>(&mut self, index: u32, starts: bool, observer: &mut O) {
        let absence = self.scenario.agents.absences[index as usize];
        let agent = AgentId(absence.agent);
        self.agents.get_mut(agent).absent = starts;
        if starts {
            self.hand_over(agent, observer);
            self.events.schedule(
                SimTime::from_secs(absence.to_s),
                Event::Roster(RosterEvent::Absence {
                    index,
                    starts: false,
                }),
            );
        }
        self.duty_changed(agent, observer);
    }

    /// When the floor opens again, if no shift works at this time of day; `None` when one
    /// does (or there are no shifts).
    pub(super) fn next_opening(&self) -> Option<SimTime> {
        let time_of_day = self.now.secs().rem_euclid(DAY_S);
        // A microsecond short of the opening counts as open: rounding in `rem_euclid` must
        // not send the customer round again by a hair.
        self.roster
            .closed_hours
            .iter()
            .find(|&&(from, to)| from <= time_of_day && time_of_day < to - 1e-6)
            .map(|&(_, to)| self.now + secs(to - time_of_day))
    }

    /// The state an agent who may not work now is in, or `None` if they may work.
    #[inline]
    pub(super) fn unavailable(&self, agent: AgentId) -> Option<AgentState> {
        let a = self.agents.get(agent);
        if a.off_shift || a.absent {
            Some(AgentState::OffDuty)
        } else if self.outages.under_way() {
            Some(AgentState::Away)
        } else {
            None
        }
    }

    /// Brings the agent's state in line with whether they may work: an agent who may not stops
    /// now if idle or slacking (busy ones stop when their task ends); one who may again comes
    /// back and looks for work.
    pub(super) fn duty_changed<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let state = self.agents.get(agent).state();
        let stopped = matches!(state, AgentState::Away | AgentState::OffDuty);
        match self.unavailable(agent) {
            None if stopped => {
                if state == AgentState::OffDuty {
                    self.rejoin_team(agent, observer);
                }
                self.seek_work(agent, observer);
            }
            Some(off) if stopped || matches!(state, AgentState::Idle | AgentState::Slack) => {
                let a = self.agents.get_mut(agent);
                a.slack_epoch = a.slack_epoch.wrapping_add(1);
                self.set_agent_state(agent, off, observer);
                if off == AgentState::OffDuty && self.agents.get(agent).watchers != 0 {
                    self.leave_watchers(agent, observer);
                }
            }
            _ => {}
        }
    }

    /// Hands the open follow-ups of `agent`, who goes on leave, to a colleague or the pool. The
    /// one in work, if any, stays: the agent finishes it before leaving.
    fn hand_over<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let handover = self.scenario.agents.handover;
        if handover == Handover::None {
            return;
        }
        let owned = std::mem::take(&mut self.agents.get_mut(agent).owned);
        let mut kept = Vec::new();
        for id in owned {
            if self.follow_ups.get(id).in_work {
                kept.push(id);
                continue;
            }
            match handover {
                Handover::None => unreachable!("returned above"),
                Handover::Colleague => match self.colleague_of(agent) {
                    Some(colleague) => {
                        self.pass_on(id, observer);
                        self.follow_ups.get_mut(id).owner = colleague.0;
                        self.agents.get_mut(colleague).owned.push(id);
                        if self.agents.get(colleague).activity.is_idle() {
                            self.seek_work(colleague, observer);
                        }
                    }
                    None => kept.push(id),
                },
                Handover::Pool => {
                    self.pass_on(id, observer);
                    self.follow_ups.get_mut(id).owner = NO_OWNER;
                    self.roster.follow_up_pool.push(id);
                    if let Some(free) = self.agents.take_longest_idle() {
                        self.seek_work(free, observer);
                    }
                }
            }
        }
        self.agents.get_mut(agent).owned = kept;
    }

    /// A handed-over follow-up may start at once (the new owner has no reason to wait).
    fn pass_on<O: Observer>(&mut self, id: FollowUpId, observer: &mut O) {
        let f = self.follow_ups.get_mut(id);
        f.startable_at = f.startable_at.min(self.now);
        let case = f.case();
        observer.follow_up_handed_over(self.now, case);
    }

    /// The present colleague (not on leave, regular, inbound) with the fewest open follow-ups,
    /// those on shift first; ties go to the lowest number.
    fn colleague_of(&self, agent: AgentId) -> Option<AgentId> {
        (0..self.scenario.agents.count)
            .map(AgentId)
            .filter(|&c| {
                let a = self.agents.get(c);
                c != agent && !a.absent && !a.reserved
            })
            .min_by_key(|&c| {
                let a = self.agents.get(c);
                (a.off_shift, a.owned.len(), c.0)
            })
    }

    /// Takes the pooled follow-up with the earliest deadline (only overdue ones if
    /// `overdue_only`) for `agent`, who becomes its owner.
    pub(super) fn take_from_pool(
        &mut self,
        agent: AgentId,
        overdue_only: bool,
    ) -> Option<FollowUpId> {
        let now = self.now;
        let (i, _) = self
            .roster
            .follow_up_pool
            .iter()
            .enumerate()
            .filter(|&(_, &id)| {
                let f = self.follow_ups.get(id);
                !f.back_office_pending && (!overdue_only || f.deadline <= now)
            })
            .min_by(|a, b| {
                let (fa, fb) = (self.follow_ups.get(*a.1), self.follow_ups.get(*b.1));
                fa.deadline.total_cmp(&fb.deadline)
            })?;
        let id = self.roster.follow_up_pool.swap_remove(i);
        self.agents.get_mut(agent).owned.push(id);
        self.follow_ups.get_mut(id).owner = agent.0;
        Some(id)
    }
}
