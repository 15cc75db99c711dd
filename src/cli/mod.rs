//! Command-line interface: clap definitions and one handler per subcommand.

mod compare;
mod erlang;
mod merge;
mod output;
mod progress;
mod run;
mod schedule;
#[cfg(feature = "serve")]
mod serve;
mod staff;
mod sweep;
mod usage;
mod validate;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::Error;
pub use usage::{Unworkable, Usage};

/// On SIGINT or SIGTERM: remove the pending temporary files of the output set being written
/// (see [`crate::report::files`]) and exit with code 130. Installed once by the binary.
pub fn install_signal_cleanup() {
    let _ = ctrlc::set_handler(|| {
        crate::report::files::remove_pending();
        std::process::exit(130);
    });
}

/// callsim: a call-center queue simulator with confidence intervals.
#[derive(Debug, Parser)]
#[command(name = "callsim", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario (the built-in default when no file is given) and report KPIs with 95 % CIs.
    Run(RunArgs),
    /// Run a base scenario and variants on the same random numbers; report paired differences.
    Compare(CompareArgs),
    /// Run a scenario over a range of values of one key, on the same random numbers.
    Sweep(SweepArgs),
    /// The fewest agents (per interval, for a profile) that meet a service-level target.
    Staff(StaffArgs),
    /// Shifts from the scenario's [scheduling] patterns that meet a service-level target in
    /// every interval of the day (an integer program, checked by simulation).
    Schedule(ScheduleArgs),
    /// Erlang B, C and A figures and the agents needed for a target (no simulation).
    Erlang(ErlangArgs),
    /// Simulate textbook cases (M/M/1, M/M/c, Erlang A, priorities) and compare with theory.
    Validate(ValidateArgs),
    /// Combine the partial results of shards into exactly the result of one run.
    Merge(MergeArgs),
    /// A local web app: edit and run scenarios, compare variants, watch the floor animated.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
}

/// `callsim serve`.
#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0: any free port; the address is printed).
    #[arg(long, value_name = "N", default_value_t = 8421)]
    pub port: u16,
    /// Runs under way at once; one more is refused until one ends.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub max_runs: u16,
    /// Wall-clock seconds one run may take before it is stopped.
    #[arg(long, value_name = "S", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=86_400))]
    pub run_seconds: u32,
    /// Events one run may handle (all replications together) before it is stopped.
    #[arg(long, value_name = "N", default_value_t = 1_000_000_000, value_parser = clap::value_parser!(u64).range(1_000..))]
    pub run_events: u64,
    /// Most replications of one run.
    #[arg(long, value_name = "N", default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub max_replications: u32,
}

/// `callsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial results written by `run --shard K/N --partial FILE`, in any order.
    #[arg(value_name = "PARTIAL", required = true)]
    pub partials: Vec<PathBuf>,
    /// Skip re-simulating the first replication of each partial (the check that catches a
    /// relabelled or forged partial; it costs one replication per partial).
    #[arg(long)]
    pub no_verify: bool,
    /// Where the merged result goes.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `callsim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Replications per case.
    #[arg(long, value_name = "N", default_value_t = 40, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub replications: u32,
    /// Master seed.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Print nothing but errors.
    #[arg(long = "quiet")]
    pub common_quiet: bool,
}

/// The service-level target of `staff` and `schedule` (met in every interval of a profile).
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Service level to reach, in every interval of a profile, e.g. 0.8.
    #[arg(long, value_name = "SHARE")]
    pub service_level: f64,
    /// Answered within this time, e.g. 20s.
    #[arg(long, value_name = "DURATION")]
    pub within: String,
    /// Highest abandonment rate allowed, e.g. 0.05.
    #[arg(long, value_name = "SHARE")]
    pub max_abandon: Option<f64>,
}

/// `callsim staff`.
#[derive(Debug, Args)]
pub struct StaffArgs {
    /// The scenario (TOML); its arrivals set the periods (one per profile interval).
    #[arg(value_name = "SCENARIO.toml")]
    pub scenario: PathBuf,
    /// The target.
    #[command(flatten)]
    pub target: TargetArgs,
    /// `day` (default): whole-day simulations, all intervals together, until every interval
    /// meets the target and one agent fewer anywhere misses it; `sipp`: each interval alone,
    /// as if its rate held for 8 hours.
    #[arg(long, value_enum, default_value = "day")]
    pub method: StaffMethodArg,
    /// Write the scenario with the staffing found (`agents.plan` per interval, or
    /// `agents.count` for a constant rate) to FILE.toml, runnable by `callsim run`.
    #[arg(long, value_name = "FILE.toml")]
    pub scenario_out: Option<PathBuf>,
    /// Shared options (`--csv` writes staff.csv, `--plots` the staffing chart, `--report` both
    /// with the table as one HTML page).
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `callsim schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// The scenario (TOML), with a daily profile and a [scheduling] table of shift patterns.
    #[arg(value_name = "SCENARIO.toml")]
    pub scenario: PathBuf,
    /// The target.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Take the shift patterns from FILE.toml (a `[scheduling]` table) instead of the
    /// scenario's own.
    #[arg(long, value_name = "FILE.toml")]
    pub shifts: Option<PathBuf>,
    /// Where the requirement comes from: `day` (the day-verified staffing, repaired by
    /// simulating the roster) or, for comparison, `sipp` or `erlang-c` (covered once, not
    /// repaired).
    #[arg(long, value_enum, default_value = "day")]
    pub method: ScheduleMethodArg,
    /// Write the scenario with the roster as its agents.shifts to FILE.toml.
    #[arg(long, value_name = "FILE.toml")]
    pub scenario_out: Option<PathBuf>,
    /// Shared options (`--json`; `--csv` writes schedule.csv and schedule_intervals.csv;
    /// `--plots` the schedule and shifts charts; `--report`).
    #[command(flatten)]
    pub common: CommonArgs,
}

/// How `staff` searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StaffMethodArg {
    /// Whole-day simulations (queues carried across intervals).
    Day,
    /// Stationary independent periods.
    Sipp,
}

/// Where `schedule`'s requirement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScheduleMethodArg {
    /// The day-verified staffing, repaired by simulating the roster.
    Day,
    /// Stationary independent periods, covered once.
    Sipp,
    /// Erlang C per interval (abandonment ignored), covered once.
    ErlangC,
}

/// `callsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario (TOML).
    #[arg(value_name = "SCENARIO.toml")]
    pub scenario: PathBuf,
    /// The key and its values: `agents.count=50:60:2` (start:end:step, units allowed, e.g.
    /// `callbacks.offer_above=30s:2m:30s`) or a list `callbacks.policy=keep_place,deadline`.
    #[arg(long, value_name = "KEY=START:END:STEP|KEY=A,B,...")]
    pub vary: String,
    /// Shared options (`--csv` writes sweep.csv; `--plots` the sweep chart; `--report` both as
    /// one HTML page).
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `callsim erlang`.
#[derive(Debug, Args)]
pub struct ErlangArgs {
    /// Arrival rate, e.g. `12/min`, `720/h`.
    #[arg(long, value_name = "RATE")]
    pub rate: String,
    /// Average handle time, e.g. `4m`, `240s`.
    #[arg(long, value_name = "DURATION")]
    pub aht: String,
    /// Agents, for the figures of a given team.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub agents: Option<u32>,
    /// Mean patience, for Erlang A (exponential patience).
    #[arg(long, value_name = "DURATION")]
    pub patience: Option<String>,
    /// Service-level threshold T ("answered within T").
    #[arg(long, value_name = "DURATION", default_value = "20s")]
    pub threshold: String,
    /// Service-level target for the agents needed.
    #[arg(long, value_name = "SHARE", default_value_t = 0.8)]
    pub target: f64,
}

/// `callsim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The base scenario (TOML).
    #[arg(value_name = "BASE.toml")]
    pub base: PathBuf,
    /// Variant scenario files, each compared with the base.
    #[arg(value_name = "VARIANT.toml")]
    pub variant_files: Vec<PathBuf>,
    /// A variant of the base made by overrides, e.g. `--variant more:agents.count=60,callbacks.policy=deadline`.
    #[arg(long = "variant", value_name = "NAME:KEY=VALUE,...")]
    pub variants: Vec<String>,
    /// Shared options (`--set` applies to every variant; `--csv` writes compare.csv).
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options shared by commands that run simulations.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Number of replications (overrides the scenario's `replications`); one process runs at
    /// most 100,000, a run split with `--shard K/N` up to 10,000,000.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=crate::scenario::MAX_SHARDED_REPLICATIONS))]
    pub replications: Option<u32>,
    /// Master seed (overrides the scenario's `seed`).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Override any scenario key, e.g. `--set agents.count=55 --set callers[0].share=0.3`.
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub overrides: Vec<String>,
    /// Where results go.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where results go: shared by the commands that produce them.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write the result as JSON to FILE (`-` for standard output, instead of the table).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write CSV into DIR, created if missing (run: kpis.csv, replications.csv, intervals.csv; compare: compare.csv; sweep: sweep.csv).
    #[arg(long, value_name = "DIR")]
    pub csv: Option<PathBuf>,
    /// Write one self-contained HTML report (tables, charts, scenario text) to FILE (`-` for
    /// standard output).
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Write charts into DIR as PNG and SVG (created if missing).
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Print nothing on success but errors (no table, no progress).
    #[arg(long)]
    pub quiet: bool,
}

/// `callsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML). Without it, the built-in default scenario runs.
    #[arg(value_name = "SCENARIO.toml")]
    pub scenario: Option<PathBuf>,
    /// For small runs: every event of replication 0 as CSV to FILE, and the agent timeline chart
    /// beside it (FILE with `.timeline.svg` and `.timeline.png`).
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// Run only shard K of N of the replications (e.g. `3/8`), for a cluster; needs `--partial`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Where a shard saves its partial result, for `callsim merge` (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub partial: Option<PathBuf>,
    /// Shared options.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Runs the parsed command line.
pub fn execute(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Compare(args) => compare::compare(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Staff(args) => staff::staff(args),
        Command::Schedule(args) => schedule::schedule(args),
        Command::Erlang(args) => erlang::erlang(args),
        Command::Validate(args) => validate::validate(args),
        Command::Merge(args) => merge::merge(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::serve(args),
    }
}
