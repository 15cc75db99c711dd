//! Duration distributions in the analyst's parameters.
//!
//! Analysts think in "mean 4 minutes, fairly variable", not in shape and scale, so every
//! distribution is built from its mean (and coefficient of variation, cv = std dev ÷ mean where
//! the family has a free spread) and reports `mean()` and `cv()` back. That lets the scenario check
//! offered load against agents and lets theory tests compute expectations.

use rand::Rng;
use rand_distr::{Distribution, Exp1, Gamma, LogNormal, Weibull};

/// Why a distribution could not be built; the scenario layer adds file and key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DistError {
    /// A parameter is outside the range the family accepts.
    #[error("{param} = {value} is out of range: {allowed}")]
    OutOfRange {
        /// Parameter name as written in a scenario (`mean`, `cv`, ...).
        param: &'static str,
        /// The rejected value.
        value: f64,
        /// Human description of the allowed range.
        allowed: &'static str,
    },
    /// An empirical distribution was given no values.
    #[error("values must list at least one duration")]
    EmptyEmpirical,
}

/// Smallest and largest Weibull cv accepted (shape roughly 1000 down to 0.2): the upper end is [`MAX_CV`], as for the other families.
const WEIBULL_CV_RANGE: (f64, f64) = (0.002, MAX_CV);

/// A non-negative random duration in seconds.
#[derive(Debug, Clone)]
pub enum DurationDist {
    /// Memoryless; the textbook Erlang assumption.
    Exponential {
        /// Mean in seconds.
        mean: f64,
    },
    /// Right-skewed; the usual fit for real handle times.
    LogNormal {
        /// Mean in seconds.
        mean: f64,
        /// Coefficient of variation.
        cv: f64,
        /// Underlying sampler.
        inner: LogNormal<f64>,
    },
    /// Gamma with shape 1/cv² (cv = 1 is exponential).
    Gamma {
        /// Mean in seconds.
        mean: f64,
        /// Coefficient of variation.
        cv: f64,
        /// Underlying sampler.
        inner: Gamma<f64>,
    },
    /// Weibull with the shape that gives the requested cv.
    Weibull {
        /// Mean in seconds.
        mean: f64,
        /// Coefficient of variation.
        cv: f64,
        /// Underlying sampler.
        inner: Weibull<f64>,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound in seconds.
        min: f64,
        /// Upper bound in seconds.
        max: f64,
    },
    /// Always the same value.
    Deterministic {
        /// The value in seconds.
        value: f64,
    },
    /// Picks one of the observed values with equal probability.
    Empirical {
        /// Observed durations in seconds.
        values: Vec<f64>,
    },
}

fn check(
    param: &'static str,
    value: f64,
    ok: bool,
    allowed: &'static str,
) -> Result<(), DistError> {
    if ok {
        Ok(())
    } else {
        Err(DistError::OutOfRange {
            param,
            value,
            allowed,
        })
    }
}

fn positive_mean(mean: f64) -> Result<(), DistError> {
    check(
        "mean",
        mean,
        mean > 0.0 && mean.is_finite(),
        "a duration > 0 (exclusive)",
    )
}

/// Largest cv of the gamma and lognormal families. Beyond it almost every draw is a tiny
/// fraction of the mean and the mean lives in draws too rare to sample: at cv 10⁶ the gamma
/// sampler returns only zeros. At 10, a million draws still give the mean within about 1 %.
pub const MAX_CV: f64 = 10.0;

fn positive_cv(cv: f64) -> Result<(), DistError> {
    check(
        "cv",
        cv,
        cv > 0.0 && cv <= MAX_CV,
        "a number > 0 (exclusive) and at most 10",
    )
}

impl DurationDist {
    /// Exponential with the given mean (seconds, > 0).
    pub fn exponential(mean: f64) -> Result<Self, DistError> {
        positive_mean(mean)?;
        Ok(Self::Exponential { mean })
    }

    /// Lognormal with the given mean (> 0) and cv (> 0).
    pub fn lognormal(mean: f64, cv: f64) -> Result<Self, DistError> {
        positive_mean(mean)?;
        positive_cv(cv)?;
        let inner = LogNormal::from_mean_cv(mean, cv).map_err(|_| DistError::OutOfRange {
            param: "cv",
            value: cv,
            allowed: "a number > 0 (exclusive)",
        })?;
        Ok(Self::LogNormal { mean, cv, inner })
    }

    /// Gamma with the given mean (> 0) and cv (> 0).
    pub fn gamma(mean: f64, cv: f64) -> Result<Self, DistError> {
        positive_mean(mean)?;
        positive_cv(cv)?;
        let shape = 1.0 / (cv * cv);
        let inner = Gamma::new(shape, mean / shape).map_err(|_| DistError::OutOfRange {
            param: "cv",
            value: cv,
            allowed: "a number > 0 (exclusive)",
        })?;
        Ok(Self::Gamma { mean, cv, inner })
    }

    /// Weibull with the given mean (> 0) and cv (0.002 to 10).
    pub fn weibull(mean: f64, cv: f64) -> Result<Self, DistError> {
        positive_mean(mean)?;
        let (lo, hi) = WEIBULL_CV_RANGE;
        check("cv", cv, cv >= lo && cv <= hi, "a number from 0.002 to 10")?;
        let shape = weibull_shape_for_cv(cv);
        let scale = mean / statrs::function::gamma::gamma(1.0 + 1.0 / shape);
        let inner = Weibull::new(scale, shape).map_err(|_| DistError::OutOfRange {
            param: "cv",
            value: cv,
            allowed: "a number from 0.002 to 10",
        })?;
        Ok(Self::Weibull { mean, cv, inner })
    }

    /// Uniform on `[min, max]` with `0 <= min <= max`.
    pub fn uniform(min: f64, max: f64) -> Result<Self, DistError> {
        check("min", min, min >= 0.0 && min.is_finite(), "a duration >= 0")?;
        check(
            "max",
            max,
            max >= min && max.is_finite(),
            "a duration >= min",
        )?;
        Ok(Self::Uniform { min, max })
    }

    /// Always `value` (>= 0).
    pub fn deterministic(value: f64) -> Result<Self, DistError> {
        check(
            "value",
            value,
            value >= 0.0 && value.is_finite(),
            "a duration >= 0",
        )?;
        Ok(Self::Deterministic { value })
    }

    /// Resamples the given observations (each >= 0).
    pub fn empirical(values: Vec<f64>) -> Result<Self, DistError> {
        if values.is_empty() {
            return Err(DistError::EmptyEmpirical);
        }
        for &v in &values {
            check("values", v, v >= 0.0 && v.is_finite(), "durations >= 0")?;
        }
        Ok(Self::Empirical { values })
    }

    /// Mean in seconds.
    pub fn mean(&self) -> f64 {
        match self {
            Self::Exponential { mean }
            | Self::LogNormal { mean, .. }
            | Self::Gamma { mean, .. }
            | Self::Weibull { mean, .. } => *mean,
            Self::Uniform { min, max } => 0.5 * (min + max),
            Self::Deterministic { value } => *value,
            Self::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
        }
    }

    /// Coefficient of variation (std dev ÷ mean; 0 when the mean is 0).
    pub fn cv(&self) -> f64 {
        match self {
            Self::Exponential { .. } => 1.0,
            Self::LogNormal { cv, .. } | Self::Gamma { cv, .. } | Self::Weibull { cv, .. } => *cv,
            Self::Uniform { min, max } => {
                let mean = 0.5 * (min + max);
                if mean > 0.0 {
                    (max - min) / (12f64.sqrt() * mean)
                } else {
                    0.0
                }
            }
            Self::Deterministic { .. } => 0.0,
            Self::Empirical { values } => {
                let n = values.len() as f64;
                let mean = self.mean();
                let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
                if mean > 0.0 { var.sqrt() / mean } else { 0.0 }
            }
        }
    }

    /// Whether this is the exponential family (needed by closed-form theory).
    pub fn is_exponential(&self) -> bool {
        matches!(self, Self::Exponential { .. })
    }

    /// Draws one duration in seconds.
    ///
    /// The exponential, the hot case of every textbook scenario, is drawn inline; the others
    /// go through one call, which keeps this small enough to inline into the event handlers.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if let Self::Exponential { mean } = self {
            let unit: f64 = Exp1.sample(rng);
            return mean * unit;
        }
        self.sample_other(rng)
    }

    /// Draws from any distribution but the exponential.
    #[inline(never)]
    fn sample_other<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Self::Exponential { mean } => {
                let unit: f64 = Exp1.sample(rng);
                mean * unit
            }
            Self::LogNormal { inner, .. } => inner.sample(rng),
            Self::Gamma { inner, .. } => inner.sample(rng),
            Self::Weibull { inner, .. } => inner.sample(rng),
            Self::Uniform { min, max } => {
                let u: f64 = rand::RngExt::random(rng);
                min + (max - min) * u
            }
            Self::Deterministic { value } => *value,
            Self::Empirical { values } => {
                let i = rand::RngExt::random_range(rng, 0..values.len());
                values[i]
            }
        }
    }
}

/// Weibull cv as a function of the shape k: sqrt(Γ(1+2/k) / Γ(1+1/k)² − 1).
fn weibull_cv(shape: f64) -> f64 {
    use statrs::function::gamma::ln_gamma;
    let ratio = (ln_gamma(1.0 + 2.0 / shape) - 2.0 * ln_gamma(1.0 + 1.0 / shape)).exp();
    (ratio - 1.0).max(0.0).sqrt()
}

/// Inverts [`weibull_cv`] by bisection on ln k (cv falls as k grows).
fn weibull_shape_for_cv(cv: f64) -> f64 {
    let (mut lo, mut hi) = (0.1f64.ln(), 1000f64.ln());
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if weibull_cv(mid.exp()) > cv {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (0.5 * (lo + hi)).exp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;

    /// Sample mean and cv of `n` draws.
    fn moments(d: &DurationDist, n: usize) -> (f64, f64) {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n as f64 - 1.0);
        (m, v.sqrt() / m)
    }

    #[test]
    fn sample_moments_match_parameters() {
        let n = 400_000;
        let cases = [
            DurationDist::exponential(240.0).unwrap(),
            DurationDist::lognormal(240.0, 0.8).unwrap(),
            DurationDist::gamma(240.0, 0.5).unwrap(),
            DurationDist::weibull(240.0, 1.5).unwrap(),
            DurationDist::uniform(60.0, 180.0).unwrap(),
            DurationDist::empirical(vec![10.0, 20.0, 60.0]).unwrap(),
        ];
        for d in &cases {
            let (m, cv) = moments(d, n);
            // Standard error of the mean is mean*cv/sqrt(n); allow 5 of them.
            let se = d.mean() * d.cv() / (n as f64).sqrt();
            assert!((m - d.mean()).abs() < 5.0 * se, "{d:?}: mean {m}");
            // The cv estimate is looser (heavy tails); 5 % relative is ample at this n.
            assert!((cv - d.cv()).abs() < 0.05 * d.cv(), "{d:?}: cv {cv}");
        }
    }

    /// Issue #15: at the largest cv each family still samples its mean (gamma at cv 10⁶ drew
    /// only zeros), and beyond it the constructor refuses with the bound in the message.
    #[test]
    fn the_largest_cv_still_samples_faithfully() {
        for d in [
            DurationDist::gamma(240.0, MAX_CV).unwrap(),
            DurationDist::lognormal(240.0, MAX_CV).unwrap(),
            DurationDist::weibull(240.0, MAX_CV).unwrap(),
        ] {
            let (m, _) = moments(&d, 1_000_000);
            assert!((m / d.mean() - 1.0).abs() < 0.1, "{d:?}: mean {m}");
        }
        for e in [
            DurationDist::gamma(240.0, 1e6).unwrap_err(),
            DurationDist::lognormal(240.0, 10.5).unwrap_err(),
            DurationDist::weibull(240.0, 11.0).unwrap_err(),
        ] {
            assert!(e.to_string().contains("10"), "{e}");
        }
    }

    #[test]
    fn weibull_shape_inverts_cv() {
        for cv in [0.01, 0.3, 1.0, 2.0, 50.0] {
            let k = weibull_shape_for_cv(cv);
            assert!((weibull_cv(k) - cv).abs() < 1e-9 * cv.max(1.0), "cv {cv}");
        }
        assert!((weibull_shape_for_cv(1.0) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn bad_parameters_are_rejected() {
        assert!(DurationDist::exponential(-1.0).is_err());
        assert!(DurationDist::exponential(f64::NAN).is_err());
        assert!(DurationDist::lognormal(10.0, 0.0).is_err());
        assert!(DurationDist::weibull(10.0, 1000.0).is_err());
        assert!(DurationDist::uniform(5.0, 1.0).is_err());
        assert!(DurationDist::empirical(vec![]).is_err());
        assert!(DurationDist::empirical(vec![1.0, -2.0]).is_err());
    }
}
