//! Promised follow-ups: a slab of reusable slots, like callers.

use super::event::FollowUpId;

/// Owner of a pooled follow-up.
pub const NO_OWNER: u32 = u32::MAX;

/// A promise made at the end of a first call that did not resolve the issue.
#[derive(Debug, Clone, Copy, Default)]
pub struct FollowUp {
    /// Caller class of the case.
    pub class: u16,
    /// Arrival of the case's first call.
    pub first_arrival: f64,
    /// When the promise was made.
    pub promised: f64,
    /// The promised deadline.
    pub deadline: f64,
    /// Earliest start while unobserved (procrastination); observation moves it to "now".
    pub startable_at: f64,
    /// Work content in seconds, before the agent's pace.
    pub work: f64,
    /// Managers watching the owner when the promise was made.
    pub promise_watchers: u64,
    /// Contacts of the case so far (first call and status calls).
    pub contacts: u32,
    /// Whether the owner is working on it.
    pub in_work: bool,
    /// Waiting for the back office: the owner cannot start it yet.
    pub back_office_pending: bool,
    /// Back-office work, in seconds (0 when no step is needed).
    pub back_office_work: f64,
    /// The agent who owns it, or [`NO_OWNER`] while it sits in the pool.
    pub owner: u32,
    /// Bumped on every tolerance restart and on release: stale `StatusCallDue` timers are skipped.
    pub epoch: u32,
    /// Bumped on release, so a status call can tell that its case was resolved meanwhile.
    pub generation: u32,
}

/// Follow-up slots, reused so that steady state allocates nothing.
#[derive(Default)]
pub struct FollowUps {
    slots: Vec<FollowUp>,
    free: Vec<u32>,
}

impl FollowUps {
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
