//! The future-event list: a 4-ary min-heap ordered by `(time, class, seq)`.
//!
//! The ordering is part of the model and is tested:
//! * earlier time first;
//! * at equal times, lower [`Event::class`] first: releases (service and wrap-up ends) before
//!   abandonments before arrivals, so an agent freed at the same instant serves a waiting caller
//!   before that caller's patience runs out, and a caller arriving at that instant sees the freed
//!   agent ("releases before seizes", as in simmer);
//! * at equal time and class, first scheduled first (FIFO), via a sequence number.
//!
//! No tie is ever broken by a random draw, which would shift every later sample.
//! The heap keeps its capacity between replications, so steady state allocates nothing.

use super::event::Event;

/// The ordering key packed into one integer: time bits (high 64), class (8 bits), sequence
/// number (56 bits). For non-negative finite times the IEEE-754 bit pattern orders like the
/// number, so one integer comparison replaces three; this is the hot spot of the whole engine.
#[derive(Clone, Copy)]
struct Entry {
    key: u128,
    event: Event,
}

const SEQ_BITS: u32 = 56;

impl Entry {
    #[inline]
    fn new(time: f64, class: u8, seq: u64, event: Event) -> Self {
        let key =
            (u128::from(time.to_bits()) << 64) | (u128::from(class) << SEQ_BITS) | u128::from(seq);
        Self { key, event }
    }

    #[inline]
    fn time(&self) -> f64 {
        f64::from_bits((self.key >> 64) as u64)
    }
}

/// Children per node: a 4-ary heap is shallower than a binary one and its children share a
/// cache line, which measured faster than `std::collections::BinaryHeap` on the yardstick.
const ARITY: usize = 4;

/// Pending events in firing order: a 4-ary min-heap on the packed key.
#[derive(Default)]
pub struct EventQueue {
    heap: Vec<Entry>,
    seq: u64,
}

impl EventQueue {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Removes every pending event but keeps the allocated capacity.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.seq = 0;
    }

    /// Schedules `event` at `time` (seconds).
    #[inline]
    pub fn schedule(&mut self, time: f64, event: Event) {
        debug_assert!(
            time.is_finite() && time >= 0.0,
            "event time must be finite and >= 0"
        );
        debug_assert!(self.seq < 1 << SEQ_BITS, "sequence numbers fit in 56 bits");
        self.seq += 1;
        // +0.0 and -0.0 must not differ: normalise before taking the bits.
        let entry = Entry::new(time + 0.0, event.class(), self.seq, event);
        // Sift up: move parents down until the entry's place is found.
        let mut i = self.heap.len();
        self.heap.push(entry);
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if self.heap[parent].key <= entry.key {
                break;
            }
            self.heap[i] = self.heap[parent];
            i = parent;
        }
        self.heap[i] = entry;
    }

    /// Takes the next event and its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, Event)> {
        let last = self.heap.pop()?;
        let n = self.heap.len();
        if n == 0 {
            return Some((last.time(), last.event));
        }
        let top = self.heap[0];
        // Sift down the former last entry from the root.
        let mut i = 0;
        loop {
            let first = ARITY * i + 1;
            if first >= n {
                break;
            }
            let mut best = first;
            for c in first + 1..(first + ARITY).min(n) {
                if self.heap[c].key < self.heap[best].key {
                    best = c;
                }
            }
            if self.heap[best].key >= last.key {
                break;
            }
            self.heap[i] = self.heap[best];
            i = best;
        }
        self.heap[i] = last;
        Some((top.time(), top.event))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::{AgentId, CallerId};

    fn drain(q: &mut EventQueue) -> Vec<(f64, Event)> {
        std::iter::from_fn(|| q.pop()).collect()
    }

    #[test]
    fn earlier_time_first() {
        let mut q = EventQueue::new();
        q.schedule(5.0, Event::CallArrives);
        q.schedule(1.0, Event::CallArrives);
        q.schedule(3.0, Event::ServiceEnds { agent: AgentId(0) });
        let times: Vec<f64> = drain(&mut q).iter().map(|e| e.0).collect();
        assert_eq!(times, vec![1.0, 3.0, 5.0]);
    }

    #[test]
    fn releases_before_abandonments_before_arrivals_at_equal_time() {
        let mut q = EventQueue::new();
        q.schedule(2.0, Event::CallArrives);
        q.schedule(
            2.0,
            Event::CallerAbandons {
                caller: CallerId(4),
                generation: 0,
            },
        );
        q.schedule(2.0, Event::WrapUpEnds { agent: AgentId(1) });
        q.schedule(2.0, Event::ServiceEnds { agent: AgentId(2) });
        let order: Vec<Event> = drain(&mut q).into_iter().map(|e| e.1).collect();
        assert_eq!(
            order,
            vec![
                Event::WrapUpEnds { agent: AgentId(1) },
                Event::ServiceEnds { agent: AgentId(2) },
                Event::CallerAbandons {
                    caller: CallerId(4),
                    generation: 0
                },
                Event::CallArrives,
            ]
        );
    }

    #[test]
    fn fifo_among_equal_keys() {
        let mut q = EventQueue::new();
        for a in 0..50 {
            q.schedule(7.0, Event::ServiceEnds { agent: AgentId(a) });
        }
        let agents: Vec<u32> = drain(&mut q)
            .into_iter()
            .map(|(_, e)| match e {
                Event::ServiceEnds { agent } => agent.0,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(agents, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn clear_keeps_capacity() {
        let mut q = EventQueue::new();
        for i in 0..1000 {
            q.schedule(i as f64, Event::CallArrives);
        }
        let cap = q.heap.capacity();
        q.clear();
        assert!(q.is_empty());
        assert_eq!(q.heap.capacity(), cap);
    }
}
