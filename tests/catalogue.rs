//! The catalogue of bad inputs (issue #8): each input and the exact message it gets. Every one
//! exits with code 2, names the file and the key, and writes nothing.

use crate::common::{callsim, temp_dir};

const GOOD: &str = "horizon = \"2h\"\n[arrivals]\nrate = \"30/h\"\n[[callers]]\nname = \"regular\"\n\
                    patience = { dist = \"exponential\", mean = \"2m\" }\n\
                    handle_time = { dist = \"exponential\", mean = \"4m\" }\n[agents]\ncount = 3\n";

/// (what is wrong, how to make it from GOOD, the message's text after "error: ").
fn catalogue() -> Vec<(&'static str, String, &'static str)> {
    let swap = |from: &str, to: &str| GOOD.replace(from, to);
    vec![
        (
            "unknown key",
            swap("count = 3", "count = 3\nbreaks = 2"),
            "bad.toml: key `agents.breaks`: unknown field `breaks`, expected one of `count`, `shifts`, `plan`, `absences`, `handover`, `skills`, `orientation`, `follow_up_policy`, `behaviour`, `outages`",
        ),
        (
            "negative mean",
            swap("mean = \"4m\"", "mean = \"-4m\""),
            "bad.toml: key `callers[0].handle_time.mean`: -240 is out of range: allowed a duration > 0 (exclusive)",
        ),
        (
            "zero agents",
            swap("count = 3", "count = 0"),
            "bad.toml: key `agents.count`: 0: allowed 1 to 100000",
        ),
        (
            "malformed rate",
            swap("\"30/h\"", "\"30 per hour\""),
            "bad.toml: key `arrivals.rate`: invalid rate \"30 per hour\": expected text like \"12/min\", \"720/h\", \"3/s\" or \"5000/d\" (calls per second, minute, hour or day)",
        ),
        (
            "warm-up past the horizon",
            swap("horizon = \"2h\"", "horizon = \"2h\"\nwarmup = \"3h\""),
            "bad.toml: key `warmup`: 10800 s must be shorter than horizon (7200 s)",
        ),
        (
            "too many replications",
            swap(
                "horizon = \"2h\"",
                "horizon = \"2h\"\nreplications = 200000",
            ),
            "bad.toml: key `replications`: 200000: one process runs at most 100000 replications; split the run with --shard K/N (each shard at most 100000) and combine them with callsim merge",
        ),
        (
            "unknown distribution",
            swap(
                "dist = \"exponential\", mean = \"4m\"",
                "dist = \"poisson\", mean = \"4m\"",
            ),
            "bad.toml: key `callers[0].handle_time.dist`: unknown distribution \"poisson\": allowed exponential, lognormal, gamma, weibull, uniform, deterministic, empirical",
        ),
        (
            "acceptance above 1",
            swap(
                "name = \"regular\"",
                "name = \"regular\"\ncallback_acceptance = 1.5",
            ),
            "bad.toml: key `callers[0].callback_acceptance`: 1.5 is out of range: allowed 0 to 1 (both included)",
        ),
        (
            "unknown manager style",
            GOOD.to_string() + "[[managers]]\nstyle = \"micromanager\"\n",
            "bad.toml: key `managers[0].style`: unknown style \"micromanager\": allowed walker, alongside, office, random",
        ),
        (
            "count and shifts both",
            swap(
                "count = 3",
                "count = 3\nshifts = [{ start = \"8h\", end = \"16h\", count = 3 }]",
            ),
            "bad.toml: key `agents.shifts`: give one of agents.count (everyone on duty all the time), agents.shifts and agents.plan (agents logged in per interval)",
        ),
        (
            "no agents at all",
            swap("count = 3", ""),
            "bad.toml: key `agents.count`: missing: give agents.count, agents.shifts = [{ start, end, count }] or agents.plan = { interval, counts }",
        ),
        (
            "clock text out of range",
            swap("horizon = \"2h\"", "opens = \"25:00\"\nhorizon = \"2h\""),
            "bad.toml: key `opens`: 25:00:00 is no time of day: allowed 00:00 to 23:59:59 (and 24:00 for midnight at the end of a day)",
        ),
        (
            "minutes out of range",
            swap(
                "count = 3",
                "shifts = [{ start = \"08:60\", end = \"16:00\", count = 3 }]",
            ),
            "bad.toml: key `agents.shifts[0].start`: 08:60:00 is no time of day: allowed 00:00 to 23:59:59 (and 24:00 for midnight at the end of a day)",
        ),
        (
            "malformed clock text",
            swap("horizon = \"2h\"", "opens = \"8:0\"\nhorizon = \"2h\""),
            "bad.toml: key `opens`: invalid time \"8:0\": expected clock text like \"08:00\" or \"17:30:15\", \"d2 09:00\" for day 2 at 09:00 where a moment of a multi-day run is meant, or a duration like \"8h\" (see the README's clock)",
        ),
        (
            "a day on a time of day",
            swap(
                "count = 3",
                "shifts = [{ start = \"d2 08:00\", end = \"16:00\", count = 3 }]",
            ),
            "bad.toml: key `agents.shifts[0].start`: a time of day takes no day (it repeats every day): write it like \"09:00\"",
        ),
        (
            "a moment before the opening",
            swap("horizon = \"2h\"", "opens = \"08:00\"\nhorizon = \"2h\"").replace(
                "count = 3",
                "count = 3\noutages = [{ start = \"07:00\", end = \"08:30\" }]",
            ),
            "bad.toml: key `agents.outages[0].start`: d1 07:00 is before the run opens (d1 08:00): write a later day, like \"d2 07:00\"",
        ),
        (
            "day zero",
            swap(
                "count = 3",
                "count = 3\nabsences = [{ agent = 0, from = \"d0 09:00\", to = \"d1 10:00\" }]",
            ),
            "bad.toml: key `agents.absences[0].from`: d0: days count from d1, the day the run opens",
        ),
        (
            "a plan whose interval does not divide a day",
            swap("count = 3", "plan = { interval = \"7m\", counts = [2, 3] }"),
            "bad.toml: key `agents.plan.interval`: 7m: allowed a length from 1 minute to 1 day that divides a day (such as \"15m\", \"30m\" or \"1h\"), so that the plan repeats daily",
        ),
        (
            "a plan longer than a day",
            swap(
                "count = 3",
                "plan = { interval = \"12h\", counts = [1, 2, 3] }",
            ),
            "bad.toml: key `agents.plan.counts`: 3 counts: allowed 1 to 2 (one per interval of one day; the plan repeats daily from opens)",
        ),
        (
            "a negative count in a plan",
            swap(
                "count = 3",
                "plan = { interval = \"1h\", counts = [2, -1] }",
            ),
            "bad.toml: key `agents.plan.counts[1]`: -1: allowed 0 to 100000 agents logged in",
        ),
        (
            "a plan of nobody",
            swap("count = 3", "plan = { interval = \"1h\", counts = [0, 0] }"),
            "bad.toml: key `agents.plan.counts`: every count is 0: at least one interval needs an agent",
        ),
        (
            "a plan and a count",
            swap(
                "count = 3",
                "count = 3\nplan = { interval = \"1h\", counts = [2] }",
            ),
            "bad.toml: key `agents.plan`: give one of agents.count (everyone on duty all the time), agents.shifts and agents.plan (agents logged in per interval)",
        ),
        (
            "a warm-up that is neither a duration nor auto",
            swap("horizon = \"2h\"", "horizon = \"2h\"\nwarmup = \"soon\""),
            "bad.toml: key `warmup`: invalid warm-up \"soon\": expected a number of seconds or text like \"90s\", \"4m\", \"1h30m\", \"2d\" (units ms, s, m or min, h, d), or \"auto\" (chosen from the data)",
        ),
        (
            "lines per department without departments",
            swap(
                "horizon = \"2h\"",
                "lines = { sales = 3 }\nhorizon = \"2h\"",
            ),
            "bad.toml: key `lines`: lines per department need departments (agents.skills); without them give a whole number",
        ),
        (
            "lines of an unknown department",
            swap(
                "horizon = \"2h\"",
                "lines = { sales = 3 }\nhorizon = \"2h\"",
            )
            .replace(
                "name = \"regular\"",
                "name = \"regular\"\ndepartment = \"billing\"",
            )
            .replace(
                "count = 3",
                "count = 3\nskills = [{ agents = 3, departments = [\"billing\"] }]",
            ),
            "bad.toml: key `lines.sales`: \"sales\" is not a department of agents.skills: allowed billing",
        ),
        (
            "lines that are no number",
            swap("horizon = \"2h\"", "lines = \"many\"\nhorizon = \"2h\""),
            "bad.toml: key `lines`: allowed a whole number of lines, or lines per department like { billing = 20, technical = 15 }",
        ),
        (
            "shift ends before it starts",
            swap(
                "count = 3",
                "shifts = [{ start = \"22h\", end = \"6h\", count = 3 }]",
            ),
            "bad.toml: key `agents.shifts[0].end`: 21600 s: allowed after start (79200 s) and at most 24 h later; a night shift from 22:00 to 06:00 is start = \"22:00\", end = \"06:00\" (or \"22h\" and \"30h\")",
        ),
        (
            "break outside the shift",
            swap(
                "count = 3",
                "shifts = [{ start = \"8h\", end = \"16h\", count = 3, breaks = [{ start = \"7h\", length = \"30m\" }] }]",
            ),
            "bad.toml: key `agents.shifts[0].breaks[0].start`: a break from 07:00 to 07:30: allowed inside the shift (08:00 to 16:00) and after the previous break",
        ),
        (
            "absence of an agent who does not exist",
            swap(
                "count = 3",
                "count = 3\nabsences = [{ agent = 3, from = \"1h\", to = \"2h\" }]",
            ),
            "bad.toml: key `agents.absences[0].agent`: 3: allowed 0 to 2 (agents are numbered from 0 in roster order)",
        ),
        (
            "unknown handover",
            swap("count = 3", "count = 3\nhandover = \"boss\""),
            "bad.toml: key `agents.handover`: \"boss\": allowed \"none\", \"colleague\" or \"pool\"",
        ),
        (
            "a back-office step with no back office",
            swap(
                "name = \"regular\"",
                "name = \"regular\"\nfirst_contact_resolution = 0.5\nfollow_up = { promise = \"1h\", work = { dist = \"exponential\", mean = \"5m\" }, back_office = { probability = 0.2, work = { dist = \"exponential\", mean = \"1h\" } } }",
            ),
            "bad.toml: key `callers[0].follow_up.back_office`: needs a [back_office] section with count (and optional hours)",
        ),
        (
            "a department nobody serves",
            swap(
                "name = \"regular\"",
                "name = \"regular\"\ndepartment = \"sales\"",
            )
            .replace(
                "count = 3",
                "count = 3\nskills = [{ agents = 3, departments = [\"billing\"] }]",
            ),
            "bad.toml: key `callers[0].department`: \"sales\" is not a department of agents.skills: allowed billing",
        ),
        (
            "skills that leave agents out",
            swap(
                "count = 3",
                "count = 3\nskills = [{ agents = 2, departments = [\"billing\"] }]",
            ),
            "bad.toml: key `agents.skills`: the groups hold 2 agents; they must hold every agent (3)",
        ),
        (
            "a misroute with one department",
            swap(
                "name = \"regular\"",
                "name = \"regular\"\nmisroute = { probability = 0.1, transfer_time = { dist = \"exponential\", mean = \"1m\" } }",
            ),
            "bad.toml: key `callers[0].misroute`: a call can only go to a wrong department if agents.skills names two or more",
        ),
        (
            "day noise out of range",
            swap("rate = \"30/h\"", "rate = \"30/h\"\nday_noise_cv = 5"),
            "bad.toml: key `arrivals.day_noise_cv`: 5: allowed 0 (none) to 2",
        ),
    ]
}

#[test]
fn every_bad_input_gets_its_message() {
    let dir = temp_dir("catalogue");
    for (what, text, message) in catalogue() {
        let path = dir.join("bad.toml");
        std::fs::write(&path, &text).unwrap();
        let json = dir.join("out.json");
        // Run from the folder so the message names the file as the user typed it.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_callsim"))
            .current_dir(&dir)
            .args(["run", "bad.toml", "--json", "out.json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{what}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if std::env::var_os("CALLSIM_PRINT_CATALOGUE").is_some() {
            eprintln!("{what}: {}", stderr.trim());
        }
        assert_eq!(stderr.trim(), format!("error: {message}"), "{what}");
        assert!(!json.exists(), "{what}: output written");
    }
}

#[test]
fn a_killed_run_leaves_no_file_behind() {
    let dir = temp_dir("killed");
    let json = dir.join("r.json");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_callsim"))
        .args([
            "run",
            "--replications",
            "20000",
            "--quiet",
            "--json",
            json.to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    child.kill().unwrap();
    let _ = child.wait();
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(left.is_empty(), "a killed run left {left:?}");
}

#[test]
fn overload_without_abandonment_is_reported() {
    let out = callsim(&[
        "run",
        "--replications",
        "3",
        "--set",
        "agents.count=20",
        "--set",
        "callers[0].patience=",
    ]);
    // Removing patience is not a valid override value: the message says so.
    assert_eq!(out.status.code(), Some(2));
    let dir = temp_dir("overload");
    let path = dir.join("overload.toml");
    std::fs::write(
        &path,
        "horizon = \"4h\"\n[arrivals]\nrate = \"40/h\"\n[[callers]]\n\
         handle_time = { dist = \"exponential\", mean = \"4m\" }\n[agents]\ncount = 2\n",
    )
    .unwrap();
    let out = callsim(&["run", path.to_str().unwrap(), "--replications", "10"]);
    assert!(out.status.success());
    // Warnings go to stderr, so a table piped into a file stays a table (issue #15).
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("the queue cannot settle"), "{text}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("the queue cannot settle"));
}
