//! The terminal summary: one row per KPI, mean ± CI half-width, overall and per class, in
//! sections; then what each manager saw. Rows for floor features the scenario does not use are
//! left out (JSON and CSV carry every KPI).

use std::fmt::Write;

use crate::experiment::{ExperimentResult, ScopeResult};
use crate::kpi::{Kpi, ListedScope};
use crate::stats::Estimate;

pub(super) fn format_value(kpi: Kpi, e: &Estimate) -> String {
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
    } else if kpi.is_seconds() {
        match half {
            Some(h) => format!("{:.1} ± {:.1}", e.mean, h),
            None => format!("{:.1}", e.mean),
        }
    } else {
        match half {
            Some(h) => format!("{:.2} ± {:.2}", e.mean, h),
            None => format!("{:.2}", e.mean),
        }
    }
}

fn column(scope: &ScopeResult, kpi: Kpi) -> String {
    scope
        .get(kpi)
        .map_or_else(String::new, |e| format_value(kpi, e))
}

/// Report sections: a title and the first KPI of the section.
const SECTIONS: [(&str, Kpi); 5] = [
    ("Calls", Kpi::Offered),
    ("Agents", Kpi::Occupancy),
    ("Callbacks", Kpi::CallbackOffers),
    ("Follow-ups and cases", Kpi::StatusCalls),
    (
        "What the managers believe",
        Kpi::PerceivedFollowUpResponseMeanS,
    ),
];

const LABEL_WIDTH: usize = 26;
const COLUMN_WIDTH: usize = 20;
const VERDICT_WIDTH: usize = 10;

/// An exact value in the table's format for `kpi`, without an interval.
pub(super) fn exact_value(kpi: Kpi, x: f64) -> String {
    let e = Estimate {
        mean: x,
        std_dev: f64::NAN,
        ci95: [f64::NAN, f64::NAN],
        n: 0,
    };
    format_value(kpi, &e)
}

/// A plain-text table (fits 100 columns for up to three caller classes).
/// Warnings are not part of it: the commands print them on stderr, so that a table piped to a
/// file stays a table.
pub fn table(result: &ExperimentResult, source: &str, overrides: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Scenario: {}  ({source})", result.scenario);
    if !overrides.is_empty() {
        let _ = writeln!(out, "Overrides: {}", overrides.join("  "));
    }
    let _ = writeln!(
        out,
        "Replications: {}  seed: {}  (mean ± 95 % CI half-width across replications)",
        result.replications, result.seed
    );
    if result.warmup_auto {
        let _ = writeln!(
            out,
            "Warm-up: auto, chosen {} (MSER-5 on the waits of {} pilot replications)",
            crate::scenario::units::duration_text(result.warmup_s.round()),
            result
                .replications
                .min(crate::experiment::MAX_PILOT_REPLICATIONS)
        );
    }
    // Overall first, then the entries of every scope shown as columns, each with its prefix.
    let mut scopes: Vec<&ScopeResult> = vec![&result.overall];
    let mut headers: Vec<String> = vec![result.overall.name.clone()];
    for scope in ListedScope::ALL {
        if let Layout::Columns { prefix } = layout(scope, result) {
            for entry in result.listed(scope) {
                scopes.push(entry);
                headers.push(format!("{prefix}{}", entry.name));
            }
        }
    }
    let theory = result.theory.as_ref();
    let extra = if theory.is_some() {
        COLUMN_WIDTH + VERDICT_WIDTH
    } else {
        0
    };
    let rule = "-".repeat(LABEL_WIDTH + COLUMN_WIDTH * scopes.len() + extra);
    for kpi in Kpi::ALL {
        if !result.relevant.contains(&kpi) {
            continue;
        }
        if let Some((title, _)) = SECTIONS.iter().find(|(_, first)| *first == kpi) {
            let _ = write!(out, "\n{title:LABEL_WIDTH$}");
            for h in &headers {
                let _ = write!(out, "{h:>COLUMN_WIDTH$}");
            }
            if let Some(t) = theory {
                let _ = write!(
                    out,
                    "{:>COLUMN_WIDTH$}{:>VERDICT_WIDTH$}",
                    t.form.name(),
                    "verdict"
                );
            }
            let _ = writeln!(out, "\n{rule}");
        }
        let _ = write!(out, "{:LABEL_WIDTH$}", kpi.label());
        for s in &scopes {
            let _ = write!(out, "{:>COLUMN_WIDTH$}", column(s, kpi));
        }
        if let Some(t) = theory
            && let Some((_, x)) = t.overall.iter().find(|(k, _)| *k == kpi)
        {
            let verdict = result.overall.get(kpi).map_or("", |e| {
                if super::agrees(e, *x) {
                    "agrees"
                } else {
                    "differs"
                }
            });
            let _ = write!(
                out,
                "{:>COLUMN_WIDTH$}{verdict:>VERDICT_WIDTH$}",
                exact_value(kpi, *x)
            );
        }
        out.push('\n');
    }
    class_theory(&mut out, result);
    for scope in ListedScope::ALL {
        if let Layout::Rows { heading } = layout(scope, result) {
            rows(&mut out, result, scope, heading);
        }
    }
    // Scopes without a value (agent KPIs per class) leave blanks at the end of the line.
    out.lines()
        .map(|l| l.trim_end().to_string() + "\n")
        .collect()
}

/// How the table shows a listed scope's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// As columns of the main table, beside the overall one, headed `prefix` + name.
    Columns { prefix: &'static str },
    /// As a section of its own after the main table, under `heading`: one row per entry.
    Rows { heading: &'static str },
    /// Not at all (its entries would repeat other columns).
    Hidden,
}

/// The table's layout of each listed scope: caller classes (and departments, when one groups
/// several classes) share the main table's KPIs; managers, decline reasons and skill groups
/// report KPIs of their own, one row each.
fn layout(scope: ListedScope, result: &ExperimentResult) -> Layout {
    match scope {
        ListedScope::Class => Layout::Columns { prefix: "" },
        // With one class each, the departments' columns would repeat the classes'.
        ListedScope::Department
            if result.listed(scope).len() < result.listed(ListedScope::Class).len() =>
        {
            Layout::Columns { prefix: "dept " }
        }
        ListedScope::Department => Layout::Hidden,
        ListedScope::Manager => Layout::Rows { heading: "Manager" },
        ListedScope::DeclineReason | ListedScope::SkillGroup => Layout::Rows {
            heading: scope.heading(),
        },
    }
}

/// One row per entry of `scope` with the KPIs it reports: what each manager watched and
/// believes, how many outbound customers declined for each reason, how each skill group
/// spends its time (every one of its KPIs, which side by side tell the groups apart even
/// where the floor's would repeat each other).
fn rows(out: &mut String, result: &ExperimentResult, scope: ListedScope, heading: &str) {
    let entries = result.listed(scope);
    if entries.is_empty() {
        return;
    }
    let columns: Vec<Kpi> = Kpi::ALL
        .into_iter()
        .filter(|k| {
            k.applies_to(scope.into())
                && (scope == ListedScope::SkillGroup || result.relevant.contains(k))
        })
        .collect();
    const WIDTH: usize = 24;
    let _ = write!(out, "\n{heading:LABEL_WIDTH$}");
    for k in &columns {
        let _ = write!(out, "{:>WIDTH$}", k.label());
    }
    let _ = writeln!(out, "\n{}", "-".repeat(LABEL_WIDTH + WIDTH * columns.len()));
    for (i, entry) in entries.iter().enumerate() {
        let name = match scope {
            ListedScope::Manager => format!("{} ({})", entry.name, result.manager_styles[i]),
            _ => entry.name.clone(),
        };
        let _ = write!(out, "{name:LABEL_WIDTH$}");
        for k in &columns {
            let _ = write!(out, "{:>WIDTH$}", column(entry, *k));
        }
        out.push('\n');
    }
    if scope == ListedScope::Manager && result.manager_styles.contains(&"office") {
        let _ = writeln!(
            out,
            "(An office manager watches nobody: the dashboard shows calls, not promises.)"
        );
    }
}

/// Per class, the exact values of a closed form that gives them (priority classes), beside
/// the simulation, with a verdict.
fn class_theory(out: &mut String, result: &ExperimentResult) {
    let Some(t) = result.theory.as_ref().filter(|t| !t.by_class.is_empty()) else {
        return;
    };
    let _ = writeln!(
        out,
        "\n{:LABEL_WIDTH$}{:>COLUMN_WIDTH$}{:>COLUMN_WIDTH$}{:>COLUMN_WIDTH$}{:>VERDICT_WIDTH$}",
        format!("{} by class", t.form.name()),
        "class",
        "simulated",
        "exact",
        "verdict"
    );
    let _ = writeln!(
        out,
        "{}",
        "-".repeat(LABEL_WIDTH + 3 * COLUMN_WIDTH + VERDICT_WIDTH)
    );
    for (class, exact) in result.by_class().iter().zip(&t.by_class) {
        for (kpi, x) in exact {
            let Some(e) = class.get(*kpi) else { continue };
            let verdict = if super::agrees(e, *x) {
                "agrees"
            } else {
                "differs"
            };
            let _ = writeln!(
                out,
                "{:LABEL_WIDTH$}{:>COLUMN_WIDTH$}{:>COLUMN_WIDTH$}{:>COLUMN_WIDTH$}{verdict:>VERDICT_WIDTH$}",
                kpi.label(),
                class.name,
                column(class, *kpi),
                exact_value(*kpi, *x)
            );
        }
    }
}
