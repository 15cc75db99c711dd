//! The staffing of a scenario written back as text: `staff` and `schedule` write runnable
//! scenarios (`--scenario-out`) with a plan or shifts in place of the scenario's own staffing.

use std::path::Path;

use super::overrides::{apply_override, syntax_message};
use super::{Attachments, DEFAULT_SCENARIO_NAME, LoadedScenario, ScenarioError, parse_with, units};

/// One shift as `--scenario-out` writes it: times as clock text.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftText {
    /// Name (unique in the scenario).
    pub name: String,
    /// Log-in time of day, `08:00`.
    pub start: String,
    /// Log-out time of day.
    pub end: String,
    /// The breaks: each one's start (clock text) and length (a duration).
    pub breaks: Vec<(String, String)>,
    /// Agents on the shift.
    pub count: u32,
    /// Days of the run it is worked (from 1); empty: every day.
    pub days: Vec<u32>,
}

/// Who staffs the floor in a scenario written by `staff --scenario-out`.
#[derive(Debug, Clone, PartialEq)]
pub enum Staffing {
    /// `agents.count`: the whole run (a constant arrival rate).
    Count(u32),
    /// `agents.shifts`.
    Shifts(Vec<ShiftText>),
    /// `agents.plan`: agents logged in per interval of `interval_s` from the opening.
    Plan {
        /// Interval length, seconds (divides a day).
        interval_s: f64,
        /// Agents per interval.
        counts: Vec<u32>,
    },
}

/// The scenario `loaded` (its text with its overrides applied) with `agents.count`,
/// `agents.shifts` and `agents.plan` replaced by `staffing`, as TOML that `callsim run` reads:
/// `header` (comment lines) first. The text is parsed back and validated before it is
/// returned, so what is written always runs.
pub fn with_staffing(
    loaded: &LoadedScenario,
    staffing: &Staffing,
    header: &str,
) -> Result<String, ScenarioError> {
    let mut table: toml::Table =
        toml::from_str(&loaded.text).map_err(|e| ScenarioError::Syntax {
            file: loaded.source.clone(),
            message: syntax_message(&loaded.text, &e),
        })?;
    for arg in &loaded.overrides {
        apply_override(&mut table, arg)?;
    }
    // The written scenario may live elsewhere: a forecast it refers to is named by its full
    // path, and the check below reads the text kept from the load under that name.
    let mut attachments = loaded.attachments.clone();
    if let Some(file) = table
        .get_mut("arrivals")
        .and_then(|a| a.get_mut("profile"))
        .and_then(|p| p.get_mut("file"))
        && let Some(name) = file.as_str().map(str::to_string)
    {
        let base = Path::new(&loaded.source)
            .parent()
            .filter(|_| loaded.source != DEFAULT_SCENARIO_NAME);
        let joined = base.map_or_else(|| Path::new(&name).to_path_buf(), |b| b.join(&name));
        let full = std::fs::canonicalize(&joined).unwrap_or(joined);
        let full = full.display().to_string();
        for (n, _) in attachments.iter_mut().filter(|(n, _)| *n == name) {
            *n = full.clone();
        }
        *file = toml::Value::String(full);
    }
    let agents = table
        .entry("agents")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    let Some(agents) = agents.as_table_mut() else {
        return Err(ScenarioError::Invalid {
            file: loaded.source.clone(),
            key: "agents".into(),
            message: "is not a table".into(),
        });
    };
    for key in ["count", "shifts", "plan"] {
        agents.remove(key);
    }
    match staffing {
        Staffing::Shifts(shifts) => {
            let rows = shifts
                .iter()
                .map(|x| {
                    let mut t = toml::Table::new();
                    t.insert("name".into(), toml::Value::String(x.name.clone()));
                    t.insert("start".into(), toml::Value::String(x.start.clone()));
                    t.insert("end".into(), toml::Value::String(x.end.clone()));
                    t.insert("count".into(), toml::Value::Integer(i64::from(x.count)));
                    if !x.days.is_empty() {
                        let days = x
                            .days
                            .iter()
                            .map(|&d| toml::Value::Integer(i64::from(d)))
                            .collect();
                        t.insert("days".into(), toml::Value::Array(days));
                    }
                    if !x.breaks.is_empty() {
                        let breaks = x
                            .breaks
                            .iter()
                            .map(|(from, to)| {
                                let mut b = toml::Table::new();
                                b.insert("start".into(), toml::Value::String(from.clone()));
                                let length = units::parse_duration(to).unwrap_or(0.0);
                                b.insert(
                                    "length".into(),
                                    toml::Value::String(units::duration_text(length)),
                                );
                                toml::Value::Table(b)
                            })
                            .collect();
                        t.insert("breaks".into(), toml::Value::Array(breaks));
                    }
                    toml::Value::Table(t)
                })
                .collect();
            agents.insert("shifts".into(), toml::Value::Array(rows));
        }
        Staffing::Count(n) => {
            agents.insert("count".into(), toml::Value::Integer(i64::from(*n)));
        }
        Staffing::Plan { interval_s, counts } => {
            let mut plan = toml::Table::new();
            plan.insert(
                "interval".into(),
                toml::Value::String(units::duration_text(*interval_s)),
            );
            plan.insert(
                "counts".into(),
                toml::Value::Array(
                    counts
                        .iter()
                        .map(|n| toml::Value::Integer(i64::from(*n)))
                        .collect(),
                ),
            );
            agents.insert("plan".into(), toml::Value::Table(plan));
        }
    }
    let body = toml::to_string(&table).map_err(|e| ScenarioError::Invalid {
        file: loaded.source.clone(),
        key: "agents".into(),
        message: format!("cannot be written back as TOML: {e}"),
    })?;
    let text = format!("{header}{body}");
    parse_with(&text, &loaded.source, &[], Attachments::Given(&attachments))?;
    Ok(text)
}
