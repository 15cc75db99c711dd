//! Reports of `schedule`: the shifts, and per interval the requirement, the agents on duty
//! and the service level of the roster's day simulation.

use std::fmt::Write;

use serde_json::{Value, json};

use super::csv::cell;
use super::json::{estimate, number};
use crate::experiment::{Schedule, StaffTarget};
use crate::model::Clock;

/// One shift of the roster: pattern, start, break (start) and agents, as clock text.
fn shift_rows(s: &Schedule, clock: Clock) -> Vec<(String, String, String, String, u32)> {
    let i = s.interval_s;
    s.shifts
        .iter()
        .map(|(c, n)| {
            let p = &s.patterns[c.pattern];
            let start = c.start as f64 * i;
            let end = (c.start + p.length) as f64 * i;
            let brk = match (c.break_at, p.break_rule) {
                (Some(b), Some(rule)) => clock.span(b as f64 * i, (b + rule.length) as f64 * i),
                _ => String::new(),
            };
            (
                p.name.clone(),
                clock.time_of_day(start),
                clock.end_of_day_span(end),
                brk,
                *n,
            )
        })
        .collect()
}

/// The terminal table.
pub fn schedule_table(
    s: &Schedule,
    target: &StaffTarget,
    replications: u32,
    clock: Clock,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Shifts for {:.0} % answered within {} s in every interval ({} round(s) of solving and \
         simulating the day, {replications} replications each; {})\n",
        target.service_level * 100.0,
        target.within_s,
        s.rounds,
        if s.met { "met" } else { "NOT met" }
    );
    let _ = writeln!(
        out,
        "{:24}{:>8}{:>8}{:>16}{:>8}",
        "pattern", "start", "end", "break", "agents"
    );
    let _ = writeln!(out, "{}", "-".repeat(64));
    for (name, start, end, brk, n) in shift_rows(s, clock) {
        let _ = writeln!(out, "{name:24}{start:>8}{end:>8}{brk:>16}{n:>8}");
    }
    let _ = writeln!(
        out,
        "\nPaid hours {:.1}, cost {:.2}\n",
        s.paid_hours, s.cost
    );
    let _ = writeln!(
        out,
        "{:13}{:>9}{:>13}{:>11}{:>18}{:>16}",
        "interval", "calls/h", "requirement", "scheduled", "service level %", "abandoned %"
    );
    let _ = writeln!(out, "{}", "-".repeat(80));
    for (k, t) in s.trials.iter().enumerate() {
        let span = clock.span(k as f64 * s.interval_s, (k + 1) as f64 * s.interval_s);
        let pm = |e| super::staff::pm(e, 100.0, 1);
        let _ = writeln!(
            out,
            "{span:13}{:>9.0}{:>13}{:>11}{:>18}{:>16}",
            s.rates_per_s[k] * 3600.0,
            s.requirement[k],
            s.scheduled[k],
            pm(&t.service_level),
            pm(&t.abandonment_rate)
        );
    }
    out
}

/// The schedule as JSON.
pub fn schedule_json(s: &Schedule, target: &StaffTarget, clock: Clock) -> Vec<u8> {
    let shifts: Vec<Value> = shift_rows(s, clock)
        .into_iter()
        .map(|(pattern, start, end, brk, agents)| {
            json!({ "pattern": pattern, "start": start, "end": end, "break": brk, "agents": agents })
        })
        .collect();
    let intervals: Vec<Value> = s
        .trials
        .iter()
        .enumerate()
        .map(|(k, t)| {
            json!({
                "start_s": number(k as f64 * s.interval_s),
                "start": clock.time_of_day(k as f64 * s.interval_s),
                "rate_per_hour": number(s.rates_per_s[k] * 3600.0),
                "requirement": s.requirement[k],
                "scheduled": s.scheduled[k],
                "service_level": estimate(&t.service_level),
                "abandonment_rate": estimate(&t.abandonment_rate),
                "occupancy": estimate(&t.occupancy),
            })
        })
        .collect();
    let doc = json!({
        "target": {
            "service_level": target.service_level,
            "within_s": target.within_s,
            "max_abandon": target.max_abandon,
        },
        "met": s.met,
        "rounds": s.rounds,
        "paid_hours": number(s.paid_hours),
        "cost": number(s.cost),
        "shifts": shifts,
        "intervals": intervals,
    });
    let mut out = serde_json::to_vec_pretty(&doc).expect("JSON values always serialise");
    out.push(b'\n');
    out
}

/// `schedule.csv`: one row per shift; `schedule_intervals.csv`: one row per interval.
pub fn schedule_csv(s: &Schedule, clock: Clock) -> (Vec<u8>, Vec<u8>) {
    let mut shifts = String::from("pattern,start,end,break,agents\n");
    for (name, start, end, brk, n) in shift_rows(s, clock) {
        let _ = writeln!(
            shifts,
            "{},{start},{end},{brk},{n}",
            super::csv::quoted(&name)
        );
    }
    let mut rows = String::from(
        "start_s,start,rate_per_hour,requirement,scheduled,service_level,abandonment_rate,occupancy\n",
    );
    for (k, t) in s.trials.iter().enumerate() {
        let _ = writeln!(
            rows,
            "{},{},{},{},{},{},{},{}",
            k as f64 * s.interval_s,
            clock.time_of_day(k as f64 * s.interval_s),
            s.rates_per_s[k] * 3600.0,
            s.requirement[k],
            s.scheduled[k],
            cell(t.service_level.mean),
            cell(t.abandonment_rate.mean),
            cell(t.occupancy.mean)
        );
    }
    (shifts.into_bytes(), rows.into_bytes())
}
