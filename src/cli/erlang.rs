//! `callsim erlang`: Erlang B, C and A figures and the agents needed for a target, for students
//! and quick checks. No simulation.

use std::fmt::Write;
use std::io::Write as _;

use super::{ErlangArgs, Usage};
use crate::Error;
use crate::scenario::units::{duration_text, parse_duration, parse_rate};
use crate::theory::{ErlangA, ErlangC, agents_needed_exactly, erlang_b};

/// Largest team `erlang` searches for a target.
const MAX_AGENTS: u32 = 100_000;

fn positive(
    flag: &'static str,
    value: Option<f64>,
    text: &str,
    what: &'static str,
) -> Result<f64, Error> {
    match value {
        Some(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(Usage::NotPositive {
            flag,
            text: text.to_string(),
            what,
        }
        .into()),
    }
}

/// Prints the figures.
pub fn erlang(args: ErlangArgs) -> Result<(), Error> {
    let lambda = positive(
        "--rate",
        parse_rate(&args.rate),
        &args.rate,
        "a rate like 12/min, 720/h or 0.2/s,",
    )?;
    let aht = positive(
        "--aht",
        parse_duration(&args.aht),
        &args.aht,
        "a duration like 4m or 240s,",
    )?;
    let threshold = match parse_duration(&args.threshold) {
        Some(t) if t >= 0.0 && t.is_finite() => t,
        _ => {
            return Err(Usage::NotADuration {
                flag: "--threshold",
                text: args.threshold.clone(),
                zero_allowed: true,
            }
            .into());
        }
    };
    let patience = args
        .patience
        .as_ref()
        .map(|p| positive("--patience", parse_duration(p), p, "a duration like 2m,"))
        .transpose()?;
    if !(args.target > 0.0 && args.target < 1.0) {
        return Err(Usage::NotAShare {
            flag: "--target",
            value: args.target,
            what: "a service level",
            example: "0.8",
        }
        .into());
    }
    let (mu, theta) = (1.0 / aht, patience.map(|p| 1.0 / p));
    // Durations as a scenario would write them: "3650d", not "315360000 s".
    let within = duration_text(threshold);
    let load = lambda / mu;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Offered load: {load:.3} Erlangs ({:.2} calls/h × {aht:.0} s)",
        lambda * 3600.0
    );
    if let Some(c) = args.agents {
        let _ = writeln!(out, "\nWith {c} agents:");
        let _ = writeln!(
            out,
            "  Erlang B (no queue, calls blocked): blocking {:.4}",
            erlang_b(c, load)
        );
        match ErlangC::new(c, lambda, mu) {
            Some(e) => {
                let _ = writeln!(
                    out,
                    "  Erlang C (infinite patience): P(wait) {:.4}, ASA {:.1} s, service level \
                     {:.4} within {within}, occupancy {:.4}, queue {:.3}",
                    e.p_wait,
                    e.mean_wait_s,
                    e.service_level(threshold),
                    e.occupancy,
                    e.queue_length_mean
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "  Erlang C: unstable (load {load:.2} ≥ {c} agents): the queue grows without bound"
                );
            }
        }
        if let Some(theta) = theta
            && let Some(e) = ErlangA::new(c, lambda, mu, theta)
        {
            let sl = e.service_level(threshold);
            let sl = if sl.is_nan() {
                "too costly to compute".to_string()
            } else {
                format!("{sl:.4}")
            };
            let _ = writeln!(
                out,
                "  Erlang A (patience {}): P(wait) {:.4}, P(abandon) {:.4}, ASA {:.1} s, \
                 service level {sl} within {within}, occupancy {:.4}",
                duration_text(1.0 / theta),
                e.p_wait,
                e.p_abandon,
                e.asa_s,
                e.occupancy
            );
        }
    }
    let _ = writeln!(
        out,
        "\nAgents needed for {:.0} % within {within}:",
        args.target * 100.0
    );
    let needed =
        |theta| agents_needed_exactly(lambda, mu, theta, threshold, args.target, None, MAX_AGENTS);
    let show = |(n, exact): (Option<u32>, bool)| match (n, exact) {
        (None, _) => format!("more than {MAX_AGENTS}"),
        (Some(n), true) => n.to_string(),
        (Some(n), false) => format!(
            "{n} at most: {n} meet the target, and the service level of some smaller teams was \
             too costly to compute (a queue of very many patient callers)"
        ),
    };
    let _ = writeln!(out, "  Erlang C: {}", show(needed(None)));
    if theta.is_some() {
        let _ = writeln!(out, "  Erlang A: {}", show(needed(theta)));
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
    Ok(())
}
