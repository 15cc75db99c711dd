//! Decisions: `staff` (the fewest agents per period) and `schedule` (shifts from the integer
//! program), with their targets checked as the CLI checks them.

use callsim::experiment::{self, RunError, TargetPart};
use callsim::report;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::run::{fits, interruptible, options};
use crate::scenario::Scenario;
use crate::{RunFailed, ScenarioError};

/// A staffing target, checked by the library as the CLI's `--service-level`, `--within` and
/// `--max-abandon` are, the part out of range named by its argument.
fn target(
    service_level: f64,
    within_s: f64,
    max_abandon: Option<f64>,
) -> PyResult<experiment::StaffTarget> {
    experiment::StaffTarget::new(service_level, within_s, max_abandon).map_err(|part| {
        PyValueError::new_err(match part {
            TargetPart::ServiceLevel => format!(
                "service_level={service_level}: allowed a share between 0 and 1, both excluded \
                 (e.g. 0.8)"
            ),
            TargetPart::Within => format!("within_s={within_s}: allowed seconds, 0 or more"),
            TargetPart::MaxAbandon => format!(
                "max_abandon={}: allowed a share between 0 and 1, both excluded (e.g. 0.05)",
                max_abandon.unwrap_or(f64::NAN)
            ),
        })
    })
}

/// The options of a decision's simulations: checked like a run's, memory included, and
/// without details (a decision reads only the overall KPIs).
fn decision_options(
    scenario: &Scenario,
    replications: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<callsim::experiment::RunOptions> {
    let mut options = options(scenario, replications, seed, threads)?;
    fits(scenario, &options)?;
    options.details = false;
    Ok(options)
}

/// A decision's JSON, its table, its CSV and whether it meets the target everywhere.
type DecisionOutput<'py> = (Bound<'py, PyBytes>, String, Bound<'py, PyBytes>, bool);

/// The fewest agents per period that meet the target (`callsim staff`): `method` is `"day"`
/// (the whole day simulated, the default) or `"sipp"` (each period on its own).
#[pyfunction]
#[pyo3(signature = (scenario, service_level = 0.8, within_s = 20.0, max_abandon = None, method = "day", replications = None, seed = None, threads = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn staff<'py>(
    py: Python<'py>,
    scenario: &Scenario,
    service_level: f64,
    within_s: f64,
    max_abandon: Option<f64>,
    method: &str,
    replications: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<DecisionOutput<'py>> {
    let target = target(service_level, within_s, max_abandon)?;
    let mut options = decision_options(scenario, replications, seed, threads)?;
    let s = &scenario.loaded.scenario;
    let (periods, method) = match method {
        "sipp" => (
            interruptible(py, &mut options, |o| {
                experiment::staff(s, &target, o, &|_, _| {})
            })?,
            experiment::StaffMethod::Sipp,
        ),
        "day" => {
            if let callsim::model::Arrivals::Profile { interval_s, .. } = &s.arrivals
                && !callsim::model::Plan::fits_a_day(*interval_s)
            {
                return Err(PyValueError::new_err(
                    "method=\"day\": the day method staffs a profile whose interval divides a \
                     day: use method=\"sipp\"",
                ));
            }
            interruptible(py, &mut options, |o| {
                experiment::staff_day(s, &target, o, &|_, _| {})
            })?
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "method={other:?}: allowed \"day\" or \"sipp\""
            )));
        }
    };
    let clock = s.clock();
    let met = periods
        .iter()
        .all(|p| p.rate_per_s == 0.0 || p.staffed.is_some());
    Ok((
        PyBytes::new(py, &report::staff_json(&periods, &target, method, clock)),
        report::staff_table(&periods, &target, options.replications, method, clock),
        PyBytes::new(py, &report::staff_csv(&periods, clock)),
        met,
    ))
}

/// Shifts of the scenario's `[scheduling]` patterns that meet the target (`callsim
/// schedule`): `method` is `"day"` (repaired by simulating the roster, the default),
/// `"sipp"` or `"erlang-c"` (covered once, not repaired).
#[pyfunction]
#[pyo3(signature = (scenario, service_level = 0.8, within_s = 20.0, max_abandon = None, method = "day", replications = None, seed = None, threads = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn schedule<'py>(
    py: Python<'py>,
    scenario: &Scenario,
    service_level: f64,
    within_s: f64,
    max_abandon: Option<f64>,
    method: &str,
    replications: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<DecisionOutput<'py>> {
    use experiment::{ScheduleError, ScheduleMethod};
    let target = target(service_level, within_s, max_abandon)?;
    let method = match method {
        "day" => ScheduleMethod::Day,
        "sipp" => ScheduleMethod::Sipp,
        "erlang-c" => ScheduleMethod::ErlangC,
        other => {
            return Err(PyValueError::new_err(format!(
                "method={other:?}: allowed \"day\", \"sipp\" or \"erlang-c\""
            )));
        }
    };
    let mut options = decision_options(scenario, replications, seed, threads)?;
    let s = &scenario.loaded.scenario;
    let mut problem = None;
    let outcome = interruptible(py, &mut options, |o| {
        experiment::schedule(s, &target, o, method).map_err(|e| match e {
            ScheduleError::Run(r) => r,
            other => {
                problem = Some(other);
                RunError::Stopped
            }
        })
    });
    if let Some(p) = problem {
        let source = &scenario.loaded.source;
        let err = match &p {
            ScheduleError::Input(input) => {
                let err = ScenarioError::new_err(format!("{source}: {input}"));
                let value = err.value(py);
                let _ = value.setattr("file", source.clone());
                let _ = value.setattr("key", input.key().to_string());
                let _ = value.setattr("value", py.None());
                let _ = value.setattr("reason", input.to_string());
                err
            }
            other => RunFailed::new_err(format!("{source}: {other}")),
        };
        return Err(err);
    }
    let schedule = outcome?;
    let clock = s.clock();
    let (shifts, _) = report::schedule_csv(&schedule, clock);
    Ok((
        PyBytes::new(py, &report::schedule_json(&schedule, &target, clock)),
        report::schedule_table(&schedule, &target, clock),
        PyBytes::new(py, &shifts),
        schedule.met(),
    ))
}
