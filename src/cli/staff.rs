//! `callsim staff`.

use super::output::{Outputs, Plan, charts_if};
use super::{StaffArgs, Usage};
use crate::Error;
use crate::experiment::{self, StaffTarget, TargetPart};
use crate::report;
use crate::scenario::{self, units::parse_duration};

/// Finds the fewest agents per period and prints the staffing vector.
pub fn staff(args: StaffArgs) -> Result<(), Error> {
    let common = &args.common;
    let target = target_of(&args.target)?;
    Plan::default()
        .shared(&common.output)
        .file("--scenario-out", args.scenario_out.as_ref(), true)
        .input(Some(&args.scenario))
        .check()?;
    let loaded = scenario::load(Some(&args.scenario), &common.overrides)?;
    if args.scenario_out.is_some() {
        writable_as_plan(&loaded.scenario)?;
    }
    let mut options = super::run::options(&loaded.scenario, common);
    super::run::one_process(options.replications, &loaded, common)?;
    super::run::fits(&loaded.source, &loaded.scenario, &options)?;
    options.details = false;
    let (periods, method) = match args.method {
        super::StaffMethodArg::Sipp => (
            experiment::staff(&loaded.scenario, &target, &options, &|_, _| {}),
            experiment::StaffMethod::Sipp,
        ),
        super::StaffMethodArg::Day => {
            if let crate::model::Arrivals::Profile { interval_s, .. } = &loaded.scenario.arrivals
                && !crate::model::Plan::fits_a_day(*interval_s)
            {
                return Err(Usage::DayMethodInterval {
                    interval_s: *interval_s,
                }
                .into());
            }
            match experiment::staff_day(&loaded.scenario, &target, &options, &|_, _| {}) {
                Ok((p, m)) => (Ok(p), m),
                Err(e) => (Err(e), experiment::StaffMethod::Sipp),
            }
        }
    };
    let periods = periods.map_err(super::run::run_error(&loaded.source))?;

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
        report::staff_json(&periods, &target, method, loaded.scenario.clock())
    });
    out.in_dir(common.output.csv.as_ref(), "staff.csv", || {
        report::staff_csv(&periods, loaded.scenario.clock())
    });
    out.charts(common.output.plots.as_ref(), &charts);
    if let Some(path) = &args.scenario_out {
        let text = staffed_scenario(&loaded, &periods, &target)?;
        out.push(path.clone(), text.into_bytes());
    }
    out.file(common.output.report.as_ref(), || {
        report::html_staff(
            &periods,
            &target,
            options.replications,
            method,
            &loaded,
            &charts,
        )
    });
    out.finish(
        common.output.quiet,
        || {
            report::staff_table(
                &periods,
                &target,
                options.replications,
                method,
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
        let spans: Vec<(f64, f64)> = missed.iter().map(|p| p.span).collect();
        return Err(unmet_target(&spans, most, loaded.scenario.clock()));
    }
    Ok(())
}

/// Exit 1 for a target no head count up to `most` agents meets in `spans`.
pub(super) fn unmet_target(spans: &[(f64, f64)], most: u32, clock: crate::model::Clock) -> Error {
    Error::Unmet(experiment::Unmet::NoHeadCount {
        spans: spans.to_vec(),
        most,
        clock,
    })
}

/// `--scenario-out` writes the whole floor's head count per interval: it needs one pool of
/// agents (no skill groups, whose sizes the head count cannot split) and, with a profile, one
/// day of intervals that divide it (a plan repeats daily). Checked before anything is
/// simulated.
pub(super) fn writable_as_plan(s: &crate::model::Scenario) -> Result<(), Error> {
    whole_floor_only(s)?;
    match &s.arrivals {
        crate::model::Arrivals::Profile { daily: false, .. } => {
            Err(Usage::PlanOfSeveralDays.into())
        }
        crate::model::Arrivals::Profile { interval_s, .. }
            if !crate::model::Plan::fits_a_day(*interval_s) =>
        {
            Err(Usage::PlanInterval {
                interval_s: *interval_s,
            }
            .into())
        }
        _ => Ok(()),
    }
}

/// Refuses `--scenario-out` for a scenario with skill groups: staff and schedule find a head
/// count for the whole floor.
pub(super) fn whole_floor_only(s: &crate::model::Scenario) -> Result<(), Error> {
    if s.agents.skills.is_empty() {
        return Ok(());
    }
    Err(Usage::PlanWithSkills.into())
}

/// The scenario with the staffing found, with a header that says where it came from. An
/// interval no team met (the run then exits 1) gets the largest team tried, and the header
/// says which.
fn staffed_scenario(
    loaded: &scenario::LoadedScenario,
    periods: &[experiment::PeriodStaffing],
    target: &StaffTarget,
) -> Result<String, Error> {
    let agents = |p: &experiment::PeriodStaffing| match &p.staffed {
        Some(t) => t.agents,
        None if p.rate_per_s > 0.0 => p.searched_up_to,
        None => 0,
    };
    let staffing = match &loaded.scenario.arrivals {
        crate::model::Arrivals::Constant { .. } => {
            scenario::Staffing::Count(periods.first().map_or(1, agents).max(1))
        }
        crate::model::Arrivals::Profile { interval_s, .. } => scenario::Staffing::Plan {
            interval_s: *interval_s,
            counts: periods.iter().map(agents).collect(),
        },
    };
    let clock = loaded.scenario.clock();
    let missed: Vec<String> = periods
        .iter()
        .filter(|p| p.rate_per_s > 0.0 && p.staffed.is_none())
        .map(|p| clock.span(p.span.0, p.span.1))
        .collect();
    let mut header = format!(
        "# Written by callsim staff from {}: the fewest agents per interval for {:.0} % \
         answered within {} s{}.\n# Each interval was staffed as if its rate held (see the \
         README's staff); run it with `callsim run` to see the whole day.\n",
        loaded.source.escape_debug(),
        target.service_level * 100.0,
        target.within_s,
        target.max_abandon.map_or(String::new(), |m| format!(
            " and at most {:.1} % abandoned",
            m * 100.0
        )),
    );
    if !missed.is_empty() {
        header.push_str(&format!(
            "# NOT MET in {}: these intervals have the largest team tried.\n",
            missed.join(", ")
        ));
    }
    header.push('\n');
    Ok(scenario::with_staffing(loaded, &staffing, &header)?)
}

/// The target of `--service-level`, `--within` and `--max-abandon`, checked.
pub(super) fn target_of(args: &super::TargetArgs) -> Result<StaffTarget, Error> {
    let (service_level, within, max_abandon) =
        (args.service_level, args.within.as_str(), args.max_abandon);
    // A text that is no duration is out of range, like a negative one.
    let within_s = parse_duration(within).unwrap_or(f64::NAN);
    StaffTarget::new(service_level, within_s, max_abandon).map_err(|part| {
        match part {
            TargetPart::ServiceLevel => Usage::NotAShare {
                flag: "--service-level",
                value: service_level,
                what: "a share",
                example: "0.8",
            },
            TargetPart::Within => Usage::NotADuration {
                flag: "--within",
                text: within.to_string(),
                zero_allowed: false,
            },
            TargetPart::MaxAbandon => Usage::NotAShare {
                flag: "--max-abandon",
                value: max_abandon.unwrap_or(f64::NAN),
                what: "a share",
                example: "0.05",
            },
        }
        .into()
    })
}
