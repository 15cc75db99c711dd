//! Memory that does not grow with the work (issue #20), as peak heap bytes counted by the
//! allocator; not criterion, and not timed.
//!
//! * `intervals`: a day of one-second profile intervals (86,400 intervals), run with details
//!   for 2, 30 and 120 replications: the peak heap of the run and of its JSON, and the ratio
//!   of the largest to the smallest. Each replication's 86,400 rows fold into running
//!   estimates as it finishes, so the ratio stays near 1.
//! * `merge`: 10,000 one-replication partials of the default scenario, written by `callsim run
//!   --shard K/10000 --partial`, merged by `callsim merge`: the peak heap of the merge (the aim
//!   of issue #20 is under 200 MiB), and of a merge of 1,000 for the ratio.
//!
//! `cargo bench --bench memory` (about two minutes: the 10,000 shards are simulated first).

use callsim::experiment::{self, RunOptions};
use clap::Parser;

#[path = "support/measure.rs"]
#[allow(dead_code, reason = "this bench counts bytes and times no jobs")]
mod measure;

#[global_allocator]
static GLOBAL: measure::PeakAlloc = measure::PeakAlloc;

/// Peak heap MiB while `job` runs.
fn peak_mib(job: impl FnOnce()) -> f64 {
    measure::peak_bytes(job) as f64 / f64::from(1u32 << 20)
}

/// A day of one-second intervals: 86,400 profile rates of 2 calls a minute, ten agents.
fn one_second_day() -> callsim::model::Scenario {
    let rates = vec!["\"2/min\""; 86_400].join(",");
    let text = format!(
        "name = \"a day of one-second intervals\"\nhorizon = \"24h\"\n[arrivals]\n\
         profile = {{ interval = \"1s\", rates = [{rates}] }}\n[[callers]]\n\
         patience = {{ dist = \"exponential\", mean = \"2m\" }}\n\
         handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n[agents]\ncount = 10\n"
    );
    callsim::scenario::parse(&text, "day.toml", &[]).expect("the day is valid")
}

fn report_intervals() {
    let scenario = one_second_day();
    let mut peaks = Vec::new();
    for replications in [2, 30, 120] {
        let options = RunOptions {
            replications,
            seed: 1,
            threads: None,
            details: true,
            clock: None,
        };
        let mut bytes = 0;
        let mib = peak_mib(|| {
            let result = experiment::run(&scenario, &options, &|_, _| {}).expect("it runs");
            bytes = callsim::report::json(&result, "day.toml", &[]).len();
        });
        println!(
            "intervals: 86,400 intervals, {replications} replications: peak heap {mib:.0} MiB \
             (run and its {:.0} MB of JSON)",
            bytes as f64 / 1e6
        );
        peaks.push(mib);
    }
    println!(
        "intervals: peak heap 120 replications / 2 replications = {:.2}",
        peaks[2] / peaks[0]
    );
}

fn execute(args: &[&str]) {
    let cli = callsim::cli::Cli::try_parse_from(args).expect("the arguments parse");
    callsim::cli::execute(cli).expect("the command succeeds");
}

/// `shards` one-replication partials of the default scenario in `dir`, written by
/// `callsim run --shard K/N --partial`; returns their paths.
fn write_partials(dir: &std::path::Path, shards: usize) -> Vec<String> {
    (1..=shards)
        .map(|k| {
            let path = dir.join(format!("p{k}.part"));
            let path = path.to_str().expect("a UTF-8 path").to_string();
            execute(&[
                "callsim",
                "run",
                "--replications",
                &shards.to_string(),
                "--shard",
                &format!("{k}/{shards}"),
                "--partial",
                &path,
                "--quiet",
            ]);
            path
        })
        .collect()
}

fn report_merge() {
    let (shards, few) = (10_000, 1_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let paths = write_partials(dir.path(), shards);
    // Fewer partials of a run of fewer replications, for the ratio.
    let few_dir = tempfile::tempdir().expect("a temporary directory");
    let few_paths = write_partials(few_dir.path(), few);
    let merge = |paths: &[String], out: &std::path::Path| {
        let json = out.join("merged.json");
        let mut args = vec!["callsim", "merge"];
        args.extend(paths.iter().map(String::as_str));
        let json_text = json.to_str().expect("a UTF-8 path").to_string();
        args.extend(["--json", &json_text, "--quiet"]);
        peak_mib(|| execute(&args))
    };
    let many = merge(&paths, dir.path());
    let some = merge(&few_paths, few_dir.path());
    println!("merge: {shards} one-replication partials: peak heap {many:.1} MiB (aim: under 200)");
    println!("merge: {few} one-replication partials: peak heap {some:.1} MiB");
    println!(
        "merge: peak heap {shards} partials / {few} partials = {:.2}",
        many / some
    );
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument names the one report to run.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| name.contains(o.as_str()));
    if wanted("intervals") {
        report_intervals();
    }
    if wanted("merge") {
        report_merge();
    }
}
