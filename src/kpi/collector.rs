//! [`KpiCollector`]: an [`Observer`] that turns one replication into [`ReplicationKpis`] in
//! O(1) memory (counters, sums, time-weighted averages and fixed-size histograms).

use super::agent_time::{AgentTime, TimeCategory};
use super::contact::{ContactStats, Mean, set_perception};
pub use super::details::{Details, FullDetails, IntervalRows};
use super::interval::IntervalStats;
use super::{Kpi, KpiValues, ListedScope, PerScope};
use crate::engine::{
    AgentState, AnsweredContact, BackOfficeStep, CallbackEnd, CallbackOutcome, Case, Contact,
    FollowUpOutcome, Observer, OutboundAttempt, OutboundOutcome, SimTime,
};
use crate::model::Scenario;
use crate::stats::{DurationHistogram, TimeWeighted};

/// Everything one replication reports.
#[derive(Debug, Clone)]
pub struct ReplicationKpis {
    /// All callers together.
    pub overall: KpiValues,
    /// Per entry of every listed scope ([`super::ListedScope::entries`]): caller classes, managers
    /// (only their KPIs are defined), departments (the callers of their classes together),
    /// outbound decline reasons (only `outbound_declines` is defined).
    pub by_scope: PerScope<Vec<KpiValues>>,
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
    by_class: Vec<ContactStats>,
    /// Department of each class, and how many departments report (0 with fewer than two).
    class_department: Vec<u8>,
    departments: usize,
    by_manager: Vec<ManagerStats>,
    /// Agent time by category, for the floor and each skill group.
    agent_time: AgentTime,
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
            agent_time: AgentTime::new(scenario),
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
    fn in_window(&self, arrival: SimTime) -> bool {
        let t = arrival.secs();
        t >= self.warmup && t < self.horizon
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
        self.agent_time.set_floor(&mut values);
        let logged_in = self.agent_time.logged_in();
        values.set(
            Kpi::CallbackDelayP90S,
            self.callback_delays
                .as_ref()
                .map_or(f64::NAN, |h| h.quantile(0.9)),
        );
        values.set(Kpi::ObservedShare, self.observed.finish() / logged_in);
        values.set(Kpi::QueueLengthMean, self.waiting.finish());
        let o = &self.outbound;
        values.set(Kpi::OutboundAttempts, o.attempts as f64);
        values.set(Kpi::OutboundContacts, o.contacts as f64);
        values.set(Kpi::OutboundAcceptances, o.accepted as f64);
        values.set(Kpi::OutboundDeclines, o.declined.iter().sum::<u64>() as f64);
        let mut by_decline_reason: Vec<KpiValues> = o
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
        let mut by_manager: Vec<KpiValues> = self
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
        let mut by_class: Vec<KpiValues> = self.by_class.iter().map(ContactStats::values).collect();
        let mut by_department: Vec<KpiValues> = (0..self.departments)
            .map(|d| {
                let classes: Vec<usize> = (0..self.by_class.len())
                    .filter(|&c| usize::from(self.class_department[c]) == d)
                    .collect();
                match classes[..] {
                    // A department of one class is that class: the same values without a
                    // second histogram to fill and read (sums that start at zero and add one
                    // class's are that class's, bit for bit).
                    [only] => by_class[only],
                    _ => {
                        let mut stats = ContactStats::default();
                        for c in classes {
                            stats.add(&self.by_class[c]);
                        }
                        stats.values()
                    }
                }
            })
            .collect();
        let (by_interval, follow_up_responses) = self.details.finish();
        ReplicationKpis {
            overall: values,
            by_scope: PerScope::from_fn(|scope| match scope {
                ListedScope::Class => std::mem::take(&mut by_class),
                ListedScope::Manager => std::mem::take(&mut by_manager),
                ListedScope::Department => std::mem::take(&mut by_department),
                ListedScope::DeclineReason => std::mem::take(&mut by_decline_reason),
                ListedScope::SkillGroup => self.agent_time.by_group(),
            }),
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
    fn contact_offered(&mut self, now: SimTime, class: usize) {
        if self.in_window(now) {
            self.by_class[class].offered += 1;
            self.details.offered(now);
        }
    }

    #[inline]
    fn contact_answered(&mut self, c: &AnsweredContact) {
        if !self.in_window(c.arrival) {
            return;
        }
        let waited = c.answered - c.arrival;
        let wait = waited.secs();
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
        self.details.answered(c.arrival, waited);
        let talk = c.talk.secs();
        if c.watchers == 0 {
            s.talk_unobserved.add(talk);
        } else {
            s.talk_observed.add(talk);
            self.for_watchers(c.watchers, |m| m.talk_seen.add(talk));
        }
    }

    #[inline]
    fn contact_abandoned(&mut self, now: SimTime, c: Contact) {
        if !self.in_window(c.arrival) {
            return;
        }
        let wait = (now - c.arrival).secs();
        self.details.abandoned(c.arrival);
        let s = &mut self.by_class[c.class];
        s.abandoned += 1;
        s.waited += (wait > 0.0) as u64;
        s.all_wait_sum += wait;
    }

    fn contact_blocked(&mut self, now: SimTime, class: usize) {
        if self.in_window(now) {
            self.by_class[class].blocked += 1;
            self.details.blocked(now);
        }
    }

    fn redial_offered(&mut self, now: SimTime, class: usize) {
        if self.in_window(now) {
            self.by_class[class].redials += 1;
        }
    }

    fn repeat_call_offered(&mut self, now: SimTime, class: usize) {
        if self.in_window(now) {
            self.by_class[class].repeat_calls += 1;
        }
    }

    fn contact_balked(&mut self, now: SimTime, class: usize) {
        if self.in_window(now) {
            self.by_class[class].balked += 1;
        }
    }

    fn callback_offered(&mut self, _now: SimTime, c: Contact, accepted: bool) {
        if self.in_window(c.arrival) {
            let s = &mut self.by_class[c.class];
            s.callback_offers += 1;
            s.callbacks_accepted += u64::from(accepted);
            if accepted {
                self.details.accepted_callback(c.arrival);
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
            let delay = (end.ended - end.accepted).secs();
            s.callback_delay.add(delay);
            s.callbacks_on_time += u64::from(end.ended <= end.promised);
            self.callback_delays
                .get_or_insert_with(DurationHistogram::new)
                .record(delay);
        }
    }

    fn status_call_offered(&mut self, now: SimTime, class: usize) {
        if self.in_window(now) {
            self.by_class[class].status_calls += 1;
        }
    }

    fn contact_transferred(&mut self, _now: SimTime, c: Contact) {
        if self.in_window(c.arrival) {
            self.by_class[c.class].transfers += 1;
        }
    }

    fn outbound_attempt(&mut self, _now: SimTime, attempt: &OutboundAttempt) {
        let outcome = attempt.outcome;
        if self.in_window(attempt.started) {
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

    fn back_office_done(&mut self, now: SimTime, step: &BackOfficeStep) {
        if self.in_window(step.case.first_arrival) {
            let delay = (now - step.promised).secs();
            self.by_class[step.case.class].back_office_delay.add(delay);
        }
    }

    fn follow_up_handed_over(&mut self, _now: SimTime, case: Case) {
        if self.in_window(case.first_arrival) {
            self.by_class[case.class].handovers += 1;
        }
    }

    fn follow_up_resolved(&mut self, o: &FollowUpOutcome) {
        if !self.in_window(o.first_arrival) {
            return;
        }
        let responded = o.resolved - o.promised;
        let response = responded.secs();
        let s = &mut self.by_class[o.class];
        s.response.add(response);
        s.on_time += (o.resolved <= o.deadline) as u64;
        if o.watchers_at_start == 0 {
            s.response_unobserved.add(response);
        } else {
            s.response_observed.add(response);
        }
        self.details
            .follow_up_response(o.watchers_at_start != 0, responded);
        if o.watchers_at_promise != 0 {
            s.response_seen.add(response);
            self.for_watchers(o.watchers_at_promise, |m| m.response_seen.add(response));
        }
    }

    #[inline]
    fn case_resolved(&mut self, now: SimTime, case: Case, contacts: u32) {
        if !self.in_window(case.first_arrival) {
            return;
        }
        let s = &mut self.by_class[case.class];
        s.resolutions += 1;
        s.resolution_contacts += u64::from(contacts);
        s.resolution_time_sum += (now - case.first_arrival).secs();
    }

    #[inline(always)]
    fn agent_state_changes(&mut self, now: SimTime, _: u32, from: AgentState, to: AgentState) {
        // Only the categories the agent enters or leaves change: usually just "busy".
        let changed = self.agent_time.change(now.secs(), from, to);
        if changed & TimeCategory::Busy.bit() != 0 {
            let busy = self.agent_time.agents_in(TimeCategory::Busy);
            self.details.busy(now, f64::from(busy));
        }
        if changed & TimeCategory::OffDuty.bit() != 0 {
            let off = self.agent_time.agents_in(TimeCategory::OffDuty);
            self.details.off_duty(now, f64::from(off));
        }
    }

    #[inline(always)]
    fn skill_group_state_changes(
        &mut self,
        now: SimTime,
        group: u32,
        from: AgentState,
        to: AgentState,
    ) {
        self.agent_time.change_in_group(now.secs(), group, from, to);
    }

    fn agents_observed(&mut self, now: SimTime, observed: u32) {
        self.observed.update(now.secs(), f64::from(observed));
    }

    fn agents_watched(&mut self, now: SimTime, manager: usize, watched: u32) {
        self.by_manager[manager]
            .watched
            .update(now.secs(), f64::from(watched));
    }

    #[inline]
    fn queue_length(&mut self, now: SimTime, waiting: u32) {
        self.waiting.update(now.secs(), f64::from(waiting));
        self.details.queue_length(now, f64::from(waiting));
    }
}
