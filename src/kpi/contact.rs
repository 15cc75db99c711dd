//! What one replication counts about contacts, per caller class: offered, answered, waits,
//! callbacks, follow-ups and cases; and the KPI values those counts give.

use super::{Kpi, KpiValues};
use crate::stats::DurationHistogram;

/// A running mean: a sum and a count.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Mean {
    pub(super) sum: f64,
    pub(super) n: u64,
}

impl Mean {
    #[inline]
    pub(super) fn add(&mut self, x: f64) {
        self.sum += x;
        self.n += 1;
    }

    pub(super) fn merge(&mut self, other: &Mean) {
        self.sum += other.sum;
        self.n += other.n;
    }

    pub(super) fn value(&self) -> f64 {
        if self.n > 0 {
            self.sum / self.n as f64
        } else {
            f64::NAN
        }
    }
}

/// Contact, case and follow-up statistics of one scope (overall or one class). What every call
/// adds to comes first and fills the first two cache lines (aligned): a floor of 20 classes
/// keeps them in the cache beside its agents with fewer misses.
#[derive(Debug, Clone, Default)]
#[repr(C, align(64))]
pub(super) struct ContactStats {
    pub(super) offered: u64,
    pub(super) answered: u64,
    pub(super) abandoned: u64,
    pub(super) answered_within_threshold: u64,
    pub(super) waited: u64,
    /// Answered without waiting: counted here and added to the histogram once, at the end,
    /// because on a well-staffed floor most calls do not wait.
    pub(super) zero_waits: u64,
    pub(super) answered_wait_sum: f64,
    pub(super) all_wait_sum: f64,
    pub(super) talk_observed: Mean,
    pub(super) talk_unobserved: Mean,
    pub(super) resolutions: u64,
    pub(super) resolution_contacts: u64,
    pub(super) resolution_time_sum: f64,
    pub(super) answered_waits: DurationHistogram,
    pub(super) blocked: u64,
    pub(super) status_calls: u64,
    pub(super) handovers: u64,
    pub(super) transfers: u64,
    pub(super) redials: u64,
    pub(super) repeat_calls: u64,
    pub(super) balked: u64,
    pub(super) callback_offers: u64,
    pub(super) callbacks_accepted: u64,
    pub(super) callback_delay: Mean,
    pub(super) back_office_delay: Mean,
    pub(super) callbacks_on_time: u64,
    pub(super) callback_attempts: u64,
    pub(super) response: Mean,
    pub(super) response_observed: Mean,
    pub(super) response_unobserved: Mean,
    /// Follow-ups promised while some manager watched: what the managers believe.
    pub(super) response_seen: Mean,
    pub(super) on_time: u64,
}

// The fields every call adds to (`offered` to `resolution_time_sum`) fill two cache lines.
const _: () = assert!(
    std::mem::offset_of!(ContactStats, answered_waits) <= 128,
    "a class's hot counters fill its first two cache lines"
);

impl ContactStats {
    pub(super) fn add(&mut self, o: &Self) {
        self.offered += o.offered;
        self.answered += o.answered;
        self.abandoned += o.abandoned;
        self.blocked += o.blocked;
        self.answered_within_threshold += o.answered_within_threshold;
        self.waited += o.waited;
        self.answered_wait_sum += o.answered_wait_sum;
        self.all_wait_sum += o.all_wait_sum;
        self.answered_waits.merge(&o.answered_waits);
        self.talk_observed.merge(&o.talk_observed);
        self.talk_unobserved.merge(&o.talk_unobserved);
        self.status_calls += o.status_calls;
        self.handovers += o.handovers;
        self.transfers += o.transfers;
        self.redials += o.redials;
        self.repeat_calls += o.repeat_calls;
        self.balked += o.balked;
        self.callback_offers += o.callback_offers;
        self.callbacks_accepted += o.callbacks_accepted;
        self.callback_delay.merge(&o.callback_delay);
        self.callbacks_on_time += o.callbacks_on_time;
        self.callback_attempts += o.callback_attempts;
        self.response.merge(&o.response);
        self.back_office_delay.merge(&o.back_office_delay);
        self.response_observed.merge(&o.response_observed);
        self.response_unobserved.merge(&o.response_unobserved);
        self.response_seen.merge(&o.response_seen);
        self.on_time += o.on_time;
        self.resolutions += o.resolutions;
        self.resolution_contacts += o.resolution_contacts;
        self.resolution_time_sum += o.resolution_time_sum;
    }

    pub(super) fn values(&self) -> KpiValues {
        let ratio = |a: f64, b: u64| if b > 0 { a / b as f64 } else { f64::NAN };
        let mut v = KpiValues::undefined();
        v.set(Kpi::Offered, self.offered as f64);
        v.set(Kpi::Answered, self.answered as f64);
        v.set(Kpi::Abandoned, self.abandoned as f64);
        v.set(Kpi::Blocked, self.blocked as f64);
        v.set(Kpi::BlockingRate, ratio(self.blocked as f64, self.offered));
        // DESIGN.md: those who accepted a callback leave the service-level denominator.
        v.set(
            Kpi::ServiceLevel,
            ratio(
                self.answered_within_threshold as f64,
                self.offered.saturating_sub(self.callbacks_accepted),
            ),
        );
        v.set(
            Kpi::ServiceLevelOffered,
            ratio(self.answered_within_threshold as f64, self.offered),
        );
        let fresh = (self.offered - self.redials - self.repeat_calls - self.status_calls) as f64;
        v.set(Kpi::FreshContacts, fresh);
        v.set(Kpi::Redials, self.redials as f64);
        v.set(Kpi::RepeatCalls, self.repeat_calls as f64);
        v.set(Kpi::Balked, self.balked as f64);
        v.set(Kpi::CallbackOffers, self.callback_offers as f64);
        v.set(Kpi::CallbacksAccepted, self.callbacks_accepted as f64);
        v.set(Kpi::CallbacksReached, self.callback_delay.n as f64);
        v.set(
            Kpi::CallbackOfferRate,
            ratio(self.callback_offers as f64, self.offered),
        );
        v.set(
            Kpi::CallbackTakeUp,
            ratio(self.callbacks_accepted as f64, self.callback_offers),
        );
        v.set(Kpi::CallbackDelayMeanS, self.callback_delay.value());
        v.set(
            Kpi::CallbackOnTime,
            ratio(self.callbacks_on_time as f64, self.callback_delay.n),
        );
        v.set(
            Kpi::CallbackAttemptsPerSuccess,
            ratio(self.callback_attempts as f64, self.callback_delay.n),
        );
        v.set(
            Kpi::AbandonmentRate,
            ratio(self.abandoned as f64, self.offered),
        );
        v.set(Kpi::AsaS, ratio(self.answered_wait_sum, self.answered));
        v.set(Kpi::MeanWaitS, ratio(self.all_wait_sum, self.offered));
        v.set(Kpi::PWait, ratio(self.waited as f64, self.offered));
        v.set(Kpi::WaitP50S, self.answered_waits.quantile(0.50));
        v.set(Kpi::WaitP90S, self.answered_waits.quantile(0.90));
        v.set(Kpi::WaitP99S, self.answered_waits.quantile(0.99));
        let mut talk = self.talk_observed;
        talk.merge(&self.talk_unobserved);
        v.set(Kpi::HandleTimeMeanS, talk.value());
        v.set(Kpi::HandleTimeMeanSObserved, self.talk_observed.value());
        v.set(Kpi::HandleTimeMeanSUnobserved, self.talk_unobserved.value());
        v.set(Kpi::StatusCalls, self.status_calls as f64);
        v.set(Kpi::Handovers, self.handovers as f64);
        v.set(Kpi::Transfers, self.transfers as f64);
        v.set(
            Kpi::TransfersPerCase,
            ratio(self.transfers as f64, fresh as u64),
        );
        v.set(Kpi::BackOfficeSteps, self.back_office_delay.n as f64);
        v.set(Kpi::BackOfficeDelayMeanS, self.back_office_delay.value());
        v.set(Kpi::FollowUps, self.response.n as f64);
        v.set(Kpi::FollowUpResponseMeanS, self.response.value());
        v.set(
            Kpi::FollowUpResponseMeanSObserved,
            self.response_observed.value(),
        );
        v.set(
            Kpi::FollowUpResponseMeanSUnobserved,
            self.response_unobserved.value(),
        );
        v.set(
            Kpi::FollowUpOnTime,
            ratio(self.on_time as f64, self.response.n),
        );
        v.set(
            Kpi::ContactsPerResolution,
            ratio(self.resolution_contacts as f64, self.resolutions),
        );
        v.set(
            Kpi::TimeToResolutionMeanS,
            ratio(self.resolution_time_sum, self.resolutions),
        );
        // What any manager saw.
        let true_response = self.response.value();
        set_perception(
            &mut v,
            true_response,
            &self.response_seen,
            &self.talk_observed,
        );
        v
    }
}

/// Perceived values from what was seen, and the gap against the true follow-up response.
pub(super) fn set_perception(
    v: &mut KpiValues,
    true_response: f64,
    response_seen: &Mean,
    talk_seen: &Mean,
) {
    let perceived = response_seen.value();
    v.set(Kpi::PerceivedFollowUpResponseMeanS, perceived);
    v.set(Kpi::PerceptionGap, true_response / perceived);
    v.set(Kpi::PerceivedHandleTimeMeanS, talk_seen.value());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The collector reports a department of one class with that class's values instead of
    /// adding the class to an empty scope: the two must agree bit for bit, NaN for NaN.
    #[test]
    fn one_class_added_to_an_empty_scope_keeps_its_values_bit_for_bit() {
        let mut class = ContactStats {
            offered: 1_000,
            answered: 930,
            abandoned: 61,
            blocked: 9,
            answered_within_threshold: 801,
            waited: 412,
            answered_wait_sum: 8_765.432_1,
            all_wait_sum: 9_876.543_2,
            talk_observed: Mean {
                sum: 21_000.5,
                n: 90,
            },
            talk_unobserved: Mean {
                sum: 201_000.25,
                n: 840,
            },
            callback_offers: 40,
            callbacks_accepted: 17,
            callback_delay: Mean {
                sum: 3_000.125,
                n: 15,
            },
            callback_attempts: 19,
            response: Mean {
                sum: 86_400.0 * 3.3,
                n: 12,
            },
            response_seen: Mean {
                sum: 86_400.0,
                n: 5,
            },
            resolutions: 11,
            resolution_contacts: 14,
            resolution_time_sum: 123_456.789,
            ..ContactStats::default()
        };
        for i in 1..=412u32 {
            class.answered_waits.record(f64::from(i) * 0.37);
        }
        let mut scope = ContactStats::default();
        scope.add(&class);
        let bits = |v: KpiValues| v.0.map(f64::to_bits);
        assert_eq!(bits(scope.values()), bits(class.values()));
        // And a second class does change them (the check above can fail).
        scope.add(&class);
        assert_ne!(bits(scope.values()), bits(class.values()));
    }
}
