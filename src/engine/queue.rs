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
#[inline]
fn pack(time: f64, class: u8, seq: u64) -> u128 {
    (u128::from(time.to_bits()) << 64) | (u128::from(class) << SEQ_BITS) | u128::from(seq)
}

#[inline]
fn time_of(key: u128) -> f64 {
    f64::from_bits((key >> 64) as u64)
}

const SEQ_BITS: u32 = 56;

/// Children per node: a 4-ary heap is shallower than a binary one and its children share a
/// cache line, which measured faster than `std::collections::BinaryHeap` on the yardstick.
const ARITY: usize = 4;

/// Pending events in firing order: a 4-ary min-heap on the packed key, plus a slot for the one
/// pending arrival.
///
/// The arrival stream always has exactly one arrival pending, so it lives outside the heap and
/// costs one comparison instead of a sift-up and a sift-down: on the yardstick that removes about
/// 40 % of all heap operations. Keys and events sit in separate vectors so the sift-down compares
/// keys that share cache lines.
#[derive(Default)]
pub struct EventQueue {
    keys: Vec<u128>,
    events: Vec<Event>,
    /// Key of the pending arrival, if any (its event is always [`Event::CallArrives`]).
    arrival: Option<u128>,
    seq: u64,
}

impl EventQueue {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Removes every pending event but keeps the allocated capacity.
    pub fn clear(&mut self) {
        self.keys.clear();
        self.events.clear();
        self.arrival = None;
        self.seq = 0;
    }

    /// Schedules `event` at `time` (seconds). At most one [`Event::CallArrives`] may be pending.
    #[inline]
    pub fn schedule(&mut self, time: f64, event: Event) {
        debug_assert!(
            time.is_finite() && time >= 0.0,
            "event time must be finite and >= 0"
        );
        debug_assert!(self.seq < 1 << SEQ_BITS, "sequence numbers fit in 56 bits");
        self.seq += 1;
        // +0.0 and -0.0 must not differ: normalise before taking the bits.
        let key = pack(time + 0.0, event.class(), self.seq);
        if let Event::CallArrives = event {
            debug_assert!(self.arrival.is_none(), "one pending arrival at a time");
            self.arrival = Some(key);
            return;
        }
        // Sift up: move parents down until the entry's place is found.
        let mut i = self.keys.len();
        self.keys.push(key);
        self.events.push(event);
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if self.keys[parent] <= key {
                break;
            }
            self.keys[i] = self.keys[parent];
            self.events[i] = self.events[parent];
            i = parent;
        }
        self.keys[i] = key;
        self.events[i] = event;
    }

    /// Takes the next event and its time. Always inlined: it runs once per event, and a call
    /// here measurably slowed the whole engine.
    #[inline(always)]
    pub fn pop(&mut self) -> Option<(f64, Event)> {
        if let Some(arrival) = self.arrival
            && self.keys.first().is_none_or(|&top| arrival < top)
        {
            self.arrival = None;
            return Some((time_of(arrival), Event::CallArrives));
        }
        let last_key = self.keys.pop()?;
        let last_event = self.events.pop()?;
        let n = self.keys.len();
        if n == 0 {
            return Some((time_of(last_key), last_event));
        }
        let top = (time_of(self.keys[0]), self.events[0]);
        // Sift down the former last entry from the root.
        let keys = &mut self.keys[..];
        let mut i = 0;
        loop {
            let first = ARITY * i + 1;
            if first >= n {
                break;
            }
            let mut best = first;
            if first + ARITY <= n {
                // All four children exist: a branch-light tournament.
                let a = if keys[first + 1] < keys[first] {
                    first + 1
                } else {
                    first
                };
                let b = if keys[first + 3] < keys[first + 2] {
                    first + 3
                } else {
                    first + 2
                };
                best = if keys[b] < keys[a] { b } else { a };
            } else {
                for c in first + 1..n {
                    if keys[c] < keys[best] {
                        best = c;
                    }
                }
            }
            if keys[best] >= last_key {
                break;
            }
            keys[i] = keys[best];
            self.events[i] = self.events[best];
            i = best;
        }
        keys[i] = last_key;
        self.events[i] = last_event;
        Some(top)
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.keys.len() + usize::from(self.arrival.is_some())
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
        q.schedule(1.0, Event::WrapUpEnds { agent: AgentId(1) });
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
            q.schedule(i as f64, Event::ServiceEnds { agent: AgentId(0) });
        }
        let cap = q.keys.capacity();
        q.clear();
        assert!(q.is_empty());
        assert_eq!(q.keys.capacity(), cap);
    }
}
