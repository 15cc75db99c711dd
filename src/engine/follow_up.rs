//! Promised follow-ups: a slab of reusable slots, like callers, and what happens to a promise:
//! made at the end of a call, worked by its owner (or a colleague, or the pool's next free
//! agent), waited for by a customer who may call again to ask (DESIGN.md section 2:
//! Follow-ups). The back office's steps are in `back_office.rs`.

use rand::RngExt;

use super::agent::{Activity, CallInHand, CallKind};
use super::caller::Caller;
use super::event::{AgentId, Event, FollowUpEvent, FollowUpId};
use super::observer::{Case, FollowUpOutcome, Observer};
use super::sim::{Component, Simulation};
use super::time::{SampleSpan, SimDuration, SimTime, secs};

/// Owner of a pooled follow-up.
pub const NO_OWNER: u32 = u32::MAX;

/// A promise made at the end of a first call that did not resolve the issue.
#[derive(Debug, Clone, Copy, Default)]
pub struct FollowUp {
    /// Caller class of the case.
    pub class: u16,
    /// Arrival of the case's first call.
    pub first_arrival: SimTime,
    /// When the promise was made.
    pub promised: SimTime,
    /// The promised deadline.
    pub deadline: SimTime,
    /// Earliest start while unobserved (procrastination); observation moves it to "now".
    pub startable_at: SimTime,
    /// Work content, before the agent's pace.
    pub work: SimDuration,
    /// Managers watching the owner when the promise was made.
    pub promise_watchers: u64,
    /// Contacts of the case so far (first call and status calls).
    pub contacts: u32,
    /// Whether the owner is working on it.
    pub in_work: bool,
    /// Waiting for the back office: the owner cannot start it yet.
    pub back_office_pending: bool,
    /// Back-office work (zero when no step is needed).
    pub back_office_work: SimDuration,
    /// The agent who owns it, or [`NO_OWNER`] while it sits in the pool.
    pub owner: u32,
    /// Bumped on every tolerance restart and on release: stale `StatusCallDue` timers are skipped.
    pub epoch: u32,
    /// Bumped on release, so a status call can tell that its case was resolved meanwhile.
    pub generation: u32,
}

impl FollowUp {
    /// The follow-up's case as the observer hears of it.
    #[inline]
    pub fn case(&self) -> Case {
        Case {
            class: self.class as usize,
            first_arrival: self.first_arrival,
        }
    }
}

/// Follow-up slots, reused so that steady state allocates nothing.
#[derive(Default)]
pub struct FollowUps {
    slots: Vec<FollowUp>,
    free: Vec<u32>,
    /// Whether any caller class can leave a promise.
    promised: bool,
}

impl Component for FollowUps {
    fn reset(&mut self) {
        self.clear();
    }

    fn diverts_agents(&self) -> bool {
        self.promised
    }
}

impl FollowUps {
    /// The slab for `scenario`.
    pub fn new(scenario: &crate::model::Scenario) -> Self {
        Self {
            promised: scenario.callers.iter().any(|c| c.follow_up.is_some()),
            ..Self::default()
        }
    }

    /// Drops every follow-up, keeping capacity.
    pub fn clear(&mut self) {
        self.slots.clear();
        self.free.clear();
    }

    /// Stores a follow-up (its epoch and generation are kept from the slot) and returns its id.
    pub fn insert(&mut self, mut f: FollowUp) -> FollowUpId {
        match self.free.pop() {
            Some(i) => {
                let old = &self.slots[i as usize];
                f.epoch = old.epoch;
                f.generation = old.generation;
                self.slots[i as usize] = f;
                FollowUpId(i)
            }
            None => {
                f.epoch = 0;
                f.generation = 0;
                self.slots.push(f);
                FollowUpId(self.slots.len() as u32 - 1)
            }
        }
    }

    /// The follow-up in slot `id`.
    #[inline]
    pub fn get(&self, id: FollowUpId) -> &FollowUp {
        &self.slots[id.0 as usize]
    }

    /// Mutable access to slot `id`.
    #[inline]
    pub fn get_mut(&mut self, id: FollowUpId) -> &mut FollowUp {
        &mut self.slots[id.0 as usize]
    }

    /// Frees the slot: pending timers and status calls about it become stale.
    pub fn release(&mut self, id: FollowUpId) {
        let slot = &mut self.slots[id.0 as usize];
        slot.epoch = slot.epoch.wrapping_add(1);
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(id.0);
    }

    /// Follow-ups not yet resolved.
    pub fn open(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

impl Simulation<'_> {
    /// An event of promised follow-ups or of the back office.
    pub(super) fn on_follow_up<O: Observer>(&mut self, event: FollowUpEvent, observer: &mut O) {
        match event {
            FollowUpEvent::WorkEnds { agent } => self.follow_up_ends(agent, observer),
            FollowUpEvent::Due { agent } => self.follow_up_due(agent, observer),
            FollowUpEvent::StatusCallDue { follow_up, epoch } => {
                self.status_call_due(follow_up, epoch, observer)
            }
            FollowUpEvent::BackOfficeDone { worker } => self.back_office_done(worker, observer),
            FollowUpEvent::BackOfficeHours { open } => self.back_office_hours(open),
        }
    }
    /// The startable follow-up of `agent` with the earliest deadline (only overdue ones if
    /// `overdue_only`).
    #[inline]
    pub(super) fn due_follow_up(&self, agent: AgentId, overdue_only: bool) -> Option<FollowUpId> {
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
    pub(super) fn promise_follow_up(
        &mut self,
        agent: AgentId,
        call: &CallInHand,
        work: SimDuration,
    ) {
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
                startable_at += p.span(&mut self.streams.behaviour) * morale;
                self.events
                    .schedule(startable_at, Event::FollowUp(FollowUpEvent::Due { agent }));
            }
        }
        // Drawn for every promise, needed or not, so variants stay aligned.
        let back_office = spec.back_office.as_ref().and_then(|step| {
            let needed = self.streams.back_office.random::<f64>() < step.probability;
            let work = step.work.span(&mut self.streams.back_office);
            needed.then_some(work)
        });
        let id = self.follow_ups.insert(FollowUp {
            class: call.class,
            owner: agent.0,
            back_office_pending: back_office.is_some(),
            back_office_work: back_office.unwrap_or(SimDuration::ZERO),
            first_arrival: call.case_start,
            promised: self.now,
            deadline: self.now + secs(spec.promise_s),
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
        let t = tolerance.span(&mut self.streams.status_calls);
        let f = self.follow_ups.get_mut(id);
        f.epoch = f.epoch.wrapping_add(1);
        let epoch = f.epoch;
        self.events.schedule(
            self.now + t,
            Event::FollowUp(FollowUpEvent::StatusCallDue {
                follow_up: id,
                epoch,
            }),
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
                Event::FollowUp(FollowUpEvent::StatusCallDue {
                    follow_up: id,
                    epoch,
                }),
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
            .span(&mut streams.status_calls);
        // Status calls draw from their own stream so first calls keep common random numbers.
        let patience = spec
            .patience
            .as_ref()
            .map(|d| d.span(&mut streams.status_calls));
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

    pub(super) fn start_follow_up<O: Observer>(
        &mut self,
        agent: AgentId,
        id: FollowUpId,
        observer: &mut O,
    ) {
        let pace = self.pace(agent);
        let f = self.follow_ups.get_mut(id);
        f.in_work = true;
        let duration = f.work * pace;
        let work = Activity::FollowUp {
            id,
            started: self.now,
            watchers: self.agents.get(agent).watchers,
        };
        self.set_activity(agent, work, observer);
        self.events.schedule(
            self.now + duration,
            Event::FollowUp(FollowUpEvent::WorkEnds { agent }),
        );
    }

    pub(super) fn follow_up_ends<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        let a = self.agents.get_mut(agent);
        let Activity::FollowUp {
            id,
            started,
            watchers,
        } = a.activity
        else {
            unreachable!("follow-up work ends only while an agent works one");
        };
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
        observer.case_resolved(self.now, f.case(), f.contacts + 1);
        self.task_done(agent, observer);
    }

    /// A procrastinated follow-up may now start: an idle owner starts it at once.
    pub(super) fn follow_up_due<O: Observer>(&mut self, agent: AgentId, observer: &mut O) {
        if self.agents.get(agent).activity.is_idle()
            && let Some(f) = self.due_follow_up(agent, false)
        {
            self.start_follow_up(agent, f, observer);
        }
    }
}
