//! Errors of the flags that describe several runs at once: `--vary` of `sweep` and `--variant`
//! of `compare`.

use super::sweep::MAX_SWEEP_POINTS;

/// A `--vary` or `--variant` text that cannot be read (exit code 2).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{spec:?}: {problem}")]
pub struct SpecError {
    /// The text as given.
    pub spec: String,
    /// What is wrong with it.
    pub problem: SpecProblem,
}

/// What is wrong with a `--vary` or `--variant` text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpecProblem {
    /// `--vary` without `=`.
    #[error("expected KEY=START:END:STEP or KEY=A,B,C")]
    NoValues,
    /// Nothing before `=`.
    #[error("the key is missing")]
    NoKey,
    /// Two colons or more than three parts.
    #[error("a range is START:END:STEP")]
    NotARange,
    /// An empty value in the list.
    #[error("no values")]
    EmptyValue,
    /// More points than a sweep runs.
    #[error("{0} points; allowed at most {MAX_SWEEP_POINTS}")]
    TooManyPoints(usize),
    /// A bound of the range that is not a number (`start`, `end` or `step`).
    #[error("the {0} is not a number")]
    NotANumber(&'static str),
    /// Bounds in units that are neither all durations nor all rates.
    #[error(
        "start, end and step are neither all durations (30s:2m:30s) nor all rates \
         (600/h:12/min:60/h)"
    )]
    MixedUnits,
    /// The end before the start, or a step that is not positive.
    #[error("allowed: START ≤ END and STEP > 0")]
    Order,
    /// `--variant` without `:`.
    #[error("expected NAME:KEY=VALUE[,KEY=VALUE...]")]
    NoOverrides,
    /// `--variant` without a name, or named `base`.
    #[error("a variant needs a name before ':' (and not \"base\")")]
    NoName,
    /// An odd number of quotes.
    #[error("a quote is not closed; every \" needs its partner")]
    OpenQuote,
    /// Brackets or braces that do not pair up.
    #[error("brackets do not balance; every [ and {{ needs its ] or }}")]
    Unbalanced,
    /// An override without `=`.
    #[error("each override is KEY=VALUE")]
    NotKeyValue,
}

impl SpecProblem {
    /// This problem, found in `spec`.
    pub(super) fn of(self, spec: &str) -> SpecError {
        SpecError {
            spec: spec.to_string(),
            problem: self,
        }
    }
}
