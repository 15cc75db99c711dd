//! # callsim
//!
//! A discrete-event simulator of call centers: callers who arrive, wait, give up and call again;
//! agents who answer; many independent replications in parallel, reported with confidence
//! intervals and next to queueing theory. Agents behave differently when a manager watches
//! them, promise follow-ups and sometimes put them off; [`kpi`] reports what customers live next
//! to what each manager believes.
//!
//! The pipeline is: [`scenario`] (TOML → validated [`model::Scenario`]) → [`experiment`]
//! (replications on [`engine`], measured by [`kpi`], summarised by [`stats`]) → [`report`].
//! [`theory`] holds the Erlang formulas the simulation is checked against.
//!
//! Three cargo features, all on by default, add the front ends: `plot` (charts as PNG and SVG,
//! and the HTML report that embeds them), `cli` (the `callsim` binary's command line; it
//! needs `plot`) and `serve` (the local web app of `callsim serve`; it needs `cli`). A library user who only simulates can leave both out
//! (`default-features = false`) and compiles neither clap nor plotters.
//!
//! ```
//! use callsim::{experiment, scenario, theory};
//!
//! // An M/M/10 queue at 80 % load, 20 replications of 4 hours.
//! let s = scenario::parse(
//!     r#"
//!     horizon = "4h"
//!     warmup = "30m"
//!     [arrivals]
//!     rate = "2/min"
//!     [[callers]]
//!     handle_time = { dist = "exponential", mean = "4m" }
//!     [agents]
//!     count = 10
//!     "#,
//!     "example.toml",
//!     &[],
//! )
//! .unwrap();
//! let options = experiment::RunOptions { replications: 20, seed: 1, threads: Some(1), details: false, clock: None };
//! let result = experiment::run(&s, &options, &|_, _| {}).unwrap();
//! let p_wait = result.overall.get(callsim::kpi::Kpi::PWait).unwrap();
//! let exact = theory::ErlangC::new(10, 2.0 / 60.0, 1.0 / 240.0).unwrap().p_wait;
//! assert!((p_wait.mean - exact).abs() < 0.1);
//! ```

#![deny(missing_docs)]
// Checks are written `!(x > 0.0)` on purpose: NaN must fail them (see STYLE.md, habit 1).
#![allow(clippy::neg_cmp_op_on_partial_ord)]

#[cfg(feature = "cli")]
pub mod cli;
pub mod dist;
pub mod engine;
pub mod experiment;
pub mod kpi;
pub mod model;
#[cfg(feature = "plot")]
pub mod plot;
pub mod report;
pub mod scenario;
#[cfg(feature = "serve")]
pub mod serve;
pub mod stats;
pub mod theory;

use std::path::Path;

/// Anything that stops a command. [`Error::exit_code`] maps it to the process exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario or an override is invalid (exit code 2).
    #[error(transparent)]
    Scenario(#[from] scenario::ScenarioError),
    /// A flag combination or a flag's value is invalid (exit code 2); the message names the
    /// flags.
    #[cfg(feature = "cli")]
    #[error(transparent)]
    Usage(#[from] cli::Usage),
    /// The scenario of `file` cannot be run or planned as the command asks (exit code 2).
    #[cfg(feature = "cli")]
    #[error("{file}: {problem}")]
    Unworkable {
        /// The scenario file.
        file: String,
        /// What stops it.
        problem: cli::Unworkable,
    },
    /// A `--vary` or `--variant` text that cannot be read (exit code 2).
    #[error("{flag} {source}")]
    Spec {
        /// The flag.
        flag: &'static str,
        /// What is wrong with its text.
        source: experiment::SpecError,
    },
    /// An output path that cannot be used, found before any work (exit code 2).
    #[error(transparent)]
    Target(#[from] report::files::TargetError),
    /// A partial result that `merge` refuses (exit code 2).
    #[error("{path}: refused: {reason}")]
    Refused {
        /// The partial file.
        path: String,
        /// Why.
        reason: report::Refusal,
    },
    /// The simulation could not finish: a stalled replication (exit code 2: the input loops)
    /// or worker threads that would not start (exit code 1).
    #[error(transparent)]
    Run(#[from] experiment::RunError),
    /// An output file could not be written (exit code 1).
    #[error("cannot write {path}: {source}")]
    Output {
        /// The file or folder.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A chart could not be drawn (exit code 1).
    #[cfg(feature = "plot")]
    #[error("cannot draw the {what}: {source}")]
    Draw {
        /// `charts` or `timeline`.
        what: &'static str,
        /// The plotting error.
        source: plot::PlotError,
    },
    /// A decision that cannot meet its target (exit code 1): the message names the intervals.
    #[error(transparent)]
    Unmet(#[from] experiment::Unmet),
    /// `validate` could not run its cases (exit code 1).
    #[error(transparent)]
    Validate(#[from] experiment::ValidateError),
    /// `serve` could not listen on its port, or stopped serving (exit code 1).
    #[cfg(feature = "serve")]
    #[error("cannot serve on 127.0.0.1:{port}: {source}")]
    Serve {
        /// The port asked for.
        port: u16,
        /// The I/O error (e.g. the port is taken).
        source: std::io::Error,
    },
    /// `validate` found the simulation disagreeing with theory (exit code 1).
    #[error("{0} comparison(s) failed: the simulation disagrees with theory")]
    Disagrees(usize),
}

impl Error {
    /// 2 for invalid input, 1 for anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_) | Error::Spec { .. } | Error::Target(_) | Error::Refused { .. } => 2,
            Error::Run(experiment::RunError::Stalled { .. }) => 2,
            Error::Run(experiment::RunError::Threads(_) | experiment::RunError::Stopped) => 1,
            Error::Output { .. } | Error::Unmet(_) | Error::Validate(_) | Error::Disagrees(_) => 1,
            #[cfg(feature = "plot")]
            Error::Draw { .. } => 1,
            #[cfg(feature = "cli")]
            Error::Usage(_) | Error::Unworkable { .. } => 2,
            #[cfg(feature = "serve")]
            Error::Serve { .. } => 1,
        }
    }

    /// An output error for `path`.
    pub fn output(path: &Path, source: std::io::Error) -> Self {
        Error::Output {
            path: path.display().to_string(),
            source,
        }
    }
}
