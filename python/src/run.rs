//! Runs, comparisons and sweeps: options checked as the CLI checks them, the work on a thread
//! of its own with the GIL released, and results as the bytes the CLI writes.

use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use callsim::experiment::{self, RunError, RunOptions, SimulatedClock, SweepPoint, Variant};
use callsim::{plot, report, scenario};
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::RunFailed;
use crate::scenario::Scenario;

/// The run options of `scenario` with the caller's choices, checked as the CLI checks them.
pub(crate) fn options(
    scenario: &Scenario,
    replications: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<RunOptions> {
    let mut options = RunOptions::from_scenario(&scenario.loaded.scenario);
    if let Some(r) = replications {
        options.replications = r;
    }
    if let Some(s) = seed {
        options.seed = s;
    }
    if options.replications == 0 || i64::from(options.replications) > scenario::MAX_REPLICATIONS {
        return Err(PyValueError::new_err(format!(
            "replications={}: allowed 1 to {}",
            options.replications,
            scenario::MAX_REPLICATIONS
        )));
    }
    if threads == Some(0) {
        return Err(PyValueError::new_err(
            "threads=0: allowed 1 or more, or None for every core",
        ));
    }
    options.threads = threads;
    options.details = true;
    Ok(options)
}

pub(crate) fn fits(scenario: &Scenario, options: &RunOptions) -> PyResult<()> {
    experiment::check_memory(&scenario.loaded.scenario, options)
        .map_err(|e| RunFailed::new_err(format!("{}: {e}", scenario.loaded.source)))
}

/// Runs `work` on a thread of its own with the GIL released. The calling thread waits for it
/// on a channel, waking every 50 ms to check for Ctrl-C: on an interrupt the run is asked to
/// stop, and `KeyboardInterrupt` is raised once it has. A finished run is noticed at once.
pub(crate) fn interruptible<T: Send>(
    py: Python<'_>,
    options: &mut RunOptions,
    work: impl FnOnce(&RunOptions) -> Result<T, RunError> + Send,
) -> PyResult<T> {
    let clock = Arc::new(SimulatedClock::default());
    options.clock = Some(Arc::clone(&clock));
    let options = &*options;
    std::thread::scope(|s| {
        let (done, finished) = std::sync::mpsc::channel();
        let worker = s.spawn(move || {
            // The receiver lives until the scope ends: the send cannot fail.
            let _ = done.send(work(options));
        });
        let mut finished = finished;
        let outcome = loop {
            // The receiver goes into the GIL-free closure and comes back (it is not `Sync`).
            let (got, back) = py.detach(move || {
                let got = finished.recv_timeout(Duration::from_millis(50));
                (got, finished)
            });
            finished = back;
            match got {
                Ok(outcome) => break Some(outcome),
                Err(RecvTimeoutError::Disconnected) => break None,
                Err(RecvTimeoutError::Timeout) => {
                    if let Err(e) = py.check_signals() {
                        clock.request_stop();
                        let _ = py.detach(|| worker.join());
                        return Err(e);
                    }
                }
            }
        };
        match outcome {
            Some(Ok(t)) => Ok(t),
            Some(Err(RunError::Stopped)) => Err(PyKeyboardInterrupt::new_err("stopped")),
            Some(Err(e)) => Err(RunFailed::new_err(e.to_string())),
            None => Err(PyRuntimeError::new_err("the simulation thread panicked")),
        }
    })
}

/// The result of a run, as the CLI would write it.
#[pyclass(module = "callsim._callsim", frozen)]
pub(crate) struct RunResult {
    scenario: Scenario,
    result: experiment::ExperimentResult,
}

#[pymethods]
impl RunResult {
    /// The JSON the CLI's `--json` writes, byte for byte.
    fn json<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let l = &self.scenario.loaded;
        PyBytes::new(py, &report::json(&self.result, &l.source, &l.overrides))
    }

    /// `kpis.csv`, `replications.csv` or `intervals.csv`, as `--csv` writes them.
    fn csv<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = match name {
            "kpis" => report::kpis_csv(&self.result),
            "replications" => report::replications_csv(&self.result),
            "intervals" => report::intervals_csv(&self.result),
            other => {
                return Err(PyValueError::new_err(format!(
                    "csv {other:?}: allowed \"kpis\", \"replications\" or \"intervals\""
                )));
            }
        };
        Ok(PyBytes::new(py, &bytes))
    }

    /// The terminal table of `callsim run`.
    fn table(&self) -> String {
        let l = &self.scenario.loaded;
        report::table(&self.result, &l.source, &l.overrides)
    }

    /// The HTML report of `--report`.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let charts = self.charts_rendered()?;
        Ok(PyBytes::new(
            py,
            &report::html_report(&self.result, &self.scenario.loaded, &charts),
        ))
    }

    /// Every chart of `--plots`: (name, PNG bytes, SVG text).
    fn charts<'py>(&self, py: Python<'py>) -> PyResult<Vec<(String, Bound<'py, PyBytes>, String)>> {
        Ok(self
            .charts_rendered()?
            .into_iter()
            .map(|c| (c.name, PyBytes::new(py, &c.png), c.svg))
            .collect())
    }

    /// The warnings of the run, as the CLI prints them.
    fn warnings(&self) -> Vec<String> {
        self.result
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect()
    }
}

impl RunResult {
    fn charts_rendered(&self) -> PyResult<Vec<plot::Rendered>> {
        plot::charts_for_run(&self.scenario.loaded.scenario, &self.result)
            .map_err(|e| RunFailed::new_err(format!("cannot draw the charts: {e}")))
    }
}

/// Runs `scenario`, with the GIL released and replications in parallel.
#[pyfunction]
#[pyo3(signature = (scenario, replications = None, seed = None, threads = None))]
pub(crate) fn run(
    py: Python<'_>,
    scenario: &Scenario,
    replications: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<RunResult> {
    let mut options = options(scenario, replications, seed, threads)?;
    fits(scenario, &options)?;
    let s = &scenario.loaded.scenario;
    let result = interruptible(py, &mut options, |o| experiment::run(s, o, &|_, _| {}))?;
    Ok(RunResult {
        scenario: scenario.clone(),
        result,
    })
}

/// Compares `variants` ((name, scenario, source as reports show it), the base first) on
/// common random numbers: the JSON and the table of `callsim compare`.
#[pyfunction]
#[pyo3(signature = (variants, replications = None, seed = None, threads = None))]
pub(crate) fn compare<'py>(
    py: Python<'py>,
    variants: Vec<(String, Py<Scenario>, String)>,
    replications: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<(Bound<'py, PyBytes>, String)> {
    let variants: Vec<(String, Scenario, String)> = variants
        .into_iter()
        .map(|(name, v, source)| (name, v.get().clone(), source))
        .collect();
    let Some((_, base, _)) = variants.first() else {
        return Err(PyValueError::new_err(
            "compare needs the base and at least one variant",
        ));
    };
    let mut options = options(base, replications, seed, threads)?;
    options.details = false;
    for (_, v, _) in &variants {
        fits(v, &options)?;
    }
    let list: Vec<Variant> = variants
        .iter()
        .map(|(name, v, source)| Variant {
            name: name.clone(),
            source: source.clone(),
            scenario: v.loaded.scenario.clone(),
        })
        .collect();
    let c = interruptible(py, &mut options, |o| experiment::compare(&list, o))?;
    Ok((
        PyBytes::new(py, &report::compare_json(&c)),
        report::compare_table(&c),
    ))
}

/// A sweep's JSON, its table, and its chart (PNG bytes, SVG text) if it could be drawn.
type SweepOutput<'py> = (
    Bound<'py, PyBytes>,
    String,
    Option<(Bound<'py, PyBytes>, String)>,
);

/// Sweeps `key` over `values` (override texts) on common random numbers: the JSON and the
/// table of `callsim sweep`.
#[pyfunction]
#[pyo3(signature = (scenario, key, values, replications = None, seed = None, threads = None))]
pub(crate) fn sweep<'py>(
    py: Python<'py>,
    scenario: &Scenario,
    key: String,
    values: Vec<String>,
    replications: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<SweepOutput<'py>> {
    if values.is_empty() || values.len() > experiment::MAX_SWEEP_POINTS {
        return Err(PyValueError::new_err(format!(
            "values: {} given: allowed 1 to {}",
            values.len(),
            experiment::MAX_SWEEP_POINTS
        )));
    }
    let mut options = options(scenario, replications, seed, threads)?;
    options.details = false;
    let mut points = Vec::with_capacity(values.len());
    for value in values {
        let point = scenario.with_overrides(py, vec![format!("{key}={value}")])?;
        fits(&point, &options)?;
        let label = scenario::time_label(&key, &value, &point.loaded.scenario).unwrap_or(value);
        points.push(SweepPoint {
            value: label,
            scenario: point.loaded.scenario.clone(),
        });
    }
    let result = interruptible(py, &mut options, |o| {
        experiment::sweep(&key, points, o, &|_, _| {})
    })?;
    let chart = plot::render(&plot::SweepChart { sweep: &result })
        .ok()
        .map(|c| (PyBytes::new(py, &c.png), c.svg));
    Ok((
        PyBytes::new(py, &report::sweep_json(&result)),
        report::sweep_table(&result),
        chart,
    ))
}
