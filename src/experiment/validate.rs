//! `callsim validate`: textbook cases simulated and compared with their closed forms.

use super::{ExperimentResult, RunOptions, run};
use crate::kpi::Kpi;
use crate::stats::Estimate;
use crate::theory::{ErlangA, ErlangC, priority_waits};

/// False-alarm probability per comparison for the pass/fail verdict (as in the test suite).
pub const VALIDATE_ALPHA: f64 = 1e-4;

/// One comparison of a simulated KPI with its exact value.
#[derive(Debug, Clone)]
pub struct Check {
    /// The textbook case.
    pub case: &'static str,
    /// Caller class, or `all`.
    pub scope: String,
    /// The KPI.
    pub kpi: Kpi,
    /// The simulation's estimate.
    pub simulated: Estimate,
    /// The closed-form value.
    pub exact: f64,
}

impl Check {
    /// Whether the 95 % interval covers the exact value (true about 95 % of the time).
    pub fn covered(&self) -> bool {
        self.simulated.covers(self.exact)
    }

    /// Whether the exact value lies within t(1 − α/2)·SE at [`VALIDATE_ALPHA`]: the verdict.
    pub fn passes(&self) -> bool {
        self.simulated.within_band(self.exact, VALIDATE_ALPHA)
    }
}

struct Case {
    name: &'static str,
    toml: String,
    expect: fn(&ExperimentResult) -> Vec<(String, Kpi, f64)>,
}

fn mm(
    name: &str,
    agents: u32,
    per_hour: f64,
    aht_s: f64,
    patience_s: Option<f64>,
    hours: f64,
) -> String {
    let patience = patience_s
        .map(|p| format!("patience = {{ dist = \"exponential\", mean = \"{p}s\" }}"))
        .unwrap_or_default();
    format!(
        "name = \"{name}\"\nhorizon = \"{}h\"\nwarmup = \"2h\"\n[arrivals]\nrate = \"{per_hour}/h\"\n\
         [[callers]]\nhandle_time = {{ dist = \"exponential\", mean = \"{aht_s}s\" }}\n{patience}\n\
         [agents]\ncount = {agents}\n",
        hours + 2.0
    )
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "M/M/1 at 80 % (Erlang C, c = 1)",
            toml: mm("M/M/1", 1, 48.0, 60.0, None, 400.0),
            expect: |_| {
                let e = ErlangC::new(1, 48.0 / 3600.0, 1.0 / 60.0).expect("stable");
                vec![
                    ("all".into(), Kpi::PWait, e.p_wait),
                    ("all".into(), Kpi::AsaS, e.mean_wait_s),
                    ("all".into(), Kpi::Occupancy, e.occupancy),
                    ("all".into(), Kpi::QueueLengthMean, e.queue_length_mean),
                ]
            },
        },
        Case {
            name: "M/M/10 at 90 % (Erlang C)",
            toml: mm("M/M/10", 10, 135.0, 240.0, None, 200.0),
            expect: |_| {
                let e = ErlangC::new(10, 135.0 / 3600.0, 1.0 / 240.0).expect("stable");
                vec![
                    ("all".into(), Kpi::PWait, e.p_wait),
                    ("all".into(), Kpi::AsaS, e.mean_wait_s),
                    ("all".into(), Kpi::ServiceLevel, e.service_level(20.0)),
                    ("all".into(), Kpi::Occupancy, e.occupancy),
                ]
            },
        },
        Case {
            name: "M/M/50+M at 96 % load (Erlang A)",
            toml: mm("M/M/50+M", 50, 720.0, 240.0, Some(120.0), 40.0),
            expect: |_| {
                let e = ErlangA::new(50, 0.2, 1.0 / 240.0, 1.0 / 120.0).expect("valid");
                vec![
                    ("all".into(), Kpi::PWait, e.p_wait),
                    ("all".into(), Kpi::AbandonmentRate, e.p_abandon),
                    ("all".into(), Kpi::AsaS, e.asa_s),
                    ("all".into(), Kpi::ServiceLevel, e.service_level(20.0)),
                ]
            },
        },
        Case {
            name: "2 priority classes on 3 agents (Cobham)",
            toml: "name = \"priority\"\nhorizon = \"302h\"\nwarmup = \"2h\"\n[arrivals]\n\
                   rate = \"36/h\"\n[[callers]]\nname = \"high\"\nshare = 0.3\npriority = 1\n\
                   handle_time = { dist = \"exponential\", mean = \"4m\" }\n[[callers]]\n\
                   name = \"low\"\nshare = 0.7\nhandle_time = { dist = \"exponential\", mean = \"4m\" }\n\
                   [agents]\ncount = 3\n"
                .into(),
            expect: |_| {
                let w = priority_waits(3, &[0.3 * 0.01, 0.7 * 0.01], 1.0 / 240.0).expect("stable");
                vec![
                    ("high".into(), Kpi::AsaS, w[0]),
                    ("low".into(), Kpi::AsaS, w[1]),
                ]
            },
        },
    ]
}

/// Why the textbook cases could not run.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// A built-in case does not parse (a bug of this build).
    #[error(transparent)]
    Case(#[from] crate::scenario::ScenarioError),
    /// A case's simulation failed.
    #[error(transparent)]
    Run(#[from] super::RunError),
    /// A case expects a class or KPI its result lacks (a bug of this build).
    #[error("the case {0} expects a class or KPI its result does not have")]
    Missing(&'static str),
}

/// Runs every textbook case with `replications` and `seed`.
pub fn validate(
    replications: u32,
    seed: u64,
    threads: Option<usize>,
) -> Result<Vec<Check>, ValidateError> {
    let mut out = Vec::new();
    // Each case on its own streams (seed + its index), so that the cases are independent
    // trials of the coverage count; the KPIs of one case still share its replications.
    for (index, case) in cases().into_iter().enumerate() {
        let seed = seed.wrapping_add(index as u64);
        let s = crate::scenario::parse(&case.toml, case.name, &[])?;
        let options = RunOptions {
            replications,
            seed,
            threads,
            details: false,
            clock: None,
        };
        let r = run(&s, &options, &|_, _| {})?;
        for (scope, kpi, exact) in (case.expect)(&r) {
            let results = if scope == "all" {
                &r.overall
            } else {
                r.by_class()
                    .iter()
                    .find(|c| c.name == scope)
                    .ok_or(ValidateError::Missing(case.name))?
            };
            let simulated = *results.get(kpi).ok_or(ValidateError::Missing(case.name))?;
            out.push(Check {
                case: case.name,
                scope,
                kpi,
                simulated,
                exact,
            });
        }
    }
    Ok(out)
}
