//! `callsim staff`.

use super::StaffArgs;
use super::output::{Outputs, Plan, charts_if};
use crate::Error;
use crate::experiment::{self, StaffTarget};
use crate::report;
use crate::scenario::{self, units::parse_duration};

/// Finds the fewest agents per period and prints the staffing vector.
pub fn staff(args: StaffArgs) -> Result<(), Error> {
    let common = &args.common;
    if !(args.service_level > 0.0 && args.service_level < 1.0) {
        return Err(Error::Usage(format!(
            "--service-level {}: allowed a share between 0 and 1, both excluded (e.g. 0.8)",
            args.service_level
        )));
    }
    let within = match parse_duration(&args.within) {
        Some(t) if t >= 0.0 && t.is_finite() => t,
        _ => {
            return Err(Error::Usage(format!(
                "--within {:?}: allowed a duration like 20s",
                args.within
            )));
        }
    };
    if let Some(m) = args.max_abandon
        && !(m > 0.0 && m < 1.0)
    {
        return Err(Error::Usage(format!(
            "--max-abandon {m}: allowed a share between 0 and 1, both excluded (e.g. 0.05)"
        )));
    }
    let target = StaffTarget {
        service_level: args.service_level,
        within_s: within,
        max_abandon: args.max_abandon,
    };
    Plan::default()
        .shared(&common.output)
        .input(Some(&args.scenario))
        .check()?;
    let loaded = scenario::load(Some(&args.scenario), &common.overrides)?;
    let mut options = super::run::options(&loaded.scenario, common);
    super::run::one_process(options.replications, &loaded, common)?;
    super::run::fits(&loaded.source, &loaded.scenario, &options)?;
    options.details = false;
    let periods = experiment::staff(&loaded.scenario, &target, &options, &|_, _| {})
        .map_err(super::run::run_error(&loaded.source))?;

    let charts = charts_if(
        common.output.plots.is_some() || common.output.report.is_some(),
        || {
            crate::plot::render(&crate::plot::StaffChart {
                periods: &periods,
                target: &target,
                clock: loaded.scenario.clock(),
            })
            .map(|c| vec![c])
        },
    )?;
    let mut out = Outputs::default();
    out.file(common.output.json.as_ref(), || {
        report::staff_json(&periods, &target, loaded.scenario.clock())
    });
    out.in_dir(common.output.csv.as_ref(), "staff.csv", || {
        report::staff_csv(&periods, loaded.scenario.clock())
    });
    out.charts(common.output.plots.as_ref(), &charts);
    out.file(common.output.report.as_ref(), || {
        report::html_staff(&periods, &target, options.replications, &loaded, &charts)
    });
    out.finish(
        common.output.quiet,
        || {
            report::staff_table(
                &periods,
                &target,
                options.replications,
                loaded.scenario.clock(),
            )
        },
        [],
    )?;
    let missed: Vec<&experiment::PeriodStaffing> = periods
        .iter()
        .filter(|p| p.rate_per_s > 0.0 && p.staffed.is_none())
        .collect();
    if !missed.is_empty() {
        let most = missed.iter().map(|p| p.searched_up_to).max().unwrap_or(0);
        return Err(Error::Other(format!(
            "the target cannot be met in {} period(s), even with {most} agents: loosen the \
             target (--service-level, --within, --max-abandon) or check the callers' behaviour \
             (balking, patience)",
            missed.len()
        )));
    }
    Ok(())
}
