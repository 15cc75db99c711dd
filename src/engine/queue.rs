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

use super::event::{CallerId, Event, QueueEvent};
use super::patience::PatienceTimers;
use super::time::SimTime;

mod keys;
mod payload;
mod renumber;
use keys::Keys;
use payload::Payloads;

/// The ordering key packed into one integer, from the top: time bits (64), class
/// ([`CLASS_BITS`]), sequence number ([`SEQ_BITS`]), and the event's payload
/// ([`PAYLOAD_BITS`], see `queue/payload.rs`), which takes no part in the order because sequence numbers are unique.
/// For non-negative finite times the IEEE-754 bit pattern orders like the number, so one
/// integer comparison replaces three; this is the hot spot of the whole engine.
#[inline(always)]
fn pack(time: SimTime, class: u8, seq: u64, payload: u32) -> u128 {
    debug_assert!(u32::from(class) < 1 << CLASS_BITS && seq < 1 << SEQ_BITS);
    // +0.0 and -0.0 must not differ: normalise before taking the bits.
    (u128::from((time.secs() + 0.0).to_bits()) << 64)
        | (u128::from(class) << (SEQ_BITS + PAYLOAD_BITS))
        | (u128::from(seq) << PAYLOAD_BITS)
        | u128::from(payload)
}

#[inline(always)]
fn time_of(key: u128) -> SimTime {
    SimTime::from_secs(f64::from_bits((key >> 64) as u64))
}

#[inline(always)]
fn payload_of(key: u128) -> u32 {
    key as u32
}

/// The sequence number's bits in a key.
const SEQ_MASK: u128 = ((1 << SEQ_BITS) - 1) << PAYLOAD_BITS;

fn seq_of(key: u128) -> u64 {
    ((key & SEQ_MASK) >> PAYLOAD_BITS) as u64
}

/// `key` with sequence number `seq` instead of its own.
fn with_seq(key: u128, seq: u64) -> u128 {
    (key & !SEQ_MASK) | (u128::from(seq) << PAYLOAD_BITS)
}

/// Bits of the event's payload, the lowest of the key.
const PAYLOAD_BITS: u32 = u32::BITS;

/// Bits of [`Event::class`] (five classes).
const CLASS_BITS: u32 = 3;

/// Bits of the sequence number. When they run out (after 2²⁹ events, some twenty seconds of
/// one core's work), the pending events are numbered afresh in the same order
/// (`queue/renumber.rs`), so ties still go first scheduled, first out.
const SEQ_BITS: u32 = 64 - CLASS_BITS - PAYLOAD_BITS;

/// Children per node: a 4-ary heap is shallower than a binary one and its children share a
/// cache line, which measured faster than `std::collections::BinaryHeap` on the yardstick.
const ARITY: usize = 4;

/// Padding key: larger than every real key (finite times have smaller bit patterns), so a node
/// whose last children are missing can still compare all four.
const ABSENT: u128 = u128::MAX;

/// Puts `key` at hole `i` of the heap `keys` (by node) or above it, moving larger parents down.
#[inline(always)]
fn sift_up(keys: &mut [u128], mut i: usize, key: u128) {
    while i > 0 {
        let parent = (i - 1) / ARITY;
        if keys[parent] <= key {
            break;
        }
        keys[i] = keys[parent];
        i = parent;
    }
    keys[i] = key;
}

/// Pending events in firing order: a 4-ary min-heap on the packed key, plus a slot for the one
/// pending arrival and the callers' patience timers.
///
/// Why it is built this way (each measured on the yardstick):
/// * The arrival stream always has exactly one arrival pending, so it lives outside the heap and
///   costs one comparison instead of a sift-up and a sift-down: that removes about 40 % of all
///   heap operations.
/// * Patience timers ([`QueueEvent::Abandons`]) live in [`PatienceTimers`], from which an
///   answered caller's timer is taken out at once instead of lingering as a stale event
///   (about a quarter of the yardstick's heap events). Their keys are the ones they would have
///   had here, so the order of events is the same.
/// * A key carries its event (`queue/payload.rs`), so a sift moves keys alone, and each node's
///   four children fill one cache line (`queue/keys.rs`). With the events in a vector beside
///   the keys, every level of a sift-down on a large floor also missed on an event: carrying
///   them in the keys took 3.7 of 11.1 first-level misses per arrival off the 20-department,
///   10,000-agent floor, and 2.3 of 5.9 off a single queue of 5,000.
/// * Behind the last entry there are always [`ARITY`] − 1 or more [`ABSENT`] keys, so every
///   node compares four children without a bounds check or a short-node branch.
/// * A pop moves the hole left at the root down to a leaf along the smaller children, then
///   sifts the former last entry up from there ("bottom-up" heapsort). That last entry nearly
///   always belongs near the bottom, so this saves the hard-to-predict "stop here?" comparison
///   at every level.
///
/// Keys are unique (they hold a sequence number), so the order in which events come out does
/// not depend on how the heap is arranged.
pub struct EventQueue {
    /// Heap keys of nodes `[..len]`, then [`ABSENT`] padding.
    keys: Keys,
    /// The events the keys cannot hold themselves.
    payloads: Payloads,
    len: usize,
    /// Key of the pending arrival, or [`ABSENT`] (its event is always [`Event::CallArrives`]).
    arrival: u128,
    /// Pending patience timers (their events are [`QueueEvent::Abandons`]).
    patience: PatienceTimers,
    /// The smaller of `arrival` and the first patience timer's key, kept up to date when
    /// either changes, so that a pop compares the heap's top with one key, as it did before
    /// the timers had a place of their own.
    side: u128,
    /// The last sequence number given out.
    seq: u64,
    /// The largest sequence number a key holds; past it the pending events are renumbered.
    /// A field rather than a constant so that tests can renumber often.
    seq_limit: u64,
    /// Sequence numbers taken back by renumbering since the last clear: with `seq`, the
    /// events scheduled (each takes the next number).
    renumbered_away: u64,
    /// Sequence numbers of the pending events while they are renumbered (kept for its capacity).
    renumbering: Vec<u64>,
}

impl Default for EventQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl EventQueue {
    /// An empty queue.
    pub fn new() -> Self {
        Self {
            keys: Keys::new(2),
            payloads: Payloads::default(),
            len: 0,
            arrival: ABSENT,
            patience: PatienceTimers::new(),
            side: ABSENT,
            seq: 0,
            seq_limit: (1 << SEQ_BITS) - 1,
            renumbered_away: 0,
            renumbering: Vec::new(),
        }
    }

    /// Removes every pending event but keeps the allocated capacity.
    pub fn clear(&mut self) {
        self.keys.by_node()[..self.len].fill(ABSENT);
        self.payloads.clear();
        self.len = 0;
        self.arrival = ABSENT;
        self.patience.clear();
        self.side = ABSENT;
        self.seq = 0;
        self.renumbered_away = 0;
    }

    /// Schedules `event` at `time`. At most one [`Event::CallArrives`] may be pending.
    /// Always inlined: each call site then knows its event's kind and class, so the arrival test
    /// and the class lookup fold away (5 % fewer instructions on the yardstick).
    #[inline(always)]
    pub fn schedule(&mut self, time: SimTime, event: Event) {
        debug_assert!(
            time.is_finite() && time >= SimTime::ZERO,
            "event time must be finite and >= 0"
        );
        if self.seq == self.seq_limit {
            self.renumber();
        }
        self.seq += 1;
        if let Event::CallArrives = event {
            let key = pack(time, event.class(), self.seq, 0);
            debug_assert!(self.arrival == ABSENT, "one pending arrival at a time");
            self.arrival = key;
            self.side = key.min(self.patience.first_key());
            return;
        }
        if let Event::Queue(QueueEvent::Abandons { caller, generation }) = event {
            let key = pack(time, event.class(), self.seq, 0);
            self.patience.set(key, caller, generation);
            self.side = self.arrival.min(self.patience.first_key());
            return;
        }
        if self.len + ARITY > self.keys.nodes() {
            // Grow, keeping the padding; steady state never gets here.
            self.keys.grow();
        }
        let key = pack(time, event.class(), self.seq, self.payloads.put(event));
        let i = self.len;
        self.len += 1;
        sift_up(self.keys.by_node(), i, key);
    }

    /// Takes the next event and its time. Always inlined: it runs once per event, and a call
    /// here measurably slowed the whole engine.
    #[inline(always)]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        let top_key = self.keys.top();
        let side = self.side;
        if side < top_key {
            if side == self.arrival {
                self.arrival = ABSENT;
                self.side = self.patience.first_key();
                return Some((time_of(side), Event::CallArrives));
            }
            let (caller, generation) = self.patience.pop_first();
            self.side = self.arrival.min(self.patience.first_key());
            return Some((
                time_of(side),
                Event::Queue(QueueEvent::Abandons { caller, generation }),
            ));
        }
        if self.len == 0 {
            return None;
        }
        let top = (time_of(top_key), self.payloads.take(payload_of(top_key)));
        self.len -= 1;
        let n = self.len;
        let keys = self.keys.by_node();
        let last_key = std::mem::replace(&mut keys[n], ABSENT);
        if n == 0 {
            return Some(top); // the top was the last entry
        }
        // Move the hole at the root down to a leaf along the smaller children.
        let mut i = 0;
        loop {
            let first = ARITY * i + 1;
            if first >= n {
                break;
            }
            keys::prefetch_grandchildren(keys, first, n);
            let c: &[u128; ARITY] = keys[first..first + ARITY]
                .try_into()
                .expect("padding covers every child");
            let a = usize::from(c[1] < c[0]);
            let b = 2 + usize::from(c[3] < c[2]);
            let best = first + if c[b] < c[a] { b } else { a };
            keys[i] = keys[best];
            i = best;
        }
        sift_up(keys, i, last_key);
        Some(top)
    }

    /// The event at the top of the heap (not necessarily the next to come out: the pending
    /// arrival or a patience timer may come first).
    #[inline(always)]
    pub fn heap_top(&self) -> Option<Event> {
        (self.len > 0).then(|| self.payloads.peek(payload_of(self.keys.top())))
    }

    /// Takes out `caller`'s patience timer, if it has one: the caller was answered in time.
    /// Without this the timer would still fire, stale, at its time.
    #[inline]
    pub fn cancel_patience(&mut self, caller: CallerId) {
        self.patience.cancel(caller);
        self.side = self.arrival.min(self.patience.first_key());
    }

    /// Renumbers the sequence numbers whenever `events` have been given out (at most 2²⁹ − 1,
    /// the most a key holds), so that tests reach the renumbering in a short run.
    pub fn renumber_every(&mut self, events: u64) {
        self.seq_limit = events.clamp(1, (1 << SEQ_BITS) - 1);
    }

    /// Events scheduled since the last [`EventQueue::clear`].
    pub fn scheduled(&self) -> u64 {
        self.seq + self.renumbered_away
    }

    /// Events that came out of [`EventQueue::pop`] since the last [`EventQueue::clear`]
    /// (with those still pending): every event scheduled except the timers cancelled.
    pub fn handled(&self) -> u64 {
        self.scheduled() - self.patience.cancelled()
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.len + usize::from(self.arrival != ABSENT) + self.patience.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::{AgentEvent, AgentId, CallerId, ManagerEvent, QueueEvent};

    fn drain(q: &mut EventQueue) -> Vec<(f64, Event)> {
        std::iter::from_fn(|| q.pop().map(|(t, e)| (t.secs(), e))).collect()
    }

    fn at(secs: f64) -> SimTime {
        SimTime::from_secs(secs)
    }

    #[test]
    fn earlier_time_first() {
        let mut q = EventQueue::new();
        q.schedule(at(5.0), Event::CallArrives);
        q.schedule(
            at(1.0),
            Event::Agent(AgentEvent::WrapUpEnds { agent: AgentId(1) }),
        );
        q.schedule(
            at(3.0),
            Event::Agent(AgentEvent::ServiceEnds { agent: AgentId(0) }),
        );
        let times: Vec<f64> = drain(&mut q).iter().map(|e| e.0).collect();
        assert_eq!(times, vec![1.0, 3.0, 5.0]);
    }

    #[test]
    fn releases_before_abandonments_before_arrivals_at_equal_time() {
        let mut q = EventQueue::new();
        q.schedule(at(2.0), Event::CallArrives);
        q.schedule(
            at(2.0),
            Event::Queue(QueueEvent::Abandons {
                caller: CallerId(4),
                generation: 0,
            }),
        );
        q.schedule(
            at(2.0),
            Event::Agent(AgentEvent::WrapUpEnds { agent: AgentId(1) }),
        );
        q.schedule(
            at(2.0),
            Event::Agent(AgentEvent::ServiceEnds { agent: AgentId(2) }),
        );
        let order: Vec<Event> = drain(&mut q).into_iter().map(|e| e.1).collect();
        assert_eq!(
            order,
            vec![
                Event::Agent(AgentEvent::WrapUpEnds { agent: AgentId(1) }),
                Event::Agent(AgentEvent::ServiceEnds { agent: AgentId(2) }),
                Event::Queue(QueueEvent::Abandons {
                    caller: CallerId(4),
                    generation: 0
                }),
                Event::CallArrives,
            ]
        );
    }

    #[test]
    fn fifo_among_equal_keys() {
        let mut q = EventQueue::new();
        for a in 0..50 {
            q.schedule(
                at(7.0),
                Event::Agent(AgentEvent::ServiceEnds { agent: AgentId(a) }),
            );
        }
        let agents: Vec<u32> = drain(&mut q)
            .into_iter()
            .map(|(_, e)| match e {
                Event::Agent(AgentEvent::ServiceEnds { agent }) => agent.0,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(agents, (0..50).collect::<Vec<_>>());
    }

    /// Random interleavings of schedules and pops (with many equal times) come out exactly as
    /// a sorted reference list says: by time, then class, then scheduling order.
    #[test]
    fn agrees_with_a_sorted_reference() {
        let renumbered = agrees_with_a_sorted_reference_at(EventQueue::new(), 0.55);
        assert_eq!(renumbered, 0);
    }

    /// The same with sequence numbers that run out every few hundred events: renumbering the
    /// pending events keeps every tie as it was.
    #[test]
    fn renumbering_keeps_the_order() {
        let mut q = EventQueue::new();
        q.renumber_every(200);
        let renumbered = agrees_with_a_sorted_reference_at(q, 0.48);
        assert!(renumbered > 20, "renumbered {renumbered} times");
    }

    /// Checks `q` against the reference, scheduling with probability `schedule` (else popping
    /// or cancelling); returns how often the sequence numbers were renumbered.
    fn agrees_with_a_sorted_reference_at(mut q: EventQueue, schedule: f64) -> u32 {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(7);
        let mut renumbered = 0;
        // (time, class, seq, event), kept sorted on the first three.
        let mut reference: Vec<(f64, u8, u64, Event)> = Vec::new();
        let mut seq = 0;
        let mut now = 0.0f64;
        let mut cancelled = 0;
        for _ in 0..20_000 {
            let pending_timer = reference
                .iter()
                .position(|r| matches!(r.3, Event::Queue(QueueEvent::Abandons { .. })));
            if let Some(at) = pending_timer
                && rng.random::<f64>() < 0.1
            {
                // The caller is answered: the timer never comes out.
                let Event::Queue(QueueEvent::Abandons { caller, .. }) = reference.remove(at).3
                else {
                    unreachable!()
                };
                q.cancel_patience(caller);
                cancelled += 1;
            } else if rng.random::<f64>() < schedule {
                // Whole seconds, so equal times are common.
                let time = now + f64::from(rng.random_range(0..20u32));
                let event = match rng.random_range(0..5u32) {
                    0 if !reference.iter().any(|r| r.3 == Event::CallArrives) => Event::CallArrives,
                    1 => Event::Queue(QueueEvent::Abandons {
                        caller: CallerId(seq as u32),
                        generation: 0,
                    }),
                    2 => Event::Manager(ManagerEvent::Moves {
                        manager: seq as u32,
                    }),
                    3 => Event::Agent(AgentEvent::WrapUpEnds {
                        agent: AgentId(seq as u32),
                    }),
                    _ => Event::Agent(AgentEvent::ServiceEnds {
                        agent: AgentId(seq as u32),
                    }),
                };
                seq += 1;
                let before = q.seq;
                q.schedule(at(time), event);
                renumbered += u32::from(q.seq < before);
                reference.push((time, event.class(), seq, event));
                reference.sort_by(|a, b| (a.0, a.1, a.2).partial_cmp(&(b.0, b.1, b.2)).unwrap());
            } else {
                let expected = (!reference.is_empty()).then(|| reference.remove(0));
                let got = q.pop().map(|(t, e)| (t.secs(), e));
                assert_eq!(got, expected.map(|r| (r.0, r.3)));
                if let Some((t, _)) = got {
                    now = t;
                }
            }
            assert_eq!(q.len(), reference.len());
        }
        // Drained, every scheduled event has come out once, except the cancelled timers.
        assert_eq!(drain(&mut q).len(), reference.len());
        assert_eq!(q.scheduled(), seq);
        assert!(cancelled > 100, "the test cancels timers: {cancelled}");
        assert_eq!(q.handled(), seq - cancelled);
        renumbered
    }

    #[test]
    fn clear_keeps_capacity() {
        let mut q = EventQueue::new();
        for i in 0..1000 {
            q.schedule(
                at(i as f64),
                Event::Agent(AgentEvent::ServiceEnds { agent: AgentId(0) }),
            );
        }
        let cap = q.keys.lines.capacity();
        q.clear();
        assert!(q.is_empty());
        assert_eq!(q.keys.lines.capacity(), cap);
        assert!(
            q.keys
                .lines
                .iter()
                .all(|l| l.0.iter().all(|&k| k == ABSENT)),
            "cleared keys are padding"
        );
    }
}
