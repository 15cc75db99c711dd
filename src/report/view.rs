//! The KPI tables as data, for a front end that draws its own (the web page of
//! `callsim serve`): the same rows, cells and verdicts as the terminal table and the HTML
//! report, already formatted, so every front end shows the same figures. Cells are plain text;
//! escaping them is the drawing side's job.

use serde::Serialize;

use super::compare::{difference, shown};
use super::table::{exact_value, format_value};
use crate::experiment::{Comparison, ExperimentResult, ScopeResult};
use crate::kpi::{Kpi, ListedScope};

/// One table: a heading, its columns and one row per KPI that says something.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiTable {
    /// What the table is about, e.g. `KPIs` or `By department`.
    pub heading: String,
    /// Column names after the KPI label: scopes, variants or differences.
    pub columns: Vec<String>,
    /// The theory column's model (`Erlang C`, ...), when the table has one.
    pub theory: Option<String>,
    /// The rows, in report order.
    pub rows: Vec<KpiRow>,
}

/// One KPI's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiRow {
    /// The KPI's JSON key.
    pub key: &'static str,
    /// Its label in the terminal table.
    pub label: String,
    /// One cell per column (empty where the KPI does not apply).
    pub cells: Vec<String>,
    /// The exact value, when the table has a theory column and the KPI a closed form.
    pub theory: Option<String>,
    /// `agrees` or `differs` next to `theory`.
    pub verdict: Option<&'static str>,
}

impl KpiRow {
    /// A row of `kpi` with `cells` and no theory column.
    fn plain(kpi: Kpi, cells: Vec<String>) -> Self {
        Self {
            key: kpi.key(),
            label: kpi.label().trim().to_string(),
            cells,
            theory: None,
            verdict: None,
        }
    }
}

fn cell(kpi: Kpi, scope: &ScopeResult) -> String {
    scope
        .get(kpi)
        .map_or_else(String::new, |e| format_value(kpi, e))
}

fn scope_table(heading: &str, kpis: &[Kpi], scopes: &[&ScopeResult]) -> KpiTable {
    KpiTable {
        heading: heading.to_string(),
        columns: scopes.iter().map(|s| s.name.clone()).collect(),
        theory: None,
        rows: kpis
            .iter()
            .filter(|k| scopes.iter().any(|s| s.get(**k).is_some()))
            .map(|&k| KpiRow::plain(k, scopes.iter().map(|s| cell(k, s)).collect()))
            .collect(),
    }
}

/// The tables of a run, as the HTML report has them: overall and caller classes first (with
/// the theory column where a closed form applies), then every other listed scope with entries.
pub fn kpi_tables(result: &ExperimentResult) -> Vec<KpiTable> {
    let scopes: Vec<&ScopeResult> = std::iter::once(&result.overall)
        .chain(result.by_class())
        .collect();
    let mut first = scope_table("KPIs", &result.relevant, &scopes);
    if let Some(t) = &result.theory {
        first.theory = Some(t.form.name().to_string());
        for row in &mut first.rows {
            let Some(&(kpi, x)) = t.overall.iter().find(|(k, _)| k.key() == row.key) else {
                continue;
            };
            row.theory = Some(exact_value(kpi, x));
            row.verdict = result.overall.get(kpi).map(|e| {
                if super::agrees(e, x) {
                    "agrees"
                } else {
                    "differs"
                }
            });
        }
    }
    let mut tables = vec![first];
    for scope in ListedScope::ALL {
        let entries = result.listed(scope);
        if scope == ListedScope::Class || entries.is_empty() {
            continue;
        }
        let entries: Vec<&ScopeResult> = entries.iter().collect();
        tables.push(scope_table(scope.heading(), &result.relevant, &entries));
    }
    tables
}

/// The tables of a comparison: each variant's values, then the paired differences against
/// the base (a cell ends in ` *` where the paired 95 % interval excludes zero).
pub fn comparison_tables(c: &Comparison) -> Vec<KpiTable> {
    let kpis = shown(c);
    let table =
        |heading: &str, columns: &[(String, String)], cells: &dyn Fn(Kpi) -> Vec<String>| {
            KpiTable {
                heading: heading.to_string(),
                columns: columns.iter().map(|(n, _)| n.clone()).collect(),
                theory: None,
                rows: kpis.iter().map(|&k| KpiRow::plain(k, cells(k))).collect(),
            }
        };
    let values = table("Values (mean ± 95 % CI)", &c.variants, &|k| {
        c.results.iter().map(|r| cell(k, &r.overall)).collect()
    });
    let differences = table(
        "Paired difference against the base",
        &c.variants[1..],
        &|k| {
            c.differences
                .iter()
                .map(|diffs| {
                    difference(k, diffs).map_or_else(String::new, |(text, excludes_zero)| {
                        format!("{text}{}", if excludes_zero { " *" } else { "" })
                    })
                })
                .collect()
        },
    );
    vec![values, differences]
}
