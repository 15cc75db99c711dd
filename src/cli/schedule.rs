//! `callsim schedule`.

use super::output::{Outputs, Plan, charts_if};
use super::{ScheduleArgs, Unworkable};
use crate::Error;
use crate::experiment::{self, ScheduleError, ScheduleMethod, cover::CoverError};
use crate::report;
use crate::scenario;

/// Turns the day's requirement into shifts of the scenario's patterns, checked by simulation.
pub fn schedule(args: ScheduleArgs) -> Result<(), Error> {
    let common = &args.common;
    let target = super::staff::target_of(&args.target)?;
    Plan::default()
        .shared(&common.output)
        .file("--scenario-out", args.scenario_out.as_ref(), true)
        .input(Some(&args.scenario))
        .input(args.shifts.as_deref())
        .check()?;
    let loaded = match &args.shifts {
        None => scenario::load(Some(&args.scenario), &common.overrides)?,
        Some(shifts) => scenario::load_with_shifts(&args.scenario, &common.overrides, shifts)?,
    };
    if args.scenario_out.is_some() {
        // The roster is a head count for the whole floor, like staff's plan.
        super::staff::whole_floor_only(&loaded.scenario)?;
    }
    let mut options = super::run::options(&loaded.scenario, common);
    super::run::one_process(options.replications, &loaded, common)?;
    super::run::fits(&loaded.source, &loaded.scenario, &options)?;
    options.details = false;
    let method = match args.method {
        super::ScheduleMethodArg::Day => ScheduleMethod::Day,
        super::ScheduleMethodArg::Sipp => ScheduleMethod::Sipp,
        super::ScheduleMethodArg::ErlangC => ScheduleMethod::ErlangC,
    };
    let clock = loaded.scenario.clock();
    let interval_s = match &loaded.scenario.arrivals {
        crate::model::Arrivals::Profile { interval_s, .. } => *interval_s,
        crate::model::Arrivals::Constant { .. } => loaded.scenario.horizon,
    };
    let spans_of = |intervals: &[usize]| -> Vec<(f64, f64)> {
        intervals
            .iter()
            .map(|&k| (k as f64 * interval_s, (k + 1) as f64 * interval_s))
            .collect()
    };
    let named = |intervals: &[usize]| experiment::span_list(&spans_of(intervals), clock);
    let unworkable = |problem| Error::Unworkable {
        file: loaded.source.clone(),
        problem,
    };
    let s =
        experiment::schedule(&loaded.scenario, &target, &options, method).map_err(|e| match e {
            ScheduleError::Input(input) => unworkable(input.into()),
            ScheduleError::Cover(CoverError::Uncoverable { interval, needed }) => {
                unworkable(Unworkable::Uncovered {
                    interval: named(&[interval]),
                    needed,
                })
            }
            ScheduleError::Cover(c) => unworkable(Unworkable::Patterns(c)),
            ScheduleError::Run(r) => super::run::run_error(&loaded.source)(r),
            ScheduleError::Unmet { intervals, agents } => {
                super::staff::unmet_target(&spans_of(&intervals), agents, clock)
            }
        })?;
    let charts = charts_if(
        common.output.plots.is_some() || common.output.report.is_some(),
        || {
            Ok(vec![
                crate::plot::render(&crate::plot::ScheduleChart {
                    schedule: &s,
                    target: &target,
                    clock,
                })?,
                crate::plot::render(&crate::plot::ShiftGantt {
                    schedule: &s,
                    clock,
                })?,
            ])
        },
    )?;
    let mut out = Outputs::default();
    out.file(common.output.json.as_ref(), || {
        report::schedule_json(&s, &target, clock)
    });
    if let Some(dir) = common.output.csv.as_ref() {
        let (shifts, intervals) = report::schedule_csv(&s, clock);
        out.push(dir.join("schedule.csv"), shifts);
        out.push(dir.join("schedule_intervals.csv"), intervals);
    }
    out.charts(common.output.plots.as_ref(), &charts);
    if let Some(path) = &args.scenario_out {
        out.push(path.clone(), roster_scenario(&loaded, &s)?.into_bytes());
    }
    out.file(common.output.report.as_ref(), || {
        report::html_schedule(&s, &target, &loaded, &charts)
    });
    out.finish(
        common.output.quiet,
        || report::schedule_table(&s, &target, clock),
        [],
    )?;
    if !s.met() {
        let spans = spans_of(&s.missed);
        return Err(Error::Unmet(match method {
            ScheduleMethod::Day => experiment::Unmet::RosterMisses {
                spans,
                rounds: s.rounds,
                clock,
            },
            ScheduleMethod::Sipp => experiment::Unmet::Unrepaired {
                method: "SIPP",
                spans,
                clock,
            },
            ScheduleMethod::ErlangC => experiment::Unmet::Unrepaired {
                method: "Erlang C",
                spans,
                clock,
            },
        }));
    }
    Ok(())
}

/// The scenario with the roster as its shifts.
fn roster_scenario(
    loaded: &scenario::LoadedScenario,
    s: &experiment::Schedule,
) -> Result<String, Error> {
    let clock = loaded.scenario.clock();
    let shifts = experiment::roster_shifts(s)
        .into_iter()
        .map(|x| {
            let breaks = x
                .breaks
                .iter()
                .map(|b| {
                    (
                        clock.time_of_day(b.start_s),
                        scenario::units::duration_text(b.end_s - b.start_s),
                    )
                })
                .collect();
            scenario::ShiftText {
                start: clock.time_of_day(x.start_s),
                end: clock.end_of_day_span(x.end_s),
                name: x.name,
                breaks,
                count: x.count,
                days: x.days,
            }
        })
        .collect();
    let header = format!(
        "# Written by callsim schedule from {}: {} shifts, {:.1} paid hours, cost {:.2}.\n\n",
        loaded.source.escape_debug(),
        s.shifts.len(),
        s.paid_hours,
        s.cost
    );
    Ok(scenario::with_staffing(
        loaded,
        &scenario::Staffing::Shifts(shifts),
        &header,
    )?)
}
