//! `callsim run`.

use super::output::{Outputs, Plan, charts_if};
use super::progress::Progress;
use super::{RunArgs, Unworkable, Usage};
use crate::Error;
use crate::experiment::{self, RunOptions};
use crate::report;
use crate::scenario;

/// The scenario's replications and seed, unless the flags say otherwise.
pub(super) fn options(scenario: &crate::model::Scenario, common: &super::CommonArgs) -> RunOptions {
    let mut options = RunOptions::from_scenario(scenario);
    if let Some(r) = common.replications {
        options.replications = r;
    }
    if let Some(s) = common.seed {
        options.seed = s;
    }
    options.threads = common.threads.map(usize::from);
    // Files get the details (KPIs per interval, distributions); the terminal table does not
    // need them, and plain runs stay as fast as they can be.
    options.details = common.output.json.is_some()
        || common.output.csv.is_some()
        || common.output.plots.is_some()
        || common.output.report.is_some();
    options
}

/// The progress display for `replications` of `loaded`, wired to the options' simulated clock.
pub(super) fn progress_for(
    replications: u32,
    loaded: &scenario::LoadedScenario,
    quiet: bool,
    options: &mut RunOptions,
) -> Progress {
    let clock = std::sync::Arc::new(experiment::SimulatedClock::default());
    options.clock = Some(clock.clone());
    Progress::new(
        replications,
        &loaded.scenario.name,
        quiet,
        loaded.scenario.horizon,
        clock,
    )
}

/// The paths beside a trace file: its timeline chart as SVG and PNG.
fn trace_companions(path: &std::path::Path) -> [std::path::PathBuf; 2] {
    ["svg", "png"].map(|ext| path.with_extension(format!("timeline.{ext}")))
}

/// One process runs at most [`scenario::MAX_REPLICATIONS`] replications; more go in shards.
/// The message names where the number came from: the flag, or the file's key.
pub(super) fn one_process(
    replications: u32,
    loaded: &scenario::LoadedScenario,
    common: &super::CommonArgs,
) -> Result<(), Error> {
    let max = scenario::MAX_REPLICATIONS;
    if i64::from(replications) <= max {
        return Ok(());
    }
    Err(Usage::TooManyReplications {
        file: common.replications.is_none().then(|| loaded.source.clone()),
        replications,
        max,
    }
    .into())
}

/// A run error of the scenario from `source`, named after it: a stalled replication is the
/// scenario's fault (exit code 2), and the message says which file.
pub(super) fn run_error(source: &str) -> impl Fn(experiment::RunError) -> Error + '_ {
    move |e| match e {
        stalled @ experiment::RunError::Stalled { .. } => Error::Unworkable {
            file: source.to_string(),
            problem: Unworkable::Stalled(stalled),
        },
        other => Error::Run(other),
    }
}

/// Refuses, before any work, a run of `loaded` that would not fit in memory (exit code 2).
pub(super) fn fits(
    loaded_source: &str,
    scenario: &crate::model::Scenario,
    options: &RunOptions,
) -> Result<(), Error> {
    experiment::check_memory(scenario, options).map_err(|e| Error::Unworkable {
        file: loaded_source.to_string(),
        problem: e.into(),
    })
}

/// Loads the scenario, runs it, prints the table and writes the requested files.
pub fn run(args: RunArgs) -> Result<(), Error> {
    let common = &args.common;
    let loaded = scenario::load(args.scenario.as_deref(), &common.overrides)?;
    let mut options = options(&loaded.scenario, common);
    if let Some(spec) = &args.shard {
        return run_shard(&args, spec, &loaded, &mut options);
    }
    if args.partial.is_some() {
        return Err(Usage::PartialWithoutShard.into());
    }
    one_process(options.replications, &loaded, common)?;
    fits(&loaded.source, &loaded.scenario, &options)?;
    let mut plan = Plan::default()
        .shared(&common.output)
        .file("--trace", args.trace.as_ref(), false)
        .input(args.scenario.as_deref());
    if let Some(trace) = &args.trace {
        for (p, flag) in trace_companions(trace)
            .iter()
            .zip(["--trace (SVG)", "--trace (PNG)"])
        {
            plan = plan.file(flag, Some(p), false);
        }
    }
    plan.check()?;
    // The trace is of replication 0 and small by construction: made first, so that a run too
    // long to trace is refused before the experiment rather than after it.
    let trace = match &args.trace {
        Some(path) => trace_files(&loaded.scenario, options.seed, path)?,
        None => Vec::new(),
    };
    let mut progress = progress_for(
        options.replications,
        &loaded,
        common.output.quiet,
        &mut options,
    );
    let result = experiment::run(&loaded.scenario, &options, &|done, _| progress.tick(done))
        .map_err(run_error(&loaded.source))?;
    progress.finish();
    let files = ResultFiles {
        json: common.output.json.as_ref(),
        csv: common.output.csv.as_ref(),
        plots: common.output.plots.as_ref(),
        report: common.output.report.as_ref(),
    };
    let mut out = result_outputs(&result, &loaded, &files)?;
    for (p, bytes) in trace {
        out.push(p, bytes);
    }
    finish(out, &result, &loaded, common.output.quiet)
}

/// Writes the files of a run or a merge, then the table and the warnings.
pub(super) fn finish(
    out: super::output::Outputs,
    result: &experiment::ExperimentResult,
    loaded: &scenario::LoadedScenario,
    quiet: bool,
) -> Result<(), Error> {
    out.finish(
        quiet,
        || report::table(result, &loaded.source, &loaded.overrides),
        &result.warnings,
    )
}

/// The files a result can be written to.
pub(super) struct ResultFiles<'a> {
    pub json: Option<&'a std::path::PathBuf>,
    pub csv: Option<&'a std::path::PathBuf>,
    pub plots: Option<&'a std::path::PathBuf>,
    pub report: Option<&'a std::path::PathBuf>,
}

/// Renders every requested file of `result` (nothing is written yet).
pub(super) fn result_outputs(
    result: &experiment::ExperimentResult,
    loaded: &scenario::LoadedScenario,
    files: &ResultFiles,
) -> Result<Outputs, Error> {
    let charts = charts_if(files.plots.is_some() || files.report.is_some(), || {
        crate::plot::charts_for_run(&loaded.scenario, result)
    })?;
    let mut out = Outputs::default();
    out.file(files.json, || {
        report::json(result, &loaded.source, &loaded.overrides)
    });
    out.in_dir(files.csv, "kpis.csv", || report::kpis_csv(result));
    out.in_dir(files.csv, "replications.csv", || {
        report::replications_csv(result)
    });
    out.in_dir(files.csv, "intervals.csv", || report::intervals_csv(result));
    out.charts(files.plots, &charts);
    out.file(files.report, || {
        report::html_report(result, loaded, &charts)
    });
    Ok(out)
}

/// `run --shard K/N --partial FILE`: only this shard's replications, saved for `merge`.
fn run_shard(
    args: &RunArgs,
    spec: &str,
    loaded: &scenario::LoadedScenario,
    options: &mut experiment::RunOptions,
) -> Result<(), Error> {
    let common = &args.common;
    let Some(path) = &args.partial else {
        return Err(Usage::ShardWithoutPartial.into());
    };
    let asked: Vec<&'static str> = [
        ("--json", common.output.json.is_some()),
        ("--csv", common.output.csv.is_some()),
        ("--plots", common.output.plots.is_some()),
        ("--report", common.output.report.is_some()),
        ("--trace", args.trace.is_some()),
    ]
    .into_iter()
    .filter_map(|(flag, given)| given.then_some(flag))
    .collect();
    if !asked.is_empty() {
        return Err(Usage::ShardWritesOnlyPartial { flags: asked }.into());
    }
    Plan::default()
        .file("--partial", Some(path), true)
        .input(args.scenario.as_deref())
        .check()?;
    let (k, n) = spec
        .split_once('/')
        .and_then(|(k, n)| Some((k.trim().parse::<u32>().ok()?, n.trim().parse::<u32>().ok()?)))
        .filter(|(k, n)| (1..=*n).contains(k))
        .ok_or_else(|| Usage::ShardSpec {
            spec: spec.to_string(),
        })?;
    let total = options.replications;
    let range = experiment::shard_range(total, k, n);
    if range.is_empty() {
        return Err(Usage::EmptyShard {
            spec: spec.to_string(),
            shards: n,
            total,
        }
        .into());
    }
    if range.len() as i64 > scenario::MAX_REPLICATIONS {
        return Err(Usage::ShardTooBig {
            spec: spec.to_string(),
            replications: range.len(),
            max: scenario::MAX_REPLICATIONS,
        }
        .into());
    }
    // Shards keep the details, so the merge can give every output a single run gives.
    options.details = true;
    let mut this_shard = options.clone();
    this_shard.replications = range.len() as u32;
    fits(&loaded.source, &loaded.scenario, &this_shard)?;
    let mut progress = progress_for(range.len() as u32, loaded, common.output.quiet, options);
    // The warm-up of `warmup = "auto"` depends on the whole run (seed and replications), not
    // on the shard, so every shard measures the same window.
    let resolved = experiment::resolve_warmup(
        &loaded.scenario,
        options.seed,
        options.replications,
        options.threads,
    )
    .map_err(run_error(&loaded.source))?;
    let tally = experiment::simulate_into(
        experiment::Tally::keeping_rows(&resolved),
        &resolved,
        options,
        range.clone(),
        &|done, _| progress.tick(done),
    )
    .map_err(run_error(&loaded.source))?;
    progress.finish();
    let shard = report::ShardInfo {
        source: loaded.source.clone(),
        scenario_text: loaded.text.clone(),
        overrides: loaded.overrides.clone(),
        attachments: loaded.attachments.clone(),
        seed: options.seed,
        replications: total,
        range: [range.start, range.end],
    };
    let mut out = Outputs::default();
    out.push(path.clone(), report::partial_bytes(&shard, &tally));
    out.write()?;
    if !common.output.quiet {
        eprintln!(
            "shard {k}/{n}: replications {} to {} of {total} saved to {}",
            range.start,
            range.end,
            path.display()
        );
    }
    Ok(())
}

/// The trace CSV of replication 0 and its timeline chart, rendered, with their paths.
fn trace_files(
    scenario: &crate::model::Scenario,
    seed: u64,
    path: &std::path::Path,
) -> Result<Vec<(std::path::PathBuf, Vec<u8>)>, Error> {
    let trace = experiment::trace(scenario, seed, 0).map_err(|_| Usage::TraceTooLong {
        rows: experiment::MAX_TRACE_ROWS,
    })?;
    let chart =
        crate::plot::render(&crate::plot::Timeline { trace: &trace }).map_err(|source| {
            Error::Draw {
                what: "timeline",
                source,
            }
        })?;
    let [svg, png] = trace_companions(path);
    Ok(vec![
        (path.to_path_buf(), report::trace_csv(&trace)),
        (svg, chart.svg.into_bytes()),
        (png, chart.png),
    ])
}
