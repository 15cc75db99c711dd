//! The back office (issue #9): follow-ups that need it wait for it, it keeps its hours, and a
//! back office nobody needs changes nothing.

use std::collections::HashMap;

use callsim::engine::{BackOfficeStep, FollowUpOutcome, Observer, SimTime, Simulation};
use callsim::kpi::Kpi;

use crate::common::{ALPHA, run, scenario};
use callsim::stats::student_t_quantile;

const DAY: f64 = 86_400.0;

fn office(probability: f64, hours: &str) -> String {
    format!(
        "horizon = \"2d\"\n[arrivals]\nrate = \"30/h\"\n[[callers]]\n\
         patience = {{ dist = \"exponential\", mean = \"5m\" }}\n\
         handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n\
         first_contact_resolution = 0.5\n\
         follow_up = {{ promise = \"4h\", work = {{ dist = \"exponential\", mean = \"5m\" }}, \
         back_office = {{ probability = {probability}, work = {{ dist = \"exponential\", mean = \"20m\" }} }} }}\n\
         [agents]\ncount = 5\n[back_office]\ncount = 1\n{hours}\n"
    )
}

/// When each case's back-office step ended and when its follow-up work started.
#[derive(Default)]
struct Steps {
    done: HashMap<u64, f64>,
    started: HashMap<u64, f64>,
}

impl Observer for Steps {
    fn back_office_done(&mut self, now: SimTime, step: &BackOfficeStep) {
        let case = step.case.first_arrival.secs().to_bits();
        self.done.insert(case, now.secs());
    }
    fn follow_up_resolved(&mut self, o: &FollowUpOutcome) {
        let case = o.first_arrival.secs().to_bits();
        self.started.insert(case, o.started.secs());
    }
}

#[test]
fn a_follow_up_waits_for_its_back_office_step_and_the_office_keeps_its_hours() {
    let s = scenario(&office(0.4, "hours = { start = \"9h\", end = \"17h\" }"));
    let mut sim = Simulation::new(&s);
    let mut steps = Steps::default();
    sim.run(4, 0, &mut steps).expect("the run ends");
    assert!(steps.done.len() > 50, "{} steps", steps.done.len());
    for (case, done) in &steps.done {
        let started = steps.started[case];
        assert!(
            started >= *done,
            "started {started} before the back office was done {done}"
        );
        // A step ends in working hours, or shortly after closing (the one in hand is finished).
        let clock = done.rem_euclid(DAY);
        assert!(
            (9.0 * 3600.0..17.0 * 3600.0 + 4.0 * 3600.0).contains(&clock),
            "a step ended at {:.2} h",
            clock / 3600.0
        );
    }
}

#[test]
fn steps_come_at_the_configured_rate_and_a_back_office_nobody_needs_changes_nothing() {
    let r = run(&scenario(&office(0.4, "")), 30, 8);
    let steps = r.overall.get(Kpi::BackOfficeSteps).unwrap();
    let follow_ups = r.overall.get(Kpi::FollowUps).unwrap();
    // Paired per replication: steps ÷ follow-ups estimates the probability.
    let ratio = callsim::stats::Estimate::from_values(
        r.per_replication
            .iter()
            .map(|k| k.get(Kpi::BackOfficeSteps) / k.get(Kpi::FollowUps)),
    );
    let t = student_t_quantile(1.0 - ALPHA / 2.0, (ratio.n - 1) as f64);
    assert!(
        (ratio.mean - 0.4).abs() <= t * ratio.std_error(),
        "{} steps for {} follow-ups",
        steps.mean,
        follow_ups.mean
    );
    // Probability 0: the back office never works, and every other KPI is what it was without
    // a back office (its draws come from a stream of their own).
    let unused = scenario(&office(0.0, ""));
    let text = office(0.0, "");
    let without = scenario(
        &text
            .replace(", back_office = { probability = 0, work = { dist = \"exponential\", mean = \"20m\" } }", "")
            .replace("[back_office]\ncount = 1\n", ""),
    );
    assert!(without.back_office.is_none());
    for replication in 0..3 {
        let a = callsim::experiment::run_replication(&unused, 2, replication)
            .expect("the run ends")
            .overall;
        let b = callsim::experiment::run_replication(&without, 2, replication)
            .expect("the run ends")
            .overall;
        for kpi in Kpi::ALL {
            if matches!(kpi, Kpi::BackOfficeSteps | Kpi::BackOfficeDelayMeanS) {
                continue;
            }
            assert_eq!(a.get(kpi).to_bits(), b.get(kpi).to_bits(), "{}", kpi.key());
        }
        assert_eq!(a.get(Kpi::BackOfficeSteps), 0.0);
    }
}
