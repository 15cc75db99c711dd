//! `Scenario`: a validated scenario with its overrides, loaded by the library as the CLI loads
//! it, and `ScenarioError`s that carry the file, the key and the value as written.

use std::path::PathBuf;
use std::sync::Arc;

use callsim::scenario::{self, Attachments, LoadedScenario, ScenarioError as RustScenarioError};
use pyo3::prelude::*;

use crate::ScenarioError;

/// Where a scenario's text came from: a file (read again with each set of overrides, as the
/// CLI does) or a string.
#[derive(Clone)]
pub(crate) enum Origin {
    File(PathBuf),
    Default,
    Text { text: String, name: String },
}

/// A validated scenario with its overrides.
#[pyclass(module = "callsim._callsim", frozen)]
#[derive(Clone)]
pub(crate) struct Scenario {
    pub(crate) origin: Origin,
    pub(crate) loaded: Arc<LoadedScenario>,
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
        Origin::File(path) => scenario::read_capped(path).unwrap_or_default(),
        Origin::Default => String::new(),
        Origin::Text { text, .. } => text.clone(),
    };
    let loaded = match origin {
        Origin::File(path) => scenario::load(Some(path), overrides),
        Origin::Default => scenario::load(None, overrides),
        Origin::Text { text, name } => {
            scenario::load_text(text, name, overrides, Attachments::Disk)
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
    pub(crate) fn with_overrides(&self, py: Python<'_>, overrides: Vec<String>) -> PyResult<Self> {
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
