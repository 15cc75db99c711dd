//! `callsim run`.

use std::io::Write;

use super::RunArgs;
use super::output::{Outputs, charts_if};
use super::progress::Progress;
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
    options.details = common.json.is_some()
        || common.csv.is_some()
        || common.plots.is_some()
        || common.report.is_some();
    options
}

/// Loads the scenario, runs it, prints the table and writes the requested files.
pub fn run(args: RunArgs) -> Result<(), Error> {
    let common = &args.common;
    let loaded = scenario::load(args.scenario.as_deref(), &common.overrides)?;
    let options = options(&loaded.scenario, common);
    let progress = Progress::new(options.replications, &loaded.scenario.name, common.quiet);
    let result = experiment::run(&loaded.scenario, &options, &|done, _| progress.tick(done))
        .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))?;
    progress.finish();

    // Everything is rendered before anything is written, so a failure leaves no partial set.
    let charts = charts_if(common.plots.is_some() || common.report.is_some(), || {
        crate::plot::charts_for_run(&loaded.scenario, &result)
    })?;
    let mut out = Outputs::default();
    out.file(common.json.as_ref(), || {
        report::json(&result, &loaded.source)
    });
    let csv = common.csv.as_ref();
    out.in_dir(csv, "kpis.csv", || report::kpis_csv(&result));
    out.in_dir(csv, "replications.csv", || {
        report::replications_csv(&result)
    });
    out.in_dir(csv, "intervals.csv", || report::intervals_csv(&result));
    out.charts(common.plots.as_ref(), &charts);
    out.file(common.report.as_ref(), || {
        report::html_report(&result, &loaded, &charts)
    });
    if let Some(path) = &args.trace {
        for (p, bytes) in trace_files(&loaded.scenario, options.seed, path)? {
            out.push(p, bytes);
        }
    }
    out.write()?;
    if !common.quiet {
        let text = report::table(&result, &loaded.source);
        // A closed pipe (e.g. `| head`) is not an error worth a message.
        let _ = std::io::stdout().write_all(text.as_bytes());
    }
    Ok(())
}

/// The trace CSV of replication 0 and its timeline chart, rendered, with their paths.
fn trace_files(
    scenario: &crate::model::Scenario,
    seed: u64,
    path: &std::path::Path,
) -> Result<Vec<(std::path::PathBuf, Vec<u8>)>, Error> {
    let trace = experiment::trace(scenario, seed, 0).map_err(|_| {
        Error::Usage(format!(
            "--trace is for small runs: replication 0 has more than {} events; shorten it, e.g. \
             --set horizon=\"1h\"",
            experiment::MAX_TRACE_ROWS
        ))
    })?;
    let chart = crate::plot::render(&crate::plot::Timeline { trace: &trace })
        .map_err(|e| Error::Other(format!("cannot draw the timeline: {e}")))?;
    let beside = |ext: &str| path.with_extension(format!("timeline.{ext}"));
    Ok(vec![
        (path.to_path_buf(), report::trace_csv(&trace)),
        (beside("svg"), chart.svg.into_bytes()),
        (beside("png"), chart.png),
    ])
}
