//! `callsim merge`: partial results of shards into exactly the result of one run.
//!
//! Partials come from outside, so each is checked before anything is merged: its digest (any
//! edit, truncation or damage), the build that wrote it, every length against its scenario's
//! scopes and intervals, that the partials come from one run and cover every replication once,
//! and, unless `--no-verify`, that the first replication of each partial is what this build
//! computes for it (which a relabelled shard or a forged digest cannot pass).

use super::run::{ResultFiles, result_outputs};
use super::{MergeArgs, Usage};
use crate::Error;
use crate::experiment::{self, IntervalTally, RunOptions, Tally};
use crate::report::{self, Refusal, ShardInfo};
use crate::scenario;

/// Largest merge accepted, in bytes of per-replication values held at once (about a third
/// of this machine size's memory).
pub const MAX_MERGE_BYTES: u64 = 8 << 30;

/// Reads the partials, checks they belong together and cover every replication once, and
/// writes what one run would have written.
pub fn merge(args: MergeArgs) -> Result<(), Error> {
    let mut plan = super::output::Plan::default().shared(&args.output);
    for p in &args.partials {
        plan = plan.input(Some(p));
    }
    plan.check()?;
    let refuse = |path: &std::path::Path, reason: Refusal| Error::Refused {
        path: path.display().to_string(),
        reason,
    };
    // First which shard each partial holds, checked but without its values, so that the
    // partials can be folded one at a time in replication order: memory stays that of one
    // partial and the result, however many partials there are.
    let mut first: Option<(&std::path::PathBuf, ShardInfo)> = None;
    let mut ranges: Vec<(&std::path::PathBuf, [u32; 2])> = Vec::with_capacity(args.partials.len());
    for path in &args.partials {
        let info = report::read_partial_info(path).map_err(|e| refuse(path, e.into()))?;
        match &first {
            Some((first_path, first_info)) if !same_run(first_info, &info) => {
                return Err(refuse(
                    path,
                    Refusal::OtherRun(first_path.display().to_string()),
                ));
            }
            Some(_) => {}
            None => first = Some((path, info.clone())),
        }
        ranges.push((path, info.range));
    }
    let Some((_, first)) = first else {
        return Err(Usage::NoPartials.into());
    };
    ranges.sort_by_key(|(_, range)| range[0]);
    let mut expected = 0;
    for (path, [start, end]) in &ranges {
        if *start != expected {
            return Err(refuse(
                path,
                Refusal::Gap {
                    start: *start,
                    end: *end,
                    expected,
                },
            ));
        }
        expected = *end;
    }
    if expected != first.replications {
        return Err(Usage::ShardsMissing {
            covered: expected,
            total: first.replications,
        }
        .into());
    }
    let (parsed, _) = scenario::parse_with(
        &first.scenario_text,
        &first.source,
        &first.overrides,
        scenario::Attachments::Given(&first.attachments),
    )?;
    // With `warmup = "auto"` every shard chose the same warm-up from the same pilot; the
    // merge chooses it again, for the check and the result.
    let parsed = experiment::resolve_warmup(&parsed, first.seed, first.replications, None)
        .map_err(super::run::run_error(&first.source))?
        .into_owned();
    let loaded = scenario::LoadedScenario {
        scenario: parsed,
        source: first.source.clone(),
        text: first.scenario_text.clone(),
        overrides: first.overrides.clone(),
        attachments: first.attachments.clone(),
    };
    let bytes = merge_bytes(&loaded.scenario, first.replications);
    if bytes > MAX_MERGE_BYTES {
        return Err(Usage::MergeTooBig {
            replications: first.replications,
            gib: bytes >> 30,
            allowed_gib: MAX_MERGE_BYTES >> 30,
        }
        .into());
    }
    let mut tally = Tally::new(&loaded.scenario);
    for (path, range) in &ranges {
        let (info, next) = report::read_partial_file(path).map_err(|e| refuse(path, e.into()))?;
        if !same_run(&first, &info) || info.range != *range {
            return Err(refuse(path, Refusal::Changed));
        }
        let len = (range[1] - range[0]) as usize;
        next.check_shape(&loaded.scenario, len)
            .map_err(|e| refuse(path, e.into()))?;
        if !args.no_verify {
            verify(&loaded.scenario, &info, &next).map_err(|e| refuse(path, e))?;
        }
        tally.append(next);
    }
    let result = tally.finish(&loaded.scenario, first.seed);
    let files = ResultFiles {
        json: args.output.json.as_ref(),
        csv: args.output.csv.as_ref(),
        plots: args.output.plots.as_ref(),
        report: args.output.report.as_ref(),
    };
    let out = result_outputs(&result, &loaded, &files)?;
    super::run::finish(out, &result, &loaded, args.output.quiet)
}

fn same_run(a: &ShardInfo, b: &ShardInfo) -> bool {
    a.source == b.source
        && a.scenario_text == b.scenario_text
        && a.overrides == b.overrides
        && a.attachments == b.attachments
        && a.seed == b.seed
        && a.replications == b.replications
}

/// Memory that the per-replication values of a merge take, roughly (the interval rows fold
/// as each partial is read, so they count once).
fn merge_bytes(scenario: &crate::model::Scenario, replications: u32) -> u64 {
    let scopes = 1 + scenario.callers.len() + scenario.floor.managers.len() + 8;
    let per_replication = scopes * crate::kpi::Kpi::COUNT * 8;
    let intervals = crate::kpi::IntervalLayout::of(scenario).count
        * crate::kpi::INTERVAL_KPIS.len()
        * std::mem::size_of::<crate::stats::Running>();
    u64::from(replications) * per_replication as u64 + intervals as u64
}

/// Re-simulates the first replication of a partial and compares every value bit for bit.
fn verify(
    scenario: &crate::model::Scenario,
    info: &ShardInfo,
    tally: &Tally,
) -> Result<(), Refusal> {
    let r = info.range[0];
    let options = RunOptions {
        replications: info.replications,
        seed: info.seed,
        threads: Some(1),
        details: true,
        clock: None,
    };
    let again = experiment::simulate_into(
        Tally::keeping_rows(scenario),
        scenario,
        &options,
        r..r + 1,
        &|_, _| {},
    )?;
    let same = first_equal(&again.per_replication, &tally.per_replication)
        && again
            .per_scope
            .iter()
            .all(|(scope, rows)| first_rows_equal(rows, &tally.per_scope[scope]))
        && first_rows_of_intervals_equal(&again.per_interval, &tally.per_interval);
    if same {
        Ok(())
    } else {
        Err(Refusal::NotReproduced(r))
    }
}

/// Equal to the bit, where every NaN (undefined; a file stores it as null) is one value.
fn same_value(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn first_rows_of_intervals_equal(a: &IntervalTally, b: &IntervalTally) -> bool {
    let first = |t: &IntervalTally| t.rows().and_then(|rows| rows.first().cloned());
    a.is_empty() == b.is_empty()
        && match (first(a), first(b)) {
            (Some(x), Some(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .flatten()
                        .zip(y.iter().flatten())
                        .all(|(p, q)| same_value(*p, *q))
            }
            (None, None) => true,
            _ => false,
        }
}

fn first_equal(a: &[crate::kpi::KpiValues], b: &[crate::kpi::KpiValues]) -> bool {
    match (a.first(), b.first()) {
        (Some(x), Some(y)) => x.0.iter().zip(&y.0).all(|(p, q)| same_value(*p, *q)),
        (None, None) => true,
        _ => false,
    }
}

fn first_rows_equal(a: &[Vec<crate::kpi::KpiValues>], b: &[Vec<crate::kpi::KpiValues>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| first_equal(x, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn a_merge_of_no_partials_is_refused_not_a_panic() {
        let cli = super::super::Cli::try_parse_from(["callsim", "merge", "a.part"]).unwrap();
        let super::super::Command::Merge(mut args) = cli.command else {
            panic!("parsed as merge");
        };
        args.partials.clear();
        let e = merge(args).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("at least one partial"), "{e}");
    }
}
