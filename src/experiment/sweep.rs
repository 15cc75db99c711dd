//! Sweeps: one scenario key over a range of values, every point on the same random numbers.

use super::spec::{SpecError, SpecProblem};
use super::{ExperimentResult, RunOptions, run};
use crate::model::Scenario;

/// One point of a sweep.
#[derive(Debug, Clone)]
pub struct SweepPoint {
    /// The value as written in the override (`key=value`).
    pub value: String,
    /// The scenario with that value.
    pub scenario: Scenario,
}

/// The outcome of a sweep: one result per point, in order.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The key that varies.
    pub key: String,
    /// Values and results, in order.
    pub points: Vec<(String, ExperimentResult)>,
}

/// Most points a sweep accepts (a typo guard).
pub const MAX_SWEEP_POINTS: usize = 1000;

/// Parses `key=START:END:STEP` or `key=a,b,c` into the key and the values as override text.
/// Range bounds may carry a duration or rate unit (`30s:2m:30s`), which the values keep.
pub fn parse_vary(spec: &str) -> Result<(String, Vec<String>), SpecError> {
    let (key, values) = spec
        .split_once('=')
        .ok_or_else(|| SpecProblem::NoValues.of(spec))?;
    let key = key.trim().to_string();
    if key.is_empty() {
        return Err(SpecProblem::NoKey.of(spec));
    }
    let parts: Vec<&str> = values.split(':').map(str::trim).collect();
    // A list may hold clock text (`opens=07:00,08:00`), whose colons are no range.
    let values: Vec<String> = if values.contains(',') {
        values.split(',').map(|v| v.trim().to_string()).collect()
    } else if parts.len() == 3 {
        range(parts[0], parts[1], parts[2]).map_err(|e| e.of(spec))?
    } else if parts.len() == 1 {
        values.split(',').map(|v| v.trim().to_string()).collect()
    } else {
        return Err(SpecProblem::NotARange.of(spec));
    };
    if values.is_empty() || values.iter().any(String::is_empty) {
        return Err(SpecProblem::EmptyValue.of(spec));
    }
    if values.len() > MAX_SWEEP_POINTS {
        return Err(SpecProblem::TooManyPoints(values.len()).of(spec));
    }
    Ok((key, values))
}

/// A range whose bounds carry different units (`30s:2m:30s`, `600/h:12/min:60/h`): all three
/// are read as durations, or all three as rates, and the values are written as durations
/// (`"1m30s"`) or as rates in the start's unit.
fn mixed_units(start: &str, end: &str, step: &str) -> Result<Vec<String>, SpecProblem> {
    use crate::scenario::units::{duration_text, parse_duration, parse_rate};
    let as_durations = [start, end, step].map(parse_duration);
    if let [Some(a), Some(b), Some(s)] = as_durations {
        return steps(a, b, s).map(|v| {
            v.into_iter()
                .map(|x| format!("\"{}\"", duration_text(x)))
                .collect()
        });
    }
    let as_rates = [start, end, step].map(parse_rate);
    if let [Some(a), Some(b), Some(s)] = as_rates {
        let (_, per) = start.split_once('/').unwrap_or_default();
        let per_s = parse_rate(&format!("1/{per}")).unwrap_or(1.0);
        return steps(a, b, s).map(|v| {
            v.into_iter()
                .map(|x| format!("\"{}/{per}\"", (x / per_s * 1e9).round() / 1e9))
                .collect()
        });
    }
    Err(SpecProblem::MixedUnits)
}

/// `a, a + s, ...` up to `b`.
fn steps(a: f64, b: f64, s: f64) -> Result<Vec<f64>, SpecProblem> {
    if !(s > 0.0) || b < a {
        return Err(SpecProblem::Order);
    }
    let n = ((b - a) / s + 1e-9).floor() as usize + 1;
    if n > MAX_SWEEP_POINTS {
        return Err(SpecProblem::TooManyPoints(n));
    }
    Ok((0..n).map(|i| a + i as f64 * s).collect())
}

/// Splits `12.5s` into (12.5, "s"); the unit is whatever follows the number.
fn number_and_unit(text: &str) -> Option<(f64, &str)> {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e'))
        .unwrap_or(text.len());
    let n: f64 = text[..end].parse().ok()?;
    Some((n, &text[end..]))
}

fn range(start: &str, end: &str, step: &str) -> Result<Vec<String>, SpecProblem> {
    let (a, unit) = number_and_unit(start).ok_or(SpecProblem::NotANumber("start"))?;
    let (b, unit_b) = number_and_unit(end).ok_or(SpecProblem::NotANumber("end"))?;
    let (s, unit_s) = number_and_unit(step).ok_or(SpecProblem::NotANumber("step"))?;
    if unit != unit_b || unit != unit_s {
        return mixed_units(start, end, step);
    }
    if !(s > 0.0) || b < a {
        return Err(SpecProblem::Order);
    }
    let n = ((b - a) / s + 1e-9).floor() as usize + 1;
    if n > MAX_SWEEP_POINTS {
        return Err(SpecProblem::TooManyPoints(n));
    }
    let integer = [a, b, s].iter().all(|x| x.fract() == 0.0);
    Ok((0..n)
        .map(|i| {
            let v = a + i as f64 * s;
            let text = if integer {
                format!("{}", v as i64)
            } else {
                format!("{}", (v * 1e9).round() / 1e9)
            };
            if unit.is_empty() {
                text
            } else {
                // Durations and rates are strings in scenario files.
                format!("\"{text}{unit}\"")
            }
        })
        .collect())
}

/// Runs every point with the same seed and replications.
pub fn sweep(
    key: &str,
    points: Vec<SweepPoint>,
    options: &RunOptions,
    progress: &(dyn Fn(u32, u32) + Sync),
) -> Result<Sweep, super::RunError> {
    let total = options.replications * points.len() as u32;
    let mut out = Vec::with_capacity(points.len());
    for (i, p) in points.into_iter().enumerate() {
        let before = options.replications * i as u32;
        let r = run(&p.scenario, options, &|done, _| {
            progress(before + done, total)
        })?;
        out.push((p.value, r));
    }
    Ok(Sweep {
        key: key.to_string(),
        points: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_lists() {
        assert_eq!(
            parse_vary("agents.count=50:53:1").unwrap(),
            (
                "agents.count".into(),
                vec!["50".into(), "51".into(), "52".into(), "53".into()]
            )
        );
        assert_eq!(
            parse_vary("callbacks.offer_above=30s:90s:30s").unwrap().1,
            vec!["\"30s\"", "\"60s\"", "\"90s\""]
        );
        assert_eq!(
            parse_vary("x=0.1:0.3:0.1").unwrap().1,
            vec!["0.1", "0.2", "0.3"]
        );
        assert_eq!(
            parse_vary("callbacks.policy=\"keep_place\",\"deadline\"")
                .unwrap()
                .1,
            vec!["\"keep_place\"", "\"deadline\""]
        );
        assert!(parse_vary("x=5:1:1").is_err());
        // Issue #15: the README's own example mixes units.
        assert_eq!(
            parse_vary("callbacks.offer_above=30s:2m:30s").unwrap().1,
            vec!["\"30s\"", "\"1m\"", "\"1m30s\"", "\"2m\""]
        );
        assert_eq!(
            parse_vary("arrivals.rate=600/h:12/min:60/h").unwrap().1,
            vec!["\"600/h\"", "\"660/h\"", "\"720/h\""]
        );
        assert_eq!(
            parse_vary("opens=\"07:00\",\"08:00\"").unwrap().1,
            vec!["\"07:00\"", "\"08:00\""]
        );
        assert!(parse_vary("x=1s:5/h:1s").is_err());
        assert!(parse_vary("x=1s:2d:1s").is_err());
        assert!(parse_vary("x").is_err());
        assert!(parse_vary("x=0:1e9:1").is_err());
    }
}
