//! From engine facts to the KPIs of one replication (DESIGN.md section 3).
//!
//! Contacts count when they *arrive* in the observation window `[warmup, horizon)`; each is
//! followed to its end, however late in the drain. Time averages (occupancy, queue length) cover
//! the window only.

use crate::engine::Observer;
use crate::model::Scenario;
use crate::stats::{DurationHistogram, TimeWeighted};

/// A key performance indicator. The order of [`Kpi::ALL`] is the order of every report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kpi {
    /// Inbound contacts arriving in the window.
    Offered,
    /// Answered by an agent.
    Answered,
    /// Hung up while waiting.
    Abandoned,
    /// Answered within the threshold ÷ offered.
    ServiceLevel,
    /// Abandoned ÷ offered.
    AbandonmentRate,
    /// Average speed of answer: mean wait of answered contacts.
    AsaS,
    /// Mean wait of all offered contacts, until answer or hang-up.
    MeanWaitS,
    /// Share of offered contacts that waited more than zero.
    PWait,
    /// Median wait of answered contacts.
    WaitP50S,
    /// 90th percentile wait of answered contacts.
    WaitP90S,
    /// 99th percentile wait of answered contacts.
    WaitP99S,
    /// Agent busy time ÷ logged-in time.
    Occupancy,
    /// Time-average number of callers waiting.
    QueueLengthMean,
}

impl Kpi {
    /// Every KPI, in report order.
    pub const ALL: [Kpi; 13] = [
        Kpi::Offered,
        Kpi::Answered,
        Kpi::Abandoned,
        Kpi::ServiceLevel,
        Kpi::AbandonmentRate,
        Kpi::AsaS,
        Kpi::MeanWaitS,
        Kpi::PWait,
        Kpi::WaitP50S,
        Kpi::WaitP90S,
        Kpi::WaitP99S,
        Kpi::Occupancy,
        Kpi::QueueLengthMean,
    ];

    /// Number of KPIs.
    pub const COUNT: usize = Self::ALL.len();

    /// The JSON/CSV key (units in the name, as DESIGN.md section 3).
    pub fn key(self) -> &'static str {
        match self {
            Kpi::Offered => "offered",
            Kpi::Answered => "answered",
            Kpi::Abandoned => "abandoned",
            Kpi::ServiceLevel => "service_level",
            Kpi::AbandonmentRate => "abandonment_rate",
            Kpi::AsaS => "asa_s",
            Kpi::MeanWaitS => "mean_wait_s",
            Kpi::PWait => "p_wait",
            Kpi::WaitP50S => "wait_p50_s",
            Kpi::WaitP90S => "wait_p90_s",
            Kpi::WaitP99S => "wait_p99_s",
            Kpi::Occupancy => "occupancy",
            Kpi::QueueLengthMean => "queue_length_mean",
        }
    }

    /// Label for the terminal table.
    pub fn label(self) -> &'static str {
        match self {
            Kpi::Offered => "Offered",
            Kpi::Answered => "Answered",
            Kpi::Abandoned => "Abandoned",
            Kpi::ServiceLevel => "Service level",
            Kpi::AbandonmentRate => "Abandonment rate",
            Kpi::AsaS => "ASA [s]",
            Kpi::MeanWaitS => "Mean wait, all [s]",
            Kpi::PWait => "P(wait > 0)",
            Kpi::WaitP50S => "Wait p50 [s]",
            Kpi::WaitP90S => "Wait p90 [s]",
            Kpi::WaitP99S => "Wait p99 [s]",
            Kpi::Occupancy => "Occupancy",
            Kpi::QueueLengthMean => "Queue length, mean",
        }
    }

    /// Whether the KPI is defined per caller class (agents and the queue are shared).
    pub fn per_class(self) -> bool {
        !matches!(self, Kpi::Occupancy | Kpi::QueueLengthMean)
    }

    /// Whether the KPI is a share in [0, 1] (shown as a percentage).
    pub fn is_share(self) -> bool {
        matches!(
            self,
            Kpi::ServiceLevel | Kpi::AbandonmentRate | Kpi::PWait | Kpi::Occupancy
        )
    }

    /// Whether the KPI is a count.
    pub fn is_count(self) -> bool {
        matches!(self, Kpi::Offered | Kpi::Answered | Kpi::Abandoned)
    }

    /// The KPI with this key.
    pub fn from_key(key: &str) -> Option<Kpi> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// One value per KPI (NaN where undefined, e.g. ASA with nothing answered).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpiValues(pub [f64; Kpi::COUNT]);

impl KpiValues {
    /// The value of `kpi`.
    pub fn get(&self, kpi: Kpi) -> f64 {
        self.0[kpi as usize]
    }
}

/// Everything one replication reports.
#[derive(Debug, Clone)]
pub struct ReplicationKpis {
    /// All callers together.
    pub overall: KpiValues,
    /// Per caller class, in scenario order.
    pub by_class: Vec<KpiValues>,
    /// Waits of answered contacts, overall (mergeable across replications).
    pub answered_waits: DurationHistogram,
}

/// Contact counts and waits for one scope (overall or one class).
#[derive(Debug, Clone, Default)]
struct ContactStats {
    offered: u64,
    answered: u64,
    abandoned: u64,
    answered_within_threshold: u64,
    waited: u64,
    answered_wait_sum: f64,
    all_wait_sum: f64,
    answered_waits: DurationHistogram,
}

impl ContactStats {
    fn add(&mut self, other: &Self) {
        self.offered += other.offered;
        self.answered += other.answered;
        self.abandoned += other.abandoned;
        self.answered_within_threshold += other.answered_within_threshold;
        self.waited += other.waited;
        self.answered_wait_sum += other.answered_wait_sum;
        self.all_wait_sum += other.all_wait_sum;
        self.answered_waits.merge(&other.answered_waits);
    }

    fn values(&self, occupancy: f64, queue_length: f64) -> KpiValues {
        let ratio = |a: f64, b: u64| if b > 0 { a / b as f64 } else { f64::NAN };
        let mut v = [f64::NAN; Kpi::COUNT];
        v[Kpi::Offered as usize] = self.offered as f64;
        v[Kpi::Answered as usize] = self.answered as f64;
        v[Kpi::Abandoned as usize] = self.abandoned as f64;
        v[Kpi::ServiceLevel as usize] = ratio(self.answered_within_threshold as f64, self.offered);
        v[Kpi::AbandonmentRate as usize] = ratio(self.abandoned as f64, self.offered);
        v[Kpi::AsaS as usize] = ratio(self.answered_wait_sum, self.answered);
        v[Kpi::MeanWaitS as usize] = ratio(self.all_wait_sum, self.offered);
        v[Kpi::PWait as usize] = ratio(self.waited as f64, self.offered);
        v[Kpi::WaitP50S as usize] = self.answered_waits.quantile(0.50);
        v[Kpi::WaitP90S as usize] = self.answered_waits.quantile(0.90);
        v[Kpi::WaitP99S as usize] = self.answered_waits.quantile(0.99);
        v[Kpi::Occupancy as usize] = occupancy;
        v[Kpi::QueueLengthMean as usize] = queue_length;
        KpiValues(v)
    }
}

/// An [`Observer`] that turns one replication into [`ReplicationKpis`] in O(1) memory.
pub struct KpiCollector {
    warmup: f64,
    horizon: f64,
    threshold: f64,
    agents: f64,
    by_class: Vec<ContactStats>,
    busy: TimeWeighted,
    waiting: TimeWeighted,
}

impl KpiCollector {
    /// A collector for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            warmup: scenario.warmup,
            horizon: scenario.horizon,
            threshold: scenario.service_level_threshold,
            agents: scenario.agents.count as f64,
            by_class: vec![ContactStats::default(); scenario.callers.len()],
            busy: TimeWeighted::new(scenario.warmup, scenario.horizon),
            waiting: TimeWeighted::new(scenario.warmup, scenario.horizon),
        }
    }

    #[inline]
    fn in_window(&self, arrival: f64) -> bool {
        arrival >= self.warmup && arrival < self.horizon
    }

    /// The KPIs of the finished replication.
    pub fn finish(mut self) -> ReplicationKpis {
        let occupancy = self.busy.finish() / self.agents;
        let queue_length = self.waiting.finish();
        // Contacts are recorded per class only; the overall scope is their sum.
        let mut overall = ContactStats::default();
        for c in &self.by_class {
            overall.add(c);
        }
        ReplicationKpis {
            overall: overall.values(occupancy, queue_length),
            by_class: self
                .by_class
                .iter()
                .map(|c| c.values(f64::NAN, f64::NAN))
                .collect(),
            answered_waits: overall.answered_waits,
        }
    }
}

impl Observer for KpiCollector {
    #[inline]
    fn contact_offered(&mut self, time: f64, class: usize) {
        if self.in_window(time) {
            self.by_class[class].offered += 1;
        }
    }

    #[inline]
    fn contact_answered(&mut self, arrival: f64, time: f64, class: usize) {
        if !self.in_window(arrival) {
            return;
        }
        let wait = time - arrival;
        let s = &mut self.by_class[class];
        s.answered += 1;
        s.answered_within_threshold += (wait <= self.threshold) as u64;
        s.waited += (wait > 0.0) as u64;
        s.answered_wait_sum += wait;
        s.all_wait_sum += wait;
        s.answered_waits.record(wait);
    }

    #[inline]
    fn contact_abandoned(&mut self, arrival: f64, time: f64, class: usize) {
        if !self.in_window(arrival) {
            return;
        }
        let wait = time - arrival;
        let s = &mut self.by_class[class];
        s.abandoned += 1;
        s.waited += (wait > 0.0) as u64;
        s.all_wait_sum += wait;
    }

    #[inline]
    fn agents_busy(&mut self, time: f64, busy: u32) {
        self.busy.update(time, busy as f64);
    }

    #[inline]
    fn queue_length(&mut self, time: f64, waiting: u32) {
        self.waiting.update(time, waiting as f64);
    }
}
