//! Replications folded in index order, and the result they give: per-replication KPI values
//! per scope, pooled distributions, and the estimates with their confidence intervals.

use super::{ExperimentResult, ScopeResult, closed_form, estimate, warning};
use crate::kpi::IntervalRows;
use crate::kpi::{INTERVAL_KPIS, IntervalLayout, Kpi, KpiValues, PerScope, ReplicationKpis, Scope};
use crate::model::Scenario;
use crate::stats::{DurationHistogram, Running};

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

/// The per-interval KPIs of replications folded in index order. Their running estimates take
/// the same memory for 2 replications as for 2,000 (a day of one-second intervals is 86,400
/// rows a replication); each replication's rows are kept only where a partial file needs
/// them, and a merge folds a partial's rows and lets them go.
#[derive(Debug, Clone, Default)]
pub struct IntervalTally {
    /// One running estimate per interval and KPI of [`INTERVAL_KPIS`], interval by interval;
    /// empty until the first replication with details.
    running: Vec<Running>,
    /// Replications folded.
    replications: usize,
    /// Each replication's rows, when kept.
    kept: Option<Vec<IntervalRows>>,
}

impl IntervalTally {
    /// A tally that also keeps every replication's rows, for a partial file.
    pub fn keeping_rows() -> Self {
        Self {
            kept: Some(Vec::new()),
            ..Self::default()
        }
    }

    /// Folds the next replication's rows (in index order).
    pub fn push(&mut self, rows: IntervalRows) {
        if self.replications == 0 {
            self.running = vec![Running::default(); rows.len() * INTERVAL_KPIS.len()];
        }
        // Rows of another length come only from outside; `check_shape` refuses them, so
        // they are not folded here.
        if rows.len() == self.intervals() {
            for (cell, x) in self.running.iter_mut().zip(rows.iter().flatten()) {
                cell.push(*x);
            }
        }
        self.replications += 1;
        if let Some(kept) = &mut self.kept {
            kept.push(rows);
        }
    }

    /// Replications folded (zero without details).
    pub fn replications(&self) -> usize {
        self.replications
    }

    /// Whether no replication had details.
    pub fn is_empty(&self) -> bool {
        self.replications == 0
    }

    /// Intervals per replication (fixed by the first replication folded; zero when empty).
    pub fn intervals(&self) -> usize {
        self.running.len() / INTERVAL_KPIS.len()
    }

    /// Every replication's rows, in index order, when this tally keeps them.
    pub fn rows(&self) -> Option<&[IntervalRows]> {
        self.kept.as_deref()
    }

    /// The rows this tally kept, to fold into another (a tally read from a partial keeps them).
    fn take_rows(&mut self) -> Vec<IntervalRows> {
        self.kept.take().unwrap_or_default()
    }

    /// The estimates, interval by interval.
    fn estimates(&self) -> Vec<Vec<(Kpi, crate::stats::Estimate)>> {
        self.running
            .chunks(INTERVAL_KPIS.len())
            .map(|row| {
                INTERVAL_KPIS
                    .iter()
                    .zip(row)
                    .map(|(k, r)| (*k, r.estimate()))
                    .collect()
            })
            .collect()
    }
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
    /// The KPIs per interval (only with details), folded as replications arrive.
    pub per_interval: IntervalTally,
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

    /// An empty tally for `scenario` that keeps every replication's interval rows: what a
    /// shard writes to its partial file.
    pub fn keeping_rows(scenario: &Scenario) -> Self {
        Self {
            per_interval: IntervalTally::keeping_rows(),
            ..Self::new(scenario)
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
        let folded = &self.per_interval;
        if !folded.is_empty() {
            if folded.replications() != replications {
                return Err(rows("interval rows", folded.replications()));
            }
            let found = match folded.rows() {
                Some(kept) => kept.iter().map(Vec::len).find(|n| *n != intervals),
                None => Some(folded.intervals()).filter(|n| *n != intervals),
            };
            if let Some(found) = found {
                return Err(ShapeError::Intervals {
                    found,
                    expected: intervals,
                });
            }
        }
        Ok(())
    }

    /// Appends the tally of the replications that come right after this one's.
    pub fn append(&mut self, mut next: Tally) {
        self.per_replication.extend(next.per_replication);
        for ((_, mine), theirs) in self.per_scope.iter_mut().zip(next.per_scope.into_values()) {
            for (entry, values) in mine.iter_mut().zip(theirs) {
                entry.extend(values);
            }
        }
        for rows in next.per_interval.take_rows() {
            self.per_interval.push(rows);
        }
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
        let by_interval = self.per_interval.estimates();
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
            by_interval,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Estimate;

    fn rows(seed: u64, intervals: usize) -> IntervalRows {
        // Values that differ by replication and interval, with an undefined one now and then.
        (0..intervals)
            .map(|i| {
                std::array::from_fn(|j| {
                    let x = ((seed * 31 + i as u64 * 7 + j as u64) % 13) as f64 / 3.0;
                    if (seed + i as u64).is_multiple_of(5) && j == 8 {
                        f64::NAN
                    } else {
                        x
                    }
                })
            })
            .collect()
    }

    #[test]
    fn interval_estimates_fold_to_the_bits_of_the_batch_and_keep_no_rows() {
        let reps: Vec<IntervalRows> = (0..7).map(|r| rows(r, 4)).collect();
        let mut streaming = IntervalTally::default();
        let mut kept = IntervalTally::keeping_rows();
        for r in &reps {
            streaming.push(r.clone());
            kept.push(r.clone());
        }
        assert!(streaming.rows().is_none(), "a run's tally keeps no rows");
        assert_eq!(kept.rows().map(<[_]>::len), Some(7));
        assert_eq!((streaming.replications(), streaming.intervals()), (7, 4));
        let estimates = streaming.estimates();
        for (i, row) in estimates.iter().enumerate() {
            for (j, (kpi, e)) in row.iter().enumerate() {
                assert_eq!(*kpi, INTERVAL_KPIS[j]);
                let batch = Estimate::from_values(reps.iter().map(|r| r[i][j]));
                let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
                assert!(
                    same(e.mean, batch.mean) && same(e.std_dev, batch.std_dev),
                    "{i} {j}"
                );
                assert_eq!(e.n, batch.n);
            }
        }
        // A merge folds a kept tally's rows and lets them go.
        let mut merged = IntervalTally::default();
        for r in kept.take_rows() {
            merged.push(r);
        }
        assert_eq!(merged.estimates(), estimates);
        assert!(merged.rows().is_none());
    }
}
