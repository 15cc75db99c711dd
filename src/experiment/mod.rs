//! Replications in parallel and their reduction into estimates.
//!
//! Replication `r` depends only on (seed, r): its random streams come from `engine::random`.
//! Replications are computed in parallel in chunks, collected in index order, and folded
//! sequentially, so the result is bit-identical for any thread count.

mod compare;
mod staff;
mod sweep;
mod trace;
mod validate;
mod warning;

use rayon::prelude::*;

pub use compare::{Comparison, Difference, Variant, compare, compare_with_progress, parse_variant};
pub use staff::{PeriodStaffing, StaffTarget, Trial, staff};
pub use sweep::{MAX_SWEEP_POINTS, Sweep, SweepPoint, parse_vary, sweep};
pub use trace::{MAX_TRACE_ROWS, Segment, Trace, TraceRow, TraceTooLong, Watch, trace};
pub use validate::{Check, VALIDATE_ALPHA, validate};
pub use warning::Warning;

use crate::engine::Simulation;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::kpi::{
    INTERVAL_KPIS, IntervalLayout, Kpi, KpiCollector, KpiValues, ReplicationKpis, Scope,
};
use crate::model::Scenario;
use crate::stats::{DurationHistogram, Estimate};

/// How to run an experiment.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Number of replications.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Also collect what plots and reports need (KPIs per interval, follow-up distributions).
    pub details: bool,
}

impl RunOptions {
    /// The scenario's own replications and seed, on every core.
    pub fn from_scenario(scenario: &Scenario) -> Self {
        Self {
            replications: scenario.replications,
            seed: scenario.seed,
            threads: None,
            details: false,
        }
    }
}

/// Estimates for one scope (all callers, one class or one manager).
#[derive(Debug, Clone)]
pub struct ScopeResult {
    /// Scope name: `"all"`, a caller class name or a manager name.
    pub name: String,
    /// One estimate per KPI that applies to the scope, in [`Kpi::ALL`] order.
    pub kpis: Vec<(Kpi, Estimate)>,
}

impl ScopeResult {
    /// The estimate of `kpi`, if the scope reports it.
    pub fn get(&self, kpi: Kpi) -> Option<&Estimate> {
        self.kpis.iter().find(|(k, _)| *k == kpi).map(|(_, e)| e)
    }
}

/// The outcome of an experiment.
#[derive(Debug, Clone)]
pub struct ExperimentResult {
    /// Scenario name.
    pub scenario: String,
    /// Master seed used.
    pub seed: u64,
    /// Replications run.
    pub replications: u32,
    /// All callers.
    pub overall: ScopeResult,
    /// One per caller class.
    pub by_class: Vec<ScopeResult>,
    /// One per manager: what each one saw (perceived KPIs, observed share).
    pub by_manager: Vec<ScopeResult>,
    /// Per-replication values (overall), in replication order.
    pub per_replication: Vec<KpiValues>,
    /// Waits of answered contacts pooled over all replications.
    pub answered_waits: DurationHistogram,
    /// Callback delays pooled over all replications (empty without callbacks).
    pub callback_delays: Option<DurationHistogram>,
    /// The intervals of the day KPIs are reported by.
    pub interval_layout: IntervalLayout,
    /// Per interval: the estimates of [`INTERVAL_KPIS`] (empty unless details were asked for).
    pub by_interval: Vec<Vec<(Kpi, Estimate)>>,
    /// Follow-up responses pooled over replications, by whether the work started observed
    /// (index 0) or not (index 1); only with details and follow-ups.
    pub follow_up_responses: Option<[DurationHistogram; 2]>,
    /// Things the analyst should know about the inputs or the precision.
    pub warnings: Vec<Warning>,
    /// KPIs that say something about this scenario (see [`crate::kpi::relevant`]).
    pub relevant: Vec<Kpi>,
    /// Each manager's style (`walker`, `alongside`, `office`), in `by_manager` order.
    pub manager_styles: Vec<&'static str>,
}

/// Replications computed between two sequential folds; bounds memory for huge runs.
const CHUNK: u32 = 256;

/// The across-replication estimate of `kpi`. The perception gap is a ratio: it is estimated as
/// the ratio of the mean true response to the mean perceived response, because the mean of
/// per-replication ratios is inflated when a replication holds few follow-ups.
fn estimate(kpi: Kpi, values: &[KpiValues]) -> Estimate {
    match kpi {
        Kpi::PerceptionGap => Estimate::ratio_of_means(values.iter().map(|v| {
            (
                v.get(Kpi::FollowUpResponseMeanS),
                v.get(Kpi::PerceivedFollowUpResponseMeanS),
            )
        })),
        _ => Estimate::from_values(values.iter().map(|v| v.get(kpi))),
    }
}

/// Runs replication `replication` of `scenario` under `seed` on a fresh simulation.
pub fn run_replication(scenario: &Scenario, seed: u64, replication: u64) -> ReplicationKpis {
    let mut sim = Simulation::new(scenario);
    let mut collector = KpiCollector::new(scenario);
    sim.run(seed, replication, &mut collector);
    collector.finish()
}

/// Runs the experiment. `progress(done, total)` is called after each replication, from the
/// worker threads (in any order; `done` only grows).
pub fn run(
    scenario: &Scenario,
    options: &RunOptions,
    progress: &(dyn Fn(u32, u32) + Sync),
) -> Result<ExperimentResult, rayon::ThreadPoolBuildError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = options.threads {
        builder = builder.num_threads(t);
    }
    let pool = builder.build()?;
    let total = options.replications;
    let classes = scenario.callers.len();
    let mut per_replication = Vec::with_capacity(total as usize);
    let mut per_class: Vec<Vec<KpiValues>> = vec![Vec::with_capacity(total as usize); classes];
    let managers = scenario.floor.managers.len();
    let mut per_manager: Vec<Vec<KpiValues>> = vec![Vec::with_capacity(total as usize); managers];
    let mut answered_waits = DurationHistogram::new();
    let mut callback_delays: Option<DurationHistogram> = None;
    let mut follow_up_responses: Option<[DurationHistogram; 2]> = None;
    let layout = IntervalLayout::of(scenario);
    let mut per_interval: Vec<Vec<[f64; INTERVAL_KPIS.len()]>> = Vec::new();
    let done = AtomicU32::new(0);
    let mut start = 0;
    while start < total {
        let end = (start + CHUNK).min(total);
        let chunk: Vec<ReplicationKpis> = pool.install(|| {
            (start..end)
                .into_par_iter()
                .map_init(
                    || Simulation::new(scenario),
                    |sim, r| {
                        // Two monomorphised loops: plain runs carry no detail code at all.
                        let kpis = if options.details {
                            let mut collector = KpiCollector::with_details(scenario);
                            sim.run(options.seed, r as u64, &mut collector);
                            collector.finish()
                        } else {
                            let mut collector = KpiCollector::new(scenario);
                            sim.run(options.seed, r as u64, &mut collector);
                            collector.finish()
                        };
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                        kpis
                    },
                )
                .collect()
        });
        for rep in chunk {
            per_replication.push(rep.overall);
            for (c, v) in rep.by_class.into_iter().enumerate() {
                per_class[c].push(v);
            }
            for (m, v) in rep.by_manager.into_iter().enumerate() {
                per_manager[m].push(v);
            }
            answered_waits.merge(&rep.answered_waits);
            if let Some(h) = &rep.callback_delays {
                callback_delays
                    .get_or_insert_with(DurationHistogram::new)
                    .merge(h);
            }
            if let Some([obs, unobs]) = &rep.follow_up_responses {
                let pooled = follow_up_responses
                    .get_or_insert_with(|| [DurationHistogram::new(), DurationHistogram::new()]);
                pooled[0].merge(obs);
                pooled[1].merge(unobs);
            }
            if !rep.by_interval.is_empty() {
                per_interval.push(rep.by_interval);
            }
        }
        start = end;
    }
    let overall = scope("all", &per_replication, Scope::Overall);
    let by_class = scenario
        .callers
        .iter()
        .zip(&per_class)
        .map(|(c, values)| scope(&c.name, values, Scope::Class))
        .collect();
    let by_manager = scenario
        .floor
        .managers
        .iter()
        .zip(&per_manager)
        .map(|(m, values)| scope(&m.name, values, Scope::Manager))
        .collect();
    let mut result = ExperimentResult {
        scenario: scenario.name.clone(),
        seed: options.seed,
        replications: total,
        overall,
        by_class,
        by_manager,
        per_replication,
        answered_waits,
        callback_delays,
        interval_layout: layout,
        by_interval: (0..if per_interval.is_empty() {
            0
        } else {
            layout.count
        })
            .map(|i| {
                INTERVAL_KPIS
                    .iter()
                    .enumerate()
                    .map(|(j, k)| {
                        (
                            *k,
                            Estimate::from_values(per_interval.iter().map(|rep| rep[i][j])),
                        )
                    })
                    .collect()
            })
            .collect(),
        follow_up_responses,
        warnings: Vec::new(),
        relevant: Kpi::ALL
            .into_iter()
            .filter(|k| crate::kpi::relevant(*k, scenario))
            .collect(),
        manager_styles: scenario
            .floor
            .managers
            .iter()
            .map(|m| m.style.key())
            .collect(),
    };
    result.warnings = warning::check(scenario, &result);
    Ok(result)
}

fn scope(name: &str, values: &[KpiValues], which: Scope) -> ScopeResult {
    let kpis = Kpi::ALL
        .into_iter()
        .filter(|k| k.applies_to(which))
        .map(|k| (k, estimate(k, values)))
        .collect();
    ScopeResult {
        name: name.to_string(),
        kpis,
    }
}
