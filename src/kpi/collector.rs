//! [`KpiCollector`]: an [`Observer`] that turns one replication into [`ReplicationKpis`] in
//! O(1) memory (counters, sums, time-weighted averages and fixed-size histograms).

use super::interval::IntervalStats;
use super::{Kpi, KpiValues};
use crate::engine::{
    AgentState, AnsweredContact, CallbackEnd, CallbackOutcome, FollowUpOutcome, Observer,
    OutboundOutcome,
};
use crate::model::Scenario;
use crate::stats::{DurationHistogram, TimeWeighted};

/// Everything one replication reports.
#[derive(Debug, Clone)]
pub struct ReplicationKpis {
    /// All callers together.
    pub overall: KpiValues,
    /// Per caller class, in scenario order.
    pub by_class: Vec<KpiValues>,
    /// Per manager, in scenario order (only the KPIs of [`super::Scope::Manager`] are defined).
    pub by_manager: Vec<KpiValues>,
    /// Per department (the callers of its classes together), when there are two or more.
    pub by_department: Vec<KpiValues>,
    /// Per outbound decline reason (only `outbound_declines` is defined).
    pub by_decline_reason: Vec<KpiValues>,
    /// Waits of answered contacts, overall (mergeable across replications).
    pub answered_waits: DurationHistogram,
    /// Callback delays of reached callbacks, overall; `None` when there were none.
    pub callback_delays: Option<DurationHistogram>,
    /// Per interval of the day, the values of [`super::INTERVAL_KPIS`] (empty unless asked for).
    pub by_interval: IntervalRows,
    /// Follow-up responses whose work started observed and unobserved (only when asked for
    /// details, and only with follow-ups).
    pub follow_up_responses: Option<[DurationHistogram; 2]>,
}

/// A running mean: a sum and a count.
#[derive(Debug, Clone, Copy, Default)]
struct Mean {
    sum: f64,
    n: u64,
}

impl Mean {
    #[inline]
    fn add(&mut self, x: f64) {
        self.sum += x;
        self.n += 1;
    }

    fn merge(&mut self, other: &Mean) {
        self.sum += other.sum;
        self.n += other.n;
    }

    fn value(&self) -> f64 {
        if self.n > 0 {
            self.sum / self.n as f64
        } else {
            f64::NAN
        }
    }
}

/// Contact, case and follow-up statistics of one scope (overall or one class).
#[derive(Debug, Clone, Default)]
struct ContactStats {
    offered: u64,
    answered: u64,
    abandoned: u64,
    blocked: u64,
    answered_within_threshold: u64,
    waited: u64,
    answered_wait_sum: f64,
    all_wait_sum: f64,
    answered_waits: DurationHistogram,
    /// Answered without waiting: counted here and added to the histogram once, at the end,
    /// because on a well-staffed floor most calls do not wait.
    zero_waits: u64,
    talk_observed: Mean,
    talk_unobserved: Mean,
    status_calls: u64,
    handovers: u64,
    transfers: u64,
    redials: u64,
    repeat_calls: u64,
    balked: u64,
    callback_offers: u64,
    callbacks_accepted: u64,
    callback_delay: Mean,
    back_office_delay: Mean,
    callbacks_on_time: u64,
    callback_attempts: u64,
    response: Mean,
    response_observed: Mean,
    response_unobserved: Mean,
    /// Follow-ups promised while some manager watched: what the managers believe.
    response_seen: Mean,
    on_time: u64,
    resolutions: u64,
    resolution_contacts: u64,
    resolution_time_sum: f64,
}

impl ContactStats {
    fn add(&mut self, o: &Self) {
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

    fn values(&self) -> KpiValues {
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
fn set_perception(v: &mut KpiValues, true_response: f64, response_seen: &Mean, talk_seen: &Mean) {
    let perceived = response_seen.value();
    v.set(Kpi::PerceivedFollowUpResponseMeanS, perceived);
    v.set(Kpi::PerceptionGap, true_response / perceived);
    v.set(Kpi::PerceivedHandleTimeMeanS, talk_seen.value());
}

/// Outbound attempts of one replication.
#[derive(Debug, Default)]
struct OutboundCounts {
    attempts: u64,
    contacts: u64,
    accepted: u64,
    /// Declines by reason.
    declined: Vec<u64>,
    /// Customers not settled when dialling stopped.
    left: Option<u32>,
}

/// Categories of agent time with a KPI of their own. A state may be in several (a report is
/// busy time too); idle time is what is left.
#[derive(Debug, Clone, Copy)]
enum TimeCategory {
    Busy = 0,
    Slack = 1,
    Report = 2,
    Callback = 3,
    Away = 4,
    OffDuty = 5,
    Outbound = 6,
}

impl TimeCategory {
    const COUNT: usize = 7;

    /// The categories of `state`, one bit per category.
    #[inline(always)]
    fn of(state: AgentState) -> u8 {
        const BUSY: u8 = 1 << TimeCategory::Busy as u8;
        match state {
            AgentState::Idle => 0,
            AgentState::Talking | AgentState::WrapUp | AgentState::FollowUp => BUSY,
            AgentState::Report => BUSY | 1 << TimeCategory::Report as u8,
            AgentState::Callback => BUSY | 1 << TimeCategory::Callback as u8,
            AgentState::Outbound => BUSY | 1 << TimeCategory::Outbound as u8,
            AgentState::Slack => 1 << TimeCategory::Slack as u8,
            AgentState::Away => 1 << TimeCategory::Away as u8,
            AgentState::OffDuty => 1 << TimeCategory::OffDuty as u8,
        }
    }
}

/// Extra detail a collector may keep for plots and reports. The unit type keeps none: its
/// empty methods compile to nothing, so plain runs pay nothing for the details.
#[allow(unused_variables)]
pub trait Details {
    /// A contact arriving at `time` (in the window).
    fn offered(&mut self, time: f64) {}
    /// A contact that arrived at `arrival` answered after `wait`.
    fn answered(&mut self, arrival: f64, wait: f64) {}
    /// A contact that arrived at `arrival` hung up.
    fn abandoned(&mut self, arrival: f64) {}
    /// A contact arriving at `time` heard a busy signal.
    fn blocked(&mut self, time: f64) {}
    /// A contact that arrived at `arrival` took a callback.
    fn accepted_callback(&mut self, arrival: f64) {}
    /// Callers on hold became `waiting` at `time`.
    fn queue_length(&mut self, time: f64, waiting: f64) {}
    /// Busy agents became `busy` at `time`.
    fn busy(&mut self, time: f64, busy: f64) {}
    /// Agents off duty became `off` at `time`.
    fn off_duty(&mut self, time: f64, off: f64) {}
    /// A follow-up resolved after `response` seconds; `observed` if its work started watched.
    fn follow_up_response(&mut self, observed: bool, response: f64) {}
    /// The rows per interval and the follow-up response distributions.
    fn finish(self) -> (IntervalRows, Option<[DurationHistogram; 2]>)
    where
        Self: Sized,
    {
        (Vec::new(), None)
    }
}

/// One row per interval of the day, the values of [`super::INTERVAL_KPIS`].
pub type IntervalRows = Vec<[f64; super::INTERVAL_KPIS.len()]>;

impl Details for () {}

/// The details plots and reports need.
pub struct FullDetails {
    intervals: IntervalStats,
    responses: Option<[DurationHistogram; 2]>,
}

impl Details for FullDetails {
    fn offered(&mut self, time: f64) {
        self.intervals.offered(time);
    }
    fn answered(&mut self, arrival: f64, wait: f64) {
        self.intervals.answered(arrival, wait);
    }
    fn abandoned(&mut self, arrival: f64) {
        self.intervals.abandoned(arrival);
    }
    fn accepted_callback(&mut self, arrival: f64) {
        self.intervals.accepted_callback(arrival);
    }
    fn blocked(&mut self, time: f64) {
        self.intervals.blocked(time);
    }
    fn queue_length(&mut self, time: f64, waiting: f64) {
        self.intervals.queue_length(time, waiting);
    }
    fn busy(&mut self, time: f64, busy: f64) {
        self.intervals.busy(time, busy);
    }
    fn off_duty(&mut self, time: f64, off: f64) {
        self.intervals.off_duty(time, off);
    }
    fn follow_up_response(&mut self, observed: bool, response: f64) {
        if let Some(h) = &mut self.responses {
            h[usize::from(!observed)].record(response);
        }
    }
    fn finish(self) -> (IntervalRows, Option<[DurationHistogram; 2]>) {
        (self.intervals.finish(), self.responses)
    }
}

/// What one manager saw.
#[derive(Debug, Clone)]
struct ManagerStats {
    response_seen: Mean,
    talk_seen: Mean,
    watched: TimeWeighted,
}

/// An [`Observer`] that turns one replication into [`ReplicationKpis`] in O(1) memory.
pub struct KpiCollector<D: Details = ()> {
    warmup: f64,
    horizon: f64,
    threshold: f64,
    agents: f64,
    by_class: Vec<ContactStats>,
    /// Department of each class, and how many departments report (0 with fewer than two).
    class_department: Vec<u8>,
    departments: usize,
    by_manager: Vec<ManagerStats>,
    /// Agents per time category (see [`TimeCategory`]) and the time average of each.
    category_agents: [u32; TimeCategory::COUNT],
    category_time: [TimeWeighted; TimeCategory::COUNT],
    /// Callback delays, overall; allocated at the first reached callback.
    callback_delays: Option<DurationHistogram>,
    /// Outbound attempts by outcome (overall only: the campaign has no caller class).
    outbound: OutboundCounts,
    /// Details for plots and reports; `()` when not asked for, which compiles to nothing.
    details: D,
    observed: TimeWeighted,
    waiting: TimeWeighted,
}

impl KpiCollector<()> {
    /// A collector for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Self::build(scenario, |_| ())
    }
}

impl KpiCollector<FullDetails> {
    /// A collector that also keeps the details plots and reports need: KPIs per interval of the
    /// day and the distributions of follow-up responses. They cost time, so plain runs skip them.
    pub fn with_details(scenario: &Scenario) -> Self {
        Self::build(scenario, |agents| FullDetails {
            intervals: IntervalStats::new(scenario, agents),
            responses: scenario
                .callers
                .iter()
                .any(|k| k.follow_up.is_some())
                .then(|| [DurationHistogram::new(), DurationHistogram::new()]),
        })
    }
}

impl<D: Details> KpiCollector<D> {
    fn build(scenario: &Scenario, details: impl FnOnce(f64) -> D) -> Self {
        let window = || TimeWeighted::new(scenario.warmup, scenario.horizon);
        let agents = scenario.agents.count + scenario.floor.call_taking_managers();
        Self {
            warmup: scenario.warmup,
            horizon: scenario.horizon,
            threshold: scenario.service_level_threshold,
            agents: f64::from(agents),
            by_class: vec![ContactStats::default(); scenario.callers.len()],
            class_department: scenario.callers.iter().map(|c| c.department).collect(),
            departments: match scenario.agents.departments.len() {
                n if n >= 2 => n,
                _ => 0,
            },
            by_manager: vec![
                ManagerStats {
                    response_seen: Mean::default(),
                    talk_seen: Mean::default(),
                    watched: window(),
                };
                scenario.floor.managers.len()
            ],
            category_agents: [0; TimeCategory::COUNT],
            category_time: [window(); TimeCategory::COUNT],
            callback_delays: None,
            outbound: OutboundCounts {
                declined: vec![0; scenario.outbound.as_ref().map_or(0, |o| o.declines.len())],
                ..OutboundCounts::default()
            },
            details: details(f64::from(agents)),
            observed: window(),
            waiting: window(),
        }
    }

    #[inline]
    fn in_window(&self, arrival: f64) -> bool {
        arrival >= self.warmup && arrival < self.horizon
    }

    /// The KPIs of the finished replication.
    pub fn finish(mut self) -> ReplicationKpis {
        for c in &mut self.by_class {
            c.answered_waits
                .record_n(0.0, std::mem::take(&mut c.zero_waits));
        }
        // Contacts are recorded per class only; the overall scope is their sum.
        let mut overall = ContactStats::default();
        for c in &self.by_class {
            overall.add(c);
        }
        let mut values = overall.values();
        // Shares of logged-in time: agents off duty (off shift, on a break, on leave) are out.
        let off_duty = self.category_time[TimeCategory::OffDuty as usize].finish();
        let logged_in = self.agents - off_duty;
        values.set(Kpi::StaffedAgentsMean, logged_in);
        let share = |c: TimeCategory| self.category_time[c as usize].finish() / logged_in;
        let busy = share(TimeCategory::Busy);
        let slack = share(TimeCategory::Slack);
        let away = share(TimeCategory::Away);
        values.set(Kpi::Occupancy, busy);
        values.set(Kpi::SlackShare, slack);
        values.set(Kpi::AwayShare, away);
        values.set(Kpi::CallbackShare, share(TimeCategory::Callback));
        // Every logged-in agent is busy, in slack, away or idle (the engine's tests check that
        // the states' times add up), so idle is the rest.
        values.set(Kpi::IdleShare, (1.0 - busy - slack - away).max(0.0));
        values.set(
            Kpi::CallbackDelayP90S,
            self.callback_delays
                .as_ref()
                .map_or(f64::NAN, |h| h.quantile(0.9)),
        );
        values.set(Kpi::ReportShare, share(TimeCategory::Report));
        values.set(Kpi::ObservedShare, self.observed.finish() / logged_in);
        values.set(Kpi::QueueLengthMean, self.waiting.finish());
        values.set(Kpi::OutboundShare, share(TimeCategory::Outbound));
        let o = &self.outbound;
        values.set(Kpi::OutboundAttempts, o.attempts as f64);
        values.set(Kpi::OutboundContacts, o.contacts as f64);
        values.set(Kpi::OutboundAcceptances, o.accepted as f64);
        values.set(Kpi::OutboundDeclines, o.declined.iter().sum::<u64>() as f64);
        let by_decline_reason = o
            .declined
            .iter()
            .map(|&n| {
                let mut v = KpiValues::undefined();
                v.set(Kpi::OutboundDeclines, n as f64);
                v
            })
            .collect();
        values.set(
            Kpi::OutboundAcceptRate,
            o.accepted as f64 / o.contacts as f64,
        );
        values.set(Kpi::OutboundListLeft, o.left.map_or(f64::NAN, f64::from));
        let by_manager = self
            .by_manager
            .iter_mut()
            .map(|m| {
                let mut v = KpiValues::undefined();
                let true_response = values.get(Kpi::FollowUpResponseMeanS);
                // Kept (though not reported per manager) so the gap can be estimated as a
                // ratio of means across replications.
                v.set(Kpi::FollowUpResponseMeanS, true_response);
                set_perception(&mut v, true_response, &m.response_seen, &m.talk_seen);
                v.set(Kpi::ObservedShare, m.watched.finish() / logged_in);
                v
            })
            .collect();
        let by_department = (0..self.departments)
            .map(|d| {
                let mut stats = ContactStats::default();
                for (c, class) in self.by_class.iter().enumerate() {
                    if usize::from(self.class_department[c]) == d {
                        stats.add(class);
                    }
                }
                stats.values()
            })
            .collect();
        let (by_interval, follow_up_responses) = self.details.finish();
        ReplicationKpis {
            overall: values,
            by_class: self.by_class.iter().map(ContactStats::values).collect(),
            by_manager,
            by_department,
            by_decline_reason,
            answered_waits: overall.answered_waits,
            callback_delays: self.callback_delays,
            by_interval,
            follow_up_responses,
        }
    }

    /// Calls `f` for each manager whose bit is set in `watchers`.
    #[inline]
    fn for_watchers(&mut self, watchers: u64, mut f: impl FnMut(&mut ManagerStats)) {
        let mut bits = watchers;
        while bits != 0 {
            let m = bits.trailing_zeros() as usize;
            f(&mut self.by_manager[m]);
            bits &= bits - 1;
        }
    }
}

impl<D: Details> Observer for KpiCollector<D> {
    #[inline]
    fn contact_offered(&mut self, time: f64, class: usize) {
        if self.in_window(time) {
            self.by_class[class].offered += 1;
            self.details.offered(time);
        }
    }

    #[inline]
    fn contact_answered(&mut self, c: &AnsweredContact) {
        if !self.in_window(c.arrival) {
            return;
        }
        let wait = c.answered - c.arrival;
        let s = &mut self.by_class[c.class];
        s.answered += 1;
        s.answered_within_threshold += (wait <= self.threshold) as u64;
        s.waited += (wait > 0.0) as u64;
        s.answered_wait_sum += wait;
        s.all_wait_sum += wait;
        if wait > 0.0 {
            s.answered_waits.record(wait);
        } else {
            s.zero_waits += 1;
        }
        self.details.answered(c.arrival, wait);
        if c.watchers == 0 {
            s.talk_unobserved.add(c.talk_s);
        } else {
            s.talk_observed.add(c.talk_s);
            let talk = c.talk_s;
            self.for_watchers(c.watchers, |m| m.talk_seen.add(talk));
        }
    }

    #[inline]
    fn contact_abandoned(&mut self, arrival: f64, time: f64, class: usize) {
        if !self.in_window(arrival) {
            return;
        }
        let wait = time - arrival;
        self.details.abandoned(arrival);
        let s = &mut self.by_class[class];
        s.abandoned += 1;
        s.waited += (wait > 0.0) as u64;
        s.all_wait_sum += wait;
    }

    fn contact_blocked(&mut self, time: f64, class: usize) {
        if self.in_window(time) {
            self.by_class[class].blocked += 1;
            self.details.blocked(time);
        }
    }

    fn redial_offered(&mut self, time: f64, class: usize) {
        if self.in_window(time) {
            self.by_class[class].redials += 1;
        }
    }

    fn repeat_call_offered(&mut self, time: f64, class: usize) {
        if self.in_window(time) {
            self.by_class[class].repeat_calls += 1;
        }
    }

    fn contact_balked(&mut self, time: f64, class: usize) {
        if self.in_window(time) {
            self.by_class[class].balked += 1;
        }
    }

    fn callback_offered(&mut self, arrival: f64, class: usize, accepted: bool) {
        if self.in_window(arrival) {
            let s = &mut self.by_class[class];
            s.callback_offers += 1;
            s.callbacks_accepted += u64::from(accepted);
            if accepted {
                self.details.accepted_callback(arrival);
            }
        }
    }

    fn callback_ends(&mut self, end: &CallbackEnd) {
        if !self.in_window(end.accepted) {
            return;
        }
        let s = &mut self.by_class[end.class];
        // Attempts count for every ended callback; delays only for the reached ones.
        s.callback_attempts += u64::from(end.attempts);
        if end.outcome == CallbackOutcome::Reached {
            let delay = end.ended - end.accepted;
            s.callback_delay.add(delay);
            s.callbacks_on_time += u64::from(end.ended <= end.promised);
            self.callback_delays
                .get_or_insert_with(DurationHistogram::new)
                .record(delay);
        }
    }

    fn status_call_offered(&mut self, time: f64, class: usize) {
        if self.in_window(time) {
            self.by_class[class].status_calls += 1;
        }
    }

    fn contact_transferred(&mut self, _time: f64, arrival: f64, class: usize) {
        if self.in_window(arrival) {
            self.by_class[class].transfers += 1;
        }
    }

    fn outbound_attempt(&mut self, started: f64, _time: f64, outcome: OutboundOutcome) {
        if self.in_window(started) {
            let o = &mut self.outbound;
            o.attempts += 1;
            o.contacts += u64::from(outcome != OutboundOutcome::Unreached);
            o.accepted += u64::from(outcome == OutboundOutcome::Accepted);
            if let OutboundOutcome::Declined(reason) = outcome {
                o.declined[usize::from(reason)] += 1;
            }
        }
    }

    fn outbound_list_left(&mut self, customers: u32) {
        self.outbound.left = Some(customers);
    }

    fn back_office_done(&mut self, first_arrival: f64, class: usize, promised: f64, time: f64) {
        if self.in_window(first_arrival) {
            self.by_class[class].back_office_delay.add(time - promised);
        }
    }

    fn follow_up_handed_over(&mut self, _time: f64, first_arrival: f64, class: usize) {
        if self.in_window(first_arrival) {
            self.by_class[class].handovers += 1;
        }
    }

    fn follow_up_resolved(&mut self, o: &FollowUpOutcome) {
        if !self.in_window(o.first_arrival) {
            return;
        }
        let response = o.resolved - o.promised;
        let s = &mut self.by_class[o.class];
        s.response.add(response);
        s.on_time += (o.resolved <= o.deadline) as u64;
        if o.watchers_at_start == 0 {
            s.response_unobserved.add(response);
        } else {
            s.response_observed.add(response);
        }
        self.details
            .follow_up_response(o.watchers_at_start != 0, response);
        if o.watchers_at_promise != 0 {
            s.response_seen.add(response);
            self.for_watchers(o.watchers_at_promise, |m| m.response_seen.add(response));
        }
    }

    #[inline]
    fn case_resolved(&mut self, first_arrival: f64, time: f64, class: usize, contacts: u32) {
        if !self.in_window(first_arrival) {
            return;
        }
        let s = &mut self.by_class[class];
        s.resolutions += 1;
        s.resolution_contacts += u64::from(contacts);
        s.resolution_time_sum += time - first_arrival;
    }

    #[inline(always)]
    fn agent_state_changes(&mut self, time: f64, _agent: u32, from: AgentState, to: AgentState) {
        let (was, now) = (TimeCategory::of(from), TimeCategory::of(to));
        // Only the categories the agent enters or leaves change: usually just "busy".
        let mut changed = was ^ now;
        while changed != 0 {
            let c = changed.trailing_zeros() as usize;
            changed &= changed - 1;
            let n = &mut self.category_agents[c];
            *n = if now & (1 << c) != 0 { *n + 1 } else { *n - 1 };
            self.category_time[c].update(time, f64::from(*n));
            if c == TimeCategory::Busy as usize {
                self.details.busy(time, f64::from(*n));
            } else if c == TimeCategory::OffDuty as usize {
                self.details.off_duty(time, f64::from(*n));
            }
        }
    }

    fn agents_observed(&mut self, time: f64, observed: u32) {
        self.observed.update(time, f64::from(observed));
    }

    fn agents_watched(&mut self, time: f64, manager: usize, watched: u32) {
        self.by_manager[manager]
            .watched
            .update(time, f64::from(watched));
    }

    #[inline]
    fn queue_length(&mut self, time: f64, waiting: u32) {
        self.waiting.update(time, f64::from(waiting));
        self.details.queue_length(time, f64::from(waiting));
    }
}
