//! Every scenario in `scenarios/` is commented, loads, and runs; the textbook one matches theory.

use std::path::PathBuf;

use callsim::experiment::{self, RunOptions};
use callsim::theory::ErlangA;

#[test]
fn every_scenario_is_commented_and_runs() {
    let files = crate::common::scenario_files();
    assert!(files.len() >= 3, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with('#'),
            "{} should open with a comment saying what it shows",
            path.display()
        );
        let loaded = callsim::scenario::load(Some(&path), &[]).unwrap_or_else(|e| panic!("{e}"));
        let options = RunOptions {
            replications: 3,
            seed: 1,
            threads: None,
            details: false,
            clock: None,
        };
        let r = experiment::run(&loaded.scenario, &options, &|_, _| {}).unwrap();
        let offered = r.overall.get(callsim::kpi::Kpi::Offered).unwrap().mean;
        assert!(offered > 0.0, "{}: nothing offered", path.display());
    }
}

#[test]
fn textbook_erlang_a_scenario_agrees_with_theory() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/erlang_a_textbook.toml");
    let s = callsim::scenario::load(Some(&path), &[]).unwrap().scenario;
    let r = experiment::run(&s, &RunOptions::from_scenario(&s), &|_, _| {}).unwrap();
    let exact = ErlangA::new(50, 0.2, 1.0 / 240.0, 1.0 / 120.0).unwrap();
    crate::common::assert_agrees(&r, "all", "service_level", exact.service_level(20.0));
    crate::common::assert_agrees(&r, "all", "abandonment_rate", exact.p_abandon);
}

fn run_file(name: &str) -> experiment::ExperimentResult {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    let s = callsim::scenario::load(Some(&path), &[]).unwrap().scenario;
    experiment::run(&s, &RunOptions::from_scenario(&s), &|_, _| {}).unwrap()
}

fn kpi(r: &experiment::ExperimentResult, key: &str) -> callsim::stats::Estimate {
    *r.overall
        .get(callsim::kpi::Kpi::from_key(key).unwrap())
        .unwrap()
}

/// `a` is above `b` beyond both 95 % intervals.
fn clearly_above(a: callsim::stats::Estimate, b: callsim::stats::Estimate) -> bool {
    a.ci95[0] > b.ci95[1]
}

#[test]
fn floor_stories_show_what_their_comments_say() {
    let walker = run_file("floor77_walker.toml");
    let alongside = run_file("floor77_alongside.toml");
    let dashboard = run_file("floor77_dashboard.toml");
    // The walker believes follow-ups are quicker than customers find them.
    assert!(kpi(&walker, "perception_gap").ci95[0] > 1.0);
    // Nobody watching: promises wait longest; team leads at hand: slack falls.
    assert!(clearly_above(
        kpi(&dashboard, "follow_up_response_mean_s"),
        kpi(&walker, "follow_up_response_mean_s")
    ));
    assert!(clearly_above(
        kpi(&walker, "slack_share"),
        kpi(&alongside, "slack_share")
    ));
    assert!(
        kpi(&dashboard, "perceived_follow_up_response_mean_s")
            .mean
            .is_nan()
    );
    // The rover is beside 1 agent in 77 all day: less seen than the walker's walks, more slack
    // and slower promises, and a belief as far off.
    let random = run_file("floor77_random.toml");
    assert!((kpi(&random, "observed_share").mean - 1.0 / 77.0).abs() < 1e-9);
    assert!(clearly_above(
        kpi(&walker, "observed_share"),
        kpi(&random, "observed_share")
    ));
    assert!(clearly_above(
        kpi(&random, "slack_share"),
        kpi(&walker, "slack_share")
    ));
    assert!(clearly_above(
        kpi(&random, "follow_up_response_mean_s"),
        kpi(&walker, "follow_up_response_mean_s")
    ));
    assert!(kpi(&random, "perception_gap").ci95[0] > 1.0);
    // The evening rep: the boss sees cases resolved quickly; customers call again and again.
    let rep = run_file("evening_rep.toml");
    assert!(kpi(&rep, "perception_gap").ci95[0] > 1.0);
    assert!(kpi(&rep, "contacts_per_resolution").ci95[0] > 2.0);
}

/// The base scenario file with `overrides`, as a comparison variant.
fn variant(file: &str, name: &str, overrides: &[&str]) -> experiment::Variant {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file);
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    experiment::Variant {
        name: name.into(),
        source: file.into(),
        scenario: callsim::scenario::load(Some(&path), &overrides)
            .unwrap()
            .scenario,
    }
}

fn paired(c: &experiment::Comparison, variant: usize, key: &str) -> callsim::stats::Estimate {
    let kpi = callsim::kpi::Kpi::from_key(key).unwrap();
    c.differences[variant - 1]
        .iter()
        .find(|(k, _)| *k == kpi)
        .unwrap()
        .1
        .paired
}

#[test]
fn journey_stories_show_what_their_comments_say() {
    let lunch = [
        variant("lunch_peak.toml", "base", &[]),
        variant(
            "lunch_peak.toml",
            "inbound_first",
            &[
                "callbacks.enabled=true",
                "callbacks.policy=\"inbound_first\"",
            ],
        ),
        variant(
            "lunch_peak.toml",
            "deadline",
            &["callbacks.enabled=true", "callbacks.policy=\"deadline\""],
        ),
    ];
    let options = RunOptions::from_scenario(&lunch[0].scenario);
    let c = experiment::compare(&lunch, &options).unwrap();
    // Callbacks take callers out of the queue: fewer hang up, on the same callers.
    for v in [1, 2] {
        assert!(paired(&c, v, "abandonment_rate").ci95[1] < 0.0);
        assert_eq!(paired(&c, v, "fresh_contacts").mean, 0.0);
    }
    // The deadline policy keeps more callback promises than inbound_first.
    let on_time = |i: usize| kpi(&c.results[i], "callback_on_time");
    assert!(clearly_above(on_time(2), on_time(1)));

    let storm = [
        variant("outage_redial_storm.toml", "base", &[]),
        variant(
            "outage_redial_storm.toml",
            "no_outage",
            &["agents.outages=[]"],
        ),
    ];
    let options = RunOptions::from_scenario(&storm[0].scenario);
    let c = experiment::compare(&storm, &options).unwrap();
    // Without the outage there is no storm: far fewer redials, a better service level.
    assert!(paired(&c, 1, "redials").ci95[1] < 0.0);
    assert!(paired(&c, 1, "service_level").ci95[0] > 0.0);
    assert!(kpi(&c.results[0], "redials").mean > 3.0 * kpi(&c.results[1], "redials").mean);
}
