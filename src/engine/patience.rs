//! Patience timers, kept beside the future-event list rather than in it.
//!
//! Every caller who waits sets a timer, and most of them are answered before it runs out. In
//! the main heap such a timer stayed until its time came, as a stale event that cost a
//! sift-up, a full sift-down and a dispatch for nothing: a quarter of the yardstick's heap
//! events. Here a timer is one entry of a small indexed heap (one per caller slot), taken out
//! at once when its caller is answered.
//!
//! Firing order is unchanged: a timer keeps the packed key `(time, class, seq)` it would have
//! had in the main heap, and [`super::queue::EventQueue::pop`] takes whichever of the two heaps
//! (and the pending arrival) holds the smallest key. Results are therefore the same bit for bit.

use super::event::CallerId;

/// No timer for this slot.
const NONE: u32 = u32::MAX;

/// Padding key, larger than every real key (as in the main heap).
const ABSENT: u128 = u128::MAX;

/// One timer: its packed key and the caller slot (and slot generation) it belongs to.
#[derive(Debug, Clone, Copy)]
struct Timer {
    key: u128,
    caller: CallerId,
    generation: u32,
}

/// The padding entry, behind the last timer.
const PADDING: Timer = Timer {
    key: ABSENT,
    caller: CallerId(NONE),
    generation: 0,
};

/// Live patience timers: a binary min-heap on the packed key, indexed by caller slot so that a
/// timer can be taken out when its caller is answered. Sifts move a hole rather than swap, so
/// each step writes one entry and one position.
pub struct PatienceTimers {
    /// The heap in `[..len]`, then one [`PADDING`] entry (so the first key needs no check).
    heap: Vec<Timer>,
    len: usize,
    /// Heap position of each caller slot's timer, or [`NONE`].
    position: Vec<u32>,
    /// Timers taken out without firing since the last clear.
    cancelled: u64,
}

impl Default for PatienceTimers {
    fn default() -> Self {
        Self::new()
    }
}

impl PatienceTimers {
    /// No timers.
    pub fn new() -> Self {
        Self {
            heap: vec![PADDING],
            len: 0,
            position: Vec::new(),
            cancelled: 0,
        }
    }

    /// Drops every timer, keeping capacity.
    pub fn clear(&mut self) {
        for t in &self.heap[..self.len] {
            self.position[t.caller.0 as usize] = NONE;
        }
        self.heap[..=self.len].fill(PADDING);
        self.len = 0;
        self.cancelled = 0;
    }

    /// Live timers.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no timer is set.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The smallest key, or [`ABSENT`] when there is no timer.
    #[inline(always)]
    pub fn first_key(&self) -> u128 {
        self.heap[0].key
    }

    /// Timers taken out without firing since the last clear.
    pub fn cancelled(&self) -> u64 {
        self.cancelled
    }

    /// The keys of the live timers, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = u128> + '_ {
        self.heap[..self.len].iter().map(|t| t.key)
    }

    /// Replaces every live timer's key by `new(key)`. `new` must keep the order of the keys
    /// (as renumbering does), so the heap stays a heap.
    pub fn rekey(&mut self, mut new: impl FnMut(u128) -> u128) {
        for t in &mut self.heap[..self.len] {
            t.key = new(t.key);
        }
    }

    /// Sets `caller`'s timer (of slot generation `generation`) at `key`. A slot holds one timer:
    /// an older one of the slot belongs to an earlier generation, which could only fire stale,
    /// so it is taken out.
    #[inline]
    pub fn set(&mut self, key: u128, caller: CallerId, generation: u32) {
        let slot = caller.0 as usize;
        if slot >= self.position.len() {
            // Grows with the callers waiting at once; steady state never gets here.
            self.position.resize(slot + 1, NONE);
        }
        if self.position[slot] != NONE {
            let old = self.remove(self.position[slot] as usize);
            debug_assert_ne!(old.1, generation, "one timer per caller and generation");
            self.cancelled += 1;
        }
        if self.len + 1 == self.heap.len() {
            // Keep one padding entry behind the last timer; steady state never gets here.
            self.heap.push(PADDING);
        }
        let hole = self.len;
        self.len += 1;
        self.sift_up(
            hole,
            Timer {
                key,
                caller,
                generation,
            },
        );
    }

    /// Takes out `caller`'s timer, if it has one: the caller left the queue in time.
    #[inline]
    pub fn cancel(&mut self, caller: CallerId) {
        if let Some(&i) = self.position.get(caller.0 as usize)
            && i != NONE
        {
            self.remove(i as usize);
            self.cancelled += 1;
        }
    }

    /// Takes the timer with the smallest key (there must be one).
    #[inline]
    pub fn pop_first(&mut self) -> (CallerId, u32) {
        debug_assert!(!self.is_empty(), "a timer to pop");
        self.remove(0)
    }

    /// Takes out the timer at heap position `i` and returns its caller and generation.
    #[inline(always)]
    fn remove(&mut self, i: usize) -> (CallerId, u32) {
        let gone = self.heap[i];
        self.position[gone.caller.0 as usize] = NONE;
        self.len -= 1;
        let last = std::mem::replace(&mut self.heap[self.len], PADDING);
        if i < self.len {
            // The last entry fills the hole; it may belong below it or above it.
            let hole = self.sift_down(i, last.key);
            self.sift_up(hole, last);
        }
        (gone.caller, gone.generation)
    }

    /// Moves the hole at `i` down past every child smaller than `key`; returns where it stops.
    #[inline(always)]
    fn sift_down(&mut self, mut i: usize, key: u128) -> usize {
        loop {
            let left = 2 * i + 1;
            if left >= self.len {
                return i;
            }
            // The padding behind the last timer makes a missing right child compare larger.
            let child = left + usize::from(self.heap[left + 1].key < self.heap[left].key);
            if key <= self.heap[child].key {
                return i;
            }
            self.heap[i] = self.heap[child];
            self.position[self.heap[i].caller.0 as usize] = i as u32;
            i = child;
        }
    }

    /// Puts `timer` at hole `i` or above it, moving larger parents down.
    #[inline(always)]
    fn sift_up(&mut self, mut i: usize, timer: Timer) {
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.heap[parent].key <= timer.key {
                break;
            }
            self.heap[i] = self.heap[parent];
            self.position[self.heap[i].caller.0 as usize] = i as u32;
            i = parent;
        }
        self.heap[i] = timer;
        self.position[timer.caller.0 as usize] = i as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    /// Random sets, cancels and pops agree with a sorted reference list, and cancelled
    /// timers are counted.
    #[test]
    fn agrees_with_a_sorted_reference() {
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(3);
        let mut timers = PatienceTimers::new();
        let mut reference: Vec<(u128, u32, u32)> = Vec::new();
        let mut generation = vec![0u32; 64];
        let mut cancelled = 0;
        for step in 0..50_000u128 {
            match rng.random_range(0..3u32) {
                0 => {
                    let slot = rng.random_range(0..64u32);
                    generation[slot as usize] += 1;
                    let key = (u128::from(rng.random_range(0..1000u32)) << 64) | step;
                    if let Some(at) = reference.iter().position(|r| r.1 == slot) {
                        reference.remove(at);
                        cancelled += 1;
                    }
                    timers.set(key, CallerId(slot), generation[slot as usize]);
                    reference.push((key, slot, generation[slot as usize]));
                }
                1 => {
                    let slot = rng.random_range(0..64u32);
                    if let Some(at) = reference.iter().position(|r| r.1 == slot) {
                        reference.remove(at);
                        cancelled += 1;
                    }
                    timers.cancel(CallerId(slot));
                }
                _ => {
                    reference.sort_unstable();
                    let expected = (!reference.is_empty()).then(|| reference.remove(0));
                    assert_eq!(
                        (!timers.is_empty()).then(|| timers.first_key()),
                        expected.map(|r| r.0)
                    );
                    if let Some((_, slot, g)) = expected {
                        assert_eq!(timers.pop_first(), (CallerId(slot), g));
                    }
                }
            }
            assert_eq!(timers.len(), reference.len());
            assert_eq!(timers.cancelled(), cancelled);
        }
        timers.clear();
        assert_eq!((timers.len(), timers.first_key()), (0, ABSENT));
        // A cleared slot can take a timer again.
        timers.set(7, CallerId(3), 1);
        assert_eq!(timers.pop_first(), (CallerId(3), 1));
    }
}
