//! Warnings about inputs and precision, each with a remedy.

use std::fmt;

use super::ExperimentResult;
use crate::kpi::Kpi;
use crate::model::Scenario;

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
                "callbacks are switched on but every caller class has callback_acceptance = 0, so                  none is ever taken; set callers[i].callback_acceptance"
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

/// The warnings that apply to `scenario` and its result.
pub fn check(scenario: &Scenario, result: &ExperimentResult) -> Vec<Warning> {
    let mut out = Vec::new();
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
