//! Warnings about inputs and precision, each with a remedy.

use std::fmt;

use super::ExperimentResult;
use crate::kpi::Kpi;
use crate::model::{Arrivals, DAY_S, Scenario, time_of_day_text};
use crate::scenario::units::duration_text;

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
        /// The key that leaves the hours uncovered: `agents.shifts` or `agents.plan`.
        key: &'static str,
        /// Start of the stretch, seconds from midnight.
        from_s: f64,
        /// End of the stretch.
        to_s: f64,
    },
    /// Within a day, the arrival profile and the horizon have different lengths: calls stop
    /// before the horizon (a profile shorter than it), or part of the forecast is never
    /// simulated (a profile longer than it).
    ProfileHorizonMismatch {
        /// Length of the profile (intervals × interval length), seconds.
        profile_s: f64,
        /// The horizon, seconds.
        horizon_s: f64,
    },
    /// A steady-state run whose observation window holds too few relaxation times of the
    /// queue: the start from empty still biases the means.
    ShortWindow {
        /// The observation window (horizon − warm-up), seconds.
        window_s: f64,
        /// The queue's relaxation time estimated from the run, seconds.
        relaxation_s: f64,
        /// Whether the warm-up was chosen from the data (it then removed most of the bias).
        auto: bool,
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
            Warning::UncoveredHours { key, from_s, to_s } => write!(
                f,
                "{key}: nobody is on duty from {} to {} while calls arrive; they wait for \
                 the next shift or give up. Add a shift or cover those hours",
                clock(*from_s),
                clock(*to_s)
            ),
            Warning::ProfileHorizonMismatch {
                profile_s,
                horizon_s,
            } if profile_s < horizon_s => write!(
                f,
                "arrivals.profile covers {} but horizon is {}: no calls arrive in the last {}. \
                 Extend the profile or shorten the horizon",
                duration_text(*profile_s),
                duration_text(*horizon_s),
                duration_text(horizon_s - profile_s)
            ),
            Warning::ProfileHorizonMismatch {
                profile_s,
                horizon_s,
            } => write!(
                f,
                "arrivals.profile covers {} but horizon is {}: the last {} of the forecast are \
                 never simulated. Lengthen the horizon or drop those intervals",
                duration_text(*profile_s),
                duration_text(*horizon_s),
                duration_text(profile_s - horizon_s)
            ),
            Warning::ShortWindow {
                window_s,
                relaxation_s,
                auto,
            } => {
                write!(
                    f,
                    "the observation window ({}) holds only {:.0} relaxation times of this \
                     queue (about {} each, estimated from the spread of the replications); ",
                    duration_text((window_s / 60.0).round() * 60.0),
                    window_s / relaxation_s,
                    duration_text((relaxation_s / 60.0).round().max(1.0) * 60.0),
                )?;
                let needed =
                    duration_text((WINDOW_RELAXATIONS * relaxation_s / 3600.0).ceil() * 3600.0);
                if *auto {
                    write!(
                        f,
                        "the chosen warm-up removes most of the empty start's bias, but so short a \
                         window is fragile. For a steady-state answer make horizon − warmup at \
                         least {needed}"
                    )
                } else {
                    write!(
                        f,
                        "the start from empty biases the means by roughly {:.0} %. For a \
                         steady-state answer make horizon − warmup at least {needed} (or set \
                         warmup = \"auto\" and lengthen the horizon)",
                        100.0 * relaxation_s / window_s
                    )
                }
            }
            Warning::WideInterval { kpi, half_width } => write!(
                f,
                "{kpi} is known only to ±{:.1} percentage points; add replications (the width falls with \
                 the square root of their number)",
                half_width * 100.0
            ),
        }
    }
}

/// A time of day as clock text; the end of a stretch that runs past midnight reads as the
/// next day's time, one that ends at midnight as `24:00`.
fn clock(seconds: f64) -> String {
    if seconds == DAY_S {
        "24:00".into()
    } else {
        time_of_day_text(seconds.rem_euclid(DAY_S))
    }
}

/// Stretches of the day (merged) when calls arrive and no shift is on duty.
pub fn uncovered_hours(scenario: &Scenario) -> Vec<(f64, f64)> {
    let closed = scenario.agents.closed_hours();
    if closed.is_empty() {
        return Vec::new();
    }
    let (length, rates): (f64, Vec<f64>) = match &scenario.arrivals {
        Arrivals::Constant { rate_per_s } => (DAY_S, vec![*rate_per_s]),
        Arrivals::Profile {
            interval_s,
            rates_per_s,
            ..
        } => (*interval_s, rates_per_s.clone()),
    };
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (a, b) in closed {
        for (i, &rate) in rates.iter().enumerate() {
            // Calls arrive only before the horizon (a run of less than a day).
            let (from, to) = (
                a.max(i as f64 * length),
                b.min((i + 1) as f64 * length).min(scenario.horizon),
            );
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

/// A profile whose length differs from a horizon shorter than a day. (Over several days the
/// profile repeats daily, and a profile shorter than a day is a center closed at night.)
fn profile_against_horizon(scenario: &Scenario) -> Option<Warning> {
    let Arrivals::Profile {
        interval_s,
        rates_per_s,
        ..
    } = &scenario.arrivals
    else {
        return None;
    };
    let profile_s = interval_s * rates_per_s.len() as f64;
    let horizon_s = scenario.horizon;
    // Rounding of interval lengths (e.g. "20m" × 72) is not a mismatch.
    (horizon_s < DAY_S && (profile_s - horizon_s).abs() > 1.0).then_some(
        Warning::ProfileHorizonMismatch {
            profile_s,
            horizon_s,
        },
    )
}

/// Relaxation times a steady-state window should hold: the bias of a start from empty falls
/// like (relaxation time ÷ window), so this keeps it near 1 %.
pub const WINDOW_RELAXATIONS: f64 = 100.0;

/// Whether `scenario` has a steady state to estimate: a constant rate, a fixed team, nothing
/// that happens at clock times, the same every day.
fn stationary(scenario: &Scenario) -> bool {
    matches!(scenario.arrivals, Arrivals::Constant { .. })
        && !scenario.agents.rostered()
        && scenario.agents.outages.is_empty()
        && scenario.day_noise_cv == 0.0
        && scenario.outbound.is_none()
        && scenario
            .back_office
            .as_ref()
            .is_none_or(|b| b.hours.is_none())
}

/// The short-window warning of a steady-state run with at least 10 replications, from the
/// spread of the replications' ASA and of single waits. A run asks for a steady state when a
/// closed form applies (the theory column compares with one), when its warm-up is chosen
/// from the data, or when it runs longer than a day; a one-day floor with managers and
/// follow-ups is a day, not a steady state, and is left alone.
fn short_window(scenario: &Scenario, result: &ExperimentResult) -> Option<Warning> {
    let steady = result.theory.is_some() || scenario.warmup_auto || scenario.horizon > DAY_S;
    if !steady || !stationary(scenario) || result.replications < 10 {
        return None;
    }
    let asa = result.overall.get(Kpi::AsaS)?;
    let window_s = scenario.horizon - result.warmup_s;
    let relaxation_s =
        super::steady::relaxation_time(window_s, asa.std_dev, result.answered_waits.std_dev_s())?;
    (window_s < WINDOW_RELAXATIONS * relaxation_s).then_some(Warning::ShortWindow {
        window_s,
        relaxation_s,
        auto: scenario.warmup_auto,
    })
}

/// The warnings that apply to `scenario` and its result.
pub fn check(scenario: &Scenario, result: &ExperimentResult) -> Vec<Warning> {
    let mut out = Vec::new();
    for (from, to) in uncovered_hours(scenario) {
        // From the run's clock (which starts at `opens`) to times of day.
        let from_s = (from + scenario.opens_s).rem_euclid(DAY_S);
        out.push(Warning::UncoveredHours {
            key: if scenario.agents.plan.is_some() {
                "agents.plan"
            } else {
                "agents.shifts"
            },
            from_s,
            to_s: from_s + (to - from),
        });
    }
    if let Some(w) = profile_against_horizon(scenario) {
        out.push(w);
    }
    if let Some(w) = short_window(scenario, result) {
        out.push(w);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(horizon: &str, rates: usize) -> Scenario {
        let rates = vec!["\"60/h\""; rates].join(", ");
        crate::scenario::parse(
            &format!(
                "horizon = \"{horizon}\"\n[arrivals]\nprofile = {{ interval = \"1h\", rates = [{rates}] }}\n\
                 [[callers]]\nhandle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n[agents]\ncount = 3\n"
            ),
            "t.toml",
            &[],
        )
        .unwrap()
    }

    /// Issue #16, item 3: a profile and a horizon of different lengths are told, both named.
    #[test]
    fn a_profile_shorter_or_longer_than_the_horizon_is_a_warning() {
        let short = profile_against_horizon(&day("10h", 8)).unwrap().to_string();
        assert!(
            short.contains("covers 8h")
                && short.contains("horizon is 10h")
                && short.contains("last 2h"),
            "{short}"
        );
        let long = profile_against_horizon(&day("6h", 8)).unwrap().to_string();
        assert!(
            long.contains("never simulated") && long.contains("last 2h"),
            "{long}"
        );
        assert_eq!(profile_against_horizon(&day("8h", 8)), None);
        // Over several days the profile repeats daily: a center closed at night.
        assert_eq!(profile_against_horizon(&day("7d", 12)), None);
    }
}
