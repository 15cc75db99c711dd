//! `callsim schedule` (issue #17, item 2): from the day-verified requirement to shifts. The
//! covering integer program ([`super::cover`]) chooses the least-cost roster of the
//! scenario's shift patterns that meets the requirement; a whole-day simulation of the roster
//! checks it; where an interval misses the target its requirement rises by one and the
//! program is solved again (the simulation and cutting-plane loop of Atlason, Epelman and
//! Henderson, 2004), until every interval meets the target.

use super::cover::{self, BreakRule, Column, CoverError, Pattern};
use super::staff::{interval_trials, whole_floor};
use super::{RunError, RunOptions, StaffTarget, Trial, staff_day};
use crate::model::{Arrivals, Break, Scenario, Shift, ShiftPattern};

/// Most rounds of solving and simulating.
pub const MAX_SCHEDULE_ROUNDS: u32 = 40;

/// Most columns (ways to work a pattern: start × break) the integer program takes: its
/// branch and bound must end in a time an analyst waits for.
pub const MAX_COLUMNS: usize = 5000;

/// A schedule and how it was found.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Interval length, seconds.
    pub interval_s: f64,
    /// The patterns, in intervals, as the integer program saw them.
    pub patterns: Vec<Pattern>,
    /// The roster: columns and their agents.
    pub shifts: Vec<(Column, u32)>,
    /// Its cost (the patterns' cost per hour × paid hours).
    pub cost: f64,
    /// Agent-hours of the roster, breaks included.
    pub paid_hours: f64,
    /// Agents required per interval: the day-verified staffing, raised where the roster
    /// missed.
    pub requirement: Vec<u32>,
    /// Agents on duty per interval in the roster.
    pub scheduled: Vec<u32>,
    /// Calls per second per interval.
    pub rates_per_s: Vec<f64>,
    /// The day simulation of the roster, per interval.
    pub trials: Vec<Trial>,
    /// Rounds of solving and simulating.
    pub rounds: u32,
    /// Whether every interval with calls meets the target.
    pub met: bool,
}

/// Why no schedule was made.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// The scenario cannot be scheduled as given (the message names the key).
    #[error("{0}")]
    Input(String),
    /// The covering program has no answer.
    #[error(transparent)]
    Cover(#[from] CoverError),
    /// A simulation failed.
    #[error(transparent)]
    Run(#[from] RunError),
}

/// The patterns in intervals of `interval_s`, for a day of `intervals` intervals.
fn in_intervals(patterns: &[ShiftPattern], interval_s: f64) -> Result<Vec<Pattern>, String> {
    let whole = |seconds: f64, key: String| {
        let n = seconds / interval_s;
        if (n - n.round()).abs() > 1e-9 {
            Err(format!(
                "{key}: {} is not a whole number of the profile's intervals ({})",
                crate::scenario::units::duration_text(seconds),
                crate::scenario::units::duration_text(interval_s)
            ))
        } else {
            Ok(n.round() as usize)
        }
    };
    patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let key = |k: &str| format!("scheduling.patterns[{i}].{k}");
            let starts = p
                .starts_s
                .iter()
                .map(|s| whole(*s, key("starts")))
                .collect::<Result<Vec<_>, _>>()?;
            let break_rule = match p.break_window {
                None => None,
                Some((length, earliest, latest)) => Some(BreakRule {
                    length: whole(length, key("breaks[0].length"))?,
                    earliest: whole(earliest, key("breaks[0].within"))?,
                    latest: whole(latest, key("breaks[0].within"))?,
                }),
            };
            Ok(Pattern {
                name: p.name.clone(),
                length: whole(p.length_s, key("length"))?,
                starts,
                break_rule,
                cost: p.cost_per_hour * p.length_s / 3600.0,
                min: p.min,
                max: p.max,
            })
        })
        .collect()
}

/// The shifts of a roster, on the run's clock.
pub fn roster_shifts(schedule: &Schedule) -> Vec<Shift> {
    let i = schedule.interval_s;
    schedule
        .shifts
        .iter()
        .map(|(c, n)| {
            let p = &schedule.patterns[c.pattern];
            Shift {
                // Unique per column: the pattern, its start and its break, in intervals.
                name: match c.break_at {
                    Some(b) => format!("{} {}/{b}", p.name, c.start),
                    None => format!("{} {}", p.name, c.start),
                },
                start_s: c.start as f64 * i,
                end_s: (c.start + p.length) as f64 * i,
                count: *n,
                breaks: match (c.break_at, p.break_rule) {
                    (Some(b), Some(rule)) => vec![Break {
                        start_s: b as f64 * i,
                        end_s: (b + rule.length) as f64 * i,
                    }],
                    _ => Vec::new(),
                },
            }
        })
        .collect()
}

/// `scenario` staffed by `shifts` (a head count for the whole floor), reported by interval.
fn roster_scenario(
    scenario: &Scenario,
    shifts: Vec<Shift>,
    interval_s: f64,
    threshold: f64,
) -> Scenario {
    let mut s = whole_floor(scenario, threshold);
    s.report_interval_s = interval_s;
    s.agents.count = shifts.iter().map(|x| x.count).sum::<u32>().max(1);
    s.agents.shifts = shifts;
    s
}

/// Schedules `scenario`'s day with its `[scheduling]` patterns for `target`.
pub fn schedule(
    scenario: &Scenario,
    target: &StaffTarget,
    options: &RunOptions,
) -> Result<Schedule, ScheduleError> {
    let Arrivals::Profile {
        interval_s,
        rates_per_s,
        daily: true,
        ..
    } = &scenario.arrivals
    else {
        return Err(ScheduleError::Input(
            "arrivals: schedule needs a daily profile (one rate per interval of the day)".into(),
        ));
    };
    if scenario.scheduling.is_empty() {
        return Err(ScheduleError::Input(
            "scheduling.patterns: missing: give the shift patterns in a [scheduling] table".into(),
        ));
    }
    let patterns = in_intervals(&scenario.scheduling, *interval_s).map_err(ScheduleError::Input)?;
    let columns = cover::columns(&patterns, rates_per_s.len()).len();
    if columns > MAX_COLUMNS {
        return Err(ScheduleError::Input(format!(
            "scheduling.patterns: {columns} ways to work the patterns (starts × break places): \
             allowed at most {MAX_COLUMNS}; give coarser starts (every) or narrower break windows"
        )));
    }
    let (periods, _) = staff_day(scenario, target, options, &|_, _| {})?;
    let mut requirement: Vec<u32> = periods
        .iter()
        .map(|p| p.staffed.map_or(p.searched_up_to, |t| t.agents))
        .collect();
    let intervals = requirement.len();
    let mut rounds = 0;
    loop {
        rounds += 1;
        let roster = cover::solve(&requirement, &patterns)?;
        let scheduled = roster.on_duty(&patterns, intervals);
        let mut schedule = Schedule {
            interval_s: *interval_s,
            paid_hours: roster
                .shifts
                .iter()
                .map(|(c, n)| {
                    f64::from(*n) * patterns[c.pattern].length as f64 * interval_s / 3600.0
                })
                .sum(),
            patterns: patterns.clone(),
            shifts: roster.shifts,
            cost: roster.cost,
            requirement: requirement.clone(),
            scheduled: scheduled.clone(),
            rates_per_s: rates_per_s.clone(),
            trials: Vec::new(),
            rounds,
            met: false,
        };
        let s = roster_scenario(
            scenario,
            roster_shifts(&schedule),
            *interval_s,
            target.within_s,
        );
        schedule.trials = interval_trials(&s, &scheduled, options)?;
        let missed: Vec<usize> = (0..intervals)
            .filter(|&i| {
                let t = &schedule.trials[i];
                rates_per_s[i] > 0.0 && !t.service_level.mean.is_nan() && !t.meets(target)
            })
            .collect();
        schedule.met = missed.is_empty();
        if schedule.met || rounds >= MAX_SCHEDULE_ROUNDS {
            return Ok(schedule);
        }
        // Cut: each interval that missed needs one more agent on duty than it had.
        for i in missed {
            requirement[i] = requirement[i].max(scheduled[i]) + 1;
        }
    }
}
