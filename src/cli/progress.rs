//! Progress of long runs on stderr: a bar on a terminal, plain lines otherwise (CI logs, batch
//! jobs), nothing with `--quiet`.
//!
//! Besides finished replications it shows how far the running replications have come in
//! simulated time, so that one long replication does not look stuck at `0/1`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::experiment::SimulatedClock;
use crate::scenario::units::duration_text;

/// How often a plain progress line is printed at most.
const LINE_EVERY: Duration = Duration::from_secs(2);

/// How often the bar's simulated time is refreshed.
const BAR_EVERY: Duration = Duration::from_millis(250);

/// What the reporter thread and the workers share.
struct Shared {
    total: u32,
    done: AtomicU32,
    clock: Arc<SimulatedClock>,
    /// The simulated time a replication runs to (its horizon; the drain may go a little past).
    horizon_s: f64,
    stop: AtomicBool,
    wake: (Mutex<()>, Condvar),
}

impl Shared {
    fn line(&self) -> String {
        let done = self.done.load(Ordering::Relaxed);
        let reached = self.clock.furthest_s().floor();
        if done < self.total && reached > 0.0 {
            format!(
                "{done}/{} replications, running ones at {} of {} simulated",
                self.total,
                duration_text(reached),
                duration_text(self.horizon_s.ceil())
            )
        } else {
            format!("{done}/{} replications", self.total)
        }
    }

    /// Waits up to `period`; false once the run is over.
    fn wait(&self, period: Duration) -> bool {
        let (lock, cvar) = &self.wake;
        let Ok(guard) = lock.lock() else { return false };
        // Checked under the lock that `finish` takes, so its wake-up cannot be missed.
        if self.stop.load(Ordering::Relaxed) {
            return false;
        }
        let _ = cvar.wait_timeout(guard, period);
        !self.stop.load(Ordering::Relaxed)
    }
}

/// Reports replications done and simulated time; safe to call from the worker threads.
pub struct Progress {
    shared: Option<Arc<Shared>>,
    bar: Option<ProgressBar>,
    reporter: Option<JoinHandle<()>>,
}

impl Progress {
    /// Progress for `total` replications of `what`, each running to `horizon_s`; `clock` is where
    /// the workers record their simulated time (give the same one to the run options).
    pub fn new(
        total: u32,
        what: &str,
        quiet: bool,
        horizon_s: f64,
        clock: Arc<SimulatedClock>,
    ) -> Self {
        if quiet {
            return Self {
                shared: None,
                bar: None,
                reporter: None,
            };
        }
        let shared = Arc::new(Shared {
            total,
            done: AtomicU32::new(0),
            clock,
            horizon_s,
            stop: AtomicBool::new(false),
            wake: (Mutex::new(()), Condvar::new()),
        });
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(u64::from(total));
            let style = ProgressStyle::with_template(
                "{prefix} [{bar:40}] {msg}, {elapsed} (about {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(what.to_string());
            bar.set_message(shared.line());
            bar
        });
        let reporter = {
            let shared = Arc::clone(&shared);
            let bar = bar.clone();
            std::thread::Builder::new()
                .name("progress".into())
                .spawn(move || report(&shared, bar.as_ref()))
                .ok()
        };
        Self {
            shared: Some(shared),
            bar,
            reporter,
        }
    }

    /// One more replication is finished (`done` counts them; kept for the callers' signature).
    pub fn tick(&self, _done: u32) {
        if let Some(s) = &self.shared {
            s.done.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// The run is over: the reporter stops and the bar disappears.
    pub fn finish(&mut self) {
        if let Some(s) = &self.shared {
            let _guard = s.wake.0.lock();
            s.stop.store(true, Ordering::Relaxed);
            s.wake.1.notify_all();
        }
        if let Some(handle) = self.reporter.take() {
            let _ = handle.join();
        }
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The reporter thread: the bar's message a few times a second, or a plain line every
/// [`LINE_EVERY`] once the run has lasted that long (short runs print nothing).
fn report(shared: &Shared, bar: Option<&ProgressBar>) {
    let period = if bar.is_some() { BAR_EVERY } else { LINE_EVERY };
    let started = Instant::now();
    while shared.wait(period) {
        match bar {
            Some(bar) => bar.set_message(shared.line()),
            None if started.elapsed() >= LINE_EVERY => eprintln!("progress: {}", shared.line()),
            None => {}
        }
    }
}
