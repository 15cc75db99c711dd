//! Checks of times: `opens`, times of day (shifts, breaks, back-office hours) and moments of
//! the run (outages, absences, the outbound start), written as clock text or as durations.
//!
//! Validation turns every one of them into seconds of the run's own clock, whose day starts at
//! `opens`; the engine never sees the time of day.

use super::error::ScenarioError;
use super::units::When;
use super::validate::Checker;
use crate::model::{DAY_S, time_of_day_text};

impl Checker<'_> {
    /// Clock text as seconds after midnight: hours 0 to 24 (24 only as `24:00`), minutes and
    /// seconds 0 to 59; `day` says whether `d2` may be written.
    fn clock_seconds(
        &self,
        key: &str,
        when: When,
        day_allowed: bool,
    ) -> Result<(Option<u64>, f64), ScenarioError> {
        let When::Clock {
            day,
            hours,
            minutes,
            seconds,
        } = when
        else {
            unreachable!("only clock text comes here")
        };
        if day.is_some() && !day_allowed {
            return Err(self.err(
                key,
                "a time of day takes no day (it repeats every day): write it like \"09:00\"",
            ));
        }
        if day == Some(0) {
            return Err(self.err(key, "d0: days count from d1, the day the run opens"));
        }
        let in_range = minutes < 60
            && seconds < 60
            && (hours < 24 || (hours == 24 && minutes == 0 && seconds == 0));
        if !in_range {
            return Err(self.err(
                key,
                format!(
                    "{hours:02}:{minutes:02}:{seconds:02} is no time of day: allowed 00:00 to \
                     23:59:59 (and 24:00 for midnight at the end of a day)"
                ),
            ));
        }
        Ok((day, (hours * 3600 + minutes * 60 + seconds) as f64))
    }

    /// `opens`: the time of day at simulated time 0, in `[0, 24 h)`.
    pub(super) fn opens(&self, raw: Option<When>) -> Result<f64, ScenarioError> {
        let seconds = match raw {
            None => return Ok(0.0),
            Some(When::Offset(s)) => s,
            Some(w) => self.clock_seconds("opens", w, false)?.1,
        };
        if !(0.0..DAY_S).contains(&seconds) {
            return Err(self.err(
                "opens",
                format!(
                    "{}: allowed a time of day from \"00:00\" to before \"24:00\"",
                    time_of_day_text(seconds.max(0.0))
                ),
            ));
        }
        Ok(seconds)
    }

    /// A time of day as seconds after midnight. A duration counts from midnight (`"8h"` is
    /// 08:00), as before the clock existed; it must be >= 0 (ranges are the caller's).
    pub(super) fn time_of_day(&self, key: &str, when: When) -> Result<f64, ScenarioError> {
        match when {
            When::Offset(s) => self.duration(key, super::units::Seconds(s), false),
            w => Ok(self.clock_seconds(key, w, false)?.1),
        }
    }

    /// A moment of the run as seconds from its start. A duration counts from the start, as
    /// before the clock existed; clock text is day 1 unless it names one (`"d2 09:00"`), and
    /// may not fall before the opening.
    pub(super) fn moment(
        &self,
        key: &str,
        when: When,
        positive: bool,
    ) -> Result<f64, ScenarioError> {
        match when {
            When::Offset(s) => self.duration(key, super::units::Seconds(s), positive),
            w => {
                let (day, tod) = self.clock_seconds(key, w, true)?;
                let day = day.unwrap_or(1);
                let t = (day - 1) as f64 * DAY_S + tod - self.opens_s;
                if t < 0.0 || (positive && t == 0.0) {
                    return Err(self.err(
                        key,
                        format!(
                            "d{day} {} is {} the run opens (d1 {}): write a later day, \
                             like \"d{} {}\"",
                            time_of_day_text(tod),
                            if t < 0.0 { "before" } else { "when" },
                            time_of_day_text(self.opens_s),
                            day + 1,
                            time_of_day_text(tod)
                        ),
                    ));
                }
                if t > super::validate::MAX_HORIZON_S {
                    return Err(self.err(key, "day out of range: allowed at most 10 years"));
                }
                Ok(t)
            }
        }
    }

    /// Seconds after midnight as clock text for a message.
    pub(super) fn clock_text(&self, seconds_after_midnight: f64) -> String {
        if seconds_after_midnight >= DAY_S {
            format!(
                "{} the next day",
                time_of_day_text(seconds_after_midnight - DAY_S)
            )
        } else {
            time_of_day_text(seconds_after_midnight)
        }
    }

    /// Moves a time after midnight onto the run's daily clock (seconds after `opens`), by the
    /// same amount for every time of one pattern so that its lengths stay as written.
    pub(super) fn run_clock_shift(&self, start_after_midnight: f64) -> f64 {
        (start_after_midnight - self.opens_s).rem_euclid(DAY_S) - start_after_midnight
    }
}

/// The last day of the run a shift or pattern may name.
pub const MAX_DAY: i64 = 3660;

impl Checker<'_> {
    /// `days = [1, 2, 3]`: days of the run (from 1, as in `"d2 09:00"`), each once and in
    /// order; absent means every day.
    pub(super) fn days(&self, key: &str, raw: Option<&[i64]>) -> Result<Vec<u32>, ScenarioError> {
        let Some(days) = raw else {
            return Ok(Vec::new());
        };
        if days.is_empty()
            || days.iter().any(|d| !(1..=MAX_DAY).contains(d))
            || days.windows(2).any(|w| w[0] >= w[1])
        {
            return Err(self.err(
                key,
                format!(
                    "{days:?}: allowed days of the run from 1 to {MAX_DAY}, each once and in \
                     order (1 is the first day; leave the key out for every day)"
                ),
            ));
        }
        Ok(days.iter().map(|&d| d as u32).collect())
    }

    /// `[scheduling]`: shift patterns with their starts on the run's clock.
    pub(super) fn scheduling(
        &self,
        raw: &super::raw::RawScheduling,
    ) -> Result<Vec<crate::model::ShiftPattern>, ScenarioError> {
        if raw.patterns.is_empty() {
            return Err(self.err("scheduling.patterns", "list at least one shift pattern"));
        }
        let mut out = Vec::with_capacity(raw.patterns.len());
        for (i, p) in raw.patterns.iter().enumerate() {
            let key = format!("scheduling.patterns[{i}]");
            let length = self.duration(&format!("{key}.length"), p.length, true)?;
            if !(60.0..=DAY_S).contains(&length) {
                return Err(self.err(
                    format!("{key}.length"),
                    format!("{length} s: allowed 1 minute to 24 hours"),
                ));
            }
            let from = self.time_of_day(&format!("{key}.starts.from"), p.starts.from)?;
            let to = self.time_of_day(&format!("{key}.starts.to"), p.starts.to)?;
            let to = if to < from { to + DAY_S } else { to };
            let every = self.duration(&format!("{key}.starts.every"), p.starts.every, true)?;
            if from >= DAY_S || to - from >= DAY_S || (to - from) / every > 10_000.0 {
                return Err(self.err(
                    format!("{key}.starts"),
                    "allowed times of day from and to (at most a day apart) and a step that \
                     gives at most 10,000 starts",
                ));
            }
            let shift = self.run_clock_shift(from);
            let steps = ((to - from) / every + 1e-9).floor() as usize;
            let starts_s: Vec<f64> = (0..=steps)
                .map(|k| (from + k as f64 * every + shift).rem_euclid(DAY_S))
                .collect();
            if p.breaks.len() > crate::experiment::cover::MAX_BREAKS {
                return Err(self.err(
                    format!("{key}.breaks"),
                    format!(
                        "{} breaks: allowed at most {}",
                        p.breaks.len(),
                        crate::experiment::cover::MAX_BREAKS
                    ),
                ));
            }
            let mut breaks = Vec::with_capacity(p.breaks.len());
            // Where the breaks so far end at the earliest: each must fit after the last.
            let mut free = 0.0;
            for (k, b) in p.breaks.iter().enumerate() {
                let bkey = format!("{key}.breaks[{k}]");
                let blen = self.duration(&format!("{bkey}.length"), b.length, true)?;
                let [earliest, latest] = b.within.as_slice() else {
                    return Err(self.err(
                        format!("{bkey}.within"),
                        "allowed [earliest, latest], both after the shift's start",
                    ));
                };
                let (e, l) = (earliest.0, latest.0);
                let first = f64::max(e, free);
                if !(e >= 0.0 && l >= e && l >= first && l + blen <= length) {
                    return Err(self.err(
                        format!("{bkey}.within"),
                        format!(
                            "a break of {} from {} to {} after the start does not fit a \
                             shift of {}{}: allowed earliest <= latest, and the break within \
                             the shift",
                            super::units::duration_text(blen),
                            super::units::duration_text(e.max(0.0)),
                            super::units::duration_text(l.max(0.0)),
                            super::units::duration_text(length),
                            if k > 0 {
                                format!(
                                    " after the break before it (which ends {} after the \
                                     start at the earliest)",
                                    super::units::duration_text(free)
                                )
                            } else {
                                String::new()
                            }
                        ),
                    ));
                }
                free = first + blen;
                breaks.push((blen, e, l));
            }
            let cost_per_hour = p.cost_per_hour.unwrap_or(1.0);
            if !(cost_per_hour >= 0.0 && cost_per_hour.is_finite() && cost_per_hour <= 1e9) {
                return Err(self.err(
                    format!("{key}.cost_per_hour"),
                    format!("{cost_per_hour}: allowed a cost >= 0"),
                ));
            }
            let max_agents = super::validate::MAX_AGENTS;
            let min = p.min.unwrap_or(0);
            let max = p.max.unwrap_or(max_agents);
            if !(0..=max_agents).contains(&min) || !(min..=max_agents).contains(&max) {
                return Err(self.err(
                    format!("{key}.max"),
                    format!("min {min} and max {max}: allowed 0 <= min <= max <= {max_agents}"),
                ));
            }
            let days = self.days(&format!("{key}.days"), p.days.as_deref())?;
            out.push(crate::model::ShiftPattern {
                days,
                name: p
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("pattern {}", i + 1)),
                length_s: length,
                starts_s,
                breaks,
                cost_per_hour,
                min: min as u32,
                max: max as u32,
            });
        }
        self.unique_names(
            "scheduling.patterns",
            out.iter().map(|p| p.name.as_str()),
            false,
        )?;
        Ok(out)
    }
}
