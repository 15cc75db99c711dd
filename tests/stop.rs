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

#[test]
fn a_stop_request_ends_a_long_replication_under_way() {
    let scenario = crate::common::scenario(LONG);
    let clock = Arc::new(SimulatedClock::default());
    let started = Instant::now();
    let outcome = std::thread::scope(|s| {
        let run = s.spawn(|| experiment::run(&scenario, &options(1, &clock), &|_, _| {}));
        // Let it get going, then ask it to stop.
        while clock.furthest_s() == 0.0 && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(5));
        }
        clock.request_stop();
        run.join().expect("the run thread does not panic")
    });
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
