//! `callsim schedule`.

use super::ScheduleArgs;
use super::output::{Outputs, Plan};
use crate::Error;
use crate::experiment::{self, ScheduleError};
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
        .check()?;
    let loaded = scenario::load(Some(&args.scenario), &common.overrides)?;
    if args.scenario_out.is_some() {
        // The roster is a head count for the whole floor, like staff's plan.
        super::staff::writable_as_plan(&loaded.scenario)?;
    }
    let mut options = super::run::options(&loaded.scenario, common);
    super::run::one_process(options.replications, &loaded, common)?;
    super::run::fits(&loaded.source, &loaded.scenario, &options)?;
    options.details = false;
    let s = experiment::schedule(&loaded.scenario, &target, &options).map_err(|e| match e {
        ScheduleError::Input(m) => Error::Usage(format!("{}: {m}", loaded.source)),
        ScheduleError::Cover(c) => {
            Error::Usage(format!("{}: scheduling.patterns: {c}", loaded.source))
        }
        ScheduleError::Run(r) => super::run::run_error(&loaded.source)(r),
    })?;
    let clock = loaded.scenario.clock();
    let mut out = Outputs::default();
    out.file(common.output.json.as_ref(), || {
        report::schedule_json(&s, &target, clock)
    });
    if let Some(dir) = common.output.csv.as_ref() {
        let (shifts, intervals) = report::schedule_csv(&s, clock);
        out.push(dir.join("schedule.csv"), shifts);
        out.push(dir.join("schedule_intervals.csv"), intervals);
    }
    if let Some(path) = &args.scenario_out {
        out.push(path.clone(), roster_scenario(&loaded, &s)?.into_bytes());
    }
    out.finish(
        common.output.quiet,
        || report::schedule_table(&s, &target, options.replications, clock),
        [],
    )?;
    if !s.met {
        return Err(Error::Other(format!(
            "the roster still misses the target after {} rounds: loosen the target or give \
             more patterns",
            s.rounds
        )));
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
            let brk = x.breaks.first().map(|b| {
                (
                    clock.time_of_day(b.start_s),
                    scenario::units::duration_text(b.end_s - b.start_s),
                )
            });
            scenario::ShiftText {
                start: clock.time_of_day(x.start_s),
                end: clock.end_of_day_span(x.end_s),
                name: x.name,
                break_at: brk,
                count: x.count,
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
