//! `callsim schedule` (issue #17, item 2): shifts from an integer program, checked by a
//! whole-day simulation and repaired until every interval meets the target.

use crate::common::{callsim, ok, temp_dir, write};

const DAY: &str = "opens = \"08:00\"\nhorizon = \"4h\"\nseed = 5\nreplications = 10\n[arrivals]\n\
                   profile = { interval = \"30m\", rates = [\"60/h\", \"120/h\", \"200/h\", \"200/h\", \
                   \"160/h\", \"120/h\", \"80/h\", \"40/h\"] }\n[[callers]]\n\
                   patience = { dist = \"exponential\", mean = \"2m\" }\n\
                   handle_time = { dist = \"exponential\", mean = \"4m\" }\n[agents]\ncount = 1\n";

const PATTERNS: &str = "[scheduling]\npatterns = [\n  { name = \"long\", length = \"3h\", starts = { from = \"08:00\", to = \"09:00\", every = \"30m\" }, \
                        breaks = [{ length = \"30m\", within = [\"1h\", \"2h\"] }], cost_per_hour = 20 },\n  \
                        { name = \"short\", length = \"2h\", starts = { from = \"08:00\", to = \"10:00\", every = \"30m\" }, cost_per_hour = 24 },\n]\n";

fn schedule(dir: &std::path::Path, text: &str, extra: &[&str]) -> std::process::Output {
    let file = write(dir, "day.toml", text);
    callsim(
        &[
            &[
                "schedule",
                &file,
                "--service-level",
                "0.8",
                "--within",
                "20s",
            ][..],
            extra,
        ]
        .concat(),
    )
}

#[test]
fn the_roster_meets_the_target_in_every_interval_and_runs_as_written() {
    let dir = temp_dir("schedule_roster");
    let json = dir.join("s.json");
    let roster = dir.join("roster.toml");
    let table = ok(&schedule(
        &dir,
        &format!("{DAY}{PATTERNS}"),
        &[
            "--json",
            json.to_str().unwrap(),
            "--scenario-out",
            roster.to_str().unwrap(),
        ],
    ));
    assert!(table.contains("met)"), "{table}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(doc["met"], true);
    for row in doc["intervals"].as_array().unwrap() {
        let sl = row["service_level"]["mean"].as_f64().unwrap();
        assert!(sl >= 0.8, "{row}");
        assert!(row["scheduled"].as_u64() >= row["requirement"].as_u64());
    }
    // The written roster is a runnable scenario of shifts whose day, on the same random
    // numbers, is the day the search simulated.
    let again = dir.join("again");
    ok(&callsim(&[
        "run",
        roster.to_str().unwrap(),
        "--quiet",
        "--csv",
        again.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(again.join("intervals.csv")).unwrap();
    for line in text.lines().filter(|l| l.contains(",service_level,")) {
        let mean: f64 = line.split(',').nth(5).unwrap().parse().unwrap();
        assert!(mean >= 0.8, "{line}");
    }
    // The same answer on one thread.
    let one = dir.join("one.json");
    ok(&schedule(
        &dir,
        &format!("{DAY}{PATTERNS}"),
        &["--threads", "1", "--quiet", "--json", one.to_str().unwrap()],
    ));
    assert!(std::fs::read(&one).unwrap() == std::fs::read(&json).unwrap());
}

#[test]
fn bad_scheduling_input_exits_2_naming_the_key() {
    let dir = temp_dir("schedule_bad");
    for (text, expected) in [
        (DAY.to_string(), "scheduling.patterns: missing"),
        (
            format!(
                "{DAY}{}",
                PATTERNS
                    .replace("to = \"10:00\"", "to = \"08:00\"")
                    .replace("to = \"09:00\"", "to = \"08:00\"")
            ),
            "no shift pattern covers interval",
        ),
        (
            format!(
                "{DAY}{}",
                PATTERNS.replace("within = [\"1h\", \"2h\"]", "within = [\"1h\", \"3h\"]")
            ),
            "scheduling.patterns[0].breaks[0].within",
        ),
        (
            format!(
                "{DAY}{}",
                PATTERNS
                    .replace("cost_per_hour = 24 }", "cost_per_hour = 24, max = 1 }")
                    .replace("cost_per_hour = 20 }", "cost_per_hour = 20, max = 1 }")
            ),
            "no roster meets the requirement within the patterns' min and max",
        ),
        (
            format!(
                "{DAY}{}",
                PATTERNS.replace("every = \"30m\" }, cost", "every = \"20m\" }, cost")
            ),
            "not a whole number of the profile's intervals",
        ),
        (
            // Minute intervals, a start every minute and a break anywhere in a half hour:
            // 7,200 ways to work one pattern.
            format!(
                "opens = \"08:00\"\nhorizon = \"4h\"\n[arrivals]\nprofile = {{ interval = \"1m\", rates = [{}] }}\n\
                 [[callers]]\nhandle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n[agents]\ncount = 1\n\
                 [scheduling]\npatterns = [{{ length = \"1h\", starts = {{ from = \"08:00\", to = \"11:59\", every = \"1m\" }}, \
                 breaks = [{{ length = \"1m\", within = [\"10m\", \"39m\"] }}] }}]\n",
                vec!["\"60/h\""; 240].join(", ")
            ),
            "ways to work the patterns",
        ),
    ] {
        let out = schedule(&dir, &text, &["--quiet"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{expected}: {stderr}");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
}
