//! From engine facts to the KPIs of one replication (DESIGN.md section 3).
//!
//! Contacts count when they *arrive* in the observation window `[warmup, horizon)`; each is
//! followed to its end, however late in the drain. Cases and follow-ups count by the arrival of
//! the case's first call. Time averages (occupancy, shares of agent time, queue length) cover
//! the window only.

mod agent_time;
mod collector;
mod contact;
mod details;
mod interval;
mod scope;

pub use collector::{Details, FullDetails, IntervalRows, KpiCollector, ReplicationKpis};
pub use interval::{INTERVAL_KPIS, IntervalLayout};
pub use scope::{ListedScope, PerScope, Scope};

macro_rules! kpis {
    ($( $(#[doc = $doc:literal])* $name:ident => $key:literal, $label:literal, $kind:ident,
        [$($scope:ident),*] ; )*) => {
        /// A key performance indicator. The order of [`Kpi::ALL`] is the order of every report.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kpi {
            $( $(#[doc = $doc])* $name, )*
        }

        impl Kpi {
            /// Every KPI, in report order.
            pub const ALL: [Kpi; [$(Kpi::$name),*].len()] = [$(Kpi::$name),*];

            /// The JSON/CSV key (units in the name, as DESIGN.md section 3).
            pub fn key(self) -> &'static str {
                match self { $(Kpi::$name => $key,)* }
            }

            /// Label for the terminal table.
            pub fn label(self) -> &'static str {
                match self { $(Kpi::$name => $label,)* }
            }

            fn kind(self) -> Kind {
                match self { $(Kpi::$name => Kind::$kind,)* }
            }

            /// Whether the KPI is reported for `scope`.
            pub fn applies_to(self, scope: Scope) -> bool {
                // A department reports what a caller class reports.
                let scope = if scope == Scope::Department { Scope::Class } else { scope };
                match self { $(Kpi::$name => [$(Scope::$scope),*].contains(&scope),)* }
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Count,
    Share,
    Seconds,
    Ratio,
}

kpis! {
    /// Inbound contacts arriving in the window (first calls and status calls).
    Offered => "offered", "Offered", Count, [Overall, Class];
    /// Answered by an agent.
    Answered => "answered", "Answered", Count, [Overall, Class];
    /// Offered contacts who accepted a callback instead of waiting on hold.
    CallbacksAccepted => "callbacks_accepted", "  took a callback", Count, [Overall, Class];
    /// Callbacks that reached the customer: served, though not answered on hold.
    CallbacksReached => "callbacks_reached", "  reached by callback", Count, [Overall, Class];
    /// Hung up while waiting (balked callers included).
    Abandoned => "abandoned", "Abandoned", Count, [Overall, Class];
    /// First calls of new cases: offered minus redials, repeat calls and status calls.
    FreshContacts => "fresh_contacts", "  fresh (first calls)", Count, [Overall, Class];
    /// Calls again after hanging up.
    Redials => "redials", "  redials", Count, [Overall, Class];
    /// Calls again after a callback's promised time passed.
    RepeatCalls => "repeat_calls", "  repeat calls", Count, [Overall, Class];
    /// Calls put through to a wrong department first and transferred to the right one.
    Transfers => "transfers", "Transfers", Count, [Overall, Class];
    /// Transfers ÷ fresh contacts (first calls of cases).
    TransfersPerCase => "transfers_per_case", "  per case", Ratio, [Overall, Class];
    /// Found every line taken and heard a busy signal (counted in `offered`, not answered).
    Blocked => "blocked", "Blocked (busy signal)", Count, [Overall, Class];
    /// Blocked ÷ offered.
    BlockingRate => "blocking_rate", "Blocking rate", Share, [Overall, Class];
    /// Hung up at once on hearing the announced wait (counted in `abandoned`).
    Balked => "balked", "Balked", Count, [Overall, Class];
    /// Answered within the threshold ÷ (offered − accepted callbacks), as DESIGN.md defines it.
    ServiceLevel => "service_level", "Service level", Share, [Overall, Class];
    /// Answered within the threshold ÷ offered: accepted callbacks count as missed.
    ServiceLevelOffered => "service_level_offered", "  callbacks as missed", Share,
        [Overall, Class];
    /// Abandoned ÷ offered.
    AbandonmentRate => "abandonment_rate", "Abandonment rate", Share, [Overall, Class];
    /// Average speed of answer: mean wait of answered contacts.
    AsaS => "asa_s", "ASA [s]", Seconds, [Overall, Class];
    /// Mean wait of all offered contacts, until answer or hang-up.
    MeanWaitS => "mean_wait_s", "Mean wait, all [s]", Seconds, [Overall, Class];
    /// Share of offered contacts that waited more than zero.
    PWait => "p_wait", "P(wait > 0)", Share, [Overall, Class];
    /// Median wait of answered contacts.
    WaitP50S => "wait_p50_s", "Wait p50 [s]", Seconds, [Overall, Class];
    /// 90th percentile wait of answered contacts.
    WaitP90S => "wait_p90_s", "Wait p90 [s]", Seconds, [Overall, Class];
    /// 99th percentile wait of answered contacts.
    WaitP99S => "wait_p99_s", "Wait p99 [s]", Seconds, [Overall, Class];
    /// Mean talk time of answered contacts (after the agent's pace).
    HandleTimeMeanS => "handle_time_mean_s", "Handle time [s]", Seconds, [Overall, Class];
    /// Mean talk time of calls that started while a manager watched the agent.
    HandleTimeMeanSObserved => "handle_time_mean_s_observed", "  observed [s]", Seconds,
        [Overall, Class];
    /// Mean talk time of calls that started unobserved.
    HandleTimeMeanSUnobserved => "handle_time_mean_s_unobserved", "  unobserved [s]", Seconds,
        [Overall, Class];
    /// Agent busy time (talk, wrap-up, follow-ups, reports) ÷ logged-in time.
    Occupancy => "occupancy", "Occupancy", Share, [Overall, SkillGroup];
    /// Agent time on the phone with customers (inbound talk, callbacks, outbound calls) ÷
    /// logged-in time: occupancy without after-call work, follow-ups and reports.
    TalkShare => "talk_share", "Talk share", Share, [Overall, SkillGroup];
    /// Agent time calling customers back ÷ logged-in time (part of occupancy).
    CallbackShare => "callback_share", "Callback share", Share, [Overall];
    /// Time-average number of agents logged in (on shift, not on a break or on leave).
    StaffedAgentsMean => "staffed_agents_mean", "Agents on duty, mean", Ratio,
        [Overall, SkillGroup];
    /// Agent time unable to work (outages) ÷ logged-in time.
    AwayShare => "away_share", "Away share", Share, [Overall];
    /// Agent time idle and ready ÷ logged-in time (occupancy + slack + away + idle = 1).
    IdleShare => "idle_share", "Idle share", Share, [Overall, SkillGroup];
    /// Agent time in unobserved slack ÷ logged-in time.
    SlackShare => "slack_share", "Slack share", Share, [Overall];
    /// Agent time writing status reports for managers ÷ logged-in time.
    ReportShare => "report_share", "Report share", Share, [Overall];
    /// Agent time watched by a manager ÷ logged-in time (per manager: watched by that one).
    ObservedShare => "observed_share", "Observed share", Share, [Overall, Manager];
    /// Agent time calling an outbound campaign's list ÷ logged-in time (part of occupancy).
    OutboundShare => "outbound_share", "Outbound share", Share, [Overall];
    /// Outbound attempts started in the window.
    OutboundAttempts => "outbound_attempts", "Outbound attempts", Count, [Overall];
    /// Outbound attempts that reached the customer.
    OutboundContacts => "outbound_contacts", "  contacts", Count, [Overall];
    /// Reached customers who accepted.
    OutboundAcceptances => "outbound_acceptances", "  acceptances", Count, [Overall];
    /// Reached customers who declined (per reason: for that reason).
    OutboundDeclines => "outbound_declines", "  declines", Count, [Overall, DeclineReason];
    /// Acceptances ÷ contacts.
    OutboundAcceptRate => "outbound_accept_rate", "  accept rate", Share, [Overall];
    /// Customers on the list neither reached nor out of attempts when dialling stopped.
    OutboundListLeft => "outbound_list_left", "  list left", Count, [Overall];
    /// Time-average number of callers waiting.
    QueueLengthMean => "queue_length_mean", "Queue length, mean", Ratio, [Overall];
    /// Callbacks offered (announced wait above the threshold).
    CallbackOffers => "callback_offers", "Callback offers", Count, [Overall, Class];
    /// Callbacks offered ÷ offered contacts.
    CallbackOfferRate => "callback_offer_rate", "Offer rate", Share, [Overall, Class];
    /// Callbacks accepted ÷ callbacks offered.
    CallbackTakeUp => "callback_take_up", "Take-up", Share, [Overall, Class];
    /// Mean callback delay: from acceptance to the moment the customer is reached.
    CallbackDelayMeanS => "callback_delay_mean_s", "Callback delay [s]", Seconds,
        [Overall, Class];
    /// 90th percentile of the callback delay.
    CallbackDelayP90S => "callback_delay_p90_s", "Callback delay p90 [s]", Seconds, [Overall];
    /// Share of reached callbacks reached by their promised time.
    CallbackOnTime => "callback_on_time", "Callbacks on time", Share, [Overall, Class];
    /// Attempts of ended callbacks ÷ callbacks that reached the customer.
    CallbackAttemptsPerSuccess => "callback_attempts_per_success", "Attempts per success",
        Ratio, [Overall, Class];
    /// Status calls ("where is my case?") arriving in the window.
    StatusCalls => "status_calls", "Status calls", Count, [Overall, Class];
    /// Follow-ups handed to a colleague or the pool because their owner went on leave.
    Handovers => "handovers", "Handovers", Count, [Overall, Class];
    /// Back-office steps done (of cases opened in the window).
    BackOfficeSteps => "back_office_steps", "Back-office steps", Count, [Overall, Class];
    /// Mean time from the promise to the end of the back-office step (queue and work).
    BackOfficeDelayMeanS => "back_office_delay_mean_s", "Back-office delay [s]", Seconds,
        [Overall, Class];
    /// Follow-ups resolved (of cases opened in the window).
    FollowUps => "follow_ups", "Follow-ups", Count, [Overall, Class];
    /// Mean follow-up response time: from the promise to the resolution.
    FollowUpResponseMeanS => "follow_up_response_mean_s", "Follow-up response [s]", Seconds,
        [Overall, Class];
    /// The same, for follow-ups whose work started while a manager watched.
    FollowUpResponseMeanSObserved => "follow_up_response_mean_s_observed", "  observed [s]",
        Seconds, [Overall, Class];
    /// The same, for follow-ups whose work started unobserved.
    FollowUpResponseMeanSUnobserved => "follow_up_response_mean_s_unobserved",
        "  unobserved [s]", Seconds, [Overall, Class];
    /// Share of follow-ups resolved by their promised deadline.
    FollowUpOnTime => "follow_up_on_time", "Follow-ups on time", Share, [Overall, Class];
    /// Contacts per resolved case (first call, status calls, the follow-up call back).
    ContactsPerResolution => "contacts_per_resolution", "Contacts per resolution", Ratio,
        [Overall, Class];
    /// Mean time from a case's first call to its resolution.
    TimeToResolutionMeanS => "time_to_resolution_mean_s", "Time to resolution [s]", Seconds,
        [Overall, Class];
    /// Follow-up response as the managers perceive it: the follow-ups they saw being promised
    /// (per manager: that manager). What they saw promised, they saw kept.
    PerceivedFollowUpResponseMeanS => "perceived_follow_up_response_mean_s",
        "Perceived response [s]", Seconds, [Overall, Class, Manager];
    /// True follow-up response ÷ perceived: above 1, customers wait longer than the boss believes.
    PerceptionGap => "perception_gap", "Perception gap", Ratio, [Overall, Class, Manager];
    /// Handle time as the managers perceive it: calls that started while they watched.
    PerceivedHandleTimeMeanS => "perceived_handle_time_mean_s", "Perceived handle [s]",
        Seconds, [Overall, Class, Manager];
}

impl Kpi {
    /// Number of KPIs.
    pub const COUNT: usize = Self::ALL.len();

    /// Whether the KPI is a share in [0, 1] (shown as a percentage).
    pub fn is_share(self) -> bool {
        self.kind() == Kind::Share
    }

    /// Whether the KPI is a count.
    pub fn is_count(self) -> bool {
        self.kind() == Kind::Count
    }

    /// Whether the KPI is in seconds.
    pub fn is_seconds(self) -> bool {
        self.kind() == Kind::Seconds
    }

    /// Whether the KPI is defined per caller class (agents and the queue are shared).
    pub fn per_class(self) -> bool {
        self.applies_to(Scope::Class)
    }

    /// The KPI with this key.
    pub fn from_key(key: &str) -> Option<Kpi> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// One value per KPI (NaN where undefined, e.g. ASA with nothing answered).
#[derive(Debug, Clone, Copy)]
pub struct KpiValues(pub [f64; Kpi::COUNT]);

/// Bit-for-bit equality, so an undefined KPI equals itself: what reproducibility means.
impl PartialEq for KpiValues {
    fn eq(&self, other: &Self) -> bool {
        self.0
            .iter()
            .zip(&other.0)
            .all(|(a, b)| a.to_bits() == b.to_bits())
    }
}

impl KpiValues {
    /// Every KPI undefined.
    pub fn undefined() -> Self {
        Self([f64::NAN; Kpi::COUNT])
    }

    /// The value of `kpi`.
    pub fn get(&self, kpi: Kpi) -> f64 {
        self.0[kpi as usize]
    }

    /// Sets the value of `kpi`.
    pub fn set(&mut self, kpi: Kpi, value: f64) {
        self.0[kpi as usize] = value;
    }
}

/// Whether agents spend busy time off the phone (after-call work, follow-ups, status
/// reports), so that talk share is not simply occupancy.
pub fn talk_differs_from_busy(scenario: &crate::model::Scenario) -> bool {
    scenario
        .callers
        .iter()
        .any(|c| c.after_call_work.is_some() || c.follow_up.is_some())
        || scenario.floor.asks_for_reports()
}

/// Whether `kpi` says anything about `scenario`: the terminal table leaves out the floor KPIs
/// of features a scenario does not use (JSON and CSV always carry every key).
pub fn relevant(kpi: Kpi, scenario: &crate::model::Scenario) -> bool {
    let floor = &scenario.floor;
    let follow_ups = scenario.callers.iter().any(|c| c.follow_up.is_some());
    let observers = floor.managers.iter().any(|m| m.style.observes());
    let reports = floor.asks_for_reports();
    let callbacks = scenario.callbacks.is_some();
    let repeat = scenario
        .callbacks
        .as_ref()
        .is_some_and(|c| c.call_again_probability > 0.0);
    let redials = scenario.callers.iter().any(|c| c.redial.is_some());
    let balking = scenario.callers.iter().any(|c| c.balking.is_some());
    let away = !scenario.agents.outages.is_empty();
    let rostered = scenario.agents.rostered();
    let handovers = !scenario.agents.absences.is_empty()
        && scenario.agents.handover != crate::model::Handover::None;
    let slack = floor.slack_possible();
    match kpi {
        Kpi::HandleTimeMeanSObserved
        | Kpi::HandleTimeMeanSUnobserved
        | Kpi::ObservedShare
        | Kpi::PerceivedHandleTimeMeanS => observers,
        Kpi::IdleShare => slack || reports || away || rostered || scenario.outbound.is_some(),
        Kpi::TalkShare => talk_differs_from_busy(scenario),
        Kpi::AwayShare => away,
        Kpi::StaffedAgentsMean => rostered,
        Kpi::Handovers => handovers && follow_ups,
        Kpi::BackOfficeSteps | Kpi::BackOfficeDelayMeanS => scenario.back_office.is_some(),
        Kpi::OutboundShare
        | Kpi::OutboundAttempts
        | Kpi::OutboundContacts
        | Kpi::OutboundAcceptances
        | Kpi::OutboundDeclines
        | Kpi::OutboundAcceptRate
        | Kpi::OutboundListLeft => scenario.outbound.is_some(),
        Kpi::FreshContacts | Kpi::Redials => redials || repeat,
        Kpi::RepeatCalls => repeat,
        Kpi::Balked => balking,
        Kpi::Blocked | Kpi::BlockingRate => scenario.has_lines(),
        Kpi::Transfers | Kpi::TransfersPerCase => {
            scenario.callers.iter().any(|c| c.misroute.is_some())
        }
        Kpi::ServiceLevelOffered
        | Kpi::CallbacksAccepted
        | Kpi::CallbacksReached
        | Kpi::CallbackOffers
        | Kpi::CallbackOfferRate
        | Kpi::CallbackTakeUp
        | Kpi::CallbackDelayMeanS
        | Kpi::CallbackDelayP90S
        | Kpi::CallbackOnTime
        | Kpi::CallbackAttemptsPerSuccess
        | Kpi::CallbackShare => callbacks,
        Kpi::SlackShare => slack,
        Kpi::ReportShare => reports,
        Kpi::StatusCalls
        | Kpi::FollowUps
        | Kpi::FollowUpResponseMeanS
        | Kpi::FollowUpOnTime
        | Kpi::ContactsPerResolution
        | Kpi::TimeToResolutionMeanS => follow_ups,
        Kpi::FollowUpResponseMeanSObserved
        | Kpi::FollowUpResponseMeanSUnobserved
        | Kpi::PerceivedFollowUpResponseMeanS
        | Kpi::PerceptionGap => follow_ups && observers,
        _ => true,
    }
}
