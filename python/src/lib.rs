//! `callsim._callsim`: the Rust side of the Python package. It is thin on purpose: scenarios
//! are loaded and validated by the library, runs go through `experiment`, and results come
//! back as the very bytes the CLI writes (JSON, CSV, charts), so the two front ends cannot
//! drift apart. The Python package (`callsim/__init__.py`) turns them into objects, dicts and
//! DataFrames.

mod decide;
mod run;
mod scenario;
mod theory;

use callsim::report;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    _callsim,
    ScenarioError,
    PyException,
    "A scenario or an override that cannot be used."
);
create_exception!(
    _callsim,
    RunFailed,
    PyException,
    "A run that could not finish."
);

/// The version of the Rust library inside.
#[pyfunction]
fn build() -> &'static str {
    report::BUILD
}

#[pymodule]
fn _callsim(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<scenario::Scenario>()?;
    m.add_class::<run::RunResult>()?;
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("RunFailed", m.py().get_type::<RunFailed>())?;
    m.add_function(wrap_pyfunction!(run::run, m)?)?;
    m.add_function(wrap_pyfunction!(run::compare, m)?)?;
    m.add_function(wrap_pyfunction!(run::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(decide::staff, m)?)?;
    m.add_function(wrap_pyfunction!(decide::schedule, m)?)?;
    m.add_function(wrap_pyfunction!(theory::erlang_b, m)?)?;
    m.add_function(wrap_pyfunction!(theory::erlang_c, m)?)?;
    m.add_function(wrap_pyfunction!(theory::erlang_a, m)?)?;
    m.add_function(wrap_pyfunction!(build, m)?)?;
    Ok(())
}
