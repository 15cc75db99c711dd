//! Agents at work: the end of a call, what an agent does next (status reports, slack when
//! unobserved, waiting callers, promised follow-ups, callbacks, outbound), the pace of their
//! work and their state changes (DESIGN.md section 2: Agents). The agents' own state is in
//! [`super::agent::Agents`].

use rand::RngExt;

use super::agent::{Activity, CallKind, NO_BEHAVIOUR};
use super::event::{AgentEvent, AgentId, Event};
use super::observer::{AgentState, Observer};
use super::sim::{Component, Simulation};
use super::time::{SampleSpan, SimDuration, secs};
use crate::model::{Behaviour, CallbackPolicy, FollowUpPolicy, Scenario};

/// Agents' habits that change their work: slack while unobserved, and paces that differ from
/// 1 (watched or not). Kept as flags so that the hot path skips what no agent does.
#[derive(Debug)]
pub struct WorkHabits {
    /// Whether any agent can slack.
    slack_possible: bool,
    /// Whether any pace factor differs from 1.
    paced: bool,
}

impl WorkHabits {
    /// The habits of `floor`'s agents.
    pub fn new(floor: &crate::model::Floor) -> Self {
        Self {
            slack_possible: floor.slack_possible(),
            paced: floor
                .behaviour
                .iter()
                .any(|b| b.pace != 1.0 || b.observed_pace != 1.0),
        }
    }
}

impl Component for WorkHabits {
    fn reset(&mut self) {}

    /// An agent who may slack does not always take the next caller.
    fn diverts_agents(&self) -> bool {
        self.slack_possible
    }
}

impl<'s> Simulation<'s> {
    /// An agent's task in hand ends.
    #[inline(always)]
    pub(super) fn on_agent<O: Observer>(&mut self, event: AgentEvent, observer: &mut O) {
        match event {
            AgentEvent::ServiceEnds { agent } => self.service_ends(agent, observer),
            AgentEvent::WrapUpEnds { agent } | AgentEvent::ReportEnds { agent } => {
                self.task_done(agent, observer)
            }
            AgentEvent::SlackEnds { agent, epoch } => self.slack_ends(agent, epoch, observer),
        }
    }

    #[inline(always)]
    pub(super) fn service_ends<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let call = match self.agents.get(agent).activity {
            Activity::Talking(call) | Activity::CallingBack(call) => call,
            Activity::Transferring { caller, .. } => {
                // Understood: the caller is put through, and the agent is free (no wrap-up).
                self.put_through(caller, observer);
                self.task_done(agent, observer);
                return;
            }
            other => unreachable!("a service ends only on the phone, not in {other:?}"),
        };
        match call.kind {
            CallKind::Resolves => {
                observer.case_resolved(self.now, call.case(), u32::from(call.contacts))
            }
            CallKind::Unresolved { work } => self.promise_follow_up(agent, &call, work),
            CallKind::Status {
                follow_up,
                generation,
            } => self.restart_tolerance(follow_up, generation),
        }
        if call.after_call_work > SimDuration::ZERO {
            self.set_agent_state(agent, AgentState::WrapUp, observer);
            self.events.schedule(
                self.now + call.after_call_work,
                Event::Agent(AgentEvent::WrapUpEnds { agent }),
            );
        } else {
            self.task_done(agent, observer);
        }
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
        if !self.habits.paced {
            return 1.0;
        }
        match self.behaviour(agent) {
            None => 1.0,
            Some(b) if self.agents.get(agent).observed() => b.observed_pace,
            Some(b) => b.pace,
        }
    }

    /// Moves an agent to `activity`, telling the observer when the state changes. A manager
    /// who takes calls stops watching her team while she works and resumes when idle.
    #[inline(always)]
    pub(super) fn set_activity<O: Observer>(
        &mut self,
        agent: AgentId,
        activity: Activity,
        observer: &mut O,
    ) {
        let state = activity.kind();
        let left = if activity.is_idle() {
            self.agents.make_idle(agent)
        } else {
            self.agents.set_activity(agent, activity)
        };
        let from = left.kind();
        if from != state {
            observer.agent_state_changes(self.now, agent.0, from, state);
            if let Some(group) = self.agents.skill_group(agent) {
                observer.skill_group_state_changes(self.now, group, from, state);
            }
            if self.routing.counts_lines() {
                self.count_talking(&left, &activity);
            }
            if self.managers.take_calls() {
                self.manager_takes_or_ends_a_task(agent, from, state, observer);
            }
        } else if self.routing.counts_lines() {
            // From one call straight to the next: the two may be at different departments.
            self.count_talking(&left, &activity);
        }
    }

    /// [`Simulation::set_activity`] for the states without a payload (idle, wrap-up, slack,
    /// reports, away, off duty).
    #[inline(always)]
    pub(super) fn set_agent_state<O: Observer>(
        &mut self,
        agent: AgentId,
        state: AgentState,
        observer: &mut O,
    ) {
        self.set_activity(agent, Activity::plain(state), observer);
    }
    /// The agent has finished a piece of work (a call and its wrap-up, a follow-up, a report).
    #[inline]
    pub(super) fn task_done<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        if self.plain {
            // The textbook queue (by department, with skills): the next caller this agent
            // serves, or the idle line.
            match self.next_waiting(agent) {
                Some(caller) => self.answer_waiting(agent, caller, observer),
                None => self.set_agent_state(agent, AgentState::Idle, observer),
            }
            return;
        }
        if self.agents.get(agent).report_pending.is_some() {
            self.start_report(agent, observer);
            return;
        }
        if self.habits.slack_possible
            && !self.agents.get(agent).observed()
            && self.unavailable(agent).is_none()
        {
            let morale = self.agents.get(agent).morale;
            if let Some(slack) = self.behaviour(agent).and_then(|b| b.slack.as_ref()) {
                let d = slack.span(&mut self.streams.behaviour) * morale;
                let epoch = self.agents.get(agent).slack_epoch;
                self.set_agent_state(agent, AgentState::Slack, observer);
                self.events.schedule(
                    self.now + d,
                    Event::Agent(AgentEvent::SlackEnds { agent, epoch }),
                );
                return;
            }
        }
        self.seek_work(agent, observer);
    }

    /// The agent is ready: an overdue follow-up (if the policy says so), else the head of the
    /// queue, else a due follow-up, else the idle line. Once arrivals have stopped, promises go
    /// first, so the drain always ends.
    #[inline]
    pub(super) fn seek_work<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        if let Some(off) = self.unavailable(agent) {
            self.set_agent_state(agent, off, observer);
            if off == AgentState::OffDuty && self.agents.get(agent).watchers != 0 {
                self.leave_watchers(agent, observer);
            }
            return;
        }
        let draining = self.now >= self.horizon();
        let overdue_first = self.scenario.floor.follow_up_policy == FollowUpPolicy::OverdueFirst;
        if (draining || overdue_first)
            && let Some(f) = self
                .due_follow_up(agent, !draining)
                .or_else(|| self.take_from_pool(agent, !draining))
        {
            self.start_follow_up(agent, f, observer);
            return;
        }
        let reserved = self.agents.get(agent).reserved;
        if let Some(cb) = &self.scenario.callbacks {
            // Reserved agents serve only callbacks; the deadline policy lets callbacks close to
            // their promise go before callers on hold.
            let due_within = match cb.policy {
                _ if reserved => Some(secs(f64::INFINITY)),
                CallbackPolicy::Deadline { margin_s } => Some(secs(margin_s)),
                _ => None,
            };
            if let Some(margin) = due_within
                && let Some(id) = self.next_callback(Some(margin))
            {
                self.start_callback_attempt(agent, id, observer);
                return;
            }
        }
        if !reserved && let Some(caller) = self.next_waiting(agent) {
            self.answer_waiting(agent, caller, observer);
            return;
        }
        if !reserved
            && self.scenario.callbacks.is_some()
            && let Some(id) = self.next_callback(None)
        {
            self.start_callback_attempt(agent, id, observer);
            return;
        }
        if let Some(f) = self
            .due_follow_up(agent, false)
            .or_else(|| self.take_from_pool(agent, false))
        {
            self.start_follow_up(agent, f, observer);
            return;
        }
        if self.scenario.outbound.is_some() && self.try_outbound(agent, observer) {
            return;
        }
        self.set_agent_state(agent, AgentState::Idle, observer);
    }

    pub(super) fn slack_ends<O: Observer>(&mut self, agent: AgentId, epoch: u32, observer: &mut O) {
        let a = self.agents.get(agent);
        if matches!(a.activity, Activity::Slack) && a.slack_epoch == epoch {
            self.seek_work(agent, observer);
        }
    }

    /// A manager asks `agent` for a status report that takes `length`, written once the agent
    /// is free.
    pub(super) fn request_report<O: Observer>(
        &mut self,
        agent: AgentId,
        length: SimDuration,
        observer: &mut O,
    ) {
        let a = self.agents.get_mut(agent);
        if a.report_pending.is_some() {
            return; // one report at a time
        }
        a.report_pending = Some(length);
        if matches!(a.activity, Activity::Idle | Activity::Slack) {
            self.start_report(agent, observer);
        }
    }

    fn start_report<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let a = self.agents.get_mut(agent);
        let length = a.report_pending.take().unwrap_or(SimDuration::ZERO);
        a.slack_epoch = a.slack_epoch.wrapping_add(1);
        self.set_agent_state(agent, AgentState::Report, observer);
        self.events.schedule(
            self.now + length,
            Event::Agent(AgentEvent::ReportEnds { agent }),
        );
    }

    /// A manager starts watching `agent`: slack ends at once and every promised follow-up may
    /// start as soon as the agent is free.
    pub(super) fn agent_now_watched<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let now = self.now;
        for i in 0..self.agents.get(agent).owned.len() {
            let id = self.agents.get(agent).owned[i];
            let f = self.follow_ups.get_mut(id);
            f.startable_at = f.startable_at.min(now);
        }
        match self.agents.get(agent).state() {
            AgentState::Slack => {
                let a = self.agents.get_mut(agent);
                a.slack_epoch = a.slack_epoch.wrapping_add(1);
                self.seek_work(agent, observer);
            }
            AgentState::Idle => self.follow_up_due(agent, observer),
            _ => {}
        }
    }

    /// Draws whether a walker asks for a report (kept here to share the managers' stream).
    pub(super) fn draw_report(&mut self, probability: f64) -> bool {
        probability > 0.0 && self.streams.managers.random::<f64>() < probability
    }
}
