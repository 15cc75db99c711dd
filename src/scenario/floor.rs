//! Validation of the floor keys: agent orientation and behaviour, follow-ups, managers.

use super::error::ScenarioError;
use super::raw::{RawAgents, RawBehaviour, RawCaller, RawManager};
use super::units::compact;
use super::validate::Checker;
use crate::dist::DurationDist;
use crate::model::{
    BackOfficeStep, Behaviour, Floor, FollowUpPolicy, FollowUpSpec, MAX_MANAGERS, Manager,
    ManagerStyle, Orientation, SURVEY_ORIENTATION_WEIGHTS,
};

/// Largest pace factor accepted (a typo guard: ten times slower is already absurd).
const MAX_PACE: f64 = 10.0;

impl Checker<'_> {
    pub(super) fn probability(&self, key: &str, p: f64) -> Result<f64, ScenarioError> {
        if (0.0..=1.0).contains(&p) {
            Ok(p)
        } else {
            Err(self.err(
                key,
                format!(
                    "{} is out of range: allowed 0 to 1 (both included)",
                    compact(p)
                ),
            ))
        }
    }

    pub(super) fn pace(&self, key: &str, p: Option<f64>) -> Result<f64, ScenarioError> {
        let p = p.unwrap_or(1.0);
        if p > 0.0 && p <= MAX_PACE {
            Ok(p)
        } else {
            Err(self.err(
                key,
                format!("{p} is out of range: allowed a factor > 0 and at most {MAX_PACE}"),
            ))
        }
    }

    fn optional_dist(
        &self,
        key: &str,
        raw: &Option<super::raw::RawDist>,
    ) -> Result<Option<DurationDist>, ScenarioError> {
        raw.as_ref().map(|d| self.dist(key, d)).transpose()
    }

    /// `first_contact_resolution` and `follow_up` of caller class `key`.
    pub(super) fn resolution(
        &self,
        key: &str,
        raw: &RawCaller,
        handle_time: &DurationDist,
    ) -> Result<(f64, Option<FollowUpSpec>), ScenarioError> {
        let fcr_key = format!("{key}.first_contact_resolution");
        let fcr = self.probability(&fcr_key, raw.first_contact_resolution.unwrap_or(1.0))?;
        let Some(f) = &raw.follow_up else {
            if fcr < 1.0 {
                return Err(self.err(
                    format!("{key}.follow_up"),
                    "missing: a first_contact_resolution below 1 needs a follow_up \
                     = { promise, work } for the calls that do not resolve",
                ));
            }
            return Ok((fcr, None));
        };
        let fk = format!("{key}.follow_up");
        let spec = FollowUpSpec {
            promise_s: self.duration(&format!("{fk}.promise"), f.promise, true)?,
            work: self.dist(&format!("{fk}.work"), &f.work)?,
            tolerance: self.optional_dist(&format!("{fk}.tolerance"), &f.tolerance)?,
            status_call: match &f.status_call {
                Some(d) => self.dist(&format!("{fk}.status_call"), d)?,
                None => handle_time.clone(),
            },
            back_office: match &f.back_office {
                Some(b) => Some(BackOfficeStep {
                    probability: self
                        .probability(&format!("{fk}.back_office.probability"), b.probability)?,
                    work: self.dist(&format!("{fk}.back_office.work"), &b.work)?,
                }),
                None => None,
            },
        };
        Ok((fcr, Some(spec)))
    }

    /// Two durations that alternate forever (a walker's office and visit, a customer's
    /// tolerance and status call) must together average at least [`MIN_CYCLE_S`]: at zero the
    /// cycle loops at one instant and the run never ends, and just above it the run crawls.
    pub(super) fn cycle_moves_on(
        &self,
        first_key: &str,
        second_key: &str,
        first: &DurationDist,
        second: f64,
        what: &str,
    ) -> Result<(), ScenarioError> {
        let cycle = first.mean() + second;
        if cycle >= MIN_CYCLE_S {
            return Ok(());
        }
        Err(self.err(
            first_key,
            format!(
                "{what} repeat with a mean cycle of {cycle} s: allowed a mean of this plus \
                 {second_key} of at least {MIN_CYCLE_S} s (a cycle of 0 loops at one instant)"
            ),
        ))
    }

    fn behaviour(&self, key: &str, raw: &Option<RawBehaviour>) -> Result<Behaviour, ScenarioError> {
        let Some(b) = raw else {
            return Ok(Behaviour::default());
        };
        Ok(Behaviour {
            slack: self.optional_dist(&format!("{key}.slack"), &b.slack)?,
            procrastination: self
                .optional_dist(&format!("{key}.procrastination"), &b.procrastination)?,
            pace: self.pace(&format!("{key}.pace"), b.pace)?,
            observed_pace: self.pace(&format!("{key}.observed_pace"), b.observed_pace)?,
        })
    }

    fn manager(&self, i: usize, raw: &RawManager, agents: u32) -> Result<Manager, ScenarioError> {
        let key = format!("managers[{i}]");
        let Some(&(style, allowed)) = MANAGER_STYLES.iter().find(|(s, _)| *s == raw.style) else {
            return Err(self.err(
                format!("{key}.style"),
                format!(
                    "unknown style {:?}: allowed walker, alongside, office, random",
                    raw.style
                ),
            ));
        };
        let given = [
            ("office", raw.office.is_some()),
            ("visit", raw.visit.is_some()),
            ("watches", raw.watches.is_some()),
            ("report_probability", raw.report_probability.is_some()),
            ("report_time", raw.report_time.is_some()),
            ("team", raw.team.is_some()),
            ("morale", raw.morale.is_some()),
            ("takes_calls", raw.takes_calls.is_some()),
        ];
        for (param, present) in given {
            if present && !allowed.contains(&param) {
                let takes = if allowed.is_empty() {
                    "no other keys".to_string()
                } else {
                    allowed.join(", ")
                };
                let article = if style.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                return Err(self.err(
                    format!("{key}.{param}"),
                    format!("not a key of {article} {style} manager: it takes {takes}"),
                ));
            }
        }
        let count = |k: &str, v: Option<i64>| -> Result<Option<u32>, ScenarioError> {
            match v {
                None => Ok(None),
                Some(n) if (1..=i64::from(agents)).contains(&n) => Ok(Some(n as u32)),
                Some(n) => Err(self.err(
                    format!("{key}.{k}"),
                    format!("{n} is out of range: allowed 1 to agents.count ({agents})"),
                )),
            }
        };
        let required = |k: &str, d: &Option<super::raw::RawDist>| match d {
            Some(d) => self.dist(&format!("{key}.{k}"), d),
            None => Err(self.err(
                format!("{key}.{k}"),
                format!("missing: a {style} manager needs `{k}`, a distribution"),
            )),
        };
        let style = match style {
            "walker" => {
                let report_probability = self.probability(
                    &format!("{key}.report_probability"),
                    raw.report_probability.unwrap_or(0.0),
                )?;
                let report_time = match &raw.report_time {
                    Some(d) => self.dist(&format!("{key}.report_time"), d)?,
                    None if report_probability > 0.0 => {
                        return Err(self.err(
                            format!("{key}.report_time"),
                            "missing: a report_probability above 0 needs a report_time",
                        ));
                    }
                    None => DurationDist::deterministic(0.0).expect("0 is a valid value"),
                };
                let office = required("office", &raw.office)?;
                let visit = required("visit", &raw.visit)?;
                self.cycle_moves_on(
                    &format!("{key}.office"),
                    &format!("{key}.visit"),
                    &office,
                    visit.mean(),
                    "a walker's office time and floor visit",
                )?;
                ManagerStyle::Walker {
                    office,
                    visit,
                    watches: count("watches", raw.watches)?,
                    report_probability,
                    report_time,
                }
            }
            "alongside" => ManagerStyle::Alongside {
                team: count("team", raw.team)?,
                morale: self.probability(&format!("{key}.morale"), raw.morale.unwrap_or(1.0))?,
                takes_calls: raw.takes_calls.unwrap_or(false),
            },
            "random" => {
                let visit = required("visit", &raw.visit)?;
                if !(visit.mean() >= MIN_CYCLE_S) {
                    return Err(self.err(
                        format!("{key}.visit"),
                        format!(
                            "a mean visit of {} s: allowed at least {MIN_CYCLE_S} s (visits of 0 \
                             would loop at one instant)",
                            visit.mean()
                        ),
                    ));
                }
                ManagerStyle::Random { visit }
            }
            _ => ManagerStyle::Office,
        };
        Ok(Manager {
            name: raw.name.clone().unwrap_or_else(|| format!("manager{i}")),
            style,
        })
    }
}

/// Shortest mean cycle of two durations that alternate forever, in seconds.
pub const MIN_CYCLE_S: f64 = 1.0;

/// Each manager style and the keys it takes beyond `name` and `style` (any other is refused).
pub const MANAGER_STYLES: [(&str, &[&str]); 4] = [
    (
        "walker",
        &[
            "office",
            "visit",
            "watches",
            "report_probability",
            "report_time",
        ],
    ),
    ("alongside", &["team", "morale", "takes_calls"]),
    ("random", &["visit"]),
    ("office", &[]),
];

/// The floor of a scenario: `[agents]` orientation and behaviour, and `[[managers]]`.
pub(super) fn floor(
    c: &Checker,
    agents: &RawAgents,
    count: u32,
    managers: &[RawManager],
) -> Result<Floor, ScenarioError> {
    let weights = match &agents.orientation {
        None => SURVEY_ORIENTATION_WEIGHTS,
        Some(o) => [o.customer, o.unsure, o.boss].map(|w| w.unwrap_or(0.0)),
    };
    for (o, w) in Orientation::ALL.iter().zip(weights) {
        if !(w >= 0.0 && w.is_finite()) {
            return Err(c.err(
                format!("agents.orientation.{}", o.key()),
                format!("{w} is out of range: allowed a weight >= 0"),
            ));
        }
    }
    // Weights are relative: scaled by the largest first, so 1e308 cannot overflow the sum.
    let largest = weights.iter().copied().fold(0.0f64, f64::max);
    let weights = if largest > 0.0 {
        weights.map(|w| w / largest)
    } else {
        weights
    };
    let total: f64 = weights.iter().sum();
    if !(total > 0.0) {
        return Err(c.err(
            "agents.orientation",
            "the weights sum to 0: give at least one of customer, unsure, boss a weight > 0",
        ));
    }
    let b = &agents.behaviour;
    let behaviour = [
        c.behaviour("agents.behaviour.customer", &b.customer)?,
        c.behaviour("agents.behaviour.unsure", &b.unsure)?,
        c.behaviour("agents.behaviour.boss", &b.boss)?,
    ];
    let follow_up_policy = match agents.follow_up_policy.as_deref() {
        None | Some("inbound_first") => FollowUpPolicy::InboundFirst,
        Some("overdue_first") => FollowUpPolicy::OverdueFirst,
        Some(other) => {
            return Err(c.err(
                "agents.follow_up_policy",
                format!("unknown policy {other:?}: allowed inbound_first, overdue_first"),
            ));
        }
    };
    if managers.len() > MAX_MANAGERS {
        return Err(c.err(
            "managers",
            format!(
                "{} managers: allowed at most {MAX_MANAGERS}",
                managers.len()
            ),
        ));
    }
    let managers = managers
        .iter()
        .enumerate()
        .map(|(i, m)| c.manager(i, m, count))
        .collect::<Result<Vec<_>, _>>()?;
    c.unique_names("managers", managers.iter().map(|m| m.name.as_str()), false)?;
    let alongside_team: u32 = managers
        .iter()
        .map(|m| match m.style {
            ManagerStyle::Alongside { team, .. } => team.unwrap_or(count),
            _ => 0,
        })
        .sum();
    if alongside_team > count {
        return Err(c.err(
            "managers.team",
            format!(
                "the alongside managers' teams hold {alongside_team} agents but agents.count is \
                 {count}: teams do not overlap, so they must fit in the floor"
            ),
        ));
    }
    Ok(Floor {
        orientation_shares: weights.map(|w| w / total),
        behaviour,
        follow_up_policy,
        managers,
    })
}
