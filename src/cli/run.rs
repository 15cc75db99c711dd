//! `callsim run`.

use std::io::Write;

use super::RunArgs;
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
    let json = common
        .json
        .as_ref()
        .map(|p| (p, report::json(&result, &loaded.source)));
    let csv = common.csv.as_ref().map(|dir| {
        (
            dir,
            [
                ("kpis.csv", report::kpis_csv(&result)),
                ("replications.csv", report::replications_csv(&result)),
                ("intervals.csv", report::intervals_csv(&result)),
            ],
        )
    });
    let charts = if common.plots.is_some() || common.report.is_some() {
        crate::plot::charts_for_run(&loaded.scenario, &result)
            .map_err(|e| Error::Other(format!("cannot draw the charts: {e}")))?
    } else {
        Vec::new()
    };
    let plots = common.plots.as_ref().map(|dir| (dir, &charts));
    let html = common
        .report
        .as_ref()
        .map(|p| (p, report::html_report(&result, &loaded, &charts)));
    let trace = args
        .trace
        .as_ref()
        .map(|path| trace_files(&loaded.scenario, options.seed, path))
        .transpose()?;
    if let Some((dir, _)) = &csv {
        std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    }
    if let Some((path, bytes)) = &json {
        report::write_atomic(path, bytes).map_err(|e| Error::output(path, e))?;
    }
    if let Some((dir, files)) = &csv {
        for (name, bytes) in files {
            let path = dir.join(name);
            report::write_atomic(&path, bytes).map_err(|e| Error::output(&path, e))?;
        }
    }
    if let Some((dir, charts)) = &plots {
        write_charts(dir, charts)?;
    }
    if let Some((path, bytes)) = &html {
        report::write_atomic(path, bytes).map_err(|e| Error::output(path, e))?;
    }
    if let Some(files) = &trace {
        for (path, bytes) in files {
            report::write_atomic(path, bytes).map_err(|e| Error::output(path, e))?;
        }
    }
    if !common.quiet {
        let text = report::table(&result, &loaded.source);
        // A closed pipe (e.g. `| head`) is not an error worth a message.
        let _ = std::io::stdout().write_all(text.as_bytes());
    }
    Ok(())
}

/// Writes each chart as `NAME.svg` and `NAME.png` into `dir`, atomically.
pub(super) fn write_charts(
    dir: &std::path::Path,
    charts: &[crate::plot::Rendered],
) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    for c in charts {
        for (ext, bytes) in [("svg", c.svg.as_bytes()), ("png", c.png.as_slice())] {
            let path = dir.join(format!("{}.{ext}", c.name));
            report::write_atomic(&path, bytes).map_err(|e| Error::output(&path, e))?;
        }
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
