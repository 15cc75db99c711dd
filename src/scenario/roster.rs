//! Checks of `[agents]` count, shifts, breaks, absences and handover.

use super::error::ScenarioError;
use super::raw::{RawAbsence, RawAgents, RawCaller, RawPlan, RawShift, RawSkills};
use super::units::When;
use super::validate::{Checker, MAX_AGENTS};
use crate::model::{Absence, Break, CallerClass, DAY_S, Handover, Misroute, Plan, Shift};

/// The agents of the scenario: how many, their shifts, absences and handover.
pub(super) struct Roster {
    pub count: u32,
    pub shifts: Vec<Shift>,
    pub plan: Option<Plan>,
    pub absences: Vec<Absence>,
    pub handover: Handover,
    pub departments: Vec<String>,
    pub skills: Vec<Vec<u8>>,
}

/// Most departments (they index a bit set of skills).
const MAX_DEPARTMENTS: usize = 64;

impl Checker<'_> {
    /// `agents.count`, `agents.shifts` or `agents.plan` (exactly one), then absences and
    /// handover.
    pub(super) fn roster(&self, raw: &RawAgents, horizon: f64) -> Result<Roster, ScenarioError> {
        let given = [
            raw.count.is_some(),
            !raw.shifts.is_empty(),
            raw.plan.is_some(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            return Err(self.err(
                if raw.plan.is_some() {
                    "agents.plan"
                } else {
                    "agents.shifts"
                },
                "give one of agents.count (everyone on duty all the time), agents.shifts and \
                 agents.plan (agents logged in per interval)",
            ));
        }
        let plan = raw.plan.as_ref().map(|p| self.plan(p)).transpose()?;
        let (count, shifts) = match (raw.count, raw.shifts.is_empty()) {
            (None, true) if plan.is_some() => {
                let most = plan.iter().flat_map(|p| p.counts.iter()).copied().max();
                (most.unwrap_or(0), Vec::new())
            }
            (Some(_), false) => {
                return Err(self.err(
                    "agents.shifts",
                    "give agents.count (everyone on duty all the time) or agents.shifts, not both",
                ));
            }
            (None, true) => {
                return Err(self.err(
                    "agents.count",
                    "missing: give agents.count, agents.shifts = [{ start, end, count }] or \
                     agents.plan = { interval, counts }",
                ));
            }
            (Some(n), true) => {
                if !(1..=MAX_AGENTS).contains(&n) {
                    return Err(self.err("agents.count", format!("{n}: allowed 1 to {MAX_AGENTS}")));
                }
                (n as u32, Vec::new())
            }
            (None, false) => {
                let shifts = raw
                    .shifts
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.shift(i, s))
                    .collect::<Result<Vec<_>, _>>()?;
                let total: i64 = shifts.iter().map(|s| i64::from(s.count)).sum();
                if total > MAX_AGENTS {
                    return Err(self.err(
                        "agents.shifts",
                        format!("{total} agents in all: allowed at most {MAX_AGENTS}"),
                    ));
                }
                self.unique_names(
                    "agents.shifts",
                    shifts.iter().map(|s| s.name.as_str()),
                    false,
                )?;
                (total as u32, shifts)
            }
        };
        let absences = self.absences(&raw.absences, count, horizon)?;
        let handover = match raw.handover.as_deref() {
            None | Some("none") => Handover::None,
            Some("colleague") => Handover::Colleague,
            Some("pool") => Handover::Pool,
            Some(other) => {
                return Err(self.err(
                    "agents.handover",
                    format!("{other:?}: allowed \"none\", \"colleague\" or \"pool\""),
                ));
            }
        };
        let (departments, skills) = self.skills(&raw.skills, count)?;
        Ok(Roster {
            count,
            shifts,
            plan,
            absences,
            handover,
            departments,
            skills,
        })
    }

    /// `agents.skills`: groups of agents in roster order and the departments they serve.
    fn skills(
        &self,
        raw: &[RawSkills],
        agents: u32,
    ) -> Result<(Vec<String>, Vec<Vec<u8>>), ScenarioError> {
        if raw.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let mut departments: Vec<String> = Vec::new();
        let mut skills = Vec::with_capacity(agents as usize);
        for (i, group) in raw.iter().enumerate() {
            let key = format!("agents.skills[{i}]");
            // Checked against the head count before the group is expanded into agents, so
            // that a file of many huge groups cannot exhaust memory (issue #15).
            let room = i64::from(agents) - skills.len() as i64;
            if !(1..=room).contains(&group.agents) {
                return Err(self.err(
                    format!("{key}.agents"),
                    format!(
                        "{}: allowed 1 to {room} (the groups together hold every agent, \
                         {agents}, and the groups before this one hold {})",
                        group.agents,
                        skills.len()
                    ),
                ));
            }
            if group.departments.is_empty() {
                return Err(self.err(
                    format!("{key}.departments"),
                    "empty: list the departments these agents serve, first served first",
                ));
            }
            let mut order = Vec::with_capacity(group.departments.len());
            for (j, name) in group.departments.iter().enumerate() {
                self.name(&format!("{key}.departments[{j}]"), name, false)?;
                let d = match departments.iter().position(|n| n == name) {
                    Some(d) => d,
                    None if departments.len() < MAX_DEPARTMENTS => {
                        departments.push(name.clone());
                        departments.len() - 1
                    }
                    None => {
                        return Err(self.err(
                            format!("{key}.departments"),
                            format!("more than {MAX_DEPARTMENTS} departments"),
                        ));
                    }
                };
                if order.contains(&(d as u8)) {
                    return Err(self.err(
                        format!("{key}.departments"),
                        format!("{name:?} is listed twice"),
                    ));
                }
                order.push(d as u8);
            }
            for _ in 0..group.agents {
                skills.push(order.clone());
            }
        }
        if skills.len() != agents as usize {
            return Err(self.err(
                "agents.skills",
                format!(
                    "the groups hold {} agents; they must hold every agent ({agents})",
                    skills.len()
                ),
            ));
        }
        Ok((departments, skills))
    }

    /// Each caller class's `department` and `misroute`, against the departments of
    /// `agents.skills`.
    pub(super) fn departments(
        &self,
        raw: &[RawCaller],
        callers: &mut [CallerClass],
        roster: &Roster,
    ) -> Result<(), ScenarioError> {
        for (i, (r, class)) in raw.iter().zip(callers.iter_mut()).enumerate() {
            let key = format!("callers[{i}]");
            if let Some(name) = &r.department {
                let Some(d) = roster.departments.iter().position(|n| n == name) else {
                    return Err(self.err(
                        format!("{key}.department"),
                        if roster.departments.is_empty() {
                            format!(
                                "{name:?}: departments come from agents.skills, and there are none"
                            )
                        } else {
                            format!(
                                "{name:?} is not a department of agents.skills: allowed {}",
                                roster.departments.join(", ")
                            )
                        },
                    ));
                };
                class.department = d as u8;
            }
            if let Some(m) = &r.misroute {
                if roster.departments.len() < 2 {
                    return Err(self.err(
                        format!("{key}.misroute"),
                        "a call can only go to a wrong department if agents.skills names two or more",
                    ));
                }
                class.misroute = Some(Misroute {
                    probability: self
                        .probability(&format!("{key}.misroute.probability"), m.probability)?,
                    transfer_time: self
                        .dist(&format!("{key}.misroute.transfer_time"), &m.transfer_time)?,
                });
            }
        }
        Ok(())
    }

    /// One shift. Its times are times of day (clock text, or durations from midnight, where a
    /// night shift's end is written past `"24h"`); the model keeps them on the run's daily
    /// clock, which starts at `opens`.
    fn shift(&self, i: usize, raw: &RawShift) -> Result<Shift, ScenarioError> {
        let key = format!("agents.shifts[{i}]");
        let start = self.time_of_day(&format!("{key}.start"), raw.start)?;
        if start >= DAY_S {
            return Err(self.err(
                format!("{key}.start"),
                format!("{start} s: allowed a time of day from \"00:00\" to before \"24:00\""),
            ));
        }
        // Clock text for an end at or before the start means the next day (a night shift).
        let end = match raw.end {
            When::Offset(_) => self.time_of_day(&format!("{key}.end"), raw.end)?,
            clock => {
                let end = self.time_of_day(&format!("{key}.end"), clock)?;
                if end <= start { end + DAY_S } else { end }
            }
        };
        if !(end > start && end <= start + DAY_S) {
            return Err(self.err(
                format!("{key}.end"),
                format!(
                    "{end} s: allowed after start ({start} s) and at most 24 h later; a night \
                     shift from 22:00 to 06:00 is start = \"22:00\", end = \"06:00\" (or \
                     \"22h\" and \"30h\")"
                ),
            ));
        }
        if !(1..=MAX_AGENTS).contains(&raw.count) {
            return Err(self.err(
                format!("{key}.count"),
                format!("{}: allowed 1 to {MAX_AGENTS}", raw.count),
            ));
        }
        let mut breaks: Vec<Break> = Vec::with_capacity(raw.breaks.len());
        for (j, b) in raw.breaks.iter().enumerate() {
            let bkey = format!("{key}.breaks[{j}]");
            let from = match b.start {
                When::Offset(_) => self.time_of_day(&format!("{bkey}.start"), b.start)?,
                clock => {
                    // Clock text before the shift's start is the night part of a night shift.
                    let t = self.time_of_day(&format!("{bkey}.start"), clock)?;
                    if t < start { t + DAY_S } else { t }
                }
            };
            let length = self.duration(&format!("{bkey}.length"), b.length, true)?;
            let earliest = breaks.last().map_or(start, |p| p.end_s);
            if from < earliest || from + length > end {
                return Err(self.err(
                    format!("{bkey}.start"),
                    format!(
                        "a break from {} to {}: allowed inside the shift ({} to {}) and after \
                         the previous break{}",
                        self.clock_text(from),
                        self.clock_text(from + length),
                        self.clock_text(start),
                        self.clock_text(end),
                        if end > DAY_S {
                            "; the night part of a night shift is clock text (\"02:00\") or \
                             a duration past \"24h\" (\"26h\")"
                        } else {
                            ""
                        }
                    ),
                ));
            }
            breaks.push(Break {
                start_s: from,
                end_s: from + length,
            });
        }
        // Onto the run's clock, every time of the pattern by the same amount.
        let shift = self.run_clock_shift(start);
        for b in &mut breaks {
            b.start_s += shift;
            b.end_s += shift;
        }
        Ok(Shift {
            name: raw
                .name
                .clone()
                .unwrap_or_else(|| format!("shift {}", i + 1)),
            start_s: start + shift,
            end_s: end + shift,
            count: raw.count as u32,
            breaks,
            days: self.days(&format!("{key}.days"), raw.days.as_deref())?,
        })
    }

    /// `agents.plan`: an interval that divides a day, and counts that fit in one day.
    fn plan(&self, raw: &RawPlan) -> Result<Plan, ScenarioError> {
        let interval = self.duration("agents.plan.interval", raw.interval, true)?;
        let per_day = DAY_S / interval;
        if !Plan::fits_a_day(interval) {
            return Err(self.err(
                "agents.plan.interval",
                format!(
                    "{}: allowed a length from 1 minute to 1 day that divides a day (such as \
                     \"15m\", \"30m\" or \"1h\"), so that the plan repeats daily",
                    super::units::duration_text(interval)
                ),
            ));
        }
        if raw.counts.is_empty() || raw.counts.len() as f64 > per_day.round() {
            return Err(self.err(
                "agents.plan.counts",
                format!(
                    "{} counts: allowed 1 to {} (one per interval of one day; the plan repeats \
                     daily from opens)",
                    raw.counts.len(),
                    per_day.round()
                ),
            ));
        }
        let mut counts = Vec::with_capacity(raw.counts.len());
        for (i, &n) in raw.counts.iter().enumerate() {
            if !(0..=MAX_AGENTS).contains(&n) {
                return Err(self.err(
                    format!("agents.plan.counts[{i}]"),
                    format!("{n}: allowed 0 to {MAX_AGENTS} agents logged in"),
                ));
            }
            counts.push(n as u32);
        }
        if counts.iter().all(|&n| n == 0) {
            return Err(self.err(
                "agents.plan.counts",
                "every count is 0: at least one interval needs an agent",
            ));
        }
        Ok(Plan {
            daily: true,
            interval_s: interval,
            counts,
        })
    }

    fn absences(
        &self,
        raw: &[RawAbsence],
        agents: u32,
        horizon: f64,
    ) -> Result<Vec<Absence>, ScenarioError> {
        let mut out: Vec<Absence> = Vec::with_capacity(raw.len());
        for (k, a) in raw.iter().enumerate() {
            let key = format!("agents.absences[{k}]");
            if !(0..i64::from(agents)).contains(&a.agent) {
                return Err(self.err(
                    format!("{key}.agent"),
                    format!(
                        "{}: allowed 0 to {} (agents are numbered from 0 in roster order)",
                        a.agent,
                        agents - 1
                    ),
                ));
            }
            let from = self.moment(&format!("{key}.from"), a.from, false)?;
            let to = self.moment(&format!("{key}.to"), a.to, true)?;
            if from >= horizon {
                return Err(self.err(
                    format!("{key}.from"),
                    format!("{from} s: allowed before the horizon ({horizon} s)"),
                ));
            }
            if !(to > from) {
                return Err(self.err(
                    format!("{key}.to"),
                    format!("{to} s: allowed after from ({from} s)"),
                ));
            }
            let agent = a.agent as u32;
            if out
                .iter()
                .any(|o| o.agent == agent && from < o.to_s && o.from_s < to)
            {
                return Err(self.err(
                    format!("{key}.from"),
                    format!("overlaps an earlier absence of agent {agent}"),
                ));
            }
            out.push(Absence {
                agent,
                from_s: from,
                to_s: to,
            });
        }
        Ok(out)
    }
}
