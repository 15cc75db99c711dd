//! The binary as users call it: exit codes, messages, and no partial output on bad input.

use crate::common::{TINY, callsim, temp_dir, write};

/// The small valid scenario the messages are checked against.
const GOOD: &str = TINY;

#[test]
fn default_scenario_runs_and_prints_a_table() {
    let out = callsim(&["run", "--replications", "3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for label in [
        "Service level",
        "ASA [s]",
        "Occupancy",
        "priority",
        "regular",
    ] {
        assert!(text.contains(label), "missing {label:?} in\n{text}");
    }
}

#[test]
fn json_and_csv_outputs_are_written() {
    let dir = temp_dir("outputs");
    let scenario = write(&dir, "tiny.toml", GOOD);
    let json = dir.join("r.json");
    let csv = dir.join("csv");
    let out = callsim(&[
        "run",
        &scenario,
        "--quiet",
        "--json",
        json.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "--quiet prints nothing");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(doc["replications"], 4);
    let sl = &doc["kpis"]["service_level"];
    assert!(sl["mean"].as_f64().unwrap() > 0.0 && sl["n"] == 4);
    assert!(sl["ci95"][0].as_f64().unwrap() <= sl["ci95"][1].as_f64().unwrap());
    assert!(doc["by_class"]["regular"]["kpis"]["asa_s"]["mean"].is_number());
    let kpis = std::fs::read_to_string(csv.join("kpis.csv")).unwrap();
    assert!(kpis.starts_with("scope,kpi,mean,std_dev,ci95_lo,ci95_hi,n\n"));
    assert!(kpis.contains("\nall,service_level,"));
    let reps = std::fs::read_to_string(csv.join("replications.csv")).unwrap();
    assert_eq!(reps.lines().count(), 1 + 4);
}

/// Runs a bad scenario with --json and checks: exit code 2, every expected fragment in the
/// message, and no output file.
fn assert_rejected(name: &str, text: &str, extra: &[&str], fragments: &[&str]) {
    let dir = temp_dir(name);
    let scenario = write(&dir, "bad.toml", text);
    let json = dir.join("out.json");
    let mut args = vec!["run", scenario.as_str(), "--json", json.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = callsim(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    for f in fragments {
        assert!(stderr.contains(f), "{name}: {f:?} not in {stderr:?}");
    }
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert!(!json.exists(), "{name}: output written despite the error");
}

#[test]
fn unknown_key_is_named() {
    let text = GOOD.replace("count = 3", "count = 3\nbreaks = 2");
    assert_rejected(
        "unknown",
        &text,
        &[],
        &["bad.toml", "agents.breaks", "unknown field"],
    );
}

#[test]
fn negative_mean_is_out_of_range() {
    let text = GOOD.replace("mean = \"4m\"", "mean = \"-4m\"");
    assert_rejected(
        "negative",
        &text,
        &[],
        &["bad.toml", "callers[0].handle_time.mean", "> 0"],
    );
}

#[test]
fn shares_must_sum_to_one() {
    let text = GOOD.replace("name = \"regular\"", "name = \"regular\"\nshare = 0.6")
        + "\n[[callers]]\nname = \"vip\"\nshare = 0.3\nhandle_time = { dist = \"exponential\", mean = \"4m\" }\n";
    assert_rejected(
        "shares",
        &text,
        &[],
        &["bad.toml", "callers.share", "sum to 1"],
    );
}

#[test]
fn malformed_duration_shows_the_allowed_forms() {
    let text = GOOD.replace("horizon = \"2h\"", "horizon = \"2 hours\"");
    assert_rejected(
        "duration",
        &text,
        &[],
        &["bad.toml", "horizon", "invalid duration", "1h30m"],
    );
}

#[test]
fn other_bad_inputs() {
    assert_rejected("syntax", "horizon = ", &[], &["bad.toml", "TOML"]);
    assert_rejected(
        "dist",
        &GOOD.replace(
            "\"exponential\", mean = \"4m\"",
            "\"normal\", mean = \"4m\"",
        ),
        &[],
        &["callers[0].handle_time.dist", "lognormal"],
    );
    assert_rejected(
        "agents",
        &GOOD.replace("count = 3", "count = 0"),
        &[],
        &["agents.count", "1 to"],
    );
    assert_rejected(
        "override",
        GOOD,
        &["--set", "agents.count"],
        &["--set", "key.path=value"],
    );
    assert_rejected(
        "override-key",
        GOOD,
        &["--set", "agents.cuont=4"],
        &["agents.cuont"],
    );
    assert_rejected("flag", GOOD, &["--replications", "0"], &["replications"]);
}

#[test]
fn missing_scenario_file_is_invalid_input() {
    let out = callsim(&["run", "/nonexistent/scenario.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/scenario.toml"));
}

#[test]
fn unusable_output_is_refused_before_the_run_and_leaves_nothing() {
    let dir = temp_dir("unwritable");
    let scenario = write(&dir, "tiny.toml", GOOD);
    // A folder cannot be made inside a file: refused before any simulation (exit 2).
    let json = dir.join("tiny.toml").join("r.json");
    let out = callsim(&["run", &scenario, "--json", json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--json") && err.contains("not a folder"),
        "{err}"
    );
    // A write that fails at the end (a full device) exits 1, and the other file of the set
    // (the CSV folder) is not left behind.
    let csv = dir.join("csv");
    let out = callsim(&[
        "run",
        &scenario,
        "--json",
        "/dev/full",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write /dev/full"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .flat_map(|e| {
            if e.path().is_dir() {
                std::fs::read_dir(e.path()).unwrap().flatten().collect()
            } else {
                vec![e]
            }
        })
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "only the scenario remains: {leftovers:?}"
    );
}

#[test]
fn bad_floor_keys_are_named() {
    let walker = "\n[[managers]]\nname = \"dana\"\nstyle = \"walker\"\noffice = { dist = \"exponential\", mean = \"1h\" }\nvisit = { dist = \"exponential\", mean = \"10m\" }\n";
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "style",
            GOOD.to_string() + "\n[[managers]]\nstyle = \"ghost\"\n",
            vec!["managers[0].style", "walker, alongside, office"],
        ),
        (
            "walker-office",
            GOOD.to_string() + "\n[[managers]]\nstyle = \"walker\"\nvisit = { dist = \"exponential\", mean = \"10m\" }\n",
            vec!["managers[0].office", "missing"],
        ),
        (
            "key-of-other-style",
            GOOD.to_string() + walker + "team = 2\n",
            vec!["managers[0].team", "not a key of a walker"],
        ),
        (
            "watches",
            GOOD.to_string() + walker + "watches = 9\n",
            vec!["managers[0].watches", "1 to agents.count (3)"],
        ),
        (
            "report-probability",
            GOOD.to_string() + walker + "report_probability = 1.5\n",
            vec!["managers[0].report_probability", "0 to 1"],
        ),
        (
            "team-too-big",
            GOOD.to_string() + "\n[[managers]]\nstyle = \"alongside\"\nteam = 2\n[[managers]]\nstyle = \"alongside\"\nteam = 2\n",
            vec!["managers.team", "agents.count is 3"],
        ),
        (
            "fcr-without-follow-up",
            GOOD.replace("name = \"regular\"", "name = \"regular\"\nfirst_contact_resolution = 0.7"),
            vec!["callers[0].follow_up", "missing"],
        ),
        (
            "fcr-range",
            GOOD.replace("name = \"regular\"", "name = \"regular\"\nfirst_contact_resolution = 7"),
            vec!["callers[0].first_contact_resolution", "0 to 1"],
        ),
        (
            "orientation-zero",
            GOOD.replace("count = 3", "count = 3\norientation = { boss = 0 }"),
            vec!["agents.orientation", "sum to 0"],
        ),
        (
            "pace",
            GOOD.to_string() + "\n[agents.behaviour.boss]\npace = 0\n",
            vec!["agents.behaviour.boss.pace", "> 0"],
        ),
        (
            "policy",
            GOOD.replace("count = 3", "count = 3\nfollow_up_policy = \"whenever\""),
            vec!["agents.follow_up_policy", "inbound_first, overdue_first"],
        ),
        (
            "promise",
            GOOD.replace("name = \"regular\"", "name = \"regular\"\nfirst_contact_resolution = 0.5\nfollow_up = { promise = \"-1h\", work = { dist = \"exponential\", mean = \"5m\" } }"),
            vec!["callers[0].follow_up.promise", "> 0"],
        ),
    ];
    for (name, text, fragments) in cases {
        let mut all = vec!["bad.toml"];
        all.extend(fragments);
        assert_rejected(name, &text, &[], &all);
    }
}

#[test]
fn bad_journey_keys_are_named() {
    let callbacks = "\n[callbacks]\noffer_above = \"1m\"\npromise = \"30m\"\n";
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "acceptance",
            GOOD.replace("name = \"regular\"", "name = \"regular\"\ncallback_acceptance = 1.5"),
            vec!["callers[0].callback_acceptance", "0 to 1"],
        ),
        (
            "policy",
            GOOD.to_string() + callbacks + "policy = \"whenever\"\n",
            vec!["callbacks.policy", "inbound_first, keep_place, deadline"],
        ),
        (
            "reserved-keep-place",
            GOOD.to_string() + callbacks + "reserved_agents = 1\n",
            vec!["callbacks.reserved_agents", "keep_place"],
        ),
        (
            "reserved-all",
            GOOD.to_string() + callbacks + "policy = \"inbound_first\"\nreserved_agents = 3\n",
            vec!["callbacks.reserved_agents", "0 to 2"],
        ),
        (
            "answer",
            GOOD.to_string() + callbacks + "answer_probability = -0.1\n",
            vec!["callbacks.answer_probability", "0 to 1"],
        ),
        (
            "attempts",
            GOOD.to_string() + callbacks + "max_attempts = 0\n",
            vec!["callbacks.max_attempts", "1 to 100"],
        ),
        (
            "redial",
            GOOD.replace(
                "name = \"regular\"",
                "name = \"regular\"\nredial = { probability = 2, delay = { dist = \"exponential\", mean = \"5m\" } }",
            ),
            vec!["callers[0].redial.probability", "0 to 1"],
        ),
        (
            "outage-order",
            GOOD.replace(
                "count = 3",
                "count = 3\noutages = [{ start = \"1h\", end = \"30m\" }]",
            ),
            vec!["agents.outages[0].end", "after start"],
        ),
    ];
    for (name, text, fragments) in cases {
        let mut all = vec!["bad.toml"];
        all.extend(fragments);
        assert_rejected(name, &text, &[], &all);
    }
}

#[test]
fn compare_writes_json_and_csv_with_paired_differences() {
    let dir = temp_dir("compare");
    let base = write(&dir, "base.toml", GOOD);
    let more = write(&dir, "more.toml", &GOOD.replace("count = 3", "count = 4"));
    let json = dir.join("cmp.json");
    let csv = dir.join("csv");
    let out = callsim(&[
        "compare",
        &base,
        &more,
        "--variant",
        "five:agents.count=5,replications=9",
        "--json",
        json.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for label in [
        "base",
        "more",
        "five",
        "Paired difference vs base",
        "ASA [s]",
    ] {
        assert!(text.contains(label), "missing {label:?} in\n{text}");
    }
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(doc["runs"].as_array().unwrap().len(), 3);
    // All variants run the base's replications, on the same streams.
    assert_eq!(doc["replications"], 4);
    let d = &doc["differences"]["five"]["asa_s"];
    assert!(
        d["mean"].as_f64().unwrap() < 0.0,
        "more agents, shorter waits: {d}"
    );
    assert!(d["excludes_zero"].is_boolean() && d["unpaired_ci95_half_width"].is_number());
    let rows = std::fs::read_to_string(csv.join("compare.csv")).unwrap();
    assert!(rows.starts_with("variant,kpi,mean"));
    assert!(rows.contains("\nfive,asa_s,"));
}

#[test]
fn bad_compare_arguments_exit_2() {
    let dir = temp_dir("compare-bad");
    let base = write(&dir, "base.toml", GOOD);
    for args in [
        vec!["compare", base.as_str()],
        vec!["compare", base.as_str(), "--variant", "agents.count=5"],
        vec!["compare", base.as_str(), "--variant", "x:agents.count=-5"],
    ] {
        let out = callsim(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"));
    }
}
