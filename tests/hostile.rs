//! Issue #15: careless and hostile input. Every command ends, exits 0, 1 or 2, names what it
//! refuses, and leaves the whole output set or none of it. One test (or more) per finding.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::common::{TINY, callsim, temp_dir, write};

fn scenarios(name: &str) -> String {
    format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary, killing it (and failing) if it has not ended within `limit`.
fn within(limit: Duration, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_callsim"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("`callsim {}` did not end within {limit:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit 2 with every `needle` in the message, and no panic.
fn refused(out: &Output, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in: {err}");
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(files_in(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

// 1. Hangs.

#[test]
fn a_fractional_report_interval_ends_for_runs_and_every_shard() {
    let dir = temp_dir("fractional");
    let json = dir.join("o.json");
    let s = scenarios("student_mm1.toml");
    let args = ["--set", "report_interval=100.3", "--replications", "4"];
    let out = within(
        Duration::from_secs(60),
        &[
            &["run", &s, "--json", json.to_str().unwrap()][..],
            &args[..],
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert!(!doc["by_interval"].as_array().unwrap().is_empty());
    for k in 1..=2 {
        let part = dir.join(format!("p{k}"));
        let shard = format!("{k}/2");
        let out = within(
            Duration::from_secs(60),
            &[
                &[
                    "run",
                    &s,
                    "--shard",
                    &shard,
                    "--partial",
                    part.to_str().unwrap(),
                ][..],
                &args[..],
            ]
            .concat(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

#[test]
fn cycles_of_zero_duration_are_refused_with_their_keys() {
    let zero = "{ dist = \"deterministic\", value = 0 }";
    let walker =
        format!("{TINY}[[managers]]\nstyle = \"walker\"\noffice = {zero}\nvisit = {zero}\n");
    let dir = temp_dir("zero-cycles");
    let out = within(
        Duration::from_secs(20),
        &["run", &write(&dir, "w.toml", &walker)],
    );
    refused(
        &out,
        &["managers[0].office", "managers[0].visit", "at least 1 s"],
    );
    let follow = TINY.replace(
        "handle_time = { dist = \"exponential\", mean = \"4m\" }",
        &format!(
            "handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\nfirst_contact_resolution = 0.5\n\
             follow_up = {{ promise = \"30m\", work = {{ dist = \"exponential\", mean = \"5m\" }}, \
             tolerance = {zero}, status_call = {zero} }}"
        ),
    );
    let out = within(
        Duration::from_secs(20),
        &["run", &write(&dir, "f.toml", &follow)],
    );
    refused(
        &out,
        &[
            "callers[0].follow_up.tolerance",
            "callers[0].follow_up.status_call",
        ],
    );
}

/// What validation cannot foresee, the event loop's budget stops: a run whose simulated time
/// stops moving ends with an error that names the keys behind the looping event.
#[test]
fn a_run_that_stops_moving_in_time_ends_with_a_clear_error() {
    use callsim::dist::DurationDist;
    use callsim::engine::{Event, NullObserver, Simulation};
    use callsim::model::ManagerStyle;
    let mut s = callsim::scenario::parse(
        &std::fs::read_to_string(scenarios("floor77_walker.toml")).unwrap(),
        "floor77_walker.toml",
        &[],
    )
    .unwrap();
    // Past validation, as a future feature might: a walker who moves in no time at all.
    let ManagerStyle::Walker { office, visit, .. } = &mut s.floor.managers[0].style else {
        panic!("the floor has a walker")
    };
    *office = DurationDist::deterministic(0.0).unwrap();
    *visit = DurationDist::deterministic(0.0).unwrap();
    let started = Instant::now();
    let stalled = Simulation::new(&s)
        .run(1, 0, &mut NullObserver)
        .expect_err("the budget stops it");
    assert!(started.elapsed() < Duration::from_secs(60));
    assert!(matches!(stalled.event, Event::Manager(_)), "{stalled:?}");
    assert!(
        stalled
            .to_string()
            .contains("managers[].office and managers[].visit")
    );
    // Through the experiment layer it names the replication, and the CLI maps it to exit 2.
    let options = callsim::experiment::RunOptions {
        replications: 2,
        seed: 1,
        threads: Some(2),
        details: false,
        clock: None,
    };
    let e = callsim::experiment::run(&s, &options, &|_, _| {}).unwrap_err();
    assert!(e.to_string().starts_with("replication 0:"), "{e}");
    assert_eq!(callsim::Error::from(e).exit_code(), 2);
}

#[test]
fn erlang_a_for_long_thresholds_and_tiny_patience_is_bounded() {
    for extra in [
        &["--patience", "2m", "--threshold", "3650d"][..],
        &["--patience", "0.001s", "--threshold", "20s"][..],
        &["--patience", "3650d", "--threshold", "3650d"][..],
        // A queue of tens of thousands of patient callers: bounded, and said to be a bound.
        &["--patience", "3650d", "--threshold", "1d"][..],
    ] {
        let args = [
            &[
                "erlang", "--rate", "12/min", "--aht", "4m", "--agents", "50",
            ][..],
            extra,
        ]
        .concat();
        let out = within(Duration::from_secs(20), &args);
        assert!(out.status.success(), "{}", stderr(&out));
        // Huge thresholds print compactly.
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("315360000 s"), "{text}");
    }
    let out = within(
        Duration::from_secs(120),
        &[
            "staff",
            &scenarios("student_mm1.toml"),
            "--service-level",
            "0.8",
            "--within",
            "3650d",
            "--replications",
            "4",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn long_replications_report_simulated_time() {
    use std::sync::Arc;
    let s = callsim::scenario::parse(TINY, "t.toml", &["horizon=\"3000d\"".into()]).unwrap();
    let clock = Arc::new(callsim::experiment::SimulatedClock::default());
    let options = callsim::experiment::RunOptions {
        replications: 1,
        seed: 1,
        threads: Some(1),
        details: false,
        clock: Some(clock.clone()),
    };
    callsim::experiment::run(&s, &options, &|_, _| {}).unwrap();
    // About 2.2 million arrivals and a few times as many events: the clock ticked on the way.
    let reached = clock.furthest_s();
    assert!(
        reached > 86_400.0 && reached <= s.horizon * 1.01,
        "{reached}"
    );
}

// 2. merge is tamper-evident.

/// Runs the shards `1/n` to `n/n` of `replications` replications of scenario `s`, each into
/// `dir/part{k}`; returns their paths.
fn shards(dir: &Path, s: &str, replications: u32, n: u32) -> Vec<PathBuf> {
    (1..=n)
        .map(|k| {
            let p = dir.join(format!("part{k}"));
            let out = callsim(&[
                "run",
                s,
                "--replications",
                &replications.to_string(),
                "--shard",
                &format!("{k}/{n}"),
                "--partial",
                p.to_str().unwrap(),
                "--quiet",
            ]);
            assert!(out.status.success(), "{}", stderr(&out));
            p
        })
        .collect()
}

/// Writes the two shards of a 6-replication run of TINY; returns their paths.
fn two_shards(dir: &Path) -> [PathBuf; 2] {
    let s = write(dir, "tiny.toml", TINY);
    let mut parts = shards(dir, &s, 6, 2).into_iter();
    [parts.next().unwrap(), parts.next().unwrap()]
}

/// Header and body of a partial, the body as JSON.
fn open_partial(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let (_, body) = text.split_once('\n').unwrap();
    serde_json::from_str(body).unwrap()
}

/// Writes `body` as a partial with a correct digest: what a forger who knows the format does.
fn forge(path: &Path, body: &serde_json::Value) {
    let mut bytes = serde_json::to_vec(body).unwrap();
    bytes.push(b'\n');
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let format = callsim::report::PARTIAL_FORMAT;
    let mut out = format!("{{\"format\":{format},\"digest\":\"{digest}\"}}\n").into_bytes();
    out.extend_from_slice(&bytes);
    std::fs::write(path, out).unwrap();
}

/// A forger's change to a partial's body.
type Edit = Box<dyn Fn(&mut serde_json::Value)>;

fn merge(parts: &[&Path]) -> Output {
    let mut args = vec!["merge", "--quiet"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    within(Duration::from_secs(60), &args)
}

#[test]
fn merge_refuses_edited_relabelled_and_cut_partials() {
    let dir = temp_dir("tamper");
    let [a, b] = two_shards(&dir);
    assert!(merge(&[&a, &b]).status.success());
    let edited = dir.join("edited");
    // A hand edit of one digit anywhere: the digest no longer matches.
    let text = std::fs::read_to_string(&b).unwrap();
    let at = text.rfind(|c: char| c.is_ascii_digit()).unwrap();
    let digit = text.as_bytes()[at];
    let mut bytes = text.into_bytes();
    bytes[at] = if digit == b'9' { b'1' } else { digit + 1 };
    std::fs::write(&edited, &bytes).unwrap();
    refused(&merge(&[&a, &edited]), &["edited", "refused"]);
    // Cut short.
    let full = std::fs::read(&b).unwrap();
    std::fs::write(&edited, &full[..full.len() / 2]).unwrap();
    refused(&merge(&[&a, &edited]), &["refused"]);

    // A forger who recomputes the digest is caught by the other checks.
    let body = open_partial(&b);
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "negative count",
            Box::new(|v| v["per_replication"][0][0] = serde_json::json!(-5.0)),
            "not a possible value",
        ),
        (
            "edited number",
            Box::new(|v| v["per_replication"][0][0] = serde_json::json!(12345.0)),
            "is not what this build computes",
        ),
        (
            "relabelled as another shard",
            Box::new(|v| {
                v["shard"]["range"] = serde_json::json!([0, 3]);
            }),
            "given twice",
        ),
        (
            "a replication removed",
            Box::new(|v| {
                v["per_replication"].as_array_mut().unwrap().pop();
            }),
            "does not match the range",
        ),
        (
            "a class removed",
            Box::new(|v| {
                assert_eq!(v["per_scope"][0][0], "by_class");
                v["per_scope"][0][1].as_array_mut().unwrap().pop();
            }),
            "caller classes",
        ),
        (
            "a scope removed",
            Box::new(|v| {
                v["per_scope"].as_array_mut().unwrap().pop();
            }),
            "scopes are not this build's",
        ),
        (
            "a scope given twice",
            Box::new(|v| {
                let first = v["per_scope"][0].clone();
                v["per_scope"][1] = first;
            }),
            "scopes are not this build's",
        ),
        (
            "a KPI this build does not have",
            Box::new(|v| v["kpi_keys"][0] = serde_json::json!("happiness")),
            "\"happiness\" is not one of this build's",
        ),
        (
            "interval rows that do not fit the scenario",
            Box::new(|v| {
                v["per_interval"][0].as_array_mut().unwrap().pop();
            }),
            "interval rows",
        ),
        (
            "an edited scenario",
            Box::new(|v| {
                let t = v["shard"]["scenario_text"]
                    .as_str()
                    .unwrap()
                    .replace("count = 3", "count = 4");
                v["shard"]["scenario_text"] = serde_json::json!(t);
            }),
            "different run",
        ),
        (
            "another build",
            Box::new(|v| v["build"] = serde_json::json!("callsim 0.0.1")),
            "written by callsim 0.0.1",
        ),
    ];
    for (what, edit, needle) in cases {
        let mut v = body.clone();
        edit(&mut v);
        forge(&edited, &v);
        let out = merge(&[&a, &edited]);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{what}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(edited.to_str().unwrap()),
            "{what}: names the file"
        );
    }
    // The same relabelled shard with both shards edited consistently: the re-simulation of
    // its first replication gives it away.
    let mut first = open_partial(&a);
    let mut second = body.clone();
    first["shard"]["range"] = serde_json::json!([0, 3]);
    second["shard"]["range"] = serde_json::json!([3, 6]);
    std::mem::swap(
        &mut first["per_replication"],
        &mut second["per_replication"],
    );
    std::mem::swap(&mut first["per_scope"], &mut second["per_scope"]);
    std::mem::swap(&mut first["per_interval"], &mut second["per_interval"]);
    let (fa, fb) = (dir.join("fa"), dir.join("fb"));
    forge(&fa, &first);
    forge(&fb, &second);
    refused(&merge(&[&fa, &fb]), &["is not what this build computes"]);
}

#[test]
fn merge_reads_a_partial_by_its_kpi_keys_not_their_positions() {
    // A partial whose KPI columns come in another order (as a build with its KPIs listed
    // differently would write them) merges into the same result: values are found by key.
    let dir = temp_dir("partial-keys");
    let [a, b] = two_shards(&dir);
    let json = |parts: &[&Path]| {
        let mut args = vec!["merge", "--quiet", "--json", "-"];
        args.extend(parts.iter().map(|p| p.to_str().unwrap()));
        let out = within(Duration::from_secs(60), &args);
        assert!(out.status.success(), "{}", stderr(&out));
        out.stdout
    };
    let before = json(&[&a, &b]);
    let mut v = open_partial(&b);
    let reverse = |x: &mut serde_json::Value| x.as_array_mut().unwrap().reverse();
    reverse(&mut v["kpi_keys"]);
    reverse(&mut v["interval_kpi_keys"]);
    for row in v["per_replication"].as_array_mut().unwrap() {
        reverse(row);
    }
    for scope in v["per_scope"].as_array_mut().unwrap() {
        for entry in scope[1].as_array_mut().unwrap() {
            for row in entry.as_array_mut().unwrap() {
                reverse(row);
            }
        }
    }
    for rep in v["per_interval"].as_array_mut().unwrap() {
        for row in rep.as_array_mut().unwrap() {
            reverse(row);
        }
    }
    // And the scopes in another order too.
    reverse(&mut v["per_scope"]);
    let shuffled = dir.join("shuffled");
    forge(&shuffled, &v);
    assert_eq!(json(&[&a, &shuffled]), before);
}

#[test]
fn merge_reads_partials_with_a_size_limit() {
    let dir = temp_dir("partial-size");
    // A sparse file of more than a gigabyte: refused from its size, without reading it.
    let big = dir.join("big");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(callsim::report::MAX_PARTIAL_BYTES + 1)
        .unwrap();
    let started = Instant::now();
    refused(&merge(&[&big]), &["at most"]);
    assert!(started.elapsed() < Duration::from_secs(10));
    // 50 MB of junk with a plausible header: refused at the first bad byte.
    let junk = dir.join("junk");
    let format = callsim::report::PARTIAL_FORMAT;
    let mut bytes = format!("{{\"format\":{format},\"digest\":\"00\"}}\n").into_bytes();
    bytes.resize(50 << 20, b'x');
    std::fs::write(&junk, bytes).unwrap();
    refused(&merge(&[&junk]), &["not a callsim partial"]);
    refused(&merge(&[Path::new("/dev/zero")]), &["refused"]);
}

// 3. Resource bounds.

#[test]
fn scenarios_that_cannot_fit_are_refused_before_running() {
    let dir = temp_dir("bounds");
    let flood = TINY.replace("rate = \"30/h\"", "rate = \"1000000/s\"");
    let out = within(
        Duration::from_secs(20),
        &["run", &write(&dir, "flood.toml", &flood)],
    );
    refused(&out, &["memory", "arrivals.rate"]);
    // Skill groups that would expand to 2×10⁸ agents, from a small file.
    let groups: String = (0..2000)
        .map(|i| format!("{{ agents = 100000, departments = [\"d{}\"] }},", i % 2))
        .collect();
    let skills = TINY.replace("count = 3", &format!("count = 3\nskills = [{groups}]"));
    let out = within(
        Duration::from_secs(20),
        &["run", &write(&dir, "skills.toml", &skills)],
    );
    refused(&out, &["agents.skills[0].agents", "allowed 1 to 3"]);
    // Ten thousand classes.
    let mut classes = TINY.split("[[callers]]").next().unwrap().to_string();
    for i in 0..10_000 {
        classes += &format!(
            "[[callers]]\nname = \"c{i}\"\nshare = 0.0001\nhandle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n"
        );
    }
    classes += "[agents]\ncount = 3\n";
    let out = within(
        Duration::from_secs(20),
        &["run", &write(&dir, "classes.toml", &classes)],
    );
    refused(&out, &["callers", "at most 1000"]);
    // A huge file, and /dev/zero.
    let huge = dir.join("huge.toml");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(100 << 20).unwrap();
    refused(
        &within(Duration::from_secs(20), &["run", huge.to_str().unwrap()]),
        &["larger than"],
    );
    refused(
        &within(Duration::from_secs(20), &["run", "/dev/zero"]),
        &["/dev/zero", "larger than"],
    );
}

// 4. Outputs.

#[test]
fn outputs_land_together_or_not_at_all() {
    let dir = temp_dir("all-or-nothing");
    let s = write(&dir, "tiny.toml", TINY);
    let json = dir.join("deep/new/r.json");
    let csv = dir.join("csv");
    let report = dir.join("rep/r.html");
    // Missing parent folders are created for every file flag, as for --csv and --plots.
    let trace = dir.join("trace/t.csv");
    let out = callsim(&[
        "run",
        &s,
        "--json",
        json.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "--trace",
        trace.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(json.exists() && report.exists() && trace.exists() && csv.join("kpis.csv").exists());
    assert!(dir.join("trace/t.timeline.png").exists());
    // One output that fails at the end: none of the others appear.
    let again = temp_dir("all-or-nothing-2");
    let out = callsim(&[
        "run",
        &s,
        "--json",
        again.join("r.json").to_str().unwrap(),
        "--csv",
        again.join("csv").to_str().unwrap(),
        "--report",
        "/dev/full",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(files_in(&again).is_empty(), "{:?}", files_in(&again));
}

#[test]
fn output_paths_are_checked_before_simulating() {
    let dir = temp_dir("check-first");
    let s = write(&dir, "tiny.toml", TINY);
    // A long run that would be lost at the end: refused at once.
    let bad = dir.join("tiny.toml/r.json");
    let started = Instant::now();
    let out = callsim(&[
        "run",
        &s,
        "--set",
        "horizon=\"3000d\"",
        "--json",
        bad.to_str().unwrap(),
    ]);
    refused(&out, &["--json", "not a folder"]);
    assert!(started.elapsed() < Duration::from_secs(5));
    // Two outputs with one path.
    let same = dir.join("same.out");
    let out = callsim(&[
        "run",
        &s,
        "--json",
        same.to_str().unwrap(),
        "--report",
        same.to_str().unwrap(),
    ]);
    refused(&out, &["--report", "same path"]);
    // An output onto the input.
    refused(&callsim(&["run", &s, "--json", &s]), &["input"]);
    // A FIFO would block: refused, not hung.
    let fifo = dir.join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    refused(
        &within(
            Duration::from_secs(20),
            &["run", &s, "--json", fifo.to_str().unwrap()],
        ),
        &["FIFO"],
    );
    assert_eq!(files_in(&dir).len(), 2, "{:?}", files_in(&dir));
}

#[test]
fn json_dash_writes_to_stdout_and_devices_stay_devices() {
    let dir = temp_dir("dash");
    let s = write(&dir, "tiny.toml", TINY);
    let out = callsim(&["run", &s, "--json", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("only JSON on stdout");
    assert_eq!(doc["scenario"], "tiny");
    let out = callsim(&["run", &s, "--json", "/dev/null", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn a_signal_during_the_run_leaves_nothing() {
    let dir = temp_dir("signal");
    let s = write(&dir, "tiny.toml", TINY);
    let json = dir.join("r.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_callsim"))
        .args([
            "run",
            &s,
            "--set",
            "horizon=\"3000d\"",
            "--replications",
            "64",
        ])
        .args(["--json", json.to_str().unwrap(), "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(files_in(&dir).len(), 1, "{:?}", files_in(&dir));
}

// 5. Silently wrong statistics.

#[test]
fn what_cannot_be_sampled_faithfully_is_refused_with_its_bound() {
    let dir = temp_dir("faithful");
    let gamma = TINY.replace(
        "handle_time = { dist = \"exponential\", mean = \"4m\" }",
        "handle_time = { dist = \"gamma\", mean = \"4m\", cv = 1e6 }",
    );
    refused(
        &callsim(&["run", &write(&dir, "g.toml", &gamma)]),
        &["callers[0].handle_time.cv", "at most 10"],
    );
    let long = TINY.replace("mean = \"4m\"", "mean = \"20000d\"");
    refused(
        &callsim(&["run", &write(&dir, "l.toml", &long)]),
        &["callers[0].handle_time.mean", "at most 10 years"],
    );
    // Huge orientation weights are relative, not an overflow.
    let weights = TINY.replace(
        "count = 3",
        "count = 3\norientation = { customer = 1e308, boss = 1e308 }",
    );
    let out = callsim(&["run", &write(&dir, "o.toml", &weights), "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

// 6. Spreadsheets and terminals.

#[test]
fn names_cannot_collide_with_scopes_or_reach_the_terminal_raw() {
    let dir = temp_dir("names");
    for (name, needle) in [
        ("all", "\"all\""),
        ("manager:x", "':'"),
        ("", "empty"),
        // TOML's own escape for ESC, as a hostile file would write it.
        ("\\u001b[31mred", "control character"),
    ] {
        let text = TINY.replace("name = \"regular\"", &format!("name = \"{name}\""));
        let out = callsim(&["run", &write(&dir, "n.toml", &text)]);
        refused(&out, &["callers[0].name", needle]);
        assert!(
            !stderr(&out).contains('\u{1b}'),
            "no raw escape on the terminal"
        );
    }
    // A formula-looking name is defused in the CSV.
    let text = TINY.replace("name = \"regular\"", "name = \"=HYPERLINK(1)\"");
    let csv = dir.join("csv");
    let out = callsim(&[
        "run",
        &write(&dir, "f.toml", &text),
        "--csv",
        csv.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let kpis = std::fs::read_to_string(csv.join("kpis.csv")).unwrap();
    assert!(kpis.contains("\n'=HYPERLINK(1),offered,"), "{kpis}");
    assert!(!kpis.contains("\n=HYPERLINK"), "{kpis}");
}

// 7. Nothing silently ignored.

#[test]
fn flags_that_would_do_nothing_are_refused_or_done() {
    let dir = temp_dir("ignored");
    let s = write(&dir, "tiny.toml", TINY);
    let part = dir.join("p");
    for flag in ["--report", "--trace"] {
        let out = callsim(&[
            "run",
            &s,
            "--shard",
            "1/2",
            "--partial",
            part.to_str().unwrap(),
            flag,
            dir.join("x").to_str().unwrap(),
        ]);
        refused(&out, &[flag, "merge"]);
    }
    // staff draws its staffing vector, and writes it with the table as a report.
    let staff_html = dir.join("staff.html");
    let staff_plots = dir.join("staff-plots");
    let out = callsim(&[
        "staff",
        &s,
        "--service-level",
        "0.8",
        "--within",
        "20s",
        "--replications",
        "4",
        "--report",
        staff_html.to_str().unwrap(),
        "--plots",
        staff_plots.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(&staff_html).unwrap();
    assert!(
        page.contains("<svg") && page.contains("Fewest agents"),
        "staff report"
    );
    assert!(staff_plots.join("staffing.png").exists() && staff_plots.join("staffing.svg").exists());
    let html = dir.join("sweep.html");
    let out = callsim(&[
        "sweep",
        &s,
        "--vary",
        "agents.count=3:4:1",
        "--report",
        html.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg") && page.contains("agents.count"));
    // A policy sweep has a categorical axis labelled with the policies.
    let cb = write(
        &dir,
        "cb.toml",
        &format!("{TINY}[callbacks]\noffer_above = \"1m\"\npromise = \"20m\"\n"),
    );
    let plots = dir.join("sweep-plots");
    let out = callsim(&[
        "sweep",
        &cb,
        "--vary",
        "callbacks.policy=keep_place,deadline",
        "--replications",
        "2",
        "--plots",
        plots.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(plots.join("sweep.svg")).unwrap();
    // plotters writes each text on a line of its own.
    for label in ["\nkeep_place\n", "\ndeadline\n", "abandoned [%]"] {
        assert!(svg.contains(label), "{label:?} not in the sweep chart");
    }
    refused(
        &callsim(&["run", &s, "--set", "name=\"a\"\nseed = 5"]),
        &["one line"],
    );
    refused(
        &callsim(&["compare", &s, "--variant", "v:name=\"unclosed"]),
        &["--variant", "quote"],
    );
    // The two scenarios and what the staff and sweep commands wrote: the refused commands
    // left nothing.
    let mut names: Vec<String> = files_in(&dir)
        .iter()
        .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cb.toml",
            "staff-plots/staffing.png",
            "staff-plots/staffing.svg",
            "staff.html",
            "sweep-plots/sweep.png",
            "sweep-plots/sweep.svg",
            "sweep.html",
            "tiny.toml"
        ]
    );
}

// 8. Messages and docs.

#[test]
fn messages_say_what_was_meant() {
    let dir = temp_dir("messages");
    let s = write(&dir, "tiny.toml", TINY);
    // The README's own example, with mixed units.
    let cb = format!("{TINY}[callbacks]\noffer_above = \"1m\"\npromise = \"20m\"\n");
    let cb = write(&dir, "cb.toml", &cb);
    let out = callsim(&[
        "sweep",
        &cb,
        "--vary",
        "callbacks.offer_above=30s:2m:30s",
        "--replications",
        "2",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1m30s"));
    // A bad override key is the override's, not the file's; types in words.
    refused(
        &callsim(&["run", &s, "--set", "agents.cuont=4"]),
        &["--set \"agents.cuont=4\""],
    );
    refused(
        &callsim(&["run", &s, "--set", "agents.count=\"x\""]),
        &["a whole number"],
    );
    // Exclusive bounds are said to be exclusive, huge numbers compactly.
    refused(
        &callsim(&["run", &s, "--set", "horizon=0"]),
        &["> 0 (exclusive)"],
    );
    refused(
        &callsim(&["run", &s, "--set", "horizon=1e300"]),
        &["1e300 s"],
    );
    // Overrides in the table header and the JSON; warnings on stderr even with --quiet.
    let out = callsim(&["run", &s, "--set", "agents.count=4", "--replications", "2"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Overrides: agents.count=4"));
    let out = callsim(&[
        "run",
        &s,
        "--set",
        "agents.count=4",
        "--replications",
        "2",
        "--json",
        "-",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["overrides"][0], "agents.count=4");
    let out = callsim(&["run", &s, "--replications", "2", "--quiet"]);
    assert!(out.stdout.is_empty() && stderr(&out).contains("warning: "));
    // Reached callbacks stand beside Answered.
    let out = callsim(&[
        "run",
        &cb,
        "--replications",
        "2",
        "--set",
        "arrivals.rate=\"60/h\"",
    ]);
    let table = String::from_utf8_lossy(&out.stdout);
    let answered = table.find("\nAnswered").unwrap();
    let reached = table.find("reached by callback").unwrap();
    assert!(
        reached > answered && reached < table.find("\nAbandoned").unwrap(),
        "{table}"
    );
}

#[test]
fn more_than_a_hundred_thousand_replications_run_in_shards() {
    let dir = temp_dir("many");
    let s = write(
        &dir,
        "small.toml",
        "horizon = \"1m\"\n[arrivals]\nrate = \"1/min\"\n[[callers]]\n\
         handle_time = { dist = \"exponential\", mean = \"1m\" }\n[agents]\ncount = 1\n",
    );
    refused(
        &callsim(&["run", &s, "--replications", "100002"]),
        &["--shard"],
    );
    let parts = shards(&dir, &s, 100_002, 2);
    let json = dir.join("m.json");
    let out = callsim(&[
        "merge",
        parts[0].to_str().unwrap(),
        parts[1].to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(doc["replications"], 100_002);
}

// Fuzzing the partial reader: every change to a valid partial is refused, none panics.

/// A valid partial of a small run with a floor, callbacks and two classes, made once.
fn valid_partial() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let dir = temp_dir("fuzz-partial");
        let p = dir.join("p");
        let s = scenarios("lunch_peak.toml");
        let out = callsim(&[
            "run",
            &s,
            "--replications",
            "3",
            "--shard",
            "1/1",
            "--partial",
            p.to_str().unwrap(),
            "--quiet",
            "--set",
            "horizon=\"2h\"",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        std::fs::read(&p).unwrap()
    })
}

/// Cases per fuzz property: 2,000 in the suite; PARTIAL_FUZZ_CASES sets more.
fn fuzz_cases() -> u32 {
    std::env::var("PARTIAL_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: fuzz_cases(), ..ProptestConfig::default() })]

        #[test]
        fn any_changed_byte_is_refused(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
            let mut bytes = valid_partial().to_vec();
            let i = at.index(bytes.len());
            prop_assume!(bytes[i] != byte);
            bytes[i] = byte;
            prop_assert!(callsim::report::read_partial(&bytes[..]).is_err());
        }

        #[test]
        fn any_cut_or_insertion_is_refused(
            at in any::<prop::sample::Index>(),
            insert in prop::collection::vec(any::<u8>(), 0..16),
        ) {
            let valid = valid_partial();
            let i = at.index(valid.len());
            let mut bytes = valid[..i].to_vec();
            bytes.extend_from_slice(&insert);
            prop_assume!(bytes != valid);
            prop_assert!(callsim::report::read_partial(&bytes[..]).is_err());
        }

        #[test]
        fn junk_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
            let _ = callsim::report::read_partial(&bytes[..]);
        }
    }

    #[test]
    fn the_valid_partial_reads() {
        let (info, tally) = callsim::report::read_partial(valid_partial()).unwrap();
        assert_eq!(info.range, [0, 3]);
        assert_eq!(tally.per_replication.len(), 3);
    }
}
