//! CSV exports for spreadsheets: one row per (scope, KPI), and one row per replication.

use std::fmt::Write;

use crate::experiment::ExperimentResult;
use crate::kpi::{Kpi, ListedScope};

/// A number as a CSV cell; undefined (NaN, infinite) values are empty cells.
pub(super) fn cell(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// A text cell: quoted where CSV needs it, and defused where a spreadsheet would read it as a
/// formula. Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
/// apostrophe (the usual guard against CSV injection), unless it is a number, which stays one.
pub(super) fn quoted(s: &str) -> String {
    let formula =
        s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.trim().parse::<f64>().is_err();
    let s = if formula {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The cells `mean,std_dev,ci95_lo,ci95_hi,n` of an estimate.
pub(super) fn estimate_cells(e: &crate::stats::Estimate) -> String {
    format!(
        "{},{},{},{},{}",
        cell(e.mean),
        cell(e.std_dev),
        cell(e.ci95[0]),
        cell(e.ci95[1]),
        e.n
    )
}

/// `kpis.csv`: scope, KPI key, mean, std dev, CI bounds, n. Undefined values are empty cells.
/// Scopes are `all`, each caller class, `manager:NAME` for what each manager saw, and
/// `department:NAME` for each department (with two or more), and `decline:REASON` for each
/// reason outbound customers give.
pub fn kpis_csv(result: &ExperimentResult) -> Vec<u8> {
    let mut out = String::from("scope,kpi,mean,std_dev,ci95_lo,ci95_hi,n\n");
    let scopes = std::iter::once((result.overall.name.clone(), &result.overall)).chain(
        ListedScope::ALL.into_iter().flat_map(|scope| {
            result
                .listed(scope)
                .iter()
                .map(move |e| (scope.csv_name(&e.name), e))
        }),
    );
    for (name, scope) in scopes {
        for (k, e) in &scope.kpis {
            let _ = writeln!(out, "{},{},{}", quoted(&name), k.key(), estimate_cells(e));
        }
    }
    out.into_bytes()
}

/// `replications.csv`: one row per replication with every overall KPI.
pub fn replications_csv(result: &ExperimentResult) -> Vec<u8> {
    let mut out = String::from("replication");
    for k in Kpi::ALL {
        out.push(',');
        out.push_str(k.key());
    }
    out.push('\n');
    for (r, values) in result.per_replication.iter().enumerate() {
        let _ = write!(out, "{r}");
        for k in Kpi::ALL {
            out.push(',');
            out.push_str(&cell(values.get(k)));
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// `intervals.csv`: one row per (interval of the day, KPI), the way workforce-management tools
/// report an intraday day. Empty when the run kept no details.
pub fn intervals_csv(result: &ExperimentResult) -> Vec<u8> {
    let mut out = String::from("start_s,end_s,start,end,kpi,mean,std_dev,ci95_lo,ci95_hi,n\n");
    let layout = result.interval_layout;
    for (i, row) in result.by_interval.iter().enumerate() {
        let (start, end) = (layout.start_label(i), layout.end_label(i));
        for (k, e) in row {
            let _ = writeln!(
                out,
                "{},{},{start},{end},{},{}",
                layout.start_s(i),
                layout.start_s(i + 1),
                k.key(),
                estimate_cells(e)
            );
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::quoted;

    /// Issue #15: names went into CSV cells verbatim and became formulas.
    #[test]
    fn formulas_are_defused_and_numbers_stay_numbers() {
        assert_eq!(quoted("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(quoted("+cmd"), "'+cmd");
        assert_eq!(quoted("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(quoted("-1"), "-1");
        assert_eq!(quoted("-2.5e3"), "-2.5e3");
        assert_eq!(quoted("regular"), "regular");
        assert_eq!(quoted("a,b"), "\"a,b\"");
    }
}
