//! Closed-form queueing theory, as pure functions (no dependencies on the rest of callsim).
//!
//! Notation, mapped once here: λ (`arrival_rate`) calls per second, μ = 1 / mean handle time
//! (`service_rate`), c (`agents`) servers, θ = 1 / mean patience (`abandon_rate`), a = λ/μ the
//! offered load in Erlangs, ρ = a/c the utilisation, T the service-level threshold in seconds.
//!
//! * [`erlang_b`]: M/M/c/c blocking probability.
//! * [`ErlangC`]: M/M/c (infinite patience): P(wait), mean waits, service level.
//! * [`ErlangA`]: M/M/c+M (exponential patience): P(wait), P(abandon), waits, service level.
//! * [`priority_waits`]: M/M/c with non-preemptive priority classes (Cobham's formula).

mod erlang_a;

pub use erlang_a::{ErlangA, MAX_SERVICE_LEVEL_WORK};

/// Erlang B: probability that all `agents` are busy in M/M/c/c with `load` Erlangs offered.
/// Uses the stable recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
pub fn erlang_b(agents: u32, load: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=agents {
        b = load * b / (k as f64 + load * b);
    }
    b
}

/// M/M/c/K+M: `agents` agents, `lines` places in the system (K ≥ c: talking plus on hold),
/// exponential patience (rate θ; 0 for none). The birth–death chain of the number in system,
/// truncated at K: an arrival who finds K callers hears a busy signal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineLimited {
    /// P(an arrival finds every line taken) (PASTA: the stationary P(n = K)).
    pub blocking: f64,
    /// P(an arrival, blocked ones included, hangs up while waiting): θ·E[(n − c)⁺] ÷ λ.
    pub p_abandon: f64,
}

impl LineLimited {
    /// The chain for `agents` c, `lines` K, arrival rate λ, service rate μ and abandonment
    /// rate θ (per second). `None` unless c ≥ 1, K ≥ c, λ > 0 and μ > 0 (θ ≥ 0).
    pub fn new(
        agents: u32,
        lines: u32,
        arrival_rate: f64,
        service_rate: f64,
        abandon_rate: f64,
    ) -> Option<Self> {
        if agents == 0
            || lines < agents
            || !(arrival_rate > 0.0)
            || !(service_rate > 0.0)
            || !(abandon_rate >= 0.0)
        {
            return None;
        }
        let c = agents as usize;
        let death =
            |n: usize| n.min(c) as f64 * service_rate + n.saturating_sub(c) as f64 * abandon_rate;
        // ln π_n up to a constant, normalised with the largest term for stability.
        let mut ln_p = vec![0.0f64; lines as usize + 1];
        for n in 1..ln_p.len() {
            ln_p[n] = ln_p[n - 1] + arrival_rate.ln() - death(n).ln();
        }
        let top = ln_p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = ln_p.iter().map(|l| (l - top).exp()).collect();
        let total: f64 = weights.iter().sum();
        let p: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let waiting: f64 = p
            .iter()
            .enumerate()
            .map(|(n, q)| n.saturating_sub(c) as f64 * q)
            .sum();
        Some(Self {
            blocking: p[lines as usize],
            p_abandon: abandon_rate * waiting / arrival_rate,
        })
    }
}

/// Erlang C figures for M/M/c with infinite patience.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangC {
    /// P(an arriving caller waits) (the Erlang C formula).
    pub p_wait: f64,
    /// Mean wait of all callers, in seconds.
    pub mean_wait_s: f64,
    /// Mean wait of those who wait, in seconds.
    pub mean_wait_if_waiting_s: f64,
    /// Agent utilisation ρ = a / c.
    pub occupancy: f64,
    /// Time-average number waiting.
    pub queue_length_mean: f64,
    rate_gap: f64,
}

impl ErlangC {
    /// Erlang C for `agents` servers, arrival rate λ and service rate μ (per second).
    /// `None` when the queue is unstable (a ≥ c) or an input is not positive.
    pub fn new(agents: u32, arrival_rate: f64, service_rate: f64) -> Option<Self> {
        if agents == 0 || !(arrival_rate > 0.0) || !(service_rate > 0.0) {
            return None;
        }
        let c = agents as f64;
        let a = arrival_rate / service_rate;
        let rho = a / c;
        if rho >= 1.0 {
            return None;
        }
        let b = erlang_b(agents, a);
        let p_wait = b / (1.0 - rho * (1.0 - b));
        let rate_gap = c * service_rate - arrival_rate;
        let mean_wait_s = p_wait / rate_gap;
        Some(Self {
            p_wait,
            mean_wait_s,
            mean_wait_if_waiting_s: 1.0 / rate_gap,
            occupancy: rho,
            queue_length_mean: arrival_rate * mean_wait_s,
            rate_gap,
        })
    }

    /// Share answered within `threshold_s` seconds: 1 − C·e^{−(cμ−λ)T}.
    pub fn service_level(&self, threshold_s: f64) -> f64 {
        1.0 - self.p_wait * (-self.rate_gap * threshold_s).exp()
    }

    /// The `q` quantile of the wait of all callers (0 when q ≤ 1 − P(wait)).
    pub fn wait_quantile(&self, q: f64) -> f64 {
        if q <= 1.0 - self.p_wait {
            0.0
        } else {
            -((1.0 - q) / self.p_wait).ln() / self.rate_gap
        }
    }
}

/// Mean waits per priority class in M/M/c with non-preemptive priorities and a common service rate
/// (Cobham's formula): W_k = W₀ / ((1 − σ_{k−1})(1 − σ_k)), where W₀ = C(c, a) / (cμ) and σ_k is
/// the load of the classes with priority at least that of class k.
///
/// `arrival_rates` are given highest priority first. Returns `None` when the system is unstable.
pub fn priority_waits(agents: u32, arrival_rates: &[f64], service_rate: f64) -> Option<Vec<f64>> {
    let total: f64 = arrival_rates.iter().sum();
    let c = ErlangC::new(agents, total, service_rate)?;
    let capacity = agents as f64 * service_rate;
    let w0 = c.p_wait / capacity;
    let mut sigma_before = 0.0;
    let mut waits = Vec::with_capacity(arrival_rates.len());
    for lambda in arrival_rates {
        let sigma = sigma_before + lambda / capacity;
        waits.push(w0 / ((1.0 - sigma_before) * (1.0 - sigma)));
        sigma_before = sigma;
    }
    Some(waits)
}

/// [`agents_needed`], and whether the answer is exact: `false` when the Erlang A service level
/// of some smaller team was too costly to compute (see [`ErlangA::service_level`]), so that the
/// answer meets the target but fewer agents might too.
pub fn agents_needed_exactly(
    arrival_rate: f64,
    service_rate: f64,
    abandon_rate: Option<f64>,
    threshold_s: f64,
    target: f64,
    max_abandon: Option<f64>,
    max_agents: u32,
) -> (Option<u32>, bool) {
    let undetermined = std::cell::Cell::new(false);
    let load = arrival_rate / service_rate;
    // Erlang C needs a > c; Erlang A is defined for any c, but fewer agents than a quarter
    // of the load never meet a target worth asking for.
    let start = match abandon_rate {
        None => load.floor() as u32 + 1,
        Some(_) => ((load / 4.0).floor() as u32).max(1),
    };
    let meets = |c: u32| match abandon_rate {
        None => ErlangC::new(c, arrival_rate, service_rate)
            .is_some_and(|e| e.service_level(threshold_s) >= target),
        Some(theta) => ErlangA::new(c, arrival_rate, service_rate, theta).is_some_and(|e| {
            let sl = e.service_level(threshold_s);
            if sl.is_nan() {
                undetermined.set(true);
            }
            sl >= target && max_abandon.is_none_or(|m| e.p_abandon <= m)
        }),
    };
    let found = (|| {
        // The service level rises and abandonment falls with every agent added, so "meets" is
        // false up to the answer and true from it on: gallop up, then bisect. That takes a few dozen
        // evaluations where a walk up to `max_agents` took minutes for a target out of reach.
        if start > max_agents {
            return None;
        }
        if meets(start) {
            return Some(start);
        }
        let (mut below, mut step) = (start, 1u32);
        let above = loop {
            let c = below.saturating_add(step).min(max_agents);
            if meets(c) {
                break c;
            }
            if c == max_agents {
                return None;
            }
            below = c;
            step = step.saturating_mul(2);
        };
        let (mut lo, mut hi) = (below, above); // meets(lo) is false, meets(hi) true
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if meets(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some(hi)
    })();
    (found, !undetermined.get())
}

/// The fewest agents whose service level within `threshold_s` reaches `target` (and whose
/// abandonment stays at or below `max_abandon`, with patience): Erlang C without patience
/// (`abandon_rate` `None`), Erlang A with it. `None` if no team up to `max_agents` does it.
pub fn agents_needed(
    arrival_rate: f64,
    service_rate: f64,
    abandon_rate: Option<f64>,
    threshold_s: f64,
    target: f64,
    max_abandon: Option<f64>,
    max_agents: u32,
) -> Option<u32> {
    let (found, _) = agents_needed_exactly(
        arrival_rate,
        service_rate,
        abandon_rate,
        threshold_s,
        target,
        max_abandon,
        max_agents,
    );
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_limits_with_no_waiting_room_are_erlang_b() {
        for (c, a) in [(1u32, 0.5), (10, 8.0), (50, 45.0)] {
            let l = LineLimited::new(c, c, a / 240.0, 1.0 / 240.0, 1.0 / 120.0).unwrap();
            assert!((l.blocking - erlang_b(c, a)).abs() < 1e-12, "c={c}");
            assert_eq!(l.p_abandon, 0.0);
        }
        // More lines block less; with a waiting room some callers give up.
        let wide = LineLimited::new(10, 14, 9.6 / 240.0, 1.0 / 240.0, 1.0 / 120.0).unwrap();
        assert!(wide.blocking < erlang_b(10, 9.6) && wide.p_abandon > 0.0);
        assert_eq!(LineLimited::new(10, 9, 0.1, 0.1, 0.0), None);
    }

    #[test]
    fn erlang_b_published_values() {
        // Standard Erlang B table entries.
        assert!((erlang_b(1, 1.0) - 0.5).abs() < 1e-12);
        assert!((erlang_b(2, 1.0) - 0.2).abs() < 1e-12);
        assert!((erlang_b(10, 5.0) - 0.018385).abs() < 1e-6);
        assert!((erlang_b(20, 15.0) - 0.045593).abs() < 1e-6);
    }

    #[test]
    fn erlang_c_published_values() {
        // M/M/2 with a = 1: C = 1/3.
        let c = ErlangC::new(2, 1.0, 1.0).unwrap();
        assert!((c.p_wait - 1.0 / 3.0).abs() < 1e-12);
        // The widely published call-centre worked example: 100 calls per 30 minutes, AHT 180 s
        // (a = 10 Erlangs), 11 agents: P(wait) = 68.21 %, ASA = 122.8 s; 14 agents: P(wait) = 17.41 %.
        let c = ErlangC::new(11, 100.0 / 1800.0, 1.0 / 180.0).unwrap();
        assert!((c.p_wait - 0.6821).abs() < 1e-4, "{}", c.p_wait);
        assert!((c.mean_wait_s - 122.8).abs() < 0.05, "{}", c.mean_wait_s);
        let c = ErlangC::new(14, 100.0 / 1800.0, 1.0 / 180.0).unwrap();
        assert!((c.p_wait - 0.1741).abs() < 1e-4, "{}", c.p_wait);
        // M/M/1: P(wait) = ρ, Wq = ρ/(μ−λ).
        let c = ErlangC::new(1, 0.7, 1.0).unwrap();
        assert!((c.p_wait - 0.7).abs() < 1e-12);
        assert!((c.mean_wait_s - 0.7 / 0.3).abs() < 1e-12);
        assert!(ErlangC::new(10, 10.0, 1.0).is_none());
    }

    #[test]
    fn agents_needed_for_the_published_example() {
        // The widely published Erlang C worked example: 100 calls per 30 minutes, AHT 180 s,
        // 80 % within 20 s needs 14 agents (SL 88.8 %); 13 agents give 79.6 %.
        let n = agents_needed(100.0 / 1800.0, 1.0 / 180.0, None, 20.0, 0.8, None, 100);
        assert_eq!(n, Some(14));
        let sl = |c| {
            ErlangC::new(c, 100.0 / 1800.0, 1.0 / 180.0)
                .unwrap()
                .service_level(20.0)
        };
        assert!((sl(14) - 0.8884).abs() < 1e-4 && (sl(13) - 0.7956).abs() < 1e-4);
        // Impatient callers need fewer agents for the same target; an impossible cap gives None.
        let a = agents_needed(
            100.0 / 1800.0,
            1.0 / 180.0,
            Some(1.0 / 120.0),
            20.0,
            0.8,
            None,
            100,
        );
        assert!(a.unwrap() <= 14);
        assert_eq!(agents_needed(1.0, 1.0, None, 20.0, 0.8, None, 1), None);
    }

    #[test]
    fn cobham_reduces_to_mm1_conservation() {
        // Work conservation: the load-weighted mean wait equals the FCFS wait.
        let rates = [0.2, 0.5];
        let w = priority_waits(1, &rates, 1.0).unwrap();
        let fcfs = ErlangC::new(1, 0.7, 1.0).unwrap().mean_wait_s;
        let weighted = (rates[0] * w[0] + rates[1] * w[1]) / 0.7;
        assert!((weighted - fcfs).abs() < 1e-12);
        assert!(w[0] < fcfs && fcfs < w[1]);
    }
}
