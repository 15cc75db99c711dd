//! A serde mirror of the scenario file. Nothing here is checked beyond its type; see `validate`.

use serde::Deserialize;

use super::units::{PerSecond, Seconds, Warmup, When};

/// The whole file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    pub seed: Option<i64>,
    pub opens: Option<When>,
    pub replications: Option<i64>,
    pub horizon: Seconds,
    pub warmup: Option<Warmup>,
    pub service_level_threshold: Option<Seconds>,
    pub report_interval: Option<Seconds>,
    /// A whole number (all lines), or a table of lines per department.
    pub lines: Option<toml::Value>,
    pub arrivals: RawArrivals,
    pub callers: Vec<RawCaller>,
    pub agents: RawAgents,
    #[serde(default)]
    pub managers: Vec<RawManager>,
    pub callbacks: Option<RawCallbacks>,
    pub back_office: Option<RawBackOffice>,
    pub outbound: Option<RawOutbound>,
    pub scheduling: Option<RawScheduling>,
}

/// `[scheduling]`: the shift patterns `callsim schedule` may use.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScheduling {
    pub patterns: Vec<RawPattern>,
}

/// One `patterns = [{ name, length, starts, breaks, cost_per_hour, min, max }]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPattern {
    pub name: Option<String>,
    pub length: Seconds,
    pub starts: RawStarts,
    #[serde(default)]
    pub breaks: Vec<RawBreakWindow>,
    pub cost_per_hour: Option<f64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub days: Option<Vec<i64>>,
}

/// `starts = { from, to, every }`: the times of day a pattern may start.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStarts {
    pub from: When,
    pub to: When,
    pub every: Seconds,
}

/// `breaks = [{ length, within = [earliest, latest] }]`: after the shift's start.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreakWindow {
    pub length: Seconds,
    pub within: Vec<Seconds>,
}

/// `[outbound]`: a campaign blended into idle time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutbound {
    pub enabled: Option<bool>,
    pub list: i64,
    pub start: Option<When>,
    pub contact_probability: f64,
    pub accept_probability: f64,
    pub declines: Option<toml::Table>,
    pub attempt_time: Seconds,
    pub talk_time: RawDist,
    pub max_attempts: Option<i64>,
    pub retry_delay: Option<RawDist>,
    pub keep_idle: Option<i64>,
}

/// `[back_office]`: the team some follow-ups need first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBackOffice {
    pub count: i64,
    pub hours: Option<RawHours>,
}

/// `hours = { start, end }`: daily working hours.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHours {
    pub start: When,
    pub end: When,
}

/// `back_office = { probability, work }` of a follow-up.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBackOfficeStep {
    pub probability: f64,
    pub work: RawDist,
}

/// `[callbacks]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCallbacks {
    pub enabled: Option<bool>,
    pub offer_above: Seconds,
    pub policy: Option<String>,
    pub deadline_margin: Option<Seconds>,
    pub promise: Seconds,
    pub reserved_agents: Option<i64>,
    pub answer_probability: Option<f64>,
    pub attempt_time: Option<Seconds>,
    pub retry_delay: Option<RawDist>,
    pub max_attempts: Option<i64>,
    pub call_again_probability: Option<f64>,
}

/// `redial = { probability, delay, max_attempts }` of a caller class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedial {
    pub probability: f64,
    pub delay: RawDist,
    pub max_attempts: Option<i64>,
}

/// `balking = { above, probability }` of a caller class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBalking {
    pub above: Seconds,
    pub probability: Option<f64>,
}

/// One `outages = [{ start, end }]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutage {
    pub start: When,
    pub end: When,
}

/// `[arrivals]`: exactly one of `rate` and `profile`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    pub rate: Option<PerSecond>,
    pub profile: Option<RawProfile>,
    pub day_noise_cv: Option<f64>,
}

/// `profile = { interval = "30m", rates = [...] }` or `profile = { file = "forecast.csv" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub interval: Option<Seconds>,
    pub rates: Option<Vec<PerSecond>>,
    pub file: Option<String>,
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
    pub first_contact_resolution: Option<f64>,
    pub follow_up: Option<RawFollowUp>,
    pub redial: Option<RawRedial>,
    pub balking: Option<RawBalking>,
    pub callback_acceptance: Option<f64>,
    pub department: Option<String>,
    pub misroute: Option<RawMisroute>,
    pub after_transfer: Option<RawAfterTransfer>,
}

/// `after_transfer = { patience_factor, handle_factor }` of a caller class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAfterTransfer {
    pub patience_factor: Option<f64>,
    pub handle_factor: Option<f64>,
}

/// `follow_up = { promise, work, tolerance, status_call }` of a caller class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFollowUp {
    pub promise: Seconds,
    pub work: RawDist,
    pub tolerance: Option<RawDist>,
    pub status_call: Option<RawDist>,
    pub back_office: Option<RawBackOfficeStep>,
}

/// `[agents]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgents {
    pub count: Option<i64>,
    #[serde(default)]
    pub shifts: Vec<RawShift>,
    pub plan: Option<RawPlan>,
    #[serde(default)]
    pub absences: Vec<RawAbsence>,
    pub handover: Option<String>,
    #[serde(default)]
    pub skills: Vec<RawSkills>,
    pub orientation: Option<RawOrientation>,
    pub follow_up_policy: Option<String>,
    #[serde(default)]
    pub behaviour: RawBehaviours,
    #[serde(default)]
    pub outages: Vec<RawOutage>,
}

/// `plan = { interval, counts }`: agents logged in per interval of the day.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub interval: Seconds,
    pub counts: Vec<i64>,
}

/// One `skills = [{ agents, departments }]` entry: the next `agents` agents in roster order
/// serve these departments, in this order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSkills {
    pub agents: i64,
    pub departments: Vec<String>,
}

/// `misroute = { probability, transfer_time }` of a caller class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMisroute {
    pub probability: f64,
    pub transfer_time: RawDist,
}

/// One `shifts = [{ name, start, end, count, breaks }]` entry: times of day.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    pub name: Option<String>,
    pub start: When,
    pub end: When,
    pub count: i64,
    #[serde(default)]
    pub breaks: Vec<RawBreak>,
    pub days: Option<Vec<i64>>,
}

/// One `breaks = [{ start, length }]` entry of a shift.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreak {
    pub start: When,
    pub length: Seconds,
}

/// One `absences = [{ agent, from, to }]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAbsence {
    pub agent: i64,
    pub from: When,
    pub to: When,
}

/// `orientation = { customer, unsure, boss }`: weights, normalised by validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrientation {
    pub customer: Option<f64>,
    pub unsure: Option<f64>,
    pub boss: Option<f64>,
}

/// `[agents.behaviour.*]`, one table per orientation.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBehaviours {
    pub customer: Option<RawBehaviour>,
    pub unsure: Option<RawBehaviour>,
    pub boss: Option<RawBehaviour>,
}

/// How agents of one orientation behave.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBehaviour {
    pub slack: Option<RawDist>,
    pub procrastination: Option<RawDist>,
    pub pace: Option<f64>,
    pub observed_pace: Option<f64>,
}

/// One `[[managers]]` table: every key any style takes; validation checks which apply.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawManager {
    pub name: Option<String>,
    pub style: String,
    pub office: Option<RawDist>,
    pub visit: Option<RawDist>,
    pub watches: Option<i64>,
    pub report_probability: Option<f64>,
    pub report_time: Option<RawDist>,
    pub team: Option<i64>,
    pub morale: Option<f64>,
    pub takes_calls: Option<bool>,
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
