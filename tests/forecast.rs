//! Forecasts from a file (issue #16, item 8): `arrivals.profile = { file = "forecast.csv" }`
//! with one row per interval: start, calls and optionally AHT.

use std::path::Path;

use callsim::kpi::Kpi;

use crate::common::{band, callsim, ok, run, run_shards, temp_dir, write};

fn load(path: &str) -> callsim::model::Scenario {
    callsim::scenario::load(Some(Path::new(path)), &[])
        .expect("valid scenario")
        .scenario
}

const SCENARIO: &str = "horizon = \"2h\"\nseed = 4\n[arrivals]\nprofile = { file = \"f.csv\" }\n\
                        [[callers]]\nhandle_time = { dist = \"deterministic\", value = \"4m\" }\n\
                        [agents]\ncount = 30\n";

#[test]
fn the_calls_of_each_row_arrive_in_its_interval() {
    let dir = temp_dir("forecast_rates");
    write(
        &dir,
        "f.csv",
        "start,calls\n09:00,120\n09:30,30\n10:00,0\n10:30,60\n",
    );
    let file = write(&dir, "s.toml", SCENARIO);
    let s = load(&file);
    // The run opens at the first row; rates are calls per interval.
    assert_eq!(s.opens_s, 9.0 * 3600.0);
    let r = run(&s, 400, 1);
    // Offered over the 2 h horizon: 120 + 30 + 0 + 60 expected calls (Poisson).
    let offered = r.overall.get(Kpi::Offered).unwrap();
    assert!(
        (offered.mean - 210.0).abs() <= band(offered),
        "{} ± {}",
        offered.mean,
        band(offered)
    );
}

#[test]
fn the_aht_of_a_row_sets_the_talk_of_its_callers() {
    let dir = temp_dir("forecast_aht");
    // 2 minutes in the first half hour; no AHT in the second (the class's 4 minutes).
    write(&dir, "f.csv", "start,calls,aht\n08:00,60,2m\n08:30,60,\n");
    let s = load(&write(&dir, "s.toml", SCENARIO));
    let t = callsim::experiment::trace(&s, s.seed, 0).unwrap();
    let mut seen = [0, 0];
    for row in t.rows.iter().filter(|r| r.event == "answered") {
        let arrival = row.caller_arrival.unwrap();
        let talk: f64 = row
            .detail
            .split("talk ")
            .nth(1)
            .and_then(|x| x.trim_end_matches(" s").parse().ok())
            .unwrap();
        let (slot, expected) = if arrival < 1800.0 {
            (0, 120.0)
        } else {
            (1, 240.0)
        };
        assert_eq!(talk, expected, "arrived at {arrival}");
        seen[slot] += 1;
    }
    assert!(seen[0] > 20 && seen[1] > 20, "{seen:?}");
}

#[test]
fn several_days_with_dates_run_once_and_a_night_without_rows_has_no_calls() {
    let dir = temp_dir("forecast_days");
    write(
        &dir,
        "f.csv",
        "start,calls\n2026-03-02 08:00,100\n2026-03-02 09:00,100\n2026-03-03 08:00,300\n",
    );
    let file = write(
        &dir,
        "s.toml",
        &SCENARIO.replace("horizon = \"2h\"", "horizon = \"3d\""),
    );
    let s = load(&file);
    match &s.arrivals {
        callsim::model::Arrivals::Profile {
            daily, rates_per_s, ..
        } => {
            assert!(!daily);
            // 08:00 on day 1 to 08:00 on day 2 in hours, plus day 2's row.
            assert_eq!(rates_per_s.len(), 25);
        }
        other => panic!("{other:?}"),
    }
    // The third day has no rows: 500 calls in all, not more.
    let r = run(&s, 200, 2);
    let offered = r.overall.get(Kpi::Offered).unwrap();
    assert!(
        (offered.mean - 500.0).abs() <= band(offered),
        "{}",
        offered.mean
    );
}

#[test]
fn bad_forecasts_name_the_file_the_row_and_the_column() {
    let dir = temp_dir("forecast_bad");
    let file = write(&dir, "s.toml", SCENARIO);
    for (csv, expected) in [
        (
            "start,calls\n08:00,60\n08:30,lots\n",
            "f.csv: key `row 3, column calls`: \"lots\": allowed a number of calls >= 0",
        ),
        (
            "start,calls\n08:00,60\n08:30,60\n08:45,60\n09:10,60\n",
            "f.csv: key `row 5, column start`: does not start on the grid of 15m from the first row",
        ),
        (
            "start,calls,aht\n08:00,60,fast\n",
            "f.csv: key `row 2, column aht`: \"fast\": allowed an average handle time",
        ),
        (
            "time,calls\n08:00,60\n",
            "f.csv: key `row 1, column start`: missing",
        ),
    ] {
        write(&dir, "f.csv", csv);
        let out = callsim(&["run", &file, "--quiet"]);
        assert_eq!(out.status.code(), Some(2), "{csv}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{csv}\n{stderr}");
    }
    // A folder (or a FIFO, a device) is no forecast: refused, not read.
    std::fs::remove_file(dir.join("f.csv")).unwrap();
    std::fs::create_dir(dir.join("f.csv")).unwrap();
    let out = callsim(&["run", &file, "--quiet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a regular file"));
    std::fs::remove_dir(dir.join("f.csv")).unwrap();
    write(&dir, "f.csv", "start,calls\n08:00,1\n");
    // A missing file, and a forecast that disagrees with opens.
    std::fs::remove_file(dir.join("f.csv")).unwrap();
    let out = callsim(&["run", &file, "--quiet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("arrivals.profile.file"));
    write(&dir, "f.csv", "start,calls\n09:00,60\n09:30,60\n");
    let opens = write(&dir, "o.toml", &format!("opens = \"08:00\"\n{SCENARIO}"));
    let out = callsim(&["run", &opens, "--quiet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("starts at 09:00, but opens is 08:00"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The partials keep the forecast: a merge after the file changed still gives the one-process
/// result, and `staff --scenario-out` writes a scenario that finds its forecast from anywhere.
#[test]
fn shards_keep_their_forecast_and_staffed_scenarios_find_it() {
    let dir = temp_dir("forecast_shards");
    write(&dir, "f.csv", "start,calls,aht\n08:00,100,3m\n08:30,150,\n");
    let file = write(&dir, "s.toml", SCENARIO);
    let one = dir.join("one.json");
    assert!(
        callsim(&[
            "run",
            &file,
            "--replications",
            "20",
            "--quiet",
            "--json",
            one.to_str().unwrap()
        ])
        .status
        .success()
    );
    let parts = run_shards(&dir, &file, 20, 2, &[]);
    write(&dir, "f.csv", "start,calls\n08:00,1\n");
    let merged = dir.join("merged.json");
    ok(&callsim(&[
        "merge",
        &parts[0],
        &parts[1],
        "--json",
        merged.to_str().unwrap(),
        "--quiet",
    ]));
    assert!(std::fs::read(&merged).unwrap() == std::fs::read(&one).unwrap());

    write(&dir, "f.csv", "start,calls,aht\n08:00,100,3m\n08:30,150,\n");
    let elsewhere = temp_dir("forecast_elsewhere").join("staffed.toml");
    ok(&callsim(&[
        "staff",
        &file,
        "--service-level",
        "0.8",
        "--within",
        "20s",
        "--replications",
        "4",
        "--quiet",
        "--scenario-out",
        elsewhere.to_str().unwrap(),
    ]));
    ok(&callsim(&["run", elsewhere.to_str().unwrap(), "--quiet"]));
}
