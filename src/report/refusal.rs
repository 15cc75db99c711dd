//! Why a partial file is refused: what reading it finds wrong with the file itself
//! ([`PartialError`]), and what `merge` finds wrong with it among the others ([`Refusal`]).

use super::partial::{BUILD, MAX_PARTIAL_BYTES, PARTIAL_FORMAT};

/// Why `merge` refuses a partial file (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The file itself cannot be read as a partial.
    #[error(transparent)]
    Unreadable(#[from] PartialError),
    /// It belongs to another run than the first partial.
    #[error(
        "it comes from a different run than {0} (scenario, overrides, seed or replications \
         differ)"
    )]
    OtherRun(String),
    /// Its range does not follow the ranges before it.
    #[error(
        "replications {start} to {end}, but {expected} was expected next: a shard is missing \
         or given twice"
    )]
    Gap {
        /// First replication of the file.
        start: u32,
        /// One past its last.
        end: u32,
        /// The replication the ranges before it end at.
        expected: u32,
    },
    /// Its tally does not have its scenario's shape.
    #[error("{0}: it does not fit its own scenario")]
    Shape(#[from] crate::experiment::ShapeError),
    /// Its first replication could not be simulated again.
    #[error("cannot check it: {0}")]
    Unverifiable(#[from] crate::experiment::RunError),
    /// It held another shard when the merge read it again to fold it.
    #[error("it changed while the merge was reading it")]
    Changed,
    /// Its first replication is not what this build computes for it.
    #[error(
        "its replication {0} is not what this build computes for it: the partial was edited, \
         relabelled as another shard, or written for another scenario"
    )]
    NotReproduced(u32),
}

/// Why a partial file is refused (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum PartialError {
    /// It cannot be opened or read.
    #[error("cannot read: {0}")]
    Read(#[source] std::io::Error),
    /// A folder, a device or a pipe.
    #[error("not a regular file")]
    NotAFile,
    /// Larger than [`MAX_PARTIAL_BYTES`].
    #[error("{0} bytes: a partial holds at most {MAX_PARTIAL_BYTES} bytes (use more shards)")]
    TooLarge(u64),
    /// No header line (none, or longer than a header may be).
    #[error("not a callsim partial result: no header line")]
    NoHeader,
    /// The header line cannot be read.
    #[error("not a callsim partial result: {0}")]
    HeaderUnreadable(#[source] std::io::Error),
    /// The header line is not a partial's.
    #[error("not a callsim partial result: {0}")]
    BadHeader(#[source] serde_json::Error),
    /// Another partial format than this build's.
    #[error(
        "partial format {0} (this callsim reads {PARTIAL_FORMAT}): write the partials again \
         with this build"
    )]
    Format(u32),
    /// A body that does not parse.
    #[error("not a callsim partial result, or damaged or edited after the shard wrote it: {0}")]
    Damaged(#[source] serde_json::Error),
    /// The body's digest is not the header's.
    #[error(
        "its digest does not match its content: the file was edited, truncated or damaged \
         after the shard wrote it"
    )]
    Digest,
    /// Header and body name different formats.
    #[error("its header and body disagree on the format")]
    FormatMismatch,
    /// Written by another build.
    #[error(
        "written by {0}, but this is {BUILD}: merge the partials with the build that wrote \
         them, or run the shards again"
    )]
    Build(String),
    /// A KPI key this build does not have, or one given twice.
    #[error("its KPI key {0:?} is not one of this build's, or comes twice")]
    UnknownKey(String),
    /// A listed scope missing, given twice, or unknown.
    #[error("its scopes are not this build's: expected each of {expected} once")]
    Scopes {
        /// The scope keys this build writes.
        expected: String,
    },
    /// A row with the wrong number of values.
    #[error("{found} {what} where {expected} were expected")]
    Length {
        /// What the row holds.
        what: &'static str,
        /// Values in the file.
        found: usize,
        /// Values this build has.
        expected: usize,
    },
    /// A value no KPI can take (negative, infinite, a share above 1).
    #[error("{what}{key} = {value} is not a possible value")]
    Impossible {
        /// `""` or `"interval "`.
        what: &'static str,
        /// The KPI key.
        key: &'static str,
        /// The value in the file.
        value: f64,
    },
    /// A histogram bin out of range.
    #[error("{what}: a bin ({ms} ms, {n}) out of range")]
    Bin {
        /// Which histogram.
        what: &'static str,
        /// The bin's lower edge.
        ms: u64,
        /// Its count.
        n: u64,
    },
    /// Histogram counts that overflow.
    #[error("{0}: counts overflow")]
    Overflow(&'static str),
    /// A replication range that is not part of the run.
    #[error("replications {start} to {end} of {of}: not a range of the run")]
    Range {
        /// First replication.
        start: u32,
        /// One past the last.
        end: u32,
        /// Replications of the run.
        of: u32,
    },
    /// Fewer or more replications than its range.
    #[error("the replication count does not match the range")]
    Count,
}
