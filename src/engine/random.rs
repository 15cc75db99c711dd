//! Random streams: one independent ChaCha8 stream per (seed, replication, purpose).
//!
//! Replication `r` never depends on any other replication, whatever the thread count or the shard
//! that runs it, and each source of randomness has its own stream. Every caller's attributes
//! (class, patience, handle time, after-call work) are drawn when the caller arrives, in arrival
//! order, so two variants of a scenario that differ only in, say, the number of agents see the same
//! callers with the same patience and the same handle times: common random numbers.

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

/// What a stream is used for. The discriminant is part of the stream id: never reorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Inter-arrival times.
    Arrivals = 0,
    /// Which caller class an arrival belongs to.
    CallerClass = 1,
    /// Patience of each caller.
    Patience = 2,
    /// Talk time of each caller.
    HandleTime = 3,
    /// After-call work of each caller.
    AfterCallWork = 4,
    /// Whether a first call resolves the issue, and the follow-up work if it does not.
    Resolution = 5,
    /// Customers' tolerance to silence and their status calls.
    StatusCalls = 6,
    /// Each agent's orientation.
    Orientation = 7,
    /// Agents' unobserved slack and procrastination.
    Behaviour = 8,
    /// Managers' office times, visits, whom they watch, and report requests.
    Managers = 9,
    /// Whether and when callers who hung up call again, and their patience then.
    Redials = 10,
    /// Callback acceptance, answers, retry delays, and calling in again.
    Callbacks = 11,
    /// Whether a caller balks at the announced wait.
    Balking = 12,
    /// Day-to-day multipliers of the arrival rate.
    DayNoise = 13,
    /// Whether a follow-up needs the back office, and the back-office work.
    BackOffice = 14,
    /// Outbound attempts: reached, talk, accepted, decline reason, retry delay.
    Outbound = 15,
    /// Misrouted calls: whether, to which wrong department, the transfer talk and the patience
    /// after the transfer.
    Routing = 16,
}

/// Stream ids reserve this many purposes per replication (room for later features).
const PURPOSES_PER_REPLICATION: u64 = 64;

/// The largest replication number with streams of its own: above it the stream id
/// (replication × 64 + purpose) would wrap round onto a smaller replication's.
pub const MAX_REPLICATION: u64 = u64::MAX / PURPOSES_PER_REPLICATION - 1;

/// The generator for one (seed, replication, purpose).
pub fn stream(seed: u64, replication: u64, purpose: Purpose) -> ChaCha8Rng {
    debug_assert!(replication <= MAX_REPLICATION, "replication {replication}");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(replication * PURPOSES_PER_REPLICATION + purpose as u64);
    rng
}

/// All streams of one replication.
pub struct Streams {
    /// Inter-arrival times.
    pub arrivals: ChaCha8Rng,
    /// Caller class choice.
    pub caller_class: ChaCha8Rng,
    /// Patience.
    pub patience: ChaCha8Rng,
    /// Handle (talk) time.
    pub handle_time: ChaCha8Rng,
    /// After-call work.
    pub after_call_work: ChaCha8Rng,
    /// Resolution on first contact and follow-up work.
    pub resolution: ChaCha8Rng,
    /// Tolerance to silence and status-call talk times.
    pub status_calls: ChaCha8Rng,
    /// Agent orientations.
    pub orientation: ChaCha8Rng,
    /// Slack and procrastination.
    pub behaviour: ChaCha8Rng,
    /// Managers.
    pub managers: ChaCha8Rng,
    /// Redials.
    pub redials: ChaCha8Rng,
    /// Callbacks.
    pub callbacks: ChaCha8Rng,
    /// Balking.
    pub balking: ChaCha8Rng,
    /// Day-to-day rate noise.
    pub day_noise: ChaCha8Rng,
    /// Back-office steps.
    pub back_office: ChaCha8Rng,
    /// Outbound campaign.
    pub outbound: ChaCha8Rng,
    /// Misroutes and transfers.
    pub routing: ChaCha8Rng,
}

impl Streams {
    /// The streams of replication `replication` under master seed `seed`.
    pub fn new(seed: u64, replication: u64) -> Self {
        Self {
            arrivals: stream(seed, replication, Purpose::Arrivals),
            caller_class: stream(seed, replication, Purpose::CallerClass),
            patience: stream(seed, replication, Purpose::Patience),
            handle_time: stream(seed, replication, Purpose::HandleTime),
            after_call_work: stream(seed, replication, Purpose::AfterCallWork),
            resolution: stream(seed, replication, Purpose::Resolution),
            status_calls: stream(seed, replication, Purpose::StatusCalls),
            orientation: stream(seed, replication, Purpose::Orientation),
            behaviour: stream(seed, replication, Purpose::Behaviour),
            managers: stream(seed, replication, Purpose::Managers),
            redials: stream(seed, replication, Purpose::Redials),
            callbacks: stream(seed, replication, Purpose::Callbacks),
            balking: stream(seed, replication, Purpose::Balking),
            day_noise: stream(seed, replication, Purpose::DayNoise),
            back_office: stream(seed, replication, Purpose::BackOffice),
            outbound: stream(seed, replication, Purpose::Outbound),
            routing: stream(seed, replication, Purpose::Routing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_replication_and_purpose_and_repeat_exactly() {
        let a = stream(7, 0, Purpose::Arrivals).next_u64();
        let b = stream(7, 1, Purpose::Arrivals).next_u64();
        let c = stream(7, 0, Purpose::Patience).next_u64();
        let d = stream(8, 0, Purpose::Arrivals).next_u64();
        assert!(a != b && a != c && a != d && b != c);
        assert_eq!(a, stream(7, 0, Purpose::Arrivals).next_u64());
    }

    #[test]
    fn the_pilot_of_an_automatic_warm_up_draws_numbers_of_its_own() {
        // The pilot replications were numbered from 2^62 once: times 64 that wrapped round to
        // 0, and the pilot replayed the measured replications' random numbers exactly.
        let pilot = crate::experiment::PILOT_REPLICATIONS_FROM;
        assert!(pilot + u64::from(crate::experiment::MAX_PILOT_REPLICATIONS) <= MAX_REPLICATION);
        for purpose in [Purpose::Arrivals, Purpose::Patience, Purpose::HandleTime] {
            for k in [0, 1, 9_999] {
                let measured = stream(7, k, purpose).next_u64();
                assert_ne!(stream(7, pilot + k, purpose).next_u64(), measured, "{k}");
            }
        }
    }
}
