//! Lines per department and the back office: two tables whose checks need the whole scenario
//! (the departments of `agents.skills`, the follow-ups that need a back-office step).

use super::error::ScenarioError;
use super::raw::RawScenario;
use super::validate::{Checker, MAX_AGENTS, MAX_LINES};
use crate::model::{BackOffice, DAY_S};

impl Checker<'_> {
    /// `lines = { DEPARTMENT = N, ... }`: lines per department of `agents.skills` (one not
    /// named has no limit). A whole number is all lines, checked where `lines` is built.
    pub(super) fn department_lines(
        &self,
        raw: &RawScenario,
        departments: &[String],
    ) -> Result<Vec<u32>, ScenarioError> {
        let Some(value) = &raw.lines else {
            return Ok(Vec::new());
        };
        if value.is_integer() {
            return Ok(Vec::new());
        }
        let Some(table) = value.as_table() else {
            return Err(self.err(
                "lines",
                "allowed a whole number of lines, or lines per department like \
                 { billing = 20, technical = 15 }",
            ));
        };
        if departments.is_empty() {
            return Err(self.err(
                "lines",
                "lines per department need departments (agents.skills); without them give a \
                 whole number",
            ));
        }
        if raw
            .callbacks
            .as_ref()
            .is_some_and(|c| c.policy.as_deref() == Some("keep_place"))
        {
            return Err(self.err(
                "lines",
                "lines per department do not go with callbacks.policy = \"keep_place\" yet \
                 (a callback keeping a place in a department's queue holds no line); use a \
                 whole number of lines or another policy",
            ));
        }
        let mut out = vec![u32::MAX; departments.len()];
        for (name, v) in table {
            let key = format!("lines.{name}");
            let Some(d) = departments.iter().position(|n| n == name) else {
                return Err(self.err(
                    &key,
                    format!(
                        "{name:?} is not a department of agents.skills: allowed {}",
                        departments.join(", ")
                    ),
                ));
            };
            match v.as_integer() {
                Some(n) if (1..=MAX_LINES).contains(&n) => out[d] = n as u32,
                _ => {
                    return Err(self.err(
                        &key,
                        format!("{v}: allowed a whole number of lines from 1 to {MAX_LINES}"),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// `[back_office]`, which must be there exactly when some follow-up needs it.
    pub(super) fn back_office(
        &self,
        raw: &RawScenario,
    ) -> Result<Option<BackOffice>, ScenarioError> {
        let needed = raw.callers.iter().position(|c| {
            c.follow_up
                .as_ref()
                .is_some_and(|f| f.back_office.is_some())
        });
        let Some(b) = &raw.back_office else {
            if let Some(i) = needed {
                return Err(self.err(
                    format!("callers[{i}].follow_up.back_office"),
                    "needs a [back_office] section with count (and optional hours)",
                ));
            }
            return Ok(None);
        };
        if !(1..=MAX_AGENTS).contains(&b.count) {
            return Err(self.err(
                "back_office.count",
                format!("{}: allowed 1 to {MAX_AGENTS}", b.count),
            ));
        }
        let hours = match &b.hours {
            None => None,
            Some(h) => {
                let start = self.time_of_day("back_office.hours.start", h.start)?;
                let end = match h.end {
                    super::units::When::Offset(_) => {
                        self.time_of_day("back_office.hours.end", h.end)?
                    }
                    clock => {
                        let end = self.time_of_day("back_office.hours.end", clock)?;
                        if end <= start { end + DAY_S } else { end }
                    }
                };
                if start >= DAY_S || !(end > start && end <= start + DAY_S) {
                    return Err(self.err(
                        "back_office.hours",
                        format!(
                            "{start} s to {end} s: allowed a start before \"24h\" and an end \
                             after it, at most 24 h later"
                        ),
                    ));
                }
                // Onto the run's clock, which starts at `opens`.
                let shift = self.run_clock_shift(start);
                Some((start + shift, end + shift))
            }
        };
        Ok(Some(BackOffice {
            count: b.count as u32,
            hours,
        }))
    }
}
