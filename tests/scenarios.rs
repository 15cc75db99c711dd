//! Every scenario in `scenarios/` is commented, loads, and runs; the textbook one matches theory.

use std::path::PathBuf;

use callsim::experiment::{self, RunOptions};
use callsim::theory::ErlangA;

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_is_commented_and_runs() {
    let files = scenario_files();
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
