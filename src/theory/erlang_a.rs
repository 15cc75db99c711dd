//! Erlang A (M/M/c+M, Palm's model): Poisson arrivals, exponential handle times, exponential
//! patience, FCFS. Computed exactly from the birth–death chain of the number in system.

/// States beyond this many are never needed for realistic inputs; past it we give up.
const MAX_STATES: usize = 5_000_000;

/// Most stage updates one [`ErlangA::service_level`] may make (about a second of work).
pub const MAX_SERVICE_LEVEL_WORK: u64 = 200_000_000;

/// Erlang A figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ErlangA {
    /// P(an arriving caller waits).
    pub p_wait: f64,
    /// P(an arriving caller abandons).
    pub p_abandon: f64,
    /// Mean wait of all callers until answer or hang-up, in seconds.
    pub mean_wait_s: f64,
    /// Mean wait of answered callers (ASA), in seconds.
    pub asa_s: f64,
    /// Time-average number waiting.
    pub queue_length_mean: f64,
    /// Agent occupancy: answered load ÷ agents.
    pub occupancy: f64,
    /// Stationary probabilities of n = c, c+1, ... in system (index k = callers ahead of an arrival).
    queue_states: Vec<f64>,
    /// P(n < c): an arrival is answered at once.
    p_immediate: f64,
    agents: f64,
    service_rate: f64,
    abandon_rate: f64,
}

impl ErlangA {
    /// Erlang A for `agents`, arrival rate λ, service rate μ and abandonment rate θ (all per
    /// second). `None` when an input is not positive.
    pub fn new(
        agents: u32,
        arrival_rate: f64,
        service_rate: f64,
        abandon_rate: f64,
    ) -> Option<Self> {
        if agents == 0 || !(arrival_rate > 0.0) || !(service_rate > 0.0) || !(abandon_rate > 0.0) {
            return None;
        }
        let c = agents as usize;
        let (lambda, mu, theta) = (arrival_rate, service_rate, abandon_rate);
        let death = |n: usize| n.min(c) as f64 * mu + n.saturating_sub(c) as f64 * theta;
        // ln π_n up to a constant, until the tail is negligible.
        let mut ln_p = vec![0.0f64];
        let mut max_ln = 0.0f64;
        let mut n = 0usize;
        loop {
            n += 1;
            let next = ln_p[n - 1] + lambda.ln() - death(n).ln();
            ln_p.push(next);
            max_ln = max_ln.max(next);
            let falling = death(n) > lambda;
            if n > c && falling && next < max_ln - 45.0 {
                break;
            }
            if n >= MAX_STATES {
                return None;
            }
        }
        let total: f64 = ln_p.iter().map(|l| (l - max_ln).exp()).sum();
        let p: Vec<f64> = ln_p.iter().map(|l| (l - max_ln).exp() / total).collect();
        let p_immediate: f64 = p[..c].iter().sum();
        let queue_states = p[c..].to_vec();
        let p_wait = 1.0 - p_immediate;
        let queue_length_mean: f64 = queue_states
            .iter()
            .enumerate()
            .map(|(k, q)| k as f64 * q)
            .sum();
        let p_abandon = theta * queue_length_mean / lambda;
        let busy: f64 = p.iter().enumerate().map(|(n, q)| n.min(c) as f64 * q).sum();

        // Walk the stages a tagged caller passes: with i callers ahead the line moves at
        // r_i = cμ + iθ while the caller gives up at θ.
        let cmu = c as f64 * mu;
        let (mut served, mut time_if_served) = (1.0f64, 0.0f64);
        let mut answered_wait_sum = 0.0;
        let mut p_served_after_wait = 0.0;
        for (i, q) in queue_states.iter().enumerate() {
            let r = cmu + i as f64 * theta;
            let advance = r / (r + theta);
            time_if_served = advance * (served / (r + theta) + time_if_served);
            served *= advance;
            answered_wait_sum += q * time_if_served;
            p_served_after_wait += q * served;
        }
        let p_answered = p_immediate + p_served_after_wait;
        Some(Self {
            p_wait,
            p_abandon,
            mean_wait_s: queue_length_mean / lambda,
            asa_s: answered_wait_sum / p_answered,
            queue_length_mean,
            occupancy: busy / c as f64,
            queue_states,
            p_immediate,
            agents: c as f64,
            service_rate: mu,
            abandon_rate: theta,
        })
    }

    /// P(answered) computed from the waiting stages; equals 1 − P(abandon) (a check on the maths).
    pub fn p_answered(&self) -> f64 {
        let cmu = self.agents * self.service_rate;
        let mut served = 1.0;
        let mut total = self.p_immediate;
        for (i, q) in self.queue_states.iter().enumerate() {
            let r = cmu + i as f64 * self.abandon_rate;
            served *= r / (r + self.abandon_rate);
            total += q * served;
        }
        total
    }

    /// Share of arrivals answered within `threshold_s` seconds (abandoners count as not answered).
    ///
    /// Uniformisation of the tagged caller's stage process: every stage runs at most at rate Λ,
    /// so after a Poisson(ΛT) number of uniformised steps the answered mass is exact. The sum
    /// stops ten standard deviations past the Poisson mean, or as soon as the callers still
    /// waiting hold less than 1e-15 of the mass: from then on every further step adds nothing
    /// that shows, so the rest of the Poisson weight is added in one go. The work is therefore
    /// bounded by the queue's own time scale, not by the threshold (a threshold of ten years
    /// once took minutes).
    ///
    /// Two more bounds keep the work finite for any input. Every stage moves on at rate cμ or
    /// faster, so once a Poisson(cμT) count of moves exceeds the number of stages with
    /// probability 1 − 1e-15, every caller has been answered or has hung up by T: the answer is
    /// P(answered). And past [`MAX_SERVICE_LEVEL_WORK`] stage updates the function gives up
    /// with NaN (undefined) rather than compute for minutes.
    pub fn service_level(&self, threshold_s: f64) -> f64 {
        if threshold_s <= 0.0 {
            return self.p_immediate;
        }
        let (cmu, theta) = (self.agents * self.service_rate, self.abandon_rate);
        let stages = self.queue_states.len();
        let moves = cmu * threshold_s;
        if moves > stages as f64
            && statrs::function::gamma::gamma_ur(stages as f64 + 1.0, moves) < 1e-15
        {
            return self.p_answered();
        }
        let mut work = 0u64;
        let rate = |i: usize| cmu + i as f64 * theta;
        let big_lambda = rate(stages) + theta;
        let mut mass = self.queue_states.clone();
        let mut next = vec![0.0; stages];
        let mut answered = 0.0f64;
        let lt = big_lambda * threshold_s;
        let ln_lt = lt.ln();
        let mut result = 0.0f64;
        let mut step = 0u64;
        loop {
            let ln_w =
                -lt + step as f64 * ln_lt - statrs::function::gamma::ln_gamma(step as f64 + 1.0);
            let w = ln_w.exp();
            result += w * answered;
            // Ten standard deviations past the Poisson mean the remaining weight is below 1e-20.
            if (step as f64) > lt + 10.0 * lt.sqrt() + 20.0 {
                break;
            }
            let waiting: f64 = mass.iter().sum();
            if waiting < 1e-15 {
                // P(Poisson(ΛT) > step): every later step sees the same answered mass.
                let later = statrs::function::gamma::gamma_lr(step as f64 + 1.0, lt);
                result += later * answered;
                break;
            }
            work += stages as u64;
            if work > MAX_SERVICE_LEVEL_WORK {
                return f64::NAN;
            }
            // One uniformised step.
            answered += mass[0] * rate(0) / big_lambda;
            for i in 0..stages {
                let stay = 1.0 - (rate(i) + theta) / big_lambda;
                let from_above = if i + 1 < stages {
                    mass[i + 1] * rate(i + 1) / big_lambda
                } else {
                    0.0
                };
                next[i] = mass[i] * stay + from_above;
            }
            std::mem::swap(&mut mass, &mut next);
            step += 1;
        }
        self.p_immediate + result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::ErlangC;

    fn poisson_tail(c: u32, a: f64) -> f64 {
        // P(Poisson(a) >= c)
        let mut term = (-a).exp();
        let mut below = 0.0;
        for k in 0..c {
            below += term;
            term *= a / (k + 1) as f64;
        }
        1.0 - below
    }

    #[test]
    fn theta_equal_mu_is_infinite_server() {
        // With θ = μ every caller leaves at rate μ whether waiting or served: number in system is
        // Poisson(a), so P(wait) = P(N >= c).
        for (c, a) in [(1u32, 0.8), (10, 9.0), (50, 60.0)] {
            let e = ErlangA::new(c, a / 240.0, 1.0 / 240.0, 1.0 / 240.0).unwrap();
            assert!((e.p_wait - poisson_tail(c, a)).abs() < 1e-9, "c={c}");
        }
    }

    #[test]
    fn small_theta_approaches_erlang_c() {
        let (c, lambda, mu) = (10u32, 8.0 / 240.0, 1.0 / 240.0);
        let ec = ErlangC::new(c, lambda, mu).unwrap();
        let ea = ErlangA::new(c, lambda, mu, 1e-9).unwrap();
        assert!((ea.p_wait - ec.p_wait).abs() < 1e-5);
        assert!((ea.mean_wait_s - ec.mean_wait_s).abs() / ec.mean_wait_s < 1e-4);
        assert!((ea.service_level(20.0) - ec.service_level(20.0)).abs() < 1e-5);
        assert!((ea.service_level(300.0) - ec.service_level(300.0)).abs() < 1e-5);
    }

    #[test]
    fn answered_plus_abandoned_is_one_and_sl_is_consistent() {
        let e = ErlangA::new(50, 0.2, 1.0 / 240.0, 1.0 / 120.0).unwrap();
        assert!((e.p_answered() + e.p_abandon - 1.0).abs() < 1e-10);
        // Service level rises with T towards P(answered).
        let s: Vec<f64> = [0.0, 10.0, 60.0, 600.0, 7_200.0]
            .iter()
            .map(|t| e.service_level(*t))
            .collect();
        assert!(s.windows(2).all(|w| w[0] <= w[1] + 1e-9), "{s:?}");
        assert!((s[4] - e.p_answered()).abs() < 1e-9);
        // Issue #15: ten years took minutes; now it ends at once, at P(answered).
        assert!((e.service_level(3650.0 * 86_400.0) - e.p_answered()).abs() < 1e-9);
        // Occupancy = answered load / agents.
        assert!((e.occupancy - 0.2 * 240.0 * e.p_answered() / 50.0).abs() < 1e-9);
    }

    #[test]
    fn benchmark_case_matches_an_independent_computation() {
        // 50 agents, 12 calls/min, AHT 4 min, mean patience 2 min (the benchmark yardstick).
        // Reference values from a separate script: the same chain summed directly, and the service
        // level from a Runge–Kutta integration of the stage equations (step 5 ms) instead of
        // uniformisation.
        let e = ErlangA::new(50, 0.2, 1.0 / 240.0, 1.0 / 120.0).unwrap();
        assert!((e.p_wait - 0.342_308_8).abs() < 1e-6, "{}", e.p_wait);
        assert!((e.p_abandon - 0.048_021_77).abs() < 1e-7, "{}", e.p_abandon);
        assert!(
            (e.mean_wait_s - 5.762_613).abs() < 1e-5,
            "{}",
            e.mean_wait_s
        );
        assert!(
            (e.service_level(20.0) - 0.850_595_1).abs() < 1e-6,
            "{}",
            e.service_level(20.0)
        );
    }
}
