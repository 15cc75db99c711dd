//! Raw file structs -> the validated [`Scenario`]. Every check names its key and the allowed range.
//! Checks are written so that NaN fails (`!(x > 0.0)`).

use super::error::ScenarioError;
use super::forecast::Forecast;
use super::raw::{RawDist, RawScenario};
use super::units::{Seconds, compact};
use crate::dist::{DistError, DurationDist};
use crate::model::{AgentPool, Arrivals, DAY_S, Scenario};

/// Largest number of agents accepted (keeps memory bounded and catches typos).
pub const MAX_AGENTS: i64 = 100_000;
/// Largest number of replications one process accepts. Results keep every replication's KPIs
/// (about 4 KiB each with all details), so this bounds memory near 400 MiB; bigger runs split
/// into shards (`--shard K/N`) and `merge`.
pub const MAX_REPLICATIONS: i64 = 100_000;
/// Largest number of replications of a run split into shards (`--shard K/N`), each of which
/// runs at most [`MAX_REPLICATIONS`].
pub const MAX_SHARDED_REPLICATIONS: i64 = 10_000_000;
/// Longest horizon accepted: ten years of simulated time.
pub const MAX_HORIZON_S: f64 = 10.0 * 365.0 * DAY_S;
/// Longest name (scenario, class, manager, department, shift, reason) accepted.
pub const MAX_NAME_CHARS: usize = 100;
/// Most lines (trunks) a scenario may have.
pub const MAX_LINES: i64 = 10_000_000;
/// Most caller classes a scenario may have.
pub const MAX_CALLER_CLASSES: usize = 1000;
/// Default replications when the file does not say.
pub const DEFAULT_REPLICATIONS: u32 = 30;
/// Default seed when the file does not say.
pub const DEFAULT_SEED: u64 = 1;
/// Default service-level threshold (the classic 80/20 target).
pub const DEFAULT_SL_THRESHOLD_S: f64 = 20.0;
/// Largest day-to-day noise accepted (a coefficient of variation of 2 is already wild).
pub const MAX_DAY_NOISE_CV: f64 = 2.0;
/// Default length of the reporting intervals for a constant arrival rate.
pub const DEFAULT_REPORT_INTERVAL_S: f64 = 1800.0;
/// Tolerance on the sum of caller shares.
const SHARE_SUM_TOLERANCE: f64 = 1e-6;

pub(super) struct Checker<'a> {
    pub(super) file: &'a str,
    /// `opens`, seconds after midnight: clock text of moments is converted with it.
    pub(super) opens_s: f64,
}

impl Checker<'_> {
    /// A name that reports print: not empty, at most [`MAX_NAME_CHARS`] characters, and no
    /// control characters (an escape sequence in a name would reach the terminal raw). A
    /// `scope` name (a caller class, which reports name bare) also must not be `all` or hold a
    /// `:`, which would collide with the scopes `all`, `manager:NAME`, `department:NAME` and
    /// `decline:REASON` in the CSV.
    pub(super) fn name(&self, key: &str, name: &str, scope: bool) -> Result<(), ScenarioError> {
        let problem = if name.trim().is_empty() {
            Some("empty: give it a name".to_string())
        } else if name.chars().count() > MAX_NAME_CHARS {
            Some(format!("longer than {MAX_NAME_CHARS} characters"))
        } else if let Some(c) = name.chars().find(|c| c.is_control()) {
            Some(format!(
                "holds the control character {:?}: allowed printable text",
                c
            ))
        } else if scope && name == "all" {
            Some("\"all\" is the name of the whole floor's scope: choose another".to_string())
        } else if scope && name.contains(':') {
            Some(format!(
                "{name:?} holds a ':', which report scopes use (`manager:NAME`): choose another"
            ))
        } else {
            None
        };
        match problem {
            Some(p) => Err(self.err(key, p)),
            None => Ok(()),
        }
    }

    /// Names used in reports must differ: the first repeated one is an error at
    /// `{list}[i].name`. Each is also checked with [`Checker::name`].
    pub(super) fn unique_names<'n>(
        &self,
        list: &str,
        names: impl Iterator<Item = &'n str>,
        scope: bool,
    ) -> Result<(), ScenarioError> {
        let mut seen: Vec<&str> = Vec::new();
        for (i, name) in names.enumerate() {
            self.name(&format!("{list}[{i}].name"), name, scope)?;
            if seen.contains(&name) {
                return Err(self.err(
                    format!("{list}[{i}].name"),
                    format!("{name:?} is used twice; names must differ"),
                ));
            }
            seen.push(name);
        }
        Ok(())
    }

    pub(super) fn err(&self, key: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::Invalid {
            file: self.file.to_string(),
            key: key.into(),
            message: message.into(),
        }
    }

    pub(super) fn duration(
        &self,
        key: &str,
        v: Seconds,
        positive: bool,
    ) -> Result<f64, ScenarioError> {
        let ok = if positive { v.0 > 0.0 } else { v.0 >= 0.0 };
        if ok && v.0 <= MAX_HORIZON_S {
            Ok(v.0)
        } else {
            let allowed = if positive {
                "a duration > 0 (exclusive)"
            } else {
                "a duration >= 0"
            };
            Err(self.err(
                key,
                format!(
                    "{} s is out of range: allowed {allowed} and at most 10 years",
                    compact(v.0)
                ),
            ))
        }
    }

    pub(super) fn dist(&self, key: &str, raw: &RawDist) -> Result<DurationDist, ScenarioError> {
        let family = raw.dist.as_str();
        let (needs, name): (&[&str], _) = match family {
            "exponential" => (&["mean"], family),
            "lognormal" | "gamma" | "weibull" => (&["mean", "cv"], family),
            "uniform" => (&["min", "max"], family),
            "deterministic" => (&["value"], family),
            "empirical" => (&["values"], family),
            other => {
                return Err(self.err(
                    format!("{key}.dist"),
                    format!(
                        "unknown distribution {other:?}: allowed exponential, lognormal, gamma, \
                         weibull, uniform, deterministic, empirical"
                    ),
                ));
            }
        };
        let given = [
            ("mean", raw.mean.is_some()),
            ("cv", raw.cv.is_some()),
            ("min", raw.min.is_some()),
            ("max", raw.max.is_some()),
            ("value", raw.value.is_some()),
            ("values", raw.values.is_some()),
        ];
        for (param, present) in given {
            let wanted = needs.contains(&param);
            if wanted && !present {
                return Err(self.err(
                    format!("{key}.{param}"),
                    format!(
                        "missing: a {name} distribution needs {}",
                        needs.join(" and ")
                    ),
                ));
            }
            if present && !wanted {
                return Err(self.err(
                    format!("{key}.{param}"),
                    format!(
                        "not a parameter of {name}: it takes {}",
                        needs.join(" and ")
                    ),
                ));
            }
        }
        // Every duration parameter within the range of any duration (and of the histograms).
        let params = [
            ("mean", raw.mean),
            ("min", raw.min),
            ("max", raw.max),
            ("value", raw.value),
        ];
        for (param, v) in params {
            if let Some(v) = v
                && v.0.abs() > MAX_HORIZON_S
            {
                return Err(self.err(
                    format!("{key}.{param}"),
                    format!(
                        "{} s is out of range: allowed at most 10 years ({} s)",
                        compact(v.0),
                        MAX_HORIZON_S
                    ),
                ));
            }
        }
        for (i, v) in raw.values.iter().flatten().enumerate() {
            if v.0.abs() > MAX_HORIZON_S {
                return Err(self.err(
                    format!("{key}.values[{i}]"),
                    format!(
                        "{} s is out of range: allowed at most 10 years ({} s)",
                        compact(v.0),
                        MAX_HORIZON_S
                    ),
                ));
            }
        }
        let s = |v: Option<Seconds>| v.map_or(f64::NAN, |s| s.0);
        let built = match name {
            "exponential" => DurationDist::exponential(s(raw.mean)),
            "lognormal" => DurationDist::lognormal(s(raw.mean), raw.cv.unwrap_or(f64::NAN)),
            "gamma" => DurationDist::gamma(s(raw.mean), raw.cv.unwrap_or(f64::NAN)),
            "weibull" => DurationDist::weibull(s(raw.mean), raw.cv.unwrap_or(f64::NAN)),
            "uniform" => DurationDist::uniform(s(raw.min), s(raw.max)),
            "deterministic" => DurationDist::deterministic(s(raw.value)),
            _ => DurationDist::empirical(raw.values.iter().flatten().map(|v| v.0).collect()),
        };
        built.map_err(|e| match e {
            DistError::OutOfRange {
                param,
                value,
                allowed,
            } => self.err(
                format!("{key}.{param}"),
                format!("{} is out of range: allowed {allowed}", compact(value)),
            ),
            DistError::EmptyEmpirical => self.err(format!("{key}.values"), e.to_string()),
        })
    }
}

/// Checks a raw scenario read from `file` (with the forecast it refers to, read) and builds
/// the model.
pub fn validate(
    raw: &RawScenario,
    file: &str,
    forecast: Option<&Forecast>,
) -> Result<Scenario, ScenarioError> {
    let mut c = Checker { file, opens_s: 0.0 };
    c.opens_s = c.opens(raw.opens)?;
    // A forecast starts the run: without `opens` its first row says when; with it, the two
    // must agree.
    if let Some(f) = forecast {
        if raw.opens.is_none() {
            c.opens_s = f.first_start_s;
        } else if f.first_start_s != c.opens_s {
            return Err(c.err(
                "arrivals.profile.file",
                format!(
                    "the forecast's first row starts at {}, but opens is {}: the profile starts \
                     when the run opens (leave opens out to take the forecast's)",
                    crate::model::time_of_day_text(f.first_start_s),
                    crate::model::time_of_day_text(c.opens_s)
                ),
            ));
        }
    }
    let horizon = c.duration("horizon", raw.horizon, true)?;
    let (warmup, warmup_auto) = match raw.warmup {
        None => (0.0, false),
        Some(super::units::Warmup::Auto) => (0.0, true),
        Some(super::units::Warmup::Fixed(w)) => (c.duration("warmup", w, false)?, false),
    };
    if warmup >= horizon {
        return Err(c.err(
            "warmup",
            format!("{warmup} s must be shorter than horizon ({horizon} s)"),
        ));
    }
    let threshold = c.duration(
        "service_level_threshold",
        raw.service_level_threshold
            .unwrap_or(Seconds(DEFAULT_SL_THRESHOLD_S)),
        false,
    )?;
    let seed = match raw.seed {
        Some(s) if s < 0 => return Err(c.err("seed", format!("{s}: allowed a whole number >= 0"))),
        Some(s) => s as u64,
        None => DEFAULT_SEED,
    };
    let replications = match raw.replications {
        Some(r) if !(1..=MAX_SHARDED_REPLICATIONS).contains(&r) => {
            return Err(c.err(
                "replications",
                format!(
                    "{r}: allowed 1 to {MAX_SHARDED_REPLICATIONS} (one process runs at most \
                     {MAX_REPLICATIONS}; split bigger runs with --shard K/N and callsim merge)"
                ),
            ));
        }
        Some(r) => r as u32,
        None => DEFAULT_REPLICATIONS,
    };
    let roster = c.roster(&raw.agents, horizon)?;
    if raw.callers.is_empty() {
        return Err(c.err("callers", "at least one [[callers]] class is needed"));
    }
    if raw.callers.len() > MAX_CALLER_CLASSES {
        return Err(c.err(
            "callers",
            format!(
                "{} caller classes: allowed at most {MAX_CALLER_CLASSES} (each keeps statistics \
                 of its own in every replication)",
                raw.callers.len()
            ),
        ));
    }
    let single = raw.callers.len() == 1;
    let callers = raw
        .callers
        .iter()
        .enumerate()
        .map(|(i, r)| c.caller(i, r, single))
        .collect::<Result<Vec<_>, _>>()?;
    let mut callers = callers;
    c.departments(&raw.callers, &mut callers, &roster)?;
    let share_sum: f64 = callers.iter().map(|k| k.share).sum();
    if (share_sum - 1.0).abs() > SHARE_SUM_TOLERANCE {
        return Err(c.err(
            "callers.share",
            format!("the shares sum to {share_sum}; they must sum to 1"),
        ));
    }
    c.unique_names("callers", callers.iter().map(|k| k.name.as_str()), true)?;
    let mut arrivals = c.arrivals(&raw.arrivals, forecast)?;
    // A forecast's AHT per interval scales every class's handle times by its ratio to the
    // classes' mean (share-weighted), so the interval's mean talk is the forecast's.
    if let (Some(f), Arrivals::Profile { handle_factors, .. }) = (forecast, &mut arrivals)
        && f.aht_s.iter().any(Option::is_some)
    {
        let base: f64 = callers.iter().map(|k| k.share * k.handle_time.mean()).sum();
        *handle_factors = f
            .aht_s
            .iter()
            .map(|a| a.map_or(1.0, |a| a / base))
            .collect();
        if let Some((i, x)) = handle_factors
            .iter()
            .enumerate()
            .find(|(_, x)| !(**x > 0.0 && **x <= 100.0))
        {
            return Err(c.err(
                "arrivals.profile.file",
                format!(
                    "interval {} has an AHT {x:.3} times the classes' mean handle time ({base:.0} \
                     s): allowed up to 100 times; check the unit of the aht column",
                    i + 1
                ),
            ));
        }
    }
    let report_interval = match (raw.report_interval, &arrivals) {
        (Some(v), _) => {
            let s = c.duration("report_interval", v, true)?;
            if !(60.0..=DAY_S).contains(&s) {
                return Err(c.err(
                    "report_interval",
                    format!("{s} s: allowed 1 minute to 1 day"),
                ));
            }
            s
        }
        (None, Arrivals::Profile { interval_s, .. }) => *interval_s,
        (None, Arrivals::Constant { .. }) => DEFAULT_REPORT_INTERVAL_S,
    };
    if let Some(name) = &raw.name {
        c.name("name", name, false)?;
    }
    Ok(Scenario {
        name: raw
            .name
            .clone()
            .unwrap_or_else(|| "unnamed scenario".to_string()),
        seed,
        opens_s: c.opens_s,
        replications,
        horizon,
        warmup,
        warmup_auto,
        service_level_threshold: threshold,
        report_interval_s: report_interval,
        lines: match raw.lines.as_ref().map(|v| v.as_integer().ok_or(v)) {
            None | Some(Err(_)) => None,
            // With a fixed team, agents beyond the lines could never talk to anyone. (With
            // shifts, a roster larger than the lines is fine: not everyone is on at once.)
            Some(Ok(n))
                if raw.agents.shifts.is_empty()
                    && raw.agents.plan.is_none()
                    && n < i64::from(roster.count) =>
            {
                return Err(c.err(
                    "lines",
                    format!(
                        "{n} is below agents.count ({}): the other agents could never talk to a \
                         caller; allowed {} to {MAX_LINES}",
                        roster.count, roster.count
                    ),
                ));
            }
            Some(Ok(n)) if (1..=MAX_LINES).contains(&n) => Some(n as u32),
            Some(Ok(n)) => {
                return Err(c.err(
                    "lines",
                    format!("{n}: allowed a whole number of lines from 1 to {MAX_LINES}"),
                ));
            }
        },
        department_lines: c.department_lines(raw, &roster.departments)?,
        arrivals,
        day_noise_cv: match raw.arrivals.day_noise_cv {
            None => 0.0,
            Some(cv) if (0.0..=MAX_DAY_NOISE_CV).contains(&cv) => cv,
            Some(cv) => {
                return Err(c.err(
                    "arrivals.day_noise_cv",
                    format!("{cv}: allowed 0 (none) to {MAX_DAY_NOISE_CV}"),
                ));
            }
        },
        callers,
        agents: AgentPool {
            count: roster.count,
            outages: c.outages(&raw.agents.outages, horizon)?,
            shifts: roster.shifts,
            plan: roster.plan,
            absences: roster.absences,
            handover: roster.handover,
            departments: roster.departments,
            skills: roster.skills,
        },
        floor: super::floor::floor(&c, &raw.agents, roster.count, &raw.managers)?,
        // A switched-off section is still checked, so a comparison can switch it on safely.
        callbacks: match &raw.callbacks {
            Some(cb) => {
                let checked = c.callbacks(cb, roster.count)?;
                cb.enabled.unwrap_or(true).then_some(checked)
            }
            None => None,
        },
        back_office: c.back_office(raw)?,
        // A switched-off campaign is still checked, so a comparison can switch it on safely.
        outbound: match &raw.outbound {
            Some(o) => {
                let checked = c.outbound(o, horizon, roster.count)?;
                o.enabled.unwrap_or(true).then_some(checked)
            }
            None => None,
        },
        scheduling: match &raw.scheduling {
            Some(s) => c.scheduling(s)?,
            None => Vec::new(),
        },
    })
}
