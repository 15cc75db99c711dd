//! `callsim._callsim`: the Rust side of the Python package. It is thin on purpose: scenarios
//! are loaded and validated by the library, runs go through `experiment`, and results come
//! back as the very bytes the CLI writes (JSON, CSV, charts), so the two front ends cannot
//! drift apart. The Python package (`callsim/__init__.py`) turns them into objects, dicts and
//! DataFrames.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use callsim::experiment::{self, RunError, RunOptions, SimulatedClock, SweepPoint, Variant};
use callsim::scenario::{self, Attachments, LoadedScenario, ScenarioError as RustScenarioError};
use callsim::{plot, report, theory};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

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

/// Where a scenario's text came from: a file (read again with each set of overrides, as the
/// CLI does) or a string.
#[derive(Clone)]
enum Origin {
    File(PathBuf),
    Default,
    Text { text: String, name: String },
}

/// A validated scenario with its overrides.
#[pyclass(module = "callsim._callsim", frozen)]
#[derive(Clone)]
struct Scenario {
    origin: Origin,
    loaded: Arc<LoadedScenario>,
}

/// The value at dotted `key` (`callers[0].patience.mean`) as the user wrote it: from the
/// last override that sets it, else from the scenario text.
fn value_at(text: &str, overrides: &[String], key: &str) -> Option<String> {
    let key = key.trim_start_matches("key ").trim_matches('`');
    if let Some(v) = overrides.iter().rev().find_map(|o| {
        let (k, v) = o.split_once('=')?;
        (k.trim() == key).then(|| v.trim().to_string())
    }) {
        return Some(v);
    }
    let mut value = toml::Value::Table(toml::from_str::<toml::Table>(text).ok()?);
    for part in key.split('.') {
        let (name, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            value = value.get(name)?.clone();
        }
        for index in indices.split(['[', ']']).filter(|s| !s.is_empty()) {
            value = value.get(index.parse::<usize>().ok()?)?.clone();
        }
    }
    Some(value.to_string())
}

fn scenario_error(py: Python<'_>, e: RustScenarioError, text: &str, overrides: &[String]) -> PyErr {
    let (file, key, message) = match &e {
        RustScenarioError::Read { file, .. } | RustScenarioError::Syntax { file, .. } => {
            (Some(file.clone()), None, e.to_string())
        }
        RustScenarioError::Invalid { file, key, message } => {
            (Some(file.clone()), Some(key.clone()), message.clone())
        }
        RustScenarioError::Override { arg, message } => {
            let key = arg.split_once('=').map_or(arg.as_str(), |(k, _)| k.trim());
            (None, Some(key.to_string()), message.clone())
        }
    };
    let err = ScenarioError::new_err(e.to_string());
    let value = err.value(py);
    let _ = value.setattr("file", file);
    let _ = value.setattr("key", key.clone());
    let _ = value.setattr(
        "value",
        key.as_deref().and_then(|k| value_at(text, overrides, k)),
    );
    let _ = value.setattr("reason", message);
    err
}

fn load(py: Python<'_>, origin: &Origin, overrides: &[String]) -> PyResult<Scenario> {
    // Read again only for the error's value, and only as far as a scenario may be long.
    let text = || match origin {
        Origin::File(path) => std::fs::File::open(path)
            .ok()
            .and_then(|f| {
                let mut text = String::new();
                std::io::Read::read_to_string(
                    &mut std::io::Read::take(f, scenario::MAX_SCENARIO_BYTES),
                    &mut text,
                )
                .ok()
                .map(|_| text)
            })
            .unwrap_or_default(),
        Origin::Default => String::new(),
        Origin::Text { text, .. } => text.clone(),
    };
    let loaded = match origin {
        Origin::File(path) => scenario::load(Some(path), overrides),
        Origin::Default => scenario::load(None, overrides),
        Origin::Text { text, name } => {
            scenario::parse_with(text, name, overrides, Attachments::Disk).map(
                |(scenario, attachments)| LoadedScenario {
                    scenario,
                    source: name.clone(),
                    text: text.clone(),
                    overrides: overrides.to_vec(),
                    attachments,
                },
            )
        }
    }
    .map_err(|e| scenario_error(py, e, &text(), overrides))?;
    Ok(Scenario {
        origin: origin.clone(),
        loaded: Arc::new(loaded),
    })
}

#[pymethods]
impl Scenario {
    /// Loads and validates the scenario file at `path`, with `overrides` (`key=value`, as `--set`).
    #[staticmethod]
    #[pyo3(signature = (path, overrides = Vec::new()))]
    fn from_file(py: Python<'_>, path: PathBuf, overrides: Vec<String>) -> PyResult<Self> {
        load(py, &Origin::File(path), &overrides)
    }

    /// The built-in default scenario (what `callsim run` runs without a file).
    #[staticmethod]
    #[pyo3(signature = (overrides = Vec::new()))]
    fn default(py: Python<'_>, overrides: Vec<String>) -> PyResult<Self> {
        load(py, &Origin::Default, &overrides)
    }

    /// Parses and validates scenario TOML `text`; `name` stands for the file in messages.
    #[staticmethod]
    #[pyo3(signature = (text, name = "<string>".to_string(), overrides = Vec::new()))]
    fn from_toml(
        py: Python<'_>,
        text: String,
        name: String,
        overrides: Vec<String>,
    ) -> PyResult<Self> {
        load(py, &Origin::Text { text, name }, &overrides)
    }

    /// This scenario with `overrides` applied after its own.
    fn with_overrides(&self, py: Python<'_>, overrides: Vec<String>) -> PyResult<Self> {
        let mut all = self.loaded.overrides.clone();
        all.extend(overrides);
        load(py, &self.origin, &all)
    }

    /// The scenario's name.
    #[getter]
    fn name(&self) -> String {
        self.loaded.scenario.name.clone()
    }

    /// Where it came from: the path as given, or the name given to `from_toml`.
    #[getter]
    fn source(&self) -> String {
        self.loaded.source.clone()
    }

    /// The overrides applied, in order.
    #[getter]
    fn overrides(&self) -> Vec<String> {
        self.loaded.overrides.clone()
    }

    /// The scenario's text as read (before overrides).
    #[getter]
    fn text(&self) -> String {
        self.loaded.text.clone()
    }

    /// Replications the scenario asks for.
    #[getter]
    fn replications(&self) -> u32 {
        self.loaded.scenario.replications
    }

    /// The scenario's master seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.loaded.scenario.seed
    }

    fn __repr__(&self) -> String {
        format!(
            "Scenario({:?} from {:?})",
            self.loaded.scenario.name, self.loaded.source
        )
    }
}

/// The run options of `scenario` with the caller's choices, checked as the CLI checks them.
fn options(
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

fn fits(scenario: &Scenario, options: &RunOptions) -> PyResult<()> {
    experiment::check_memory(&scenario.loaded.scenario, options)
        .map_err(|e| RunFailed::new_err(format!("{}: {e}", scenario.loaded.source)))
}

/// Runs `work` on a thread of its own with the GIL released. The calling thread waits for it
/// on a channel, waking every 50 ms to check for Ctrl-C: on an interrupt the run is asked to
/// stop, and `KeyboardInterrupt` is raised once it has. A finished run is noticed at once.
fn interruptible<T: Send>(
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
struct RunResult {
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
fn run(
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
fn compare<'py>(
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
fn sweep<'py>(
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

/// A staffing target, checked as the CLI's `--service-level`, `--within` and `--max-abandon`.
fn target(
    service_level: f64,
    within_s: f64,
    max_abandon: Option<f64>,
) -> PyResult<experiment::StaffTarget> {
    if !(service_level > 0.0 && service_level < 1.0) {
        return Err(PyValueError::new_err(format!(
            "service_level={service_level}: allowed a share between 0 and 1, both excluded (e.g. 0.8)"
        )));
    }
    if !(within_s >= 0.0 && within_s.is_finite()) {
        return Err(PyValueError::new_err(format!(
            "within_s={within_s}: allowed seconds, 0 or more"
        )));
    }
    if let Some(m) = max_abandon
        && !(m > 0.0 && m < 1.0)
    {
        return Err(PyValueError::new_err(format!(
            "max_abandon={m}: allowed a share between 0 and 1, both excluded (e.g. 0.05)"
        )));
    }
    Ok(experiment::StaffTarget {
        service_level,
        within_s,
        max_abandon,
    })
}

/// A decision's JSON, its table, its CSV and whether it meets the target everywhere.
type DecisionOutput<'py> = (Bound<'py, PyBytes>, String, Bound<'py, PyBytes>, bool);

/// The fewest agents per period that meet the target (`callsim staff`): `method` is `"day"`
/// (the whole day simulated, the default) or `"sipp"` (each period on its own).
#[pyfunction]
#[pyo3(signature = (scenario, service_level = 0.8, within_s = 20.0, max_abandon = None, method = "day", replications = None, seed = None, threads = None))]
#[allow(clippy::too_many_arguments)]
fn staff<'py>(
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
    let mut options = options(scenario, replications, seed, threads)?;
    fits(scenario, &options)?;
    options.details = false;
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
fn schedule<'py>(
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
    let mut options = options(scenario, replications, seed, threads)?;
    fits(scenario, &options)?;
    options.details = false;
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

/// P(blocked) in M/M/c/c (Erlang B) for `agents` servers and offered load `load` (Erlangs).
#[pyfunction]
fn erlang_b(agents: u32, load: f64) -> PyResult<f64> {
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
fn erlang_c(
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
fn erlang_a(
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

/// The version of the Rust library inside.
#[pyfunction]
fn build() -> &'static str {
    report::BUILD
}

#[pymodule]
fn _callsim(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Scenario>()?;
    m.add_class::<RunResult>()?;
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("RunFailed", m.py().get_type::<RunFailed>())?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(staff, m)?)?;
    m.add_function(wrap_pyfunction!(schedule, m)?)?;
    m.add_function(wrap_pyfunction!(erlang_b, m)?)?;
    m.add_function(wrap_pyfunction!(erlang_c, m)?)?;
    m.add_function(wrap_pyfunction!(erlang_a, m)?)?;
    m.add_function(wrap_pyfunction!(build, m)?)?;
    Ok(())
}
