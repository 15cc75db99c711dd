//! Pictures and reports (issue #5): charts decode as PNG and SVG, the HTML report is
//! well-formed and escapes what the user wrote, the trace holds every event of a replication,
//! and the KPIs per interval add up to the whole.

use std::path::Path;
use std::process::Output;

use crate::common::{callsim, temp_dir};

fn scenario_path(name: &str) -> String {
    format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Decodes `path` as PNG and returns its size.
fn png_size(path: &Path) -> (u32, u32) {
    let file = std::fs::File::open(path).unwrap();
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert!(buf.iter().any(|b| *b != 255), "{} is blank", path.display());
    (info.width, info.height)
}

/// Parses `path` as XML and returns the root element's name.
fn svg_root(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let doc =
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        doc.descendants().count() > 50,
        "{} has hardly anything drawn",
        path.display()
    );
    doc.root_element().tag_name().name().to_string()
}

fn assert_charts(dir: &Path, names: &[&str]) {
    for name in names {
        let (w, h) = png_size(&dir.join(format!("{name}.png")));
        assert_eq!((w, h), callsim::plot::SIZE, "{name}");
        assert_eq!(svg_root(&dir.join(format!("{name}.svg"))), "svg", "{name}");
    }
}

#[test]
fn every_chart_is_written_and_decodes() {
    let dir = temp_dir("charts");
    let floor = dir.join("floor");
    ok(&callsim(&[
        "run",
        &scenario_path("floor77_walker.toml"),
        "--replications",
        "4",
        "--quiet",
        "--plots",
        floor.to_str().unwrap(),
    ]));
    assert_charts(
        &floor,
        &["wait_distribution", "by_interval", "follow_up_responses"],
    );
    let lunch = dir.join("lunch");
    ok(&callsim(&[
        "run",
        &scenario_path("lunch_peak.toml"),
        "--set",
        "callbacks.enabled=true",
        "--replications",
        "4",
        "--quiet",
        "--plots",
        lunch.to_str().unwrap(),
    ]));
    assert_charts(
        &lunch,
        &["wait_distribution", "by_interval", "callback_delays"],
    );
    let cmp = dir.join("compare");
    ok(&callsim(&[
        "compare",
        &scenario_path("lunch_peak.toml"),
        "--variant",
        "on:callbacks.enabled=true",
        "--replications",
        "4",
        "--quiet",
        "--plots",
        cmp.to_str().unwrap(),
    ]));
    assert_charts(&cmp, &["paired_differences"]);
}

#[test]
fn the_trace_holds_every_event_and_draws_the_timeline() {
    let dir = temp_dir("trace");
    let trace = dir.join("trace.csv");
    ok(&callsim(&[
        "run",
        &scenario_path("evening_rep.toml"),
        "--replications",
        "2",
        "--quiet",
        "--trace",
        trace.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("time_s,clock,event,class,caller_arrival_s,agent,manager,detail")
    );
    let rows: Vec<&str> = lines.collect();
    let s = callsim::scenario::load(Some(Path::new(&scenario_path("evening_rep.toml"))), &[])
        .unwrap()
        .scenario;
    // KPIs count contacts that arrive in the window; the trace has the drain too.
    let count = |event: &str| {
        rows.iter()
            .map(|r| r.split(',').collect::<Vec<_>>())
            .filter(|f| f[2] == event)
            .filter(|f| {
                f[4].parse::<f64>()
                    .is_ok_and(|t| t >= s.warmup && t < s.horizon)
            })
            .count()
    };
    // Replication 0 of the same scenario and seed, counted by the KPI collector.
    let kpis = callsim::experiment::run_replication(&s, s.seed, 0)
        .expect("the run ends")
        .overall;
    use callsim::kpi::Kpi;
    assert_eq!(count("offered") as f64, kpis.get(Kpi::Offered));
    assert_eq!(count("answered") as f64, kpis.get(Kpi::Answered));
    assert_eq!(count("abandoned") as f64, kpis.get(Kpi::Abandoned));
    let any = |event: &str| rows.iter().any(|r| r.split(',').nth(2) == Some(event));
    assert!(any("watch_starts") && any("agent_state") && any("follow_up_resolved"));
    // Times never go back.
    let times: Vec<f64> = rows
        .iter()
        .map(|r| r.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(
        png_size(&dir.join("trace.timeline.png")),
        callsim::plot::SIZE
    );
    assert_eq!(svg_root(&dir.join("trace.timeline.svg")), "svg");
}

#[test]
fn a_trace_of_a_huge_run_is_refused() {
    let dir = temp_dir("trace-big");
    let trace = dir.join("t.csv");
    let out = callsim(&[
        "run",
        &scenario_path("default.toml"),
        "--set",
        "horizon=\"30d\"",
        "--replications",
        "1",
        "--quiet",
        "--trace",
        trace.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--trace is for small runs"));
    assert!(!trace.exists());
}

#[test]
fn the_html_report_is_well_formed_and_escapes_the_scenario() {
    let dir = temp_dir("html");
    let text = std::fs::read_to_string(scenario_path("evening_rep.toml"))
        .unwrap()
        .replace(
            "name = \"Evening rep and his show\"",
            "name = \"<script>alert('x')</script> & co\"",
        )
        .replace("name = \"evening\"", "name = \"<b>night</b>\"");
    let scenario = dir.join("evil.toml");
    std::fs::write(&scenario, text).unwrap();
    let report = dir.join("report.html");
    ok(&callsim(&[
        "run",
        scenario.to_str().unwrap(),
        "--replications",
        "3",
        "--quiet",
        "--report",
        report.to_str().unwrap(),
    ]));
    let html = std::fs::read_to_string(&report).unwrap();
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("the report is well-formed");
    // No element came from the scenario's strings: only the page's own and the charts'.
    assert!(
        !doc.descendants()
            .any(|n| n.has_tag_name("script") || n.has_tag_name("b"))
    );
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
    assert!(html.contains("&lt;b&gt;night&lt;/b&gt;"));
    // Charts are inline SVG, and the scenario text is there.
    let svgs = doc.descendants().filter(|n| n.has_tag_name("svg")).count();
    assert!(svgs >= 3, "{svgs} charts");
    assert!(html.contains("procrastination"));
}

#[test]
fn kpis_by_interval_add_up_to_the_whole() {
    let dir = temp_dir("intervals");
    let json = dir.join("r.json");
    ok(&callsim(&[
        "run",
        "--replications",
        "6",
        "--quiet",
        "--json",
        json.to_str().unwrap(),
    ]));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let intervals = doc["by_interval"].as_array().unwrap();
    assert_eq!(intervals.len(), 24, "the default day has 24 half hours");
    let sum = |key: &str| -> f64 {
        intervals
            .iter()
            .map(|i| i["kpis"][key]["mean"].as_f64().unwrap_or(0.0))
            .sum()
    };
    let whole = |key: &str| doc["kpis"][key]["mean"].as_f64().unwrap();
    // Counts add up; time averages over equal intervals average to the whole.
    assert!((sum("offered") - whole("offered")).abs() < 1e-6);
    // Issue #16, item 7: the rows carry counts too, and the agents logged in.
    for key in ["answered", "abandoned"] {
        assert!((sum(key) - whole(key)).abs() < 1e-6, "{key}");
    }
    assert!(sum("answered") > 0.0 && sum("abandoned") > 0.0);
    assert_eq!(sum("blocked"), 0.0, "no lines, no busy signal");
    for i in intervals {
        // The default day has a fixed team of 54.
        assert_eq!(
            i["kpis"]["staffed_agents_mean"]["mean"].as_f64(),
            Some(54.0)
        );
    }
    assert!((sum("occupancy") / 24.0 - whole("occupancy")).abs() < 1e-9);
    assert!((sum("queue_length_mean") / 24.0 - whole("queue_length_mean")).abs() < 1e-9);
}

#[test]
fn quiet_means_nothing_on_either_stream() {
    let out = callsim(&["run", "--replications", "3", "--quiet"]);
    ok(&out);
    // Nothing but warnings, which --quiet does not hide (issue #15): 3 replications warn.
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.lines().all(|l| l.starts_with("warning: ")), "{err}");
    assert!(err.contains("replications"), "{err}");
}

/// The one list of scopes drives every output: each listed scope with entries in the scenario
/// shows up in the JSON (under its key), in `kpis.csv` (by its entry names), in the HTML
/// report (a section of its own, or the classes' columns) and in the terminal table.
#[test]
fn every_listed_scope_reaches_json_csv_report_and_table() {
    use callsim::kpi::ListedScope;
    let dir = temp_dir("scopes");
    let mut seen = std::collections::HashSet::new();
    for name in [
        "outbound_invitations.toml",
        "floor77_walker.toml",
        "departments.toml",
    ] {
        let path = scenario_path(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let scenario = callsim::scenario::parse(&text, name, &[]).expect("valid");
        let (json, csv, report) = (dir.join("r.json"), dir.join("csv"), dir.join("r.html"));
        let out = callsim(&[
            "run",
            &path,
            "--replications",
            "3",
            "--json",
            json.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ]);
        ok(&out);
        let table = String::from_utf8_lossy(&out.stdout);
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        let kpis_csv = std::fs::read_to_string(csv.join("kpis.csv")).unwrap();
        let html = std::fs::read_to_string(&report).unwrap();
        for scope in ListedScope::ALL {
            let entries = scope.entries(&scenario);
            if entries.is_empty() {
                continue;
            }
            seen.insert(scope.key());
            let key = scope.json_key();
            let listed = doc[key]
                .as_object()
                .unwrap_or_else(|| panic!("{name}: no {key} in JSON"));
            if scope != ListedScope::Class {
                assert!(
                    html.contains(scope.heading()),
                    "{name}: {}",
                    scope.heading()
                );
            }
            for entry in &entries {
                assert!(listed.contains_key(entry), "{name}: {entry} in JSON");
                let row = format!("{},", scope.csv_name(entry));
                assert!(
                    kpis_csv.lines().any(|l| l.starts_with(&row)),
                    "{name}: {row} in kpis.csv"
                );
                assert!(
                    html.contains(&format!(">{entry}<")),
                    "{name}: {entry} in the report"
                );
                assert!(
                    table.contains(entry.as_str()),
                    "{name}: {entry} in the table"
                );
            }
        }
    }
    assert_eq!(
        seen.len(),
        ListedScope::ALL.len(),
        "every scope was checked: {seen:?}"
    );
}
