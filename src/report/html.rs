//! `--report FILE.html`: one self-contained page (charts inline as SVG, KPI tables, the scenario
//! text) that opens offline. Every string that comes from the user is escaped, and the page is
//! well-formed XML as well as HTML, so a test can parse it strictly.

use std::fmt::Write;

use crate::experiment::{
    Comparison, ExperimentResult, PeriodStaffing, ScopeResult, StaffTarget, Sweep,
};
use crate::experiment::{Schedule, StaffMethod};
use crate::kpi::{Kpi, ListedScope};
use crate::plot::Rendered;
use crate::scenario::LoadedScenario;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:sans-serif;margin:2em auto;max-width:1000px;color:#222}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;\
text-align:right}th:first-child,td:first-child{text-align:left}pre{background:#f6f6f6;\
padding:1em;overflow-x:auto}.warn{color:#a40}figure{margin:1em 0}svg{max-width:100%;height:auto}";

fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\
         <title>{}</title><style>{STYLE}</style></head><body>\n",
        escape(title)
    );
}

fn cell(kpi: Kpi, scope: &ScopeResult) -> String {
    scope
        .get(kpi)
        .map_or_else(String::new, |e| escape(&super::table::format_value(kpi, e)))
}

fn kpi_table(out: &mut String, kpis: &[Kpi], scopes: &[&ScopeResult]) {
    out.push_str("<table><thead><tr><th>KPI</th>");
    for s in scopes {
        let _ = write!(out, "<th>{}</th>", escape(&s.name));
    }
    out.push_str("</tr></thead><tbody>\n");
    for &k in kpis {
        if !scopes.iter().any(|s| s.get(k).is_some()) {
            continue;
        }
        let _ = write!(
            out,
            "<tr><td title=\"{}\">{}</td>",
            k.key(),
            escape(k.label().trim())
        );
        for s in scopes {
            let _ = write!(out, "<td>{}</td>", cell(k, s));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

fn charts(out: &mut String, charts: &[Rendered]) {
    for c in charts {
        let _ = writeln!(out, "<figure id=\"{}\">{}</figure>", escape(&c.name), c.svg);
    }
}

fn scenario_text(out: &mut String, loaded: &LoadedScenario) {
    out.push_str("<h2>Scenario</h2>\n");
    if !loaded.overrides.is_empty() {
        out.push_str("<p>Overrides: ");
        for (i, o) in loaded.overrides.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "<code>{}</code>", escape(o));
        }
        out.push_str("</p>\n");
    }
    let _ = writeln!(out, "<pre>{}</pre>", escape(&loaded.text));
}

/// The report of a run.
pub fn html_report(
    result: &ExperimentResult,
    loaded: &LoadedScenario,
    rendered: &[Rendered],
) -> Vec<u8> {
    let mut out = String::new();
    head(&mut out, &format!("callsim: {}", result.scenario));
    let _ = write!(
        out,
        "<h1>{}</h1>\n<p>Source: <code>{}</code>. {} replications, seed {}. Each value is the mean \
         over replications ± the half width of its 95 % confidence interval.</p>\n",
        escape(&result.scenario),
        escape(&loaded.source),
        result.replications,
        result.seed
    );
    for w in &result.warnings {
        let _ = writeln!(
            out,
            "<p class=\"warn\">Warning: {}</p>",
            escape(&w.to_string())
        );
    }
    out.push_str("<h2>KPIs</h2>\n");
    // The caller classes share the overall table; every other listed scope with entries has
    // a table of its own, in list order.
    let scopes: Vec<&ScopeResult> = std::iter::once(&result.overall)
        .chain(result.by_class())
        .collect();
    kpi_table(&mut out, &result.relevant, &scopes);
    for scope in ListedScope::ALL {
        let entries = result.listed(scope);
        if scope == ListedScope::Class || entries.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<h2>{}</h2>", escape(scope.heading()));
        let entries: Vec<&ScopeResult> = entries.iter().collect();
        kpi_table(&mut out, &result.relevant, &entries);
    }
    if !rendered.is_empty() {
        out.push_str("<h2>Charts</h2>\n");
        charts(&mut out, rendered);
    }
    scenario_text(&mut out, loaded);
    out.push_str("</body></html>\n");
    out.into_bytes()
}

/// A page of one command whose result is a text table: `heading` (HTML, already escaped),
/// the table, the charts and the scenario.
fn table_page(
    title: &str,
    heading: &str,
    table: &str,
    rendered: &[Rendered],
    loaded: &LoadedScenario,
) -> Vec<u8> {
    let mut out = String::new();
    head(&mut out, title);
    out.push_str(heading);
    let _ = writeln!(out, "<pre>{}</pre>", escape(table));
    charts(&mut out, rendered);
    scenario_text(&mut out, loaded);
    out.push_str("</body></html>\n");
    out.into_bytes()
}

/// The report of a comparison.
pub fn html_comparison(c: &Comparison, loaded: &LoadedScenario, rendered: &[Rendered]) -> Vec<u8> {
    let mut heading = format!(
        "<h1>Comparison on common random numbers</h1>\n<p>{} replications, seed {}.</p>\n<ul>",
        c.replications, c.seed
    );
    for (name, source) in &c.variants {
        let _ = write!(
            heading,
            "<li><b>{}</b>: <code>{}</code></li>",
            escape(name),
            escape(source)
        );
    }
    heading.push_str("</ul>\n");
    let table = super::compare_table(c);
    table_page("callsim comparison", &heading, &table, rendered, loaded)
}

/// The HTML page of a sweep: the table of every point, the sweep chart and the scenario.
pub fn html_sweep(sweep: &Sweep, loaded: &LoadedScenario, rendered: &[Rendered]) -> Vec<u8> {
    let heading = format!(
        "<h1>Sweep of <code>{}</code> on common random numbers</h1>\n<p>{} points.</p>\n",
        escape(&sweep.key),
        sweep.points.len()
    );
    let table = super::sweep_table(sweep);
    table_page("callsim sweep", &heading, &table, rendered, loaded)
}

/// The HTML page of `staff`: the staffing table, the staffing chart and the scenario.
pub fn html_staff(
    periods: &[PeriodStaffing],
    target: &StaffTarget,
    replications: u32,
    method: StaffMethod,
    loaded: &LoadedScenario,
    rendered: &[Rendered],
) -> Vec<u8> {
    let heading = format!("<h1>Staffing of {}</h1>\n", escape(&loaded.scenario.name));
    let table = super::staff_table(
        periods,
        target,
        replications,
        method,
        loaded.scenario.clock(),
    );
    table_page("callsim staffing", &heading, &table, rendered, loaded)
}

/// The HTML page of `schedule`: the shifts and intervals table, the schedule and shifts
/// charts and the scenario.
pub fn html_schedule(
    s: &Schedule,
    target: &StaffTarget,
    loaded: &LoadedScenario,
    rendered: &[Rendered],
) -> Vec<u8> {
    let heading = format!(
        "<h1>Shift schedule of {}</h1>\n",
        escape(&loaded.scenario.name)
    );
    let table = super::schedule_table(s, target, loaded.scenario.clock());
    table_page("callsim schedule", &heading, &table, rendered, loaded)
}
