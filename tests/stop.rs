//! A run can be stopped from outside (a notebook's Ctrl-C): replications not started are
//! skipped, one under way stops within `CHECK_EVERY_EVENTS` events, and the run fails with
//! `RunError::Stopped` instead of a result.

use std::sync::Arc;
use std::time::{Duration, Instant};

use callsim::experiment::{self, RunError, RunOptions, SimulatedClock};

/// One long replication: about 10⁸ arrivals, minutes of work if nobody stops it.
const LONG: &str = "horizon = \"2400h\"\n[arrivals]\nrate = \"700/min\"\n[[callers]]\n\
                    handle_time = { dist = \"exponential\", mean = \"4m\" }\n\
                    patience = { dist = \"exponential\", mean = \"2m\" }\n[agents]\ncount = 2900\n";

fn options(replications: u32, clock: &Arc<SimulatedClock>) -> RunOptions {
    RunOptions {
        replications,
        seed: 1,
        threads: Some(1),
        details: false,
        clock: Some(Arc::clone(clock)),
    }
}

/// Runs `replications` of `text`, asks for a stop once a replication is under way, and
/// returns what the run gave and its clock.
fn stopped_under_way(
    text: &str,
    replications: u32,
) -> (
    Result<experiment::ExperimentResult, RunError>,
    Arc<SimulatedClock>,
) {
    let scenario = crate::common::scenario(text);
    let clock = Arc::new(SimulatedClock::default());
    let started = Instant::now();
    let outcome = std::thread::scope(|s| {
        let run =
            s.spawn(|| experiment::run(&scenario, &options(replications, &clock), &|_, _| {}));
        // Let it get going, then ask it to stop.
        while clock.furthest_s() == 0.0 && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(5));
        }
        clock.request_stop();
        run.join().expect("the run thread does not panic")
    });
    (outcome, clock)
}

#[test]
fn a_stop_request_ends_a_long_replication_under_way() {
    let (outcome, clock) = stopped_under_way(LONG, 1);
    assert!(matches!(outcome, Err(RunError::Stopped)), "{outcome:?}");
    assert!(clock.furthest_s() > 0.0, "the replication was under way");
    assert!(
        clock.furthest_s() < 2400.0 * 3600.0 / 2.0,
        "it stopped long before its end: {} s",
        clock.furthest_s()
    );
}

#[test]
fn a_stop_asked_before_the_run_skips_every_replication() {
    let scenario = crate::common::scenario(LONG);
    let clock = Arc::new(SimulatedClock::default());
    clock.request_stop();
    let outcome = experiment::run(&scenario, &options(4, &clock), &|_, _| {});
    assert!(matches!(outcome, Err(RunError::Stopped)), "{outcome:?}");
    assert_eq!(clock.furthest_s(), 0.0, "no replication started");
}

#[test]
fn the_pilots_of_an_automatic_warm_up_stop_on_request_too() {
    let auto = LONG.replace("[arrivals]", "warmup = \"auto\"\n[arrivals]");
    let (outcome, clock) = stopped_under_way(&auto, 2);
    assert!(matches!(outcome, Err(RunError::Stopped)), "{outcome:?}");
    assert!(
        clock.furthest_s() < 2400.0 * 3600.0 / 2.0,
        "the pilot stopped long before its end"
    );
}

#[test]
fn the_clock_counts_every_event_of_every_replication() {
    let scenario = crate::common::scenario(
        "horizon = \"600h\"\n[arrivals]\nrate = \"60/min\"\n[[callers]]\n\
         handle_time = { dist = \"exponential\", mean = \"4m\" }\n\
         patience = { dist = \"exponential\", mean = \"2m\" }\n[agents]\ncount = 230\n",
    );
    let clock = Arc::new(SimulatedClock::default());
    experiment::run(&scenario, &options(3, &clock), &|_, _| {}).unwrap();
    let mut sim = callsim::engine::Simulation::new(&scenario);
    let mut expected = 0;
    for r in 0..3 {
        sim.run(1, r, &mut callsim::engine::NullObserver).unwrap();
        expected += sim.events_handled();
    }
    // About 2 × 10⁶ arrivals a replication: at least one check of the clock each, and a
    // remainder counted when it ends.
    assert!(expected > 3 * u64::from(callsim::engine::CHECK_EVERY_EVENTS));
    assert_eq!(clock.events(), expected);
}

#[test]
fn a_trace_of_a_replication_too_long_to_trace_stops_early() {
    let scenario = crate::common::scenario(LONG);
    let started = Instant::now();
    assert!(experiment::trace(&scenario, 1, 0).is_err());
    // The whole replication takes minutes; the trace's event budget ends it in seconds.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}
