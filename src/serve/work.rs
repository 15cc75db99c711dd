//! Runs under the server's limits: admitted only with a free slot and an expected size within
//! the event budget, run on a blocking thread, watched every quarter second (progress to the
//! page; a stop when the budget of seconds or events is spent, or when the page goes away).

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::OwnedSemaphorePermit;

use super::api::{ApiError, Problem, problem};
use super::{App, Limits};
use crate::experiment::{RunOptions, SimulatedClock};
use crate::model::Scenario;

/// Events per offered call, for the estimate before a run: its arrival, its answer or
/// abandonment, the end of its talk and of its wrap-up.
const EVENTS_PER_CALL: f64 = 4.0;

/// How often the page hears of progress, and the budget is checked.
const WATCH_EVERY: Duration = Duration::from_millis(250);

/// A problem of the server itself (500).
pub(super) fn internal(message: String) -> Problem {
    Problem {
        message,
        key: None,
        line: None,
    }
}

/// A free run slot, or 429 when every slot is taken.
pub(super) fn permit(app: &App) -> Result<OwnedSemaphorePermit, ApiError> {
    app.runs.clone().try_acquire_owned().map_err(|_| {
        problem(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "{} run(s) already under way, as many as this server runs at once \
                 (callsim serve --max-runs): try again when one has finished",
                app.limits.max_runs
            ),
        )
    })
}

/// Events a run of `variants` variants of `scenario` is expected to handle.
fn expected_events(scenario: &Scenario, options: &RunOptions, variants: u32) -> f64 {
    let calls = scenario.arrivals.expected_arrivals(scenario.horizon);
    let pilots = if scenario.warmup_auto {
        f64::from(options.replications)
    } else {
        0.0
    };
    calls * EVENTS_PER_CALL * (f64::from(options.replications) + pilots) * f64::from(variants)
}

/// A run admitted to the server.
pub(super) struct Job {
    options: RunOptions,
    clock: Arc<SimulatedClock>,
    limits: Limits,
    permit: OwnedSemaphorePermit,
    total: u32,
}

impl Job {
    /// Admits a run of `variants` variants with `options`, or says why not: too large for
    /// the event budget (422), or no free slot (429).
    pub(super) fn admit(
        app: &App,
        scenario: &Scenario,
        options: &RunOptions,
        variants: u32,
    ) -> Result<Self, ApiError> {
        let expected = expected_events(scenario, options, variants);
        let budget = app.limits.run_events;
        if !(expected <= budget as f64) {
            return Err(ApiError(
                StatusCode::UNPROCESSABLE_ENTITY,
                Problem {
                    message: format!(
                        "this run would handle about {expected:.2e} events, more than the {budget:.2e} \
                         a run may have on this server (callsim serve --run-events): run fewer \
                         replications, or a shorter horizon"
                    ),
                    key: Some("replications".into()),
                    line: None,
                },
            ));
        }
        let permit = permit(app)?;
        let clock = Arc::new(SimulatedClock::default());
        let mut options = options.clone();
        options.clock = Some(clock.clone());
        Ok(Self {
            total: options.replications * variants,
            options,
            clock,
            limits: app.limits,
            permit,
        })
    }

    /// Runs `work` on a blocking thread and answers with server-sent events: `progress`
    /// (`{ done, total, simulated_s, seconds }`) while it runs, then `result` (what `work`
    /// returned) or `error` (a problem).
    pub(super) fn stream<W>(self, work: W) -> Response
    where
        W: FnOnce(&RunOptions, &(dyn Fn(u32, u32) + Sync)) -> Result<Value, Problem>
            + Send
            + 'static,
    {
        let Job {
            options,
            clock,
            limits,
            permit,
            total,
        } = self;
        let done = Arc::new(AtomicU32::new(0));
        let (events, receiver) = tokio::sync::mpsc::channel::<Result<Event, Infallible>>(16);
        let (finished, mut outcome) = tokio::sync::oneshot::channel();
        let counter = done.clone();
        tokio::task::spawn_blocking(move || {
            // The slot is held until the work ends, even if the page has gone.
            let _permit = permit;
            let progress = |n: u32, _| {
                counter.fetch_max(n, Ordering::Relaxed);
            };
            let _ = finished.send(work(&options, &progress));
        });
        tokio::spawn(async move {
            let started = Instant::now();
            let mut stopped_for: Option<String> = None;
            loop {
                let event = match tokio::time::timeout(WATCH_EVERY, &mut outcome).await {
                    Ok(Ok(Ok(result))) => Event::default().event("result").data(result.to_string()),
                    Ok(Ok(Err(mut p))) => {
                        if let Some(why) = stopped_for.take() {
                            p.message = why;
                        }
                        Event::default().event("error").data(json!(p).to_string())
                    }
                    Ok(Err(_)) => Event::default()
                        .event("error")
                        .data(json!(internal("the run failed".into())).to_string()),
                    Err(_) => {
                        let seconds = started.elapsed().as_secs_f64();
                        if stopped_for.is_none() {
                            stopped_for = over_budget(&limits, seconds, clock.events());
                            if stopped_for.is_some() {
                                clock.request_stop();
                            }
                        }
                        let progress = json!({
                            "done": done.load(Ordering::Relaxed),
                            "total": total,
                            "simulated_s": clock.furthest_s(),
                            "seconds": seconds,
                        });
                        if events
                            .send(Ok(Event::default()
                                .event("progress")
                                .data(progress.to_string())))
                            .await
                            .is_err()
                        {
                            // The page has gone: nobody reads the result.
                            clock.request_stop();
                        }
                        continue;
                    }
                };
                let _ = events.send(Ok(event)).await;
                break;
            }
        });
        Sse::new(tokio_stream::wrappers::ReceiverStream::new(receiver)).into_response()
    }
}

/// Why a run that has taken `seconds` and `events` must stop, if it must.
fn over_budget(limits: &Limits, seconds: f64, events: u64) -> Option<String> {
    if seconds > limits.run_seconds {
        Some(format!(
            "stopped after {seconds:.0} s: a run may take at most {} s on this server \
             (callsim serve --run-seconds); run fewer replications or a shorter horizon",
            limits.run_seconds
        ))
    } else if events > limits.run_events {
        Some(format!(
            "stopped after {events:.2e} events: a run may handle at most {:.2e} on this server \
             (callsim serve --run-events); run fewer replications or a shorter horizon",
            limits.run_events as f64
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_stops_on_seconds_or_events() {
        let limits = Limits {
            run_seconds: 10.0,
            run_events: 1000,
            ..Limits::default()
        };
        assert_eq!(over_budget(&limits, 5.0, 999), None);
        assert!(
            over_budget(&limits, 10.5, 0)
                .unwrap()
                .contains("--run-seconds")
        );
        assert!(
            over_budget(&limits, 1.0, 1001)
                .unwrap()
                .contains("--run-events")
        );
    }
}
