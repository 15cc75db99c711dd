//! Shifts, breaks and absences, and what happens to an absent agent's promises (DESIGN.md
//! section 2: Agents; Follow-ups).

use super::DAY_S;

/// One shift pattern, worked every day by its own agents.
///
/// Times are seconds from midnight. A shift may run past midnight: a night shift from 22:00 to
/// 06:00 has `start_s` = 22 h and `end_s` = 30 h. At most 24 hours long.
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    /// Display name.
    pub name: String,
    /// Log-in time of day, in `[0, 24 h)`.
    pub start_s: f64,
    /// Log-out time, after `start_s` and at most 24 h later.
    pub end_s: f64,
    /// Agents who work this shift.
    pub count: u32,
    /// Breaks, in order, inside the shift and not overlapping.
    pub breaks: Vec<Break>,
    /// The days of the run it is worked, from 1 (a week's roster); empty: every day.
    pub days: Vec<u32>,
}

/// A break inside a shift, on the shift's clock (so past 24 h for the night part of a night
/// shift).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    /// Start, seconds from the shift day's midnight.
    pub start_s: f64,
    /// End, seconds from the shift day's midnight.
    pub end_s: f64,
}

/// A staffing plan: how many agents are logged in in each interval of the day, repeating
/// daily from the opening. Agents are people: when the count rises, those logged out longest
/// log in; when it falls, those logged in longest log out after the task in hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Length of one interval, seconds; divides a day.
    pub interval_s: f64,
    /// Agents logged in per interval from the opening; none after the last until the next day.
    pub counts: Vec<u32>,
    /// Whether the counts repeat every day; if not, they run once from the start of the run
    /// (a plan for a forecast of several days) and nobody is on after the last.
    pub daily: bool,
}

impl Plan {
    /// Whether a plan can have intervals of `interval_s`: from a minute to a day, a whole
    /// number of them in a day (the plan repeats daily).
    pub fn fits_a_day(interval_s: f64) -> bool {
        let per_day = DAY_S / interval_s;
        (60.0..=DAY_S).contains(&interval_s) && (per_day - per_day.round()).abs() <= 1e-9
    }

    /// The steps of one day: each interval's count, and a closing step of 0 when the plan ends
    /// before the day does. Step `i` starts `i × interval` after the day's opening.
    pub fn steps(&self) -> impl Iterator<Item = u32> + '_ {
        let closes = !self.daily || (self.counts.len() as f64 * self.interval_s) < DAY_S - 1e-6;
        self.counts.iter().copied().chain(closes.then_some(0))
    }

    /// Stretches of the day (seconds from the opening, merged) when the plan has nobody on;
    /// none for a plan that does not repeat daily (its closed hours differ from day to day).
    pub fn closed(&self) -> Vec<(f64, f64)> {
        let mut out: Vec<(f64, f64)> = Vec::new();
        if !self.daily {
            return out;
        }
        let steps: Vec<u32> = self.steps().collect();
        for (i, &n) in steps.iter().enumerate() {
            if n > 0 {
                continue;
            }
            let from = i as f64 * self.interval_s;
            let to = if i + 1 == steps.len() {
                DAY_S
            } else {
                (i + 1) as f64 * self.interval_s
            };
            match out.last_mut() {
                Some(last) if last.1 == from => last.1 = to,
                _ => out.push((from, to)),
            }
        }
        out
    }
}

/// A shift pattern `callsim schedule` may use (`[scheduling]`): times on the run's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftPattern {
    /// Display name.
    pub name: String,
    /// Length of the shift, break included, seconds.
    pub length_s: f64,
    /// The times it may start, seconds after the opening, in order.
    pub starts_s: Vec<f64>,
    /// Its breaks in order: length, earliest and latest start after the shift's start,
    /// seconds.
    pub breaks: Vec<(f64, f64, f64)>,
    /// Cost of one agent for one hour of the shift.
    pub cost_per_hour: f64,
    /// Fewest agents on the pattern.
    pub min: u32,
    /// Most agents on the pattern.
    pub max: u32,
    /// Days of the run it may be worked, from 1; empty: every day.
    pub days: Vec<u32>,
}

/// One agent on leave for a stretch of the run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Absence {
    /// The agent, numbered in roster order from 0 (the first shift's agents first).
    pub agent: u32,
    /// Start of the leave, seconds from the start of the run.
    pub from_s: f64,
    /// End of the leave.
    pub to_s: f64,
}

/// What happens to the open follow-ups of an agent who goes on leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Handover {
    /// They wait for the owner's return; the customers keep calling to ask.
    #[default]
    None,
    /// They go to the present colleague with the fewest open follow-ups.
    Colleague,
    /// They go to a shared pool that any free agent works.
    Pool,
}

/// A moment of the day when a shift's agents log in or out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DutyChange {
    /// Seconds from midnight, in `[0, 24 h)`.
    pub time_of_day_s: f64,
    /// Days after the shift's start that it falls (1 for the morning end of a night shift).
    pub day_offset: u32,
    /// Index of the shift.
    pub shift: usize,
    /// Log in (`true`) or out.
    pub on: bool,
}

impl Shift {
    /// The stretches on duty (the shift with its breaks cut out), on the shift's clock.
    pub fn stretches(&self) -> Vec<(f64, f64)> {
        let mut out = Vec::with_capacity(self.breaks.len() + 1);
        let mut from = self.start_s;
        for b in &self.breaks {
            if b.start_s > from {
                out.push((from, b.start_s));
            }
            from = b.end_s;
        }
        if self.end_s > from {
            out.push((from, self.end_s));
        }
        out
    }

    /// Whether the shift is worked on day `day` of the run (from 1).
    pub fn works_on(&self, day: u32) -> bool {
        self.days.is_empty() || self.days.contains(&day)
    }

    /// Whether the shift's agents are on duty at `time_of_day_s` (in `[0, 24 h)`), counting
    /// the night part of yesterday's shift.
    pub fn on_duty_at(&self, time_of_day_s: f64) -> bool {
        self.stretches().iter().any(|&(a, b)| {
            (a <= time_of_day_s && time_of_day_s < b)
                || (a <= time_of_day_s + DAY_S && time_of_day_s + DAY_S < b)
        })
    }

    /// Whether the shift's agents are on duty at the start of the run: its first day's part
    /// if it works the first day, and the night part of yesterday's shift only if it is
    /// worked every day.
    pub fn on_duty_at_start(&self) -> bool {
        if self.days.is_empty() {
            return self.on_duty_at(0.0);
        }
        self.works_on(1) && self.stretches().iter().any(|&(a, b)| a <= 0.0 && 0.0 < b)
    }

    /// The log-ins and log-outs of one day, by time of day. A log-out and a log-in at the same
    /// moment cancel (a 24-hour shift never logs out), so agents keep their place in the idle
    /// line; not for a shift worked on some days only, whose next day may be off.
    pub fn changes(&self, shift: usize) -> Vec<DutyChange> {
        let mut changes: Vec<DutyChange> = Vec::new();
        for (a, b) in self.stretches() {
            for (t, on) in [(a, true), (b, false)] {
                let time_of_day_s = t.rem_euclid(DAY_S);
                if let Some(i) = changes.iter().position(|c| {
                    self.days.is_empty() && c.time_of_day_s == time_of_day_s && c.on != on
                }) {
                    changes.swap_remove(i);
                } else {
                    changes.push(DutyChange {
                        time_of_day_s,
                        day_offset: (t / DAY_S).floor().max(0.0) as u32,
                        shift,
                        on,
                    });
                }
            }
        }
        changes
    }
}

/// Every shift's log-ins and log-outs of one day, in time order (log-outs first at equal
/// times, then by shift).
pub fn timetable(shifts: &[Shift]) -> Vec<DutyChange> {
    let mut all: Vec<DutyChange> = shifts
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.changes(i))
        .collect();
    all.sort_by(|a, b| {
        a.time_of_day_s
            .total_cmp(&b.time_of_day_s)
            .then(a.on.cmp(&b.on))
            .then(a.shift.cmp(&b.shift))
    });
    all
}

/// Stretches of the day (seconds from midnight, merged) when no shift is on duty.
pub fn uncovered(shifts: &[Shift]) -> Vec<(f64, f64)> {
    // Mark every stretch on a one-day circle, split at midnight.
    let mut covered: Vec<(f64, f64)> = Vec::new();
    for s in shifts.iter().filter(|s| s.count > 0) {
        for (a, b) in s.stretches() {
            let (a, b) = (a.rem_euclid(DAY_S), a.rem_euclid(DAY_S) + (b - a));
            if b > DAY_S {
                covered.push((a, DAY_S));
                covered.push((0.0, b - DAY_S));
            } else {
                covered.push((a, b));
            }
        }
    }
    covered.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut gaps = Vec::new();
    let mut reached = 0.0;
    for (a, b) in covered {
        if a > reached {
            gaps.push((reached, a));
        }
        reached = f64::max(reached, b);
    }
    if reached < DAY_S {
        gaps.push((reached, DAY_S));
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: f64 = 3600.0;

    fn shift(start: f64, end: f64, breaks: &[(f64, f64)]) -> Shift {
        Shift {
            name: "s".into(),
            start_s: start * H,
            end_s: end * H,
            count: 1,
            breaks: breaks
                .iter()
                .map(|&(a, b)| Break {
                    start_s: a * H,
                    end_s: b * H,
                })
                .collect(),
            days: Vec::new(),
        }
    }

    #[test]
    fn breaks_cut_the_shift_into_stretches() {
        let s = shift(8.0, 16.0, &[(12.0, 12.5)]);
        assert_eq!(
            s.stretches(),
            vec![(8.0 * H, 12.0 * H), (12.5 * H, 16.0 * H)]
        );
        assert!(s.on_duty_at(8.0 * H) && !s.on_duty_at(12.0 * H) && !s.on_duty_at(16.0 * H));
        assert_eq!(s.changes(0).len(), 4);
    }

    #[test]
    fn a_night_shift_covers_the_early_morning() {
        let s = shift(22.0, 30.0, &[]);
        assert!(s.on_duty_at(2.0 * H) && s.on_duty_at(23.0 * H) && !s.on_duty_at(6.0 * H));
        let c = s.changes(0);
        assert!(c.contains(&DutyChange {
            time_of_day_s: 6.0 * H,
            day_offset: 1,
            shift: 0,
            on: false
        }));
    }

    #[test]
    fn a_whole_day_shift_never_logs_out() {
        let s = shift(0.0, 24.0, &[]);
        assert!(s.changes(0).is_empty());
        assert!(s.on_duty_at(0.0));
        assert!(uncovered(&[s]).is_empty());
    }

    #[test]
    fn gaps_are_the_hours_nobody_works() {
        // The late shift starts half an hour into the early shift's break.
        let gaps = uncovered(&[shift(8.0, 16.0, &[(12.0, 13.0)]), shift(12.5, 20.0, &[])]);
        assert_eq!(
            gaps,
            vec![(0.0, 8.0 * H), (12.0 * H, 12.5 * H), (20.0 * H, 24.0 * H)]
        );
        let night = uncovered(&[shift(22.0, 30.0, &[])]);
        assert_eq!(night, vec![(6.0 * H, 22.0 * H)]);
    }
}
