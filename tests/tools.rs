//! Tools for analysts and students (issue #6): staff, sweep, validate, erlang, day-to-day noise.

use std::process::Command;

use callsim::experiment::{self, RunOptions, StaffTarget, SweepPoint};
use callsim::kpi::Kpi;

use crate::common::{run, scenario};

fn options(replications: u32, seed: u64) -> RunOptions {
    RunOptions {
        replications,
        seed,
        threads: None,
        details: false,
        clock: None,
    }
}

const QUEUE: &str = r#"
    name = "queue"
    horizon = "8h"
    [arrivals]
    rate = "150/h"
    [[callers]]
    handle_time = { dist = "lognormal", mean = "4m", cv = 0.8 }
    patience = { dist = "exponential", mean = "3m" }
    [agents]
    count = 10
"#;

#[test]
fn the_staffing_is_the_minimum() {
    let target = StaffTarget {
        service_level: 0.8,
        within_s: 20.0,
        max_abandon: Some(0.05),
    };
    let profile = QUEUE.replace(
        "rate = \"150/h\"",
        "profile = { interval = \"1h\", rates = [\"60/h\", \"150/h\", \"300/h\"] }",
    );
    for text in [QUEUE.to_string(), profile] {
        let s = scenario(&text);
        let periods = experiment::staff(&s, &target, &options(20, 5), &|_, _| {}).unwrap();
        for p in &periods {
            let staffed = p.staffed.as_ref().expect("the target can be met");
            assert!(staffed.meets(&target));
            let fewer = p.one_fewer.as_ref().expect("one fewer was simulated");
            assert_eq!(fewer.agents + 1, staffed.agents);
            assert!(!fewer.meets(&target), "{} agents would do", fewer.agents);
            assert!(p.erlang_estimate.is_some());
        }
        // Busier periods need more agents.
        let agents: Vec<u32> = periods
            .iter()
            .map(|p| p.staffed.as_ref().unwrap().agents)
            .collect();
        assert!(agents.windows(2).all(|w| w[0] <= w[1]), "{agents:?}");
    }
}

#[test]
fn an_unreachable_target_gets_a_clear_message() {
    // Each agent takes one call and then slacks for ten hours: no team within reach will do.
    let dir = std::env::temp_dir().join(format!("callsim-staff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lazy.toml");
    std::fs::write(
        &path,
        QUEUE.to_string()
            + "orientation = { boss = 1 }\n[agents.behaviour.boss]\nslack = { dist = \"deterministic\", value = \"10h\" }\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_callsim"))
        .args([
            "staff",
            path.to_str().unwrap(),
            "--service-level",
            "0.8",
            "--within",
            "20s",
        ])
        .args(["--replications", "3", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot be met"), "{stderr}");
}

#[test]
fn sweep_points_equal_individual_runs() {
    let base = scenario(QUEUE);
    let points: Vec<SweepPoint> = [9u32, 11]
        .iter()
        .map(|n| SweepPoint {
            value: n.to_string(),
            scenario: scenario(&QUEUE.replace("count = 10", &format!("count = {n}"))),
        })
        .collect();
    let singles: Vec<_> = points.iter().map(|p| run(&p.scenario, 12, 7)).collect();
    let sweep = experiment::sweep("agents.count", points, &options(12, 7), &|_, _| {}).unwrap();
    for ((_, r), single) in sweep.points.iter().zip(&singles) {
        assert_eq!(r.per_replication, single.per_replication);
    }
    assert_ne!(
        sweep.points[0].1.per_replication,
        run(&base, 12, 7).per_replication
    );
}

#[test]
fn validate_passes() {
    let checks = experiment::validate(40, 1, None).unwrap();
    assert!(checks.len() >= 12);
    for c in &checks {
        assert!(c.passes(), "{} {} {}", c.case, c.scope, c.kpi.key());
    }
}

#[test]
fn erlang_matches_the_published_example() {
    let out = Command::new(env!("CARGO_BIN_EXE_callsim"))
        .args([
            "erlang", "--rate", "100/30m", "--aht", "180s", "--agents", "11",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // 100 calls per 30 minutes, AHT 3 minutes, 11 agents: P(wait) 68.21 %, ASA 122.8 s; a
    // target of 80 % within 20 s needs 14 agents.
    for expected in [
        "Offered load: 10.000 Erlangs",
        "P(wait) 0.6821",
        "ASA 122.8 s",
        "Erlang C: 14",
    ] {
        assert!(text.contains(expected), "{expected:?} not in\n{text}");
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_callsim"))
        .args(["erlang", "--rate", "fast", "--aht", "3m"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn day_to_day_noise_widens_the_spread_of_daily_volume() {
    // One day at 1000 calls: without noise the daily count is Poisson (sd ≈ 31.6); with a gamma
    // multiplier of cv 0.3 its variance is m + (0.3 m)², sd ≈ 301.7.
    let day = |cv: f64| {
        scenario(&format!(
            "horizon = \"1d\"\n[arrivals]\nrate = \"1000/d\"\nday_noise_cv = {cv}\n\
             [[callers]]\nhandle_time = {{ dist = \"exponential\", mean = \"1m\" }}\n[agents]\ncount = 5\n"
        ))
    };
    let sd = |cv: f64| {
        run(&day(cv), 300, 11)
            .overall
            .get(Kpi::Offered)
            .unwrap()
            .std_dev
    };
    let (quiet, noisy) = (sd(0.0), sd(0.3));
    assert!((quiet - 31.6).abs() < 31.6 * 0.15, "{quiet}");
    assert!((noisy - 301.7).abs() < 301.7 * 0.15, "{noisy}");
}
