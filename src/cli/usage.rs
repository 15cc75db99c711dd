//! What the command line gets wrong, as types: [`Usage`] for flags that cannot go together or
//! values a flag does not allow, [`Unworkable`] for a scenario the command cannot act on
//! (found once it is planned or run). Both exit with code 2, and every message names the flag
//! or the key; they are written here, where the flags are known.

use crate::experiment::{RunError, ScheduleInput, TooBig, cover::CoverError};
use crate::scenario::units::duration_text;

/// A command line the CLI cannot act on.
#[derive(Debug, thiserror::Error)]
pub enum Usage {
    /// More replications than one process runs.
    #[error(
        "{}: {replications}: one process runs at most {max} replications; split the run with \
         --shard K/N (each shard at most {max}) and combine them with callsim merge",
        match file {
            None => "--replications".to_string(),
            Some(file) => format!("{file}: key `replications`"),
        }
    )]
    TooManyReplications {
        /// The scenario file, when the count came from its `replications` key.
        file: Option<String>,
        /// The count asked for.
        replications: u32,
        /// The most one process runs.
        max: i64,
    },
    /// `--partial` without `--shard`.
    #[error("--partial goes with --shard K/N")]
    PartialWithoutShard,
    /// `--shard` without `--partial`.
    #[error("--shard K/N needs --partial FILE")]
    ShardWithoutPartial,
    /// A shard asked to write the whole run's outputs.
    #[error(
        "{}: a shard writes only its --partial FILE; give these to `callsim merge`, which \
         writes JSON, CSV, plots and the report of the whole run (the trace is of replication \
         0: `callsim run --trace` on the scenario)",
        flags.join(", ")
    )]
    ShardWritesOnlyPartial {
        /// The output flags given.
        flags: Vec<&'static str>,
    },
    /// A `--shard` text that is not K/N.
    #[error("--shard {spec:?}: allowed K/N with 1 ≤ K ≤ N, e.g. 2/8")]
    ShardSpec {
        /// The text given.
        spec: String,
    },
    /// More shards than replications.
    #[error(
        "--shard {spec}: {shards} shards of {total} replications leave this one empty; use at \
         most {total} shards"
    )]
    EmptyShard {
        /// The text given.
        spec: String,
        /// Shards.
        shards: u32,
        /// Replications of the whole run.
        total: u32,
    },
    /// A shard with more replications than one process runs.
    #[error(
        "--shard {spec}: {replications} replications in this shard; one process runs at most \
         {max}: use more shards"
    )]
    ShardTooBig {
        /// The text given.
        spec: String,
        /// Replications of the shard.
        replications: usize,
        /// The most one process runs.
        max: i64,
    },
    /// `--trace` on a replication too long to trace.
    #[error(
        "--trace is for small runs: replication 0 has more than {rows} events; shorten it, \
         e.g. --set horizon=\"1h\""
    )]
    TraceTooLong {
        /// The most rows a trace keeps.
        rows: usize,
    },
    /// Two outputs with the same path.
    #[error("two outputs would be written to {0}: give each its own path")]
    SamePath(String),
    /// `compare` without a variant.
    #[error("compare needs at least one variant: a VARIANT.toml file or --variant NAME:KEY=VALUE")]
    NoVariant,
    /// Two variants with one name.
    #[error("--variant {spec:?}: the name {name:?} is used twice")]
    VariantNameTwice {
        /// The `--variant` text.
        spec: String,
        /// The name used twice.
        name: String,
    },
    /// `merge` with no partial to merge (only a library caller can ask for it; the command
    /// line requires one).
    #[error("merge needs at least one partial file")]
    NoPartials,
    /// `merge` of partials that do not cover the run.
    #[error("the partials cover replications 0 to {covered} of {total}: shards are missing")]
    ShardsMissing {
        /// Replications covered from 0 without a gap.
        covered: u32,
        /// Replications of the whole run.
        total: u32,
    },
    /// `merge` of a run too big to hold.
    #[error(
        "{replications} replications of this scenario need about {gib} GiB to merge; allowed \
         at most {allowed_gib} GiB: merge fewer replications"
    )]
    MergeTooBig {
        /// Replications of the whole run.
        replications: u32,
        /// The estimate, GiB.
        gib: u64,
        /// The most allowed, GiB.
        allowed_gib: u64,
    },
    /// A number that must be positive.
    #[error("{flag} {text:?}: allowed {what} greater than 0")]
    NotPositive {
        /// The flag.
        flag: &'static str,
        /// The text given.
        text: String,
        /// What the flag gives, in words.
        what: &'static str,
    },
    /// A duration flag that is not a duration.
    #[error("{flag} {text:?}: allowed a duration like 20s{}", if *zero_allowed { ", 0 or more" } else { "" })]
    NotADuration {
        /// The flag.
        flag: &'static str,
        /// The text given.
        text: String,
        /// Whether 0 is allowed (and said so).
        zero_allowed: bool,
    },
    /// A share that must lie strictly between 0 and 1.
    #[error("{flag} {value}: allowed {what} between 0 and 1, both excluded (e.g. {example})")]
    NotAShare {
        /// The flag.
        flag: &'static str,
        /// The value given.
        value: f64,
        /// What the flag gives, in words.
        what: &'static str,
        /// A value that works.
        example: &'static str,
    },
    /// `staff --method day` on a profile whose interval does not divide a day.
    #[error(
        "staff: the day method staffs a profile whose interval divides a day (here {}): use \
         --method sipp",
        duration_text(*interval_s)
    )]
    DayMethodInterval {
        /// The profile's interval, seconds.
        interval_s: f64,
    },
    /// `--scenario-out` of a forecast of several days.
    #[error(
        "--scenario-out: the forecast covers several days, and a plan repeats one day; staff \
         one day's forecast (rows without dates) to write its plan"
    )]
    PlanOfSeveralDays,
    /// `--scenario-out` of a profile whose interval does not divide a day.
    #[error(
        "--scenario-out: the profile's interval ({}) does not divide a day, so its staffing \
         cannot be a daily agents.plan; use an interval such as 15m, 30m or 1h",
        duration_text(*interval_s)
    )]
    PlanInterval {
        /// The profile's interval, seconds.
        interval_s: f64,
    },
    /// `--scenario-out` of a floor with skill groups.
    #[error(
        "--scenario-out: the scenario has agents.skills, and staff and schedule find a head \
         count for the whole floor, not per skill group; drop --scenario-out or the skills"
    )]
    PlanWithSkills,
}

/// Why the scenario of a file cannot be run or planned as asked.
#[derive(Debug, thiserror::Error)]
pub enum Unworkable {
    /// A replication stalled: the scenario loops at one instant, or spent its budget.
    #[error(transparent)]
    Stalled(RunError),
    /// The run would not fit in memory.
    #[error(transparent)]
    TooBig(#[from] TooBig),
    /// The scenario cannot be scheduled as given.
    #[error(transparent)]
    Schedule(#[from] ScheduleInput),
    /// No shift pattern covers an interval with calls.
    #[error(
        "scheduling.patterns: no shift pattern covers {interval}, which needs {needed} agent(s): \
         give a pattern that works then"
    )]
    Uncovered {
        /// The interval, as clock text.
        interval: String,
        /// Agents it needs.
        needed: u32,
    },
    /// The shift patterns admit no roster.
    #[error("scheduling.patterns: {0}")]
    Patterns(CoverError),
}
