//! Validation of the caller's journey beyond one call: redials, balking, callbacks, outages;
//! and of outbound campaigns.

use super::error::ScenarioError;
use super::raw::{RawCallbacks, RawCaller, RawOutage, RawOutbound};
use super::units::Seconds;
use super::validate::Checker;
use crate::model::{Balking, CallbackPolicy, Callbacks, Outage, Outbound, Redial};

/// Most attempts accepted for redials and callbacks (a typo guard).
const MAX_ATTEMPTS: i64 = 100;
/// Default attempts per callback.
const DEFAULT_CALLBACK_ATTEMPTS: i64 = 3;
/// Default attempts per case for redials (the first call and two redials).
const DEFAULT_REDIAL_ATTEMPTS: i64 = 3;

impl Checker<'_> {
    fn attempts(&self, key: &str, n: Option<i64>, default: i64) -> Result<u32, ScenarioError> {
        match n.unwrap_or(default) {
            n @ 1..=MAX_ATTEMPTS => Ok(n as u32),
            n => Err(self.err(key, format!("{n}: allowed 1 to {MAX_ATTEMPTS}"))),
        }
    }

    /// `redial`, `balking` and `callback_acceptance` of caller class `key`.
    pub(super) fn journey(
        &self,
        key: &str,
        raw: &RawCaller,
    ) -> Result<(Option<Redial>, Option<Balking>, f64), ScenarioError> {
        let redial = match &raw.redial {
            None => None,
            Some(r) => Some(Redial {
                probability: self
                    .probability(&format!("{key}.redial.probability"), r.probability)?,
                delay: self.dist(&format!("{key}.redial.delay"), &r.delay)?,
                max_attempts: self.attempts(
                    &format!("{key}.redial.max_attempts"),
                    r.max_attempts,
                    DEFAULT_REDIAL_ATTEMPTS,
                )?,
            }),
        };
        let balking = match &raw.balking {
            None => None,
            Some(b) => Some(Balking {
                above_s: self.duration(&format!("{key}.balking.above"), b.above, false)?,
                probability: self.probability(
                    &format!("{key}.balking.probability"),
                    b.probability.unwrap_or(1.0),
                )?,
            }),
        };
        let acceptance = self.probability(
            &format!("{key}.callback_acceptance"),
            raw.callback_acceptance.unwrap_or(0.0),
        )?;
        Ok((redial, balking, acceptance))
    }

    /// `[callbacks]`, given the number of agents.
    pub(super) fn callbacks(
        &self,
        raw: &RawCallbacks,
        agents: u32,
    ) -> Result<Callbacks, ScenarioError> {
        let policy = match raw.policy.as_deref().unwrap_or("keep_place") {
            "inbound_first" => CallbackPolicy::InboundFirst,
            "keep_place" => CallbackPolicy::KeepPlace,
            "deadline" => CallbackPolicy::Deadline {
                margin_s: self.duration(
                    "callbacks.deadline_margin",
                    raw.deadline_margin.unwrap_or(Seconds(300.0)),
                    false,
                )?,
            },
            other => {
                return Err(self.err(
                    "callbacks.policy",
                    format!(
                        "unknown policy {other:?}: allowed inbound_first, keep_place, deadline"
                    ),
                ));
            }
        };
        // A margin is checked whatever the policy, and used only by `deadline`, so that a
        // comparison can switch policies without editing the file.
        if let Some(m) = raw.deadline_margin {
            self.duration("callbacks.deadline_margin", m, false)?;
        }
        let reserved = raw.reserved_agents.unwrap_or(0);
        if !(0..i64::from(agents)).contains(&reserved) {
            return Err(self.err(
                "callbacks.reserved_agents",
                format!(
                    "{reserved}: allowed 0 to {} (agents.count − 1: someone must take inbound calls)",
                    agents - 1
                ),
            ));
        }
        if reserved > 0 && policy == CallbackPolicy::KeepPlace {
            return Err(self.err(
                "callbacks.reserved_agents",
                "reserved agents serve a callback list of their own, which keep_place does not \
                 have: use policy inbound_first or deadline",
            ));
        }
        let retry_delay = match &raw.retry_delay {
            Some(d) => self.dist("callbacks.retry_delay", d)?,
            None => crate::dist::DurationDist::deterministic(600.0).expect("10 minutes is valid"),
        };
        Ok(Callbacks {
            offer_above_s: self.duration("callbacks.offer_above", raw.offer_above, false)?,
            policy,
            promise_s: self.duration("callbacks.promise", raw.promise, true)?,
            reserved_agents: reserved as u32,
            answer_probability: self.probability(
                "callbacks.answer_probability",
                raw.answer_probability.unwrap_or(1.0),
            )?,
            attempt_s: self.duration(
                "callbacks.attempt_time",
                raw.attempt_time.unwrap_or(Seconds(30.0)),
                false,
            )?,
            retry_delay,
            max_attempts: self.attempts(
                "callbacks.max_attempts",
                raw.max_attempts,
                DEFAULT_CALLBACK_ATTEMPTS,
            )?,
            call_again_probability: self.probability(
                "callbacks.call_again_probability",
                raw.call_again_probability.unwrap_or(0.0),
            )?,
        })
    }

    /// `agents.outages`: in order, not overlapping, inside the horizon.
    pub(super) fn outages(
        &self,
        raw: &[RawOutage],
        horizon: f64,
    ) -> Result<Vec<Outage>, ScenarioError> {
        let mut out: Vec<Outage> = Vec::with_capacity(raw.len());
        for (i, o) in raw.iter().enumerate() {
            let key = format!("agents.outages[{i}]");
            let start = self.moment(&format!("{key}.start"), o.start, false)?;
            let end = self.moment(&format!("{key}.end"), o.end, true)?;
            if !(end > start) || end > horizon {
                return Err(self.err(
                    format!("{key}.end"),
                    format!("{end} s: allowed after start ({start} s) and at most the horizon ({horizon} s)"),
                ));
            }
            if out.last().is_some_and(|p| start < p.end_s) {
                return Err(self.err(
                    format!("{key}.start"),
                    "outages must be in time order and must not overlap",
                ));
            }
            out.push(Outage {
                start_s: start,
                end_s: end,
            });
        }
        Ok(out)
    }
}

impl Checker<'_> {
    /// `[outbound]`.
    pub(super) fn outbound(
        &self,
        raw: &RawOutbound,
        horizon: f64,
        agents: u32,
    ) -> Result<Outbound, ScenarioError> {
        if !(1..=10_000_000).contains(&raw.list) {
            return Err(self.err(
                "outbound.list",
                format!("{}: allowed 1 to 10000000 customers", raw.list),
            ));
        }
        let start = match raw.start {
            None => 0.0,
            Some(w) => self.moment("outbound.start", w, false)?,
        };
        if start >= horizon {
            return Err(self.err(
                "outbound.start",
                format!("{start} s: allowed before the horizon ({horizon} s)"),
            ));
        }
        let mut declines = Vec::new();
        for (name, v) in raw.declines.iter().flatten() {
            let key = format!("outbound.declines.{name}");
            self.name(&key, name, false)?;
            let share = v
                .as_float()
                .or_else(|| v.as_integer().map(|i| i as f64))
                .ok_or_else(|| self.err(&key, "a share is a number from 0 to 1"))?;
            declines.push((name.clone(), self.probability(&key, share)?));
        }
        if declines.is_empty() {
            declines.push(("declined".to_string(), 1.0));
        }
        let sum: f64 = declines.iter().map(|d| d.1).sum();
        if (sum - 1.0).abs() > 1e-6 {
            return Err(self.err(
                "outbound.declines",
                format!("the shares sum to {sum}; they must sum to 1"),
            ));
        }
        let max_attempts = raw.max_attempts.unwrap_or(1);
        if !(1..=MAX_ATTEMPTS).contains(&max_attempts) {
            return Err(self.err(
                "outbound.max_attempts",
                format!("{max_attempts}: allowed 1 to {MAX_ATTEMPTS}"),
            ));
        }
        let keep_idle = raw.keep_idle.unwrap_or(0);
        if !(0..i64::from(agents)).contains(&keep_idle) {
            return Err(self.err(
                "outbound.keep_idle",
                format!("{keep_idle}: allowed 0 to {} (agents − 1)", agents - 1),
            ));
        }
        Ok(Outbound {
            list: raw.list as u32,
            start_s: start,
            contact_probability: self
                .probability("outbound.contact_probability", raw.contact_probability)?,
            accept_probability: self
                .probability("outbound.accept_probability", raw.accept_probability)?,
            declines,
            attempt_s: self.duration("outbound.attempt_time", raw.attempt_time, true)?,
            talk: self.dist("outbound.talk_time", &raw.talk_time)?,
            max_attempts: max_attempts as u32,
            retry_delay: match &raw.retry_delay {
                Some(d) => self.dist("outbound.retry_delay", d)?,
                None => crate::dist::DurationDist::Deterministic { value: 3600.0 },
            },
            keep_idle: keep_idle as u32,
        })
    }
}
