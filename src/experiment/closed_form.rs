//! The theory column of `run`: when a scenario meets a closed form's assumptions, the exact
//! steady-state values of its KPIs, to stand beside the simulation with a verdict.
//!
//! The assumptions are those of the formulas, checked on the validated scenario: Poisson
//! arrivals at a constant rate, one caller class, exponential handle times and no after-call
//! work, exponential patience or none, a fixed team, and nothing else that changes the queue
//! (no follow-ups, redials, balking, callbacks, outbound, back office, outages, departments,
//! managers or unobserved behaviour). Then Erlang C (no patience), Erlang A (exponential
//! patience) or, with `lines`, the M/M/c/K(+M) chain (Erlang B when the lines equal the agents).

use crate::dist::DurationDist;
use crate::kpi::Kpi;
use crate::model::{Arrivals, Scenario};
use crate::theory::{ErlangA, ErlangC, LineLimited};

/// Which closed form applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedForm {
    /// M/M/c with infinite patience.
    ErlangC,
    /// M/M/c+M.
    ErlangA,
    /// M/M/c/c: as many lines as agents, nobody waits.
    ErlangB,
    /// M/M/c/K(+M): a waiting room of K − c places.
    LineLimited,
}

impl ClosedForm {
    /// The name shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            ClosedForm::ErlangC => "Erlang C",
            ClosedForm::ErlangA => "Erlang A",
            ClosedForm::ErlangB => "Erlang B",
            ClosedForm::LineLimited => "M/M/c/K",
        }
    }
}

/// The exact steady-state values of the KPIs a closed form gives, if one applies.
pub fn theory(scenario: &Scenario) -> Option<(ClosedForm, Vec<(Kpi, f64)>)> {
    let Arrivals::Constant { rate_per_s: lambda } = scenario.arrivals else {
        return None;
    };
    let [class] = scenario.callers.as_slice() else {
        return None;
    };
    let floor = &scenario.floor;
    let plain = scenario.day_noise_cv == 0.0
        && class.after_call_work.is_none()
        && class.follow_up.is_none()
        && class.first_contact_resolution == 1.0
        && class.redial.is_none()
        && class.balking.is_none()
        && class.misroute.is_none()
        && scenario.callbacks.is_none()
        && scenario.outbound.is_none()
        && scenario.back_office.is_none()
        && !scenario.agents.rostered()
        && scenario.agents.outages.is_empty()
        && scenario.agents.departments.len() <= 1
        && floor.managers.is_empty()
        && !floor.slack_possible()
        && floor.behaviour.iter().all(|b| b.pace == 1.0);
    if !plain {
        return None;
    }
    let DurationDist::Exponential { mean: handle } = class.handle_time else {
        return None;
    };
    let theta = match &class.patience {
        None => 0.0,
        Some(DurationDist::Exponential { mean }) => 1.0 / mean,
        Some(_) => return None,
    };
    let (c, mu, t) = (
        scenario.agents.count,
        1.0 / handle,
        scenario.service_level_threshold,
    );
    match scenario.lines {
        Some(k) => {
            let l = LineLimited::new(c, k, lambda, mu, theta)?;
            let mut kpis = vec![
                (Kpi::BlockingRate, l.blocking),
                (Kpi::AbandonmentRate, l.p_abandon),
            ];
            if k == c {
                kpis.push((Kpi::PWait, 0.0));
                kpis.push((Kpi::MeanWaitS, 0.0));
                return Some((ClosedForm::ErlangB, kpis));
            }
            Some((ClosedForm::LineLimited, kpis))
        }
        None if theta == 0.0 => {
            let e = ErlangC::new(c, lambda, mu)?;
            Some((
                ClosedForm::ErlangC,
                vec![
                    (Kpi::ServiceLevel, e.service_level(t)),
                    (Kpi::AbandonmentRate, 0.0),
                    (Kpi::AsaS, e.mean_wait_s),
                    (Kpi::MeanWaitS, e.mean_wait_s),
                    (Kpi::PWait, e.p_wait),
                    (Kpi::Occupancy, e.occupancy),
                    (Kpi::QueueLengthMean, e.queue_length_mean),
                ],
            ))
        }
        None => {
            let e = ErlangA::new(c, lambda, mu, theta)?;
            let sl = e.service_level(t);
            let mut kpis = vec![
                (Kpi::AbandonmentRate, e.p_abandon),
                (Kpi::AsaS, e.asa_s),
                (Kpi::MeanWaitS, e.mean_wait_s),
                (Kpi::PWait, e.p_wait),
                (Kpi::Occupancy, e.occupancy),
                (Kpi::QueueLengthMean, e.queue_length_mean),
            ];
            if !sl.is_nan() {
                kpis.insert(0, (Kpi::ServiceLevel, sl));
            }
            Some((ClosedForm::ErlangA, kpis))
        }
    }
}
