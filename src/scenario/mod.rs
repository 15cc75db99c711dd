//! Reading scenarios: TOML text -> overrides -> raw structs -> validated [`Scenario`].
//!
//! The pipeline works on a `toml::Table` so that `--set key.path=value` can change any key before
//! serde sees it; unknown keys are then caught by `deny_unknown_fields` like any typo in the file.

mod error;
mod floor;
mod journey;
mod raw;
mod roster;
pub mod units;
mod validate;

use std::path::Path;

pub use error::ScenarioError;
pub use validate::{DEFAULT_REPLICATIONS, DEFAULT_SEED, MAX_AGENTS, MAX_REPLICATIONS};

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
}

/// Reads `path` (or the built-in default when `None`), applies `overrides` and validates.
pub fn load(path: Option<&Path>, overrides: &[String]) -> Result<LoadedScenario, ScenarioError> {
    let (text, source) = match path {
        Some(p) => {
            let file = p.display().to_string();
            let text = std::fs::read_to_string(p).map_err(|source| ScenarioError::Read {
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
    let scenario = parse(&text, &source, overrides)?;
    Ok(LoadedScenario {
        scenario,
        source,
        text,
        overrides: overrides.to_vec(),
    })
}

/// Parses scenario `text` (named `file` in messages), applies `overrides` and validates.
pub fn parse(text: &str, file: &str, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let mut table: toml::Table = toml::from_str(text).map_err(|e| ScenarioError::Syntax {
        file: file.to_string(),
        message: e.to_string().trim().replace('\n', " "),
    })?;
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
            ScenarioError::Invalid {
                file: file.to_string(),
                key,
                message,
            }
        })?;
    validate::validate(&raw, file)
}

/// Formats a serde path as `callers[0].patience.mean`.
fn path_text(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Enum { variant } => {
                out.push('.');
                out.push_str(variant);
            }
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
}

/// Extracts `foo` from serde's "unknown field `foo`, expected ...".
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// Splits `callers[1].share` or `callers.1.share` into segments.
fn split_key(key: &str) -> Option<Vec<KeySegment>> {
    let mut out = Vec::new();
    for part in key.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() && rest.is_empty() {
            return None;
        }
        if !name.is_empty() {
            match name.parse::<usize>() {
                Ok(i) => out.push(KeySegment::Index(i)),
                Err(_) => out.push(KeySegment::Name(name.to_string())),
            }
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            out.push(KeySegment::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

enum KeySegment {
    Name(String),
    Index(usize),
}

/// Applies one `key.path=value`; the value is read as TOML, or as a string when that fails.
fn apply_override(table: &mut toml::Table, arg: &str) -> Result<(), ScenarioError> {
    let fail = |message: &str| ScenarioError::Override {
        arg: arg.to_string(),
        message: message.to_string(),
    };
    let (key, value_text) = arg
        .split_once('=')
        .ok_or_else(|| fail("expected key.path=value"))?;
    let segments = split_key(key.trim())
        .ok_or_else(|| fail("malformed key path; write e.g. agents.count or callers[1].share"))?;
    let value = toml::from_str::<toml::Table>(&format!("v = {value_text}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value_text.trim().to_string()));

    let mut slot: &mut toml::Value = {
        let KeySegment::Name(first) = &segments[0] else {
            return Err(fail("a key path starts with a name"));
        };
        table
            .entry(first.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
    };
    for seg in &segments[1..] {
        slot = match seg {
            KeySegment::Name(name) => match slot {
                toml::Value::Table(t) => t
                    .entry(name.clone())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new())),
                _ => {
                    return Err(fail(&format!(
                        "cannot set `{name}` inside a value that is not a table"
                    )));
                }
            },
            KeySegment::Index(i) => match slot {
                toml::Value::Array(a) => {
                    let len = a.len();
                    a.get_mut(*i).ok_or_else(|| {
                        fail(&format!(
                            "index {i} is out of range: the list has {len} entries"
                        ))
                    })?
                }
                _ => {
                    return Err(fail(&format!(
                        "index [{i}] used on a value that is not a list"
                    )));
                }
            },
        };
    }
    *slot = value;
    Ok(())
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

    #[test]
    fn errors_name_file_and_key() {
        let e = err_text(MINI, &["agents.cuont=3"]);
        assert!(e.contains("t.toml") && e.contains("agents.cuont"), "{e}");
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
