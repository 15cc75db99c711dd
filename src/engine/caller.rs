//! Callers: a slab of reusable slots and the priority waiting queue.

use std::collections::VecDeque;

use super::agent::CallKind;
use super::event::CallerId;
use super::observer::{Case, Contact};
use super::time::{SimDuration, SimTime};

/// A caller in the system (waiting or just answered).
#[derive(Debug, Clone, Copy, Default)]
pub struct Caller {
    /// Caller class index.
    pub class: u16,
    /// Queue level (0 = highest priority).
    pub level: u16,
    /// Contacts of this case so far, this one included.
    pub contacts: u16,
    /// Callback attempts made so far (callbacks only).
    pub callback_attempts: u16,
    /// Whether this slot holds an accepted callback rather than a caller on hold.
    pub is_callback: bool,
    /// Whether the slot has a live entry in the waiting queue.
    pub in_queue: bool,
    /// Department the call is put through to now.
    pub department: u8,
    /// For a misrouted call, the right department + 1; [`TRANSFERRED`] once put through
    /// there; [`NO_TRANSFER`] otherwise (the default, so a new contact is never misrouted by
    /// accident). One byte, so a caller still fits in 64 bytes.
    pub transfer_to: u8,
    /// Arrival of the case's first call.
    pub case_start: SimTime,
    /// Arrival of this contact (for a callback: when it was accepted).
    pub arrival: SimTime,
    /// Talk time this caller will need, drawn at arrival (common random numbers).
    pub handle_time: SimDuration,
    /// After-call work this caller will cause, drawn at arrival.
    pub after_call_work: SimDuration,
    /// First call (resolving or not) or status call.
    pub kind: CallKind,
    /// Bumped whenever the slot is released, so stale timers and queue entries can be spotted.
    pub generation: u32,
}

impl Caller {
    /// This contact as the observer hears of it.
    #[inline]
    pub fn contact(&self) -> Contact {
        Contact {
            class: self.class as usize,
            arrival: self.arrival,
        }
    }

    /// This contact's case as the observer hears of it.
    #[inline]
    pub fn case(&self) -> Case {
        Case {
            class: self.class as usize,
            first_arrival: self.case_start,
        }
    }
}

/// `transfer_to` of a call that is where it belongs.
pub const NO_TRANSFER: u8 = 0;

/// `transfer_to` of a call put through after a transfer: it hears no second announcement.
pub const TRANSFERRED: u8 = u8::MAX;

// Callers are copied on every answer: keep one within a cache line.
const _: () = assert!(
    std::mem::size_of::<Caller>() <= 64,
    "a caller fits in a cache line"
);

/// Caller slots, reused so that steady state allocates nothing.
#[derive(Default)]
pub struct CallerSlab {
    slots: Vec<Caller>,
    free: Vec<u32>,
}

impl CallerSlab {
    /// Drops every caller, keeping capacity.
    pub fn clear(&mut self) {
        self.slots.clear();
        self.free.clear();
    }

    /// Stores a caller (its `generation` is set by the slab) and returns its id.
    #[inline]
    pub fn insert(&mut self, mut caller: Caller) -> CallerId {
        match self.free.pop() {
            Some(i) => {
                caller.generation = self.slots[i as usize].generation;
                self.slots[i as usize] = caller;
                CallerId(i)
            }
            None => {
                caller.generation = 0;
                self.slots.push(caller);
                CallerId(self.slots.len() as u32 - 1)
            }
        }
    }

    /// The caller in slot `id`.
    #[inline]
    pub fn get(&self, id: CallerId) -> &Caller {
        &self.slots[id.0 as usize]
    }

    /// Whether `id` still holds the caller of generation `generation`.
    #[inline]
    pub fn is_current(&self, id: CallerId, generation: u32) -> bool {
        self.slots[id.0 as usize].generation == generation
    }

    /// Mutable access to slot `id`.
    #[inline]
    pub fn get_mut(&mut self, id: CallerId) -> &mut Caller {
        &mut self.slots[id.0 as usize]
    }

    /// Keeps the slot but makes its timers and queue entries stale (a caller who will redial,
    /// a callback that goes back to waiting); returns the new generation.
    pub fn renew(&mut self, id: CallerId) -> u32 {
        let slot = &mut self.slots[id.0 as usize];
        slot.generation = slot.generation.wrapping_add(1);
        slot.in_queue = false;
        slot.generation
    }

    /// Frees the slot: its timers and queue entries become stale.
    #[inline]
    pub fn release(&mut self, id: CallerId) {
        let slot = &mut self.slots[id.0 as usize];
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(id.0);
    }

    /// Slots in use.
    pub fn in_use(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

/// Non-preemptive priority queue, FIFO within a level. Abandoning callers are removed lazily:
/// their entries stay until they reach the head and are then skipped as stale.
#[derive(Default)]
pub struct WaitingQueue {
    levels: Vec<VecDeque<(CallerId, u32)>>,
    waiting_per_level: Vec<u32>,
    waiting: u32,
}

impl WaitingQueue {
    /// Empties the queue and sets the number of priority levels, keeping capacity.
    pub fn reset(&mut self, levels: usize) {
        self.levels.resize_with(levels, VecDeque::new);
        self.levels.truncate(levels);
        self.levels.iter_mut().for_each(VecDeque::clear);
        self.waiting_per_level.clear();
        self.waiting_per_level.resize(levels, 0);
        self.waiting = 0;
    }

    /// Callers waiting at `level` (stale entries excluded).
    #[inline]
    pub fn waiting_at(&self, level: usize) -> u32 {
        self.waiting_per_level[level]
    }

    /// Callers waiting (stale entries excluded).
    #[inline]
    pub fn len(&self) -> u32 {
        self.waiting
    }

    /// Appends a caller at the back of its level.
    #[inline]
    pub fn push(&mut self, level: usize, id: CallerId, generation: u32) {
        self.levels[level].push_back((id, generation));
        self.waiting_per_level[level] += 1;
        self.waiting += 1;
    }

    /// Notes that a caller of `level` left the queue by hanging up.
    #[inline]
    pub fn forget(&mut self, level: usize) {
        self.waiting_per_level[level] -= 1;
        self.waiting -= 1;
        if self.waiting_per_level[level] == 0 {
            // Only stale entries remain: drop them now.
            self.levels[level].clear();
        }
    }

    /// Takes the head of the highest non-empty level.
    #[inline]
    pub fn pop(&mut self, slab: &CallerSlab) -> Option<CallerId> {
        (0..self.levels.len()).find_map(|level| self.pop_level(slab, level))
    }

    /// Takes the head of the first non-empty level of `levels`, in that order (an agent's
    /// departments, each by priority).
    pub fn pop_in(
        &mut self,
        slab: &CallerSlab,
        levels: impl IntoIterator<Item = usize>,
    ) -> Option<CallerId> {
        levels
            .into_iter()
            .find_map(|level| self.pop_level(slab, level))
    }

    #[inline]
    fn pop_level(&mut self, slab: &CallerSlab, level: usize) -> Option<CallerId> {
        if self.waiting_per_level[level] == 0 {
            return None;
        }
        while let Some((id, generation)) = self.levels[level].pop_front() {
            if slab.is_current(id, generation) {
                self.waiting_per_level[level] -= 1;
                self.waiting -= 1;
                return Some(id);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_then_fifo_and_stale_entries_skipped() {
        let mut slab = CallerSlab::default();
        let mut q = WaitingQueue::default();
        q.reset(2);
        let mut ids = Vec::new();
        for (i, level) in [1usize, 0, 1, 0].iter().enumerate() {
            let id = slab.insert(Caller {
                level: *level as u16,
                arrival: SimTime::from_secs(i as f64),
                ..Caller::default()
            });
            q.push(*level, id, slab.get(id).generation);
            ids.push(id);
        }
        // The first high-priority caller (ids[1]) hangs up.
        slab.release(ids[1]);
        q.forget(0);
        assert_eq!(q.len(), 3);
        assert_eq!(q.pop(&slab), Some(ids[3]));
        assert_eq!(q.pop(&slab), Some(ids[0]));
        // A new caller reuses the abandoned slot: the old entry must not resurrect it.
        let reused = slab.insert(Caller::default());
        assert_eq!(reused, ids[1]);
        assert_eq!(q.pop(&slab), Some(ids[2]));
        assert_eq!(q.pop(&slab), None);
        assert_eq!(q.len(), 0);
    }
}
