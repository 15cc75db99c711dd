//! The theory column of `run`: when a scenario meets a closed form's assumptions, the exact
//! steady-state values of its KPIs, to stand beside the simulation with a verdict.
//!
//! The assumptions are those of the formulas, checked on the validated scenario: Poisson
//! arrivals at a constant rate, exponential handle times and no after-call
//! work, exponential patience or none, a fixed team, and nothing else that changes the queue
//! (no follow-ups, redials, balking, callbacks, outbound, back office, outages, departments,
//! managers or unobserved behaviour). Then Erlang C (no patience), Erlang A (exponential
//! patience) or, with `lines`, the M/M/c/K(+M) chain (Erlang B when the lines equal the agents);
//! with several classes of one exponential handle time and no patience, M/M/c with
//! non-preemptive priorities (Cobham's formula).

use crate::dist::DurationDist;
use crate::kpi::Kpi;
use crate::model::{Arrivals, Scenario};
use crate::theory::{ErlangA, ErlangC, LineLimited, priority_waits};

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
    /// M/M/c with non-preemptive priority classes (Cobham).
    Priorities,
}

impl ClosedForm {
    /// The name shown in reports.
    pub fn name(self) -> &'static str {
        match self {
            ClosedForm::ErlangC => "Erlang C",
            ClosedForm::ErlangA => "Erlang A",
            ClosedForm::ErlangB => "Erlang B",
            ClosedForm::LineLimited => "M/M/c/K",
            ClosedForm::Priorities => "Priorities",
        }
    }
}

/// What a closed form says about a scenario: the model, and the exact steady-state values of
/// the KPIs it gives, overall and (for priority classes) per class.
#[derive(Debug, Clone, PartialEq)]
pub struct Theory {
    /// The closed form that applies.
    pub form: ClosedForm,
    /// Exact values for all callers.
    pub overall: Vec<(Kpi, f64)>,
    /// Exact values per caller class, in scenario order (empty when the form says nothing
    /// per class: one class).
    pub by_class: Vec<Vec<(Kpi, f64)>>,
}

/// The exact steady-state values of the KPIs a closed form gives, if one applies.
pub fn theory(scenario: &Scenario) -> Option<Theory> {
    let Arrivals::Constant { rate_per_s: lambda } = scenario.arrivals else {
        return None;
    };
    let floor = &scenario.floor;
    let plain_class = |class: &crate::model::CallerClass| {
        class.after_call_work.is_none()
            && class.follow_up.is_none()
            && class.first_contact_resolution == 1.0
            && class.redial.is_none()
            && class.balking.is_none()
            && class.misroute.is_none()
    };
    let plain = scenario.day_noise_cv == 0.0
        && scenario.callers.iter().all(plain_class)
        && scenario.callbacks.is_none()
        && scenario.outbound.is_none()
        && scenario.back_office.is_none()
        && !scenario.agents.rostered()
        && scenario.agents.outages.is_empty()
        && scenario.agents.departments.len() <= 1
        && scenario.department_lines.is_empty()
        && floor.managers.is_empty()
        && !floor.slack_possible()
        && floor.behaviour.iter().all(|b| b.pace == 1.0);
    if !plain {
        return None;
    }
    let class = match scenario.callers.as_slice() {
        [class] => class,
        several => return priorities(scenario, several, lambda),
    };
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
                return Some(Theory::overall(ClosedForm::ErlangB, kpis));
            }
            Some(Theory::overall(ClosedForm::LineLimited, kpis))
        }
        None if theta == 0.0 => {
            let e = ErlangC::new(c, lambda, mu)?;
            let mut kpis = erlang_c_queue(&e);
            kpis.insert(0, (Kpi::ServiceLevel, e.service_level(t)));
            Some(Theory::overall(ClosedForm::ErlangC, kpis))
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
            Some(Theory::overall(ClosedForm::ErlangA, kpis))
        }
    }
}

impl Theory {
    fn overall(form: ClosedForm, overall: Vec<(Kpi, f64)>) -> Self {
        Self {
            form,
            overall,
            by_class: Vec::new(),
        }
    }
}

/// Several classes on one team: M/M/c with non-preemptive priorities when every class has
/// the same exponential handle time and nobody hangs up (Cobham's formula; classes of equal
/// priority form one first-come-first-served level). Overall, the queue is Erlang C's (with
/// one service rate the order of service does not change how many wait); per class, the mean
/// wait is Cobham's and P(wait) is Erlang C's (an arriving caller waits when every agent is
/// busy, whatever the class).
fn priorities(
    scenario: &Scenario,
    classes: &[crate::model::CallerClass],
    lambda: f64,
) -> Option<Theory> {
    if scenario.lines.is_some() || classes.iter().any(|c| c.patience.is_some()) {
        return None;
    }
    let mut handle = None;
    for c in classes {
        let DurationDist::Exponential { mean } = c.handle_time else {
            return None;
        };
        if handle.is_some_and(|h| h != mean) {
            return None;
        }
        handle = Some(mean);
    }
    let mu = 1.0 / handle?;
    let c = scenario.agents.count;
    let e = ErlangC::new(c, lambda, mu)?;
    // Levels, highest priority first, and the arrival rate of each.
    let mut levels: Vec<i32> = classes.iter().map(|k| k.priority).collect();
    levels.sort_unstable_by(|a, b| b.cmp(a));
    levels.dedup();
    let rates: Vec<f64> = levels
        .iter()
        .map(|p| {
            classes
                .iter()
                .filter(|k| k.priority == *p)
                .map(|k| k.share * lambda)
                .sum()
        })
        .collect();
    let waits = priority_waits(c, &rates, mu)?;
    let by_class = classes
        .iter()
        .map(|k| {
            let level = levels.iter().position(|p| *p == k.priority).unwrap_or(0);
            vec![(Kpi::AsaS, waits[level]), (Kpi::PWait, e.p_wait)]
        })
        .collect();
    Some(Theory {
        form: ClosedForm::Priorities,
        // The order of service changes the distribution of waits (so the service level), not
        // how many wait or how long on average.
        overall: erlang_c_queue(&e),
        by_class,
    })
}

/// What Erlang C says about the queue as a whole, whatever the order of service among
/// callers of one service rate.
fn erlang_c_queue(e: &ErlangC) -> Vec<(Kpi, f64)> {
    vec![
        (Kpi::AbandonmentRate, 0.0),
        (Kpi::AsaS, e.mean_wait_s),
        (Kpi::MeanWaitS, e.mean_wait_s),
        (Kpi::PWait, e.p_wait),
        (Kpi::Occupancy, e.occupancy),
        (Kpi::QueueLengthMean, e.queue_length_mean),
    ]
}
