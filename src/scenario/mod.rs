//! Reading scenarios: TOML text -> overrides -> raw structs -> validated [`Scenario`].
//!
//! The pipeline works on a `toml::Table` so that `--set key.path=value` can change any key before
//! serde sees it; unknown keys are then caught by `deny_unknown_fields` like any typo in the file.

mod callers;
mod clock;
mod error;
mod floor;
mod forecast;
mod journey;
mod lines;
mod overrides;
mod raw;
mod roster;
mod staffing;
pub mod units;
mod validate;

pub use forecast::{Forecast, MAX_FORECAST_INTERVALS, parse_forecast};

use std::path::Path;

pub use error::ScenarioError;
pub use floor::MANAGER_STYLES;
use overrides::{apply_override, blame, path_text, plain_types, syntax_message, unknown_field};
pub use staffing::{ShiftText, Staffing, with_staffing};
pub use validate::{
    DEFAULT_REPLICATIONS, DEFAULT_SEED, MAX_AGENTS, MAX_REPLICATIONS, MAX_SHARDED_REPLICATIONS,
};

use crate::model::Scenario;
use raw::RawScenario;

/// The built-in default scenario: a mid-size center over one day.
pub const DEFAULT_SCENARIO_TOML: &str = include_str!("../../scenarios/default.toml");

/// Name shown for the built-in scenario in messages.
pub const DEFAULT_SCENARIO_NAME: &str = "<built-in default scenario>";

/// A scenario together with the text it came from (after overrides), for reports.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The validated scenario.
    pub scenario: Scenario,
    /// Where it came from: a path or [`DEFAULT_SCENARIO_NAME`].
    pub source: String,
    /// The file's text as read (before overrides), for reports.
    pub text: String,
    /// The `--set` overrides applied on top of it.
    pub overrides: Vec<String>,
    /// Files the scenario refers to (a forecast), as (name as written, text), read once.
    pub attachments: Vec<(String, String)>,
}

/// The clock text of `value` (override text) when `key` is a time: a time of day (`opens`, a
/// shift's or break's start and end, back-office hours) or a moment of the run (an outage, an
/// absence, the outbound start). `None` for any other key.
pub fn time_label(key: &str, value: &str, scenario: &Scenario) -> Option<String> {
    use crate::model::{DAY_S, time_of_day_text};
    let text = value.trim().trim_matches('"');
    let leaf = key.rsplit('.').next()?;
    let of_day = key == "opens"
        || (key.starts_with("agents.shifts[") && matches!(leaf, "start" | "end"))
        || (key.starts_with("back_office.hours.") && matches!(leaf, "start" | "end"));
    let moment = (key.starts_with("agents.outages[") && matches!(leaf, "start" | "end"))
        || (key.starts_with("agents.absences[") && matches!(leaf, "from" | "to"))
        || key == "outbound.start";
    if text.contains(':') || !(of_day || moment) {
        return (of_day || moment).then(|| text.to_string());
    }
    let seconds = units::parse_duration(text)?;
    Some(if of_day {
        time_of_day_text(seconds.rem_euclid(DAY_S))
    } else {
        scenario.clock().moment(seconds)
    })
}

/// Reads `path` (or the built-in default when `None`), applies `overrides` and validates.
pub fn load(path: Option<&Path>, overrides: &[String]) -> Result<LoadedScenario, ScenarioError> {
    let (text, source) = match path {
        Some(p) => {
            let file = p.display().to_string();
            let text = read_capped(p).map_err(|source| ScenarioError::Read {
                file: file.clone(),
                source,
            })?;
            (text, file)
        }
        None => (
            DEFAULT_SCENARIO_TOML.to_string(),
            DEFAULT_SCENARIO_NAME.to_string(),
        ),
    };
    load_text(&text, &source, overrides, Attachments::Disk)
}

/// Validates `text` (named `source` in messages and results) with `overrides`, taking the
/// files it refers to from `from`: [`load`] for a text that is already in hand (Python's
/// `from_toml`, a web page's editor).
pub fn load_text(
    text: &str,
    source: &str,
    overrides: &[String],
    from: Attachments,
) -> Result<LoadedScenario, ScenarioError> {
    let (scenario, attachments) = parse_with(text, source, overrides, from)?;
    Ok(LoadedScenario {
        scenario,
        source: source.to_string(),
        text: text.to_string(),
        overrides: overrides.to_vec(),
        attachments,
    })
}

/// Largest scenario file read, in bytes. A day's profile of one-second intervals is about 1 MB;
/// anything past this is not a scenario (`/dev/zero`, a log file given by mistake).
pub const MAX_SCENARIO_BYTES: u64 = 8 << 20;

/// Reads `path` as UTF-8 text, refusing more than [`MAX_SCENARIO_BYTES`] without reading on.
pub fn read_capped(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_SCENARIO_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "larger than {} MiB, which no scenario is (is it the right file?)",
                MAX_SCENARIO_BYTES >> 20
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text, which a TOML scenario is",
        )
    })
}

/// Where the files a scenario refers to (a forecast) come from.
#[derive(Debug, Clone, Copy)]
pub enum Attachments<'a> {
    /// From disk, relative to the scenario file's folder (the working folder for the
    /// built-in scenario).
    Disk,
    /// As kept with a partial result: (name as written, text).
    Given(&'a [(String, String)]),
}

/// Parses scenario `text` (named `file` in messages), applies `overrides` and validates.
pub fn parse(text: &str, file: &str, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    parse_with(text, file, overrides, Attachments::Disk).map(|(s, _)| s)
}

/// The text of the file `name` that scenario `file` refers to, capped like a scenario.
fn attachment(
    file: &str,
    name: &str,
    from: Attachments,
    key: &str,
) -> Result<String, ScenarioError> {
    let invalid = |message: String| ScenarioError::Invalid {
        file: file.to_string(),
        key: key.to_string(),
        message,
    };
    match from {
        Attachments::Given(files) => files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, text)| text.clone())
            .ok_or_else(|| invalid(format!("{name:?} is not kept with this result"))),
        Attachments::Disk => {
            let base = if file == DEFAULT_SCENARIO_NAME {
                None
            } else {
                Path::new(file).parent()
            };
            let path = base.map_or_else(|| Path::new(name).to_path_buf(), |b| b.join(name));
            // A FIFO or a device named in a file would block or stream forever: only a
            // regular file is read.
            if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
                return Err(invalid(format!(
                    "{} is not a regular file: allowed a CSV file",
                    path.display()
                )));
            }
            read_capped(&path).map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))
        }
    }
}

/// [`parse`], with the files the scenario refers to taken from `from`; also returns those
/// files as (name as written, text), to keep with a partial result.
pub fn parse_with(
    text: &str,
    file: &str,
    overrides: &[String],
    from: Attachments,
) -> Result<(Scenario, Vec<(String, String)>), ScenarioError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| ScenarioError::Syntax {
        file: file.to_string(),
        message: syntax_message(text, &e),
    })?;
    parse_table(table, file, overrides, from)
}

/// The scenario at `path` with the shift patterns of the file `shifts` (a `[scheduling]`
/// table, or its `patterns = [...]` alone) in place of its own, for `schedule --shifts`.
/// Errors in the patterns name the shifts file.
pub fn load_with_shifts(
    path: &Path,
    overrides: &[String],
    shifts: &Path,
) -> Result<LoadedScenario, ScenarioError> {
    let mut loaded = load(Some(path), &[])?;
    let shifts_file = shifts.display().to_string();
    let shifts_text = read_capped(shifts).map_err(|source| ScenarioError::Read {
        file: shifts_file.clone(),
        source,
    })?;
    let mut patterns: toml::Table =
        toml::from_str(&shifts_text).map_err(|e| ScenarioError::Syntax {
            file: shifts_file.clone(),
            message: syntax_message(&shifts_text, &e),
        })?;
    let wrapped = patterns.len() == 1 && patterns.contains_key("scheduling");
    if wrapped && let Some(toml::Value::Table(inner)) = patterns.remove("scheduling") {
        patterns = inner;
    }
    let mut table: toml::Table =
        toml::from_str(&loaded.text).map_err(|e| ScenarioError::Syntax {
            file: loaded.source.clone(),
            message: syntax_message(&loaded.text, &e),
        })?;
    table.insert("scheduling".into(), toml::Value::Table(patterns));
    let (scenario, attachments) = parse_table(table, &loaded.source, overrides, Attachments::Disk)
        .map_err(|e| match e {
            ScenarioError::Invalid { key, message, .. } if key.starts_with("scheduling") => {
                ScenarioError::Invalid {
                    file: shifts_file.clone(),
                    key: if wrapped {
                        key
                    } else {
                        key.trim_start_matches("scheduling.").to_string()
                    },
                    message,
                }
            }
            other => other,
        })?;
    loaded.scenario = scenario;
    loaded.attachments = attachments;
    loaded.overrides = overrides.to_vec();
    Ok(loaded)
}

/// [`parse_with`] on a parsed document.
fn parse_table(
    mut table: toml::Table,
    file: &str,
    overrides: &[String],
    from: Attachments,
) -> Result<(Scenario, Vec<(String, String)>), ScenarioError> {
    for arg in overrides {
        apply_override(&mut table, arg)?;
    }
    let raw: RawScenario =
        serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let key = path_text(e.path());
            // serde adds "in `table`" on a second line; the key already says where.
            let message = e.inner().to_string();
            let message = message
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            // For an unknown key serde reports the parent; name the key itself.
            let key = match unknown_field(&message) {
                Some(field) if key.is_empty() || key == "." => field.to_string(),
                Some(field) if !key.ends_with(field) => format!("{key}.{field}"),
                _ => key,
            };
            blame(
                ScenarioError::Invalid {
                    file: file.to_string(),
                    key,
                    message: plain_types(&message),
                },
                overrides,
            )
        })?;
    let mut attached = Vec::new();
    let forecast = match raw.arrivals.profile.as_ref().and_then(|p| p.file.as_ref()) {
        None => None,
        Some(name) => {
            let key = "arrivals.profile.file";
            let csv = attachment(file, name, from, key).map_err(|e| blame(e, overrides))?;
            let interval = raw
                .arrivals
                .profile
                .as_ref()
                .and_then(|p| p.interval)
                .map(|s| s.0)
                .filter(|s| *s > 0.0 && s.is_finite());
            let shown = if let Attachments::Disk = from {
                Path::new(file)
                    .parent()
                    .filter(|_| file != DEFAULT_SCENARIO_NAME)
                    .map_or_else(|| name.clone(), |b| b.join(name).display().to_string())
            } else {
                name.clone()
            };
            let f = forecast::parse_forecast(&csv, &shown, interval)?;
            attached.push((name.clone(), csv));
            Some(f)
        }
    };
    let scenario =
        validate::validate(&raw, file, forecast.as_ref()).map_err(|e| blame(e, overrides))?;
    Ok((scenario, attached))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err_text(text: &str, overrides: &[&str]) -> String {
        let o: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        parse(text, "t.toml", &o).unwrap_err().to_string()
    }

    const MINI: &str = r#"
        horizon = "1h"
        [arrivals]
        rate = "2/min"
        [[callers]]
        handle_time = { dist = "exponential", mean = "4m" }
        [agents]
        count = 3
    "#;

    #[test]
    fn default_scenario_parses() {
        let s = load(None, &[]).unwrap();
        assert!(s.scenario.callers.len() >= 2);
    }

    #[test]
    fn overrides_change_keys() {
        let s = parse(
            MINI,
            "t.toml",
            &[
                "agents.count=7".into(),
                "callers[0].handle_time.mean=90s".into(),
            ],
        )
        .unwrap();
        assert_eq!(s.agents.count, 7);
        assert_eq!(s.callers[0].handle_time.mean(), 90.0);
        let s = parse(MINI, "t.toml", &["callers.0.name=vip".into()]).unwrap();
        assert_eq!(s.callers[0].name, "vip");
    }

    /// Issue #15: a syntax error keeps TOML's layout and quotes only a short excerpt.
    #[test]
    fn syntax_errors_quote_a_short_excerpt() {
        let long = format!("name = \"x\"\nbad {} = 1\n", "k".repeat(50_000_000));
        let e = parse(&long, "t.toml", &[]).unwrap_err().to_string();
        assert!(e.len() < 400, "{} bytes", e.len());
        assert!(
            e.contains("line 2, column 5") && e.contains("\n  | "),
            "{e}"
        );
        let e = parse("horizon = \"1h\"\n[arrivals\n", "t.toml", &[])
            .unwrap_err()
            .to_string();
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 4, "{e}");
        assert!(
            lines[0].starts_with("t.toml: not valid TOML: line 2"),
            "{e}"
        );
        // The caret stands under the spot.
        let spot = lines[3].find('^').unwrap();
        assert!(spot > 3, "{e}");
    }

    #[test]
    fn errors_name_file_and_key() {
        let e = err_text(MINI, &["agents.cuont=3"]);
        // Issue #15: blamed on the override, not on the file.
        assert!(
            e.starts_with("--set \"agents.cuont=3\"") && e.contains("agents.cuont"),
            "{e}"
        );
        let e = err_text(&MINI.replace("count = 3", "count = \"x\""), &[]);
        assert!(e.contains("t.toml") && e.contains("a whole number"), "{e}");
        let e = err_text(MINI, &["callers.0.share=\"x\""]);
        assert!(
            e.starts_with("--set") && e.contains("callers[0].share"),
            "{e}"
        );
        let e = err_text(MINI, &["name=\"a\"\nseed = 3"]);
        assert!(e.contains("one line"), "{e}");
        let e = err_text(MINI, &["callers[0].handle_time.mean=-4m"]);
        assert!(
            e.contains("callers[0].handle_time.mean") && e.contains("> 0"),
            "{e}"
        );
        let e = err_text(MINI, &["horizon=4x"]);
        assert!(
            e.contains("horizon") && e.contains("invalid duration"),
            "{e}"
        );
        let e = err_text(MINI, &["callers[3].share=1"]);
        assert!(e.contains("out of range"), "{e}");
        let e = err_text(MINI, &["arrivals.rate=12"]);
        assert!(e.contains("arrivals.rate") && e.contains("12/min"), "{e}");
    }
}
