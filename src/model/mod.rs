//! The validated scenario: plain types with no serde, built only by `scenario::validate`.
//!
//! Everything here is in seconds and per-second rates, already checked, so the engine can trust it.

mod clock;
mod floor;
mod roster;

pub use floor::{
    BackOffice, BackOfficeStep, Behaviour, Floor, FollowUpPolicy, FollowUpSpec, MAX_MANAGERS,
    Manager, ManagerStyle, Orientation, SURVEY_ORIENTATION_WEIGHTS,
};

pub use clock::{Clock, time_of_day_text};
pub use roster::{
    Absence, Break, DutyChange, Handover, Plan, Shift, ShiftPattern, timetable, uncovered,
};

use crate::dist::DurationDist;

/// Seconds in a day; intraday profiles repeat with this period.
pub const DAY_S: f64 = 86_400.0;

/// A complete, validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Display name.
    pub name: String,
    /// Master seed of all random streams.
    pub seed: u64,
    /// The time of day at simulated time 0, seconds after midnight (`opens`); every time in
    /// this model counts from it, and the run's days start at it.
    pub opens_s: f64,
    /// Number of independent replications.
    pub replications: u32,
    /// Arrivals stop at this time (seconds); the run then drains.
    pub horizon: f64,
    /// Statistics cover contacts arriving in `[warmup, horizon)`.
    pub warmup: f64,
    /// `warmup = "auto"`: each replication chooses its own warm-up from its data (MSER-5),
    /// and `warmup` is 0 until it has.
    pub warmup_auto: bool,
    /// Service-level threshold T in seconds ("answered within T").
    pub service_level_threshold: f64,
    /// Length of the intervals KPIs are also reported by, in seconds.
    pub report_interval_s: f64,
    /// Trunks: a caller who finds this many callers in the system (talking or on hold) hears a
    /// busy signal. `None`: unlimited.
    pub lines: Option<u32>,
    /// Lines per department (`lines = { billing = 20, ... }`): a caller who finds this many
    /// callers talking or on hold in their department hears a busy signal; `u32::MAX` for a
    /// department without a limit. Empty: no per-department lines.
    pub department_lines: Vec<u32>,
    /// How callers arrive.
    pub arrivals: Arrivals,
    /// Day-to-day noise of the arrival rate: coefficient of variation of a gamma multiplier
    /// (mean 1) drawn per simulated day; 0 for none.
    pub day_noise_cv: f64,
    /// Caller classes; shares sum to 1.
    pub callers: Vec<CallerClass>,
    /// The agents.
    pub agents: AgentPool,
    /// Agent orientation and behaviour, follow-up policy and managers.
    pub floor: Floor,
    /// Queue callbacks; `None`: never offered.
    pub callbacks: Option<Callbacks>,
    /// The back office some follow-ups need; `None`: there is none.
    pub back_office: Option<BackOffice>,
    /// An outbound campaign blended into idle time; `None`: none.
    pub outbound: Option<Outbound>,
    /// The shift patterns `callsim schedule` may use (empty: none given).
    pub scheduling: Vec<ShiftPattern>,
}

/// An outbound campaign: agents with nothing else to do call the customers on a list.
#[derive(Debug, Clone)]
pub struct Outbound {
    /// Customers on the list.
    pub list: u32,
    /// When dialling may begin, in seconds from the start of the run; it ends at the horizon.
    pub start_s: f64,
    /// Chance (0..=1) that an attempt reaches the customer.
    pub contact_probability: f64,
    /// Chance (0..=1) that a reached customer accepts.
    pub accept_probability: f64,
    /// Why the others decline: names and shares (summing to 1).
    pub declines: Vec<(String, f64)>,
    /// Agent time per attempt (dialling and ringing), reached or not, in seconds.
    pub attempt_s: f64,
    /// Talk time with a reached customer.
    pub talk: DurationDist,
    /// Attempts per customer before giving up.
    pub max_attempts: u32,
    /// Wait before trying an unreached customer again.
    pub retry_delay: DurationDist,
    /// Agents who must stay idle for inbound calls: nobody dials while fewer would be left.
    pub keep_idle: u32,
}

/// The Poisson arrival process.
#[derive(Debug, Clone, PartialEq)]
pub enum Arrivals {
    /// Constant rate in calls per second.
    Constant {
        /// Calls per second.
        rate_per_s: f64,
    },
    /// Piecewise-constant rates starting at time 0 (the opening), repeated every day; zero
    /// after the last interval until the next day starts. A forecast of several days runs
    /// once instead (`daily` false): zero after its last interval.
    Profile {
        /// Length of one interval in seconds.
        interval_s: f64,
        /// Calls per second in each interval.
        rates_per_s: Vec<f64>,
        /// Whether the rates repeat every day (at most a day of them) or run once.
        daily: bool,
        /// Factor on the classes' handle times per interval (a forecast's AHT against the
        /// scenario's); empty: none.
        handle_factors: Vec<f64>,
    },
}

impl Arrivals {
    /// The handle-time factor for a caller arriving at `t` (1 without a forecast's AHT).
    #[inline]
    pub fn handle_factor_at(&self, t: f64) -> f64 {
        match self {
            Self::Profile {
                interval_s,
                handle_factors,
                daily,
                ..
            } if !handle_factors.is_empty() => {
                let from = if *daily { t.rem_euclid(DAY_S) } else { t };
                handle_factors
                    .get((from / interval_s) as usize)
                    .copied()
                    .unwrap_or(1.0)
            }
            _ => 1.0,
        }
    }

    /// Rate (calls per second) in force at time `t`.
    pub fn rate_at(&self, t: f64) -> f64 {
        match self {
            Self::Constant { rate_per_s } => *rate_per_s,
            Self::Profile {
                interval_s,
                rates_per_s,
                daily,
                ..
            } => {
                let from = if *daily { t.rem_euclid(DAY_S) } else { t };
                let i = (from / interval_s) as usize;
                rates_per_s.get(i).copied().unwrap_or(0.0)
            }
        }
    }

    /// Expected number of arrivals in `[0, t)`.
    pub fn expected_arrivals(&self, t: f64) -> f64 {
        match self {
            Self::Constant { rate_per_s } => rate_per_s * t,
            Self::Profile {
                interval_s,
                rates_per_s,
                daily: false,
                ..
            } => rates_per_s
                .iter()
                .enumerate()
                .map(|(i, r)| r * (t - i as f64 * interval_s).clamp(0.0, *interval_s))
                .sum(),
            Self::Profile {
                interval_s,
                rates_per_s,
                ..
            } => {
                let per_day: f64 = rates_per_s.iter().sum::<f64>() * interval_s;
                let days = (t / DAY_S).floor();
                let mut total = days * per_day;
                let mut rest = t - days * DAY_S;
                for r in rates_per_s {
                    let span = rest.min(*interval_s);
                    if span <= 0.0 {
                        break;
                    }
                    total += r * span;
                    rest -= span;
                }
                total
            }
        }
    }

    /// Highest rate in calls per second (for load warnings).
    pub fn peak_rate(&self) -> f64 {
        match self {
            Self::Constant { rate_per_s } => *rate_per_s,
            Self::Profile { rates_per_s, .. } => rates_per_s.iter().copied().fold(0.0, f64::max),
        }
    }
}

/// One class of callers with its own priority and behaviour.
#[derive(Debug, Clone)]
pub struct CallerClass {
    /// Name used in reports.
    pub name: String,
    /// Share of arrivals (0..=1).
    pub share: f64,
    /// Higher is served first (non-preemptive).
    pub priority: i32,
    /// Time a caller is willing to wait; `None` means infinite patience.
    pub patience: Option<DurationDist>,
    /// Talk time.
    pub handle_time: DurationDist,
    /// Wrap-up after the call; `None` means none.
    pub after_call_work: Option<DurationDist>,
    /// Chance (0..=1) that the first call resolves the issue; otherwise a follow-up is promised.
    pub first_contact_resolution: f64,
    /// The promised follow-up; present whenever `first_contact_resolution < 1`.
    pub follow_up: Option<FollowUpSpec>,
    /// Calling again after hanging up; `None`: never.
    pub redial: Option<Redial>,
    /// Hanging up at once on a long announced wait; `None`: never.
    pub balking: Option<Balking>,
    /// Chance (0..=1) of accepting a callback when one is offered.
    pub callback_acceptance: f64,
    /// Index of the department that can help these callers (0 without departments).
    pub department: u8,
    /// Calls first put through to a wrong department; `None`: never.
    pub misroute: Option<Misroute>,
    /// How a transfer agitates these callers.
    pub after_transfer: AfterTransfer,
}

/// Callers passed between departments arrive agitated: after the transfer their patience and
/// their talk time are scaled (both 1 by default: no effect).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AfterTransfer {
    /// Factor on the patience they wait with in the right department's queue.
    pub patience_factor: f64,
    /// Factor on their talk time with the right department's agent.
    pub handle_factor: f64,
}

impl Default for AfterTransfer {
    fn default() -> Self {
        Self {
            patience_factor: 1.0,
            handle_factor: 1.0,
        }
    }
}

/// Some calls reach a wrong department first; an agent there transfers them to the right one.
#[derive(Debug, Clone)]
pub struct Misroute {
    /// Chance (0..=1) that a call goes to a wrong department first (any other, equally likely).
    pub probability: f64,
    /// Talk until the wrong department's agent has understood and transferred the call.
    pub transfer_time: DurationDist,
}

impl CallerClass {
    /// Mean agent time per answered first call: talk plus after-call work, plus the follow-up
    /// work it causes (status calls are left out: they depend on the floor).
    pub fn mean_work_s(&self) -> f64 {
        let follow_up = self.follow_up.as_ref().map_or(0.0, |f| {
            (1.0 - self.first_contact_resolution) * f.work.mean()
        });
        self.handle_time.mean()
            + self
                .after_call_work
                .as_ref()
                .map_or(0.0, DurationDist::mean)
            + follow_up
    }
}

/// The agents on the floor.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentPool {
    /// Number of agents (managers who take calls come on top); with shifts, the agents of all
    /// shifts together.
    pub count: u32,
    /// Times when nobody can take work, in order and not overlapping.
    pub outages: Vec<Outage>,
    /// Daily shifts; empty: every agent is on duty all the time (unless there is a plan).
    pub shifts: Vec<Shift>,
    /// A staffing plan (agents logged in per interval), instead of shifts; `count` is its
    /// largest count.
    pub plan: Option<Plan>,
    /// Agents on leave, by agent.
    pub absences: Vec<Absence>,
    /// What happens to the open follow-ups of an agent on leave.
    pub handover: Handover,
    /// Department names; empty: one queue that every agent serves.
    pub departments: Vec<String>,
    /// The departments each agent serves, in the order they serve them (empty without
    /// departments).
    pub skills: Vec<Vec<u8>>,
}

impl AgentPool {
    /// Whether agents come and go (shifts, a plan or absences).
    pub fn rostered(&self) -> bool {
        !self.shifts.is_empty() || self.plan.is_some() || !self.absences.is_empty()
    }

    /// Stretches of the day (seconds from the opening) when nobody is scheduled: the hours no
    /// shift covers, or the plan's intervals of 0. Empty with a fixed team.
    pub fn closed_hours(&self) -> Vec<(f64, f64)> {
        match &self.plan {
            Some(plan) => plan.closed(),
            None if self.shifts.is_empty() => Vec::new(),
            None => uncovered(&self.shifts),
        }
    }

    /// The agents of shift `shift`: a range of agent numbers in roster order.
    pub fn shift_agents(&self, shift: usize) -> std::ops::Range<u32> {
        let first: u32 = self.shifts[..shift].iter().map(|s| s.count).sum();
        first..first + self.shifts[shift].count
    }
}

impl Scenario {
    /// Whether any line limit applies (all lines, or per department).
    pub fn has_lines(&self) -> bool {
        self.lines.is_some() || !self.department_lines.is_empty()
    }

    /// How reports label this scenario's times.
    pub fn clock(&self) -> Clock {
        Clock {
            opens_s: self.opens_s,
            multi_day: self.horizon > DAY_S,
        }
    }

    /// Mean work per call over the caller classes (talk, wrap-up and follow-up work),
    /// seconds.
    pub fn mean_work_s(&self) -> f64 {
        self.callers.iter().map(|c| c.share * c.mean_work_s()).sum()
    }

    /// Offered load in Erlangs at the peak rate: calls/s × mean work per call.
    pub fn peak_offered_load(&self) -> f64 {
        self.arrivals.peak_rate() * self.mean_work_s()
    }
}

/// An abandoning (or balking) caller may try again (DESIGN.md section 2: Redials).
#[derive(Debug, Clone)]
pub struct Redial {
    /// Chance (0..=1) that a caller who hung up calls again.
    pub probability: f64,
    /// Time until the new attempt.
    pub delay: DurationDist,
    /// Most contacts per case, the first call included.
    pub max_attempts: u32,
}

/// Callers who hear a long announced wait may hang up at once.
#[derive(Debug, Clone)]
pub struct Balking {
    /// Announced wait above which callers may balk, in seconds.
    pub above_s: f64,
    /// Chance (0..=1) that such a caller balks.
    pub probability: f64,
}

/// Where accepted callbacks wait and who serves them first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CallbackPolicy {
    /// Callbacks only when no inbound caller waits.
    InboundFirst,
    /// A callback keeps the caller's place in the queue and is made when it reaches the head.
    KeepPlace,
    /// Inbound first, except callbacks within `margin_s` of their promise, which go first.
    Deadline {
        /// How close to the promised time a callback jumps the queue, in seconds.
        margin_s: f64,
    },
}

/// Queue callbacks (virtual hold): offer, promise, attempts (DESIGN.md section 2: Callbacks).
#[derive(Debug, Clone)]
pub struct Callbacks {
    /// A callback is offered when the announced wait exceeds this, in seconds.
    pub offer_above_s: f64,
    /// Service order of callbacks against inbound callers.
    pub policy: CallbackPolicy,
    /// Promised time from acceptance to the call back, in seconds.
    pub promise_s: f64,
    /// Agents who only make callbacks (taken from the end of the team).
    pub reserved_agents: u32,
    /// Chance (0..=1) that an attempt reaches the customer.
    pub answer_probability: f64,
    /// Agent time per attempt (dialling and ringing), reached or not, in seconds.
    pub attempt_s: f64,
    /// Wait before the next attempt after an unanswered one.
    pub retry_delay: DurationDist,
    /// Most attempts per callback; then the callback has failed.
    pub max_attempts: u32,
    /// Chance (0..=1) that a customer whose promised time passes calls in again.
    pub call_again_probability: f64,
}

/// A stretch of time when no agent can take work (a system outage).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outage {
    /// Start, in seconds.
    pub start_s: f64,
    /// End, in seconds.
    pub end_s: f64,
}
