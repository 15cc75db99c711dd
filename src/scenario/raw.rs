//! A serde mirror of the scenario file. Nothing here is checked beyond its type; see `validate`.

use serde::Deserialize;

use super::units::{PerSecond, Seconds};

/// The whole file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    pub seed: Option<i64>,
    pub replications: Option<i64>,
    pub horizon: Seconds,
    pub warmup: Option<Seconds>,
    pub service_level_threshold: Option<Seconds>,
    pub arrivals: RawArrivals,
    pub callers: Vec<RawCaller>,
    pub agents: RawAgents,
}

/// `[arrivals]`: exactly one of `rate` and `profile`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    pub rate: Option<PerSecond>,
    pub profile: Option<RawProfile>,
}

/// `profile = { interval = "30m", rates = [...] }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub interval: Seconds,
    pub rates: Vec<PerSecond>,
}

/// One `[[callers]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCaller {
    pub name: Option<String>,
    pub share: Option<f64>,
    pub priority: Option<i64>,
    pub patience: Option<RawDist>,
    pub handle_time: RawDist,
    pub after_call_work: Option<RawDist>,
}

/// `[agents]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgents {
    pub count: i64,
}

/// `{ dist = "...", ... }`: every parameter any family takes; validation checks which apply.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub dist: String,
    pub mean: Option<Seconds>,
    pub cv: Option<f64>,
    pub min: Option<Seconds>,
    pub max: Option<Seconds>,
    pub value: Option<Seconds>,
    pub values: Option<Vec<Seconds>>,
}
