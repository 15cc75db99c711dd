//! Replications folded in index order, and the result they give: per-replication KPI values
//! per scope, pooled distributions, and the estimates with their confidence intervals.

use super::{ExperimentResult, ScopeResult, closed_form, estimate, warning};
use crate::kpi::{INTERVAL_KPIS, IntervalLayout, Kpi, KpiValues, PerScope, ReplicationKpis, Scope};
use crate::model::Scenario;
use crate::stats::{DurationHistogram, Estimate};

/// How a tally read from outside does not fit its scenario ([`Tally::check_shape`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShapeError {
    /// A scope, or the interval rows, with another number of replications than the range.
    #[error("{found} replications of {what} where its range has {expected}")]
    Replications {
        /// The scope (`overall KPIs`, `caller classes`, ...) or `interval rows`.
        what: &'static str,
        /// Replications in the tally.
        found: usize,
        /// Replications in its range.
        expected: usize,
    },
    /// Another number of entries in a scope than the scenario has.
    #[error("{found} {what} where its scenario has {expected}")]
    Scopes {
        /// The scope.
        what: &'static str,
        /// Entries in the tally.
        found: usize,
        /// Entries the scenario has.
        expected: usize,
    },
    /// A replication with another number of intervals than the scenario has.
    #[error("{found} interval rows in a replication where its scenario has {expected} intervals")]
    Intervals {
        /// Interval rows in the tally.
        found: usize,
        /// Intervals of the scenario.
        expected: usize,
    },
}

/// Replications folded in index order: per-replication values and pooled distributions.
/// Tallies of consecutive replication ranges concatenate into the tally of the whole range,
/// which is how shards merge into exactly the result of one run.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Overall KPIs, one per replication.
    pub per_replication: Vec<KpiValues>,
    /// Per entry of every listed scope, one per replication.
    pub per_scope: PerScope<Vec<Vec<KpiValues>>>,
    /// Per replication, one row per interval (only with details).
    pub per_interval: Vec<crate::kpi::IntervalRows>,
    /// Answered waits, pooled.
    pub answered_waits: DurationHistogram,
    /// Callback delays, pooled.
    pub callback_delays: Option<DurationHistogram>,
    /// Follow-up responses started observed and unobserved, pooled.
    pub follow_up_responses: Option<[DurationHistogram; 2]>,
}

impl Tally {
    /// An empty tally for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            per_scope: PerScope::from_fn(|scope| vec![Vec::new(); scope.entries(scenario).len()]),
            ..Self::default()
        }
    }

    /// Adds the next replication.
    pub fn push(&mut self, rep: ReplicationKpis) {
        self.per_replication.push(rep.overall);
        for ((_, entries), values) in self.per_scope.iter_mut().zip(rep.by_scope.into_values()) {
            for (entry, v) in entries.iter_mut().zip(values) {
                entry.push(v);
            }
        }
        self.pool(
            &rep.answered_waits,
            rep.callback_delays.as_ref(),
            rep.follow_up_responses.as_ref(),
        );
        if !rep.by_interval.is_empty() {
            self.per_interval.push(rep.by_interval);
        }
    }

    /// Checks that a tally read from outside (a partial file) has the shape this scenario's
    /// tallies have for `replications` replications: one row per replication in every scope,
    /// every scope of the scenario and no other, one interval row per interval (when there
    /// are details). Anything else would fold into a wrong result, or none.
    pub fn check_shape(&self, scenario: &Scenario, replications: usize) -> Result<(), ShapeError> {
        let expected = Tally::new(scenario);
        let rows = |what: &'static str, found: usize| ShapeError::Replications {
            what,
            found,
            expected: replications,
        };
        if self.per_replication.len() != replications {
            return Err(rows("overall KPIs", self.per_replication.len()));
        }
        for (scope, got) in self.per_scope.iter() {
            let (what, want) = (scope.entries_word(), &expected.per_scope[scope]);
            if got.len() != want.len() {
                return Err(ShapeError::Scopes {
                    what,
                    found: got.len(),
                    expected: want.len(),
                });
            }
            if let Some(bad) = got.iter().find(|s| s.len() != replications) {
                return Err(rows(what, bad.len()));
            }
        }
        let intervals = IntervalLayout::of(scenario).count;
        if !self.per_interval.is_empty() {
            if self.per_interval.len() != replications {
                return Err(rows("interval rows", self.per_interval.len()));
            }
            if let Some(bad) = self.per_interval.iter().find(|r| r.len() != intervals) {
                return Err(ShapeError::Intervals {
                    found: bad.len(),
                    expected: intervals,
                });
            }
        }
        Ok(())
    }

    /// Appends the tally of the replications that come right after this one's.
    pub fn append(&mut self, next: Tally) {
        self.per_replication.extend(next.per_replication);
        for ((_, mine), theirs) in self.per_scope.iter_mut().zip(next.per_scope.into_values()) {
            for (entry, values) in mine.iter_mut().zip(theirs) {
                entry.extend(values);
            }
        }
        self.per_interval.extend(next.per_interval);
        self.pool(
            &next.answered_waits,
            next.callback_delays.as_ref(),
            next.follow_up_responses.as_ref(),
        );
    }

    /// Adds distributions of more replications to the pooled ones.
    fn pool(
        &mut self,
        answered_waits: &DurationHistogram,
        callback_delays: Option<&DurationHistogram>,
        follow_up_responses: Option<&[DurationHistogram; 2]>,
    ) {
        self.answered_waits.merge(answered_waits);
        if let Some(h) = callback_delays {
            self.callback_delays
                .get_or_insert_with(DurationHistogram::new)
                .merge(h);
        }
        if let Some([obs, unobs]) = follow_up_responses {
            let pooled = self
                .follow_up_responses
                .get_or_insert_with(|| [DurationHistogram::new(), DurationHistogram::new()]);
            pooled[0].merge(obs);
            pooled[1].merge(unobs);
        }
    }

    /// The estimates of every scope, from the replications in order.
    pub fn finish(self, scenario: &Scenario, seed: u64) -> ExperimentResult {
        let layout = IntervalLayout::of(scenario);
        let per_replication = self.per_replication;
        let per_interval = self.per_interval;
        let overall = scope("all", &per_replication, Scope::Overall);
        let by_scope = self.per_scope.map(|which, entries| {
            which
                .entries(scenario)
                .iter()
                .zip(&entries)
                .map(|(name, values)| scope(name, values, which.into()))
                .collect()
        });
        let mut result = ExperimentResult {
            scenario: scenario.name.clone(),
            seed,
            replications: per_replication.len() as u32,
            overall,
            by_scope,
            per_replication,
            answered_waits: self.answered_waits,
            callback_delays: self.callback_delays,
            interval_layout: layout,
            by_interval: (0..if per_interval.is_empty() {
                0
            } else {
                layout.count
            })
                .map(|i| {
                    INTERVAL_KPIS
                        .iter()
                        .enumerate()
                        .map(|(j, k)| {
                            (
                                *k,
                                Estimate::from_values(per_interval.iter().map(|rep| rep[i][j])),
                            )
                        })
                        .collect()
                })
                .collect(),
            follow_up_responses: self.follow_up_responses,
            warnings: Vec::new(),
            theory: closed_form::theory(scenario),
            warmup_s: scenario.warmup,
            warmup_auto: scenario.warmup_auto,
            relevant: Kpi::ALL
                .into_iter()
                .filter(|k| crate::kpi::relevant(*k, scenario))
                .collect(),
            manager_styles: scenario
                .floor
                .managers
                .iter()
                .map(|m| m.style.key())
                .collect(),
        };
        result.warnings = warning::check(scenario, &result);
        result
    }
}

fn scope(name: &str, values: &[KpiValues], which: Scope) -> ScopeResult {
    let kpis = Kpi::ALL
        .into_iter()
        .filter(|k| k.applies_to(which))
        .map(|k| (k, estimate(k, values)))
        .collect();
    ScopeResult {
        name: name.to_string(),
        kpis,
    }
}
