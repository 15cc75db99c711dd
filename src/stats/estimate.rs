//! Mean ± Student-t confidence interval across independent replications.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// A KPI estimated from replications: the across-replication mean, standard deviation and 95 % CI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Mean of the per-replication values.
    pub mean: f64,
    /// Sample standard deviation (n − 1) of the per-replication values.
    pub std_dev: f64,
    /// 95 % confidence interval for the mean (Student t with n − 1 degrees of freedom).
    pub ci95: [f64; 2],
    /// Number of replications with a defined value (e.g. ASA is undefined with no answered call).
    pub n: u64,
}

/// Two-sided 95 %.
const CONFIDENCE: f64 = 0.95;

/// Upper `p` quantile of Student's t with `df` degrees of freedom.
///
/// statrs inverts the t CDF numerically, which loses accuracy for very large `df`; there the
/// Cornish–Fisher expansion around the normal quantile is exact to far below 1e-9.
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    if df > 1000.0 {
        let z = match Normal::new(0.0, 1.0) {
            Ok(n) => n.inverse_cdf(p),
            Err(_) => return f64::NAN,
        };
        let (z3, z5) = (z.powi(3), z.powi(5));
        return z + (z3 + z) / (4.0 * df) + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * df * df);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => t.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// An estimate built one value at a time (Welford's update: numerically stable, and in
/// constant memory), so statistics can fold replications as they finish instead of keeping
/// them. The same values in the same order give the same bits as [`Estimate::from_values`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Running {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Running {
    /// Adds the next value; NaN (undefined in that replication) is skipped.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// The estimate of the values so far.
    pub fn estimate(&self) -> Estimate {
        let Self { n, mean, m2 } = *self;
        if n == 0 {
            return Estimate {
                mean: f64::NAN,
                std_dev: f64::NAN,
                ci95: [f64::NAN; 2],
                n,
            };
        }
        if n == 1 {
            return Estimate {
                mean,
                std_dev: f64::NAN,
                ci95: [f64::NAN; 2],
                n,
            };
        }
        let std_dev = (m2 / (n - 1) as f64).sqrt();
        let half = student_t_quantile(0.5 + CONFIDENCE / 2.0, (n - 1) as f64) * std_dev
            / (n as f64).sqrt();
        Estimate {
            mean,
            std_dev,
            ci95: [mean - half, mean + half],
            n,
        }
    }
}

impl Estimate {
    /// Estimates from per-replication values; NaN values (undefined in that replication) are skipped.
    /// Values are summed in the order given, so the same input gives the same bits.
    pub fn from_values(values: impl IntoIterator<Item = f64>) -> Self {
        let mut running = Running::default();
        for x in values {
            running.push(x);
        }
        running.estimate()
    }

    /// The ratio of two means, mean(x) ÷ mean(y), from paired per-replication values (pairs with
    /// a NaN are skipped), with a delta-method interval: the Student-t interval of the
    /// linearised residuals (x − R·y) ÷ mean(y). Unlike the mean of per-replication ratios it is
    /// not inflated when a replication holds few observations.
    pub fn ratio_of_means(pairs: impl IntoIterator<Item = (f64, f64)>) -> Self {
        let pairs: Vec<(f64, f64)> = pairs
            .into_iter()
            .filter(|(x, y)| !x.is_nan() && !y.is_nan())
            .collect();
        let x = Self::from_values(pairs.iter().map(|p| p.0));
        let y = Self::from_values(pairs.iter().map(|p| p.1));
        let ratio = x.mean / y.mean;
        let residuals = Self::from_values(pairs.iter().map(|(a, b)| (a - ratio * b) / y.mean));
        let half = residuals.half_width();
        Self {
            mean: ratio,
            std_dev: residuals.std_dev,
            ci95: [ratio - half, ratio + half],
            n: x.n,
        }
    }

    /// Half width of the confidence interval.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.ci95[1] - self.ci95[0])
    }

    /// Standard error of the mean.
    pub fn std_error(&self) -> f64 {
        self.std_dev / (self.n as f64).sqrt()
    }

    /// Whether `value` lies inside the 95 % interval.
    pub fn covers(&self, value: f64) -> bool {
        self.ci95[0] <= value && value <= self.ci95[1]
    }

    /// Whether `value` lies within t(1 − α/2, n − 1) standard errors of the mean: a two-sided
    /// test at level `alpha` that `value` is the true mean. False with fewer than two values.
    pub fn within_band(&self, value: f64, alpha: f64) -> bool {
        if self.n < 2 {
            return false;
        }
        let t = student_t_quantile(1.0 - alpha / 2.0, (self.n - 1) as f64);
        (self.mean - value).abs() <= t * self.std_error()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let e = Estimate::from_values([1.0, 2.0, 3.0, 4.0, f64::NAN]);
        assert_eq!(e.n, 4);
        assert!((e.mean - 2.5).abs() < 1e-12);
        assert!((e.std_dev - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        // t(0.975, 3) = 3.182446
        let half = 3.182446305284263 * e.std_dev / 2.0;
        assert!((e.half_width() - half).abs() < 1e-9);
    }

    #[test]
    fn ratio_of_means_is_not_the_mean_of_ratios() {
        // Ratios 1/1 and 10/2: mean of ratios 3, ratio of means 11/3.
        let e = Estimate::ratio_of_means([(1.0, 1.0), (10.0, 2.0), (f64::NAN, 1.0)]);
        assert_eq!(e.n, 2);
        assert!((e.mean - 11.0 / 3.0).abs() < 1e-12);
        // Exactly proportional pairs: no spread at all.
        let p = Estimate::ratio_of_means([(2.0, 1.0), (4.0, 2.0), (6.0, 3.0)]);
        assert!((p.mean - 2.0).abs() < 1e-12 && p.half_width().abs() < 1e-12);
    }

    #[test]
    fn t_quantile_matches_tables() {
        assert!((student_t_quantile(0.975, 10.0) - 2.228139).abs() < 1e-5);
        assert!((student_t_quantile(0.975, 1000.0) - 1.962339).abs() < 1e-5);
        // Either side of the switch to the expansion, and far beyond it.
        assert!((student_t_quantile(0.975, 1001.0) - 1.962336).abs() < 1e-5);
        assert!((student_t_quantile(0.975, 1e4) - 1.960201).abs() < 1e-5);
        assert!((student_t_quantile(0.975, 1e7) - 1.959964).abs() < 1e-5);
    }
}
