//! Partial results of shards (`run --shard K/N --partial FILE`) and reading them back for
//! `merge`. A partial holds the per-replication values and pooled histograms of its replication
//! range, plus the scenario text, so the merge can rebuild exactly the result of one run.

use serde::{Deserialize, Serialize};

use crate::experiment::Tally;
use crate::kpi::{Kpi, KpiValues};
use crate::stats::DurationHistogram;

/// Version of the partial-file format.
pub const PARTIAL_FORMAT: u32 = 1;

/// What a shard ran: enough to check that partials belong together and to rebuild the scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// Where the scenario came from.
    pub source: String,
    /// The scenario file's text.
    pub scenario_text: String,
    /// `--set` overrides.
    pub overrides: Vec<String>,
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
struct PartialFile {
    format: u32,
    shard: ShardInfo,
    per_replication: Vec<Values>,
    per_class: Vec<Vec<Values>>,
    per_manager: Vec<Vec<Values>>,
    #[serde(default)]
    per_department: Vec<Vec<Values>>,
    #[serde(default)]
    per_decline_reason: Vec<Vec<Values>>,
    per_interval: Vec<Vec<Values>>,
    answered_waits: Counts,
    callback_delays: Option<Counts>,
    follow_up_responses: Option<[Counts; 2]>,
}

fn save(v: &[f64]) -> Values {
    v.iter().map(|x| (!x.is_nan()).then_some(*x)).collect()
}

/// Each scope's per-replication values, for the file.
fn save_scopes(scopes: &[Vec<KpiValues>]) -> Vec<Vec<Values>> {
    scopes
        .iter()
        .map(|s| s.iter().map(|v| save(&v.0)).collect())
        .collect()
}

fn load_kpis(v: &Values) -> Result<KpiValues, String> {
    if v.len() != Kpi::COUNT {
        return Err(format!(
            "{} KPI values where {} were expected",
            v.len(),
            Kpi::COUNT
        ));
    }
    let mut out = KpiValues::undefined();
    for (slot, x) in out.0.iter_mut().zip(v) {
        *slot = x.unwrap_or(f64::NAN);
    }
    Ok(out)
}

/// The partial file of a shard.
pub fn partial_bytes(shard: &ShardInfo, tally: &Tally) -> Vec<u8> {
    let file = PartialFile {
        format: PARTIAL_FORMAT,
        shard: shard.clone(),
        per_replication: tally.per_replication.iter().map(|v| save(&v.0)).collect(),
        per_class: save_scopes(&tally.per_class),
        per_manager: save_scopes(&tally.per_manager),
        per_department: save_scopes(&tally.per_department),
        per_decline_reason: save_scopes(&tally.per_decline_reason),
        per_interval: tally
            .per_interval
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
    let mut out = serde_json::to_vec(&file).expect("partials always serialise");
    out.push(b'\n');
    out
}

/// Reads a partial file back.
pub fn read_partial(bytes: &[u8]) -> Result<(ShardInfo, Tally), String> {
    let file: PartialFile =
        serde_json::from_slice(bytes).map_err(|e| format!("not a callsim partial result: {e}"))?;
    if file.format != PARTIAL_FORMAT {
        return Err(format!(
            "partial format {} (this callsim reads {PARTIAL_FORMAT})",
            file.format
        ));
    }
    let kpis = |rows: &[Values]| rows.iter().map(load_kpis).collect::<Result<Vec<_>, _>>();
    let scopes = |list: &[Vec<Values>]| list.iter().map(|s| kpis(s)).collect::<Result<Vec<_>, _>>();
    let mut per_interval = Vec::with_capacity(file.per_interval.len());
    for rows in &file.per_interval {
        let mut rep = Vec::with_capacity(rows.len());
        for r in rows {
            let mut row = [f64::NAN; crate::kpi::INTERVAL_KPIS.len()];
            if r.len() != row.len() {
                return Err("an interval row of the wrong length".into());
            }
            for (slot, x) in row.iter_mut().zip(r) {
                *slot = x.unwrap_or(f64::NAN);
            }
            rep.push(row);
        }
        per_interval.push(rep);
    }
    let tally = Tally {
        per_replication: kpis(&file.per_replication)?,
        per_class: scopes(&file.per_class)?,
        per_manager: scopes(&file.per_manager)?,
        per_department: scopes(&file.per_department)?,
        per_decline_reason: scopes(&file.per_decline_reason)?,
        per_interval,
        answered_waits: DurationHistogram::from_counts(&file.answered_waits),
        callback_delays: file
            .callback_delays
            .as_deref()
            .map(DurationHistogram::from_counts),
        follow_up_responses: file.follow_up_responses.as_ref().map(|[a, b]| {
            [
                DurationHistogram::from_counts(a),
                DurationHistogram::from_counts(b),
            ]
        }),
    };
    let [start, end] = file.shard.range;
    if tally.per_replication.len() as u32 != end.saturating_sub(start) {
        return Err("the replication count does not match the range".into());
    }
    Ok((file.shard, tally))
}
