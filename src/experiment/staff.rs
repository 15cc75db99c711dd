//! Staffing: the fewest agents that meet a service-level target (DESIGN.md section 4: staff).
//!
//! With an intraday profile each interval is staffed on its own, as if its rate held for
//! long (the "stationary independent period" approximation that workforce-management tools use):
//! the result is a staffing vector. Each search starts from the Erlang C (or, with patience,
//! Erlang A) estimate and moves one agent at a time until the simulation says that `n` agents
//! meet the target and `n − 1` do not.

use super::{RunOptions, run};
use crate::kpi::Kpi;
use crate::model::{Arrivals, Scenario};
use crate::stats::Estimate;
use crate::theory::agents_needed;

/// What a team must achieve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StaffTarget {
    /// Service level to reach (0..1).
    pub service_level: f64,
    /// Within this many seconds.
    pub within_s: f64,
    /// Highest abandonment rate allowed, if any.
    pub max_abandon: Option<f64>,
}

/// The part of a staffing target that is out of its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetPart {
    /// The service level: a share strictly between 0 and 1.
    ServiceLevel,
    /// The threshold: seconds, 0 or more.
    Within,
    /// The highest abandonment rate: a share strictly between 0 and 1.
    MaxAbandon,
}

impl StaffTarget {
    /// The target, checked; the first part out of range is named, in the order of the
    /// arguments. Every front end checks its target here and names the part its own way.
    pub fn new(
        service_level: f64,
        within_s: f64,
        max_abandon: Option<f64>,
    ) -> Result<Self, TargetPart> {
        if !(service_level > 0.0 && service_level < 1.0) {
            return Err(TargetPart::ServiceLevel);
        }
        if !(within_s >= 0.0 && within_s.is_finite()) {
            return Err(TargetPart::Within);
        }
        if max_abandon.is_some_and(|m| !(m > 0.0 && m < 1.0)) {
            return Err(TargetPart::MaxAbandon);
        }
        Ok(Self {
            service_level,
            within_s,
            max_abandon,
        })
    }
}

/// Simulated figures of one team size.
#[derive(Debug, Clone, Copy)]
pub struct Trial {
    /// Agents.
    pub agents: u32,
    /// Service level within the target's threshold.
    pub service_level: Estimate,
    /// Abandonment rate.
    pub abandonment_rate: Estimate,
    /// Average speed of answer.
    pub asa_s: Estimate,
    /// Occupancy.
    pub occupancy: Estimate,
}

impl Trial {
    /// Whether the mean meets the target (the decision uses the mean; the CI is reported).
    pub fn meets(&self, t: &StaffTarget) -> bool {
        self.service_level.mean >= t.service_level
            && t.max_abandon
                .is_none_or(|m| self.abandonment_rate.mean <= m)
    }

    /// Whether the target is met with confidence: the lower end of the service level's 95 %
    /// confidence interval reaches it (and the upper end of abandonment's stays within its
    /// limit). With one replication there is no interval, and the mean decides.
    pub fn surely_meets(&self, t: &StaffTarget) -> bool {
        let bound = |e: &Estimate, end: usize| {
            if e.n >= 2 && e.ci95[end].is_finite() {
                e.ci95[end]
            } else {
                e.mean
            }
        };
        bound(&self.service_level, 0) >= t.service_level
            && t.max_abandon
                .is_none_or(|m| bound(&self.abandonment_rate, 1) <= m)
    }
}

/// The staffing of one period (the whole run for a constant rate).
#[derive(Debug, Clone)]
pub struct PeriodStaffing {
    /// Start and end of the period in seconds from the start of the day.
    pub span: (f64, f64),
    /// Calls per second in the period.
    pub rate_per_s: f64,
    /// The Erlang estimate the search started from.
    pub erlang_estimate: Option<u32>,
    /// The fewest agents that meet the target, and their figures; `None` if none up to the
    /// search limit does.
    pub staffed: Option<Trial>,
    /// One agent fewer, which misses the target (absent when one agent already meets it).
    pub one_fewer: Option<Trial>,
    /// The largest team tried.
    pub searched_up_to: u32,
}

/// Length of the simulated stationary run per trial, after a one-hour warm-up.
const TRIAL_HOURS: f64 = 8.0;

/// `scenario` with one pool of agents who serve every caller, for a head count of the whole
/// floor: no shifts, plan, absences, skill groups, departments, misroutes or department lines,
/// and the target's threshold. The callers, their behaviour and the floor stay.
pub(super) fn whole_floor(scenario: &Scenario, threshold: f64) -> Scenario {
    let mut s = scenario.clone();
    s.service_level_threshold = threshold;
    s.agents.shifts.clear();
    s.agents.plan = None;
    s.agents.absences.clear();
    s.agents.skills.clear();
    s.agents.departments.clear();
    s.department_lines.clear();
    for c in &mut s.callers {
        c.department = 0;
        c.misroute = None;
    }
    s
}

/// A stationary scenario for one period: its rate held for [`TRIAL_HOURS`], with `agents`
/// agents on duty all the time who serve every caller: no outages, shifts, absences,
/// departments or outbound campaign. The answer is a head count for the whole floor.
fn period_scenario(scenario: &Scenario, rate: f64, agents: u32, threshold: f64) -> Scenario {
    let mut s = whole_floor(scenario, threshold);
    s.arrivals = Arrivals::Constant { rate_per_s: rate };
    s.day_noise_cv = 0.0;
    s.warmup = 3600.0;
    s.warmup_auto = false;
    s.horizon = s.warmup + TRIAL_HOURS * 3600.0;
    s.report_interval_s = s.horizon.min(crate::model::DAY_S);
    s.agents.count = agents;
    s.agents.outages.clear();
    s.outbound = None;
    s
}

fn trial(
    scenario: &Scenario,
    rate: f64,
    agents: u32,
    target: &StaffTarget,
    options: &RunOptions,
) -> Result<Trial, super::RunError> {
    let s = period_scenario(scenario, rate, agents, target.within_s);
    let r = run(&s, options, &|_, _| {})?;
    let get = |k: Kpi| *r.overall.get(k).expect("overall KPI");
    Ok(Trial {
        agents,
        service_level: get(Kpi::ServiceLevel),
        abandonment_rate: get(Kpi::AbandonmentRate),
        asa_s: get(Kpi::AsaS),
        occupancy: get(Kpi::Occupancy),
    })
}

/// The Erlang estimate for `rate` with the scenario's mean work and (exponential-equivalent)
/// patience.
pub(super) fn erlang_estimate(
    scenario: &Scenario,
    rate: f64,
    target: &StaffTarget,
    max: u32,
) -> Option<u32> {
    let work = scenario.mean_work_s();
    let patient_forever = scenario.callers.iter().any(|c| c.patience.is_none());
    let theta = (!patient_forever).then(|| {
        let mean: f64 = scenario
            .callers
            .iter()
            .map(|c| c.share * c.patience.as_ref().map_or(0.0, |p| p.mean()))
            .sum();
        1.0 / mean
    });
    agents_needed(
        rate,
        1.0 / work,
        theta,
        target.within_s,
        target.service_level,
        target.max_abandon,
        max,
    )
}

/// Erlang C's head count per period of the day, ignoring abandonment (as a spreadsheet or a
/// workforce tool does): the fewest agents whose Erlang C service level reaches the target.
/// `None` where no calls arrive or no team up to the agent limit reaches it.
pub(super) fn erlang_c_requirement(scenario: &Scenario, target: &StaffTarget) -> Vec<Option<u32>> {
    let work = scenario.mean_work_s();
    periods_of(scenario)
        .into_iter()
        .map(|(_, rate)| {
            (rate > 0.0)
                .then(|| {
                    agents_needed(
                        rate,
                        1.0 / work,
                        None,
                        target.within_s,
                        target.service_level,
                        None,
                        crate::scenario::MAX_AGENTS as u32,
                    )
                })
                .flatten()
        })
        .collect()
}

/// The periods `staff` staffs, with their spans (seconds from the opening) and rates: one per
/// profile interval, or the whole run for a constant rate.
pub(super) fn periods_of(scenario: &Scenario) -> Vec<((f64, f64), f64)> {
    match &scenario.arrivals {
        Arrivals::Constant { rate_per_s } => vec![((0.0, scenario.horizon), *rate_per_s)],
        Arrivals::Profile {
            interval_s,
            rates_per_s,
            ..
        } => rates_per_s
            .iter()
            .enumerate()
            .map(|(i, r)| ((i as f64 * interval_s, (i + 1) as f64 * interval_s), *r))
            .collect(),
    }
}

/// Staffs every period of `scenario` for `target`.
pub fn staff(
    scenario: &Scenario,
    target: &StaffTarget,
    options: &RunOptions,
    progress: &(dyn Fn(u32, u32) + Sync),
) -> Result<Vec<PeriodStaffing>, super::RunError> {
    let periods = periods_of(scenario);
    let total = periods.len() as u32;
    let mut out = Vec::with_capacity(periods.len());
    for (done, (span, rate)) in periods.into_iter().enumerate() {
        out.push(staff_period(scenario, span, rate, target, options)?);
        progress(done as u32 + 1, total);
    }
    Ok(out)
}

fn staff_period(
    scenario: &Scenario,
    span: (f64, f64),
    rate: f64,
    target: &StaffTarget,
    options: &RunOptions,
) -> Result<PeriodStaffing, super::RunError> {
    let limit_for =
        |estimate: u32| (estimate.saturating_mul(4) + 50).min(crate::scenario::MAX_AGENTS as u32);
    let mut result = PeriodStaffing {
        span,
        rate_per_s: rate,
        erlang_estimate: None,
        staffed: None,
        one_fewer: None,
        searched_up_to: 0,
    };
    if !(rate > 0.0) {
        return Ok(result);
    }
    let estimate = erlang_estimate(scenario, rate, target, crate::scenario::MAX_AGENTS as u32);
    result.erlang_estimate = estimate;
    let start = estimate.unwrap_or(1).max(1);
    let limit = limit_for(start);
    let mut n = start;
    let mut current = trial(scenario, rate, n, target, options)?;
    if current.meets(target) {
        // Walk down while one fewer still meets it.
        while n > 1 {
            let fewer = trial(scenario, rate, n - 1, target, options)?;
            if !fewer.meets(target) {
                result.one_fewer = Some(fewer);
                break;
            }
            n -= 1;
            current = fewer;
        }
        result.staffed = Some(current);
        result.searched_up_to = start;
        return Ok(result);
    }
    // Walk up until it meets the target, or give up at the limit.
    while n < limit {
        let more = trial(scenario, rate, n + 1, target, options)?;
        n += 1;
        if more.meets(target) {
            result.one_fewer = Some(current);
            result.staffed = Some(more);
            break;
        }
        current = more;
    }
    result.searched_up_to = n;
    Ok(result)
}
