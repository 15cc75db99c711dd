//! What a run will need, estimated before it starts, so that a scenario that cannot fit is
//! refused with the keys that drive it instead of aborting out of memory half-way.
//!
//! The estimate is deliberately generous (it counts the worst stretch of the day for the whole
//! run): a refusal names a figure far above what any real center needs.

use super::RunOptions;
use crate::kpi::{INTERVAL_KPIS, IntervalLayout, Kpi};
use crate::model::{Arrivals, Scenario};
use crate::stats::HISTOGRAM_BYTES;

/// Most memory a run may need, in bytes: two thirds of the 24 GiB these machines have.
pub const MAX_RUN_BYTES: u64 = 16 << 30;

/// Memory per caller in the system: the caller slot, its queue entry and its timers.
const CALLER_BYTES: f64 = 160.0;

/// Memory per agent: its state, skills and statistics.
const AGENT_BYTES: f64 = 256.0;

/// One part of the estimate: what it is, which keys drive it, and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryPart {
    /// What takes the memory.
    pub what: &'static str,
    /// The scenario keys (or flags) that drive it.
    pub keys: &'static str,
    /// Bytes.
    pub bytes: f64,
}

/// A run that would need more than [`MAX_RUN_BYTES`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "this run would need about {} GiB of memory, more than the {} GiB allowed; most of it for \
     {} (driven by {}): lower them, or run fewer replications or threads",
    gib(*total),
    MAX_RUN_BYTES >> 30,
    largest.what,
    largest.keys
)]
pub struct TooBig {
    /// The estimate in bytes.
    pub total: f64,
    /// Its largest part.
    pub largest: MemoryPart,
}

fn gib(bytes: f64) -> String {
    format!("{:.1}", bytes / f64::from(1u32 << 30))
}

/// The parts of the memory `scenario` needs when run with `options`.
pub fn memory_parts(scenario: &Scenario, options: &RunOptions) -> Vec<MemoryPart> {
    let threads = options
        .threads
        .unwrap_or_else(rayon::current_num_threads)
        .max(1)
        .min(options.replications.max(1) as usize) as f64;
    let peak_rate = match &scenario.arrivals {
        Arrivals::Constant { rate_per_s } => *rate_per_s,
        Arrivals::Profile { rates_per_s, .. } => rates_per_s.iter().copied().fold(0.0, f64::max),
    } * (1.0 + 2.0 * scenario.day_noise_cv);
    let work: f64 = scenario
        .callers
        .iter()
        .map(|c| {
            c.share * (c.handle_time.mean() + c.after_call_work.as_ref().map_or(0.0, |d| d.mean()))
        })
        .sum();
    let agents = f64::from(scenario.agents.count + scenario.floor.call_taking_managers());
    let overloaded = peak_rate * work >= agents;
    let impatient_wait = scenario
        .callers
        .iter()
        .filter_map(|c| c.patience.as_ref().map(|p| p.mean()))
        .fold(0.0, f64::max);
    let someone_waits_forever = scenario.callers.iter().any(|c| c.patience.is_none());
    // Callers in the system at once: an overloaded queue of callers who never give up holds
    // every arrival of the horizon; otherwise about rate × (work + the longest mean patience).
    let wait = if overloaded && someone_waits_forever {
        scenario.horizon
    } else {
        impatient_wait.max(work)
    };
    let callers = peak_rate * (work + wait) * 2.0;
    let scopes = 1
        + scenario.callers.len()
        + scenario.agents.departments.len()
        + scenario.floor.managers.len();
    let reasons = scenario.outbound.as_ref().map_or(0, |o| o.declines.len());
    let intervals = IntervalLayout::of(scenario).count as f64;
    let replications = f64::from(options.replications);
    let kept_scopes = (scopes + reasons) as f64;
    let mut parts = vec![
        MemoryPart {
            what: "callers in the system at once",
            keys: "arrivals.rate or arrivals.profile, callers[].patience and handle_time, \
                   agents.count",
            bytes: threads * callers * CALLER_BYTES,
        },
        MemoryPart {
            what: "statistics of every caller class, department and manager",
            keys: "[[callers]], agents.skills and [[managers]]",
            bytes: threads * scopes as f64 * 2.0 * HISTOGRAM_BYTES as f64,
        },
        MemoryPart {
            what: "agents",
            keys: "agents.count",
            bytes: threads * agents * AGENT_BYTES,
        },
        MemoryPart {
            what: "the KPIs of every replication",
            keys: "replications and [[callers]]",
            bytes: replications * kept_scopes * Kpi::COUNT as f64 * 8.0,
        },
    ];
    if options.details {
        // Rows of the replications that finished but are not folded yet (a chunk), the
        // running estimates they fold into, and the result's estimates.
        let held =
            f64::from(super::chunk_len(scenario, options, threads as usize)).min(replications);
        let cells = intervals * INTERVAL_KPIS.len() as f64;
        parts.push(MemoryPart {
            what: "KPIs per interval",
            keys: "report_interval (or arrivals.profile.interval)",
            bytes: (held + threads) * cells * 8.0 * 2.0 + cells * (24.0 + 56.0),
        });
    }
    parts
}

/// Refuses a run whose estimate is above [`MAX_RUN_BYTES`].
pub fn check_memory(scenario: &Scenario, options: &RunOptions) -> Result<(), TooBig> {
    let parts = memory_parts(scenario, options);
    let total: f64 = parts.iter().map(|p| p.bytes).sum();
    if total <= MAX_RUN_BYTES as f64 {
        return Ok(());
    }
    let largest = parts
        .into_iter()
        .max_by(|a, b| a.bytes.total_cmp(&b.bytes))
        .expect("the estimate has parts");
    Err(TooBig { total, largest })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(extra: &str) -> Scenario {
        let text = format!(
            "horizon = \"8h\"\n[arrivals]\nrate = \"12/min\"\n[[callers]]\n\
             handle_time = {{ dist = \"exponential\", mean = \"4m\" }}\n{extra}\n[agents]\ncount = 50\n"
        );
        crate::scenario::parse(&text, "t.toml", &[]).unwrap()
    }

    fn options(replications: u32) -> RunOptions {
        RunOptions {
            replications,
            seed: 1,
            threads: Some(2),
            details: true,
            clock: None,
        }
    }

    #[test]
    fn a_real_center_fits_and_a_flood_does_not() {
        let yardstick = scenario("patience = { dist = \"exponential\", mean = \"2m\" }");
        check_memory(&yardstick, &options(100_000)).unwrap();
        let total: f64 = memory_parts(&yardstick, &options(30))
            .iter()
            .map(|p| p.bytes)
            .sum();
        assert!(total < 64e6, "{total}");
        // A million calls a second with two minutes of patience: about 10⁸ callers at once.
        let flood = crate::scenario::parse(
            "horizon = \"8h\"\n[arrivals]\nrate = \"1000000/s\"\n[[callers]]\n\
             patience = { dist = \"exponential\", mean = \"2m\" }\n\
             handle_time = { dist = \"exponential\", mean = \"4m\" }\n[agents]\ncount = 50\n",
            "t.toml",
            &[],
        )
        .unwrap();
        let e = check_memory(&flood, &options(30)).unwrap_err();
        assert!(e.to_string().contains("arrivals.rate"), "{e}");
        // An overloaded queue of callers who never hang up holds the whole horizon's arrivals.
        let backlog = scenario("").clone();
        let mut heavy = backlog.clone();
        heavy.arrivals = Arrivals::Constant { rate_per_s: 1000.0 };
        heavy.horizon = 3650.0 * 86_400.0;
        assert!(check_memory(&heavy, &options(1)).is_err());
        check_memory(&backlog, &options(30)).unwrap();
    }
}
