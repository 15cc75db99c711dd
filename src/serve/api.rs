//! The API's handlers. Each takes the scenario as text from the page, validates it exactly as
//! the command line does, and answers with the command line's own bytes (JSON, CSV, HTML), so
//! a page's download equals `callsim run --json` on the same file and seed.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::App;
use super::knobs::{self, line_of};
use super::templates::{TEMPLATES, source_of};
use super::work::{self, Job};
use crate::experiment::{self, RunError, RunOptions, Variant};
use crate::scenario::{self, Attachments, LoadedScenario, ScenarioError};

/// A problem, as the page shows it: a message, and the key and line it concerns if any.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Problem {
    pub message: String,
    pub key: Option<String>,
    pub line: Option<usize>,
}

/// An answer that is a problem, with its HTTP status.
#[derive(Debug)]
pub(super) struct ApiError(pub StatusCode, pub Problem);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

/// A problem that concerns no key.
pub(super) fn problem(status: StatusCode, message: impl Into<String>) -> ApiError {
    ApiError(
        status,
        Problem {
            message: message.into(),
            key: None,
            line: None,
        },
    )
}

/// What the page sends: the editor's text and the knobs' overrides, and per endpoint a few
/// more fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScenarioRequest {
    /// The scenario's TOML text.
    scenario: String,
    /// The template it came from (`scenarios/default.toml`), a name for the results only.
    #[serde(default)]
    source: Option<String>,
    /// `key=value` overrides, as `--set` takes them.
    #[serde(default)]
    overrides: Vec<String>,
    /// Replications instead of the scenario's.
    #[serde(default)]
    replications: Option<u32>,
    /// Seed instead of the scenario's.
    #[serde(default)]
    seed: Option<u64>,
    /// `compare`: the variant's overrides, on top of `overrides`.
    #[serde(default)]
    variant: Vec<String>,
    /// `restyle`: the manager's index.
    #[serde(default)]
    manager: Option<usize>,
    /// `restyle`: the new style.
    #[serde(default)]
    style: Option<String>,
}

/// Most overrides, and longest override or source name, a request may carry.
const MAX_OVERRIDES: usize = 200;
const MAX_OVERRIDE_CHARS: usize = 4096;
const MAX_SOURCE_CHARS: usize = 200;

/// The request's JSON, or a problem the page can show (a body too large is 413).
fn body(
    request: Result<Json<ScenarioRequest>, JsonRejection>,
) -> Result<ScenarioRequest, ApiError> {
    request.map(|Json(r)| r).map_err(|e| {
        let status = e.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!(
                "the request is larger than {} MiB, which no scenario is",
                super::MAX_BODY_BYTES >> 20
            )
        } else {
            format!("not a request this server understands: {}", e.body_text())
        };
        problem(status, message)
    })
}

/// The problem of a scenario that does not validate, placed at its key's line.
fn scenario_problem(e: ScenarioError, text: &str) -> ApiError {
    let message = e.to_string();
    let (key, line) = match &e {
        ScenarioError::Invalid { key, .. } => (Some(key.clone()), line_of(text, key)),
        ScenarioError::Syntax { message, .. } => (
            None,
            message
                .strip_prefix("line ")
                .and_then(|m| m.split(',').next())
                .and_then(|n| n.parse().ok()),
        ),
        // The knob that made the override is found by its key.
        ScenarioError::Override { arg, .. } => (
            Some(
                arg.split_once('=')
                    .map_or(arg.as_str(), |(k, _)| k.trim())
                    .to_string(),
            ),
            None,
        ),
        ScenarioError::Read { .. } => (None, None),
    };
    ApiError(
        StatusCode::UNPROCESSABLE_ENTITY,
        Problem { message, key, line },
    )
}

/// The request's scenario, validated; forecasts come from the templates' files only.
fn load(app: &App, r: &ScenarioRequest, extra: &[String]) -> Result<LoadedScenario, ApiError> {
    let unprocessable = |m: String| problem(StatusCode::UNPROCESSABLE_ENTITY, m);
    let overrides: Vec<String> = r.overrides.iter().chain(extra).cloned().collect();
    if overrides.len() > MAX_OVERRIDES {
        return Err(unprocessable(format!(
            "{} overrides: allowed at most {MAX_OVERRIDES}",
            overrides.len()
        )));
    }
    if let Some(long) = overrides
        .iter()
        .find(|o| o.chars().count() > MAX_OVERRIDE_CHARS)
    {
        let start: String = long.chars().take(40).collect();
        return Err(unprocessable(format!(
            "the override {start:?}... is longer than {MAX_OVERRIDE_CHARS} characters"
        )));
    }
    let source = match &r.source {
        None => source_of(TEMPLATES[0].file),
        Some(s) if s.chars().count() <= MAX_SOURCE_CHARS && !s.chars().any(char::is_control) => {
            s.clone()
        }
        Some(_) => {
            return Err(unprocessable(format!(
                "source: allowed a name of at most {MAX_SOURCE_CHARS} characters without control characters"
            )));
        }
    };
    scenario::load_text(
        &r.scenario,
        &source,
        &overrides,
        Attachments::Given(&app.attachments),
    )
    .map_err(|e| scenario_problem(e, &r.scenario))
}

/// `GET /api/templates`: every template's file, source name, scenario name and text.
pub(super) async fn templates() -> Json<Value> {
    let list: Vec<Value> = TEMPLATES
        .iter()
        .map(|t| {
            let name = toml::from_str::<toml::Table>(t.text)
                .ok()
                .and_then(|table| table.get("name")?.as_str().map(str::to_string))
                .unwrap_or_else(|| t.file.to_string());
            json!({ "file": t.file, "source": source_of(t.file), "name": name, "text": t.text })
        })
        .collect();
    Json(json!({ "templates": list }))
}

/// `POST /api/validate`: `{ ok, name, replications, seed, horizon_s, knobs }`, or the problem
/// at its key (422).
pub(super) async fn validate(
    State(app): State<Arc<App>>,
    request: Result<Json<ScenarioRequest>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let r = body(request)?;
    let loaded = load(&app, &r, &[])?;
    let table: toml::Table = toml::from_str(&r.scenario).unwrap_or_default();
    let s = &loaded.scenario;
    Ok(Json(json!({
        "ok": true,
        "name": s.name,
        "replications": s.replications,
        "seed": s.seed,
        "horizon_s": s.horizon,
        "knobs": knobs::knobs(&table, s),
        "styles": knobs::STYLES,
    })))
}

/// `POST /api/restyle`: the text with manager `manager` switched to `style`.
pub(super) async fn restyle(
    request: Result<Json<ScenarioRequest>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let r = body(request)?;
    let (Some(manager), Some(style)) = (r.manager, r.style.as_deref()) else {
        return Err(problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "restyle needs `manager` (an index) and `style`",
        ));
    };
    let text = knobs::restyle(&r.scenario, manager, style).map_err(|e| {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            Problem {
                message: e.to_string(),
                key: Some(format!("managers[{manager}].style")),
                line: line_of(&r.scenario, &format!("managers[{manager}].style")),
            },
        )
    })?;
    Ok(Json(json!({ "scenario": text })))
}

/// The run's options: the scenario's, with the request's replications and seed, within the
/// server's limits.
fn options(
    app: &App,
    r: &ScenarioRequest,
    s: &crate::model::Scenario,
) -> Result<RunOptions, ApiError> {
    let mut options = RunOptions::from_scenario(s);
    if let Some(n) = r.replications {
        options.replications = n;
    }
    if let Some(seed) = r.seed {
        options.seed = seed;
    }
    let max = app.limits.max_replications;
    if !(2..=max).contains(&options.replications) {
        return Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            Problem {
                message: format!(
                    "{} replications: this server runs 2 to {max} (callsim serve --max-replications)",
                    options.replications
                ),
                key: Some("replications".into()),
                line: line_of(&r.scenario, "replications"),
            },
        ));
    }
    options.details = true;
    experiment::check_memory(s, &options)
        .map_err(|e| problem(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    Ok(options)
}

/// A run's stop, in the page's words.
fn run_problem(e: RunError) -> Problem {
    Problem {
        message: e.to_string(),
        key: None,
        line: None,
    }
}

/// The charts as the page shows them: each name and SVG document.
fn charts_json(charts: &[crate::plot::Rendered]) -> Vec<Value> {
    charts
        .iter()
        .map(|c| json!({ "name": c.name, "svg": c.svg }))
        .collect()
}

/// A file's bytes as the page downloads them (every exporter writes UTF-8).
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `POST /api/run`: progress events, then the result: tables, charts and the files.
pub(super) async fn run(
    State(app): State<Arc<App>>,
    request: Result<Json<ScenarioRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let r = body(request)?;
    let loaded = load(&app, &r, &[])?;
    let options = options(&app, &r, &loaded.scenario)?;
    let job = Job::admit(&app, &loaded.scenario, &options, 1)?;
    Ok(job.stream(move |options, progress| {
        let result = experiment::run(&loaded.scenario, options, progress).map_err(run_problem)?;
        let charts = crate::plot::charts_for_run(&loaded.scenario, &result)
            .map_err(|e| work::internal(format!("cannot draw the charts: {e}")))?;
        Ok(json!({
            "name": result.scenario,
            "source": loaded.source,
            "replications": result.replications,
            "seed": result.seed,
            "warnings": result.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            "tables": crate::report::kpi_tables(&result),
            "charts": charts_json(&charts),
            "files": {
                "result.json": text(crate::report::json(&result, &loaded.source, &loaded.overrides)),
                "kpis.csv": text(crate::report::kpis_csv(&result)),
                "replications.csv": text(crate::report::replications_csv(&result)),
                "intervals.csv": text(crate::report::intervals_csv(&result)),
                "report.html": text(crate::report::html_report(&result, &loaded, &charts)),
            },
        }))
    }))
}

/// `POST /api/compare`: the scenario (base) against it with `variant` overrides, on common
/// random numbers; progress events, then both variants' values and the paired differences.
pub(super) async fn compare(
    State(app): State<Arc<App>>,
    request: Result<Json<ScenarioRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let r = body(request)?;
    if r.variant.is_empty() {
        return Err(problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the variant changes nothing: give it at least one override (key=value)",
        ));
    }
    let base = load(&app, &r, &[])?;
    let changed = load(&app, &r, &r.variant)?;
    let mut options = options(&app, &r, &base.scenario)?;
    options.details = false;
    let variants = vec![
        Variant {
            name: "base".into(),
            source: base.source.clone(),
            scenario: base.scenario.clone(),
        },
        Variant {
            name: "variant".into(),
            // As `callsim compare --variant variant:KEY=VALUE,...` names it.
            source: format!("{} with variant:{}", base.source, r.variant.join(",")),
            scenario: changed.scenario,
        },
    ];
    let job = Job::admit(&app, &base.scenario, &options, 2)?;
    Ok(job.stream(move |options, progress| {
        let c =
            experiment::compare_with_progress(&variants, options, progress).map_err(run_problem)?;
        let charts = crate::plot::charts_for_comparison(&c)
            .map_err(|e| work::internal(format!("cannot draw the charts: {e}")))?;
        Ok(json!({
            "variants": c.variants,
            "replications": c.replications,
            "seed": c.seed,
            "tables": crate::report::comparison_tables(&c),
            "charts": charts_json(&charts),
            "files": {
                "compare.json": text(crate::report::compare_json(&c)),
                "compare.csv": text(crate::report::compare_csv(&c)),
                "compare.html": text(crate::report::html_comparison(&c, &base, &charts)),
            },
        }))
    }))
}

/// `POST /api/trace`: replication 0 of the scenario, for the animated floor.
pub(super) async fn trace(
    State(app): State<Arc<App>>,
    request: Result<Json<ScenarioRequest>, JsonRejection>,
) -> Result<Json<super::Replay>, ApiError> {
    let r = body(request)?;
    let loaded = load(&app, &r, &[])?;
    let seed = r.seed.unwrap_or(loaded.scenario.seed);
    let permit = work::permit(&app)?;
    let replay = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        experiment::trace(&loaded.scenario, seed, 0)
            .map(|t| super::replay(&loaded.scenario.name, &t))
    })
    .await
    .map_err(|_| ApiError(StatusCode::INTERNAL_SERVER_ERROR, work::internal("the trace failed".into())))?
    .map_err(|_| {
        problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "one replication of this scenario is too long to animate (more than {} trace rows): shorten the horizon or lower the arrival rate",
                experiment::MAX_TRACE_ROWS
            ),
        )
    })?;
    Ok(Json(replay))
}

/// Any other path.
pub(super) async fn not_found() -> ApiError {
    problem(StatusCode::NOT_FOUND, "no such page or API")
}
