//! Same scenario and seed, same bytes: whatever the thread count or the replication chunking.

use std::process::Command;

use callsim::experiment::run_replication;

use crate::common::{run, scenario};

fn json_with_threads(threads: &str, path: &std::path::Path) -> Vec<u8> {
    json_of(None, threads, path)
}

/// Runs `scenario` (or the built-in default) with 300 replications on `threads` threads.
fn json_of(scenario: Option<&str>, threads: &str, path: &std::path::Path) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_callsim"))
        .arg("run")
        .args(scenario)
        .args([
            "--replications",
            "300",
            "--quiet",
            "--threads",
            threads,
            "--json",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(path).unwrap()
}

#[test]
fn json_is_byte_identical_for_one_and_two_threads() {
    // 300 replications span two chunks of the parallel loop.
    let dir = std::env::temp_dir().join(format!("callsim-repro-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let one = json_with_threads("1", &dir.join("t1.json"));
    let two = json_with_threads("2", &dir.join("t2.json"));
    assert!(one == two, "JSON differs between 1 and 2 threads");
    let four = json_with_threads("4", &dir.join("t4.json"));
    assert!(one == four, "JSON differs between 1 and 4 threads");
    // The floor too: managers, behaviour, follow-ups and status calls draw from their own streams.
    let floor = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/floor77_walker.toml");
    let one = json_of(Some(floor), "1", &dir.join("f1.json"));
    let two = json_of(Some(floor), "2", &dir.join("f2.json"));
    assert!(one == two, "floor JSON differs between 1 and 2 threads");
    std::fs::remove_dir_all(&dir).unwrap();
}

const SMALL: &str = r#"
horizon = "3h"
[arrivals]
rate = "40/h"
[[callers]]
name = "a"
share = 0.5
patience = { dist = "weibull", mean = "3m", cv = 1.3 }
handle_time = { dist = "gamma", mean = "4m", cv = 0.6 }
after_call_work = { dist = "uniform", min = "10s", max = "50s" }
[[callers]]
name = "b"
share = 0.5
priority = 1
handle_time = { dist = "lognormal", mean = "3m", cv = 1.2 }
[agents]
count = 3
"#;

#[test]
fn a_replication_depends_only_on_seed_and_index() {
    let s = scenario(SMALL);
    let all = run(&s, 12, 5);
    for r in [0u64, 7, 11] {
        let alone = run_replication(&s, 5, r).expect("the run ends");
        assert_eq!(
            alone.overall, all.per_replication[r as usize],
            "replication {r}"
        );
    }
    // A different seed gives different numbers.
    assert_ne!(
        run_replication(&s, 6, 0).expect("the run ends").overall,
        all.per_replication[0]
    );
}

#[test]
fn more_agents_keep_arrivals_and_patience_common() {
    // Common random numbers: the same callers arrive whatever the staffing.
    let s = scenario(SMALL);
    let more = scenario(&SMALL.replace("count = 3", "count = 5"));
    let (a, b) = (run(&s, 6, 9), run(&more, 6, 9));
    for (x, y) in a.per_replication.iter().zip(&b.per_replication) {
        assert_eq!(
            x.get(callsim::kpi::Kpi::Offered),
            y.get(callsim::kpi::Kpi::Offered)
        );
    }
}

#[test]
fn shards_merge_into_exactly_one_run() {
    use crate::common::{callsim, temp_dir};
    let dir = temp_dir("shards");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/lunch_peak.toml");
    let common = [
        "--replications",
        "300",
        "--set",
        "callbacks.enabled=true",
        "--quiet",
    ];
    let one = dir.join("one.json");
    let out = callsim(
        &[
            &["run", scenario, "--json", one.to_str().unwrap()][..],
            &common,
        ]
        .concat(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Three shards as separate processes, one of them on a single thread.
    let parts: Vec<String> = (1..=3)
        .map(|k| dir.join(format!("part{k}.json")).display().to_string())
        .collect();
    let children: Vec<_> = (1..=3)
        .map(|k| {
            let shard = format!("{k}/3");
            let mut args = vec![
                "run",
                scenario,
                "--shard",
                &shard,
                "--partial",
                &parts[k - 1],
            ];
            args.extend_from_slice(&common);
            if k == 2 {
                args.extend_from_slice(&["--threads", "1"]);
            }
            std::process::Command::new(env!("CARGO_BIN_EXE_callsim"))
                .args(&args)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let merged = dir.join("merged.json");
    // In any order.
    let out = callsim(&[
        "merge",
        &parts[2],
        &parts[0],
        &parts[1],
        "--json",
        merged.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read(&one).unwrap() == std::fs::read(&merged).unwrap(),
        "merged JSON differs from the one-process run"
    );
    // A missing shard, or shards of another run, are refused.
    let out = callsim(&["merge", &parts[0], &parts[2], "--quiet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing"));
    let other = dir.join("other.json").display().to_string();
    let out = callsim(&[
        "run",
        scenario,
        "--shard",
        "2/3",
        "--partial",
        &other,
        "--replications",
        "300",
        "--seed",
        "99",
        "--quiet",
    ]);
    assert!(out.status.success());
    let out = callsim(&["merge", &parts[0], &other, &parts[2], "--quiet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("different run"));
}

/// The event list renumbers its sequence numbers when they run out (every 2²⁹ events, out of
/// a test's reach); renumbering every 1,000 events instead leaves every scenario's results as
/// they were, to the last bit, with the details (per-interval statistics) too.
#[test]
fn renumbering_the_events_changes_no_result() {
    use callsim::engine::Simulation;
    use callsim::kpi::KpiCollector;
    let mut renumbered = 0;
    let paths = crate::common::scenario_files();
    for path in &paths {
        let s = callsim::scenario::load(Some(path), &[]).unwrap().scenario;
        let run = |every: Option<u64>| {
            let mut sim = Simulation::new(&s);
            if let Some(n) = every {
                sim.renumber_events_every(n);
            }
            let mut collector = KpiCollector::with_details(&s);
            sim.run(11, 0, &mut collector).unwrap();
            (format!("{:?}", collector.finish()), sim.events_handled())
        };
        let (plain, events) = run(None);
        let (often, _) = run(Some(1000));
        assert!(
            plain == often,
            "{}: renumbering changed the results",
            path.display()
        );
        renumbered += u32::from(events > 2000);
    }
    assert!(
        renumbered >= paths.len() as u32 / 2,
        "most scenarios renumber at least twice ({renumbered} of {})",
        paths.len()
    );
}
