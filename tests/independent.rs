//! The engine against an independent model of M/M/c+M: the bench's tight loop
//! (`benches/support/minimal_loop.rs`), which keeps no abandonment events at all but checks
//! each caller's deadline when they reach the head of the queue, run on the engine's own
//! random streams. With the same callers (same arrivals, patience and talk times), FIFO
//! service, a caller lost exactly when their patience runs out and a run that drains after
//! the last arrival must answer and lose exactly the same callers, whatever the load: a change
//! to any of those rules, or to which stream a number comes from, fails here.

use callsim::engine::Simulation;
use callsim::kpi::{Kpi, KpiCollector};

#[allow(dead_code)] // the bench's other loops are not used here
#[path = "../benches/support/minimal_loop.rs"]
mod minimal_loop;

use crate::common::scenario;

/// Runs M/M/`agents`+M (12 calls/min, talk 4 min, mean patience `patience_s`, `hours`) in the
/// engine and in the independent loop for `replication`, and compares their counts and waits.
fn engine_and_loop_agree(agents: u32, patience_s: f64, hours: f64, replication: u64) {
    let s = scenario(&format!(
        r#"
        horizon = "{hours}h"
        [arrivals]
        rate = "12/min"
        [[callers]]
        patience = {{ dist = "exponential", mean = "{patience_s}s" }}
        handle_time = {{ dist = "exponential", mean = "4m" }}
        [agents]
        count = {agents}
        "#
    ));
    let mut collector = KpiCollector::new(&s);
    Simulation::new(&s)
        .run(5, replication, &mut collector)
        .expect("the run ends");
    let kpis = collector.finish().overall;
    let tight = minimal_loop::run_deadlines_on_engine_streams(
        5,
        replication,
        hours * 3600.0,
        0.2,
        agents,
        240.0,
        patience_s,
    );
    let case = format!("{agents} agents, patience {patience_s} s, replication {replication}");
    assert_eq!(
        kpis.get(Kpi::Answered),
        tight.answered as f64,
        "answered: {case}"
    );
    assert_eq!(
        kpis.get(Kpi::Abandoned),
        tight.abandoned as f64,
        "abandoned: {case}"
    );
    assert!(
        tight.abandoned > 0 && tight.answered > 0,
        "both outcomes occur: {case}"
    );
    let asa = tight.wait_sum_s / tight.answered as f64;
    let engine_asa = kpis.get(Kpi::AsaS);
    assert!(
        (engine_asa - asa).abs() <= 1e-9 * asa.max(1.0),
        "ASA: engine {engine_asa}, loop {asa}: {case}"
    );
}

#[test]
fn the_engine_answers_and_loses_the_same_callers_as_an_independent_fifo_loop() {
    // Under, near and over full load (offered load 48 Erlang), with short and long patience.
    for (agents, patience_s) in [(60, 120.0), (50, 120.0), (40, 30.0), (45, 600.0)] {
        for replication in 0..3 {
            engine_and_loop_agree(agents, patience_s, 24.0, replication);
        }
    }
}
