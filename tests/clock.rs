//! The clock (issue #16, item 1): `opens` sets the time of day at simulated time 0, times are
//! written as clock text, and every output labels its times with the clock. One test per
//! output kind, and behaviour tests that the clock moves shifts with the day.

use crate::common::{callsim, ok, scenario, temp_dir, write};

/// A night line: opens at 22:00 and runs three hours, past midnight.
const NIGHT: &str = "name = \"night line\"\nopens = \"22:00\"\nhorizon = \"3h\"\nreplications = 3\n\
                     [arrivals]\nprofile = { interval = \"1h\", rates = [\"60/h\", \"40/h\", \"20/h\"] }\n\
                     [[callers]]\npatience = { dist = \"exponential\", mean = \"2m\" }\n\
                     handle_time = { dist = \"exponential\", mean = \"4m\" }\n[agents]\ncount = 5\n";

#[test]
fn intervals_csv_and_json_read_clock_time() {
    let dir = temp_dir("clock_intervals");
    let file = write(&dir, "night.toml", NIGHT);
    let json = dir.join("r.json");
    let csv = dir.join("csv");
    ok(&callsim(&[
        "run",
        &file,
        "--quiet",
        "--json",
        json.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(csv.join("intervals.csv")).unwrap();
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("start_s,end_s,start,end,kpi,")
    );
    let spans: Vec<String> = lines
        .filter(|l| l.contains(",offered,"))
        .map(|l| l.split(',').take(4).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(
        spans,
        [
            "0,3600,22:00,23:00",
            "3600,7200,23:00,24:00",
            "7200,10800,00:00,01:00"
        ]
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let rows = doc["by_interval"].as_array().unwrap();
    let labels: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["start"].as_str().unwrap(), r["end"].as_str().unwrap()))
        .collect();
    assert_eq!(
        labels,
        [("22:00", "23:00"), ("23:00", "24:00"), ("00:00", "01:00")]
    );
    assert_eq!(rows[1]["start_s"], 3600.0);
}

#[test]
fn the_staff_table_of_the_default_day_starts_at_eight() {
    let dir = temp_dir("clock_staff");
    let csv = dir.join("csv");
    let out = ok(&callsim(&[
        "staff",
        &format!("{}/scenarios/default.toml", env!("CARGO_MANIFEST_DIR")),
        "--service-level",
        "0.8",
        "--within",
        "20s",
        "--replications",
        "2",
        "--csv",
        csv.to_str().unwrap(),
    ]));
    let first = out
        .lines()
        .find(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap();
    assert!(first.starts_with("08:00-08:30 "), "{first}");
    let last = out
        .lines()
        .rfind(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap();
    assert!(last.starts_with("19:30-20:00 "), "{last}");
    // The HTML report carries the same clock labels.
    let report = dir.join("staff.html");
    ok(&callsim(&[
        "staff",
        &format!("{}/scenarios/default.toml", env!("CARGO_MANIFEST_DIR")),
        "--service-level",
        "0.8",
        "--within",
        "20s",
        "--replications",
        "2",
        "--quiet",
        "--report",
        report.to_str().unwrap(),
    ]));
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("08:00-08:30")
    );
    let rows = std::fs::read_to_string(csv.join("staff.csv")).unwrap();
    assert!(
        rows.lines()
            .next()
            .unwrap()
            .starts_with("start_s,end_s,start,end,")
    );
    assert!(
        rows.lines()
            .nth(1)
            .unwrap()
            .starts_with("0,1800,08:00,08:30,")
    );
}

#[test]
fn a_sweep_of_a_shift_start_is_labelled_with_the_clock() {
    let dir = temp_dir("clock_sweep");
    let file = write(
        &dir,
        "s.toml",
        &NIGHT.replace(
            "count = 5",
            "shifts = [{ start = \"21:00\", end = \"05:00\", count = 5 }]",
        ),
    );
    let out = ok(&callsim(&[
        "sweep",
        &file,
        "--vary",
        "agents.shifts[0].start=21h:22h:30m",
        "--replications",
        "2",
    ]));
    let values: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("---"))
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(values, ["21:00", "21:30", "22:00"], "{out}");
}

#[test]
fn the_trace_and_the_charts_read_clock_time() {
    let dir = temp_dir("clock_trace");
    let file = write(&dir, "night.toml", NIGHT);
    let trace = dir.join("t.csv");
    let plots = dir.join("plots");
    ok(&callsim(&[
        "run",
        &file,
        "--quiet",
        "--trace",
        trace.to_str().unwrap(),
        "--plots",
        plots.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut rows = text.lines();
    assert!(rows.next().unwrap().starts_with("time_s,clock,event,"));
    for row in rows {
        let mut cells = row.split(',');
        let t: f64 = cells.next().unwrap().parse().unwrap();
        let clock = cells.next().unwrap();
        // Worked out here, not with the library's formatter: 22:00 plus t, past midnight on
        // the next day (a one-day run names the day only once it has passed midnight).
        let ms = ((22.0 * 3600.0 + t) * 1000.0).round() as u64;
        let (day, in_day) = (ms / 86_400_000, ms % 86_400_000);
        let (h, m, s, f) = (
            in_day / 3_600_000,
            in_day / 60_000 % 60,
            in_day / 1000 % 60,
            in_day % 1000,
        );
        let hm = format!("{h:02}:{m:02}");
        let body = match (s, f) {
            (0, 0) => hm,
            (_, 0) => format!("{hm}:{s:02}"),
            _ => format!("{hm}:{s:02}.{f:03}"),
        };
        let expected = if day > 0 { format!("d2 {body}") } else { body };
        assert_eq!(clock, expected, "{row}");
    }
    // The axes of the interval chart and of the timeline are labelled with times of day.
    let by_interval = std::fs::read_to_string(plots.join("by_interval.svg")).unwrap();
    assert!(by_interval.contains("time of day"));
    assert!(by_interval.contains("\n23:00\n") && by_interval.contains("\n00:30\n"));
    assert!(!by_interval.contains("hours from the start"));
    let timeline = std::fs::read_to_string(dir.join("t.timeline.svg")).unwrap();
    assert!(timeline.contains("time of day") && timeline.contains("\n22:"));
}

#[test]
fn warnings_name_clock_times() {
    let dir = temp_dir("clock_warning");
    let file = write(
        &dir,
        "late.toml",
        &NIGHT.replace(
            "count = 5",
            "shifts = [{ start = \"23:00\", end = \"07:00\", count = 5 }]",
        ),
    );
    let out = callsim(&["run", &file, "--quiet"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nobody is on duty from 22:00 to 23:00 while calls arrive"),
        "{stderr}"
    );
}

/// Moving the clock and the shifts together changes nothing: the clock is the day's label,
/// not a model input.
#[test]
fn the_clock_moves_shifts_breaks_hours_and_outages_with_the_day() {
    let at = |opens: &str, times: [&str; 6]| {
        format!(
            "opens = \"{opens}\"\nhorizon = \"10h\"\nreplications = 4\n[arrivals]\nrate = \"200/h\"\n\
             [[callers]]\npatience = {{ dist = \"exponential\", mean = \"2m\" }}\n\
             handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n\
             first_contact_resolution = 0.8\n\
             follow_up = {{ promise = \"2h\", work = {{ dist = \"exponential\", mean = \"5m\" }}, \
             back_office = {{ probability = 0.5, work = {{ dist = \"exponential\", mean = \"10m\" }} }} }}\n\
             [agents]\nshifts = [\n  {{ start = \"{}\", end = \"{}\", count = 12, breaks = [{{ start = \"{}\", length = \"30m\" }}] }},\n  \
             {{ start = \"{}\", end = \"{}\", count = 6 }},\n]\noutages = [{{ start = \"{}\", end = \"3h\" }}]\n\
             [back_office]\ncount = 2\nhours = {{ start = \"{}\", end = \"{}\" }}\n",
            times[0], times[1], times[2], times[3], times[4], times[5], times[3], times[4]
        )
    };
    let midnight = scenario(&at("00:00", ["00:00", "8h", "4h", "2h", "10h", "2h40m"]));
    let eight = scenario(&at(
        "08:00",
        ["08:00", "16:00", "12:00", "10:00", "18:00", "10:40"],
    ));
    assert_eq!(eight.agents.shifts, midnight.agents.shifts);
    assert_eq!(eight.agents.outages, midnight.agents.outages);
    assert_eq!(
        eight.back_office.as_ref().unwrap().hours,
        midnight.back_office.as_ref().unwrap().hours
    );
    let (a, b) = (
        crate::common::run(&midnight, 4, 9),
        crate::common::run(&eight, 4, 9),
    );
    for (k, e) in &a.overall.kpis {
        let f = b.overall.get(*k).unwrap();
        assert!(
            e.mean.to_bits() == f.mean.to_bits() || (e.mean.is_nan() && f.mean.is_nan()),
            "{k:?}"
        );
    }
}

#[test]
fn clock_text_reads_as_times_of_day_and_moments() {
    let base = "opens = \"08:00\"\nhorizon = \"3d\"\n[arrivals]\nrate = \"30/h\"\n[[callers]]\n\
                handle_time = { dist = \"exponential\", mean = \"4m\" }\n[agents]\n";
    let s = scenario(&format!(
        "{base}shifts = [{{ start = \"22:00\", end = \"06:00\", count = 2, breaks = [{{ start = \"02:00\", length = \"30m\" }}] }}]\n\
         absences = [{{ agent = 1, from = \"d2 09:00\", to = \"d3 08:00\" }}]\n\
         outages = [{{ start = \"09:30\", end = \"d1 10:00\" }}]\n"
    ));
    let h = 3600.0;
    let night = &s.agents.shifts[0];
    // 22:00 is 14 h after an 08:00 opening; the break at 02:00 is the next morning's.
    assert_eq!((night.start_s, night.end_s), (14.0 * h, 22.0 * h));
    assert_eq!(
        (night.breaks[0].start_s, night.breaks[0].end_s),
        (18.0 * h, 18.5 * h)
    );
    // The same shift written with durations from midnight, as before the clock.
    let old = scenario(&format!(
        "{base}shifts = [{{ start = \"22h\", end = \"30h\", count = 2, breaks = [{{ start = \"26h\", length = \"30m\" }}] }}]\n"
    ));
    assert_eq!(&old.agents.shifts[0], night);
    // d2 09:00 is 25 h after d1 08:00; moments written as durations count from the start.
    assert_eq!(
        (s.agents.absences[0].from_s, s.agents.absences[0].to_s),
        (25.0 * h, 48.0 * h)
    );
    assert_eq!(
        (s.agents.outages[0].start_s, s.agents.outages[0].end_s),
        (1.5 * h, 2.0 * h)
    );
}
