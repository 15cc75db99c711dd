//! Erlang B, C and A: the library's formulas, for students and quick checks.

use callsim::theory;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// P(blocked) in M/M/c/c (Erlang B) for `agents` servers and offered load `load` (Erlangs).
#[pyfunction]
pub(crate) fn erlang_b(agents: u32, load: f64) -> PyResult<f64> {
    if !(load >= 0.0 && load.is_finite()) {
        return Err(PyValueError::new_err(format!(
            "load={load}: allowed a finite number, 0 or more"
        )));
    }
    Ok(theory::erlang_b(agents, load))
}

/// Erlang C figures (M/M/c): a dict, or `None` when the queue is unstable.
#[pyfunction]
#[pyo3(signature = (agents, arrival_rate, service_rate, threshold_s = 20.0))]
pub(crate) fn erlang_c(
    agents: u32,
    arrival_rate: f64,
    service_rate: f64,
    threshold_s: f64,
) -> Option<Vec<(&'static str, f64)>> {
    let c = theory::ErlangC::new(agents, arrival_rate, service_rate)?;
    Some(vec![
        ("p_wait", c.p_wait),
        ("mean_wait_s", c.mean_wait_s),
        ("mean_wait_if_waiting_s", c.mean_wait_if_waiting_s),
        ("occupancy", c.occupancy),
        ("queue_length_mean", c.queue_length_mean),
        ("service_level", c.service_level(threshold_s)),
    ])
}

/// Erlang A figures (M/M/c+M, exponential patience of mean 1/`abandon_rate`): a dict, or
/// `None` for inputs it cannot take.
#[pyfunction]
#[pyo3(signature = (agents, arrival_rate, service_rate, abandon_rate, threshold_s = 20.0))]
pub(crate) fn erlang_a(
    agents: u32,
    arrival_rate: f64,
    service_rate: f64,
    abandon_rate: f64,
    threshold_s: f64,
) -> Option<Vec<(&'static str, f64)>> {
    let a = theory::ErlangA::new(agents, arrival_rate, service_rate, abandon_rate)?;
    Some(vec![
        ("p_wait", a.p_wait),
        ("p_abandon", a.p_abandon),
        ("mean_wait_s", a.mean_wait_s),
        ("asa_s", a.asa_s),
        ("queue_length_mean", a.queue_length_mean),
        ("occupancy", a.occupancy),
        ("service_level", a.service_level(threshold_s)),
    ])
}
