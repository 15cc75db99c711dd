//! `--trace`: one replication's events as CSV.

use std::fmt::Write;

use super::csv::quoted;
use crate::experiment::Trace;

/// The rows of `trace` as CSV: time (seconds from the start and clock time), event, class,
/// caller (its arrival time), agent, manager, detail. Empty cells where a column does not
/// apply.
pub fn trace_csv(trace: &Trace) -> Vec<u8> {
    let mut out = String::from("time_s,clock,event,class,caller_arrival_s,agent,manager,detail\n");
    for r in &trace.rows {
        let class = r
            .class
            .and_then(|c| trace.classes.get(c))
            .map_or_else(String::new, |c| quoted(c));
        let manager = r
            .manager
            .and_then(|m| trace.managers.get(m))
            .map_or_else(String::new, |m| quoted(m));
        let _ = writeln!(
            out,
            "{:.3},{},{},{},{},{},{},{}",
            r.time,
            trace.clock.moment(r.time),
            r.event,
            class,
            r.caller_arrival
                .map_or_else(String::new, |t| format!("{t:.3}")),
            r.agent.map_or_else(String::new, |a| a.to_string()),
            manager,
            quoted(&r.detail),
        );
    }
    out.into_bytes()
}
