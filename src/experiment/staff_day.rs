//! Staffing verified on the whole day: every interval's head count simulated together, on
//! common random numbers, so that queues carried from one interval into the next count; a
//! count stays only if one agent fewer in that interval misses the target.

use super::RunOptions;
use super::staff::{PeriodStaffing, StaffTarget, Trial, erlang_estimate, periods_of, whole_floor};
use crate::kpi::Kpi;
use crate::model::{Arrivals, Scenario};
use crate::stats::Estimate;

/// How `staff` found its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffMethod {
    /// Every interval simulated alone as if its rate held (the stationary independent period
    /// approximation).
    Sipp,
    /// Whole-day simulations, all intervals together, iterated to the fewest agents per
    /// interval that meet the target in the day.
    Day {
        /// Day simulations run.
        simulations: u32,
        /// Passes of raising and lowering head counts.
        passes: u32,
    },
}

/// Most day simulations one `staff` run makes before it gives up (the search ends long before
/// on any floor a day simulation can staff).
pub const MAX_DAY_SIMULATIONS: u32 = 5000;

/// The scenario of a whole day staffed by `counts` per profile interval (a plan), or by a
/// fixed team for a constant rate; reported by the profile's intervals.
fn day_scenario(scenario: &Scenario, counts: &[u32], threshold: f64) -> Scenario {
    let mut s = whole_floor(scenario, threshold);
    match &scenario.arrivals {
        Arrivals::Profile {
            interval_s, daily, ..
        } => {
            s.report_interval_s = *interval_s;
            s.agents.count = counts.iter().copied().max().unwrap_or(1).max(1);
            s.agents.plan = Some(crate::model::Plan {
                daily: *daily,
                interval_s: *interval_s,
                counts: counts.to_vec(),
            });
        }
        Arrivals::Constant { .. } => {
            s.agents.count = counts.first().copied().unwrap_or(1).max(1);
            s.agents.plan = None;
        }
    }
    s
}

/// The figures of every interval of one day simulation.
fn day_trials(
    scenario: &Scenario,
    counts: &[u32],
    target: &StaffTarget,
    options: &RunOptions,
) -> Result<Vec<Trial>, super::RunError> {
    let s = day_scenario(scenario, counts, target.within_s);
    interval_trials(&s, counts, options)
}

/// The figures of every interval of a day simulation of `s` (reported by its profile's
/// intervals), labelled with `agents` per interval.
pub(super) fn interval_trials(
    s: &Scenario,
    agents: &[u32],
    options: &RunOptions,
) -> Result<Vec<Trial>, super::RunError> {
    interval_trials_from(s, agents, options, 0)
}

/// [`interval_trials`] on the replications numbered from `first` (`options.replications` of
/// them): a check on random numbers that a search on the first ones never saw.
pub(super) fn interval_trials_from(
    s: &Scenario,
    agents: &[u32],
    options: &RunOptions,
    first: u32,
) -> Result<Vec<Trial>, super::RunError> {
    let counts = agents;
    let scenario = s;
    let mut options = options.clone();
    options.details = true;
    let r = super::run_from(s, &options, first, &|_, _| {})?;
    let trial = |agents: u32, get: &dyn Fn(Kpi) -> Estimate| Trial {
        agents,
        service_level: get(Kpi::ServiceLevel),
        abandonment_rate: get(Kpi::AbandonmentRate),
        asa_s: get(Kpi::AsaS),
        occupancy: get(Kpi::Occupancy),
    };
    if !matches!(scenario.arrivals, Arrivals::Profile { .. }) {
        let get = |k: Kpi| *r.overall.get(k).expect("overall KPI");
        return Ok(vec![trial(counts[0], &get)]);
    }
    Ok(counts
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let row = r.by_interval.get(i);
            let get = |k: Kpi| {
                row.and_then(|row| row.iter().find(|(kpi, _)| *kpi == k))
                    .map_or(Estimate::from_values([]), |(_, e)| *e)
            };
            trial(n, &get)
        })
        .collect())
}

/// Whether interval figures meet the target where calls arrive (an interval whose service
/// level is undefined had no calls to miss it with).
fn day_meets(trials: &[Trial], rates: &[f64], target: &StaffTarget) -> bool {
    trials
        .iter()
        .zip(rates)
        .all(|(t, &rate)| !(rate > 0.0) || t.service_level.mean.is_nan() || t.meets(target))
}

/// Staffs `scenario`'s whole day: from the Erlang estimate of each interval, whole-day
/// simulations on common random numbers (every one on the same seed) raise each interval
/// that misses the target by one agent until the day meets it everywhere, then try one
/// agent fewer in each interval in turn and keep it when the day still meets the target,
/// until no interval can lose one. The answer meets the target in every interval of the day
/// simulation, and one agent fewer in any interval makes some interval miss it (its figures
/// are the `one_fewer` check). Anchored on the iterative staffing algorithm of Feldman,
/// Mandelbaum, Massey and Whitt (2008), which carries the queue from one interval into the
/// next as this does.
pub fn staff_day(
    scenario: &Scenario,
    target: &StaffTarget,
    options: &RunOptions,
    progress: &(dyn Fn(u32, u32) + Sync),
) -> Result<(Vec<PeriodStaffing>, StaffMethod), super::RunError> {
    let (spans, rates): (Vec<(f64, f64)>, Vec<f64>) = periods_of(scenario).into_iter().unzip();
    let max = crate::scenario::MAX_AGENTS as u32;
    let estimates: Vec<Option<u32>> = rates
        .iter()
        .map(|&r| {
            (r > 0.0)
                .then(|| erlang_estimate(scenario, r, target, max))
                .flatten()
        })
        .collect();
    let limits: Vec<u32> = estimates
        .iter()
        .map(|e| (e.unwrap_or(1).saturating_mul(4) + 50).min(max))
        .collect();
    let mut counts: Vec<u32> = rates
        .iter()
        .zip(&estimates)
        .map(|(&r, e)| if r > 0.0 { e.unwrap_or(1).max(1) } else { 0 })
        .collect();
    let simulations = std::cell::Cell::new(0u32);
    let mut passes = 0u32;
    let simulate = |counts: &[u32]| {
        simulations.set(simulations.get() + 1);
        progress(simulations.get(), MAX_DAY_SIMULATIONS);
        day_trials(scenario, counts, target, options)
    };
    // Raise: every interval that misses gets one more, until the day meets the target or an
    // interval reaches its limit.
    let mut trials = simulate(&counts)?;
    let mut stuck = false;
    while !day_meets(&trials, &rates, target) && simulations.get() < MAX_DAY_SIMULATIONS {
        passes += 1;
        let mut raised = false;
        for i in 0..counts.len() {
            let t = &trials[i];
            if rates[i] > 0.0 && !t.service_level.mean.is_nan() && !t.meets(target) {
                if counts[i] < limits[i] {
                    counts[i] += 1;
                    raised = true;
                } else {
                    stuck = true;
                }
            }
        }
        if !raised {
            break;
        }
        trials = simulate(&counts)?;
    }
    let met = day_meets(&trials, &rates, target) && !stuck;
    // Lower: one fewer in each interval in turn, kept when the day still meets the target;
    // again until a whole pass keeps none. The last failed try per interval is its check.
    let mut one_fewer: Vec<Option<Trial>> = vec![None; counts.len()];
    if met {
        loop {
            passes += 1;
            let mut lowered = false;
            for i in 0..counts.len() {
                if counts[i] <= u32::from(rates[i] > 0.0)
                    || simulations.get() >= MAX_DAY_SIMULATIONS
                {
                    continue;
                }
                let mut fewer = counts.clone();
                fewer[i] -= 1;
                let tried = simulate(&fewer)?;
                if day_meets(&tried, &rates, target) {
                    counts = fewer;
                    trials = tried;
                    lowered = true;
                }
            }
            if !lowered {
                break;
            }
        }
        // The checks, on the final counts (a try made before a later change is stale).
        for i in 0..counts.len() {
            if counts[i] > u32::from(rates[i] > 0.0) && simulations.get() < MAX_DAY_SIMULATIONS {
                let mut fewer = counts.clone();
                fewer[i] -= 1;
                one_fewer[i] = Some(simulate(&fewer)?[i]);
            }
        }
    }
    let periods = spans
        .iter()
        .enumerate()
        .map(|(i, &span)| PeriodStaffing {
            span,
            rate_per_s: rates[i],
            erlang_estimate: estimates[i],
            staffed: (met || trials[i].meets(target)).then_some(trials[i]),
            one_fewer: one_fewer[i],
            searched_up_to: counts[i],
        })
        .collect();
    Ok((
        periods,
        StaffMethod::Day {
            simulations: simulations.get(),
            passes,
        },
    ))
}
