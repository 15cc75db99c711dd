//! `[arrivals]` and `[[callers]]`: the arrival rate or profile, and each caller class with its
//! patience, handle times, follow-ups and journey.

use super::error::ScenarioError;
use super::forecast::Forecast;
use super::raw::{RawArrivals, RawCaller};
use super::units::compact;
use super::validate::Checker;
use crate::model::{Arrivals, CallerClass, DAY_S};

impl Checker<'_> {
    pub(super) fn arrivals(
        &self,
        raw: &RawArrivals,
        forecast: Option<&Forecast>,
    ) -> Result<Arrivals, ScenarioError> {
        if let (Some(p), Some(f)) = (&raw.profile, forecast) {
            if p.rates.is_some() {
                return Err(self.err(
                    "arrivals.profile.rates",
                    "give the rates or a forecast file, not both",
                ));
            }
            if raw.rate.is_some() {
                return Err(self.err("arrivals", "give exactly one of `rate` and `profile`"));
            }
            if !f.rates_per_s.iter().any(|r| *r > 0.0) {
                return Err(self.err(
                    "arrivals.profile.file",
                    "the forecast expects no calls at all: at least one row needs calls > 0",
                ));
            }
            if !(60.0..=DAY_S).contains(&f.interval_s) {
                return Err(self.err(
                    "arrivals.profile.file",
                    format!(
                        "rows {} apart: allowed intervals from 1 minute to 1 day",
                        super::units::duration_text(f.interval_s)
                    ),
                ));
            }
            return Ok(Arrivals::Profile {
                interval_s: f.interval_s,
                rates_per_s: f.rates_per_s.clone(),
                daily: f.daily,
                // Filled in by `validate`, once the classes' handle times are known.
                handle_factors: Vec::new(),
            });
        }
        match (&raw.rate, &raw.profile) {
            (Some(rate), None) => {
                if !(rate.0 > 0.0) {
                    return Err(self.err(
                        "arrivals.rate",
                        format!(
                            "{} calls/s: allowed a rate > 0 (exclusive)",
                            compact(rate.0)
                        ),
                    ));
                }
                Ok(Arrivals::Constant { rate_per_s: rate.0 })
            }
            (None, Some(p)) => {
                let (Some(interval), Some(rates)) = (p.interval, p.rates.as_ref()) else {
                    return Err(self.err(
                        if p.interval.is_none() {
                            "arrivals.profile.interval"
                        } else {
                            "arrivals.profile.rates"
                        },
                        "missing: a profile is { interval, rates } or { file = \"forecast.csv\" }",
                    ));
                };
                let interval = self.duration("arrivals.profile.interval", interval, true)?;
                if rates.is_empty() {
                    return Err(self.err("arrivals.profile.rates", "must list at least one rate"));
                }
                if interval * rates.len() as f64 > DAY_S + 1e-6 {
                    return Err(self.err(
                        "arrivals.profile.rates",
                        format!(
                            "{} intervals of {interval} s exceed one day; the profile describes one day \
                             and repeats daily",
                            rates.len()
                        ),
                    ));
                }
                for (i, r) in rates.iter().enumerate() {
                    if !(r.0 >= 0.0) {
                        return Err(self.err(
                            format!("arrivals.profile.rates[{i}]"),
                            "allowed a rate >= 0",
                        ));
                    }
                }
                if !rates.iter().any(|r| r.0 > 0.0) {
                    return Err(self.err("arrivals.profile.rates", "at least one rate must be > 0"));
                }
                Ok(Arrivals::Profile {
                    interval_s: interval,
                    rates_per_s: rates.iter().map(|r| r.0).collect(),
                    daily: true,
                    handle_factors: Vec::new(),
                })
            }
            _ => Err(self.err("arrivals", "give exactly one of `rate` and `profile`")),
        }
    }

    pub(super) fn caller(
        &self,
        i: usize,
        raw: &RawCaller,
        single: bool,
    ) -> Result<CallerClass, ScenarioError> {
        let key = format!("callers[{i}]");
        let share = match raw.share {
            Some(s) => s,
            None if single => 1.0,
            None => {
                return Err(self.err(
                    format!("{key}.share"),
                    "missing: with several classes each needs a share",
                ));
            }
        };
        if !(0.0..=1.0).contains(&share) {
            return Err(self.err(
                format!("{key}.share"),
                format!(
                    "{} is out of range: allowed 0 to 1 (both included)",
                    compact(share)
                ),
            ));
        }
        let handle_time = self.dist(&format!("{key}.handle_time"), &raw.handle_time)?;
        let (first_contact_resolution, follow_up) = self.resolution(&key, raw, &handle_time)?;
        let (redial, balking, callback_acceptance) = self.journey(&key, raw)?;
        let priority = raw.priority.unwrap_or(0);
        let priority = i32::try_from(priority).map_err(|_| {
            self.err(
                format!("{key}.priority"),
                "out of range: allowed a whole number of 32 bits",
            )
        })?;
        let patience = raw
            .patience
            .as_ref()
            .map(|d| self.dist(&format!("{key}.patience"), d))
            .transpose()?;
        // A customer who runs out of tolerance calls; the status call ends when it is handled
        // or when they hang up, and then their tolerance starts again: a cycle of tolerance
        // plus the shorter of the status call and the patience.
        if let Some(f) = &follow_up
            && let Some(tolerance) = &f.tolerance
        {
            let call = f.status_call.mean();
            let (ends, second_key) = match &patience {
                Some(p) if p.mean() < call => (p.mean(), format!("{key}.patience")),
                _ => (call, format!("{key}.follow_up.status_call")),
            };
            self.cycle_moves_on(
                &format!("{key}.follow_up.tolerance"),
                &second_key,
                tolerance,
                ends,
                "a customer's silence and status call (which ends when handled or abandoned)",
            )?;
        }
        Ok(CallerClass {
            name: raw.name.clone().unwrap_or_else(|| format!("class{i}")),
            share,
            priority,
            patience,
            handle_time,
            after_call_work: raw
                .after_call_work
                .as_ref()
                .map(|d| self.dist(&format!("{key}.after_call_work"), d))
                .transpose()?,
            first_contact_resolution,
            follow_up,
            redial,
            balking,
            callback_acceptance,
            // Filled in by `departments`, once the agents' skills are known.
            department: 0,
            misroute: None,
            after_transfer: match &raw.after_transfer {
                None => crate::model::AfterTransfer::default(),
                Some(a) => crate::model::AfterTransfer {
                    patience_factor: self.pace(
                        &format!("{key}.after_transfer.patience_factor"),
                        a.patience_factor,
                    )?,
                    handle_factor: self.pace(
                        &format!("{key}.after_transfer.handle_factor"),
                        a.handle_factor,
                    )?,
                },
            },
        })
    }
}
