//! The future-event list: a binary min-heap ordered by `(time, class, seq)`.
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

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::event::Event;

#[derive(Clone, Copy)]
struct Entry {
    time: f64,
    class: u8,
    seq: u64,
    event: Event,
}

impl Entry {
    #[inline]
    fn key_cmp(&self, other: &Self) -> Ordering {
        self.time
            .total_cmp(&other.time)
            .then(self.class.cmp(&other.class))
            .then(self.seq.cmp(&other.seq))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key_cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the earliest key.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key_cmp(self)
    }
}

/// Pending events in firing order.
#[derive(Default)]
pub struct EventQueue {
    heap: BinaryHeap<Entry>,
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
        debug_assert!(time.is_finite(), "event time must be finite");
        self.seq += 1;
        self.heap.push(Entry {
            time,
            class: event.class(),
            seq: self.seq,
            event,
        });
    }

    /// Takes the next event and its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, Event)> {
        self.heap.pop().map(|e| (e.time, e.event))
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
