//! Progress of long runs on stderr: a bar on a terminal, plain lines otherwise (CI logs, batch
//! jobs), nothing with `--quiet`.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How often a plain progress line is printed at most.
const LINE_EVERY: Duration = Duration::from_secs(2);

/// Reports replications done; safe to call from the worker threads.
pub enum Progress {
    /// A progress bar on a terminal.
    Bar(ProgressBar),
    /// A line every few seconds when stderr is not a terminal.
    Lines {
        /// Replications in all.
        total: u32,
        /// When the last line was printed (the start at first).
        last: Mutex<Instant>,
    },
    /// Nothing at all.
    Off,
}

impl Progress {
    /// Progress for `total` replications of `what`.
    pub fn new(total: u32, what: &str, quiet: bool) -> Self {
        if quiet {
            return Progress::Off;
        }
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(u64::from(total));
            let style = ProgressStyle::with_template(
                "{msg} [{bar:40}] {pos}/{len} replications, {elapsed} (about {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.set_message(what.to_string());
            Progress::Bar(bar)
        } else {
            Progress::Lines {
                total,
                last: Mutex::new(Instant::now()),
            }
        }
    }

    /// `done` replications are finished.
    pub fn tick(&self, done: u32) {
        match self {
            Progress::Bar(bar) => bar.inc(1),
            Progress::Lines { total, last } => {
                // Short runs print nothing; long ones a line every few seconds.
                let Ok(mut last) = last.lock() else { return };
                if last.elapsed() >= LINE_EVERY && done < *total {
                    eprintln!("progress: {done}/{total} replications");
                    *last = Instant::now();
                }
            }
            Progress::Off => {}
        }
    }

    /// The run is over: the bar disappears.
    pub fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
