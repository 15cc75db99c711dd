//! `callsim sweep`.

use super::SweepArgs;
use super::output::{Outputs, Plan, charts_if};
use crate::Error;
use crate::experiment::{self, SweepPoint};
use crate::report;
use crate::scenario;

/// Runs the scenario once per value of the swept key, on common random numbers.
pub fn sweep(args: SweepArgs) -> Result<(), Error> {
    let common = &args.common;
    let (key, values) = experiment::parse_vary(&args.vary).map_err(|source| Error::Spec {
        flag: "--vary",
        source,
    })?;
    Plan::default()
        .shared(&common.output)
        .input(Some(&args.scenario))
        .check()?;
    let base = scenario::load(Some(&args.scenario), &common.overrides)?;
    let mut points = Vec::with_capacity(values.len());
    for value in values {
        let mut overrides = common.overrides.clone();
        overrides.push(format!("{key}={value}"));
        let loaded = scenario::load(Some(&args.scenario), &overrides)?;
        // Reports show a time key's values as clock time (`7h30m` as 07:30).
        let label = scenario::time_label(&key, &value, &loaded.scenario).unwrap_or(value);
        points.push(SweepPoint {
            value: label,
            scenario: loaded.scenario,
        });
    }
    let mut options = super::run::options(&base.scenario, common);
    super::run::one_process(options.replications, &base, common)?;
    for p in &points {
        super::run::fits(&base.source, &p.scenario, &options)?;
    }
    options.details = false;
    let mut progress = super::run::progress_for(
        options.replications * points.len() as u32,
        &base,
        common.output.quiet,
        &mut options,
    );
    let result = experiment::sweep(&key, points, &options, &|done, _| progress.tick(done))
        .map_err(super::run::run_error(&base.source))?;
    progress.finish();

    let charts = charts_if(
        common.output.plots.is_some() || common.output.report.is_some(),
        || crate::plot::render(&crate::plot::SweepChart { sweep: &result }).map(|c| vec![c]),
    )?;
    let mut out = Outputs::default();
    out.file(common.output.json.as_ref(), || report::sweep_json(&result));
    out.in_dir(common.output.csv.as_ref(), "sweep.csv", || {
        report::sweep_csv(&result)
    });
    out.charts(common.output.plots.as_ref(), &charts);
    out.file(common.output.report.as_ref(), || {
        report::html_sweep(&result, &base, &charts)
    });
    out.finish(
        common.output.quiet,
        || report::sweep_table(&result),
        result.points.iter().flat_map(|(_, r)| &r.warnings),
    )
}
