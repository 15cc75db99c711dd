//! `callsim schedule` (issue #17, item 2): from the day-verified requirement to shifts. The
//! covering integer program ([`super::cover`]) chooses the least-cost roster of the
//! scenario's shift patterns that meets the requirement; a whole-day simulation of the roster
//! checks it; where an interval misses the target its requirement rises by one and the
//! program is solved again (the simulation and cutting-plane loop of Atlason, Epelman and
//! Henderson, 2004), until every interval meets the target.

use super::cover::{self, BreakRule, Column, CoverError, Pattern};
use super::staff::{erlang_c_requirement, whole_floor};
use super::staff_day::{interval_trials, interval_trials_from};
use super::{RunError, RunOptions, StaffTarget, Trial, staff, staff_day};
use crate::model::{Arrivals, Break, Scenario, Shift, ShiftPattern};
use crate::scenario::units::duration_text;

/// Most rounds of solving and simulating.
pub const MAX_SCHEDULE_ROUNDS: u32 = 40;

/// Most columns (ways to work a pattern: start × break) the integer program takes: its
/// branch and bound must end in a time an analyst waits for.
pub const MAX_COLUMNS: usize = 5000;

/// Where the requirement a roster covers comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleMethod {
    /// The day-verified staffing of `staff --method day`, then repaired by simulating the
    /// roster until every interval meets the target with confidence.
    Day,
    /// Stationary independent periods, covered once and not repaired (for comparison).
    Sipp,
    /// Erlang C per interval, covered once and not repaired (for comparison: what a
    /// spreadsheet or a workforce tool does).
    ErlangC,
}

/// A schedule and how it was found.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Where the requirement came from.
    pub method: ScheduleMethod,
    /// Interval length, seconds.
    pub interval_s: f64,
    /// Intervals in a day.
    pub per_day: usize,
    /// Days the profile covers (1 for a daily profile, whose roster repeats every day).
    pub days: usize,
    /// The patterns, in intervals, as the integer program saw them.
    pub patterns: Vec<Pattern>,
    /// The roster: columns and their agents.
    pub shifts: Vec<(Column, u32)>,
    /// Its cost (the patterns' cost per hour × paid hours).
    pub cost: f64,
    /// Agent-hours of the roster, breaks included.
    pub paid_hours: f64,
    /// Agents required per interval: the method's staffing, raised where the roster missed.
    pub requirement: Vec<u32>,
    /// Agents on duty per interval in the roster.
    pub scheduled: Vec<u32>,
    /// Calls per second per interval.
    pub rates_per_s: Vec<f64>,
    /// The day simulation of the roster on the search's replications, per interval.
    pub trials: Vec<Trial>,
    /// The same roster on as many replications again, numbered after the search's, which
    /// the search never saw: the out-of-sample check.
    pub check: Vec<Trial>,
    /// Replications of the search (and of the check).
    pub replications: u32,
    /// Rounds of solving and simulating.
    pub rounds: u32,
    /// Intervals with calls whose service level does not meet the target with confidence
    /// (the lower end of its 95 % interval) in the search's simulation; empty when met.
    pub missed: Vec<usize>,
}

impl Schedule {
    /// Whether every interval with calls meets the target with confidence.
    pub fn met(&self) -> bool {
        self.missed.is_empty()
    }

    /// Intervals with calls whose out-of-sample service level (the mean) misses the target.
    pub fn missed_out_of_sample(&self, target: &StaffTarget) -> Vec<usize> {
        missed(&self.check, &self.rates_per_s, |t| t.meets(target))
    }

    /// The interval with calls whose out-of-sample service level is lowest, and that level.
    pub fn worst_out_of_sample(&self) -> Option<(usize, f64)> {
        (0..self.check.len())
            .filter(|&i| self.rates_per_s[i] > 0.0 && !self.check[i].service_level.mean.is_nan())
            .map(|i| (i, self.check[i].service_level.mean))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// Intervals with calls (and a defined service level) that fail `meets`.
fn missed(trials: &[Trial], rates: &[f64], meets: impl Fn(&Trial) -> bool) -> Vec<usize> {
    (0..trials.len())
        .filter(|&i| {
            let t = &trials[i];
            rates[i] > 0.0 && !t.service_level.mean.is_nan() && !meets(t)
        })
        .collect()
}

/// Why no schedule was made.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// The scenario cannot be scheduled as given.
    #[error(transparent)]
    Input(#[from] ScheduleInput),
    /// The covering program has no answer.
    #[error(transparent)]
    Cover(#[from] CoverError),
    /// A simulation failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// No head count up to the search limit meets the target in these intervals.
    #[error("the target cannot be met in {} interval(s), even with {agents} agents", intervals.len())]
    Unmet {
        /// The intervals, counted from 0.
        intervals: Vec<usize>,
        /// The largest head count tried.
        agents: u32,
    },
}

/// Why a scenario cannot be scheduled as given; each message names the key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScheduleInput {
    /// Arrivals at a constant rate: there are no intervals to cover.
    #[error(
        "arrivals: schedule needs a profile (one rate per interval of the day, or a forecast of \
         several days)"
    )]
    NeedsProfile,
    /// The profile's interval does not divide a day, so shifts cannot repeat daily.
    #[error(
        "arrivals.profile.interval: {}: schedule needs an interval that divides a day (such as \
         15m, 30m or 1h)",
        duration_text(*interval_s)
    )]
    IntervalSplitsNoDay {
        /// The profile's interval, seconds.
        interval_s: f64,
    },
    /// No `[scheduling]` table.
    #[error("scheduling.patterns: missing: give the shift patterns in a [scheduling] table")]
    NoPatterns,
    /// A pattern's duration is not a whole number of the profile's intervals.
    #[error(
        "{key}: {} is not a whole number of the profile's intervals ({})",
        duration_text(*seconds),
        duration_text(*interval_s)
    )]
    NotWholeIntervals {
        /// The key, such as `scheduling.patterns[0].length`.
        key: String,
        /// The duration given, seconds.
        seconds: f64,
        /// The profile's interval, seconds.
        interval_s: f64,
    },
    /// A pattern names a day the profile does not have.
    #[error(
        "{key}: day {day}: allowed days 1 to {days}{}",
        if *days == 1 {
            " (a daily profile's roster repeats every day; days are for a forecast of several days)"
        } else {
            " (the forecast's days)"
        }
    )]
    DayOutside {
        /// The key, such as `scheduling.patterns[0].days`.
        key: String,
        /// The day given.
        day: u32,
        /// The profile's days.
        days: usize,
    },
    /// The patterns can be worked in too many ways for the integer program.
    #[error(
        "scheduling.patterns: {columns} ways to work the patterns (starts × break places): \
         allowed at most {MAX_COLUMNS}; give coarser starts (every) or narrower break windows"
    )]
    TooManyColumns {
        /// Ways to work the patterns.
        columns: usize,
    },
}

impl ScheduleInput {
    /// The scenario key the problem is about.
    pub fn key(&self) -> &str {
        match self {
            ScheduleInput::NeedsProfile => "arrivals",
            ScheduleInput::IntervalSplitsNoDay { .. } => "arrivals.profile.interval",
            ScheduleInput::NoPatterns | ScheduleInput::TooManyColumns { .. } => {
                "scheduling.patterns"
            }
            ScheduleInput::NotWholeIntervals { key, .. }
            | ScheduleInput::DayOutside { key, .. } => key,
        }
    }
}

/// The patterns in intervals of `interval_s` (`per_day` of them a day), their starts on each
/// of the profile's `days` that they may be worked.
fn in_intervals(
    patterns: &[ShiftPattern],
    interval_s: f64,
    per_day: usize,
    days: usize,
) -> Result<Vec<Pattern>, ScheduleError> {
    let whole = |seconds: f64, key: String| {
        let n = seconds / interval_s;
        if (n - n.round()).abs() > 1e-9 {
            Err(ScheduleInput::NotWholeIntervals {
                key,
                seconds,
                interval_s,
            })
        } else {
            Ok(n.round() as usize)
        }
    };
    patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let key = |k: &str| format!("scheduling.patterns[{i}].{k}");
            if let Some(d) = p.days.iter().find(|&&d| d as usize > days) {
                return Err(ScheduleInput::DayOutside {
                    key: key("days"),
                    day: *d,
                    days,
                }
                .into());
            }
            let in_day = p
                .starts_s
                .iter()
                .map(|s| whole(*s, key("starts")))
                .collect::<Result<Vec<_>, _>>()?;
            let starts = (0..days)
                .filter(|&d| p.days.is_empty() || p.days.contains(&(d as u32 + 1)))
                .flat_map(|d| in_day.iter().map(move |s| d * per_day + s))
                .collect();
            let breaks = p
                .breaks
                .iter()
                .enumerate()
                .map(|(k, &(length, earliest, latest))| {
                    let at = |what: &str| key(&format!("breaks[{k}].{what}"));
                    Ok(BreakRule {
                        length: whole(length, at("length"))?,
                        earliest: whole(earliest, at("within"))?,
                        latest: whole(latest, at("within"))?,
                    })
                })
                .collect::<Result<Vec<_>, ScheduleError>>()?;
            Ok(Pattern {
                name: p.name.clone(),
                length: whole(p.length_s, key("length"))?,
                starts,
                breaks,
                cost: p.cost_per_hour * p.length_s / 3600.0,
                min: p.min,
                max: p.max,
            })
        })
        .collect()
}

/// The shifts of a roster, on the run's clock.
pub fn roster_shifts(schedule: &Schedule) -> Vec<Shift> {
    roster_shifts_of(
        &schedule.patterns,
        &schedule.shifts,
        schedule.interval_s,
        schedule.per_day,
        schedule.days > 1,
    )
}

/// The shifts of `columns` of `patterns` with intervals of `i` seconds, `per_day` a day. Over
/// several days (`week`) each shift names its days, and the same shift worked by the same
/// agents on several days is one shift.
fn roster_shifts_of(
    patterns: &[Pattern],
    columns: &[(Column, u32)],
    i: f64,
    per_day: usize,
    week: bool,
) -> Vec<Shift> {
    let mut out: Vec<Shift> = Vec::new();
    for (c, n) in columns {
        let p = &patterns[c.pattern];
        let day = if week { c.start / per_day } else { 0 };
        let first = day * per_day;
        let start = c.start - first;
        // Unique per way of working a day: the pattern, its start and its breaks, in intervals.
        let name = c
            .breaks(p)
            .fold(format!("{} {start}", p.name), |name, (b, _)| {
                format!("{name}/{}", b - first)
            });
        let shift = Shift {
            name,
            start_s: start as f64 * i,
            end_s: (start + p.length) as f64 * i,
            count: *n,
            breaks: c
                .breaks(p)
                .map(|(b, length)| Break {
                    start_s: (b - first) as f64 * i,
                    end_s: (b - first + length) as f64 * i,
                })
                .collect(),
            days: if week {
                vec![day as u32 + 1]
            } else {
                Vec::new()
            },
        };
        let same = |x: &Shift| {
            x.name == shift.name && x.count == shift.count && x.days.last() < shift.days.first()
        };
        match out.iter_mut().find(|x| same(x)) {
            Some(x) => x.days.extend(&shift.days),
            None => out.push(shift),
        }
    }
    // The same way of working with different agents on different days: their days (never
    // shared) keep the names unique.
    let names: Vec<String> = out.iter().map(|x| x.name.clone()).collect();
    for x in &mut out {
        if names.iter().filter(|n| **n == x.name).count() > 1 {
            let days: Vec<String> = x.days.iter().map(|d| format!("d{d}")).collect();
            x.name = format!("{} {}", x.name, days.join(","));
        }
    }
    out
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

/// The requirement of `method` per interval.
fn requirement_of(
    scenario: &Scenario,
    rates: &[f64],
    target: &StaffTarget,
    options: &RunOptions,
    method: ScheduleMethod,
) -> Result<Vec<u32>, ScheduleError> {
    let periods = match method {
        ScheduleMethod::Day => staff_day(scenario, target, options, &|_, _| {})?.0,
        ScheduleMethod::Sipp => staff(scenario, target, options, &|_, _| {})?,
        ScheduleMethod::ErlangC => {
            let found = erlang_c_requirement(scenario, target);
            let unmet: Vec<usize> = (0..found.len())
                .filter(|&i| found[i].is_none() && rates[i] > 0.0)
                .collect();
            if !unmet.is_empty() {
                return Err(ScheduleError::Unmet {
                    intervals: unmet,
                    agents: crate::scenario::MAX_AGENTS as u32,
                });
            }
            return Ok(found.into_iter().map(|n| n.unwrap_or(0)).collect());
        }
    };
    let unmet: Vec<usize> = (0..periods.len())
        .filter(|&i| periods[i].rate_per_s > 0.0 && periods[i].staffed.is_none())
        .collect();
    if !unmet.is_empty() {
        return Err(ScheduleError::Unmet {
            agents: unmet
                .iter()
                .map(|&i| periods[i].searched_up_to)
                .max()
                .unwrap_or(0),
            intervals: unmet,
        });
    }
    Ok(periods
        .iter()
        .map(|p| p.staffed.map_or(0, |t| t.agents))
        .collect())
}

/// Schedules `scenario`'s day with its `[scheduling]` patterns for `target`, covering the
/// requirement of `method`.
pub fn schedule(
    scenario: &Scenario,
    target: &StaffTarget,
    options: &RunOptions,
    method: ScheduleMethod,
) -> Result<Schedule, ScheduleError> {
    let Arrivals::Profile {
        interval_s,
        rates_per_s,
        daily,
        ..
    } = &scenario.arrivals
    else {
        return Err(ScheduleInput::NeedsProfile.into());
    };
    if !crate::model::Plan::fits_a_day(*interval_s) {
        return Err(ScheduleInput::IntervalSplitsNoDay {
            interval_s: *interval_s,
        }
        .into());
    }
    let per_day = (crate::model::DAY_S / interval_s).round() as usize;
    let days = if *daily {
        1
    } else {
        rates_per_s.len().div_ceil(per_day)
    };
    if scenario.scheduling.is_empty() {
        return Err(ScheduleInput::NoPatterns.into());
    }
    let patterns = in_intervals(&scenario.scheduling, *interval_s, per_day, days)?;
    let columns = cover::columns(&patterns, rates_per_s.len());
    if columns.len() > MAX_COLUMNS {
        return Err(ScheduleInput::TooManyColumns {
            columns: columns.len(),
        }
        .into());
    }
    // Before any simulation: an interval with calls that no pattern covers.
    let calls: Vec<u32> = rates_per_s.iter().map(|&r| u32::from(r > 0.0)).collect();
    cover::coverable(&calls, &patterns, &columns)?;
    let mut requirement = requirement_of(scenario, rates_per_s, target, options, method)?;
    let intervals = requirement.len();
    let mut rounds = 0;
    loop {
        rounds += 1;
        let roster = cover::solve(&requirement, &patterns)?;
        let scheduled = roster.on_duty(&patterns, intervals);
        let shifts = roster_shifts_of(&patterns, &roster.shifts, *interval_s, per_day, days > 1);
        let s = roster_scenario(scenario, shifts, *interval_s, target.within_s);
        let trials = interval_trials(&s, &scheduled, options)?;
        let missed = missed(&trials, rates_per_s, |t| t.surely_meets(target));
        if missed.is_empty() || method != ScheduleMethod::Day || rounds >= MAX_SCHEDULE_ROUNDS {
            let check = interval_trials_from(&s, &scheduled, options, options.replications)?;
            return Ok(Schedule {
                method,
                interval_s: *interval_s,
                per_day,
                days,
                paid_hours: roster
                    .shifts
                    .iter()
                    .map(|(c, n)| {
                        f64::from(*n) * patterns[c.pattern].length as f64 * interval_s / 3600.0
                    })
                    .sum(),
                patterns,
                shifts: roster.shifts,
                cost: roster.cost,
                requirement,
                scheduled,
                rates_per_s: rates_per_s.clone(),
                trials,
                check,
                replications: options.replications,
                rounds,
                missed,
            });
        }
        // Cut: each interval that missed needs one more agent on duty than it had.
        for i in missed {
            requirement[i] = requirement[i].max(scheduled[i]) + 1;
        }
    }
}
