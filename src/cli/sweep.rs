//! `callsim sweep`.

use std::io::Write;

use super::SweepArgs;
use crate::Error;
use crate::experiment::{self, SweepPoint};
use crate::report;
use crate::scenario;

/// Runs the scenario once per value of the swept key, on common random numbers.
pub fn sweep(args: SweepArgs) -> Result<(), Error> {
    let common = &args.common;
    let (key, values) =
        experiment::parse_vary(&args.vary).map_err(|e| Error::Usage(format!("--vary {e}")))?;
    let base = scenario::load(Some(&args.scenario), &common.overrides)?;
    let mut points = Vec::with_capacity(values.len());
    for value in values {
        let mut overrides = common.overrides.clone();
        overrides.push(format!("{key}={value}"));
        let loaded = scenario::load(Some(&args.scenario), &overrides)?;
        points.push(SweepPoint {
            value,
            scenario: loaded.scenario,
        });
    }
    let mut options = super::run::options(&base.scenario, common);
    options.details = false;
    let progress = super::progress::Progress::new(
        options.replications * points.len() as u32,
        "sweep",
        common.quiet,
    );
    let result = experiment::sweep(&key, points, &options, &|done, _| progress.tick(done))
        .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))?;
    progress.finish();

    let json = common
        .json
        .as_ref()
        .map(|p| (p, report::sweep_json(&result)));
    let csv = common.csv.as_ref().map(|d| (d, report::sweep_csv(&result)));
    let chart = if common.plots.is_some() {
        Some(
            crate::plot::render(&crate::plot::SweepChart { sweep: &result })
                .map_err(|e| Error::Other(format!("cannot draw the chart: {e}")))?,
        )
    } else {
        None
    };
    if let Some((path, bytes)) = &json {
        report::write_atomic(path, bytes).map_err(|e| Error::output(path, e))?;
    }
    if let Some((dir, bytes)) = &csv {
        std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
        let path = dir.join("sweep.csv");
        report::write_atomic(&path, bytes).map_err(|e| Error::output(&path, e))?;
    }
    if let (Some(dir), Some(chart)) = (&common.plots, chart) {
        super::run::write_charts(dir, std::slice::from_ref(&chart))?;
    }
    if !common.quiet {
        let _ = std::io::stdout().write_all(report::sweep_table(&result).as_bytes());
    }
    Ok(())
}
