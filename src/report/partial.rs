//! Partial results of shards (`run --shard K/N --partial FILE`) and reading them back for
//! `merge`. A partial holds the per-replication values and pooled histograms of its replication
//! range, plus the scenario text, so the merge can rebuild exactly the result of one run.
//!
//! The file is two parts: a one-line header `{"format":4,"digest":"<sha256>"}` and the body,
//! a JSON document with everything else (scenario text, overrides, seed, replication range,
//! format, the build that wrote it, the KPI keys and the values). Rows of values are read by
//! the KPI keys the file names, in its own order, and every listed scope
//! ([`crate::kpi::ListedScope::ALL`]) comes under its key. The digest is SHA-256 over
//! the body's bytes, so any edit or truncation is refused. The body is hashed while it is
//! parsed from the file (never held as bytes), and the file size is checked before reading.
//!
//! A digest tells edits and corruption apart from the original; it is no signature (anyone can
//! recompute it). What a digest cannot tell, `merge` checks by re-simulating a replication of
//! each partial (see `cli::merge`) and by checking every length against the scenario.

use std::io::{BufRead, BufReader, Read};

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::experiment::Tally;
use crate::kpi::{INTERVAL_KPIS, Kpi, KpiValues, ListedScope, PerScope};
use crate::stats::{DurationHistogram, LONGEST_MS};

pub use super::refusal::{PartialError, Refusal};

/// Version of the partial-file format.
pub const PARTIAL_FORMAT: u32 = 4;

/// The build that writes partials; a merge takes only partials of its own build, whose numbers
/// are exactly what it would have computed itself.
pub const BUILD: &str = concat!("callsim ", env!("CARGO_PKG_VERSION"));

/// Largest partial file read, in bytes (one shard of 100,000 replications with every detail
/// stays well below it). Checked before reading, and again while reading.
pub const MAX_PARTIAL_BYTES: u64 = 1 << 30;

/// Longest header line read.
const MAX_HEADER_BYTES: u64 = 256;

/// What a shard ran: enough to check that partials belong together and to rebuild the scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// Where the scenario came from.
    pub source: String,
    /// The scenario file's text.
    pub scenario_text: String,
    /// `--set` overrides.
    pub overrides: Vec<String>,
    /// Files the scenario refers to (a forecast), as (name as written, text): the merge
    /// rebuilds the scenario from them, not from whatever is on disk by then.
    pub attachments: Vec<(String, String)>,
    /// Master seed.
    pub seed: u64,
    /// Replications of the whole run.
    pub replications: u32,
    /// This shard's replications, `[start, end)`.
    pub range: [u32; 2],
}

type Values = Vec<Option<f64>>;
type Counts = Vec<(u64, u64)>;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: u32,
    digest: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    format: u32,
    build: String,
    shard: ShardInfo,
    /// The KPI keys, in the order of every row of values: a row is read by these keys, not
    /// by this build's order of KPIs.
    kpi_keys: Vec<String>,
    /// The per-interval KPI keys, in the order of every interval row.
    interval_kpi_keys: Vec<String>,
    per_replication: Vec<Values>,
    /// Every listed scope by its key (`by_class`, ...): per entry, one row per replication.
    per_scope: Vec<(String, Vec<Vec<Values>>)>,
    per_interval: Vec<Vec<Values>>,
    answered_waits: Counts,
    callback_delays: Option<Counts>,
    follow_up_responses: Option<[Counts; 2]>,
}

/// A body read for its shard only: the same fields, the values parsed and let go.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "the fields are read to check the body, then dropped"
)]
struct BodyShard {
    format: u32,
    build: String,
    shard: ShardInfo,
    kpi_keys: IgnoredAny,
    interval_kpi_keys: IgnoredAny,
    per_replication: IgnoredAny,
    per_scope: IgnoredAny,
    per_interval: IgnoredAny,
    answered_waits: IgnoredAny,
    callback_delays: IgnoredAny,
    follow_up_responses: IgnoredAny,
}

fn save(v: &[f64]) -> Values {
    v.iter().map(|x| (!x.is_nan()).then_some(*x)).collect()
}

/// Each listed scope's per-replication values, for the file, under the scope's key.
fn save_scopes(scopes: &PerScope<Vec<Vec<KpiValues>>>) -> Vec<(String, Vec<Vec<Values>>)> {
    scopes
        .iter()
        .map(|(scope, entries)| {
            let rows = entries
                .iter()
                .map(|s| s.iter().map(|v| save(&v.0)).collect())
                .collect();
            (scope.key().to_string(), rows)
        })
        .collect()
}

/// [`columns`] of the per-interval rows.
fn columns_of_intervals(file_keys: &[String]) -> Result<Vec<(usize, Kpi)>, PartialError> {
    columns(file_keys, &INTERVAL_KPIS, Kpi::key)
}

/// Where each column of the file's rows goes in this build's rows: the file names its keys,
/// so a row is read by key; a key this build does not know is refused, and a KPI the file
/// lacks stays undefined.
fn columns<K: Copy>(
    file_keys: &[String],
    known: &[K],
    key: impl Fn(K) -> &'static str,
) -> Result<Vec<(usize, K)>, PartialError> {
    let mut out = Vec::with_capacity(file_keys.len());
    for name in file_keys {
        let Some(at) = known.iter().position(|k| key(*k) == name) else {
            return Err(PartialError::UnknownKey(name.clone()));
        };
        if out.iter().any(|&(i, _)| i == at) {
            return Err(PartialError::UnknownKey(name.clone()));
        }
        out.push((at, known[at]));
    }
    Ok(out)
}

/// Whether `value` can be a value of `kpi`: finite, not negative, a share at most 1.
fn plausible(kpi: Kpi, value: f64) -> bool {
    value.is_finite() && value >= 0.0 && (!kpi.is_share() || value <= 1.0 + 1e-9)
}

/// A row of KPI values, read by the file's `columns`.
fn load_kpis(v: &Values, columns: &[(usize, Kpi)]) -> Result<KpiValues, PartialError> {
    if v.len() != columns.len() {
        return Err(PartialError::Length {
            what: "KPI values",
            found: v.len(),
            expected: columns.len(),
        });
    }
    let mut out = KpiValues::undefined();
    for (x, &(_, kpi)) in v.iter().zip(columns) {
        if let Some(x) = *x {
            if !plausible(kpi, x) {
                return Err(PartialError::Impossible {
                    what: "",
                    key: kpi.key(),
                    value: x,
                });
            }
            out.set(kpi, x);
        }
    }
    Ok(out)
}

fn load_counts(counts: &Counts, what: &'static str) -> Result<DurationHistogram, PartialError> {
    let mut total = 0u64;
    for &(ms, n) in counts {
        if ms > LONGEST_MS || n == 0 {
            return Err(PartialError::Bin { what, ms, n });
        }
        total = total.checked_add(n).ok_or(PartialError::Overflow(what))?;
    }
    Ok(DurationHistogram::from_counts(counts))
}

/// Every replication's interval rows: a shard's tally keeps them ([`Tally::keeping_rows`]).
fn interval_rows(tally: &Tally) -> &[crate::kpi::IntervalRows] {
    let rows = tally.per_interval.rows().unwrap_or_default();
    debug_assert_eq!(
        rows.len(),
        tally.per_interval.replications(),
        "a partial is written from a tally that keeps its interval rows"
    );
    rows
}

/// The partial file of a shard.
pub fn partial_bytes(shard: &ShardInfo, tally: &Tally) -> Vec<u8> {
    let body = Body {
        format: PARTIAL_FORMAT,
        build: BUILD.to_string(),
        shard: shard.clone(),
        kpi_keys: Kpi::ALL.iter().map(|k| k.key().to_string()).collect(),
        interval_kpi_keys: INTERVAL_KPIS.iter().map(|k| k.key().to_string()).collect(),
        per_replication: tally.per_replication.iter().map(|v| save(&v.0)).collect(),
        per_scope: save_scopes(&tally.per_scope),
        per_interval: interval_rows(tally)
            .iter()
            .map(|rows| rows.iter().map(|r| save(r)).collect())
            .collect(),
        answered_waits: tally.answered_waits.to_counts(),
        callback_delays: tally
            .callback_delays
            .as_ref()
            .map(DurationHistogram::to_counts),
        follow_up_responses: tally
            .follow_up_responses
            .as_ref()
            .map(|[a, b]| [a.to_counts(), b.to_counts()]),
    };
    let mut body_bytes = serde_json::to_vec(&body).expect("partials always serialise");
    body_bytes.push(b'\n');
    let header = Header {
        format: PARTIAL_FORMAT,
        digest: hex(&Sha256::digest(&body_bytes)),
    };
    let mut out = serde_json::to_vec(&header).expect("headers always serialise");
    out.push(b'\n');
    out.extend_from_slice(&body_bytes);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Passes bytes through while hashing them, and stops at a size limit.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    left: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other(format!(
                "larger than {MAX_PARTIAL_BYTES} bytes"
            )));
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.hasher.update(&buf[..n]);
        self.left -= n as u64;
        Ok(n)
    }
}

/// Reads a partial file: size first, then the header, then the body, hashed as it is parsed.
pub fn read_partial_file(path: &std::path::Path) -> Result<(ShardInfo, Tally), PartialError> {
    read_partial(open_partial(path)?)
}

/// What shard a partial file holds, read and checked like the whole file (header, digest,
/// format, build, range) but without keeping its values: a merge orders its partials by
/// this before it folds them one at a time.
pub fn read_partial_info(path: &std::path::Path) -> Result<ShardInfo, PartialError> {
    let body: BodyShard = read_body(open_partial(path)?)?;
    check_body(body.format, &body.build)?;
    check_range(&body.shard)?;
    Ok(body.shard)
}

fn open_partial(path: &std::path::Path) -> Result<BufReader<std::fs::File>, PartialError> {
    let file = std::fs::File::open(path).map_err(PartialError::Read)?;
    let meta = file.metadata().map_err(PartialError::Read)?;
    if !meta.is_file() {
        return Err(PartialError::NotAFile);
    }
    if meta.len() > MAX_PARTIAL_BYTES {
        return Err(PartialError::TooLarge(meta.len()));
    }
    Ok(BufReader::new(file))
}

/// Reads a partial from `input` (see [`read_partial_file`]).
pub fn read_partial(input: impl BufRead) -> Result<(ShardInfo, Tally), PartialError> {
    let body: Body = read_body(input)?;
    check_body(body.format, &body.build)?;
    tally_of(body)
}

/// The header line, then the body as `B`, hashed while it is parsed and checked against the
/// header's digest.
fn read_body<B: serde::de::DeserializeOwned>(input: impl BufRead) -> Result<B, PartialError> {
    let mut input = input;
    let mut line = Vec::new();
    (&mut input)
        .take(MAX_HEADER_BYTES)
        .read_until(b'\n', &mut line)
        .map_err(PartialError::HeaderUnreadable)?;
    if line.last() != Some(&b'\n') {
        return Err(PartialError::NoHeader);
    }
    let header: Header = serde_json::from_slice(&line).map_err(PartialError::BadHeader)?;
    if header.format != PARTIAL_FORMAT {
        return Err(PartialError::Format(header.format));
    }
    let mut reader = Hashing {
        inner: input,
        hasher: Sha256::new(),
        left: MAX_PARTIAL_BYTES,
    };
    // A body that does not parse is refused at once, without reading the rest of the file.
    let body: B = serde_json::from_reader(&mut reader).map_err(PartialError::Damaged)?;
    let digest = hex(&reader.hasher.finalize());
    if digest != header.digest {
        return Err(PartialError::Digest);
    }
    Ok(body)
}

fn check_body(format: u32, build: &str) -> Result<(), PartialError> {
    if format != PARTIAL_FORMAT {
        return Err(PartialError::FormatMismatch);
    }
    if build != BUILD {
        return Err(PartialError::Build(build.to_string()));
    }
    Ok(())
}

fn check_range(shard: &ShardInfo) -> Result<(), PartialError> {
    let [start, end] = shard.range;
    if !(start < end && end <= shard.replications) {
        return Err(PartialError::Range {
            start,
            end,
            of: shard.replications,
        });
    }
    Ok(())
}

fn tally_of(file: Body) -> Result<(ShardInfo, Tally), PartialError> {
    let columns = columns(&file.kpi_keys, &Kpi::ALL, Kpi::key)?;
    let interval_columns = columns_of_intervals(&file.interval_kpi_keys)?;
    let kpis = |rows: &[Values]| {
        rows.iter()
            .map(|r| load_kpis(r, &columns))
            .collect::<Result<Vec<_>, _>>()
    };
    let scopes = |list: &[Vec<Values>]| list.iter().map(|s| kpis(s)).collect::<Result<Vec<_>, _>>();
    // Every listed scope exactly once, by key.
    let listed_once = file.per_scope.len() == ListedScope::ALL.len()
        && ListedScope::ALL
            .iter()
            .all(|s| file.per_scope.iter().filter(|(k, _)| k == s.key()).count() == 1);
    if !listed_once {
        return Err(PartialError::Scopes {
            expected: ListedScope::ALL.map(ListedScope::key).join(", "),
        });
    }
    let mut per_scope = PerScope::<Vec<Vec<KpiValues>>>::default();
    for (scope, entries) in per_scope.iter_mut() {
        let (_, rows) = file
            .per_scope
            .iter()
            .find(|(k, _)| k == scope.key())
            .expect("checked above");
        *entries = scopes(rows)?;
    }
    let mut per_interval = crate::experiment::IntervalTally::keeping_rows();
    for rows in &file.per_interval {
        let mut rep = Vec::with_capacity(rows.len());
        for r in rows {
            let mut row = [f64::NAN; INTERVAL_KPIS.len()];
            if r.len() != interval_columns.len() {
                return Err(PartialError::Length {
                    what: "interval values",
                    found: r.len(),
                    expected: interval_columns.len(),
                });
            }
            for (x, &(at, kpi)) in r.iter().zip(&interval_columns) {
                let slot = &mut row[at];
                if let Some(x) = *x {
                    if !plausible(kpi, x) {
                        return Err(PartialError::Impossible {
                            what: "interval ",
                            key: kpi.key(),
                            value: x,
                        });
                    }
                    *slot = x;
                }
            }
            rep.push(row);
        }
        per_interval.push(rep);
    }
    let tally = Tally {
        per_replication: kpis(&file.per_replication)?,
        per_scope,
        per_interval,
        answered_waits: load_counts(&file.answered_waits, "answered waits")?,
        callback_delays: file
            .callback_delays
            .as_ref()
            .map(|c| load_counts(c, "callback delays"))
            .transpose()?,
        follow_up_responses: match &file.follow_up_responses {
            Some([a, b]) => Some([
                load_counts(a, "follow-up responses")?,
                load_counts(b, "follow-up responses")?,
            ]),
            None => None,
        },
    };
    check_range(&file.shard)?;
    let [start, end] = file.shard.range;
    if tally.per_replication.len() as u64 != u64::from(end - start) {
        return Err(PartialError::Count);
    }
    Ok((file.shard, tally))
}
