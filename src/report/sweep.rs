//! Reports of a sweep: a table of the main KPIs per point; JSON and CSV of every KPI.

use std::fmt::Write;

use serde_json::{Map, Value, json};

use super::json::estimate;
use super::table::format_value;
use crate::experiment::Sweep;
use crate::kpi::Kpi;

/// The KPIs of the terminal table (JSON and CSV have them all).
pub const SWEEP_TABLE_KPIS: [Kpi; 6] = [
    Kpi::ServiceLevel,
    Kpi::AbandonmentRate,
    Kpi::AsaS,
    Kpi::WaitP90S,
    Kpi::Occupancy,
    Kpi::QueueLengthMean,
];

/// The terminal table: one row per point.
pub fn sweep_table(s: &Sweep) -> String {
    let mut out = String::new();
    let reps = s.points.first().map_or(0, |p| p.1.replications);
    let seed = s.points.first().map_or(0, |p| p.1.seed);
    let _ = writeln!(
        out,
        "Sweep of {} on common random numbers: {reps} replications, seed {seed} \
         (mean ± 95 % CI half-width)\n",
        s.key
    );
    let first = 18usize.max(s.key.len() + 2);
    let _ = write!(out, "{:first$}", s.key);
    for k in SWEEP_TABLE_KPIS {
        let _ = write!(out, "{:>20}", k.label());
    }
    let _ = writeln!(out, "\n{}", "-".repeat(first + 20 * SWEEP_TABLE_KPIS.len()));
    for (value, r) in &s.points {
        let _ = write!(out, "{:first$}", value.trim_matches('"'));
        for k in SWEEP_TABLE_KPIS {
            let cell = r
                .overall
                .get(k)
                .map_or_else(String::new, |e| format_value(k, e));
            let _ = write!(out, "{cell:>20}");
        }
        out.push('\n');
    }
    out
}

/// Every KPI of every point as JSON.
pub fn sweep_json(s: &Sweep) -> Vec<u8> {
    let points: Vec<Value> = s
        .points
        .iter()
        .map(|(value, r)| {
            let mut kpis = Map::new();
            for (k, e) in &r.overall.kpis {
                kpis.insert(k.key().to_string(), estimate(e));
            }
            json!({ "value": value.trim_matches('"'), "kpis": kpis })
        })
        .collect();
    let doc = json!({
        "key": s.key,
        "seed": s.points.first().map_or(0, |p| p.1.seed),
        "replications": s.points.first().map_or(0, |p| p.1.replications),
        "points": points,
    });
    let mut out = serde_json::to_vec_pretty(&doc).expect("JSON values always serialise");
    out.push(b'\n');
    out
}

/// `sweep.csv`: one row per (point, KPI).
pub fn sweep_csv(s: &Sweep) -> Vec<u8> {
    let mut out = String::from("value,kpi,mean,std_dev,ci95_lo,ci95_hi,n\n");
    for (value, r) in &s.points {
        for (k, e) in &r.overall.kpis {
            let _ = writeln!(
                out,
                "{},{},{}",
                super::csv::quoted(value.trim_matches('"')),
                k.key(),
                super::csv::estimate_cells(e)
            );
        }
    }
    out.into_bytes()
}
