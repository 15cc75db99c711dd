//! The terminal summary: one row per KPI, mean ± CI half-width, overall and per class.

use std::fmt::Write;

use crate::experiment::{ExperimentResult, ScopeResult};
use crate::kpi::Kpi;
use crate::stats::Estimate;

fn format_value(kpi: Kpi, e: &Estimate) -> String {
    if e.mean.is_nan() {
        return "-".to_string();
    }
    let half = e.half_width();
    let half = if half.is_finite() { Some(half) } else { None };
    if kpi.is_share() {
        match half {
            Some(h) => format!("{:.1} % ± {:.1}", e.mean * 100.0, h * 100.0),
            None => format!("{:.1} %", e.mean * 100.0),
        }
    } else if kpi.is_count() {
        match half {
            Some(h) => format!("{:.0} ± {:.0}", e.mean, h),
            None => format!("{:.0}", e.mean),
        }
    } else {
        match half {
            Some(h) => format!("{:.1} ± {:.1}", e.mean, h),
            None => format!("{:.1}", e.mean),
        }
    }
}

fn column(scope: &ScopeResult, kpi: Kpi) -> String {
    scope
        .get(kpi)
        .map_or_else(String::new, |e| format_value(kpi, e))
}

/// A plain-text table (fits 100 columns for up to three caller classes).
pub fn table(result: &ExperimentResult, source: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Scenario: {}  ({source})", result.scenario);
    let _ = writeln!(
        out,
        "Replications: {}  seed: {}  (mean ± 95 % CI half-width across replications)\n",
        result.replications, result.seed
    );
    let scopes: Vec<&ScopeResult> = std::iter::once(&result.overall)
        .chain(&result.by_class)
        .collect();
    let label_width = Kpi::ALL.iter().map(|k| k.label().len()).max().unwrap_or(10) + 2;
    let col_width = 20;
    let _ = write!(out, "{:label_width$}", "KPI");
    for s in &scopes {
        let _ = write!(out, "{:>col_width$}", s.name);
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        "-".repeat(label_width + col_width * scopes.len())
    );
    for kpi in Kpi::ALL {
        let _ = write!(out, "{:label_width$}", kpi.label());
        for s in &scopes {
            let _ = write!(out, "{:>col_width$}", column(s, kpi));
        }
        out.push('\n');
    }
    for w in &result.warnings {
        let _ = writeln!(out, "\nwarning: {w}");
    }
    out
}
