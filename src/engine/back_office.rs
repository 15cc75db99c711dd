//! The back office: a small team, never on the phones, with its own queue and working hours.
//! A follow-up that needs it cannot be started by its owner until the back office is done, so
//! the promise depends on someone the customer never meets (DESIGN.md section 2, extensions).

use std::collections::VecDeque;

use super::event::{AgentId, Event, FollowUpEvent, FollowUpId};
use super::follow_up::NO_OWNER;
use super::observer::BackOfficeStep;
use super::observer::Observer;
use super::sim::Simulation;
use super::time::{SimTime, secs};
use crate::model::DAY_S;

/// The back office's state in one replication.
#[derive(Default)]
pub struct BackOfficeState {
    /// The step each worker is doing, if any.
    pub workers: Vec<Option<FollowUpId>>,
    /// Steps waiting for a worker, first come first served.
    pub queue: VecDeque<FollowUpId>,
    /// Within working hours.
    pub open: bool,
}

impl Simulation<'_> {
    /// Seats the back office and schedules its first opening and closing.
    pub(super) fn start_back_office(&mut self) {
        let Some(b) = &self.scenario.back_office else {
            return;
        };
        self.back_office.workers.clear();
        self.back_office.workers.resize(b.count as usize, None);
        self.back_office.queue.clear();
        let Some((start, end)) = b.hours.filter(|(start, end)| end - start < DAY_S) else {
            // No hours, or all day: always open.
            self.back_office.open = true;
            return;
        };
        self.back_office.open = start == 0.0 || end > DAY_S;
        for (time, open) in [(start, true), (end.rem_euclid(DAY_S), false)] {
            let first = if time > 0.0 { time } else { DAY_S };
            self.events.schedule(
                SimTime::from_secs(first),
                Event::FollowUp(FollowUpEvent::BackOfficeHours { open }),
            );
        }
    }

    /// Working hours begin or end; tomorrow's come while the floor has work. A worker still on
    /// a step at closing time finishes it.
    pub(super) fn back_office_hours(&mut self, open: bool) {
        self.back_office.open = open;
        self.dispatch_back_office();
        if self.floor_active() {
            self.events.schedule(
                self.now + secs(DAY_S),
                Event::FollowUp(FollowUpEvent::BackOfficeHours { open }),
            );
        }
    }

    /// Free workers take waiting steps, in order, during working hours.
    pub(super) fn dispatch_back_office(&mut self) {
        if !self.back_office.open {
            return;
        }
        for worker in 0..self.back_office.workers.len() {
            if self.back_office.workers[worker].is_some() {
                continue;
            }
            let Some(id) = self.back_office.queue.pop_front() else {
                return;
            };
            self.back_office.workers[worker] = Some(id);
            let work = self.follow_ups.get(id).back_office_work;
            self.events.schedule(
                self.now + work,
                Event::FollowUp(FollowUpEvent::BackOfficeDone {
                    worker: worker as u32,
                }),
            );
        }
    }

    /// A back-office step is done: the owner may now work the follow-up (at once, if idle).
    pub(super) fn back_office_done<O: Observer>(&mut self, worker: u32, observer: &mut O) {
        let id = self.back_office.workers[worker as usize]
            .take()
            .expect("a worker who finishes had a step");
        let f = self.follow_ups.get_mut(id);
        f.back_office_pending = false;
        let step = BackOfficeStep {
            case: f.case(),
            promised: f.promised,
        };
        let owner = f.owner;
        observer.back_office_done(self.now, &step);
        let ready = if owner == NO_OWNER {
            self.agents.take_longest_idle()
        } else {
            Some(AgentId(owner)).filter(|&a| self.agents.get(a).activity.is_idle())
        };
        if let Some(agent) = ready {
            self.seek_work(agent, observer);
        }
        self.dispatch_back_office();
    }
}
