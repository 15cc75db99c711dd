//! Helpers shared by the integration tests.

use callsim::engine::AgentState;
use callsim::experiment::{self, ExperimentResult, RunOptions};
use callsim::model::Scenario;
use callsim::stats::student_t_quantile;

/// The scenarios in `scenarios/`, in name order.
pub fn scenario_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// Parses an inline scenario.
pub fn scenario(text: &str) -> Scenario {
    callsim::scenario::parse(text, "inline.toml", &[]).expect("test scenario is valid")
}

/// Runs `replications` replications with `seed` on all cores.
pub fn run(s: &Scenario, replications: u32, seed: u64) -> ExperimentResult {
    let options = RunOptions {
        replications,
        seed,
        threads: None,
        details: false,
        clock: None,
    };
    experiment::run(s, &options, &|_, _| {}).expect("thread pool starts")
}

/// Per-comparison false-alarm probability of the theory checks. The suite makes about a hundred
/// comparisons; with alpha = 1e-4 each, the chance that any fails by bad luck is about 1 %.
pub const ALPHA: f64 = 1e-4;

/// Asserts that `exact` lies within t(1 − α/2, n − 1) standard errors of the simulated mean.
pub fn assert_agrees(result: &ExperimentResult, scope: &str, key: &str, exact: f64) {
    let kpi = callsim::kpi::Kpi::from_key(key).expect("known KPI key");
    let s = if scope == "all" {
        &result.overall
    } else {
        result
            .by_class()
            .iter()
            .find(|c| c.name == scope)
            .expect("known class")
    };
    let e = s.get(kpi).expect("KPI reported for scope");
    let t = student_t_quantile(1.0 - ALPHA / 2.0, (e.n - 1) as f64);
    let tolerance = t * e.std_error();
    assert!(
        (e.mean - exact).abs() <= tolerance,
        "{}: {scope} {key}: simulated {:.6} ± {:.6} (t·SE, n = {}), theory {exact:.6}",
        result.scenario,
        e.mean,
        tolerance,
        e.n
    );
}

/// Half width of the t band at [`ALPHA`] around an estimate.
pub fn band(e: &callsim::stats::Estimate) -> f64 {
    student_t_quantile(1.0 - ALPHA / 2.0, (e.n - 1) as f64) * e.std_error()
}

/// Paired differences `a − b` of `kpi` over replications run on the same seed.
pub fn paired(
    a: &ExperimentResult,
    b: &ExperimentResult,
    kpi: callsim::kpi::Kpi,
) -> callsim::stats::Estimate {
    callsim::stats::Estimate::from_values(
        a.per_replication
            .iter()
            .zip(&b.per_replication)
            .map(|(x, y)| x.get(kpi) - y.get(kpi)),
    )
}

/// A small valid scenario: one class, three agents, two hours, four replications.
pub const TINY: &str = r#"
name = "tiny"
horizon = "2h"
replications = 4
[arrivals]
rate = "30/h"
[[callers]]
name = "regular"
patience = { dist = "exponential", mean = "2m" }
handle_time = { dist = "exponential", mean = "4m" }
[agents]
count = 3
"#;

/// Writes `text` to `dir/name`; returns the path as text, for arguments.
pub fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Runs the callsim binary with `args`.
pub fn callsim(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_callsim"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Asserts that a run of the binary succeeded (showing its stderr if not); its stdout.
pub fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `scenario` as `shards` shards of `replications` (each with `extra` arguments) into
/// partial files in `dir`; their paths, in shard order.
pub fn run_shards(
    dir: &std::path::Path,
    scenario: &str,
    replications: u32,
    shards: u32,
    extra: &[&str],
) -> Vec<String> {
    let replications = replications.to_string();
    (1..=shards)
        .map(|k| {
            let part = dir.join(format!("part{k}")).display().to_string();
            let shard = format!("{k}/{shards}");
            let args = [
                "run",
                scenario,
                "--replications",
                &replications,
                "--shard",
                &shard,
                "--partial",
                &part,
                "--quiet",
            ];
            ok(&callsim(&[&args[..], extra].concat()));
            part
        })
        .collect()
}

/// A fresh, empty folder for one test.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("callsim-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Agents in each state and the agent time spent in each, integrated from an observer's state
/// changes: what the "agent time adds up" checks compare with agents × run time.
#[derive(Debug, Default)]
pub struct AgentClock {
    /// Agents in each state now.
    pub agents: [u32; AgentState::COUNT],
    /// Agent seconds spent in each state so far.
    pub time: [f64; AgentState::COUNT],
    /// The latest time seen.
    pub last: f64,
}

impl AgentClock {
    /// `agents` agents, all idle at time 0.
    pub fn idle(agents: u32) -> Self {
        let mut clock = Self::default();
        clock.agents[AgentState::Idle as usize] = agents;
        clock
    }

    /// Adds the time since the latest time seen, at the current counts. Time never runs back
    /// here: observers that check the order of times do so themselves.
    pub fn advance(&mut self, t: f64) {
        let span = (t - self.last).max(0.0);
        for (n, s) in self.agents.iter().zip(&mut self.time) {
            *s += f64::from(*n) * span;
        }
        self.last = self.last.max(t);
    }

    /// One agent goes from `from` to `to`; false, and nothing moves, if no agent was in `from`.
    pub fn moves(&mut self, from: AgentState, to: AgentState) -> bool {
        if self.agents[from as usize] == 0 {
            return false;
        }
        self.agents[from as usize] -= 1;
        self.agents[to as usize] += 1;
        true
    }

    /// Agent seconds in all states together.
    pub fn total(&self) -> f64 {
        self.time.iter().sum()
    }

    /// Agents in `state` now.
    pub fn in_state(&self, state: AgentState) -> u32 {
        self.agents[state as usize]
    }
}
