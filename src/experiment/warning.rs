//! Warnings about inputs and precision, each with a remedy.

use std::fmt;

use super::ExperimentResult;
use crate::kpi::Kpi;
use crate::model::{Arrivals, DAY_S, Scenario, uncovered};

/// Something the analyst should know; the message says what to change.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// Offered load at the peak reaches the number of agents and callers never give up: the queue
    /// grows without bound and results depend on the horizon.
    UnstableQueue {
        /// Offered load in Erlangs at the peak rate.
        load: f64,
        /// Agents.
        agents: u32,
    },
    /// Fewer than 10 replications: confidence intervals are wide and fragile.
    FewReplications {
        /// Replications run.
        replications: u32,
    },
    /// Callbacks are switched on but no caller class ever accepts one.
    CallbacksNeverAccepted,
    /// Calls arrive at a time of day when no shift is on duty: they wait for the next shift
    /// (or give up).
    UncoveredHours {
        /// Start of the stretch, seconds from midnight.
        from_s: f64,
        /// End of the stretch.
        to_s: f64,
    },
    /// The service level's CI is wider than ±2 percentage points.
    WideInterval {
        /// KPI key.
        kpi: &'static str,
        /// Half width of its 95 % CI.
        half_width: f64,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::UnstableQueue { load, agents } => write!(
                f,
                "offered load at the peak is {load:.1} Erlangs for {agents} agents and callers never \
                 abandon: the queue cannot settle. Add agents, lower the rate, or give callers a patience."
            ),
            Warning::FewReplications { replications } => write!(
                f,
                "only {replications} replication(s): intervals are unreliable; use --replications 10 or more"
            ),
            Warning::CallbacksNeverAccepted => write!(
                f,
                "callbacks are switched on but every caller class has callback_acceptance = 0, so \
                 none is ever taken; set callers[i].callback_acceptance"
            ),
            Warning::UncoveredHours { from_s, to_s } => write!(
                f,
                "agents.shifts: nobody is on duty from {} to {} while calls arrive; they wait for \
                 the next shift or give up. Add a shift or cover those hours",
                clock(*from_s),
                clock(*to_s)
            ),
            Warning::WideInterval { kpi, half_width } => write!(
                f,
                "{kpi} is known only to ±{:.1} percentage points; add replications (the width falls with \
                 the square root of their number)",
                half_width * 100.0
            ),
        }
    }
}

/// A time of day as HH:MM.
fn clock(seconds: f64) -> String {
    let minutes = (seconds / 60.0).round() as u64;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Stretches of the day (merged) when calls arrive and no shift is on duty.
pub fn uncovered_hours(scenario: &Scenario) -> Vec<(f64, f64)> {
    if scenario.agents.shifts.is_empty() {
        return Vec::new();
    }
    let (length, rates): (f64, Vec<f64>) = match &scenario.arrivals {
        Arrivals::Constant { rate_per_s } => (DAY_S, vec![*rate_per_s]),
        Arrivals::Profile {
            interval_s,
            rates_per_s,
        } => (*interval_s, rates_per_s.clone()),
    };
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (a, b) in uncovered(&scenario.agents.shifts) {
        for (i, &rate) in rates.iter().enumerate() {
            let (from, to) = (a.max(i as f64 * length), b.min((i + 1) as f64 * length));
            if rate > 0.0 && to > from {
                match out.last_mut() {
                    Some(last) if last.1 == from => last.1 = to,
                    _ => out.push((from, to)),
                }
            }
        }
    }
    out
}

/// The warnings that apply to `scenario` and its result.
pub fn check(scenario: &Scenario, result: &ExperimentResult) -> Vec<Warning> {
    let mut out = Vec::new();
    for (from_s, to_s) in uncovered_hours(scenario) {
        out.push(Warning::UncoveredHours { from_s, to_s });
    }
    let load = scenario.peak_offered_load();
    let anyone_patient_forever = scenario
        .callers
        .iter()
        .any(|c| c.patience.is_none() && c.share > 0.0);
    if anyone_patient_forever && load >= scenario.agents.count as f64 {
        out.push(Warning::UnstableQueue {
            load,
            agents: scenario.agents.count,
        });
    }
    if scenario.callbacks.is_some()
        && scenario
            .callers
            .iter()
            .all(|c| c.callback_acceptance == 0.0)
    {
        out.push(Warning::CallbacksNeverAccepted);
    }
    if result.replications < 10 {
        out.push(Warning::FewReplications {
            replications: result.replications,
        });
    }
    if let Some(e) = result.overall.get(Kpi::ServiceLevel)
        && e.half_width() > 0.02
    {
        out.push(Warning::WideInterval {
            kpi: Kpi::ServiceLevel.key(),
            half_width: e.half_width(),
        });
    }
    out
}
