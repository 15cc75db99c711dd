//! Replications in parallel and their reduction into estimates.
//!
//! Replication `r` depends only on (seed, r): its random streams come from `engine::random`.
//! Replications are computed in parallel in chunks, collected in index order, and folded
//! sequentially, so the result is bit-identical for any thread count.

mod budget;
mod clock;
mod closed_form;
mod compare;
pub mod cover;
mod schedule;
mod spec;
mod staff;
mod staff_day;
mod steady;
mod sweep;
mod tally;
mod trace;
mod unmet;
mod validate;
mod warning;

use rayon::prelude::*;

pub use budget::{MAX_RUN_BYTES, MemoryPart, TooBig, check_memory, memory_parts};
pub use clock::SimulatedClock;
pub use closed_form::{ClosedForm, Theory, theory};
pub use compare::{Comparison, Difference, Variant, compare, compare_with_progress, parse_variant};
pub use schedule::{
    MAX_SCHEDULE_ROUNDS, Schedule, ScheduleError, ScheduleInput, ScheduleMethod, roster_shifts,
    schedule,
};
pub use spec::{SpecError, SpecProblem};
pub use staff::{PeriodStaffing, StaffTarget, TargetPart, Trial, staff};
pub use staff_day::{MAX_DAY_SIMULATIONS, StaffMethod, staff_day};
pub use sweep::{MAX_SWEEP_POINTS, Sweep, SweepPoint, parse_vary, sweep};
pub use tally::{IntervalTally, ShapeError, Tally};
pub use trace::{
    MAX_TRACE_EVENTS, MAX_TRACE_ROWS, Segment, Trace, TraceRow, TraceTooLong, Watch, trace,
};
pub use unmet::{Unmet, span_list};
pub use validate::{Check, VALIDATE_ALPHA, ValidateError, validate};
pub use warning::Warning;

use crate::engine::{SimTime, Simulation, StallCause, Stalled};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::kpi::{
    IntervalLayout, Kpi, KpiCollector, KpiValues, ListedScope, PerScope, ReplicationKpis,
};
use crate::model::Scenario;
use crate::stats::{DurationHistogram, Estimate};

/// Why an experiment could not finish.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The worker threads could not be started.
    #[error("cannot start worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// The run was asked to stop ([`SimulatedClock::request_stop`]).
    #[error("stopped on request")]
    Stopped,
    /// A replication stalled: simulated time stopped moving (an input problem).
    #[error("replication {replication}: {stalled}")]
    Stalled {
        /// The first replication (in index order) that stalled.
        replication: u32,
        /// Where and on what it stalled.
        stalled: Stalled,
    },
}

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
    /// Where long replications report how far they have come in simulated time, if anywhere.
    pub clock: Option<std::sync::Arc<SimulatedClock>>,
}

impl RunOptions {
    /// The scenario's own replications and seed, on every core.
    pub fn from_scenario(scenario: &Scenario) -> Self {
        Self {
            replications: scenario.replications,
            seed: scenario.seed,
            threads: None,
            details: false,
            clock: None,
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
    /// The entries of every listed scope ([`ListedScope::ALL`]): one per caller class; one
    /// per manager, what each one saw (perceived KPIs, observed share); one per department
    /// when there are two or more (the callers of its classes together); one per reason
    /// outbound customers give for declining (`outbound_declines` only).
    pub by_scope: PerScope<Vec<ScopeResult>>,
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
    /// Each manager's style (`walker`, `alongside`, `office`), in the order of the manager scope's entries.
    pub manager_styles: Vec<&'static str>,
    /// The closed form whose assumptions the scenario meets, and its exact steady-state KPIs
    /// (the theory column of `run`); `None` when no closed form applies.
    pub theory: Option<Theory>,
    /// The warm-up in force, seconds; with `warmup = "auto"` the one chosen.
    pub warmup_s: f64,
    /// Whether the warm-up was chosen from the data (`warmup = "auto"`).
    pub warmup_auto: bool,
}

impl ExperimentResult {
    /// The entries of a listed scope: what JSON, CSV, the table and the report iterate,
    /// scope by scope.
    pub fn listed(&self, scope: ListedScope) -> &[ScopeResult] {
        &self.by_scope[scope]
    }

    /// One per caller class, in scenario order.
    pub fn by_class(&self) -> &[ScopeResult] {
        &self.by_scope[ListedScope::Class]
    }
}

/// Most replications computed between two sequential folds; bounds memory for huge runs.
const CHUNK: u32 = 256;

/// Most bytes of finished replications held between two folds: a replication with details
/// of a day of one-second intervals holds 7.6 MB of rows, so its chunks are shorter.
const CHUNK_BYTES: usize = 64 << 20;

/// Replications per chunk: [`CHUNK`], or fewer where each holds many interval rows, but
/// never fewer than the threads (which would leave some idle).
fn chunk_len(scenario: &Scenario, options: &RunOptions, threads: usize) -> u32 {
    if !options.details {
        return CHUNK;
    }
    let row_bytes = std::mem::size_of::<[f64; crate::kpi::INTERVAL_KPIS.len()]>();
    let per_replication = crate::kpi::IntervalLayout::of(scenario).count * row_bytes;
    let fits = CHUNK_BYTES / per_replication.max(1);
    (fits.max(threads) as u32).clamp(1, CHUNK)
}

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
pub fn run_replication(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
) -> Result<ReplicationKpis, Stalled> {
    let mut sim = Simulation::new(scenario);
    replicate(&mut sim, scenario, seed, replication, false, &mut |_| {
        ControlFlow::Continue(())
    })
}

/// One replication on `sim` (a simulation of `scenario`), with or without details.
fn replicate(
    sim: &mut Simulation,
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    details: bool,
    tick: &mut dyn FnMut(SimTime) -> ControlFlow<()>,
) -> Result<ReplicationKpis, Stalled> {
    // Two monomorphised loops: plain runs carry no detail code at all.
    let kpis = if details {
        let mut collector = KpiCollector::with_details(scenario);
        sim.run_with_clock(seed, replication, &mut collector, &mut *tick)?;
        collector.finish()
    } else {
        let mut collector = KpiCollector::new(scenario);
        sim.run_with_clock(seed, replication, &mut collector, &mut *tick)?;
        collector.finish()
    };
    Ok(kpis)
}

/// Replication numbers of the pilot runs of `warmup = "auto"`: far from any measured
/// replication's (at most 10⁷ in a run split into shards), so the pilot's random numbers are
/// its own.
pub(crate) const PILOT_REPLICATIONS_FROM: u64 = 1 << 40;

/// Most pilot replications `warmup = "auto"` averages.
pub const MAX_PILOT_REPLICATIONS: u32 = 10_000;

/// The scenario as it is measured. With `warmup = "auto"`, the warm-up is chosen by MSER-5 on
/// the waits of pilot replications (as many as the run has, at most
/// [`MAX_PILOT_REPLICATIONS`]), averaged per bucket of arrival time: a pilot of its own
/// random numbers, so the choice does not lean on the data it then measures, and one value
/// for every replication, so the result is the same however the run is split into shards or
/// threads. Averaging the replications first is what makes MSER reliable for a queue near
/// saturation, where one replication's excursions mislead it.
pub fn resolve_warmup<'s>(
    scenario: &'s Scenario,
    seed: u64,
    replications: u32,
    threads: Option<usize>,
) -> Result<std::borrow::Cow<'s, Scenario>, RunError> {
    resolve_warmup_on(scenario, seed, replications, threads, None)
}

/// [`resolve_warmup`], with the pilot replications reporting to `clock` and stopping when it
/// asks them to (a Ctrl-C, a server's work budget).
pub fn resolve_warmup_on<'s>(
    scenario: &'s Scenario,
    seed: u64,
    replications: u32,
    threads: Option<usize>,
    clock: Option<&SimulatedClock>,
) -> Result<std::borrow::Cow<'s, Scenario>, RunError> {
    if !scenario.warmup_auto {
        return Ok(std::borrow::Cow::Borrowed(scenario));
    }
    let pilots = replications.clamp(1, MAX_PILOT_REPLICATIONS);
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        builder = builder.num_threads(t);
    }
    let pool = builder.build()?;
    let series: Vec<Result<steady::WaitSeries, RunError>> = pool.install(|| {
        (0..pilots)
            .into_par_iter()
            .map_init(
                || Simulation::new(scenario),
                |sim, i| {
                    if clock.is_some_and(SimulatedClock::stop_requested) {
                        return Err(RunError::Stopped);
                    }
                    let mut s = steady::WaitSeries::new(scenario.horizon);
                    sim.run_with_clock(
                        seed,
                        PILOT_REPLICATIONS_FROM + u64::from(i),
                        &mut s,
                        |now| SimulatedClock::tick(clock, now),
                    )
                    .map_err(|stalled| match stalled.cause {
                        StallCause::Asked => RunError::Stopped,
                        _ => RunError::Stalled {
                            replication: i,
                            stalled,
                        },
                    })?;
                    SimulatedClock::replication_ended(clock, sim);
                    Ok(s)
                },
            )
            .collect()
    });
    // Summed in index order: the same bits whatever the threads did.
    let mut total = steady::WaitSeries::new(scenario.horizon);
    for s in series {
        total.add_series(&s?);
    }
    let mut resolved = scenario.clone();
    resolved.warmup = total.mser5().min(scenario.horizon / 2.0);
    Ok(std::borrow::Cow::Owned(resolved))
}

/// Runs the experiment. `progress(done, total)` is called after each replication, from the
/// worker threads (in any order; `done` only grows).
pub fn run(
    scenario: &Scenario,
    options: &RunOptions,
    progress: &(dyn Fn(u32, u32) + Sync),
) -> Result<ExperimentResult, RunError> {
    run_from(scenario, options, 0, progress)
}

/// [`run`] on the `options.replications` replications numbered from `first`: a check on
/// random numbers that a search on the first ones never saw (the warm-up, if automatic, is
/// the same choice as the search's).
pub fn run_from(
    scenario: &Scenario,
    options: &RunOptions,
    first: u32,
    progress: &(dyn Fn(u32, u32) + Sync),
) -> Result<ExperimentResult, RunError> {
    let scenario = resolve_warmup_on(
        scenario,
        options.seed,
        options.replications,
        options.threads,
        options.clock.as_deref(),
    )?;
    let replications = first..first.saturating_add(options.replications);
    let tally = simulate(&scenario, options, replications, progress)?;
    Ok(tally.finish(&scenario, options.seed))
}

/// The replications of shard `k` of `n` (1-based): `[⌊(k−1)·R/n⌋, ⌊k·R/n⌋)`, so the shards
/// cover `0..R` exactly once, in order.
pub fn shard_range(replications: u32, k: u32, n: u32) -> std::ops::Range<u32> {
    let at = |i: u32| (u64::from(replications) * u64::from(i) / u64::from(n)) as u32;
    at(k - 1)..at(k)
}

/// Simulates replications `range` (in parallel chunks) and folds them, in index order, into a
/// [`Tally`]: what `run` does.
pub fn simulate(
    scenario: &Scenario,
    options: &RunOptions,
    range: std::ops::Range<u32>,
    progress: &(dyn Fn(u32, u32) + Sync),
) -> Result<Tally, RunError> {
    simulate_into(Tally::new(scenario), scenario, options, range, progress)
}

/// [`simulate`] folding into `tally` (a shard's keeps every replication's interval rows for
/// its partial file: [`Tally::keeping_rows`]).
pub fn simulate_into(
    mut tally: Tally,
    scenario: &Scenario,
    options: &RunOptions,
    range: std::ops::Range<u32>,
    progress: &(dyn Fn(u32, u32) + Sync),
) -> Result<Tally, RunError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = options.threads {
        builder = builder.num_threads(t);
    }
    let pool = builder.build()?;
    let total = range.len() as u32;
    let chunk_len = chunk_len(scenario, options, pool.current_num_threads());
    let done = AtomicU32::new(0);
    let clock = options.clock.as_deref();
    // Each variant or point of a sweep starts its simulated time again.
    if let Some(c) = clock {
        c.reset();
    }
    let mut start = range.start;
    while start < range.end {
        let end = start.saturating_add(chunk_len).min(range.end);
        let chunk: Vec<Result<ReplicationKpis, RunError>> = pool.install(|| {
            (start..end)
                .into_par_iter()
                .map_init(
                    || Simulation::new(scenario),
                    |sim, r| {
                        if clock.is_some_and(SimulatedClock::stop_requested) {
                            return Err(RunError::Stopped);
                        }
                        let mut tick = |now: SimTime| SimulatedClock::tick(clock, now);
                        let kpis = replicate(
                            sim,
                            scenario,
                            options.seed,
                            r as u64,
                            options.details,
                            &mut tick,
                        )
                        .map_err(|stalled| match stalled.cause {
                            StallCause::Asked => RunError::Stopped,
                            _ => RunError::Stalled {
                                replication: r,
                                stalled,
                            },
                        })?;
                        SimulatedClock::replication_ended(clock, sim);
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                        Ok(kpis)
                    },
                )
                .collect()
        });
        // The first failure in index order, whatever the threads did.
        for rep in chunk {
            tally.push(rep?);
        }
        start = end;
    }
    Ok(tally)
}
