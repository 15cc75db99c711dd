//! Reports of a comparison: values per variant, then paired differences against the base.

use std::fmt::Write;

use serde_json::{Map, Value, json};

use super::csv::cell;
use super::json::{estimate, number};
use super::table::format_value;
use crate::experiment::{Comparison, Difference};
use crate::kpi::{Kpi, Scope};

const LABEL_WIDTH: usize = 26;
const COLUMN_WIDTH: usize = 22;

/// KPIs that say something about at least one variant, in report order.
pub(super) fn shown(c: &Comparison) -> Vec<Kpi> {
    Kpi::ALL
        .into_iter()
        .filter(|k| k.applies_to(Scope::Overall))
        .filter(|k| c.results.iter().any(|r| r.relevant.contains(k)))
        .collect()
}

/// The terminal report of a comparison.
pub fn compare_table(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Comparison on common random numbers: {} replications, seed {}",
        c.replications, c.seed
    );
    for (name, source) in &c.variants {
        let _ = writeln!(out, "  {name}: {source}");
    }
    let kpis = shown(c);
    let _ = write!(out, "\n{:LABEL_WIDTH$}", "KPI (mean ± 95 % CI)");
    for (name, _) in &c.variants {
        let _ = write!(out, "{name:>COLUMN_WIDTH$}");
    }
    let _ = writeln!(
        out,
        "\n{}",
        "-".repeat(LABEL_WIDTH + COLUMN_WIDTH * c.variants.len())
    );
    for &k in &kpis {
        let _ = write!(out, "{:LABEL_WIDTH$}", k.label());
        for r in &c.results {
            let cell = r
                .overall
                .get(k)
                .map_or_else(String::new, |e| format_value(k, e));
            let _ = write!(out, "{cell:>COLUMN_WIDTH$}");
        }
        out.push('\n');
    }
    if c.differences.is_empty() {
        return out;
    }
    let _ = write!(out, "\n{:LABEL_WIDTH$}", "Paired difference vs base");
    for (name, _) in &c.variants[1..] {
        let _ = write!(out, "{name:>COLUMN_WIDTH$}");
    }
    let _ = writeln!(
        out,
        "\n{}",
        "-".repeat(LABEL_WIDTH + COLUMN_WIDTH * (c.variants.len() - 1))
    );
    for &k in &kpis {
        let _ = write!(out, "{:LABEL_WIDTH$}", k.label());
        for diffs in &c.differences {
            let cell = difference(k, diffs).map_or_else(String::new, |(text, excludes_zero)| {
                format!("{text}{}", if excludes_zero { " *" } else { "  " })
            });
            let _ = write!(out, "{cell:>COLUMN_WIDTH$}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "\n* the paired 95 % interval excludes 0: the variant differs from the base."
    );
    out.lines()
        .map(|l| l.trim_end().to_string() + "\n")
        .collect()
}

/// The paired difference of `k` among a variant's `diffs`, signed in the KPI's unit, and
/// whether its 95 % interval excludes zero; `None` where it is undefined.
pub(super) fn difference(k: Kpi, diffs: &[(Kpi, Difference)]) -> Option<(String, bool)> {
    diffs
        .iter()
        .find(|(kk, _)| *kk == k)
        .filter(|(_, d)| !d.paired.mean.is_nan())
        .map(|(_, d)| {
            (
                signed(k, d.paired.mean, d.paired.half_width()),
                d.excludes_zero(),
            )
        })
}

/// A difference with its sign, in the KPI's unit (shares in percentage points).
fn signed(k: Kpi, mean: f64, half: f64) -> String {
    let (scale, digits, unit) = if k.is_share() {
        (100.0, 1, " pp")
    } else if k.is_count() {
        (1.0, 0, "")
    } else {
        (1.0, 2, "")
    };
    let half = if half.is_finite() { half * scale } else { 0.0 };
    format!(
        "{:+.digits$} ± {:.digits$}{unit}",
        mean * scale,
        half,
        digits = digits
    )
}

/// The comparison as pretty JSON, ending in a newline.
pub fn compare_json(c: &Comparison) -> Vec<u8> {
    let runs: Vec<Value> = c
        .variants
        .iter()
        .zip(&c.results)
        .map(|((name, source), r)| {
            let mut kpis = Map::new();
            for (k, e) in &r.overall.kpis {
                kpis.insert(k.key().to_string(), estimate(e));
            }
            json!({ "name": name, "source": source, "kpis": kpis })
        })
        .collect();
    let mut differences = Map::new();
    for ((name, _), diffs) in c.variants[1..].iter().zip(&c.differences) {
        let mut m = Map::new();
        for (k, d) in diffs {
            let mut e = estimate(&d.paired);
            if let Value::Object(o) = &mut e {
                o.insert("excludes_zero".into(), Value::Bool(d.excludes_zero()));
                o.insert(
                    "unpaired_ci95_half_width".into(),
                    number(d.unpaired_half_width),
                );
            }
            m.insert(k.key().to_string(), e);
        }
        differences.insert(name.clone(), Value::Object(m));
    }
    let doc = json!({
        "base": c.variants[0].0,
        "seed": c.seed,
        "replications": c.replications,
        "runs": runs,
        "differences": differences,
    });
    let mut out = serde_json::to_vec_pretty(&doc).expect("JSON values always serialise");
    out.push(b'\n');
    out
}

/// `compare.csv`: one row per (variant, KPI): the value and the paired difference against the
/// base (empty for the base itself).
pub fn compare_csv(c: &Comparison) -> Vec<u8> {
    let mut out = String::from(
        "variant,kpi,mean,ci95_lo,ci95_hi,diff_mean,diff_ci95_lo,diff_ci95_hi,diff_n,excludes_zero\n",
    );
    for (i, ((name, _), r)) in c.variants.iter().zip(&c.results).enumerate() {
        for (k, e) in &r.overall.kpis {
            let d = i
                .checked_sub(1)
                .and_then(|j| c.differences[j].iter().find(|(kk, _)| kk == k))
                .map(|(_, d)| *d);
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{}",
                super::csv::quoted(name),
                k.key(),
                cell(e.mean),
                cell(e.ci95[0]),
                cell(e.ci95[1]),
                d.map_or_else(String::new, |d| cell(d.paired.mean)),
                d.map_or_else(String::new, |d| cell(d.paired.ci95[0])),
                d.map_or_else(String::new, |d| cell(d.paired.ci95[1])),
                d.map_or_else(String::new, |d| d.paired.n.to_string()),
                d.map_or_else(String::new, |d| d.excludes_zero().to_string()),
            );
        }
    }
    out.into_bytes()
}
