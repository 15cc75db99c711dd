//! Steady state told honestly (issue #16, item 5): `warmup = "auto"` and the warning about a
//! window too short for the queue's relaxation time. Tolerances come from the standard error.

use crate::common::{band, callsim, ok, run, run_shards, scenario, temp_dir, write};
use callsim::kpi::Kpi;

/// M/M/1 at ρ = 0.9 (54 calls/h, 1-minute service), starting empty: theory's ASA is 540 s.
fn mm1(horizon: &str, warmup: &str) -> String {
    format!(
        "name = \"M/M/1 at 0.9\"\nhorizon = \"{horizon}\"\nwarmup = \"{warmup}\"\n\
         [arrivals]\nrate = \"54/h\"\n[[callers]]\n\
         handle_time = {{ dist = \"exponential\", mean = \"1m\" }}\n[agents]\ncount = 1\n"
    )
}

const EXACT_ASA_S: f64 = 540.0;

#[test]
fn auto_warmup_removes_the_start_up_bias_that_no_warmup_leaves() {
    // Two days are about eight relaxation times (6.3 h at this load): starting empty biases
    // a zero warm-up low by some 3 %, which 4000 replications resolve (about 5.5 standard
    // errors over seeds 1 to 3; the auto warm-up then lands within one).
    let zero = run(&scenario(&mm1("48h", "0s")), 4000, 1);
    let asa = zero.overall.get(Kpi::AsaS).unwrap();
    assert!(
        EXACT_ASA_S - asa.mean > band(asa),
        "no warm-up: {:.1} ± {:.1} should miss {EXACT_ASA_S}",
        asa.mean,
        band(asa)
    );
    let auto = run(&scenario(&mm1("48h", "auto")), 4000, 1);
    let asa = auto.overall.get(Kpi::AsaS).unwrap();
    assert!(
        (asa.mean - EXACT_ASA_S).abs() <= band(asa),
        "auto warm-up: {:.1} ± {:.1} against {EXACT_ASA_S}",
        asa.mean,
        band(asa)
    );
    // The chosen warm-up is some hours (the transient), short of half the horizon.
    assert!(auto.warmup_auto && (3600.0..86_400.0).contains(&auto.warmup_s));
    assert!(!zero.warmup_auto && zero.warmup_s == 0.0);
}

#[test]
fn a_window_of_few_relaxation_times_is_warned_about_with_the_length_it_needs() {
    let short = run(&scenario(&mm1("48h", "0s")), 30, 2);
    let w = short
        .warnings
        .iter()
        .map(ToString::to_string)
        .find(|w| w.contains("relaxation times"))
        .expect("a warning");
    assert!(
        w.contains("at least") && w.contains("observation window (2d)"),
        "{w}"
    );
    // Forty days at 70 % load hold hundreds of relaxation times: no warning.
    let long = run(
        &scenario(&mm1("1000h", "48h").replace("54/h", "42/h")),
        30,
        2,
    );
    assert!(
        !long
            .warnings
            .iter()
            .any(|w| w.to_string().contains("relaxation")),
        "{:?}",
        long.warnings
    );
}

#[test]
fn auto_warmup_is_shown_and_the_same_whatever_the_threads_or_shards() {
    let dir = temp_dir("auto_warmup");
    let file = write(&dir, "mm1.toml", &mm1("24h", "auto"));
    let json = |name: &str, extra: &[&str]| {
        let path = dir.join(name);
        let table = ok(&callsim(
            &[
                &[
                    "run",
                    &file,
                    "--replications",
                    "40",
                    "--json",
                    path.to_str().unwrap(),
                ][..],
                extra,
            ]
            .concat(),
        ));
        (std::fs::read(&path).unwrap(), table)
    };
    let (one, table) = json("one.json", &["--threads", "1"]);
    let (two, _) = json("two.json", &["--threads", "2"]);
    assert!(one == two, "threads change the auto warm-up's result");
    assert!(table.contains("Warm-up: auto, chosen "), "{table}");
    let doc: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(doc["warmup_auto"], true);
    assert!(doc["warmup_s"].as_f64().unwrap() > 0.0);
    // Two shards and a merge give the same bytes as one process.
    let parts = run_shards(&dir, &file, 40, 2, &[]);
    let merged = dir.join("merged.json");
    ok(&callsim(&[
        "merge",
        &parts[1],
        &parts[0],
        "--json",
        merged.to_str().unwrap(),
        "--quiet",
    ]));
    assert!(
        std::fs::read(&merged).unwrap() == one,
        "the merge differs from one process"
    );
}
