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

/// Schedules `text` with `--json` and `--scenario-out` into `dir`: the table, the JSON and
/// the roster's path.
fn schedule_with_roster(
    dir: &std::path::Path,
    text: &str,
    extra: &[&str],
) -> (String, serde_json::Value, std::path::PathBuf) {
    let json = dir.join("s.json");
    let roster = dir.join("roster.toml");
    let table = ok(&schedule(
        dir,
        text,
        &[
            &[
                "--json",
                json.to_str().unwrap(),
                "--scenario-out",
                roster.to_str().unwrap(),
            ][..],
            extra,
        ]
        .concat(),
    ));
    let doc = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    (table, doc, roster)
}

/// Runs `roster` (with `extra` options) writing CSV into `dir`, and returns the mean service
/// level of every interval in its `intervals.csv`, with the interval's start.
fn roster_service_levels(
    roster: &std::path::Path,
    dir: &std::path::Path,
    extra: &[&str],
) -> Vec<(String, f64)> {
    ok(&callsim(
        &[
            &[
                "run",
                roster.to_str().unwrap(),
                "--quiet",
                "--csv",
                dir.to_str().unwrap(),
            ][..],
            extra,
        ]
        .concat(),
    ));
    let text = std::fs::read_to_string(dir.join("intervals.csv")).unwrap();
    text.lines()
        .filter(|l| l.contains(",service_level,"))
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[2].to_string(), cells[5].parse().unwrap_or(f64::NAN))
        })
        .collect()
}

#[test]
fn the_roster_meets_the_target_in_every_interval_and_runs_as_written() {
    let dir = temp_dir("schedule_roster");
    let (table, doc, roster) = schedule_with_roster(&dir, &format!("{DAY}{PATTERNS}"), &[]);
    let json = dir.join("s.json");
    assert!(table.contains("per simulation: met"), "{table}");
    assert_eq!(doc["met"], true);
    for row in doc["intervals"].as_array().unwrap() {
        // Met with confidence: the lower end of the 95 % interval reaches the target.
        let low = row["service_level"]["ci95"][0].as_f64().unwrap();
        assert!(low >= 0.8, "{row}");
        assert!(row["scheduled"].as_u64() >= row["requirement"].as_u64());
        // The out-of-sample check ran on other random numbers.
        assert_ne!(row["out_of_sample"]["service_level"], row["service_level"]);
    }
    // The written roster is a runnable scenario of shifts whose day, on the same random
    // numbers, is the day the search simulated.
    let same = roster_service_levels(&roster, &dir.join("again"), &[]);
    for (row, (start, sl)) in doc["intervals"].as_array().unwrap().iter().zip(&same) {
        assert_eq!(row["start"].as_str().unwrap(), start);
        let searched = row["service_level"]["mean"].as_f64().unwrap();
        assert!(
            (searched - sl).abs() < 1e-12,
            "{start}: {searched} against {sl}"
        );
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
fn every_roster_meets_its_target_out_of_sample() {
    // Rosters searched on 40 replications of four seeds, each checked on 400 replications of
    // two seeds the search never used: every interval with calls meets 80 % within 20 s.
    let dir = temp_dir("schedule_out_of_sample");
    for seed in ["5", "6", "7", "8"] {
        let roster = dir.join(format!("roster{seed}.toml"));
        ok(&schedule(
            &dir,
            &format!("{DAY}{PATTERNS}"),
            &[
                "--replications",
                "40",
                "--seed",
                seed,
                "--quiet",
                "--scenario-out",
                roster.to_str().unwrap(),
            ],
        ));
        for fresh in ["101", "202"] {
            let levels = roster_service_levels(
                &roster,
                &dir.join(format!("check{seed}_{fresh}")),
                &["--seed", fresh, "--replications", "400"],
            );
            assert_eq!(levels.len(), 8);
            for (start, sl) in levels {
                assert!(
                    sl >= 0.8,
                    "seed {seed}, checked on {fresh}: {start} at {sl}"
                );
            }
        }
    }
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
            "scheduling.patterns: no shift pattern covers 11:00-11:30, which needs 1 agent(s)",
        ),
        (
            format!(
                "{DAY}{}",
                PATTERNS.replace("within = [\"1h\", \"2h\"]", "within = [\"1h\", \"3h\"]")
            ),
            "scheduling.patterns[0].breaks[0].within",
        ),
        (
            // A second break that cannot start before the first (1h-1h30 at the earliest)
            // ends and still end inside the 3-hour shift.
            format!(
                "{DAY}{}",
                PATTERNS.replace(
                    "within = [\"1h\", \"2h\"] }]",
                    "within = [\"1h\", \"2h\"] }, { length = \"2h\", within = [\"30m\", \"1h\"] }]"
                )
            ),
            "scheduling.patterns[0].breaks[1].within",
        ),
        (
            format!(
                "{DAY}{}",
                PATTERNS.replace(
                    "breaks = [{ length = \"30m\", within = [\"1h\", \"2h\"] }]",
                    &format!(
                        "breaks = [{}]",
                        ["{ length = \"1m\", within = [\"1h\", \"2h\"] }"; 5].join(", ")
                    )
                )
            ),
            "key `scheduling.patterns[0].breaks`: 5 breaks: allowed at most 4",
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

#[test]
fn an_unreachable_target_exits_1_naming_the_intervals() {
    // Each agent takes one call and then slacks for ten hours: no roster within reach will do.
    let dir = temp_dir("schedule_unreachable");
    let text = format!(
        "{DAY}orientation = {{ boss = 1 }}\n[agents.behaviour.boss]\n\
         slack = {{ dist = \"deterministic\", value = \"10h\" }}\n{PATTERNS}"
    );
    let out = schedule(&dir, &text, &["--replications", "3", "--quiet"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the target cannot be met in") && stderr.contains("09:00-09:30"),
        "{stderr}"
    );
}

#[test]
fn shift_patterns_from_a_file_replace_the_scenarios_own() {
    let dir = temp_dir("schedule_shifts_file");
    let inline = dir.join("inline.json");
    ok(&schedule(
        &dir,
        &format!("{DAY}{PATTERNS}"),
        &["--quiet", "--json", inline.to_str().unwrap()],
    ));
    // The same patterns in a file of their own, with the scenario's table absent or different.
    let shifts = write(&dir, "shifts.toml", PATTERNS);
    let bare = write(
        &dir,
        "bare_shifts.toml",
        PATTERNS.trim_start_matches("[scheduling]\n"),
    );
    for (i, (file, scenario)) in [
        (&shifts, DAY.to_string()),
        (
            &bare,
            format!("{DAY}{}", PATTERNS.replace("\"long\"", "\"other\"")),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let dir = dir.join(format!("case{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let json = dir.join("s.json");
        ok(&schedule(
            &dir,
            &scenario,
            &[
                "--shifts",
                file,
                "--quiet",
                "--json",
                json.to_str().unwrap(),
            ],
        ));
        assert!(std::fs::read(&json).unwrap() == std::fs::read(&inline).unwrap());
    }
    // Errors in the patterns name the shifts file and the key as written there.
    let broken = write(
        &dir,
        "broken.toml",
        &PATTERNS
            .trim_start_matches("[scheduling]\n")
            .replace("length = \"3h\"", "length = \"30h\""),
    );
    let out = schedule(&dir, DAY, &["--shifts", &broken, "--quiet"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("broken.toml: key `patterns[0].length`"),
        "{stderr}"
    );
}

#[test]
fn two_breaks_per_shift_reach_the_written_roster() {
    let dir = temp_dir("schedule_two_breaks");
    let patterns = PATTERNS.replace(
        "breaks = [{ length = \"30m\", within = [\"1h\", \"2h\"] }]",
        "breaks = [{ length = \"30m\", within = [\"30m\", \"1h\"] }, { length = \"30m\", within = [\"1h30m\", \"2h\"] }]",
    );
    let (_, doc, roster) = schedule_with_roster(&dir, &format!("{DAY}{patterns}"), &["--quiet"]);
    let long: Vec<&serde_json::Value> = doc["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["pattern"] == "long")
        .collect();
    assert!(!long.is_empty(), "{doc}");
    for s in &long {
        // Two half-hour breaks, written "09:00-09:30 10:00-10:30".
        assert_eq!(s["break"].as_str().unwrap().split(' ').count(), 2, "{s}");
    }
    let text = std::fs::read_to_string(&roster).unwrap();
    let parsed: toml::Table = text.parse().unwrap();
    let shifts = parsed["agents"]["shifts"].as_array().unwrap();
    assert!(
        shifts
            .iter()
            .any(|s| s.get("breaks").and_then(|b| b.as_array()).map(Vec::len) == Some(2)),
        "{text}"
    );
    ok(&callsim(&["run", roster.to_str().unwrap(), "--quiet"]));
}

/// Two days of dated half hours, 08:00-10:00 each, the second day busier.
const TWO_DAYS: &str = "start,calls\n2026-03-02 08:00,30\n2026-03-02 08:30,40\n2026-03-02 09:00,40\n\
                        2026-03-02 09:30,30\n2026-03-03 08:00,60\n2026-03-03 08:30,80\n\
                        2026-03-03 09:00,80\n2026-03-03 09:30,60\n";

#[test]
fn a_week_is_scheduled_with_patterns_limited_to_days() {
    let dir = temp_dir("schedule_week");
    write(&dir, "two_days.csv", TWO_DAYS);
    let text = "seed = 3\nreplications = 20\nhorizon = \"26h\"\n\
                [arrivals]\nprofile = { file = \"two_days.csv\" }\n[[callers]]\n\
                patience = { dist = \"exponential\", mean = \"2m\" }\n\
                handle_time = { dist = \"exponential\", mean = \"3m\" }\n[agents]\ncount = 1\n\
                [scheduling]\npatterns = [\n  { name = \"first\", length = \"2h\", starts = { from = \"08:00\", to = \"08:00\", every = \"30m\" }, days = [1] },\n  \
                { name = \"second\", length = \"2h\", starts = { from = \"08:00\", to = \"08:00\", every = \"30m\" }, days = [2], cost_per_hour = 2 },\n  \
                { name = \"cover\", length = \"1h\", starts = { from = \"08:00\", to = \"09:00\", every = \"30m\" }, days = [2], cost_per_hour = 3 },\n]\n";
    let (_, doc, roster) = schedule_with_roster(&dir, text, &["--quiet"]);
    assert_eq!(doc["met"], true, "{doc}");
    // Each pattern works only its days: "first" on day 1, the others on day 2.
    for s in doc["shifts"].as_array().unwrap() {
        let day = if s["pattern"] == "first" {
            "d1 "
        } else {
            "d2 "
        };
        assert!(s["start"].as_str().unwrap().starts_with(day), "{s}");
    }
    // The week's intervals run once: day 2's 08:00 is its own interval, not day 1's.
    let intervals = doc["intervals"].as_array().unwrap();
    let d2 = intervals
        .iter()
        .find(|r| r["start_s"].as_f64() == Some(24.0 * 3600.0))
        .unwrap();
    assert_eq!(d2["rate_per_hour"].as_f64(), Some(120.0));
    assert_eq!(d2["start"], "d2 08:00", "{d2}");
    let d1_agents = intervals[0]["scheduled"].as_u64().unwrap();
    assert!(d2["scheduled"].as_u64().unwrap() > d1_agents, "{doc}");
    // The written roster names the days and runs; on its own random numbers it is the day the
    // search simulated.
    let written = std::fs::read_to_string(&roster).unwrap();
    assert!(
        written.contains("days = [1]") && written.contains("days = [2]"),
        "{written}"
    );
    let levels = roster_service_levels(&roster, &dir.join("again"), &[]);
    for row in intervals
        .iter()
        .filter(|r| r["rate_per_hour"].as_f64() > Some(0.0))
    {
        let start = row["start_s"].as_f64().unwrap();
        let searched = row["service_level"]["mean"].as_f64().unwrap();
        let k = (start / 1800.0) as usize;
        assert!(
            (levels[k].1 - searched).abs() < 1e-12,
            "{row}: {:?}",
            levels[k]
        );
    }
    // A pattern may not name a day the forecast does not have.
    let out = schedule(&dir, &text_with_days(text, "days = [3]"), &["--quiet"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("scheduling.patterns[0].days: day 3: allowed days 1 to 2"),
        "{stderr}"
    );
}

/// `text` with the first pattern's days replaced.
fn text_with_days(text: &str, days: &str) -> String {
    text.replacen("days = [1]", days, 1)
}

#[test]
fn the_charts_and_the_report_show_the_roster() {
    let dir = temp_dir("schedule_pictures");
    let plots = dir.join("plots");
    let html = dir.join("s.html");
    ok(&schedule(
        &dir,
        &format!("name = \"<b>shifts</b>\"\n{DAY}{PATTERNS}"),
        &[
            "--quiet",
            "--plots",
            plots.to_str().unwrap(),
            "--report",
            html.to_str().unwrap(),
        ],
    ));
    for name in ["schedule", "shifts"] {
        let png = std::fs::read(plots.join(format!("{name}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name}.png");
        let svg = std::fs::read_to_string(plots.join(format!("{name}.svg"))).unwrap();
        assert!(svg.contains("<svg"), "{name}.svg");
    }
    let svg = std::fs::read_to_string(plots.join("schedule.svg")).unwrap();
    assert!(svg.contains("requirement") && svg.contains("out of sample"));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("Shift schedule of &lt;b&gt;shifts&lt;/b&gt;"),
        "{page}"
    );
    assert!(page.contains("Paid hours") && page.matches("<svg").count() >= 2);
}

/// A library caller gets the scheduling problems as values: which one, and the key it is
/// about, without reading the message.
#[test]
fn scheduling_problems_are_typed_for_library_callers() {
    use callsim::experiment::{
        RunOptions, ScheduleError, ScheduleInput, ScheduleMethod, StaffTarget, schedule,
    };
    let options = RunOptions {
        replications: 3,
        seed: 5,
        threads: None,
        details: false,
        clock: None,
    };
    let target = StaffTarget {
        service_level: 0.8,
        within_s: 20.0,
        max_abandon: None,
    };
    let problem = |text: &str| match schedule(
        &crate::common::scenario(text),
        &target,
        &options,
        ScheduleMethod::Day,
    ) {
        Err(ScheduleError::Input(input)) => input,
        other => panic!("expected an input problem, got {other:?}"),
    };
    assert_eq!(problem(DAY), ScheduleInput::NoPatterns);
    assert_eq!(problem(DAY).key(), "scheduling.patterns");
    let constant = format!(
        "horizon = \"4h\"\n[arrivals]\nrate = \"60/h\"\n[[callers]]\n\
         handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n[agents]\ncount = 1\n{PATTERNS}"
    );
    assert_eq!(problem(&constant), ScheduleInput::NeedsProfile);
    let uneven = format!(
        "{DAY}{}",
        PATTERNS.replace("every = \"30m\" }, cost", "every = \"20m\" }, cost")
    );
    match problem(&uneven) {
        ScheduleInput::NotWholeIntervals {
            key,
            seconds,
            interval_s,
        } => {
            assert_eq!(key, "scheduling.patterns[1].starts");
            assert_eq!((seconds, interval_s), (1200.0, 1800.0));
        }
        other => panic!("{other:?}"),
    }
}
