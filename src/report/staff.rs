//! Reports of a staffing search: the staffing vector with the simulated figures.

use std::fmt::Write;

use serde_json::{Value, json};

use super::csv::cell;
use super::json::{estimate, number};
use crate::experiment::{PeriodStaffing, StaffMethod, StaffTarget, Trial};
use crate::model::Clock;

/// A mean ± CI half width at `scale`, `-` when undefined.
pub(super) fn pm(e: &crate::stats::Estimate, scale: f64, digits: usize) -> String {
    if e.mean.is_nan() {
        return "-".into();
    }
    let h = e.half_width();
    let h = if h.is_finite() { h * scale } else { 0.0 };
    format!("{:.digits$} ± {:.digits$}", e.mean * scale, h)
}

/// The terminal table: one row per period, labelled with clock time.
pub fn staff_table(
    periods: &[PeriodStaffing],
    target: &StaffTarget,
    replications: u32,
    method: StaffMethod,
    clock: Clock,
) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "Fewest agents for {:.0} % answered within {} s",
        target.service_level * 100.0,
        target.within_s
    );
    if let Some(m) = target.max_abandon {
        let _ = write!(out, " and at most {:.1} % abandoned", m * 100.0);
    }
    let _ = match method {
        StaffMethod::Sipp => writeln!(
            out,
            " ({replications} replications of 8 h per interval and trial, each interval alone; \
             the decision uses the mean)\n"
        ),
        StaffMethod::Day {
            simulations,
            passes,
        } => writeln!(
            out,
            " in the whole day: {simulations} day simulations of {replications} replications \
             on common random numbers, {passes} passes; the decision uses the mean; one fewer: \
             that interval with one agent less, which makes the day miss the target\n"
        ),
    };
    let _ = writeln!(
        out,
        "{:13}{:>9}{:>9}{:>8}{:>18}{:>16}{:>16}{:>20}",
        "interval",
        "calls/h",
        "Erlang",
        "agents",
        "service level %",
        "abandoned %",
        "occupancy %",
        "one fewer: SL %"
    );
    let _ = writeln!(out, "{}", "-".repeat(109));
    for p in periods {
        let span = clock.span(p.span.0, p.span.1);
        let erlang = p.erlang_estimate.map_or("-".into(), |n| n.to_string());
        let (agents, sl, ab, occ) = match &p.staffed {
            Some(t) => (
                t.agents.to_string(),
                pm(&t.service_level, 100.0, 1),
                pm(&t.abandonment_rate, 100.0, 1),
                pm(&t.occupancy, 100.0, 1),
            ),
            None if p.rate_per_s > 0.0 => (
                format!(">{}", p.searched_up_to),
                "not met".into(),
                String::new(),
                String::new(),
            ),
            None => ("0".into(), "no calls".into(), String::new(), String::new()),
        };
        let fewer = p
            .one_fewer
            .as_ref()
            .map_or(String::new(), |t| pm(&t.service_level, 100.0, 1));
        let _ = writeln!(
            out,
            "{span:13}{:>9.0}{erlang:>9}{agents:>8}{sl:>18}{ab:>16}{occ:>16}{fewer:>20}",
            p.rate_per_s * 3600.0
        );
    }
    out
}

fn trial_json(t: &Trial) -> Value {
    json!({
        "agents": t.agents,
        "service_level": estimate(&t.service_level),
        "abandonment_rate": estimate(&t.abandonment_rate),
        "asa_s": estimate(&t.asa_s),
        "occupancy": estimate(&t.occupancy),
    })
}

/// The staffing vector as JSON.
pub fn staff_json(
    periods: &[PeriodStaffing],
    target: &StaffTarget,
    method: StaffMethod,
    clock: Clock,
) -> Vec<u8> {
    let rows: Vec<Value> = periods
        .iter()
        .map(|p| {
            json!({
                "start_s": number(p.span.0),
                "end_s": number(p.span.1),
                "start": clock.time_of_day(p.span.0),
                "end": clock.end_of_day_span(p.span.1),
                "rate_per_hour": number(p.rate_per_s * 3600.0),
                "erlang_estimate": p.erlang_estimate,
                "agents": p.staffed.as_ref().map(|t| t.agents),
                "met": p.staffed.is_some() || p.rate_per_s <= 0.0,
                "staffed": p.staffed.as_ref().map(trial_json),
                "one_fewer": p.one_fewer.as_ref().map(trial_json),
                "searched_up_to": p.searched_up_to,
            })
        })
        .collect();
    let method = match method {
        StaffMethod::Sipp => json!({ "name": "sipp" }),
        StaffMethod::Day {
            simulations,
            passes,
        } => json!({ "name": "day", "simulations": simulations, "passes": passes }),
    };
    let doc = json!({
        "method": method,
        "target": {
            "service_level": target.service_level,
            "within_s": target.within_s,
            "max_abandon": target.max_abandon,
        },
        "periods": rows,
    });
    let mut out = serde_json::to_vec_pretty(&doc).expect("JSON values always serialise");
    out.push(b'\n');
    out
}

/// `staff.csv`: one row per period.
pub fn staff_csv(periods: &[PeriodStaffing], clock: Clock) -> Vec<u8> {
    let mut out = String::from(
        "start_s,end_s,start,end,rate_per_hour,erlang_estimate,agents,service_level,service_level_ci95_lo,\
         service_level_ci95_hi,abandonment_rate,occupancy\n",
    );
    for p in periods {
        let t = p.staffed.as_ref();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            p.span.0,
            p.span.1,
            clock.time_of_day(p.span.0),
            clock.end_of_day_span(p.span.1),
            p.rate_per_s * 3600.0,
            p.erlang_estimate.map_or(String::new(), |n| n.to_string()),
            t.map_or(String::new(), |t| t.agents.to_string()),
            t.map_or(String::new(), |t| cell(t.service_level.mean)),
            t.map_or(String::new(), |t| cell(t.service_level.ci95[0])),
            t.map_or(String::new(), |t| cell(t.service_level.ci95[1])),
            t.map_or(String::new(), |t| cell(t.abandonment_rate.mean)),
            t.map_or(String::new(), |t| cell(t.occupancy.mean)),
        );
    }
    out.into_bytes()
}
