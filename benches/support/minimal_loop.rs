//! A minimal hand-written M/M/c+M loop: the speed of light for the yardstick on this machine.
//!
//! It does only what the yardstick's Erlang-A figures need: a binary heap of arrivals, service
//! ends and abandonments (lazily cancelled), a FIFO queue, a fast generator (xoshiro256++) and
//! four counters. No classes, no observer, no histograms, no time-weighted statistics. The
//! benchmark runs it beside the engine so that a machine that is slower today shows up in both,
//! and the ratio of the two is what the README reports.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rand::SeedableRng;
use rand::rngs::SmallRng;
use rand_distr::{Distribution, Exp1};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Service end: an agent becomes free.
    Release,
    /// A caller's patience runs out (ignored if the caller was answered).
    Abandon(u32),
    Arrival,
}

/// Counts of one run: answered, abandoned, answered within 20 s, and the sum of waits.
#[derive(Debug, Default)]
pub struct Counts {
    pub answered: u64,
    pub abandoned: u64,
    pub within_20s: u64,
    pub wait_sum_s: f64,
}

/// Runs M/M/`agents`+M for `horizon` seconds: arrivals at `rate` per second, mean handle time
/// `handle` and mean patience `patience` (seconds).
pub fn run(seed: u64, horizon: f64, rate: f64, agents: u32, handle: f64, patience: f64) -> Counts {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut exp = move || -> f64 { Exp1.sample(&mut rng) };
    // Times are non-negative, so their bit patterns order like the numbers.
    let mut heap: BinaryHeap<Reverse<(u64, Kind)>> = BinaryHeap::with_capacity(256);
    // Waiting callers: (id, arrival). Ids index a ring of "still waiting" flags; an id comes
    // back after 65,536 callers (91 hours here), long after its patience timer has fired.
    let mut waiting: VecDeque<(u32, f64)> = VecDeque::with_capacity(256);
    let mut still_waiting: Vec<bool> = vec![false; 1 << 16];
    let mask = (1u32 << 16) - 1;
    let mut next_id = 0u32;
    let mut free = agents;
    let mut counts = Counts::default();
    heap.push(Reverse(((exp() / rate).to_bits(), Kind::Arrival)));
    while let Some(Reverse((bits, kind))) = heap.pop() {
        let now = f64::from_bits(bits);
        match kind {
            Kind::Arrival => {
                let next = now + exp() / rate;
                if next < horizon {
                    heap.push(Reverse((next.to_bits(), Kind::Arrival)));
                }
                if free > 0 {
                    free -= 1;
                    counts.answered += 1;
                    counts.within_20s += 1;
                    heap.push(Reverse(((now + exp() * handle).to_bits(), Kind::Release)));
                } else {
                    let id = next_id;
                    next_id = next_id.wrapping_add(1);
                    still_waiting[(id & mask) as usize] = true;
                    waiting.push_back((id, now));
                    heap.push(Reverse((
                        (now + exp() * patience).to_bits(),
                        Kind::Abandon(id),
                    )));
                }
            }
            Kind::Release => {
                free += 1;
                while let Some((id, arrival)) = waiting.pop_front() {
                    if !still_waiting[(id & mask) as usize] {
                        continue;
                    }
                    still_waiting[(id & mask) as usize] = false;
                    free -= 1;
                    let wait = now - arrival;
                    counts.answered += 1;
                    counts.wait_sum_s += wait;
                    counts.within_20s += u64::from(wait <= 20.0);
                    heap.push(Reverse(((now + exp() * handle).to_bits(), Kind::Release)));
                    break;
                }
            }
            Kind::Abandon(id) => {
                let flag = &mut still_waiting[(id & mask) as usize];
                if *flag {
                    *flag = false;
                    counts.abandoned += 1;
                }
            }
        }
    }
    counts
}

/// The tightest loop for the same model: the heap holds only service ends, and a waiting
/// caller carries their deadline and is counted as abandoned when they reach the head of the
/// queue after it. Valid for FIFO M/M/c+M counts only: nobody knows the queue length at any
/// moment, so there is no time-weighted queue, no announced wait and no event at the moment a
/// caller hangs up (nothing to hang redials or callbacks on).
pub fn run_deadlines(
    seed: u64,
    horizon: f64,
    rate: f64,
    agents: u32,
    handle: f64,
    patience: f64,
) -> Counts {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut exp = move || -> f64 { Exp1.sample(&mut rng) };
    let mut ends: BinaryHeap<Reverse<u64>> = BinaryHeap::with_capacity(256);
    // (arrival, deadline) of each caller on hold.
    let mut waiting: VecDeque<(f64, f64)> = VecDeque::with_capacity(256);
    let mut free = agents;
    let mut counts = Counts::default();
    let mut now = 0.0;
    loop {
        now += exp() / rate;
        if now >= horizon {
            break;
        }
        // Every agent who finished before this arrival takes the next caller still waiting.
        release_until(
            now,
            &mut ends,
            &mut waiting,
            &mut free,
            &mut counts,
            |w| w,
            |_| exp() * handle,
        );
        let deadline = now + exp() * patience;
        if free > 0 {
            free -= 1;
            counts.answered += 1;
            counts.within_20s += 1;
            ends.push(Reverse((now + exp() * handle).to_bits()));
        } else {
            waiting.push_back((now, deadline));
        }
    }
    counts
}

/// The tight loop drawing every number the engine draws, from the engine's own streams
/// ([`callsim::engine::random::stream`]): the inter-arrival time, then each caller's patience
/// and talk time at arrival, as `t + unit / rate` and `mean * unit` like the engine, and the run
/// drains after the last arrival as the engine's does. It therefore answers and loses the very
/// callers the engine does, and its time is, in practice, a floor for any path that keeps the
/// engine's results: the cost of the same random numbers, with no abandonment moments, no
/// time-weighted statistic and no observer.
pub fn run_deadlines_on_engine_streams(
    seed: u64,
    replication: u64,
    horizon: f64,
    rate: f64,
    agents: u32,
    handle: f64,
    patience: f64,
) -> Counts {
    use callsim::engine::random::{Purpose, stream};
    let mut arrivals = stream(seed, replication, Purpose::Arrivals);
    let mut patience_stream = stream(seed, replication, Purpose::Patience);
    let mut handle_stream = stream(seed, replication, Purpose::HandleTime);
    let unit = |rng: &mut rand::rngs::ChaCha8Rng| -> f64 { Exp1.sample(rng) };
    let mut ends: BinaryHeap<Reverse<u64>> = BinaryHeap::with_capacity(256);
    // (arrival, deadline, talk) of each caller on hold.
    let mut waiting: VecDeque<(f64, f64, f64)> = VecDeque::with_capacity(256);
    let mut free = agents;
    let mut counts = Counts::default();
    let mut now = unit(&mut arrivals) / rate;
    loop {
        // Every agent who finished by `now` takes the next caller still waiting (releases
        // before abandonments at equal times, as in the engine). After the last arrival `now`
        // is infinite: the run drains.
        release_until(
            now,
            &mut ends,
            &mut waiting,
            &mut free,
            &mut counts,
            |(arrival, deadline, _)| (arrival, deadline),
            |(_, _, talk)| talk,
        );
        if now == f64::INFINITY {
            // Every agent is free: whoever was still on hold has been answered or has hung up.
            debug_assert!(waiting.is_empty());
            return counts;
        }
        let deadline = now + patience * unit(&mut patience_stream);
        let talk = handle * unit(&mut handle_stream);
        if free > 0 {
            free -= 1;
            counts.answered += 1;
            counts.within_20s += 1;
            ends.push(Reverse((now + talk).to_bits()));
        } else {
            waiting.push_back((now, deadline, talk));
        }
        now += unit(&mut arrivals) / rate;
        if now >= horizon {
            now = f64::INFINITY;
        }
    }
}

/// The deadline loops' service ends up to `now`, in order: each frees an agent, who takes the
/// next caller still on hold; callers at the head whose deadline came before the end are
/// counted as abandoned and dropped. `times` gives a waiting entry's arrival and deadline,
/// `talk` the talk time of the caller answered.
#[inline(always)]
fn release_until<W: Copy>(
    now: f64,
    ends: &mut BinaryHeap<Reverse<u64>>,
    waiting: &mut VecDeque<W>,
    free: &mut u32,
    counts: &mut Counts,
    times: impl Fn(W) -> (f64, f64),
    mut talk: impl FnMut(W) -> f64,
) {
    while let Some(&Reverse(bits)) = ends.peek() {
        let end = f64::from_bits(bits);
        if end > now {
            break;
        }
        ends.pop();
        *free += 1;
        while let Some(w) = waiting.pop_front() {
            let (arrival, deadline) = times(w);
            if deadline < end {
                counts.abandoned += 1;
                continue;
            }
            *free -= 1;
            let wait = end - arrival;
            counts.answered += 1;
            counts.wait_sum_s += wait;
            counts.within_20s += u64::from(wait <= 20.0);
            ends.push(Reverse((end + talk(w)).to_bits()));
            break;
        }
    }
}
