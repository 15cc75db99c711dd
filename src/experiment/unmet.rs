//! [`Unmet`]: a staffing or scheduling decision that cannot meet its target. The result is
//! still written (the table shows where it falls short); the command then exits 1 with this.

use crate::model::Clock;

/// A decision whose target is not met, with the intervals where it falls short (seconds
/// after the start of the run) and the clock that names them.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Unmet {
    /// No head count up to `most` agents meets the target in `spans` (`staff`, and the
    /// requirement of `schedule`).
    #[error(
        "the target cannot be met in {} interval(s) ({}), even with {most} agents: loosen the \
         target (--service-level, --within, --max-abandon) or check the callers' behaviour \
         (balking, patience)",
        spans.len(),
        span_list(spans, *clock)
    )]
    NoHeadCount {
        /// The intervals where it falls short.
        spans: Vec<(f64, f64)>,
        /// The largest head count tried.
        most: u32,
        /// The run's clock.
        clock: Clock,
    },
    /// The roster that `schedule --method day` repaired round by round still misses the
    /// target, simulated over the whole day.
    #[error(
        "the roster still misses the target in {} after {rounds} rounds: loosen the target or \
         give more patterns",
        span_list(spans, *clock)
    )]
    RosterMisses {
        /// The intervals where it falls short.
        spans: Vec<(f64, f64)>,
        /// Repair rounds made.
        rounds: u32,
        /// The run's clock.
        clock: Clock,
    },
    /// The roster covering a requirement computed interval by interval (`method`: SIPP or
    /// Erlang C) misses the target when the day is simulated; it is not repaired.
    #[error(
        "the roster covering the {method} requirement misses the target in {} (it is not \
         repaired; the default --method day repairs it)",
        span_list(spans, *clock)
    )]
    Unrepaired {
        /// How the requirement was computed (`SIPP`, `Erlang C`).
        method: &'static str,
        /// The intervals where it falls short.
        spans: Vec<(f64, f64)>,
        /// The run's clock.
        clock: Clock,
    },
}

/// The first few of `spans` (seconds after the opening) as clock text, `, ...` after them if
/// there are more.
pub fn span_list(spans: &[(f64, f64)], clock: Clock) -> String {
    let mut names: Vec<String> = spans
        .iter()
        .take(6)
        .map(|&(from, to)| clock.span(from, to))
        .collect();
    if spans.len() > names.len() {
        names.push("...".into());
    }
    names.join(", ")
}
