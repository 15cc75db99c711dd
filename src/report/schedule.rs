//! Reports of `schedule`: the shifts, and per interval the requirement, the agents on duty
//! and the service level of the roster's day simulation.

use std::fmt::Write;

use serde_json::{Value, json};

use super::csv::cell;
use super::json::{estimate, number};
use crate::experiment::{Schedule, ScheduleMethod, StaffTarget};
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
            let brk = c
                .breaks(p)
                .map(|(b, length)| clock.span(b as f64 * i, (b + length) as f64 * i))
                .collect::<Vec<_>>()
                .join(" ");
            let (start, end) = if s.days > 1 {
                (clock.moment(start), clock.moment(end))
            } else {
                (clock.time_of_day(start), clock.end_of_day_span(end))
            };
            (p.name.clone(), start, end, brk, *n)
        })
        .collect()
}

/// What the method means, for headings.
fn method_text(s: &Schedule) -> String {
    match s.method {
        ScheduleMethod::Day => format!(
            "the day-verified requirement, repaired in {} round(s) of solving and simulating \
             the day until every interval meets the target with confidence (the lower end of \
             its 95 % interval)",
            s.rounds
        ),
        ScheduleMethod::Sipp => {
            "the SIPP requirement, covered once and not repaired (for comparison)".into()
        }
        ScheduleMethod::ErlangC => {
            "the Erlang C requirement, covered once and not repaired (for comparison)".into()
        }
    }
}

/// The method's name in JSON.
fn method_name(m: ScheduleMethod) -> &'static str {
    match m {
        ScheduleMethod::Day => "day",
        ScheduleMethod::Sipp => "sipp",
        ScheduleMethod::ErlangC => "erlang-c",
    }
}

/// The start of interval `k` as clock text; over a week with its day (`d2 08:00`), as
/// `intervals.csv` of a run labels a forecast of several days.
fn start_label(s: &Schedule, clock: Clock, k: usize) -> String {
    let t = k as f64 * s.interval_s;
    if s.days > 1 {
        clock.moment(t)
    } else {
        clock.time_of_day(t)
    }
}

/// The replications of the out-of-sample check, 1-based as an analyst counts them.
fn check_span(s: &Schedule) -> (u32, u32) {
    (s.replications + 1, 2 * s.replications)
}

/// The terminal table.
pub fn schedule_table(s: &Schedule, target: &StaffTarget, clock: Clock) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Shifts for {:.0} % answered within {} s in every interval, covering {}; {} \
         replications per simulation: {}\n",
        target.service_level * 100.0,
        target.within_s,
        method_text(s),
        s.replications,
        if s.met() { "met" } else { "NOT met" }
    );
    // A week's times name their day.
    let (w, b) = if s.days > 1 { (11, 20) } else { (8, 16) };
    let _ = writeln!(
        out,
        "{:24}{:>w$}{:>w$}{:>b$}{:>8}",
        "pattern", "start", "end", "break", "agents"
    );
    let _ = writeln!(out, "{}", "-".repeat(24 + 2 * w + b + 8));
    for (name, start, end, brk, n) in shift_rows(s, clock) {
        let _ = writeln!(out, "{name:24}{start:>w$}{end:>w$}{brk:>b$}{n:>8}");
    }
    let _ = writeln!(
        out,
        "\nPaid hours {:.1}, cost {:.2}\n",
        s.paid_hours, s.cost
    );
    let _ = writeln!(
        out,
        "{:13}{:>9}{:>13}{:>11}{:>18}{:>16}{:>16}",
        "interval",
        "calls/h",
        "requirement",
        "scheduled",
        "service level %",
        "abandoned %",
        "out of sample %"
    );
    let _ = writeln!(out, "{}", "-".repeat(96));
    let mut closed = 0;
    for (k, t) in s.trials.iter().enumerate() {
        // Over a week, the nights (no calls, nobody on) would bury the days.
        if s.days > 1 && s.rates_per_s[k] == 0.0 && s.scheduled[k] == 0 {
            closed += 1;
            continue;
        }
        let span = clock.span(k as f64 * s.interval_s, (k + 1) as f64 * s.interval_s);
        let pm = |e| super::staff::pm(e, 100.0, 1);
        let _ = writeln!(
            out,
            "{span:13}{:>9.0}{:>13}{:>11}{:>18}{:>16}{:>16}",
            s.rates_per_s[k] * 3600.0,
            s.requirement[k],
            s.scheduled[k],
            pm(&t.service_level),
            pm(&t.abandonment_rate),
            pm(&s.check[k].service_level)
        );
    }
    if closed > 0 {
        let _ = writeln!(
            out,
            "({closed} interval(s) with no calls and nobody on left out; the JSON and CSV \
             have them.)"
        );
    }
    let (from, to) = check_span(s);
    let below = s.missed_out_of_sample(target);
    let significant = below
        .iter()
        .filter(|&&k| s.check[k].service_level.ci95[1] < target.service_level)
        .count();
    let with_calls = s.rates_per_s.iter().filter(|&&r| r > 0.0).count();
    match s.worst_out_of_sample() {
        Some((k, sl)) => {
            let _ = writeln!(
                out,
                "\nOut of sample (replications {from}-{to} of the seed, which the search never \
                 used): worst interval {} at {:.1} %; {} of {with_calls} interval(s) with calls \
                 below {:.0} %{}.",
                clock.span(k as f64 * s.interval_s, (k + 1) as f64 * s.interval_s),
                sl * 100.0,
                below.len(),
                target.service_level * 100.0,
                match (below.len(), significant) {
                    (0, _) => String::new(),
                    (_, 0) => ", none significantly (each one's 95 % interval reaches the \
                               target)"
                        .to_string(),
                    (_, n) => format!(", {n} significantly (the whole 95 % interval below)"),
                }
            );
        }
        None => {
            let _ = writeln!(out, "\nOut of sample: no interval had calls.");
        }
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
                "start": start_label(s, clock, k),
                "rate_per_hour": number(s.rates_per_s[k] * 3600.0),
                "requirement": s.requirement[k],
                "scheduled": s.scheduled[k],
                "service_level": estimate(&t.service_level),
                "abandonment_rate": estimate(&t.abandonment_rate),
                "occupancy": estimate(&t.occupancy),
                "out_of_sample": {
                    "service_level": estimate(&s.check[k].service_level),
                    "abandonment_rate": estimate(&s.check[k].abandonment_rate),
                },
            })
        })
        .collect();
    let (from, to) = check_span(s);
    let at = |k: usize| start_label(s, clock, k);
    let worst = s.worst_out_of_sample();
    let doc = json!({
        "target": {
            "service_level": target.service_level,
            "within_s": target.within_s,
            "max_abandon": target.max_abandon,
        },
        "method": method_name(s.method),
        "replications": s.replications,
        "met": s.met(),
        "missed": s.missed.iter().map(|&k| at(k)).collect::<Vec<_>>(),
        "rounds": s.rounds,
        "paid_hours": number(s.paid_hours),
        "cost": number(s.cost),
        "out_of_sample": {
            "replications": [from, to],
            "worst_service_level": worst.map(|(_, sl)| number(sl)),
            "worst_interval": worst.map(|(k, _)| at(k)),
            "missed": s.missed_out_of_sample(target).iter().map(|&k| at(k)).collect::<Vec<_>>(),
        },
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
        "start_s,start,rate_per_hour,requirement,scheduled,service_level,abandonment_rate,\
         occupancy,out_of_sample_service_level,out_of_sample_abandonment_rate\n",
    );
    for (k, t) in s.trials.iter().enumerate() {
        let _ = writeln!(
            rows,
            "{},{},{},{},{},{},{},{},{},{}",
            k as f64 * s.interval_s,
            start_label(s, clock, k),
            s.rates_per_s[k] * 3600.0,
            s.requirement[k],
            s.scheduled[k],
            cell(t.service_level.mean),
            cell(t.abandonment_rate.mean),
            cell(t.occupancy.mean),
            cell(s.check[k].service_level.mean),
            cell(s.check[k].abandonment_rate.mean)
        );
    }
    (shifts.into_bytes(), rows.into_bytes())
}
