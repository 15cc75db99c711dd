//! What an agent does next: status reports, slack when unobserved, waiting callers, promised
//! follow-ups (DESIGN.md section 2: Agents, Follow-ups).

use rand::RngExt;

use super::agent::{CallInHand, CallKind};
use super::caller::Caller;
use super::event::{AgentId, Event, FollowUpId};
use super::follow_up::FollowUp;
use super::observer::{AgentState, FollowUpOutcome, Observer};
use super::sim::Simulation;
use crate::model::{CallbackPolicy, FollowUpPolicy};

impl Simulation<'_> {
    /// The agent has finished a piece of work (a call and its wrap-up, a follow-up, a report).
    #[inline]
    pub(super) fn task_done<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        if self.plain {
            // The textbook queue: the next caller, or the idle line.
            match self.queue.pop(&self.callers) {
                Some(caller) => self.answer_waiting(agent, caller, observer),
                None => self.set_agent_state(agent, AgentState::Idle, observer),
            }
            return;
        }
        if self.agents.get(agent).report_pending.is_some() {
            self.start_report(agent, observer);
            return;
        }
        if self.slack_possible
            && !self.agents.get(agent).observed()
            && self.unavailable(agent).is_none()
        {
            let morale = self.agents.get(agent).morale;
            if let Some(slack) = self.behaviour(agent).and_then(|b| b.slack.as_ref()) {
                let d = slack.sample(&mut self.streams.behaviour) * morale;
                let epoch = self.agents.get(agent).slack_epoch;
                self.set_agent_state(agent, AgentState::Slack, observer);
                self.events
                    .schedule(self.now + d, Event::SlackEnds { agent, epoch });
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
        let draining = self.now >= self.scenario.horizon;
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
                _ if reserved => Some(f64::INFINITY),
                CallbackPolicy::Deadline { margin_s } => Some(margin_s),
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
        if a.state == AgentState::Slack && a.slack_epoch == epoch {
            self.seek_work(agent, observer);
        }
    }

    /// The startable follow-up of `agent` with the earliest deadline (only overdue ones if
    /// `overdue_only`).
    #[inline]
    fn due_follow_up(&self, agent: AgentId, overdue_only: bool) -> Option<FollowUpId> {
        let owned = &self.agents.get(agent).owned;
        if owned.is_empty() {
            return None;
        }
        let now = self.now;
        owned
            .iter()
            .copied()
            .filter(|&id| {
                let f = self.follow_ups.get(id);
                !f.in_work
                    && !f.back_office_pending
                    && f.startable_at <= now
                    && (!overdue_only || f.deadline <= now)
            })
            .min_by(|&a, &b| {
                let (fa, fb) = (self.follow_ups.get(a), self.follow_ups.get(b));
                fa.deadline.total_cmp(&fb.deadline)
            })
    }

    /// The first call did not resolve: `agent` promises a follow-up.
    pub(super) fn promise_follow_up(&mut self, agent: AgentId, call: &CallInHand, work: f64) {
        let class = call.class as usize;
        let spec = self.scenario.callers[class]
            .follow_up
            .as_ref()
            .expect("unresolved calls come only from classes with a follow-up");
        let mut startable_at = self.now;
        let a = self.agents.get(agent);
        let promise_watchers = a.watchers;
        if !a.observed() {
            let morale = a.morale;
            if let Some(p) = self
                .behaviour(agent)
                .and_then(|b| b.procrastination.as_ref())
            {
                startable_at += p.sample(&mut self.streams.behaviour) * morale;
                self.events
                    .schedule(startable_at, Event::FollowUpDue { agent });
            }
        }
        // Drawn for every promise, needed or not, so variants stay aligned.
        let back_office = spec.back_office.as_ref().and_then(|step| {
            let needed = self.streams.back_office.random::<f64>() < step.probability;
            let work = step.work.sample(&mut self.streams.back_office);
            needed.then_some(work)
        });
        let id = self.follow_ups.insert(FollowUp {
            class: call.class,
            owner: agent.0,
            back_office_pending: back_office.is_some(),
            back_office_work: back_office.unwrap_or(0.0),
            first_arrival: call.case_start,
            promised: self.now,
            deadline: self.now + spec.promise_s,
            startable_at,
            work,
            promise_watchers,
            contacts: u32::from(call.contacts),
            ..FollowUp::default()
        });
        self.agents.get_mut(agent).owned.push(id);
        let generation = self.follow_ups.get(id).generation;
        self.restart_tolerance(id, generation);
        if back_office.is_some() {
            self.back_office.queue.push_back(id);
            self.dispatch_back_office();
        }
    }

    /// The customer's tolerance to silence starts (again) now, if the case is still open.
    pub(super) fn restart_tolerance(&mut self, id: FollowUpId, generation: u32) {
        let f = self.follow_ups.get(id);
        if f.generation != generation {
            return; // resolved meanwhile
        }
        let class = f.class as usize;
        let Some(tolerance) = self.scenario.callers[class]
            .follow_up
            .as_ref()
            .and_then(|s| s.tolerance.as_ref())
        else {
            return;
        };
        let t = tolerance.sample(&mut self.streams.status_calls);
        let f = self.follow_ups.get_mut(id);
        f.epoch = f.epoch.wrapping_add(1);
        let epoch = f.epoch;
        self.events.schedule(
            self.now + t,
            Event::StatusCallDue {
                follow_up: id,
                epoch,
            },
        );
    }

    /// The customer has heard nothing for too long and calls to ask.
    pub(super) fn status_call_due<O: Observer>(
        &mut self,
        id: FollowUpId,
        epoch: u32,
        observer: &mut O,
    ) {
        if self.follow_ups.get(id).epoch != epoch {
            return;
        }
        if let Some(opening) = self.next_opening() {
            // Nobody works at this hour: the customer calls when the floor opens.
            self.events.schedule(
                opening,
                Event::StatusCallDue {
                    follow_up: id,
                    epoch,
                },
            );
            return;
        }
        let f = self.follow_ups.get_mut(id);
        f.contacts += 1;
        let class = f.class as usize;
        let generation = f.generation;
        let spec = &self.scenario.callers[class];
        let streams = &mut self.streams;
        let handle_time = spec
            .follow_up
            .as_ref()
            .expect("only follow-ups have status calls")
            .status_call
            .sample(&mut streams.status_calls);
        // Status calls draw from their own stream so first calls keep common random numbers.
        let patience = spec
            .patience
            .as_ref()
            .map(|d| d.sample(&mut streams.status_calls));
        observer.contact_offered(self.now, class);
        observer.status_call_offered(self.now, class);
        let level = self.class_level(class);
        let caller = Caller {
            class: class as u16,
            level,
            department: spec.department,
            case_start: self.follow_ups.get(id).first_arrival,
            arrival: self.now,
            handle_time,
            kind: CallKind::Status {
                follow_up: id,
                generation,
            },
            ..Caller::default()
        };
        self.route_caller(caller, patience, observer);
    }

    fn start_follow_up<O: Observer>(&mut self, agent: AgentId, id: FollowUpId, observer: &mut O) {
        let pace = self.pace(agent);
        let f = self.follow_ups.get_mut(id);
        f.in_work = true;
        let duration = f.work * pace;
        let a = self.agents.get_mut(agent);
        a.follow_up = id;
        a.follow_up_started = (self.now, a.watchers);
        self.set_agent_state(agent, AgentState::FollowUp, observer);
        self.events
            .schedule(self.now + duration, Event::FollowUpEnds { agent });
    }

    pub(super) fn follow_up_ends<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let a = self.agents.get_mut(agent);
        let id = a.follow_up;
        let (started, watchers) = a.follow_up_started;
        if let Some(i) = a.owned.iter().position(|&o| o == id) {
            a.owned.swap_remove(i);
        }
        let f = *self.follow_ups.get(id);
        self.follow_ups.release(id);
        observer.follow_up_resolved(&FollowUpOutcome {
            class: f.class as usize,
            first_arrival: f.first_arrival,
            promised: f.promised,
            deadline: f.deadline,
            started,
            resolved: self.now,
            owner: agent.0,
            watchers_at_start: watchers,
            watchers_at_promise: f.promise_watchers,
        });
        // The follow-up's call back is the case's last contact.
        observer.case_resolved(f.first_arrival, self.now, f.class as usize, f.contacts + 1);
        self.task_done(agent, observer);
    }

    /// A procrastinated follow-up may now start: an idle owner starts it at once.
    pub(super) fn follow_up_due<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        if self.agents.get(agent).state == AgentState::Idle
            && let Some(f) = self.due_follow_up(agent, false)
        {
            self.start_follow_up(agent, f, observer);
        }
    }

    /// A manager asks `agent` for a status report of `seconds`, written once the agent is free.
    pub(super) fn request_report<O: Observer>(
        &mut self,
        agent: AgentId,
        seconds: f64,
        observer: &mut O,
    ) {
        let a = self.agents.get_mut(agent);
        if a.report_pending.is_some() {
            return; // one report at a time
        }
        a.report_pending = Some(seconds);
        if matches!(a.state, AgentState::Idle | AgentState::Slack) {
            self.start_report(agent, observer);
        }
    }

    fn start_report<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let a = self.agents.get_mut(agent);
        let seconds = a.report_pending.take().unwrap_or(0.0);
        a.slack_epoch = a.slack_epoch.wrapping_add(1);
        self.set_agent_state(agent, AgentState::Report, observer);
        self.events
            .schedule(self.now + seconds, Event::ReportEnds { agent });
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
        match self.agents.get(agent).state {
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
